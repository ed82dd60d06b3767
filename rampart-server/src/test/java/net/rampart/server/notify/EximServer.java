package net.rampart.server.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.rampart.wire.testing.Daemon;

/**
 * A real MTA, Debian's Exim ({@code exim4-daemon-light}), run by a test in the foreground on a
 * loopback port of its own with a configuration of the test's: it offers STARTTLS with a
 * self-signed certificate, takes mail for anyone from anyone on the loopback address, and
 * delivers each into a maildir the test reads. Its spool, log and pid file are the test's
 * too, so it shares nothing with a system Exim.
 *
 * <p>Exim has to start as root: it runs its daemon as root here (only a test's own loopback
 * listener) and delivers as {@code nobody}, as Exim never delivers as root.
 */
public final class EximServer implements AutoCloseable {

    /** The binary's name, as the Debian package installs it. */
    public static final String BINARY = "exim4";
    /** The user deliveries run as: any account but root, and this one is on every system. */
    private static final String DELIVERY_USER = "nobody";

    private final Daemon daemon;
    private final int port;
    private final Path maildir;
    private final Path dir;

    private EximServer(Daemon daemon, int port, Path maildir, Path dir) {
        this.daemon = daemon;
        this.port = port;
        this.maildir = maildir;
        this.dir = dir;
    }

    /**
     * Why this server cannot run here, or null when it can: Exim is not installed, or this JVM
     * does not run as root, which an MTA needs to start.
     */
    public static String unavailable() {
        if (Daemon.locate(BINARY) == null) {
            return BINARY + " (exim4-daemon-light) is not installed";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return BINARY + " must be started as root";
        }
        return null;
    }

    /**
     * Starts Exim with everything of its own under {@code dir} (a directory of the test's in the
     * temporary directory, which it opens, and those above it there, for others to pass
     * through), TLS with {@code certificate} (an RSA one, see
     * {@link TestSmtpServer.Certificate#makeRsa}), and waits up to {@code wait} for it to listen.
     */
    public static EximServer start(Path dir, TestSmtpServer.Certificate certificate, Duration wait)
            throws Exception {
        Path binary = Daemon.require(BINARY);
        Path key = certificate.writeKeyPem(dir.resolve("exim-key.pem"));
        Path spool = Files.createDirectories(dir.resolve("exim-spool"));
        Path maildir = Files.createDirectories(dir.resolve("maildir"));
        // The delivery, as nobody (in group root, Exim's group here), creates the maildir's
        // new/cur/tmp and writes in them; it must get there through dir and the directories above
        // it, which a JUnit temporary directory closes to group and others. Only those in the
        // temporary directory are opened, and only to be passed through.
        Files.setPosixFilePermissions(maildir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path temporary = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path above = dir.toAbsolutePath(); above.startsWith(temporary) && !above.equals(temporary);
                above = above.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(above);
            permissions.add(PosixFilePermission.GROUP_EXECUTE);
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(above, permissions);
        }
        for (Path above = maildir.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(above);
            if (!permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || !permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("Exim's deliveries, as " + DELIVERY_USER + ", cannot reach " + maildir
                        + " through " + above + " (" + PosixFilePermissions.toString(permissions)
                        + "; the temporary directory is " + temporary + ")");
            }
        }
        int port = Daemon.freePort();
        Path config = Files.writeString(dir.resolve("exim.conf"), """
                exim_user = root
                exim_group = root
                primary_hostname = mail.rampart.test
                daemon_smtp_ports = %d
                local_interfaces = 127.0.0.1
                spool_directory = %s
                log_file_path = %s/exim-%%slog
                pid_file_path = %s/exim.pid
                keep_environment =
                tls_certificate = %s
                tls_privatekey = %s
                tls_advertise_hosts = *
                acl_smtp_rcpt = accept_everyone

                begin acl
                accept_everyone:
                  accept

                begin routers
                everyone:
                  driver = accept
                  transport = to_maildir

                begin transports
                to_maildir:
                  driver = appendfile
                  directory = %s
                  maildir_format
                  user = %s
                """.formatted(port, spool, dir, dir, certificate.pem(), key, maildir, DELIVERY_USER));
        // -bdf: a daemon in the foreground, stopped by its pid; without -q it runs no queue
        // runner, each mail being delivered as soon as it is received.
        Daemon daemon = Daemon.start("exim", dir, List.of(binary.toString(), "-C", config.toString(), "-bdf"));
        EximServer exim = new EximServer(daemon, port, maildir, dir);
        try {
            Daemon.await("Exim to listen on port " + port + " (logs in " + dir + ")", wait,
                    () -> daemon.isAlive() && exim.listening());
        } catch (AssertionError | InterruptedException e) {
            exim.close();
            throw e;
        }
        return exim;
    }

    public int port() {
        return port;
    }

    /** Each mail delivered so far, as Exim wrote it into the maildir (its Received header first). */
    public List<String> mails() {
        Path arrived = maildir.resolve("new");
        if (!Files.isDirectory(arrived)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(arrived)) {
            // Maildir names start with the delivery time in seconds: sorted, they are in order enough.
            return files.sorted().map(EximServer::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its log and main log, for a failure's message. */
    public String log() {
        StringBuilder out = new StringBuilder(daemon.log());
        Path mainlog = dir.resolve("exim-mainlog");
        if (Files.exists(mainlog)) {
            out.append(read(mainlog));
        }
        return out.toString();
    }

    private boolean listening() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Stops it, and any delivery it forked, by their own pids. */
    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}

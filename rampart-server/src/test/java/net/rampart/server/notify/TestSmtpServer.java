package net.rampart.server.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.rampart.wire.testing.Daemon;

/**
 * A small SMTP server on the loopback address, for tests of the client: it answers as a
 * submission server does, offers STARTTLS with a self-signed certificate for 127.0.0.1 when
 * told to, takes AUTH PLAIN and LOGIN, and records each command (marked when it came over TLS)
 * and each mail's DATA lines as they arrived, still dot-stuffed.
 */
public final class TestSmtpServer implements AutoCloseable {

    /** A self-signed certificate for 127.0.0.1 and its key, made by the JDK's keytool. */
    public record Certificate(Path keyStore, String password, Path pem) {

        public static Certificate make(Path dir) throws Exception {
            return make(dir, List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        }

        /**
         * The same with an RSA key, for a server whose TLS library is GnuTLS (Debian's Exim):
         * GnuTLS does not read the EC private key as the JDK encodes it in PKCS #8.
         */
        public static Certificate makeRsa(Path dir) throws Exception {
            return make(dir, List.of("-keyalg", "RSA", "-keysize", "2048"));
        }

        private static Certificate make(Path dir, List<String> key) throws Exception {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Path store = dir.resolve("smtp.p12");
            Path pem = dir.resolve("smtp.pem");
            String password = "test-only";
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "smtp"));
            command.addAll(key);
            command.addAll(List.of("-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                    "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", password, "-keypass", password));
            Daemon.run(dir, command);
            Daemon.run(dir, List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "smtp",
                    "-keystore", store.toString(), "-storepass", password, "-file", pem.toString()));
            return new Certificate(store, password, pem);
        }

        /**
         * Writes the private key as PKCS #8 PEM, readable by its owner only, for a real mail
         * server that takes its key from a file of its own (keytool exports certificates only).
         */
        public Path writeKeyPem(Path file) throws Exception {
            Key key = load().getKey("smtp", password.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        }

        private KeyStore load() throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            return keys;
        }

        SSLContext context() throws Exception {
            KeyStore keys = load();
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        }
    }

    /** One mail as it arrived. */
    public record Mail(String from, List<String> to, List<String> dataLines) {

        /** The DATA lines with the dot-stuffing undone, joined by CRLF: the message as the client meant it. */
        public String message() {
            StringBuilder out = new StringBuilder();
            for (String line : dataLines) {
                out.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            }
            return out.toString();
        }
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final String authMechanisms;
    private final String username;
    private final String password;
    private final Thread thread;
    /** Each command, prefixed "tls " when it came over TLS; AUTH lines are decoded. */
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Mail> mails = new CopyOnWriteArrayList<>();

    /**
     * @param tls            null: STARTTLS is not offered
     * @param authMechanisms as the EHLO reply lists them ("PLAIN LOGIN"); empty: no AUTH offered
     */
    public TestSmtpServer(SSLContext tls, String authMechanisms, String username, String password)
            throws IOException {
        this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.tls = tls;
        this.authMechanisms = authMechanisms;
        this.username = username;
        this.password = password;
        this.thread = Thread.ofPlatform().name("test-smtp").daemon().start(this::run);
    }

    public static TestSmtpServer withStarttls(Certificate certificate, String authMechanisms, String username,
                                              String password) throws Exception {
        return new TestSmtpServer(certificate.context(), authMechanisms, username, password);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    public List<Mail> mails() {
        return List.copyOf(mails);
    }

    private void run() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                converse(socket);
            } catch (IOException | RuntimeException e) {
                // The client hung up, or the test closed the server: wait for the next connection.
            }
        }
    }

    private void converse(Socket plain) throws IOException {
        Socket socket = plain;
        boolean secure = false;
        BufferedReader in = reader(socket);
        OutputStream out = socket.getOutputStream();
        reply(out, "220 test.example ESMTP");
        String from = null;
        List<String> to = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String upper = line.toUpperCase();
            if (upper.startsWith("AUTH ") || upper.equals("AUTH LOGIN")) {
                line = auth(line, in, out, secure);
                commands.add((secure ? "tls " : "") + line);
                continue;
            }
            commands.add((secure ? "tls " : "") + line);
            if (upper.startsWith("EHLO ")) {
                List<String> lines = new ArrayList<>(List.of("test.example greets " + line.substring(5)));
                if (tls != null && !secure) {
                    lines.add("STARTTLS");
                }
                if (!authMechanisms.isEmpty()) {
                    lines.add("AUTH " + authMechanisms);
                }
                lines.add("SIZE 10240000");
                for (int i = 0; i < lines.size(); i++) {
                    reply(out, "250" + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
                }
            } else if (upper.equals("STARTTLS") && tls != null && !secure) {
                reply(out, "220 go ahead");
                SSLSocket wrapped = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(),
                        true);
                wrapped.setUseClientMode(false);
                wrapped.startHandshake();
                socket = wrapped;
                secure = true;
                in = reader(socket);
                out = socket.getOutputStream();
            } else if (upper.startsWith("MAIL FROM:<")) {
                from = line.substring(11, line.length() - 1);
                reply(out, "250 ok");
            } else if (upper.startsWith("RCPT TO:<")) {
                String recipient = line.substring(9, line.length() - 1);
                if (recipient.startsWith("nobody@")) {
                    reply(out, "550 5.1.1 no such mailbox");
                } else {
                    to.add(recipient);
                    reply(out, "250 ok");
                }
            } else if (upper.equals("DATA")) {
                reply(out, "354 end with a lone dot");
                List<String> data = new ArrayList<>();
                String dataLine;
                while (!".".equals(dataLine = in.readLine())) {
                    if (dataLine == null) {
                        return;
                    }
                    data.add(dataLine);
                }
                mails.add(new Mail(from, List.copyOf(to), List.copyOf(data)));
                reply(out, "250 queued");
            } else if (upper.equals("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "502 not here");
            }
        }
    }

    /** Answers an AUTH exchange; returns how it is recorded: the mechanism and the decoded credentials. */
    private String auth(String line, BufferedReader in, OutputStream out, boolean secure) throws IOException {
        Base64.Decoder base64 = Base64.getDecoder();
        String user;
        String pass;
        String mechanism;
        if (line.toUpperCase().startsWith("AUTH PLAIN ")) {
            mechanism = "AUTH PLAIN";
            String[] parts = new String(base64.decode(line.substring(11)), StandardCharsets.UTF_8).split("\0", -1);
            user = parts.length == 3 ? parts[1] : "";
            pass = parts.length == 3 ? parts[2] : "";
        } else if (line.equalsIgnoreCase("AUTH LOGIN")) {
            mechanism = "AUTH LOGIN";
            reply(out, "334 VXNlcm5hbWU6");
            user = new String(base64.decode(in.readLine()), StandardCharsets.UTF_8);
            reply(out, "334 UGFzc3dvcmQ6");
            pass = new String(base64.decode(in.readLine()), StandardCharsets.UTF_8);
        } else {
            reply(out, "504 unknown mechanism");
            return line;
        }
        reply(out, user.equals(username) && pass.equals(password) ? "235 welcome" : "535 5.7.8 bad credentials");
        return mechanism + " " + user + " " + pass;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(10_000);
    }
}

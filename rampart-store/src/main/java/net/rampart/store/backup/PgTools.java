package net.rampart.store.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.rampart.store.Database;
import net.rampart.store.PgConnection;

/**
 * PostgreSQL's own pg_dump and pg_restore, run as child processes: from a directory a setting
 * names, else from the {@code PATH}. pg_dump refuses to dump a server of a newer major version
 * than its own, so {@link #requireFor} compares the two before a dump starts.
 */
public final class PgTools {

    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    /** How much of a program's error output a failure keeps: its last lines say what went wrong. */
    private static final int KEPT_OUTPUT = 4_000;
    private static final Duration VERSION_WAIT = Duration.ofSeconds(20);

    private final Path pgDump;
    private final Path pgRestore;

    private PgTools(Path pgDump, Path pgRestore) {
        this.pgDump = pgDump;
        this.pgRestore = pgRestore;
    }

    /**
     * The programs in {@code binDirectory}, or on the {@code PATH} when it is empty.
     *
     * @param setting the setting that names the directory, for the message when they are missing
     */
    public static PgTools locate(Optional<Path> binDirectory, String setting) throws BackupException {
        return new PgTools(find("pg_dump", binDirectory, setting), find("pg_restore", binDirectory, setting));
    }

    private static Path find(String program, Optional<Path> binDirectory, String setting) throws BackupException {
        if (binDirectory.isPresent()) {
            Path path = binDirectory.get().resolve(program);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new BackupException(setting + ": " + binDirectory.get() + " holds no " + program
                    + " that can be run (deploy/install-pg-client.sh installs one)");
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path path = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        throw new BackupException(program + " was not found on the PATH: install PostgreSQL's client programs of "
                + "the server's major version or newer (deploy/install-pg-client.sh), or set " + setting);
    }

    /** Checks that pg_dump and pg_restore are of {@code serverMajor} or newer. */
    public void requireFor(int serverMajor) throws BackupException {
        for (Path program : List.of(pgDump, pgRestore)) {
            int major = majorVersion(program);
            if (major < serverMajor) {
                throw new BackupException(program + " is of PostgreSQL " + major + " and cannot read a PostgreSQL "
                        + serverMajor + " server's data: install version " + serverMajor
                        + " or newer (deploy/install-pg-client.sh)");
            }
        }
    }

    private static int majorVersion(Path program) throws BackupException {
        Result result = run(List.of(program.toString(), "--version"), Map.of(), VERSION_WAIT);
        Matcher m = VERSION.matcher(result.output());
        if (result.exitCode() != 0 || !m.find()) {
            throw new BackupException(program + " --version did not answer as a PostgreSQL program: "
                    + result.output().strip());
        }
        return Integer.parseInt(m.group(1));
    }

    /** Where the programs find {@code database}; a URL they cannot take is a {@link BackupException}. */
    static PgConnection connection(Database database) throws BackupException {
        try {
            return database.connection();
        } catch (IllegalArgumentException e) {
            throw new BackupException("pg_dump and pg_restore cannot reach the database: " + e.getMessage()
                    + "; give RAMPART_DATABASE_URL one host");
        }
    }

    /** Runs pg_dump with {@code arguments} against {@code database}. */
    Result pgDump(PgConnection database, List<String> arguments, Duration limit) throws BackupException {
        return run(command(pgDump, database, arguments), database.environment(), limit);
    }

    /** Runs pg_restore with {@code arguments}, against {@code database} when it is not null. */
    Result pgRestore(PgConnection database, List<String> arguments, Duration limit) throws BackupException {
        return run(command(pgRestore, database, arguments), database == null ? Map.of() : database.environment(),
                limit);
    }

    private static List<String> command(Path program, PgConnection database, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        if (database != null) {
            command.add("--dbname=" + database.conninfo());
            // Never wait at a password prompt: fail and say so.
            command.add("--no-password");
        }
        command.addAll(arguments);
        return command;
    }

    /** A finished program: its exit code and what it wrote (its standard output and error, the last part). */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private static Result run(List<String> command, Map<String, String> environment, Duration limit)
            throws BackupException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BackupException(command.getFirst() + " could not be started: " + e.getMessage(), e);
        }
        try (InputStream output = process.getInputStream()) {
            String text = lastPart(output);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BackupException(command.getFirst() + " did not finish within " + limit.toMinutes()
                        + " minutes and was stopped");
            }
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new BackupException("reading " + command.getFirst() + "'s output failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BackupException(command.getFirst() + " was interrupted", e);
        }
    }

    /** Reads the stream to its end and keeps its last {@link #KEPT_OUTPUT} bytes. */
    private static String lastPart(InputStream in) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * KEPT_OUTPUT) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - KEPT_OUTPUT, KEPT_OUTPUT);
            }
        }
        byte[] all = kept.toByteArray();
        int from = Math.max(0, all.length - KEPT_OUTPUT);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
}

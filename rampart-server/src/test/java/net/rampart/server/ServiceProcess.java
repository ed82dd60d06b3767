package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.rampart.store.DatabaseSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The real service as a child process, as an operator runs it: its own JVM, its own signals. */
final class ServiceProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path dataDir;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ServiceProcess(Process process, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
        this.stdoutReader = drain(process.getInputStream(), stdout);
        this.stderrReader = drain(process.getErrorStream(), stderr);
    }

    /**
     * The settings of a service that collects BMP from routers on loopback addresses, answers its
     * API on {@code httpPort}, runs no RTR server and keeps its data in {@code dataDir}: what the
     * collector tests share. The map is the caller's, to add its own settings to.
     */
    static Map<String, String> loopbackCollector(int httpPort, int bmpPort, Path dataDir) {
        Map<String, String> environment = new HashMap<>();
        environment.put("RAMPART_HTTP_PORT", Integer.toString(httpPort));
        environment.put("RAMPART_BMP_PORT", Integer.toString(bmpPort));
        environment.put("RAMPART_BMP_ALLOW", "127.0.0.0/8");
        environment.put("RAMPART_RTR_PORT", "0");
        environment.put("RAMPART_BIND_ADDRESS", "127.0.0.1");
        environment.put("RAMPART_DATA_DIR", dataDir.toString());
        return environment;
    }

    static ServiceProcess start(Map<String, String> environment) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A runner started under nohup passes SIGHUP on as ignored, and the JVM then cannot take it:
        // the service is started with it at its default, as an init system would.
        var builder = new ProcessBuilder("env", "--default-signal=HUP", java, "-cp",
                System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("RAMPART_") || name.equals("SENTRY_DSN"));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(),
                Path.of(environment.getOrDefault("RAMPART_DATA_DIR", "data")).toAbsolutePath());
    }

    /**
     * The service as an operator starts it, {@code ./rampart serve} in {@code repository}, from
     * {@code workingDirectory} (where it would read a {@code .env}).
     */
    static ServiceProcess launch(Path repository, Path workingDirectory, Map<String, String> environment)
            throws IOException {
        var builder = new ProcessBuilder("env", "--default-signal=HUP", repository.resolve("rampart").toString(), "serve")
                .directory(workingDirectory.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("RAMPART_") || name.equals("SENTRY_DSN"));
        builder.environment().putAll(environment);
        return new ServiceProcess(builder.start(),
                workingDirectory.resolve(environment.getOrDefault("RAMPART_DATA_DIR", "data")).toAbsolutePath());
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Thread drain(java.io.InputStream stream, List<String> into) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException e) {
                into.add("<stream closed: " + e.getMessage() + ">");
            }
        });
    }

    /** Polls {@code /health/ready} until it answers 200 or the deadline passes. */
    boolean awaitReady(int httpPort, Duration timeout) throws InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return true;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        return false;
    }

    /** The admin token the service wrote into its data directory on its first start. */
    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("admin.token")).strip();
    }

    /** The password of the embedded PostgreSQL, which the service generated on its first start. */
    String databasePassword() throws IOException {
        return Files.readString(DatabaseSettings.embedded(dataDir.resolve("postgres")).embeddedPasswordFile()).strip();
    }

    /** A connection to the service's embedded PostgreSQL, on the port its {@code database_started} line gives. */
    Connection database() throws IOException, SQLException {
        int port = event("database_started").orElseThrow().path("port").asInt();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
                databasePassword());
    }

    /** The one number {@code sql} answers over {@code db}; an SQL error fails the caller unchecked, for polling. */
    static long queryLong(Connection db, String sql) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A request to the service on {@code httpPort}, authorised with the admin token. */
    HttpRequest.Builder request(int httpPort, String pathAndQuery) throws IOException {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
                .header("Authorization", "Bearer " + adminToken());
    }

    /** The service's API on {@code httpPort}, as the admin token reads it. */
    Api api(int httpPort) {
        return new Api(httpPort);
    }

    /** The service's JSON API with the admin token, for tests that read it. */
    final class Api {
        private final int port;
        private final HttpClient client = HttpClient.newHttpClient();

        private Api(int port) {
            this.port = port;
        }

        /**
         * The first sample of {@code series} (its name alone, or with labels) on {@code /metrics};
         * -1 while the service exports none.
         */
        double metric(String series) throws Exception {
            String body = client.send(request(port, "/metrics").timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(line -> line.startsWith(series + " ") || line.startsWith(series + "{"))
                    .findFirst().map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .orElse(-1.0);
        }

        /** GET {@code pathAndQuery}: an answer other than 200 fails the test, with its body. */
        JsonNode get(String pathAndQuery) throws Exception {
            HttpResponse<String> r = client.send(request(port, pathAndQuery).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    /**
     * The service's live heap: the least of three readings of the heap pools in {@code /metrics},
     * each after a full collection asked of the JVM with {@code jcmd GC.run}.
     */
    long liveHeapBytes(int httpPort) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        long least = Long.MAX_VALUE;
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < 3; i++) {
                Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                        .redirectErrorStream(true).start();
                assertThat(gc.waitFor(60, TimeUnit.SECONDS)).as("jcmd GC.run finished").isTrue();
                assertThat(gc.exitValue()).as(new String(gc.getInputStream().readAllBytes())).isZero();
                String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                double used = metrics.lines()
                        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                assertThat(used).as("heap pools in /metrics").isPositive();
                least = Math.min(least, (long) used);
            }
        }
        return least;
    }

    /** Sends SIGTERM and waits for the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stdout, losing
        // the shutdown log the tests read.
        process.toHandle().destroy();
        return awaitExit(timeout);
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("service did not exit within " + timeout + "; output:\n" + output());
        }
        stdoutReader.join(5000);
        stderrReader.join(5000);
        return process.exitValue();
    }

    /** The structured log events with this {@code event} name. */
    List<JsonNode> events(String name) {
        List<JsonNode> found = new ArrayList<>();
        for (String line : stdout) {
            try {
                JsonNode node = JSON.readTree(line);
                if (name.equals(node.path("event").asText())) {
                    found.add(node);
                }
            } catch (IOException e) {
                // not a JSON line; the test on log format catches those
            }
        }
        return found;
    }

    Optional<JsonNode> event(String name) {
        var found = events(name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    String output() {
        return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}

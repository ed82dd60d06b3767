package net.rampart.server.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.rampart.wire.testing.Daemon;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) a test started on
 * a loopback port of its own, without clustering, and asked through its API v2 what it holds.
 * Its route goes to a receiver that sends nowhere: what a test asserts is what Alertmanager
 * holds, not what it would notify.
 */
public final class AlertmanagerProcess implements AutoCloseable {

    /** The binary's name, as the Debian package installs it. */
    public static final String BINARY = "prometheus-alertmanager";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Daemon daemon;
    private final URI base;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerProcess(Daemon daemon, URI base, Path log) {
        this.daemon = daemon;
        this.base = base;
        this.log = log;
    }

    /** Whether the binary is installed; a test that cannot run without it skips itself with {@link Daemon#require}. */
    public static boolean installed() {
        return Daemon.locate(BINARY) != null;
    }

    /**
     * Starts Alertmanager with its configuration, data and log in {@code dir} and waits up to
     * {@code wait} for it to be ready; stops it again and fails if it is not.
     */
    public static AlertmanagerProcess start(Path dir, Duration wait) throws IOException, InterruptedException {
        Path binary = Daemon.require(BINARY);
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: nowhere
                receivers:
                  - name: nowhere
                """);
        Path data = Files.createDirectories(dir.resolve("alertmanager-data"));
        int port = Daemon.freePort();
        URI base = URI.create("http://127.0.0.1:" + port);
        // An empty cluster address turns gossip off: no second port, no peers to wait for.
        Daemon daemon = Daemon.start("alertmanager", dir, List.of(binary.toString(), "--config.file=" + config,
                "--storage.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="));
        AlertmanagerProcess alertmanager = new AlertmanagerProcess(daemon, base, dir.resolve("alertmanager.log"));
        try {
            Daemon.await("Alertmanager to be ready (log: " + alertmanager.log + ")", wait,
                    () -> daemon.isAlive() && alertmanager.status("/-/ready") == 200);
        } catch (AssertionError | InterruptedException e) {
            alertmanager.close();
            throw e;
        }
        return alertmanager;
    }

    /** Its base URL, what an {@code alertmanager} channel's {@code url} names. */
    public URI base() {
        return base;
    }

    /** Every alert {@code GET /api/v2/alerts} lists: those that have not ended. */
    public List<JsonNode> alerts() {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET /api/v2/alerts answered " + answer.statusCode() + ": " + answer.body());
            }
            List<JsonNode> alerts = new ArrayList<>();
            JSON.readTree(answer.body()).forEach(alerts::add);
            return alerts;
        } catch (IOException e) {
            throw new AssertionError("Alertmanager did not answer GET /api/v2/alerts; log:\n" + log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The alert whose {@code key} label is Rampart's alert key, if Alertmanager lists it. */
    public Optional<JsonNode> held(String key) {
        return alerts().stream().filter(a -> key.equals(a.at("/labels/key").asText())).findFirst();
    }

    /** What it logged so far. */
    public String log() {
        return daemon.log();
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops it by its own pid. */
    @Override
    public void close() throws InterruptedException {
        daemon.close();
    }
}

package net.rampart.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.rampart.wire.testing.Daemon;

/**
 * Debian's Prometheus server ({@code prometheus}), started by a test on a loopback port of its
 * own with its own storage, scraping one target every second and evaluating a rules file, and
 * asked through its HTTP API.
 */
final class PrometheusProcess implements AutoCloseable {

    /** Where the Debian package installs the server, and its checker beside it. */
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** The job name of the scrape, the one deploy/prometheus/prometheus.yml and its rules use. */
    static final String JOB = "rampart";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Daemon daemon;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusProcess(Daemon daemon, URI base) {
        this.daemon = daemon;
        this.base = base;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts Prometheus with its configuration, storage and log in {@code dir}, scraping
     * {@code target} (host:port, path /metrics) and evaluating {@code rules}, and waits up to
     * {@code wait} for it to be ready; stops it again and fails if it is not.
     */
    static PrometheusProcess start(Path dir, String target, Path rules, Duration wait)
            throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ["%s"]
                """.formatted(rules.toAbsolutePath(), JOB, target));
        int port = Daemon.freePort();
        Daemon daemon = Daemon.start("prometheus", dir, List.of(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port));
        PrometheusProcess prometheus = new PrometheusProcess(daemon, URI.create("http://127.0.0.1:" + port));
        boolean ready;
        try {
            ready = Daemon.await(wait, () -> daemon.isAlive() && prometheus.status("/-/ready") == 200);
        } catch (InterruptedException e) {
            prometheus.close();
            throw e;
        }
        if (!ready) {
            String log = daemon.log();
            prometheus.close();
            throw new AssertionError("Prometheus was not ready within " + wait + "; log:\n" + log);
        }
        return prometheus;
    }

    /**
     * {@code GET /api/v1/query} of {@code expr} at the present time: the whole answer, an error
     * (status {@code error}, with {@code error} saying why) as much as a result.
     */
    JsonNode query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /** {@code GET /api/v1/rules}: the groups of the rules file as Prometheus loaded and last evaluated them. */
    JsonNode rules() throws IOException, InterruptedException {
        return get("/api/v1/rules");
    }

    /** Whether the last scrape of the target succeeded ({@code up} is 1). */
    boolean targetUp() {
        try {
            for (JsonNode series : query("up{job=\"" + JOB + "\"}").at("/data/result")) {
                if (series.at("/value/1").asText().equals("1")) {
                    return true;
                }
            }
        } catch (IOException notYet) {
            // asked again on the next poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    String log() {
        return daemon.log();
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
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

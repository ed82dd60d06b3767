package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.rampart.server.notify.Receiver;
import net.rampart.kafka.KafkaBroker;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards and Prometheus rules of {@code deploy/} against the real service and
 * Debian's real Prometheus: {@code promtool} accepts the rules and the example configuration;
 * Prometheus scrapes a service that has collected, validated, detected and mitigated, loads the
 * rules and evaluates them without error; and every dashboard query and every rule's measure
 * returns at least one series, so that no panel or rule names a metric the service does not
 * export or labels it does not carry.
 *
 * <p>The activity, on loopback: a GoBGP router sends BMP to the service and is the FlowSpec peer
 * of its mitigation speaker; the service publishes the Kafka feed to Apache Kafka's broker; a GoBGP upstream announces a monitored prefix from a foreign origin
 * (an alert, notified to a webhook); the shared RPKI sample is the VRP source; a detector event
 * makes a mitigation (notified to a webhook); a request asks for an alert that does not exist,
 * another has no token.
 *
 * <p>Alert rules return nothing on a healthy service, so each rule is written as
 * {@code <measure> <comparison> <number>} (deploy/prometheus/rules.yml says so) and what is
 * evaluated is the measure: the expression with its last comparison against a number taken off.
 * A rule not of that form is listed as a failure.
 */
class PrometheusRulesIT {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path DASHBOARDS = REPOSITORY.resolve("deploy/grafana");
    private static final Path RULES = REPOSITORY.resolve("deploy/prometheus/rules.yml");
    private static final Path EXAMPLE_CONFIG = REPOSITORY.resolve("deploy/prometheus/prometheus.yml");

    private static final String ROUTER = "127.0.0.1";
    private static final String UPSTREAM = "127.0.0.2";
    private static final long ROUTER_AS = 65001;
    private static final long UPSTREAM_AS = 64510;
    private static final long SPEAKER_AS = 65000;
    private static final String ALERT_HOOK = "/hooks/alerts";
    private static final String MITIGATION_HOOK = "/hooks/mitigations";

    /** {@code <measure> <comparison> <number>}, the comparison being the expression's last. */
    private static final Pattern THRESHOLD = Pattern.compile(
            "^(?<measure>.+?)\\s*(?:==|!=|>=|<=|>|<)\\s*-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?$", Pattern.DOTALL);
    /** Grafana's own variables, as a dashboard at a 2 s step would give them. */
    private static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "__rate_interval", "30s", "__interval", "2s", "__range", "5m");

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Long enough for the per-peer gauges (refreshed every 10 s) and a few scrapes. */
    private static final Duration SERIES_WAIT = Duration.ofSeconds(90);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void everyDashboardQueryAndRuleMeasureReturnsSeriesFromTheRunningService() throws Exception {
        assumeTrue(PrometheusProcess.installed(), "skipped: " + PrometheusProcess.BINARY
                + " is not installed (Debian package prometheus)");
        assertThat(promtool("check", "rules", RULES.toString())).as("promtool check rules").isEmpty();
        assertThat(promtool("check", "config", EXAMPLE_CONFIG.toString())).as("promtool check config").isEmpty();
        Map<String, String> dashboardQueries = dashboardQueries();
        assertThat(dashboardQueries).as("dashboard queries").isNotEmpty();

        Path vrps = TestData.folder("rpki").resolve("stayrtr-test.rpki.json");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        try (Receiver hooks = new Receiver();
             KafkaBroker broker = KafkaBroker.start(Files.createDirectories(work.resolve("kafka")))) {
            Path monitors = Files.writeString(work.resolve("monitors.yaml"), """
                    prefixes:
                      - prefix: 192.0.2.0/24
                        origins: [AS64500]
                        group: noc
                    groups:
                      noc: {channels: [noc-hook]}
                    channels:
                      noc-hook: {type: webhook, url: '%s'}
                    """.formatted(hooks.url(ALERT_HOOK)));
            Path inventory = Files.writeString(work.resolve("inventory.yaml"), """
                    customers:
                      - id: example-net
                        prefixes: [198.51.100.0/24]
                    """);
            Path playbooks = Files.writeString(work.resolve("playbooks.yaml"), """
                    playbooks:
                      - name: udp-flood
                        match: {vectors: [udp_flood]}
                        steps:
                          - {action: police, rate_bps: 100M, ttl: 10m}
                    """);
            Map<String, String> environment = Map.ofEntries(
                    Map.entry("RAMPART_HTTP_PORT", Integer.toString(httpPort)),
                    Map.entry("RAMPART_BMP_PORT", Integer.toString(bmpPort)),
                    Map.entry("RAMPART_BMP_ALLOW", ROUTER + "/32"),
                    Map.entry("RAMPART_RTR_PORT", Integer.toString(ServiceProcess.freePort())),
                    Map.entry("RAMPART_BIND_ADDRESS", "127.0.0.1"),
                    Map.entry("RAMPART_DATA_DIR", work.resolve("data").toString()),
                    Map.entry("RAMPART_RPKI_SOURCES", "file:" + vrps),
                    Map.entry("RAMPART_MONITORS", monitors.toString()),
                    Map.entry("RAMPART_POP", "ams1"),
                    Map.entry("RAMPART_INVENTORY", inventory.toString()),
                    Map.entry("RAMPART_PLAYBOOKS", playbooks.toString()),
                    Map.entry("RAMPART_MITIGATION_WEBHOOKS", "json:" + hooks.url(MITIGATION_HOOK)),
                    Map.entry("RAMPART_BGP_ASN", Long.toString(SPEAKER_AS)),
                    Map.entry("RAMPART_BGP_ROUTER_ID", "10.0.0.1"),
                    Map.entry("RAMPART_BGP_PEERS", ROUTER + ":" + bgpPort + "/" + ROUTER_AS),
                    Map.entry("RAMPART_KAFKA_BOOTSTRAP", broker.bootstrap()));
            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                try (GoBgpDaemon router = GoBgpDaemon.start(work, "gobgpd-router", routerConfig(bgpPort, bmpPort));
                     GoBgpDaemon upstream = GoBgpDaemon.start(work, "gobgpd-upstream", upstreamConfig(bgpPort))) {
                    Daemon.await("the upstream's and the speaker's BGP sessions; " + router.log(), WAIT,
                            () -> router.established(UPSTREAM) && router.established(ROUTER));
                    upstream.cli("global", "rib", "add", "192.0.2.0/24", "aspath", "64666");
                    act(service, httpPort);
                    awaitPosts(hooks, Set.of(ALERT_HOOK, MITIGATION_HOOK), service);

                    try (PrometheusProcess prometheus = PrometheusProcess.start(
                            Files.createDirectories(work.resolve("prometheus")), "127.0.0.1:" + httpPort, RULES, WAIT)) {
                        Daemon.await("Prometheus to scrape the service; " + prometheus.log(), WAIT,
                                prometheus::targetUp);
                        Map<String, String> ruleMeasures = new LinkedHashMap<>();
                        List<String> failures = new ArrayList<>(loadedRules(prometheus, ruleMeasures));
                        Map<String, String> queries = new LinkedHashMap<>(dashboardQueries);
                        queries.putAll(ruleMeasures);
                        failures.addAll(awaitSeries(prometheus, queries));
                        assertThat(failures).as("queries without series or in error (%d queries); Prometheus log:%n%s",
                                queries.size(), prometheus.log()).isEmpty();
                    }
                }
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            }
        }
    }

    /** The router: the upstream's BGP peer, the speaker's FlowSpec peer, and a BMP client of the service. */
    private static String routerConfig(int bgpPort, int bmpPort) {
        return GoBgpDaemon.config(ROUTER_AS, "10.0.0.2").port(bgpPort).localAddress(ROUTER)
                .neighbor(GoBgpDaemon.neighbor(UPSTREAM, UPSTREAM_AS).passive().families("ipv4-unicast"))
                .neighbor(GoBgpDaemon.neighbor(ROUTER, SPEAKER_AS).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .bmpServer(bmpPort, "pre-policy").toml();
    }

    /** The upstream, retrying its connection every second until the router listens. */
    private static String upstreamConfig(int bgpPort) {
        return GoBgpDaemon.config(UPSTREAM_AS, UPSTREAM).localAddress(UPSTREAM)
                .neighbor(GoBgpDaemon.neighbor(ROUTER, ROUTER_AS).localAddress(UPSTREAM).remotePort(bgpPort)
                        .connectRetry(1).families("ipv4-unicast"))
                .toml();
    }

    /**
     * A detector's attack event (a mitigation), a request for an alert that does not exist (a
     * 404) and one without a token (an auth failure: a refusal before the handler, which the
     * request timer does not count).
     */
    private void act(ServiceProcess service, int httpPort) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> event = client.send(service.request(httpPort, "/api/v1/events")
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"event_id":"rules-1","timestamp":"2026-11-22T08:00:00Z","source":"fastnetmon",
                             "victim_ip":"198.51.100.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            HttpResponse<String> missing = client.send(service.request(httpPort, "/api/v1/alerts/999999").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/api/v1/alerts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        }
    }

    /** Waits until a POST came to each of {@code paths}: the alert's and the mitigation's notifications. */
    private static void awaitPosts(Receiver hooks, Set<String> paths, ServiceProcess service) throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.containsAll(paths) && System.nanoTime() < deadline) {
            Receiver.Post post = hooks.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (post != null) {
                seen.add(post.path());
            }
        }
        assertThat(seen).as("webhook notifications; service output:%n%s", service.output()).containsAll(paths);
    }

    /**
     * The alerting rules Prometheus loaded from the rules file, each with its measure put in
     * {@code measures}; the failures: a rule that is not as many in the file, not healthy after
     * its evaluation, without its severity, summary, description or {@code for}, or not of the
     * {@code <measure> <comparison> <number>} form.
     */
    private List<String> loadedRules(PrometheusProcess prometheus, Map<String, String> measures) throws Exception {
        long inFile = Files.readAllLines(RULES).stream().filter(l -> l.strip().startsWith("- alert:")).count();
        List<JsonNode> rules = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            rules.clear();
            prometheus.rules().at("/data/groups").forEach(g -> g.path("rules").forEach(rules::add));
            if (rules.size() == inFile && rules.stream().noneMatch(r -> r.path("health").asText().equals("unknown"))) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        List<String> failures = new ArrayList<>();
        if (rules.size() != inFile) {
            failures.add("Prometheus loaded " + rules.size() + " rules of the " + inFile + " in " + RULES.getFileName());
        }
        for (JsonNode rule : rules) {
            String name = "rule " + rule.path("name").asText();
            String expr = rule.path("query").asText();
            if (!rule.path("type").asText().equals("alerting")) {
                failures.add(name + ": not an alerting rule");
            }
            if (!rule.path("health").asText().equals("ok")) {
                failures.add(name + ": health " + rule.path("health").asText() + " " + rule.path("lastError").asText());
            }
            if (rule.path("duration").asDouble() <= 0) {
                failures.add(name + ": no 'for'");
            }
            if (!Set.of("critical", "warning").contains(rule.at("/labels/severity").asText())) {
                failures.add(name + ": severity label neither critical nor warning");
            }
            if (rule.at("/annotations/summary").asText().isBlank() || rule.at("/annotations/description").asText().isBlank()) {
                failures.add(name + ": summary or description annotation missing");
            }
            Matcher m = THRESHOLD.matcher(expr.strip());
            if (m.matches()) {
                measures.put(name + " measure", m.group("measure"));
            } else {
                failures.add(name + ": not '<measure> <comparison> <number>': " + expr);
            }
        }
        return failures;
    }

    /**
     * Polls every query until each returns at least one series or {@link #SERIES_WAIT} passes;
     * the queries that did not, each with Prometheus' answer.
     */
    private static List<String> awaitSeries(PrometheusProcess prometheus, Map<String, String> queries)
            throws Exception {
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + SERIES_WAIT.toNanos();
        do {
            failures.clear();
            for (var query : queries.entrySet()) {
                JsonNode answer = prometheus.query(query.getValue());
                if (!answer.path("status").asText().equals("success")) {
                    failures.add(query.getKey() + ": " + answer.path("error").asText(answer.toString()) + "\n    "
                            + query.getValue());
                } else if (answer.at("/data/result").isEmpty()) {
                    failures.add(query.getKey() + ": no series\n    " + query.getValue());
                }
            }
            if (failures.isEmpty()) {
                break;
            }
            TimeUnit.SECONDS.sleep(1);
        } while (System.nanoTime() < deadline);
        return failures;
    }

    /**
     * Every panel query of every dashboard, named by dashboard, panel and refId, with its
     * variables given values: the dashboard's own (each a regex matcher, so {@code .+}) and
     * Grafana's. Fails on a dashboard that names a data source other than its
     * {@code ${datasource}} variable or a query that uses a variable it does not define.
     */
    private Map<String, String> dashboardQueries() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(DASHBOARDS)) {
            files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("dashboards in %s", DASHBOARDS).isNotEmpty();
        Map<String, String> queries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            JsonNode dashboard = json.readTree(file.toFile());
            Map<String, String> values = new LinkedHashMap<>(GRAFANA_VARIABLES);
            boolean datasourceVariable = false;
            for (JsonNode variable : dashboard.at("/templating/list")) {
                if (variable.path("type").asText().equals("datasource")) {
                    datasourceVariable |= variable.path("name").asText().equals("datasource")
                            && variable.path("query").asText().equals("prometheus");
                } else {
                    values.put(variable.path("name").asText(), ".+");
                }
            }
            if (!datasourceVariable) {
                problems.add(file.getFileName() + ": no 'datasource' variable of type datasource for prometheus");
            }
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            });
            for (JsonNode panel : panels) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                List<JsonNode> sources = new ArrayList<>(List.of(panel.path("datasource")));
                panel.path("targets").forEach(t -> sources.add(t.path("datasource")));
                for (JsonNode source : sources) {
                    if (!source.isMissingNode() && !source.path("uid").asText().equals("${datasource}")) {
                        problems.add(where + ": data source " + source + " is not ${datasource}");
                    }
                }
                for (JsonNode target : panel.path("targets")) {
                    String expr = substitute(target.path("expr").asText(), values);
                    String name = where + " / " + target.path("refId").asText();
                    if (expr.contains("$")) {
                        problems.add(name + ": a variable the dashboard does not define: " + expr);
                    } else {
                        queries.put(name, expr);
                    }
                }
            }
        }
        assertThat(problems).as("dashboard problems").isEmpty();
        return queries;
    }

    /** {@code expr} with each {@code $name}, {@code ${name}} and {@code [[name]]} replaced, longest names first. */
    private static String substitute(String expr, Map<String, String> values) {
        List<String> names = values.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) {
            String value = values.get(name);
            expr = expr.replace("${" + name + "}", value).replace("[[" + name + "]]", value).replace("$" + name, value);
        }
        return expr;
    }

    /** Runs promtool with {@code args}: the empty string when it succeeds, else its exit code and output. */
    private String promtool(String... args) throws Exception {
        Path out = work.resolve("promtool.out");
        Path err = work.resolve("promtool.err");
        List<String> command = new ArrayList<>(List.of(PrometheusProcess.PROMTOOL.toString()));
        command.addAll(List.of(args));
        int exit = Daemon.run(command, out, err, Duration.ofSeconds(60));
        return exit == 0 ? "" : "exit " + exit + ": " + Files.readString(out) + Files.readString(err);
    }
}

package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import net.rampart.server.ServiceProcess.Api;
import net.rampart.server.detect.AlertmanagerProcess;
import net.rampart.server.notify.EximServer;
import net.rampart.server.notify.Receiver;
import net.rampart.server.notify.SyslogMessage;
import net.rampart.server.notify.TestSmtpServer;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection on real processes, from a BGP announcement to a channel: two GoBGP peers feed a
 * GoBGP router whose BMP goes to the running service, which judges the routes against a
 * monitors file and sends its alerts to the channels of their group.
 *
 * <pre>
 *   upstream  gobgpd AS64510 127.0.0.2 ─┐  eBGP          BMP pre-policy
 *                                        ├────▶ router gobgpd AS65000 127.0.0.1 ────▶ service ──▶ API
 *   transit   gobgpd AS64999 127.0.0.3 ─┘                                               │
 *                                                                                       ▼
 *                                         channel receivers: webhook, Alertmanager, syslog, e-mail
 * </pre>
 *
 * The operator's AS is AS64500, with the upstreams AS64510 and AS64511, the downstream AS64520
 * and the peer AS64530. The upstream carries the operator's prefixes as they should be, all
 * along; the transit peer announces one condition after another, each on a prefix of its own so
 * that all four are open at once, and then withdraws them one by one. Last, the upstream withdraws
 * one prefix and announces it again: a visibility loss and its end. Each alert must open with its
 * type, key and taxonomy in the API and at every channel, and close with its restoration notice in
 * both; the legitimate routes must raise nothing.
 *
 * <p>The router sends its pre-policy Adj-RIB-In only: a route its import policy would drop is
 * still announced to it, which is what detection is for, and a router sending both pre- and
 * post-policy views counts each peer twice for visibility (docs/detection.md, "Inputs"). The
 * router's AS is not the operator's, so that paths through AS64500 are not loops to it.
 *
 * <p>Each channel kind is one {@link ChannelReceiver}: it names the channel it wants in the
 * monitors file and reads back the notifications that channel delivered. A new kind of channel
 * is tested here by adding its receiver to the list. The receivers are real where a real one
 * exists: a webhook server, Debian's Prometheus Alertmanager (asked through its API what it
 * holds), a syslog socket reading RFC 5424, and Debian's Exim taking the mails over STARTTLS
 * into a maildir. A receiver whose program is not installed (or, for Exim, that cannot start it
 * without root) is left out and reported; the rest still run.
 */
class DetectionEndToEndIT {

    private static final String ROUTER = "127.0.0.1";
    private static final String UPSTREAM = "127.0.0.2";
    private static final String TRANSIT = "127.0.0.3";
    private static final long ROUTER_AS = 65000;
    private static final long UPSTREAM_AS = 64510;
    private static final long TRANSIT_AS = 64999;
    /** The vantage point of the transit peer's routes: BMP router (by its address), peer, view. */
    private static final String TRANSIT_VANTAGE_POINT = ROUTER + "/" + TRANSIT + "/adj_rib_in_pre";
    private static final String UPSTREAM_VANTAGE_POINT = ROUTER + "/" + UPSTREAM + "/adj_rib_in_pre";
    private static final String VISIBILITY_LOSS = "visibility_loss|192.0.2.0/24";
    private static final String PUBLIC_URL = "https://rampart.example.net";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * One condition the transit peer announces: the route (prefix and AS path as the transit peer
     * is told to send it; the router sees its AS in front) and the alert it must open.
     */
    private record Condition(String prefix, String announcedPath, String type, String key, String taxonomy,
                             String monitoredPrefix, long asn) {

        /** The AS path as the router receives it from the transit peer. */
        String receivedPath() {
            return TRANSIT_AS + " " + announcedPath;
        }
    }

    private static final List<Condition> CONDITIONS = List.of(
            // A foreign origin for the operator's prefix itself.
            new Condition("192.0.2.0/24", "64666", "origin_hijack", "origin_hijack|192.0.2.0/24|AS64666", "E|0|-",
                    "192.0.2.0/24", 64666),
            // A more-specific from the listed origin, through a declared upstream.
            new Condition("198.51.100.128/25", "64510 64500", "new_more_specific",
                    "new_more_specific|198.51.100.128/25|AS64500", "S|-|-", "198.51.100.0/24", 64500),
            // The listed origin reached through AS64777, none of its upstreams.
            new Condition("198.51.100.0/24", "64777 64500", "first_hop_hijack",
                    "first_hop_hijack|198.51.100.0/24|AS64500|AS64777", "E|1|-", "198.51.100.0/24", 64777),
            // AS64500 passes a route from its upstream AS64510 to its downstream AS64520, which
            // passes it on to AS64500's other upstream AS64511: the customer leaks (RFC 7908 type 1).
            // Neither the prefix nor its origin is monitored: the leak is read from the path alone.
            new Condition("100.64.0.0/24", "64511 64520 64500 64510 64700", "route_leak",
                    "route_leak|AS64520|AS64500|AS64511", null, null, 64520));

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void eachConditionOpensAnAlertAtEveryChannelAndItsWithdrawalResolvesIt(TestReporter report) throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp are not installed");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        List<ChannelReceiver> receivers = new ArrayList<>();
        try {
            startReceivers(receivers, report);
            Path monitors = Files.writeString(work.resolve("monitors.yaml"), monitorsFile(receivers));
            Map<String, String> environment = Map.of("RAMPART_HTTP_PORT", Integer.toString(httpPort),
                    "RAMPART_BMP_PORT", Integer.toString(bmpPort), "RAMPART_BMP_ALLOW", ROUTER + "/32",
                    "RAMPART_RTR_PORT", "0", "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", work.resolve("data").toString(),
                    "RAMPART_MONITORS", monitors.toString(), "RAMPART_PUBLIC_URL", PUBLIC_URL);
            try (ServiceProcess service = ServiceProcess.start(environment)) {
                assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
                Api api = service.api(httpPort);
                try (GoBgpDaemon router = GoBgpDaemon.start(work, "gobgpd-router", routerConfig(bgpPort, bmpPort));
                     GoBgpDaemon upstream = GoBgpDaemon.start(work, "gobgpd-upstream",
                             peerConfig(UPSTREAM_AS, UPSTREAM, bgpPort));
                     GoBgpDaemon transit = GoBgpDaemon.start(work, "gobgpd-transit",
                             peerConfig(TRANSIT_AS, TRANSIT, bgpPort))) {
                    await("both BGP sessions", () -> router.established(UPSTREAM) && router.established(TRANSIT),
                            () -> router.log() + upstream.log() + transit.log());

                    // The operator's prefixes as they should be seen: nothing to alert on.
                    upstream.cli("global", "rib", "add", "192.0.2.0/24", "aspath", "64500");
                    upstream.cli("global", "rib", "add", "198.51.100.0/24", "aspath", "64500");
                    await("the upstream's routes in the service", () -> routeCount(api, UPSTREAM) == 2,
                            service::output);

                    Map<String, Long> ids = new TreeMap<>();
                    for (Condition condition : CONDITIONS) {
                        transit.cli("global", "rib", "add", condition.prefix(), "aspath", condition.announcedPath());
                        JsonNode alert = awaitAlert(api, condition.key(), "open", service);
                        assertOpened(condition, alert, api);
                        ids.put(condition.key(), alert.path("id").asLong());
                        assertDelivered(receivers, expected("opened", alert, alert.path("summary").asText()));
                    }

                    String restored = "restored: the last route showing it was withdrawn at " + TRANSIT_VANTAGE_POINT;
                    for (Condition condition : CONDITIONS) {
                        transit.cli("global", "rib", "del", condition.prefix());
                        JsonNode alert = awaitAlert(api, condition.key(), "resolved", service);
                        assertThat(alert.path("id").asLong()).as("the alert that opened").isEqualTo(ids.get(condition.key()));
                        assertThat(restorationNotice(api, alert)).as(condition.key()).isEqualTo(restored);
                        assertDelivered(receivers, expected("resolved", alert, restored));
                    }

                    // The upstream, the one vantage point that carried 192.0.2.0/24 from its origin
                    // (the transit's hijack never did), loses it and then carries it again.
                    upstream.cli("global", "rib", "del", "192.0.2.0/24");
                    JsonNode lost = awaitAlert(api, VISIBILITY_LOSS, "open", service);
                    assertThat(lost.path("type").asText()).isEqualTo("visibility_loss");
                    assertThat(text(lost.path("taxonomy"))).isNull();
                    assertThat(lost.path("monitored_prefix").asText()).isEqualTo("192.0.2.0/24");
                    assertThat(api.get("/api/v1/alerts/" + lost.path("id").asLong()).path("evidence"))
                            .singleElement().satisfies(e -> {
                                assertThat(e.path("vantage_point").asText()).isEqualTo(UPSTREAM_VANTAGE_POINT);
                                assertThat(e.path("as_path").asText()).as("a withdrawal has no path").isEmpty();
                            });
                    assertDelivered(receivers, expected("opened", lost, lost.path("summary").asText()));
                    upstream.cli("global", "rib", "add", "192.0.2.0/24", "aspath", "64500");
                    JsonNode back = awaitAlert(api, VISIBILITY_LOSS, "resolved", service);
                    assertThat(back.path("id").asLong()).isEqualTo(lost.path("id").asLong());
                    String notice = restorationNotice(api, back);
                    assertThat(notice).startsWith("restored: ").contains("192.0.2.0/24")
                            .endsWith("the latest " + UPSTREAM_VANTAGE_POINT);
                    assertDelivered(receivers, expected("resolved", back, notice));

                    // The legitimate routes raised nothing, and each condition opened exactly one alert.
                    JsonNode all = api.get("/api/v1/alerts?limit=100").path("items");
                    Map<String, String> states = new TreeMap<>();
                    all.forEach(a -> states.put(a.path("key").asText(), a.path("state").asText()));
                    Map<String, String> expected = new TreeMap<>();
                    CONDITIONS.forEach(c -> expected.put(c.key(), "resolved"));
                    expected.put(VISIBILITY_LOSS, "resolved");
                    assertThat(states).as(all.toString()).isEqualTo(expected);
                    assertThat(all).hasSize(expected.size());
                    for (ChannelReceiver receiver : receivers) {
                        receiver.assertEachToldOnce(expected.size());
                    }
                }
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            }
        } finally {
            for (ChannelReceiver receiver : receivers.reversed()) {
                receiver.close();
            }
        }
    }

    /**
     * The receivers, each started and added as it comes so that a failure to start one still
     * stops those before it; one whose program is missing is reported and left out.
     */
    private void startReceivers(List<ChannelReceiver> receivers, TestReporter report) throws Exception {
        receivers.add(new WebhookReceiver());
        if (AlertmanagerProcess.installed()) {
            receivers.add(new AlertmanagerReceiver(AlertmanagerProcess.start(Files.createDirectories(
                    work.resolve("alertmanager")), WAIT)));
        } else {
            skipped(report, "alertmanager", AlertmanagerProcess.BINARY + " is not installed");
        }
        receivers.add(new SyslogReceiver());
        String noMail = EximServer.unavailable();
        if (noMail == null) {
            Path dir = Files.createDirectories(work.resolve("mail"));
            TestSmtpServer.Certificate certificate = TestSmtpServer.Certificate.makeRsa(dir);
            receivers.add(new MailReceiver(EximServer.start(dir, certificate, WAIT), certificate.pem()));
        } else {
            skipped(report, "email", noMail);
        }
    }

    private static void skipped(TestReporter report, String channel, String why) {
        report.publishEntry("skipped channel " + channel, why);
        System.err.println("DetectionEndToEndIT: the " + channel + " channel is not tested: " + why);
    }

    /** The notification every channel must deliver of {@code alert} as the API shows it, with {@code notice}. */
    private static Notification expected(String event, JsonNode alert, String notice) {
        return new Notification(event, alert.path("key").asText(), alert.path("type").asText(),
                alert.path("prefix").asText(), alert.path("state").asText(), text(alert.path("taxonomy")), notice,
                PUBLIC_URL + "/api/v1/alerts/" + alert.path("id").asLong());
    }

    /** Each receiver got {@code expected}, in every field its kind of channel carries. */
    private static void assertDelivered(List<ChannelReceiver> receivers, Notification expected) throws Exception {
        for (ChannelReceiver receiver : receivers) {
            Notification delivered = receiver.await(expected.event(), expected.key(), WAIT);
            assertThat(delivered).as(receiver.name() + ": " + expected.event() + " " + expected.key())
                    .usingRecursiveComparison()
                    .ignoringFields(receiver.notCarried(expected.event()).toArray(String[]::new))
                    .isEqualTo(expected);
        }
    }

    /** What the API shows of a newly opened alert: the condition's finding and the transit route as evidence. */
    private void assertOpened(Condition condition, JsonNode alert, Api api) throws Exception {
        assertThat(alert.path("type").asText()).isEqualTo(condition.type());
        assertThat(alert.path("state").asText()).isEqualTo("open");
        assertThat(alert.path("prefix").asText()).isEqualTo(condition.prefix());
        assertThat(text(alert.path("taxonomy"))).as(condition.key()).isEqualTo(condition.taxonomy());
        assertThat(text(alert.path("monitored_prefix"))).isEqualTo(condition.monitoredPrefix());
        assertThat(alert.path("asn").asLong()).isEqualTo(condition.asn());
        assertThat(alert.path("group").asText()).isEqualTo("noc");
        JsonNode shown = api.get("/api/v1/alerts/" + alert.path("id").asLong());
        assertThat(shown.path("evidence")).as(shown.toString()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("vantage_point").asText()).isEqualTo(TRANSIT_VANTAGE_POINT);
            assertThat(e.path("prefix").asText()).isEqualTo(condition.prefix());
            assertThat(e.path("as_path").asText()).isEqualTo(condition.receivedPath());
        });
        assertThat(shown.path("timeline").get(0).path("note").asText()).isEqualTo(alert.path("summary").asText());
    }

    /** The note of a resolved alert's last timeline entry, which must be the detector's resolution. */
    private static String restorationNotice(Api api, JsonNode alert) throws Exception {
        JsonNode timeline = api.get("/api/v1/alerts/" + alert.path("id").asLong()).path("timeline");
        JsonNode last = timeline.get(timeline.size() - 1);
        assertThat(last.path("state").asText()).as(timeline.toString()).isEqualTo("resolved");
        assertThat(last.path("by").asText()).as(timeline.toString()).isEqualTo("detector");
        return last.path("note").asText();
    }

    /** The alert of {@code key} once it is in {@code state}; fails with the service's output if it never is. */
    private JsonNode awaitAlert(Api api, String key, String state, ServiceProcess service) throws Exception {
        JsonNode[] found = new JsonNode[1];
        await(key + " " + state, () -> {
            found[0] = alert(api, key, state).orElse(null);
            return found[0] != null;
        }, () -> "alerts: " + alerts(api) + "\n" + service.output());
        return found[0];
    }

    private static Optional<JsonNode> alert(Api api, String key, String state) {
        try {
            for (JsonNode a : api.get("/api/v1/alerts?limit=100&state=" + state).path("items")) {
                if (a.path("key").asText().equals(key)) {
                    return Optional.of(a);
                }
            }
        } catch (Exception notYet) {
            // asked again until the deadline
        }
        return Optional.empty();
    }

    private static String alerts(Api api) {
        try {
            return api.get("/api/v1/alerts?limit=100").toString();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private static long routeCount(Api api, String peer) {
        try {
            return api.get("/api/v1/routes?peer=" + peer + "&view=adj-rib-in-pre").path("matched").asLong(-1);
        } catch (Exception notYet) {
            return -1;
        }
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static void await(String what, BooleanSupplier condition, Supplier<String> context)
            throws InterruptedException {
        if (!Daemon.await(WAIT, condition)) {
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "\n" + context.get());
        }
    }

    /**
     * The operator's monitors: two prefixes of AS64500, its declared neighbours, and one group
     * whose channels are the receivers'. 198.51.100.0/24 leaves out {@code visibility_loss}: the
     * more-specific the test withdraws for good would otherwise stay in visibility loss, a
     * correct alert but not one of the conditions under test.
     */
    private static String monitorsFile(List<ChannelReceiver> receivers) {
        StringBuilder channels = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (ChannelReceiver receiver : receivers) {
            names.add(receiver.name());
            channels.append("  ").append(receiver.name()).append(": ").append(receiver.channel()).append('\n');
        }
        return """
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                    group: noc
                  - prefix: 198.51.100.0/24
                    origins: [AS64500]
                    group: noc
                    exclude: [visibility_loss]
                asns:
                  - asn: AS64500
                    upstreams: [AS64510, AS64511]
                    downstreams: [AS64520]
                    peers: [AS64530]
                    group: noc
                groups:
                  noc: {channels: [%s]}
                channels:
                %s""".formatted(String.join(", ", names), channels);
    }

    /** The router: both peers' sessions, waited for on loopback, and its BMP station the service. */
    private static String routerConfig(int bgpPort, int bmpPort) {
        return GoBgpDaemon.config(ROUTER_AS, "10.0.0.1").port(bgpPort).localAddress(ROUTER)
                .neighbor(GoBgpDaemon.neighbor(UPSTREAM, UPSTREAM_AS).passive().families("ipv4-unicast"))
                .neighbor(GoBgpDaemon.neighbor(TRANSIT, TRANSIT_AS).passive().families("ipv4-unicast"))
                .bmpServer(bmpPort, "pre-policy").toml();
    }

    /** A peer of the router at {@code address}, retrying its connection every second until the router listens. */
    private static String peerConfig(long asn, String address, int bgpPort) {
        return GoBgpDaemon.config(asn, address).localAddress(address)
                .neighbor(GoBgpDaemon.neighbor(ROUTER, ROUTER_AS).localAddress(address).remotePort(bgpPort)
                        .connectRetry(1).families("ipv4-unicast"))
                .toml();
    }

    /** One alert notification as a channel delivered it, in the fields a channel may carry. */
    record Notification(String event, String key, String type, String prefix, String state, String taxonomy,
                        String notice, String link) {
    }

    /** A receiver of one kind of channel: what the monitors file says of it, and what it received. */
    interface ChannelReceiver extends AutoCloseable {

        /** The channel's name in the monitors file. */
        String name();

        /** The channel's definition, a YAML flow mapping for its entry under {@code channels:}. */
        String channel();

        /** The notification of {@code event} for the alert of {@code key}; fails when none arrived within {@code wait}. */
        Notification await(String event, String key, Duration wait) throws Exception;

        /** The {@link Notification} fields this kind of channel does not carry for {@code event}, not compared. */
        default Set<String> notCarried(String event) {
            return Set.of();
        }

        /** Every notification received so far. */
        List<Notification> deliveries();

        /** It was told of each of {@code alerts} alerts' opening and resolution once, and of nothing else. */
        default void assertEachToldOnce(int alerts) {
            List<Notification> all = deliveries();
            assertThat(all).as(name() + ": one opened and one resolved each").hasSize(2 * alerts);
            assertThat(all.stream().map(n -> n.event() + " " + n.key()).distinct()).as(name() + ": " + all)
                    .hasSize(2 * alerts);
        }

        @Override
        void close() throws Exception;
    }

    /** The webhook channel: a real HTTP server on loopback, with a header the service must send along. */
    private final class WebhookReceiver implements ChannelReceiver {

        private static final String PATH = "/hooks/rampart";
        private static final String AUTHORIZATION = "Bearer end-to-end";

        private final Receiver receiver = new Receiver();
        private final List<Notification> received = new ArrayList<>();

        WebhookReceiver() throws IOException {
        }

        @Override
        public String name() {
            return "noc-hook";
        }

        @Override
        public String channel() {
            return "{type: webhook, url: '" + receiver.url(PATH) + "', headers: {Authorization: " + AUTHORIZATION + "}}";
        }

        @Override
        public Notification await(String event, String key, Duration wait) throws Exception {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                for (Notification n : received) {
                    if (n.event().equals(event) && n.key().equals(key)) {
                        return n;
                    }
                }
                long left = deadline - System.nanoTime();
                Receiver.Post post = left <= 0 ? null : receiver.next(Duration.ofNanos(left));
                if (post == null) {
                    throw new AssertionError("no webhook '" + event + "' for " + key + " within " + wait
                            + "; received " + received);
                }
                received.add(notification(post));
            }
        }

        /** A POST as the service must send it, read as a notification. */
        private Notification notification(Receiver.Post post) {
            assertThat(post.path()).isEqualTo(PATH);
            assertThat(post.headers()).containsEntry("authorization", AUTHORIZATION)
                    .containsEntry("content-type", "application/json");
            try {
                JsonNode body = json.readTree(post.body());
                JsonNode alert = body.path("alert");
                return new Notification(body.path("event").asText(), alert.path("key").asText(),
                        alert.path("type").asText(), alert.path("prefix").asText(), alert.path("state").asText(),
                        text(alert.path("taxonomy")), alert.path("notice").asText(), alert.path("link").asText());
            } catch (IOException e) {
                throw new AssertionError("a webhook body that is not JSON: " + post.body(), e);
            }
        }

        @Override
        public List<Notification> deliveries() {
            // Whatever arrived and was not read yet counts too: a duplicate must not go unseen.
            Receiver.Post post;
            while ((post = receiver.rest().poll()) != null) {
                received.add(notification(post));
            }
            return List.copyOf(received);
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    /**
     * The alertmanager channel, to a real Alertmanager asked through its API what it holds: an
     * open alert is active there with Rampart's labels and annotations, and a resolved one is
     * no longer listed, Alertmanager listing only alerts that have not ended. What Rampart sent
     * with the resolution (its end time, the notice) Alertmanager keeps to itself, so a
     * resolution is seen as the alert's absence only.
     */
    private static final class AlertmanagerReceiver implements ChannelReceiver {

        private final AlertmanagerProcess alertmanager;
        /** What was seen: an alert active, then gone. */
        private final List<Notification> seen = new ArrayList<>();

        AlertmanagerReceiver(AlertmanagerProcess alertmanager) {
            this.alertmanager = alertmanager;
        }

        @Override
        public String name() {
            return "noc-alertmanager";
        }

        @Override
        public String channel() {
            return "{type: alertmanager, url: '" + alertmanager.base() + "'}";
        }

        @Override
        public Notification await(String event, String key, Duration wait) throws Exception {
            boolean opened = event.equals("opened");
            BooleanSupplier there = opened
                    ? () -> alertmanager.held(key).filter(a -> "active".equals(a.at("/status/state").asText())).isPresent()
                    : () -> alertmanager.held(key).isEmpty();
            if (!Daemon.await(wait, there)) {
                throw new AssertionError("Alertmanager did not show " + key + " as " + (opened ? "active" : "ended")
                        + " within " + wait + "; it holds " + alertmanager.alerts() + "\n" + alertmanager.log());
            }
            Notification n = opened ? notification(alertmanager.held(key).orElseThrow())
                    : new Notification(event, key, null, null, "resolved", null, null, null);
            seen.add(n);
            return n;
        }

        /** An active alert as Alertmanager lists it, with the labels it routes on checked against each other. */
        private static Notification notification(JsonNode alert) {
            String type = alert.at("/labels/type").asText();
            String link = alert.at("/generatorURL").asText();
            assertThat(alert.at("/labels/alertname").asText()).as(alert.toString()).isEqualTo("rampart_" + type);
            assertThat(alert.at("/labels/group").asText()).as(alert.toString()).isEqualTo("noc");
            assertThat(alert.at("/annotations/link").asText()).as(alert.toString()).isEqualTo(link);
            return new Notification("opened", alert.at("/labels/key").asText(), type,
                    alert.at("/labels/prefix").asText(), "open", text(alert.at("/annotations/taxonomy")),
                    alert.at("/annotations/summary").asText(), link);
        }

        @Override
        public Set<String> notCarried(String event) {
            return event.equals("opened") ? Set.of() : Set.of("type", "prefix", "taxonomy", "notice", "link");
        }

        @Override
        public List<Notification> deliveries() {
            return List.copyOf(seen);
        }

        /** Each alert was seen active and then ended, and Alertmanager holds no alert any more. */
        @Override
        public void assertEachToldOnce(int alerts) {
            ChannelReceiver.super.assertEachToldOnce(alerts);
            assertThat(alertmanager.alerts()).as("alerts Alertmanager still holds").isEmpty();
        }

        @Override
        public void close() throws InterruptedException {
            alertmanager.close();
        }
    }

    /**
     * The syslog channel over UDP: a socket on loopback, each datagram one RFC 5424 message,
     * parsed field by field. The channel uses facility local3 (19), not the default, so that the
     * PRI shows the setting taken; its severity tells an opening (warning) from a resolution
     * (notice). Syslog does not carry the taxonomy.
     */
    private static final class SyslogReceiver implements ChannelReceiver {

        private static final int FACILITY = 19;
        /** PRI, version 1, timestamp, hostname, app-name, procid, msgid, then structured data and message. */
        private static final Pattern HEADER = Pattern.compile(
                "<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (.*)", Pattern.DOTALL);

        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final List<Notification> received = new ArrayList<>();

        SyslogReceiver() throws IOException {
        }

        @Override
        public String name() {
            return "noc-syslog";
        }

        @Override
        public String channel() {
            return "{type: syslog, host: 127.0.0.1, port: " + socket.getLocalPort() + ", facility: local3}";
        }

        @Override
        public Notification await(String event, String key, Duration wait) throws Exception {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                for (Notification n : received) {
                    if (n.event().equals(event) && n.key().equals(key)) {
                        return n;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                String message = left <= 0 ? null : receive((int) left);
                if (message == null) {
                    throw new AssertionError("no syslog '" + event + "' for " + key + " within " + wait
                            + "; received " + received);
                }
                received.add(notification(message));
            }
        }

        /** The next datagram's text, or null when none comes within {@code millis}. */
        private String receive(int millis) throws IOException {
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            socket.setSoTimeout(Math.max(1, millis));
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException none) {
                return null;
            }
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        }

        /** An RFC 5424 message as Rampart sends it: one SD element with the alert, then the notice. */
        private static Notification notification(String message) {
            Matcher header = HEADER.matcher(message);
            assertThat(header.matches()).as("RFC 5424: %s", message).isTrue();
            int pri = Integer.parseInt(header.group(1));
            assertThat(pri / 8).as("facility: %s", message).isEqualTo(FACILITY);
            assertThat(header.group(2)).as("a UTC timestamp in milliseconds: %s", message)
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(header.group(4)).as("app-name: %s", message).isEqualTo("rampart");
            String event = switch (header.group(6)) {
                case "alert_opened" -> "opened";
                case "alert_resolved" -> "resolved";
                default -> throw new AssertionError("msgid: " + message);
            };
            String state = switch (pri % 8) {
                case SyslogMessage.WARNING -> "open";
                case SyslogMessage.NOTICE -> "resolved";
                default -> throw new AssertionError("severity: " + message);
            };
            String rest = header.group(7);
            assertThat(rest).as(message).startsWith("[alert@32473 ");
            Map<String, String> params = new LinkedHashMap<>();
            int i = "[alert@32473".length();
            while (rest.charAt(i) == ' ') {
                int equals = rest.indexOf("=\"", i);
                String name = rest.substring(i + 1, equals);
                StringBuilder value = new StringBuilder();
                // A value ends at its first unescaped quote; \", \\ and \] stand for the character.
                for (i = equals + 2; rest.charAt(i) != '"'; i++) {
                    value.append(rest.charAt(i) == '\\' ? rest.charAt(++i) : rest.charAt(i));
                }
                params.put(name, value.toString());
                i++;
            }
            assertThat(rest.charAt(i)).as("one SD element: %s", message).isEqualTo(']');
            assertThat(rest.substring(i + 1)).as(message).startsWith(" ");
            assertThat(params).as(message).containsEntry("group", "noc")
                    .hasEntrySatisfying("link", link -> assertThat(link).endsWith("/alerts/" + params.get("id")));
            return new Notification(event, params.get("key"), params.get("type"), params.get("prefix"), state, null,
                    rest.substring(i + 2), params.get("link"));
        }

        @Override
        public Set<String> notCarried(String event) {
            return Set.of("taxonomy");
        }

        @Override
        public List<Notification> deliveries() {
            // Whatever arrived and was not read yet counts too: a duplicate must not go unseen.
            try {
                String message;
                while ((message = receive(1)) != null) {
                    received.add(notification(message));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return List.copyOf(received);
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /**
     * The email channel, to a real MTA: Exim on loopback, offering STARTTLS with a self-signed
     * certificate the channel trusts through its {@code ca_file}, delivers each mail into a
     * maildir read here. Its Received header shows the mail came over TLS (ESMTPS).
     */
    private static final class MailReceiver implements ChannelReceiver {

        private static final Pattern SUBJECT = Pattern.compile("\\[rampart] (Resolved: )?(\\S+) (\\S+) \\((\\S+)\\)");

        private final EximServer exim;
        private final Path caFile;

        MailReceiver(EximServer exim, Path caFile) {
            this.exim = exim;
            this.caFile = caFile;
        }

        @Override
        public String name() {
            return "noc-mail";
        }

        @Override
        public String channel() {
            return "{type: email, host: 127.0.0.1, port: " + exim.port() + ", from: rampart@example.net,"
                    + " to: [noc@example.net], ca_file: '" + caFile + "'}";
        }

        @Override
        public Notification await(String event, String key, Duration wait) throws Exception {
            Notification[] found = new Notification[1];
            Daemon.await(wait, () -> {
                found[0] = deliveries().stream().filter(n -> n.event().equals(event) && n.key().equals(key))
                        .findFirst().orElse(null);
                return found[0] != null;
            });
            if (found[0] == null) {
                throw new AssertionError("no mail '" + event + "' for " + key + " within " + wait + "; received "
                        + deliveries() + "\n" + exim.log());
            }
            return found[0];
        }

        /** A mail as Exim stored it: its headers (folded lines joined), then the plain-text body. */
        private static Notification notification(String mail) {
            int split = mail.indexOf("\n\n");
            assertThat(split).as("a mail with a body: %s", mail).isPositive();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : mail.substring(0, split).replaceAll("\r?\n[ \t]+", " ").split("\r?\n")) {
                int colon = line.indexOf(':');
                // Exim's Received comes first; the header a mail has twice is not one Rampart sets.
                headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            assertThat(headers.get("received")).as("received over STARTTLS: %s", mail).contains(" with esmtps ");
            assertThat(headers).as(mail).containsEntry("from", "rampart@example.net")
                    .containsEntry("to", "noc@example.net");
            String body = mail.substring(split + 2);
            if ("base64".equalsIgnoreCase(headers.get("content-transfer-encoding"))) {
                body = new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8);
            }
            Matcher subject = SUBJECT.matcher(headers.getOrDefault("subject", ""));
            assertThat(subject.matches()).as("subject: %s", mail).isTrue();
            assertThat(subject.group(4)).as("group: %s", mail).isEqualTo("noc");
            boolean resolved = subject.group(1) != null;
            List<String> lines = body.lines().toList();
            int heading = IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith("Alert "))
                    .findFirst().orElseThrow(() -> new AssertionError("no 'Alert' line: " + mail));
            // A resolution's notice comes before the alert's heading; an opening's is the summary under it.
            String notice = resolved ? String.join("\n", lines.subList(0, heading)).strip() : lines.get(heading + 1);
            List<String> fields = lines.subList(heading, lines.size());
            return new Notification(resolved ? "resolved" : "opened", field(fields, "Key:"), subject.group(2),
                    subject.group(3), field(fields, "Resolved:") == null ? "open" : "resolved",
                    field(fields, "Taxonomy:"), notice, lines.getLast().strip());
        }

        /** The value of the body line starting with {@code label}, or null when there is none. */
        private static String field(List<String> lines, String label) {
            return lines.stream().filter(l -> l.startsWith(label)).map(l -> l.substring(label.length()).strip())
                    .findFirst().orElse(null);
        }

        @Override
        public List<Notification> deliveries() {
            return exim.mails().stream().map(MailReceiver::notification).toList();
        }

        @Override
        public void close() throws InterruptedException {
            exim.close();
        }
    }
}

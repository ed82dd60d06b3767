package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import net.rampart.server.ServiceProcess.Api;
import net.rampart.server.notify.Receiver;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.Test;
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
 *                                                                         channel receivers (webhook)
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
 * is tested here by adding its receiver to the list.
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
    void eachConditionOpensAnAlertAtEveryChannelAndItsWithdrawalResolvesIt() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd/gobgp are not installed");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            List<ChannelReceiver> receivers = List.of(webhook);
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
                        for (ChannelReceiver receiver : receivers) {
                            Notification opened = receiver.await("opened", condition.key(), WAIT);
                            assertThat(opened.type()).as(receiver.name()).isEqualTo(condition.type());
                            assertThat(opened.state()).as(receiver.name()).isEqualTo("open");
                            assertThat(opened.taxonomy()).as(receiver.name()).isEqualTo(condition.taxonomy());
                            assertThat(opened.notice()).as(receiver.name()).isEqualTo(alert.path("summary").asText());
                            assertThat(opened.link()).as(receiver.name())
                                    .isEqualTo(PUBLIC_URL + "/api/v1/alerts/" + alert.path("id").asLong());
                        }
                    }

                    String restored = "restored: the last route showing it was withdrawn at " + TRANSIT_VANTAGE_POINT;
                    for (Condition condition : CONDITIONS) {
                        transit.cli("global", "rib", "del", condition.prefix());
                        JsonNode alert = awaitAlert(api, condition.key(), "resolved", service);
                        assertThat(alert.path("id").asLong()).as("the alert that opened").isEqualTo(ids.get(condition.key()));
                        assertThat(restorationNotice(api, alert)).as(condition.key()).isEqualTo(restored);
                        for (ChannelReceiver receiver : receivers) {
                            Notification resolved = receiver.await("resolved", condition.key(), WAIT);
                            assertThat(resolved.state()).as(receiver.name()).isEqualTo("resolved");
                            assertThat(resolved.notice()).as(receiver.name()).isEqualTo(restored);
                        }
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
                    for (ChannelReceiver receiver : receivers) {
                        Notification opened = receiver.await("opened", VISIBILITY_LOSS, WAIT);
                        assertThat(opened.type()).as(receiver.name()).isEqualTo("visibility_loss");
                        assertThat(opened.notice()).as(receiver.name()).isEqualTo(lost.path("summary").asText());
                    }
                    upstream.cli("global", "rib", "add", "192.0.2.0/24", "aspath", "64500");
                    JsonNode back = awaitAlert(api, VISIBILITY_LOSS, "resolved", service);
                    assertThat(back.path("id").asLong()).isEqualTo(lost.path("id").asLong());
                    String notice = restorationNotice(api, back);
                    assertThat(notice).startsWith("restored: ").contains("192.0.2.0/24")
                            .endsWith("the latest " + UPSTREAM_VANTAGE_POINT);
                    for (ChannelReceiver receiver : receivers) {
                        assertThat(receiver.await("resolved", VISIBILITY_LOSS, WAIT).notice()).as(receiver.name())
                                .isEqualTo(notice);
                    }

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
                        assertThat(receiver.deliveries()).as(receiver.name() + ": one opened and one resolved each")
                                .hasSize(2 * expected.size());
                    }
                }
                assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
            }
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

    /** One alert notification as a channel delivered it, in the fields every kind of channel carries. */
    record Notification(String event, String key, String type, String state, String taxonomy, String notice,
                        String link) {
    }

    /** A receiver of one kind of channel: what the monitors file says of it, and what it received. */
    interface ChannelReceiver extends AutoCloseable {

        /** The channel's name in the monitors file. */
        String name();

        /** The channel's definition, a YAML flow mapping for its entry under {@code channels:}. */
        String channel();

        /** The notification of {@code event} for the alert of {@code key}; fails when none arrived within {@code wait}. */
        Notification await(String event, String key, Duration wait) throws Exception;

        /** Every notification received so far. */
        List<Notification> deliveries();

        @Override
        void close();
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
                        alert.path("type").asText(), alert.path("state").asText(), text(alert.path("taxonomy")),
                        alert.path("notice").asText(), alert.path("link").asText());
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
}

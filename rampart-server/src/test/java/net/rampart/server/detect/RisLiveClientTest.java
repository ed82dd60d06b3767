package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import net.rampart.detect.route.RouteObservation;
import net.rampart.server.config.RisLiveConfig;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a RIS Live server the test runs on 127.0.0.1 (Javalin on Jetty), which
 * speaks RIS Live's message format: it records what the client sends, answers pings with pongs
 * while told to, and sends what the test gives it. Every wait is for a condition, bounded by
 * {@link #WAIT} so that a broken client fails instead of hanging.
 */
class RisLiveClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IpPrefix CANARY = IpPrefix.parse("84.205.64.0/24");
    private static final String MONITORS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
              - prefix: 2607:ffc0::/32
                origins: [AS13340]
              - prefix: 192.0.2.128/25
                origins: [AS64500]
            """;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final DetectionFeed feed = new DetectionFeed(64, metrics);
    private final BlockingQueue<WsContext> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();
    private final List<String> clients = new ArrayList<>();
    private volatile boolean answerPings = true;
    private Javalin server;
    private MonitorsFile monitors;
    private RisLiveClient client;

    private void start(Duration pingInterval, Duration silence) throws Exception {
        server = Javalin.create().ws("/v1/ws/", ws -> {
            ws.onConnect(ctx -> {
                synchronized (clients) {
                    clients.add(ctx.queryParam("client"));
                }
                connections.add(ctx);
            });
            ws.onMessage(ctx -> {
                sent.add(ctx.message());
                if (answerPings && JSON.readTree(ctx.message()).path("type").asText().equals("ping")) {
                    ctx.send("{\"type\":\"pong\",\"data\":null}");
                }
            });
        }).start("127.0.0.1", 0);
        monitors = MonitorsFile.open(Files.writeString(dir.resolve("monitors.yaml"), MONITORS), Clock.systemUTC());
        RisLiveConfig config = new RisLiveConfig(
                Optional.of(RisLiveConfig.withClient(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws/"))),
                List.of(CANARY), silence, pingInterval, Duration.ofMillis(10), Duration.ofMillis(50));
        client = new RisLiveClient(config, monitors, feed, JSON, metrics);
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop(Duration.ofSeconds(2));
        }
        if (server != null) {
            server.stop();
        }
    }

    private WsContext nextConnection() throws InterruptedException {
        WsContext ctx = connections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(ctx).as("a connection from the client").isNotNull();
        return ctx;
    }

    private JsonNode next() throws Exception {
        String text = sent.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(text).as("a message from the client").isNotNull();
        return JSON.readTree(text);
    }

    /** The client's next message of {@code type}, skipping others. */
    private JsonNode nextSent(String type) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = sent.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (text != null && JSON.readTree(text).path("type").asText().equals(type)) {
                return JSON.readTree(text);
            }
        }
        throw new AssertionError("the client sent no " + type);
    }

    /** The subscriptions of one connection: each prefix (or message type) with its more-specific flag. */
    private Set<String> subscriptions(int count) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            seen.add(subscription(nextSent("ris_subscribe").path("data")));
        }
        return seen;
    }

    /** A subscription's filter as text: prefix, more-specifics and message type, or the type alone. */
    private static String subscription(JsonNode data) {
        assertThat(data.path("socketOptions").path("includeRaw").asBoolean(true)).isFalse();
        return data.has("prefix") ? data.path("prefix").asText() + " " + data.path("moreSpecific").asBoolean()
                + " " + data.path("type").asText() : data.path("type").asText();
    }

    private static final Set<String> SUBSCRIPTIONS = Set.of("RIS_PEER_STATE", "84.205.64.0/24 false UPDATE",
            "192.0.2.0/24 true UPDATE", "2607:ffc0::/32 true UPDATE");

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(5_000_000);
        }
    }

    private double reconnects(String reason) {
        Counter counter = metrics.find("rampart_detect_ris_live_reconnects_total").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<RouteObservation> nextObservations() throws InterruptedException {
        DetectionFeed.Batch batch = feed.poll(WAIT.toMillis());
        assertThat(batch).as("routes handed to the detection thread").isInstanceOf(DetectionFeed.Observations.class);
        return ((DetectionFeed.Observations) batch).routes();
    }

    private static String update(String host, String peer, String path, String announced, String withdrawn) {
        return "{\"type\":\"ris_message\",\"data\":{\"timestamp\":1700000000.25,\"peer\":\"" + peer
                + "\",\"peer_asn\":\"64496\",\"id\":\"x\",\"host\":\"" + host + "\",\"type\":\"UPDATE\",\"path\":" + path
                + ",\"origin\":\"igp\",\"announcements\":[{\"next_hop\":\"" + peer + "\",\"prefixes\":" + announced
                + "}],\"withdrawals\":" + withdrawn + "}}";
    }

    @Test
    void subscribesToEveryMonitoredPrefixWithItsMoreSpecificsAndToTheCanary() throws Exception {
        start(Duration.ofMillis(300), Duration.ofMinutes(5));
        nextConnection();

        // Everything the client sends before its first ping, which it sends after subscribing:
        // 192.0.2.128/25 comes with 192.0.2.0/24's more-specifics, and is not subscribed to again.
        List<JsonNode> beforePing = new ArrayList<>();
        for (JsonNode message = next(); !message.path("type").asText().equals("ping"); message = next()) {
            beforePing.add(message);
        }
        assertThat(beforePing).extracting(m -> m.path("type").asText()).containsOnly("ris_subscribe");
        assertThat(beforePing).extracting(m -> subscription(m.path("data")))
                .containsExactlyInAnyOrderElementsOf(SUBSCRIPTIONS);
        synchronized (clients) {
            assertThat(clients).containsExactly("rampart");
        }
        await("the connected gauge", () -> metrics.get("rampart_detect_ris_live_connected").gauge().value() == 1);
    }

    @Test
    void routesOfMonitoredPrefixesReachTheDetectionThreadAndTheCanarysDoNot() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMinutes(5));
        WsContext server = nextConnection();
        subscriptions(4);

        server.send(update("rrc00", "192.0.2.254", "[64496,64666]", "[\"84.205.64.0/24\"]", "[]"));
        server.send(update("rrc00", "192.0.2.254", "[64496,64500]", "[\"192.0.2.128/25\",\"192.0.2.0/24\"]",
                "[\"192.0.2.64/26\"]"));
        for (String line : RisLiveMessagesTest.recorded("morrowc-rislive-as-set.jsonl")) {
            server.send(line);
        }
        server.send("{\"type\":\"ris_message\",\"data\":{\"type\":\"UPDATE\"}}");

        List<RouteObservation> first = nextObservations();
        assertThat(first).extracting(r -> r.prefix().toString() + (r.withdrawn() ? " withdrawn" : ""))
                .containsExactly("192.0.2.128/25", "192.0.2.0/24", "192.0.2.64/26 withdrawn");
        assertThat(first.get(0).vantagePoint()).isEqualTo("rrc00/192.0.2.254/ris");
        assertThat(first.get(0).asPath()).containsExactly(64496, 64500);
        List<RouteObservation> recorded = nextObservations();
        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.vantagePoint()).isEqualTo("rrc11/2001:504:1::a500:2497:1/ris");
            assertThat(r.originIsAsSet()).isTrue();
        });
        await("the malformed message counted",
                () -> metrics.get("rampart_detect_ris_live_malformed_total").counter().count() == 1);
        assertThat(metrics.get("rampart_detect_ris_live_messages_total").counter().count()).isEqualTo(3);
        assertThat(client.currentRoutes()).extracting(r -> r.prefix().toString())
                .containsExactlyInAnyOrder("192.0.2.128/25", "192.0.2.0/24", "2607:ffc0:1000::/36");
    }

    @Test
    void aPeerWhoseSessionGoesDownWithdrawsEveryRouteItHad() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMinutes(5));
        WsContext server = nextConnection();
        subscriptions(4);
        server.send(update("rrc01", "192.0.2.9", "[64496,64500]", "[\"192.0.2.0/24\"]", "[]"));
        nextObservations();

        server.send("{\"type\":\"ris_message\",\"data\":{\"timestamp\":1700000001.5,\"peer\":\"192.0.2.9\","
                + "\"peer_asn\":\"64496\",\"id\":\"y\",\"host\":\"rrc01.ripe.net\",\"type\":\"RIS_PEER_STATE\","
                + "\"state\":\"down\"}}");

        assertThat(nextObservations()).singleElement().satisfies(r -> {
            assertThat(r.withdrawn()).isTrue();
            assertThat(r.vantagePoint()).isEqualTo("rrc01/192.0.2.9/ris");
            assertThat(r.prefix()).isEqualTo(IpPrefix.parse("192.0.2.0/24"));
            assertThat(r.timeMillis()).isEqualTo(1700000001500L);
        });
        assertThat(client.currentRoutes()).isEmpty();
    }

    @Test
    void pingsAnsweredWithPongsKeepTheConnection() throws Exception {
        start(Duration.ofMillis(200), Duration.ofMinutes(5));
        nextConnection();

        // Five pings span more than two intervals without a route message: only the pongs keep it open.
        for (int i = 0; i < 5; i++) {
            nextSent("ping");
        }
        assertThat(connections).isEmpty();
        assertThat(reconnects("no_pong")).isZero();
    }

    @Test
    void aConnectionThatAnswersNothingIsMadeAgain() throws Exception {
        answerPings = false;
        start(Duration.ofMillis(100), Duration.ofMinutes(5));
        nextConnection();

        nextSent("ping");
        nextConnection();
        assertThat(subscriptions(4)).isEqualTo(SUBSCRIPTIONS);
        assertThat(reconnects("no_pong")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aConnectionTheServerClosesIsMadeAgainAndSubscribedAgain() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMinutes(5));
        WsContext first = nextConnection();
        assertThat(subscriptions(4)).isEqualTo(SUBSCRIPTIONS);

        first.closeSession(1011, "server restart");

        nextConnection();
        assertThat(subscriptions(4)).isEqualTo(SUBSCRIPTIONS);
        await("the reconnect counted", () -> reconnects("closed") == 1);
        await("the connected gauge", () -> metrics.get("rampart_detect_ris_live_connected").gauge().value() == 1);
    }

    @Test
    void aFeedThatAnswersPingsButSendsNoRouteIsSilentAndMadeAgain() throws Exception {
        start(Duration.ofMillis(100), Duration.ofMillis(600));
        nextConnection();

        nextConnection();
        assertThat(reconnects("silent")).isGreaterThanOrEqualTo(1);
        assertThat(reconnects("no_pong")).isZero();
    }

    @Test
    void aRouteMessageKeepsAFeedFromBeingSilent() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofSeconds(1));
        WsContext server = nextConnection();
        subscriptions(4);
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        int sentRoutes = 0;
        // Canary routes every 100 ms for 2.5 silence periods: the client hears the feed and stays.
        while (System.nanoTime() < until) {
            server.send(update("rrc00", "192.0.2.254", "[64496,12654]", "[\"84.205.64.0/24\"]", "[]"));
            sentRoutes++;
            int expected = sentRoutes;
            await("the canary route received",
                    () -> metrics.get("rampart_detect_ris_live_messages_total").counter().count() == expected);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        assertThat(connections).isEmpty();
        assertThat(reconnects("silent")).isZero();
        // Canary routes are not monitored ones: none reached the detection thread.
        assertThat(feed.poll()).isNull();
    }

    @Test
    void aNewMonitorsFileChangesTheSubscriptionsOnTheOpenConnection() throws Exception {
        start(Duration.ofSeconds(30), Duration.ofMinutes(5));
        WsContext server = nextConnection();
        subscriptions(4);
        server.send(update("rrc00", "192.0.2.254", "[64496,64500]", "[\"192.0.2.0/24\"]", "[]"));
        nextObservations();

        Files.writeString(monitors.path(), """
                prefixes:
                  - prefix: 198.51.100.0/24
                    origins: [AS64500]
                  - prefix: 2607:ffc0::/32
                    origins: [AS13340]
                """);
        assertThat(monitors.reload("test").applied()).isTrue();

        JsonNode unsubscribe = nextSent("ris_unsubscribe").path("data");
        assertThat(unsubscribe.path("prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(unsubscribe.path("moreSpecific").asBoolean()).isTrue();
        assertThat(subscriptions(1)).containsExactly("198.51.100.0/24 true UPDATE");
        assertThat(connections).isEmpty();
        // The routes of a prefix no longer monitored are forgotten.
        await("the old routes forgotten", () -> client.currentRoutes().isEmpty());
    }
}

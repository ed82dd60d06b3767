package net.rampart.server.detect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.route.PrefixIndex;
import net.rampart.detect.route.RouteObservation;
import net.rampart.server.Component;
import net.rampart.server.config.RisLiveConfig;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows RIPE RIS Live over a WebSocket: subscribes to every monitored prefix with its
 * more-specifics, and hands the routes RIS peers announce and withdraw to the detection thread
 * through the {@link DetectionFeed}, as more vantage points beside the operator's own routers.
 *
 * <p>The connection is watched three ways: a {@code ping} every ping interval, and no message at
 * all for two intervals means it is dead; a canary subscription to prefixes that change every
 * few hours (RIPE's routing beacons), and no route message for the silence time means the feed
 * is stuck though the socket answers; and the server closing it or failing. Each way ends the
 * connection and makes a new one after a wait that doubles with each failure up to a bound,
 * with jitter so that many clients do not come back at once. The wait starts over once a route
 * message shows a new connection works.
 *
 * <p>A changed monitors file changes the subscriptions on the open connection: RIS Live takes
 * {@code ris_unsubscribe} with the same filter as the subscription.
 *
 * <p>Threads: one scheduler thread ("ris-live") connects, subscribes, pings and checks the
 * timers; the HTTP client's thread delivers messages, which are decoded there and queued for
 * the detection thread without waiting.
 */
public final class RisLiveClient implements Component {

    private static final Logger log = LoggerFactory.getLogger(RisLiveClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How much of a message a log line quotes. */
    private static final int QUOTED = 300;
    private static final Duration MALFORMED_LOG_INTERVAL = Duration.ofMinutes(1);

    private final RisLiveConfig config;
    private final URI url;
    private final MonitorsFile monitors;
    private final DetectionFeed feed;
    private final RisLiveRoutes routes = new RisLiveRoutes();
    private final RisLiveMessages messages;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Counter received;
    private final Counter malformed;
    private final MeterRegistry metrics;
    private final Map<String, Counter> reconnects = new HashMap<>();

    /** Failed connections since a route message last came; the next wait doubles with each. */
    private final AtomicInteger failures = new AtomicInteger();
    /** The connection that counts; callbacks of an older one are ignored. */
    private final AtomicInteger generation = new AtomicInteger();
    private volatile long lastReceivedNanos;
    private volatile long lastRouteNanos;
    /** When the last route message came, for the age gauge; 0 before the first. */
    private volatile long lastRouteMessageNanos;
    private volatile boolean running;
    /** Monitored prefixes, looked up for each route RIS Live sends; read on the WebSocket's thread. */
    private volatile PrefixIndex<MonitoredPrefix> monitored = new PrefixIndex<>(Map.of());

    // Written by the scheduler thread only; volatile for the connected gauge.
    private volatile WebSocket socket;
    private volatile Monitors subscribedFor;
    private final Set<IpPrefix> subscribed = new HashSet<>();
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private long lastPingNanos;
    // Guarded by received()'s lock.
    private long nextMalformedLogNanos = System.nanoTime();
    private long malformedSinceLog;

    public RisLiveClient(RisLiveConfig config, MonitorsFile monitors, DetectionFeed feed, ObjectMapper json,
                         MeterRegistry metrics) {
        this.config = config;
        this.url = config.url().orElseThrow(() -> new IllegalArgumentException("RIS Live has no URL"));
        this.monitors = monitors;
        this.feed = feed;
        this.messages = new RisLiveMessages(json);
        this.metrics = metrics;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ris-live")
                .daemon(true).unstarted(r));
        this.received = Counter.builder("rampart_detect_ris_live_messages_total")
                .description("RIS Live route messages (UPDATE, peer down) received").register(metrics);
        this.malformed = Counter.builder("rampart_detect_ris_live_malformed_total")
                .description("RIS Live messages skipped because a field detection needs was missing or wrong")
                .register(metrics);
        Gauge.builder("rampart_detect_ris_live_connected", this, c -> c.connected() ? 1 : 0)
                .description("1 while the RIS Live WebSocket is open and subscribed").register(metrics);
        Gauge.builder("rampart_detect_ris_live_last_message_age_seconds", this, RisLiveClient::lastMessageAgeSeconds)
                .description("Seconds since RIS Live last sent a route message; NaN before the first")
                .register(metrics);
        Gauge.builder("rampart_detect_ris_live_routes", routes, RisLiveRoutes::size)
                .description("Routes RIS peers announce now for the monitored prefixes").register(metrics);
    }

    /** The current routes of RIS peers, which a new detector reads with the RIB's. */
    public List<RouteObservation> currentRoutes() {
        return routes.all();
    }

    @Override
    public String name() {
        return "ris-live";
    }

    @Override
    public void start() {
        running = true;
        Duration tick = tick();
        scheduler.execute(this::connect);
        scheduler.scheduleWithFixedDelay(this::checkOrLog, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The timers are checked four times per shortest period, and at least once a second. */
    private Duration tick() {
        Duration shortest = config.pingInterval();
        if (!config.canary().isEmpty() && config.silence().compareTo(shortest) < 0) {
            shortest = config.silence();
        }
        Duration quarter = shortest.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1)
                : quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        running = false;
        onScheduler(() -> {
            WebSocket ws = socket;
            if (ws != null) {
                socket = null;
                // A polite close, waited for a moment: the server frees the subscriptions at once.
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "rampart stops")
                        .completeOnTimeout(null, Math.min(1000, drain.toMillis()), TimeUnit.MILLISECONDS)
                        .exceptionally(error -> null).join();
                ws.abort();
            }
        });
        scheduler.shutdown();
        if (!scheduler.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            scheduler.shutdownNow();
        }
        http.shutdownNow();
    }

    /** Ready while it runs: RIS Live being unreachable is a metric and a log line, not a reason to stop serving. */
    @Override
    public boolean isReady() {
        return running && !scheduler.isShutdown();
    }

    boolean connected() {
        return socket != null && subscribedFor != null;
    }

    private double lastMessageAgeSeconds() {
        long last = lastRouteMessageNanos;
        return last == 0 ? Double.NaN : (System.nanoTime() - last) / 1e9;
    }

    private void connect() {
        if (!running) {
            return;
        }
        int connection = generation.incrementAndGet();
        log.atInfo().addKeyValue("event", "ris_live_connecting").addKeyValue("url", url.toString())
                .log("Connecting to RIS Live");
        http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).buildAsync(url, new Listener(connection))
                .whenComplete((ws, error) -> onScheduler(() -> opened(connection, ws, error)));
    }

    private void opened(int connection, WebSocket ws, Throwable error) {
        if (connection != generation.get() || !running) {
            if (ws != null) {
                ws.abort();
            }
            return;
        }
        if (error != null) {
            log.atWarn().addKeyValue("event", "ris_live_connect_failed").addKeyValue("url", url.toString())
                    .addKeyValue("error", String.valueOf(rootCause(error).getMessage()))
                    .log("RIS Live connection failed");
            reconnectLater("connect_failed");
            return;
        }
        socket = ws;
        sending = CompletableFuture.completedFuture(null);
        subscribed.clear();
        subscribedFor = null;
        long now = System.nanoTime();
        lastReceivedNanos = now;
        // The silence is counted from the connection: a new one has had no time to hear anything.
        lastRouteNanos = now;
        lastPingNanos = now;
        send(subscription("ris_subscribe", null, false, "RIS_PEER_STATE"));
        for (IpPrefix canary : config.canary()) {
            send(subscription("ris_subscribe", canary, false, "UPDATE"));
        }
        subscribe(monitors.current().monitors());
        log.atInfo().addKeyValue("event", "ris_live_connected").addKeyValue("url", url.toString())
                .addKeyValue("prefixes", subscribed.size()).addKeyValue("canary", config.canary().size())
                .log("Connected to RIS Live and subscribed");
    }

    /**
     * Subscribes to the prefixes of {@code next} not yet subscribed to, and unsubscribes from those
     * it drops. A monitored prefix inside another one is left out: the outer one's more-specifics
     * bring its routes, and two subscriptions would bring each of its messages twice.
     */
    private void subscribe(Monitors next) {
        Map<IpPrefix, MonitoredPrefix> index = new HashMap<>();
        for (MonitoredPrefix prefix : next.prefixes()) {
            index.put(prefix.prefix(), prefix);
        }
        PrefixIndex<MonitoredPrefix> lookup = new PrefixIndex<>(index);
        monitored = lookup;
        List<IpPrefix> outermost = new ArrayList<>();
        for (MonitoredPrefix prefix : next.prefixes()) {
            IpPrefix p = prefix.prefix();
            if (p.length() == 0 || lookup.longestCovering(p.truncate(p.length() - 1)) == null) {
                outermost.add(p);
            }
        }
        Set<IpPrefix> wanted = new HashSet<>(outermost);
        List<IpPrefix> dropped = new ArrayList<>();
        for (IpPrefix prefix : subscribed) {
            if (!wanted.contains(prefix)) {
                dropped.add(prefix);
            }
        }
        for (IpPrefix prefix : dropped) {
            send(subscription("ris_unsubscribe", prefix, true, "UPDATE"));
            subscribed.remove(prefix);
        }
        for (IpPrefix prefix : outermost) {
            if (subscribed.add(prefix)) {
                send(subscription("ris_subscribe", prefix, true, "UPDATE"));
            }
        }
        routes.retain(prefix -> lookup.longestCovering(prefix) != null);
        if (subscribedFor != null) {
            log.atInfo().addKeyValue("event", "ris_live_resubscribed").addKeyValue("prefixes", subscribed.size())
                    .addKeyValue("dropped", dropped.size()).log("RIS Live subscriptions follow the new monitors");
        }
        subscribedFor = next;
    }

    /** A {@code ris_subscribe} or {@code ris_unsubscribe} message; no prefix means every one. */
    private String subscription(String action, IpPrefix prefix, boolean moreSpecific, String messageType) {
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("type", action);
        ObjectNode data = message.putObject("data");
        if (prefix != null) {
            data.put("prefix", prefix.toString());
            data.put("moreSpecific", moreSpecific);
        }
        data.put("type", messageType);
        // The hex of each BGP message would double what RIS Live sends; detection reads the JSON.
        data.putObject("socketOptions").put("includeRaw", false);
        return message.toString();
    }

    /** Sends after what was sent before: the WebSocket takes one message at a time. */
    private void send(String text) {
        WebSocket ws = socket;
        int connection = generation.get();
        sending = sending.thenCompose(previous -> ws.sendText(text, true))
                .whenComplete((sent, error) -> {
                    if (error != null) {
                        onScheduler(() -> lost(connection, "send_failed", rootCause(error).getMessage()));
                    }
                });
    }

    private void checkOrLog() {
        try {
            check();
        } catch (RuntimeException e) {
            // A bug here must not end the scheduler, or the feed would never be watched again.
            log.atError().addKeyValue("event", "ris_live_failed").setCause(e).log("RIS Live check failed");
        }
    }

    /** On the scheduler: the monitors, the pong, the silence and the next ping. */
    private void check() {
        if (socket == null) {
            return;
        }
        Monitors current = monitors.current().monitors();
        if (current != subscribedFor) {
            subscribe(current);
        }
        long now = System.nanoTime();
        long pingInterval = config.pingInterval().toNanos();
        if (now - lastReceivedNanos > 2 * pingInterval) {
            lost(generation.get(), "no_pong", "nothing received for " + Duration.ofNanos(now - lastReceivedNanos));
        } else if (!config.canary().isEmpty() && now - lastRouteNanos > config.silence().toNanos()) {
            lost(generation.get(), "silent", "no route message for " + Duration.ofNanos(now - lastRouteNanos)
                    + ", the canary prefixes included");
        } else if (now - lastPingNanos >= pingInterval) {
            lastPingNanos = now;
            send("{\"type\":\"ping\"}");
        }
    }

    /** On the scheduler: the connection is over; a new one is made after a wait. */
    private void lost(int connection, String reason, String detail) {
        if (connection != generation.get() || socket == null) {
            return;
        }
        socket.abort();
        socket = null;
        subscribedFor = null;
        log.atWarn().addKeyValue("event", "ris_live_disconnected").addKeyValue("reason", reason)
                .addKeyValue("detail", String.valueOf(detail))
                .log("RIS Live connection lost; connecting again");
        reconnectLater(reason);
    }

    private void reconnectLater(String reason) {
        reconnects.computeIfAbsent(reason, r -> Counter.builder("rampart_detect_ris_live_reconnects_total")
                .description("RIS Live connections made again, by why the last one ended").tag("reason", r)
                .register(metrics)).increment();
        if (!running) {
            return;
        }
        Duration wait = backoff(failures.getAndIncrement(), config.reconnectMin(), config.reconnectMax());
        log.atInfo().addKeyValue("event", "ris_live_reconnect_scheduled").addKeyValue("wait_ms", wait.toMillis())
                .log("RIS Live connection will be made again");
        scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The wait before attempt {@code failures + 1}: {@code min} doubled per failure up to {@code
     * max}, then a random half of it taken off, so that clients that lost the feed together do
     * not all come back in the same second.
     */
    static Duration backoff(int failures, Duration min, Duration max) {
        long ceiling = min.toMillis() << Math.min(failures, 30);
        if (ceiling <= 0 || ceiling > max.toMillis()) {
            ceiling = max.toMillis();
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** One message from RIS Live, on the WebSocket's thread. */
    synchronized void received(int connection, String text) {
        if (connection != generation.get()) {
            return;
        }
        long now = System.nanoTime();
        lastReceivedNanos = now;
        RisLiveFrame frame;
        try {
            frame = messages.decode(text);
        } catch (MalformedRisLiveMessage e) {
            malformed.increment();
            malformedSinceLog++;
            // One line a minute at most: a feed gone wrong would otherwise write one per message.
            if (now - nextMalformedLogNanos >= 0) {
                log.atWarn().addKeyValue("event", "ris_live_malformed").addKeyValue("problem", e.getMessage())
                        .addKeyValue("message", text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text)
                        .addKeyValue("skipped_since_last_line", malformedSinceLog)
                        .log("A RIS Live message was skipped");
                malformedSinceLog = 0;
                nextMalformedLogNanos = now + MALFORMED_LOG_INTERVAL.toNanos();
            }
            return;
        }
        switch (frame) {
            case RisLiveFrame.Routes update -> {
                routeMessage(now);
                List<RouteObservation> kept = new ArrayList<>(update.routes().size());
                PrefixIndex<MonitoredPrefix> index = monitored;
                for (RouteObservation route : update.routes()) {
                    // The canary's routes, and those of prefixes just unsubscribed from, are not the detector's.
                    if (index.longestCovering(route.prefix()) != null) {
                        routes.apply(route);
                        kept.add(route);
                    }
                }
                if (!kept.isEmpty()) {
                    feed.onObservations(kept);
                }
            }
            case RisLiveFrame.PeerDown down -> {
                routeMessage(now);
                List<RouteObservation> withdrawals = routes.peerDown(down.timeMillis(), down.vantagePoint());
                if (!withdrawals.isEmpty()) {
                    feed.onObservations(withdrawals);
                }
            }
            case RisLiveFrame.ServerError error -> log.atWarn().addKeyValue("event", "ris_live_error")
                    .addKeyValue("message", error.message()).log("RIS Live refused a request");
            case RisLiveFrame.Pong pong -> {
            }
            case RisLiveFrame.Other other -> {
            }
        }
    }

    private void routeMessage(long now) {
        lastRouteNanos = now;
        lastRouteMessageNanos = now;
        received.increment();
        if (failures.get() != 0) {
            failures.set(0);
        }
    }

    /** Runs {@code task} on the scheduler, unless it has stopped: a callback after the stop has nothing left to do. */
    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // stopped
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** One connection's callbacks: text in one or more parts, then a close or an error. */
    private final class Listener implements WebSocket.Listener {

        private final int connection;
        private final StringBuilder parts = new StringBuilder();

        Listener(int connection) {
            this.connection = connection;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (!last) {
                parts.append(data);
            } else if (parts.isEmpty()) {
                received(connection, data.toString());
            } else {
                parts.append(data);
                received(connection, parts.toString());
                parts.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            onScheduler(() -> lost(connection, "closed", statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            onScheduler(() -> lost(connection, "error", String.valueOf(rootCause(error).getMessage())));
        }
    }
}

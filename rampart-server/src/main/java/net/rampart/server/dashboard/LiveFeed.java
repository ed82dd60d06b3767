package net.rampart.server.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.PeerKey;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertListener;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.server.Component;
import net.rampart.server.detect.DetectJson;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.RouteTable;
import net.rampart.server.mitigation.MitigationJson;
import net.rampart.server.security.ApiGuard;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/stream}: what changes in the service, pushed to the dashboard as
 * server-sent events. It hears alerts, mitigations and BMP router and peer sessions through the
 * listeners their modules own, and sends an {@code overview} event with the headline counters
 * every few seconds. Each event is encoded once and queued to every client; a client whose
 * queue is full is too slow and is dropped (its browser reconnects and starts afresh). A stream
 * ends after {@link #MAX_STREAM} so that none is held forever, within two {@link #HEARTBEAT}s of its
 * session being signed out or its token revoked, and at once when the HTTP server stops, so
 * that the stop's drain does not wait for it.
 */
public final class LiveFeed implements ApiRoutes, Component, AlertListener, MitigationListener {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final int QUEUE = 256;
    static final int MAX_CLIENTS = 64;
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration MAX_STREAM = Duration.ofHours(1);
    /** Told to a client's loop that its stream is over: dropped as too slow, or the server stopping. */
    private static final String END = "";

    private final ObjectMapper json;
    private final Map<String, Supplier<?>> counters = new ConcurrentHashMap<>();
    private final List<Runnable> samplers = new CopyOnWriteArrayList<>();
    private final Duration overviewEvery;
    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
    private final Counter dropped;
    private ScheduledExecutorService ticker;
    private volatile boolean closed;

    /** @param overviewEvery how often the {@code overview} event is sent while a client listens */
    public LiveFeed(ObjectMapper json, Duration overviewEvery, MeterRegistry metrics) {
        this.json = json;
        this.overviewEvery = overviewEvery;
        this.dropped = Counter.builder("rampart.http.stream.dropped")
                .description("Event-stream clients dropped because they read too slowly").register(metrics);
        Gauge.builder("rampart.http.stream.clients", clients, Set::size)
                .description("Event-stream clients connected (the dashboard's live updates)").register(metrics);
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/stream", this::stream);
    }

    @Override
    public String openApiFragment() {
        return "openapi/stream.json";
    }

    @Override
    public void stopping() {
        closed = true;
        for (BlockingQueue<String> client : clients) {
            end(client);
        }
    }

    @Override
    public String name() {
        return "live_feed";
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("live-feed").daemon().factory());
        long every = overviewEvery.toMillis();
        ticker.scheduleAtFixedRate(this::publishOverview, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        stopping();
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isReady() {
        return ticker != null && !ticker.isShutdown();
    }

    /** Adds a headline counter to the {@code overview} event; each area adds its own as it is assembled. */
    public void counter(String name, Supplier<?> value) {
        counters.put(name, value);
    }

    /**
     * Runs {@code sample} on every tick of the {@code overview} event, whether or not a client
     * listens, so that a counter keeping a history (the update rate) has no hole while nobody looks.
     */
    public void onTick(Runnable sample) {
        samplers.add(sample);
    }

    /** The counters now, by name. */
    Map<String, Object> overview() {
        Map<String, Object> out = new java.util.TreeMap<>();
        counters.forEach((name, value) -> out.put(name, value.get()));
        out.put("time", Instant.now());
        return out;
    }

    /** Clients listening now. */
    public int clients() {
        return clients.size();
    }

    private void publishOverview() {
        for (Runnable sample : samplers) {
            try {
                sample.run();
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("event", "live_sample_failed").setCause(e).log("a live counter's sample failed");
            }
        }
        if (clients.isEmpty()) {
            return;
        }
        try {
            publish("overview", overview());
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("event", "live_overview_failed").setCause(e).log("overview counters failed");
        }
    }

    /**
     * Sends {@code data} as an event of {@code type} to every client; drops those too slow to keep
     * up. Never throws: it runs on the detector's, the mitigation engine's and the routers' threads,
     * and a dashboard must not break them.
     */
    public void publish(String type, Object data) {
        if (clients.isEmpty()) {
            return;
        }
        String frame;
        try {
            frame = frame(type, json.writeValueAsString(data));
        } catch (JsonProcessingException | RuntimeException e) {
            log.atWarn().addKeyValue("event", "live_event_unwritable").addKeyValue("type", type).setCause(e)
                    .log("a live event could not be written as JSON");
            return;
        }
        for (BlockingQueue<String> client : clients) {
            // One slot is kept for END, so a full client can always be told to go.
            if (client.remainingCapacity() <= 1 || !client.offer(frame)) {
                clients.remove(client);
                dropped.increment();
                end(client);
            }
        }
    }

    /** One server-sent event; JSON has no raw newline, so the data is one line. */
    static String frame(String type, String data) {
        return "event: " + type + "\ndata: " + data + "\n\n";
    }

    /** A new client's queue, which {@link #publish} fills until the client is dropped or ended. */
    BlockingQueue<String> subscribe() {
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        clients.add(queue);
        return queue;
    }

    /** Whether {@code item}, taken from a client's queue, means its stream is over. */
    static boolean isEnd(String item) {
        return END.equals(item);
    }

    private static void end(BlockingQueue<String> client) {
        client.clear();
        client.offer(END);
    }

    private void stream(Context ctx) throws IOException, InterruptedException {
        if (closed || clients.size() >= MAX_CLIENTS) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("service_unavailable", closed
                    ? "the service is stopping" : "already " + MAX_CLIENTS + " event streams open; close one first"));
            return;
        }
        ctx.status(HttpStatus.OK).contentType("text/event-stream; charset=utf-8");
        // Proxies that buffer answers (nginx) would hold events back.
        ctx.header("X-Accel-Buffering", "no");
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        BlockingQueue<String> queue = subscribe();
        OutputStream out = ctx.res().getOutputStream();
        try {
            // Reconnect after 3 s when the stream ends; the first overview at once, not a tick later.
            write(out, "retry: 3000\n\n" + frame("overview", json.writeValueAsString(overview())));
            long deadline = System.nanoTime() + MAX_STREAM.toNanos();
            long recheck = System.nanoTime() + HEARTBEAT.toNanos();
            while (!closed && System.nanoTime() - deadline < 0) {
                if (System.nanoTime() - recheck >= 0) {
                    // Signed out, session expired or token revoked: the stream ends with it.
                    if (!ApiGuard.stillAllowed(ctx)) {
                        break;
                    }
                    recheck = System.nanoTime() + HEARTBEAT.toNanos();
                }
                String next = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    write(out, ": heartbeat\n\n");
                } else if (isEnd(next)) {
                    break;
                } else {
                    write(out, next);
                }
            }
        } catch (IOException e) {
            log.atDebug().addKeyValue("event", "live_client_gone").log("event-stream client went away");
        } finally {
            clients.remove(queue);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void opened(Alert alert) {
        alertChanged("opened", alert);
    }

    @Override
    public void updated(Alert alert) {
        alertChanged("updated", alert);
    }

    @Override
    public void resolved(Alert alert) {
        alertChanged("resolved", alert);
    }

    private void alertChanged(String change, Alert alert) {
        if (!clients.isEmpty()) {
            publish("alert", DetectJson.alertChange(change, alert));
        }
    }

    @Override
    public void changed(Change change, Mitigation before, Mitigation after) {
        if (!clients.isEmpty()) {
            publish("mitigation", MitigationJson.mitigationChange(change, after));
        }
    }

    /**
     * The collector's session events passed on to {@code next} (the history recorder) and, for
     * routers connecting or leaving and peers going up or down, published here too.
     */
    public SessionEvents following(SessionEvents next) {
        return new SessionEvents() {
            @Override
            public void routerChanged(RouterRecord router) {
                next.routerChanged(router);
                if (!clients.isEmpty()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("router", router.id());
                    out.put("connected", router.connected());
                    out.put("termination_reason", router.terminationReason());
                    publish("router", out);
                }
            }

            @Override
            public void peerChanged(PeerKey key, PeerRecord peer) {
                next.peerChanged(key, peer);
            }

            @Override
            public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                                    NotificationMessage notification) {
                next.peerSession(key, peer, time, up, reason, notification);
                if (!clients.isEmpty()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("router", peer.router());
                    out.put("peer_address", peer.address());
                    out.put("peer_asn", peer.asn());
                    out.put("up", up);
                    out.put("down_reason", up ? null : reason);
                    out.put("time", time);
                    publish("peer", out);
                }
            }

            @Override
            public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
                next.statistics(router, key, time, statistics);
            }
        };
    }
}

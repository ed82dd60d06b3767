package net.rampart.server.collector;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.bmp.BmpListener;
import net.rampart.collector.bmp.CollectorStatistics;
import net.rampart.collector.bmp.MonitoredRouter;
import net.rampart.collector.bmp.RouterCounters;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.mrt.MrtImport;
import net.rampart.collector.rib.Rib;
import net.rampart.server.Component;
import net.rampart.server.config.CollectorConfig;
import net.rampart.wire.ip.AddressText;

/**
 * The BMP collector as a part of the service: the listener routers connect to (none on port 0,
 * when another source opens the sessions), the RIB it fills, the inventory of routers and peers,
 * and the statistics line every 10 seconds.
 */
public final class BmpCollector implements Component {

    /** The family groups route updates are counted by. */
    public static final List<String> FAMILY_GROUPS = List.of("ipv4", "ipv6", "evpn", "other");
    private static final Duration STATISTICS_INTERVAL = Duration.ofSeconds(10);
    private static final List<String> MESSAGE_TYPES = List.of("route_monitoring", "statistics_report", "peer_down",
            "peer_up", "initiation", "termination", "route_mirroring");

    private final InetAddress bindAddress;
    private final int port;
    private final Rib rib;
    private final RouterInventory inventory;
    private final CollectorStatistics statistics = new CollectorStatistics();
    private final BmpListener listener;
    private final MeterRegistry metrics;
    private final Set<String> treatAsWithdrawRegistered = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService reporter;

    /**
     * Opens the session of a router that connected: the collector's own, or one that gives each
     * message to something else too (the Kafka feed).
     */
    public interface Sessions {
        /**
         * @param collector makes the collector's session, which reads the time of each message from the clock given
         */
        RouterSession open(InetAddress router, Function<Clock, RouterSession> collector);
    }

    /** The collector's own sessions, stamped with the system clock. */
    public static final Sessions OWN_SESSIONS = (router, collector) -> collector.apply(Clock.systemUTC());

    public BmpCollector(CollectorConfig config, InetAddress bindAddress, int port, Rib rib, SessionEvents sessionEvents,
                        MeterRegistry metrics) {
        this(config, bindAddress, port, rib, sessionEvents, metrics, OWN_SESSIONS);
    }

    public BmpCollector(CollectorConfig config, InetAddress bindAddress, int port, Rib rib, SessionEvents sessionEvents,
                        MeterRegistry metrics, Sessions sessions) {
        this.inventory = new RouterInventory(sessionEvents);
        this.bindAddress = bindAddress;
        this.port = port;
        this.rib = rib;
        this.listener = new BmpListener(config.allowlist(), source -> sessions.open(source.getAddress(),
                clock -> routerSession(source.getAddress(), clock)));
        this.metrics = metrics;
        bindMetrics(metrics);
    }

    /**
     * A new session of the router at {@code address} into this collector's RIB and inventory, for
     * a source of BMP other than the listener (the Kafka raw topic).
     *
     * @param clock the time of the message being applied, as the session reads it
     */
    public RouterSession routerSession(InetAddress address, Clock clock) {
        return new MonitoredRouter(address, rib, inventory, statistics.register(AddressText.of(address)), clock);
    }

    private void bindMetrics(MeterRegistry metrics) {
        Gauge.builder("rampart.bmp.routers", listener, BmpListener::connectedRouters)
                .description("Routers with a BMP session now").register(metrics);
        // The inventory lists the peers of imported MRT sources too; they are not monitored by BMP.
        Gauge.builder("rampart.bmp.peers", inventory, i -> i.peers().stream()
                        .filter(p -> p.up() && !p.router().startsWith(MrtImport.ROUTER_PREFIX)).count())
                .description("BGP peers reported up by the monitored routers").register(metrics);
        Gauge.builder("rampart.rib.routes", rib, Rib::routeCount)
                .description("Routes in the in-memory RIB, all routers, peers, views and families").register(metrics);
        for (int type = 0; type < MESSAGE_TYPES.size(); type++) {
            int messageType = type;
            counter(metrics, "rampart.bmp.messages", "BMP messages processed, by type", "type",
                    MESSAGE_TYPES.get(type), c -> c.messagesOfType(messageType));
        }
        for (String family : FAMILY_GROUPS) {
            FunctionCounter.builder("rampart.bmp.route.updates", this, c -> c.routeUpdates(family))
                    .description("Route announcements and withdrawals applied to the RIB").tag("family", family)
                    .register(metrics);
        }
        FunctionCounter.builder("rampart.bmp.parse.errors", statistics, s -> s.total(RouterCounters::parseErrors))
                .description("BMP messages that did not decode and were skipped").register(metrics);
        FunctionCounter.builder("rampart.bmp.received.bytes", statistics, s -> s.total(RouterCounters::bytesReceived))
                .description("BMP bytes received from routers").register(metrics);
        FunctionCounter.builder("rampart.bmp.tlvs.unknown", statistics, s -> s.total(RouterCounters::unknownTlvs))
                .description("TLVs of unknown types after a Route Monitoring's UPDATE, skipped").register(metrics);
        FunctionCounter.builder("rampart.bmp.trailers.malformed", statistics, s -> s.total(RouterCounters::malformedTrailers))
                .description("Route Monitoring messages with bytes after the UPDATE that are not TLVs (the UPDATE is applied)")
                .register(metrics);
    }

    /**
     * One counter per router, peer and reason of RFC 7606 treat-as-withdraw, registered as the
     * reasons first appear (checked with the statistics line); each reads the inventory's count.
     */
    private void registerTreatAsWithdrawCounters() {
        inventory.forEachTreatedAsWithdraw((router, peer, reason, routes) -> {
            if (treatAsWithdrawRegistered.add(router + " " + peer + " " + reason)) {
                FunctionCounter.builder("rampart.bmp.routes.treated.as.withdraw", routes, LongSupplier::getAsLong)
                        .description("Routes RFC 7606 treat-as-withdraw turned into withdrawals, by router, peer and reason")
                        .tags("router", router, "peer", peer.toString(), "reason", reason).register(metrics);
            }
        });
    }

    private void counter(MeterRegistry metrics, String name, String description, String tag, String value,
                         ToLongFunction<RouterCounters> read) {
        FunctionCounter.builder(name, statistics, s -> s.total(read)).description(description).tag(tag, value)
                .register(metrics);
    }

    @Override
    public String name() {
        return "bmp";
    }

    @Override
    public void start() throws Exception {
        if (port != 0) {
            listener.start(bindAddress, port);
        }
        reporter = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bmp-statistics").daemon().factory());
        reporter.scheduleAtFixedRate(() -> {
            statistics.report();
            registerTreatAsWithdrawCounters();
        }, STATISTICS_INTERVAL.toMillis(), STATISTICS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        listener.stop(drain);
        if (reporter != null) {
            reporter.shutdown();
            reporter.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
            statistics.report();
        }
    }

    @Override
    public boolean isReady() {
        return port == 0 || listener.isBound();
    }

    /** Routers reconnect and resend everything: used when route history had to drop events. */
    public void closeSessions(String reason) {
        listener.closeSessions(reason);
    }

    public RouterInventory inventory() {
        return inventory;
    }

    public Rib rib() {
        return rib;
    }

    /**
     * Route announcements and withdrawals from BMP applied to the RIB since start, of a family
     * group of {@link #FAMILY_GROUPS}: the {@code rampart.bmp.route.updates} metric's count.
     */
    public long routeUpdates(String familyGroup) {
        return statistics.total(c -> c.routes(familyGroup));
    }
}

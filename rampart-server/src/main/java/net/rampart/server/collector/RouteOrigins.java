package net.rampart.server.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.rpki.DeltaFootprint;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiDelta;
import net.rampart.rpki.RpkiView;
import net.rampart.server.Component;
import net.rampart.wire.RouteOriginState;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 6811 origin state of the RIB's routes against the VRPs Rampart serves now. The RIB
 * stores each route's state and counts them per table; this class keeps it in step with the
 * VRPs: on every new view it re-validates only the routes that the changed VRPs cover, logs
 * and counts the routes whose state changed, and publishes the per-peer counts as metrics.
 */
public final class RouteOrigins implements Component {

    private static final Logger log = LoggerFactory.getLogger(RouteOrigins.class);
    /** How often the per-peer gauges are brought up to date with the RIB's counts. */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(10);

    /** One peer's routes in one view, counted by state. */
    public record PeerCounts(String router, String peer, int peerType, String view, long valid, long invalid,
                             long notFound) {
    }

    private final Rib rib;
    private final MeterRegistry metrics;
    private final Timer revalidations;
    private volatile RpkiView current;
    private MultiGauge perPeer;
    private ScheduledExecutorService refresher;

    public RouteOrigins(Rib rib, MeterRegistry metrics) {
        this.rib = rib;
        this.metrics = metrics;
        this.revalidations = Timer.builder("rampart.rpki.route.revalidation")
                .description("Re-validations of the RIB's routes after a VRP change").register(metrics);
        for (RouteOriginState state : RouteOriginState.values()) {
            Gauge.builder("rampart.rib.routes.rpki", this, o -> o.total(state))
                    .description("Unicast routes in the RIB by RPKI origin state (RFC 6811)")
                    .tag("state", state.label()).register(metrics);
        }
    }

    /**
     * Takes a new VRP view into force: the RIB validates new routes with it, and re-validates
     * the stored routes its changes touch (all of them for the first view).
     */
    public void follow(RpkiView next) {
        RpkiView previous = current;
        current = next;
        OriginValidator.Footprint footprint = OriginValidator.Footprint.EVERYTHING;
        if (previous != null) {
            DeltaFootprint changed = new DeltaFootprint(RpkiDelta.between(previous.version().snapshot(),
                    next.version().snapshot()));
            if (changed.isEmpty()) {
                return;
            }
            footprint = changed::touches;
        }
        long start = System.nanoTime();
        Rib.Revalidation done = rib.revalidate(next.roas()::state, footprint, this::changed);
        long nanos = System.nanoTime() - start;
        revalidations.record(nanos, TimeUnit.NANOSECONDS);
        log.atInfo().addKeyValue("event", "rpki_routes_revalidated")
                .addKeyValue("serial", next.version().serial())
                .addKeyValue("examined", done.examined()).addKeyValue("changed", done.changed())
                .addKeyValue("duration_ms", TimeUnit.NANOSECONDS.toMillis(nanos))
                .log("RIB routes re-validated against the new VRPs");
    }

    private void changed(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key, RouteOriginState from,
                         RouteOriginState to) {
        Counter.builder("rampart.rpki.route.state.changes")
                .description("RIB routes whose origin state a VRP change changed")
                .tags("from", from.label(), "to", to.label()).register(metrics).increment();
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("event", "rpki_state_changed").addKeyValue("router", router.name())
                    .addKeyValue("peer", AddressText.of(peer.address())).addKeyValue("view", view.label())
                    .addKeyValue("prefix", key.text()).addKeyValue("from", from.label()).addKeyValue("to", to.label())
                    .log("route origin state changed");
        }
    }

    /**
     * The state of one route under the current VRPs, or null when it has no IP prefix to
     * validate (EVPN, VPN, other families). A path that does not end in an AS_SEQUENCE has no
     * origin (RFC 6811 "NONE").
     */
    public RouteOriginState stateOf(RouteKey key, PathAttributes attributes) {
        RpkiView view = current;
        if (view == null) {
            return key instanceof Ipv4RouteKey || key instanceof Ipv6RouteKey ? RouteOriginState.NOT_FOUND : null;
        }
        RoaIndex roas = view.roas();
        long origin = attributes.asPath().originAsn();
        return switch (key) {
            case Ipv4RouteKey p -> roas.state(false, p.high(), 0, p.length(), origin);
            case Ipv6RouteKey p -> roas.state(true, p.high(), p.low(), p.length(), origin);
            default -> null;
        };
    }

    /** Every peer's unicast routes, per view, counted by state, from the RIB's own counts. */
    public List<PeerCounts> countByPeer() {
        Map<String, PeerCounts> merged = new TreeMap<>();
        rib.forEachOriginCount((router, peer, view, family, counts) -> {
            PeerCounts c = new PeerCounts(router.name(), AddressText.of(peer.address()), peer.type().code(),
                    view.label(), counts[RouteOriginState.VALID.ordinal()],
                    counts[RouteOriginState.INVALID.ordinal()], counts[RouteOriginState.NOT_FOUND.ordinal()]);
            // The IPv4 and IPv6 tables of one peer and view make one row.
            merged.merge(c.router() + " " + c.peer() + " " + c.peerType() + " " + c.view(), c, (a, b) ->
                    new PeerCounts(a.router(), a.peer(), a.peerType(), a.view(), a.valid() + b.valid(),
                            a.invalid() + b.invalid(), a.notFound() + b.notFound()));
        });
        return List.copyOf(merged.values());
    }

    /**
     * Totals over every peer and view, in the order the API has always listed them (valid,
     * invalid, not-found), which is not the enum's.
     */
    public static Map<RouteOriginState, Long> totals(List<PeerCounts> counts) {
        Map<RouteOriginState, Long> totals = new LinkedHashMap<>();
        totals.put(RouteOriginState.VALID, counts.stream().mapToLong(PeerCounts::valid).sum());
        totals.put(RouteOriginState.INVALID, counts.stream().mapToLong(PeerCounts::invalid).sum());
        totals.put(RouteOriginState.NOT_FOUND, counts.stream().mapToLong(PeerCounts::notFound).sum());
        return totals;
    }

    private long total(RouteOriginState state) {
        long[] n = {0};
        rib.forEachOriginCount((router, peer, view, family, counts) -> n[0] += counts[state.ordinal()]);
        return n[0];
    }

    @Override
    public String name() {
        return "rpki_routes";
    }

    /** Publishes {@code rampart_rib_peer_routes_rpki} and keeps it up to date. */
    @Override
    public void start() {
        perPeer = MultiGauge.builder("rampart.rib.peer.routes.rpki")
                .description("Unicast routes per router, peer and view by RPKI origin state").register(metrics);
        refresher = Component.scheduler("rpki-route-metrics");
        refresher.scheduleWithFixedDelay(this::refreshPerPeer, 0, METRICS_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshPerPeer() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PeerCounts c : countByPeer()) {
            Tags tags = Tags.of("router", c.router(), "peer", c.peer(), "view", c.view());
            rows.add(MultiGauge.Row.of(tags.and("state", "valid"), c.valid()));
            rows.add(MultiGauge.Row.of(tags.and("state", "invalid"), c.invalid()));
            rows.add(MultiGauge.Row.of(tags.and("state", "not-found"), c.notFound()));
        }
        perPeer.register(rows, true);
    }

    @Override
    public void stop(Duration drain) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    @Override
    public boolean isReady() {
        return refresher != null && !refresher.isShutdown();
    }
}

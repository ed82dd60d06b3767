package net.rampart.server.collector;

import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4Prefix;
import net.rampart.collector.rib.Ipv6Prefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteKey;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RouteOriginState;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The RFC 6811 origin state of the RIB's routes against the VRPs Rampart serves now. States are
 * computed when asked, from the current origin index, so they follow every new VRP snapshot
 * without a re-validation pass.
 */
public final class RouteOrigins {

    /** One peer's routes in one view, counted by state. */
    public record PeerCounts(String router, String peer, int peerType, String view, long valid, long invalid,
                             long notFound) {
    }

    private final Supplier<RoaIndex> index;

    public RouteOrigins(Supplier<RoaIndex> index) {
        this.index = index;
    }

    /**
     * The state of one route, or null when it has no IP prefix to validate (EVPN, VPN, other
     * families). A path that does not end in an AS_SEQUENCE has no origin (RFC 6811 "NONE").
     */
    public RouteOriginState stateOf(RouteKey key, PathAttributes attributes) {
        return stateOf(index.get(), key, attributes);
    }

    private static RouteOriginState stateOf(RoaIndex roas, RouteKey key, PathAttributes attributes) {
        long origin = attributes.asPath().originAsn();
        return switch (key) {
            case Ipv4Prefix p -> roas.state(false, Integer.toUnsignedLong(p.address()) << 32, 0, p.length(), origin);
            case Ipv6Prefix p -> roas.state(true, p.high(), p.low(), p.length(), origin);
            default -> null;
        };
    }

    /** Every peer's unicast routes, per view, counted by state; one pass over the RIB. */
    public List<PeerCounts> countByPeer(Rib rib) {
        RoaIndex roas = index.get();
        List<PeerCounts> counts = new ArrayList<>();
        rib.forEachTable((router, peer, view, family, table) -> {
            if (!family.equals(Family.IPV4_UNICAST) && !family.equals(Family.IPV6_UNICAST)) {
                return;
            }
            long[] byState = new long[RouteOriginState.values().length];
            table.read((key, attributes, since) -> byState[stateOf(roas, key, attributes).ordinal()]++);
            counts.add(new PeerCounts(router.name(), peer.address().getHostAddress(), peer.type().code(),
                    RouteJson.viewName(view), byState[RouteOriginState.VALID.ordinal()],
                    byState[RouteOriginState.INVALID.ordinal()], byState[RouteOriginState.NOT_FOUND.ordinal()]));
        });
        return merge(counts);
    }

    /** IPv4 and IPv6 tables of one peer and view make one row. */
    private static List<PeerCounts> merge(List<PeerCounts> counts) {
        Map<String, PeerCounts> merged = new java.util.TreeMap<>();
        for (PeerCounts c : counts) {
            merged.merge(c.router() + " " + c.peer() + " " + c.peerType() + " " + c.view(), c, (a, b) -> new PeerCounts(
                    a.router(), a.peer(), a.peerType(), a.view(), a.valid() + b.valid(), a.invalid() + b.invalid(),
                    a.notFound() + b.notFound()));
        }
        return List.copyOf(merged.values());
    }

    /** Totals over every peer and view. */
    public static Map<RouteOriginState, Long> totals(List<PeerCounts> counts) {
        Map<RouteOriginState, Long> totals = new EnumMap<>(RouteOriginState.class);
        totals.put(RouteOriginState.VALID, counts.stream().mapToLong(PeerCounts::valid).sum());
        totals.put(RouteOriginState.INVALID, counts.stream().mapToLong(PeerCounts::invalid).sum());
        totals.put(RouteOriginState.NOT_FOUND, counts.stream().mapToLong(PeerCounts::notFound).sum());
        return totals;
    }

    /**
     * Gauges {@code rampart_rib_routes_rpki{state}}: the RIB's unicast routes by state, counted at
     * most once per {@code maxAge} however often they are scraped.
     */
    public void bindMetrics(MeterRegistry metrics, Rib rib, Duration maxAge) {
        var cache = new Object() {
            Map<RouteOriginState, Long> totals = Map.of();
            long countedAt = Long.MIN_VALUE;

            synchronized long get(RouteOriginState state) {
                long now = System.nanoTime();
                if (countedAt == Long.MIN_VALUE || now - countedAt > maxAge.toNanos()) {
                    totals = totals(countByPeer(rib));
                    countedAt = now;
                }
                return totals.getOrDefault(state, 0L);
            }
        };
        for (RouteOriginState state : RouteOriginState.values()) {
            Gauge.builder("rampart.rib.routes.rpki", cache, c -> c.get(state))
                    .description("Unicast routes in the RIB by RPKI origin state (RFC 6811)")
                    .tag("state", state.label()).register(metrics);
        }
    }
}

package net.rampart.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.rpki.DeltaFootprint;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiDelta;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.VrpSet;

/**
 * Re-validating the real RIB after a new VRP snapshot, as the service does it: over 1 M routes
 * (half of them under VRP prefixes) in a {@link Rib}, 800 k VRPs, then a snapshot with
 * {@code --changed} VRPs withdrawn or added. Times building the new index and the delta's
 * footprint, and {@link Rib#revalidate}, which re-validates the touched routes under each
 * table's lock and updates the per-state counts. Reports the median of {@code --rounds}.
 */
public final class RibRevalidationTool {

    private static final RouterId ROUTER = new RouterId("192.0.2.1");
    private static final PeerKey PEER = PeerKey.global(java.net.InetAddress.getLoopbackAddress());

    public static void main(String[] args) {
        Map<String, String> a = Args.parse(args, Map.of("--changed", "1000", "--rounds", "7"));
        int changed = Integer.parseInt(a.get("--changed"));
        int rounds = Integer.parseInt(a.get("--rounds"));
        VrpSet current = VrpSetGenerator.generate(800_000, 1);
        VrpSet next = VrpSetGenerator.changed(current, changed);
        RpkiDelta delta = RpkiDelta.between(RpkiSnapshot.of(current, List.of(), List.of()),
                RpkiSnapshot.of(next, List.of(), List.of()));
        Rib rib = new Rib(RouteEventListener.NONE);
        rib.revalidate(new RoaIndex(current)::state, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, x, y) -> { });
        // Generated routes repeat some prefixes; 1.1 M of them leave just over 1 M distinct ones.
        load(rib, VrpSetGenerator.routes(current, 1_100_000, 2));
        System.out.printf(Locale.ROOT, "RIB: %d routes; VRPs %d -> %d (%d changed)%n", rib.routeCount(),
                current.size(), next.size(), delta.announcedVrps().size() + delta.withdrawnVrps().size());
        double[] millis = new double[rounds];
        long examined = 0;
        long stateChanges = 0;
        for (int round = 0; round < rounds; round++) {
            // Alternate between the two sets, so every round re-validates a real change.
            VrpSet to = round % 2 == 0 ? next : current;
            long start = System.nanoTime();
            RoaIndex index = new RoaIndex(to);
            DeltaFootprint footprint = new DeltaFootprint(delta);
            Rib.Revalidation done = rib.revalidate(index::state, footprint::touches, (r, p, v, f, k, x, y) -> { });
            millis[round] = (System.nanoTime() - start) / 1e6;
            examined = done.examined();
            stateChanges = done.changed();
        }
        java.util.Arrays.sort(millis);
        System.out.printf(Locale.ROOT, "| re-validating the RIB after %d VRPs changed | median %.0f ms (best %.0f, worst %.0f);"
                        + " %d routes examined, %d states changed |%n", changed, millis[rounds / 2], millis[0],
                millis[rounds - 1], examined, stateChanges);
    }

    private static void load(Rib rib, VrpSetGenerator.Routes routes) {
        Map<Long, PathAttributes> byOrigin = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            long origin = routes.origin[i];
            PathAttributes attributes = byOrigin.computeIfAbsent(origin, o -> PathAttributes.builder().origin(0)
                    .asPath(o > 0 ? AsPath.sequence(64500, o) : AsPath.EMPTY).nextHop(new byte[] {10, 0, 0, 1}).build());
            boolean ipv6 = routes.ipv6[i];
            var key = ipv6 ? new Ipv6RouteKey(routes.high[i], routes.low[i], routes.length[i], 0)
                    : new Ipv4RouteKey((int) (routes.high[i] >>> 32), routes.length[i], 0);
            rib.apply(ROUTER, PEER, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(i,
                    ipv6 ? Family.IPV6_UNICAST : Family.IPV4_UNICAST, attributes, List.of(key)));
        }
    }
}

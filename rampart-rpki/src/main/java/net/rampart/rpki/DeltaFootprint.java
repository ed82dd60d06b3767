package net.rampart.rpki;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.RouteOriginState;
import net.rampart.wire.ip.IpPrefix;

/**
 * The routes a delta can change the origin validation of: exactly those covered by a VRP
 * prefix that was announced or withdrawn. A RIB re-validates only the routes for which
 * {@link #touches} is true after a new serial, instead of all of them.
 */
public final class DeltaFootprint {

    private final RoaIndex changed;

    public DeltaFootprint(RpkiDelta delta) {
        List<Vrp> all = new ArrayList<>(delta.announcedVrps().size() + delta.withdrawnVrps().size());
        all.addAll(delta.announcedVrps());
        all.addAll(delta.withdrawnVrps());
        this.changed = new RoaIndex(VrpSet.of(all));
    }

    public boolean isEmpty() {
        return changed.vrps().isEmpty();
    }

    public boolean touches(IpPrefix route) {
        return touches(route.isIpv6(), route.high(), route.low(), route.length());
    }

    /** Allocation-free form for RIB-wide passes. */
    public boolean touches(boolean ipv6, long high, long low, int length) {
        return changed.state(ipv6, high, low, length, 0) != RouteOriginState.NOT_FOUND;
    }
}

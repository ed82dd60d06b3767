package net.rampart.collector.rib;

import net.rampart.wire.RouteOriginState;

/**
 * Origin validation as the RIB needs it: the state of a prefix (IPv4 in the upper 32 bits of
 * {@code high}) announced by {@code originAsn} (negative when the AS_PATH has no origin), from
 * the VRPs that are current. Called under a table's write lock, so it must be fast and must
 * not block.
 */
@FunctionalInterface
public interface OriginValidator {

    /** Before any VRPs: nothing covers anything. */
    OriginValidator NONE = (ipv6, high, low, length, originAsn) -> RouteOriginState.NOT_FOUND;

    RouteOriginState state(boolean ipv6, long high, long low, int length, long originAsn);

    /** Which prefixes a change of VRPs can affect; the others keep their state. */
    @FunctionalInterface
    interface Footprint {
        Footprint EVERYTHING = (ipv6, high, low, length) -> true;

        boolean touches(boolean ipv6, long high, long low, int length);
    }

    /** Receives each route whose state a re-validation changed. */
    @FunctionalInterface
    interface ChangeListener {
        void changed(RouterId router, PeerKey peer, RibView view, Family family, RouteKey key, RouteOriginState from,
                     RouteOriginState to);
    }
}

package net.rampart.collector.rib;

import java.util.HashMap;
import java.util.Iterator;

/**
 * Routes of families without a packed layout (EVPN, VPN, opaque NLRI), in a hash map. These
 * tables are small next to the unicast ones, so clarity wins over compactness here.
 */
final class KeyedRouteTable extends RouteTable {
    private static final class Slot {
        RouteKey key;
        PathAttributes attributes;
        int time;
        short holders;
    }

    private final HashMap<RouteKey, Slot> routes = new HashMap<>();

    @Override
    PathAttributes put(RouteKey key, PathAttributes attributes, int timeSeconds, short holder, OriginValidator validator) {
        Slot slot = routes.get(key);
        if (slot == null) {
            slot = new Slot();
            routes.put(key, slot);
        }
        PathAttributes previous = slot.attributes;
        // The new key object carries the latest non-key fields (labels, ESI of a MAC/IP route).
        slot.key = key;
        slot.attributes = attributes;
        slot.time = timeSeconds;
        slot.holders |= holder;
        return previous;
    }

    @Override
    int release(short holder, RouteVisitor removed) {
        int n = 0;
        for (Iterator<Slot> it = routes.values().iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            if ((slot.holders & holder) != 0) {
                slot.holders &= (short) ~holder;
                if (slot.holders == 0) {
                    removed.visit(slot.key, slot.attributes, slot.time);
                    it.remove();
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    PathAttributes remove(RouteKey key) {
        Slot slot = routes.remove(key);
        return slot == null ? null : slot.attributes;
    }

    @Override
    PathAttributes get(RouteKey key) {
        Slot slot = routes.get(key);
        return slot == null ? null : slot.attributes;
    }

    @Override
    int size() {
        return routes.size();
    }

    @Override
    void forEach(RouteVisitor visitor) {
        for (Slot slot : routes.values()) {
            visitor.visit(slot.key, slot.attributes, slot.time);
        }
    }

    @Override
    long footprintBytes() {
        // HashMap node (32) + table slot (4, at load 0.75 ~ 6) + Slot (24); keys counted roughly at 64.
        return routes.size() * (32L + 6 + 24 + 64);
    }
}

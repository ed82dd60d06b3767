package net.rampart.collector.rib;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns path attribute sets so that every route with the same attributes, on any peer of
 * any router, shares one instance. Each instance counts the routes that hold it and leaves
 * the pool when the last one lets go, so the pool holds only what the RIB uses.
 *
 * <p>Only a transition to or from zero takes the map's per-bin lock; every other reference
 * change is a CAS on the instance, since a holder keeps the count above zero.
 */
public final class AttributePool {
    private final ConcurrentHashMap<PathAttributes, PathAttributes> pool = new ConcurrentHashMap<>();

    /** Returns the shared instance equal to {@code attributes}, holding one reference for the caller. */
    public PathAttributes intern(PathAttributes attributes) {
        PathAttributes live = pool.get(attributes);
        if (live != null && live.acquireIfLive()) {
            return live;
        }
        PathAttributes[] out = new PathAttributes[1];
        pool.compute(attributes, (k, existing) -> {
            PathAttributes canonical = existing == null ? k : existing;
            canonical.addReferences(1);
            out[0] = canonical;
            return canonical;
        });
        return out[0];
    }

    /** Adds references to an interned instance the caller already holds a reference to. */
    void acquire(PathAttributes interned, int n) {
        if (n > 0) {
            interned.addReferences(n);
        }
    }

    /** Drops one reference; the instance leaves the pool with its last reference. */
    public void release(PathAttributes interned) {
        if (interned.releaseIfNotLast()) {
            return;
        }
        pool.computeIfPresent(interned, (k, existing) -> {
            if (existing != interned) {
                return existing;
            }
            interned.addReferences(-1);
            return interned.references() == 0 ? null : interned;
        });
    }

    /** Distinct attribute sets in use. */
    public int size() {
        return pool.size();
    }
}

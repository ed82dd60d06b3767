package net.rampart.collector.rib;

/** A test on one route that a query adds to its own criteria. Called under the table's read lock: keep it quick. */
@FunctionalInterface
public interface RouteFilter {
    boolean test(RouteKey key, PathAttributes attributes);
}

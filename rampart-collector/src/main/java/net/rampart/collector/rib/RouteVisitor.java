package net.rampart.collector.rib;

/** Receives the routes of a table while the table is read-locked; must not call back into the RIB's writers. */
@FunctionalInterface
public interface RouteVisitor {
    /**
     * @param lastChangeSeconds when the route last changed, in seconds since the epoch (unsigned)
     */
    void visit(RouteKey key, PathAttributes attributes, int lastChangeSeconds);
}

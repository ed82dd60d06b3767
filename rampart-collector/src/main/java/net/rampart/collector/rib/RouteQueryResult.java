package net.rampart.collector.rib;

import java.util.List;

/**
 * A page of routes and how many routes matched in all. Pages follow the tables' iteration
 * order, which is stable only while the RIB does not change, so paging a changing RIB may
 * skip or repeat routes.
 */
public record RouteQueryResult(List<RibRoute> routes, long matched) {
}

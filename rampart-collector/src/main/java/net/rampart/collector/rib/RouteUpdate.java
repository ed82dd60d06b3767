package net.rampart.collector.rib;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one BGP UPDATE (or one MRT RIB entry) says about one address family: routes announced
 * with one attribute set and routes withdrawn. A decoder adapter produces one per family
 * block of an UPDATE; NLRI under treat-as-withdraw (RFC 7606) belongs in {@code withdrawn}.
 *
 * @param timeMillis when the router saw the update (BMP per-peer header), epoch milliseconds
 * @param attributes the path attributes of {@code announced}; may be null when nothing is announced
 */
public record RouteUpdate(long timeMillis, Family family, PathAttributes attributes, List<RouteKey> announced,
                          List<RouteKey> withdrawn) {
    public RouteUpdate {
        Objects.requireNonNull(family, "family");
        announced = announced == null ? List.of() : announced;
        withdrawn = withdrawn == null ? List.of() : withdrawn;
        if (!announced.isEmpty() && attributes == null) {
            throw new IllegalArgumentException("announced routes need path attributes");
        }
    }

    public static RouteUpdate announce(long timeMillis, Family family, PathAttributes attributes,
                                       List<? extends RouteKey> routes) {
        return new RouteUpdate(timeMillis, family, attributes, Collections.unmodifiableList(routes), List.of());
    }

    public static RouteUpdate withdraw(long timeMillis, Family family, List<? extends RouteKey> routes) {
        return new RouteUpdate(timeMillis, family, null, List.of(), Collections.unmodifiableList(routes));
    }
}

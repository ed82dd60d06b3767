package net.rampart.server.collector;

import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.RouteKey;
import net.rampart.server.http.InvalidInputException;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/** A prefix given to the API: canonical CIDR, or a 400 that says what is wrong and names the canonical form. */
final class CidrParameter {

    private CidrParameter() {
    }

    static RouteKey parse(String name, String text) {
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter(name, e.getMessage());
        }
        // Leading zeros in an IPv6 group parse but are not how any answer writes the prefix.
        if (!prefix.toString().equalsIgnoreCase(text)) {
            throw InvalidInputException.parameter(name, "'" + text + "' is not canonical; did you mean " + prefix + "?");
        }
        return switch (prefix) {
            case Ipv4Prefix p -> Ipv4RouteKey.of(p, 0);
            case Ipv6Prefix p -> Ipv6RouteKey.of(p, 0);
        };
    }
}

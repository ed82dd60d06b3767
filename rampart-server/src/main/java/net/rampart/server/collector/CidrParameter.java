package net.rampart.server.collector;

import net.rampart.collector.rib.Ipv4Prefix;
import net.rampart.collector.rib.Ipv6Prefix;
import net.rampart.collector.rib.RouteKey;
import net.rampart.server.http.InvalidInputException;

/** A prefix given to the API: canonical CIDR, or a 400 that names the canonical form. */
final class CidrParameter {

    private CidrParameter() {
    }

    static RouteKey parse(String name, String text) {
        RouteKey key;
        try {
            key = text.contains(":") ? Ipv6Prefix.parse(text, 0) : Ipv4Prefix.parse(text, 0);
        } catch (RuntimeException e) {
            throw InvalidInputException.parameter(name, "must be a CIDR such as 192.0.2.0/24 or 2001:db8::/32, not '" + text + "'");
        }
        if (!text.contains("/") || !key.text().equalsIgnoreCase(text)) {
            throw InvalidInputException.parameter(name, "'" + text + "' is not canonical; did you mean " + key.text() + "?");
        }
        return key;
    }
}

package net.rampart.rpki;

import java.util.List;

import net.rampart.wire.RouteOriginState;
import net.rampart.wire.ip.IpPrefix;

/**
 * The outcome of validating one route origin, with the evidence: the covering VRPs that
 * match, those with another AS, and those with the route's AS whose maximum length is
 * shorter than the route.
 *
 * @param reason "as" or "length" for an invalid route (why the best candidate failed), else null
 */
public record OriginValidation(IpPrefix prefix, long originAsn, RouteOriginState state, String reason,
        List<Vrp> matched, List<Vrp> unmatchedAs, List<Vrp> unmatchedLength) {

    /** Routinator's description text for the state. */
    public String description() {
        return switch (state) {
            case VALID -> "At least one VRP Matches the Route Prefix";
            case NOT_FOUND -> "No VRP Covers the Route Prefix";
            case INVALID -> "length".equals(reason)
                    ? "At least one VRP Covers the Route Prefix, but the Route Prefix length is greater than the"
                            + " maximum length allowed by VRP(s) matching this route origin ASN"
                    : "At least one VRP Covers the Route Prefix, but no VRP ASN matches the route origin ASN";
        };
    }
}

package net.rampart.mitigation.rule;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import net.rampart.wire.ip.IpPrefix;

/**
 * One FlowSpec rule: the match (which becomes the NLRI) and the action (which becomes an
 * extended community). Two rules with the same {@link #match()} are the same route to a
 * router, so announcing one replaces the other.
 */
public record FlowSpecRule(FlowMatch match, FlowAction action) {

    public FlowSpecRule {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(action, "action");
    }

    /**
     * The match components Rampart uses (RFC 8955 types 1, 3, 5 and 9; RFC 8956 for IPv6).
     *
     * @param destination       the victim prefix
     * @param ipProtocol        protocol (IPv4) or next header (IPv6), when the rule is limited to one
     * @param destinationPorts  sorted, distinct; empty means every port
     * @param tcpFlagsSyn       match TCP segments with SYN set and ACK clear (SYN floods)
     */
    public record FlowMatch(IpPrefix destination, OptionalInt ipProtocol, List<Integer> destinationPorts,
                            boolean tcpFlagsSyn) {
        public FlowMatch {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(ipProtocol, "ipProtocol");
            destinationPorts = destinationPorts.stream().distinct().sorted().toList();
        }

        public boolean isIpv4() {
            return destination.isIpv4();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("dst ").append(destination);
            ipProtocol.ifPresent(p -> sb.append(" proto ").append(p));
            if (!destinationPorts.isEmpty()) {
                sb.append(" dport ").append(destinationPorts);
            }
            if (tcpFlagsSyn) {
                sb.append(" tcp-flags syn");
            }
            return sb.toString();
        }
    }
}

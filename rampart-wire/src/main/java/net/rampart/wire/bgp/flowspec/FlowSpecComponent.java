package net.rampart.wire.bgp.flowspec;

import java.util.List;
import java.util.Objects;

import net.rampart.wire.ip.IpPrefix;

/**
 * One component of a FlowSpec rule (RFC 8955 section 4.2, RFC 8956 section 3 for IPv6).
 * Type numbers are shared by both families; {@link #FLOW_LABEL} and a non-zero prefix offset
 * exist only for IPv6, where type 3 matches the last next header.
 */
public sealed interface FlowSpecComponent {

    int DESTINATION_PREFIX = 1;
    int SOURCE_PREFIX = 2;
    int IP_PROTOCOL = 3;
    int PORT = 4;
    int DESTINATION_PORT = 5;
    int SOURCE_PORT = 6;
    int ICMP_TYPE = 7;
    int ICMP_CODE = 8;
    int TCP_FLAGS = 9;
    int PACKET_LENGTH = 10;
    int DSCP = 11;
    int FRAGMENT = 12;
    int FLOW_LABEL = 13;

    int type();

    static boolean isPrefixType(int type) {
        return type == DESTINATION_PREFIX || type == SOURCE_PREFIX;
    }

    static boolean isBitmaskType(int type) {
        return type == TCP_FLAGS || type == FRAGMENT;
    }

    static boolean isNumericType(int type) {
        return type >= IP_PROTOCOL && type <= FLOW_LABEL && !isBitmaskType(type);
    }

    /**
     * Destination or source prefix. For IPv6 {@code offset} is the number of leading bits
     * skipped before matching (RFC 8956); the prefix then holds zeros in those bits.
     */
    record Prefix(int type, IpPrefix prefix, int offset) implements FlowSpecComponent {
        public Prefix {
            Objects.requireNonNull(prefix);
            if (!isPrefixType(type)) {
                throw new IllegalArgumentException("not a prefix component type: " + type);
            }
            // RFC 8956 section 3.1: offset < length, unless both are zero
            if (offset < 0 || (offset != 0 && (offset >= prefix.length() || prefix.afi() != 2))) {
                throw new IllegalArgumentException("prefix offset " + offset + " invalid for " + prefix);
            }
        }

        public Prefix(int type, IpPrefix prefix) {
            this(type, prefix, 0);
        }
    }

    record Numeric(int type, List<NumericMatch> matches) implements FlowSpecComponent {
        public Numeric {
            if (!isNumericType(type)) {
                throw new IllegalArgumentException("not a numeric component type: " + type);
            }
            matches = List.copyOf(matches);
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("a component has at least one term");
            }
        }
    }

    record Bitmask(int type, List<BitmaskMatch> matches) implements FlowSpecComponent {
        public Bitmask {
            if (!isBitmaskType(type)) {
                throw new IllegalArgumentException("not a bitmask component type: " + type);
            }
            matches = List.copyOf(matches);
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("a component has at least one term");
            }
        }
    }
}

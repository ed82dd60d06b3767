package net.rampart.wire.bgp.flowspec;

import java.util.Optional;

/**
 * A FlowSpec action, carried as an extended community (RFC 8955 section 7). Convert with
 * {@link #toExtendedCommunity()} and {@link #fromExtendedCommunity(long)}.
 */
public sealed interface FlowSpecAction {

    long toExtendedCommunity();

    /** traffic-rate-bytes 0x8006: {@code bytesPerSecond} as an IEEE float; 0 means discard. */
    record TrafficRateBytes(int asn, float bytesPerSecond) implements FlowSpecAction {
        public TrafficRateBytes {
            checkAs2(asn);
            if (!(bytesPerSecond >= 0)) {
                throw new IllegalArgumentException("rate must be a non-negative number: " + bytesPerSecond);
            }
        }

        public long toExtendedCommunity() {
            return 0x8006L << 48 | (long) asn << 32 | (Float.floatToIntBits(bytesPerSecond) & 0xFFFF_FFFFL);
        }
    }

    /** traffic-rate-packets 0x800c (RFC 8955 section 7.1). */
    record TrafficRatePackets(int asn, float packetsPerSecond) implements FlowSpecAction {
        public TrafficRatePackets {
            checkAs2(asn);
            if (!(packetsPerSecond >= 0)) {
                throw new IllegalArgumentException("rate must be a non-negative number: " + packetsPerSecond);
            }
        }

        public long toExtendedCommunity() {
            return 0x800CL << 48 | (long) asn << 32 | (Float.floatToIntBits(packetsPerSecond) & 0xFFFF_FFFFL);
        }
    }

    /** traffic-action 0x8007: sample (S bit) and terminal (T bit). */
    record TrafficAction(boolean sample, boolean terminal) implements FlowSpecAction {
        public long toExtendedCommunity() {
            return 0x8007L << 48 | (sample ? 2 : 0) | (terminal ? 1 : 0);
        }
    }

    /** redirect 0x8008: to the VRF with route target ASN2:value. */
    record RedirectAs2(int asn, long value) implements FlowSpecAction {
        public RedirectAs2 {
            checkAs2(asn);
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("local administrator is 32 bits");
            }
        }

        public long toExtendedCommunity() {
            return 0x8008L << 48 | (long) asn << 32 | value;
        }
    }

    /** redirect 0x8108: to the VRF with route target IPv4:value. */
    record RedirectIpv4(int address, int value) implements FlowSpecAction {
        public RedirectIpv4 {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("local administrator is 16 bits");
            }
        }

        public long toExtendedCommunity() {
            return 0x8108L << 48 | (address & 0xFFFF_FFFFL) << 16 | value;
        }
    }

    /** redirect 0x8208: to the VRF with route target ASN4:value. */
    record RedirectAs4(long asn, int value) implements FlowSpecAction {
        public RedirectAs4 {
            if (asn < 0 || asn > 0xFFFF_FFFFL || value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("ASN is 32 bits, local administrator 16 bits");
            }
        }

        public long toExtendedCommunity() {
            return 0x8208L << 48 | asn << 16 | value;
        }
    }

    /** traffic-marking 0x8009: rewrite the DSCP to a 6-bit value. */
    record TrafficMarking(int dscp) implements FlowSpecAction {
        public TrafficMarking {
            if (dscp < 0 || dscp > 63) {
                throw new IllegalArgumentException("DSCP is 6 bits: " + dscp);
            }
        }

        public long toExtendedCommunity() {
            return 0x8009L << 48 | dscp;
        }
    }

    /** The action an extended community encodes, or empty if it is not a FlowSpec action. */
    static Optional<FlowSpecAction> fromExtendedCommunity(long community) {
        int typeAndSubtype = (int) (community >>> 48);
        long low32 = community & 0xFFFF_FFFFL;
        int as2 = (int) ((community >>> 32) & 0xFFFF);
        return Optional.ofNullable(switch (typeAndSubtype) {
            case 0x8006 -> {
                float rate = Float.intBitsToFloat((int) low32);
                yield rate >= 0 ? new TrafficRateBytes(as2, rate) : null;
            }
            case 0x800C -> {
                float rate = Float.intBitsToFloat((int) low32);
                yield rate >= 0 ? new TrafficRatePackets(as2, rate) : null;
            }
            case 0x8007 -> new TrafficAction((community & 2) != 0, (community & 1) != 0);
            case 0x8008 -> new RedirectAs2(as2, low32);
            case 0x8108 -> new RedirectIpv4((int) (community >>> 16), (int) (community & 0xFFFF));
            case 0x8208 -> new RedirectAs4((community >>> 16) & 0xFFFF_FFFFL, (int) (community & 0xFFFF));
            case 0x8009 -> new TrafficMarking((int) (community & 0x3F));
            default -> null;
        });
    }

    private static void checkAs2(int asn) {
        if (asn < 0 || asn > 0xFFFF) {
            throw new IllegalArgumentException("2-octet AS: " + asn);
        }
    }
}

package net.rampart.wire.bgp.evpn;

/** Range checks shared by the EVPN route records. */
final class EvpnChecks {

    private EvpnChecks() {
    }

    static void tag(long ethernetTag) {
        if (ethernetTag < 0 || ethernetTag > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Ethernet tag is unsigned 32-bit: " + ethernetTag);
        }
    }

    static void label(int label) {
        if ((label & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("label field is 24 bits: " + label);
        }
    }
}

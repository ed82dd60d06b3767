package net.rampart.collector.rib;

import java.util.Arrays;

/**
 * A path attribute the collector has no field for (AIGP, OTC, PMSI tunnel, BGPsec, ...),
 * kept with its flags and value so that it still takes part in attribute identity.
 */
public record RawAttribute(int type, int flags, byte[] value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof RawAttribute a && a.type == type && a.flags == flags && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return (type * 31 + flags) * 31 + Arrays.hashCode(value);
    }
}

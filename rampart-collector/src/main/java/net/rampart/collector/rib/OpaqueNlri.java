package net.rampart.collector.rib;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The NLRI of a family the RIB has no dedicated key for (VPN, labeled unicast, FlowSpec, ...),
 * keyed by its encoded bytes so that no route is dropped for lack of a model.
 */
public record OpaqueNlri(byte[] bytes, int pathId) implements RouteKey {
    @Override
    public boolean equals(Object o) {
        return o instanceof OpaqueNlri n && n.pathId == pathId && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + pathId;
    }

    @Override
    public String text() {
        return HexFormat.of().formatHex(bytes);
    }
}

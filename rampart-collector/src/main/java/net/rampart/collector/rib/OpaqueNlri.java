package net.rampart.collector.rib;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The NLRI of a family the RIB has no dedicated key for (FlowSpec, ...), keyed by bytes that
 * identify the route, so that no route is dropped for lack of a model.
 *
 * @param description readable form for display and the route key column; null shows the bytes in hex
 */
public record OpaqueNlri(byte[] bytes, int pathId, String description) implements RouteKey {
    public OpaqueNlri(byte[] bytes, int pathId) {
        this(bytes, pathId, null);
    }

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
        return description != null ? description : HexFormat.of().formatHex(bytes);
    }
}

package net.rampart.wire.bgp;

import java.util.Objects;

/**
 * ROUTE-REFRESH (RFC 2918) with the enhanced route refresh subtype of RFC 7313
 * (0 normal request, 1 beginning of refresh, 2 end of refresh).
 */
public record RouteRefreshMessage(AfiSafi afiSafi, int subtype) implements BgpMessage {

    public static final int SUBTYPE_REQUEST = 0;
    public static final int SUBTYPE_BEGIN = 1;
    public static final int SUBTYPE_END = 2;

    public RouteRefreshMessage {
        Objects.requireNonNull(afiSafi);
        if (subtype < 0 || subtype > 255) {
            throw new IllegalArgumentException("subtype is one byte: " + subtype);
        }
    }

    @Override
    public int type() {
        return TYPE_ROUTE_REFRESH;
    }
}

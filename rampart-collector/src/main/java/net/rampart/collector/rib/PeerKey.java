package net.rampart.collector.rib;

import java.net.InetAddress;
import java.util.Objects;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.AddressText;

/**
 * Identifies one BGP peer of a router the way BMP does: peer type, route distinguisher and
 * peer address. ASN and BGP identifier describe the peer but can change between sessions,
 * so they are not part of its identity.
 *
 * @param distinguisher the 8-byte peer distinguisher as a long (0 for global-instance peers)
 */
public record PeerKey(PeerType type, long distinguisher, InetAddress address) {
    public PeerKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
    }

    public static PeerKey global(InetAddress address) {
        return new PeerKey(PeerType.GLOBAL_INSTANCE, 0L, address);
    }

    @Override
    public String toString() {
        String a = AddressText.of(address);
        return type == PeerType.GLOBAL_INSTANCE && distinguisher == 0 ? a
                : a + "%" + type.name().toLowerCase() + ":" + RouteDistinguisher.format(distinguisher);
    }
}

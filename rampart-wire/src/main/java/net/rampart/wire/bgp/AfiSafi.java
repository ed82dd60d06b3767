package net.rampart.wire.bgp;

/**
 * An address family / subsequent address family pair (RFC 4760), the unit in which BGP
 * negotiates capabilities and carries NLRI.
 */
public record AfiSafi(int afi, int safi) {

    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int AFI_L2VPN = 25;

    public static final int SAFI_UNICAST = 1;
    public static final int SAFI_MULTICAST = 2;
    public static final int SAFI_LABELED_UNICAST = 4;
    public static final int SAFI_EVPN = 70;
    public static final int SAFI_VPN = 128;
    public static final int SAFI_FLOWSPEC = 133;

    public static final AfiSafi IPV4_UNICAST = new AfiSafi(AFI_IPV4, SAFI_UNICAST);
    public static final AfiSafi IPV6_UNICAST = new AfiSafi(AFI_IPV6, SAFI_UNICAST);
    public static final AfiSafi IPV4_MULTICAST = new AfiSafi(AFI_IPV4, SAFI_MULTICAST);
    public static final AfiSafi IPV6_MULTICAST = new AfiSafi(AFI_IPV6, SAFI_MULTICAST);
    public static final AfiSafi IPV4_LABELED_UNICAST = new AfiSafi(AFI_IPV4, SAFI_LABELED_UNICAST);
    public static final AfiSafi IPV6_LABELED_UNICAST = new AfiSafi(AFI_IPV6, SAFI_LABELED_UNICAST);
    public static final AfiSafi IPV4_VPN = new AfiSafi(AFI_IPV4, SAFI_VPN);
    public static final AfiSafi IPV6_VPN = new AfiSafi(AFI_IPV6, SAFI_VPN);
    public static final AfiSafi L2VPN_EVPN = new AfiSafi(AFI_L2VPN, SAFI_EVPN);
    public static final AfiSafi IPV4_FLOWSPEC = new AfiSafi(AFI_IPV4, SAFI_FLOWSPEC);
    public static final AfiSafi IPV6_FLOWSPEC = new AfiSafi(AFI_IPV6, SAFI_FLOWSPEC);

    public AfiSafi {
        if (afi < 0 || afi > 0xFFFF || safi < 0 || safi > 0xFF) {
            throw new IllegalArgumentException("AFI " + afi + " / SAFI " + safi + " out of range");
        }
    }

    /** Whether Rampart decodes NLRI of this family; others are skipped and counted. */
    public boolean isDecodable() {
        return switch (safi) {
            case SAFI_UNICAST, SAFI_MULTICAST, SAFI_LABELED_UNICAST, SAFI_VPN, SAFI_FLOWSPEC ->
                    afi == AFI_IPV4 || afi == AFI_IPV6;
            case SAFI_EVPN -> afi == AFI_L2VPN;
            default -> false;
        };
    }

    /** Compact key for fast membership tests without boxing. */
    int key() {
        return (afi << 8) | safi;
    }

    @Override
    public String toString() {
        return afi + "/" + safi;
    }
}

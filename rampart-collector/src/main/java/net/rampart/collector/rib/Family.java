package net.rampart.collector.rib;

/** An address family: AFI and SAFI as in RFC 4760. */
public record Family(int afi, int safi) {
    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int AFI_L2VPN = 25;
    public static final int SAFI_UNICAST = 1;
    public static final int SAFI_EVPN = 70;

    public static final Family IPV4_UNICAST = new Family(AFI_IPV4, SAFI_UNICAST);
    public static final Family IPV6_UNICAST = new Family(AFI_IPV6, SAFI_UNICAST);
    public static final Family L2VPN_EVPN = new Family(AFI_L2VPN, SAFI_EVPN);

    public Family {
        if (afi < 0 || afi > 0xFFFF || safi < 0 || safi > 0xFF) {
            throw new IllegalArgumentException("AFI/SAFI out of range: " + afi + "/" + safi);
        }
    }

    /** The short name used in metrics and statistics: ipv4, ipv6, evpn or other. */
    public String group() {
        if (safi == SAFI_UNICAST && afi == AFI_IPV4) {
            return "ipv4";
        }
        if (safi == SAFI_UNICAST && afi == AFI_IPV6) {
            return "ipv6";
        }
        return afi == AFI_L2VPN && safi == SAFI_EVPN ? "evpn" : "other";
    }

    @Override
    public String toString() {
        return afi + "/" + safi;
    }
}

package net.rampart.wire.bmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;

/**
 * The per-peer header that precedes Route Monitoring, Statistics Report, Peer Down, Peer Up
 * and Route Mirroring messages (RFC 7854 section 4.2, peer type 3 from RFC 9069).
 *
 * @param peerType      0 global instance, 1 RD instance, 2 local instance, 3 Loc-RIB instance
 * @param flags         the raw flags octet; meaning depends on the peer type, see the accessors
 * @param distinguisher the peer distinguisher (route distinguisher for RD instance peers), raw
 * @param address       the peer's address; all zeros for a Loc-RIB instance
 * @param peerAs        the peer's AS number
 * @param bgpId         the peer's BGP identifier
 * @param timestampSeconds      when the encapsulated information was received or generated, 0 if unknown
 * @param timestampMicroseconds sub-second part of the timestamp
 */
public record PerPeerHeader(
        int peerType,
        int flags,
        long distinguisher,
        InetAddress address,
        long peerAs,
        Inet4Address bgpId,
        long timestampSeconds,
        long timestampMicroseconds) {

    public static final int LENGTH = 42;

    public static final int GLOBAL_INSTANCE = 0;
    public static final int RD_INSTANCE = 1;
    public static final int LOCAL_INSTANCE = 2;
    public static final int LOC_RIB_INSTANCE = 3;

    private static final int FLAG_V = 0x80;
    private static final int FLAG_L = 0x40;
    private static final int FLAG_A = 0x20;
    private static final int FLAG_O = 0x10;
    private static final int FLAG_F = 0x80;

    static PerPeerHeader decode(WireCursor in) {
        return decode(in, null);
    }

    /** @param addresses the session's last addresses, to give again when the bytes repeat them; null for new ones */
    static PerPeerHeader decode(WireCursor in, PeerAddresses addresses) {
        in.require(LENGTH, "per-peer header");
        int peerType = in.uint8("peer type");
        int flags = in.uint8("peer flags");
        long distinguisher = in.int64("peer distinguisher");
        boolean ipv6 = peerType != LOC_RIB_INSTANCE && (flags & FLAG_V) != 0;
        if (!ipv6) {
            in.skip(12, "peer address padding");
        }
        int addressLength = ipv6 ? 16 : 4;
        InetAddress address = addresses != null ? addresses.peer(in, addressLength)
                : in.address(addressLength, "peer address");
        long peerAs = in.uint32("peer AS");
        Inet4Address bgpId = addresses != null ? addresses.bgpId(in) : (Inet4Address) in.address(4, "peer BGP ID");
        long seconds = in.uint32("timestamp seconds");
        long micros = in.uint32("timestamp microseconds");
        return new PerPeerHeader(peerType, flags, distinguisher, address, peerAs, bgpId, seconds, micros);
    }

    /** The identity per-peer decoding state is kept under: one BGP session as seen by one router. */
    public BmpPeerKey key() {
        return new BmpPeerKey(peerType, distinguisher, address);
    }

    /** V flag: the peer address is IPv6. Never set for Loc-RIB instance peers. */
    public boolean isIpv6() {
        return peerType != LOC_RIB_INSTANCE && (flags & FLAG_V) != 0;
    }

    /** L flag: post-policy Adj-RIB-In (or post-policy Adj-RIB-Out with the O flag). */
    public boolean isPostPolicy() {
        return peerType != LOC_RIB_INSTANCE && (flags & FLAG_L) != 0;
    }

    /** A flag: the encapsulated messages use 2-octet AS numbers in AS_PATH (legacy format). */
    public boolean isLegacyAsPath() {
        return peerType != LOC_RIB_INSTANCE && (flags & FLAG_A) != 0;
    }

    /** O flag (RFC 8671): the messages are from the Adj-RIB-Out rather than the Adj-RIB-In. */
    public boolean isAdjRibOut() {
        return peerType != LOC_RIB_INSTANCE && (flags & FLAG_O) != 0;
    }

    /** F flag (RFC 9069): the Loc-RIB is filtered. Only meaningful for Loc-RIB instance peers. */
    public boolean isLocRibFiltered() {
        return peerType == LOC_RIB_INSTANCE && (flags & FLAG_F) != 0;
    }

    /** Which RIB view the encapsulated routes belong to. */
    public RibView ribView() {
        if (peerType == LOC_RIB_INSTANCE) {
            return RibView.LOC_RIB;
        }
        if (isAdjRibOut()) {
            return isPostPolicy() ? RibView.ADJ_RIB_OUT_POST_POLICY : RibView.ADJ_RIB_OUT_PRE_POLICY;
        }
        return isPostPolicy() ? RibView.ADJ_RIB_IN_POST_POLICY : RibView.ADJ_RIB_IN_PRE_POLICY;
    }

    public Instant timestamp() {
        return Instant.ofEpochSecond(timestampSeconds, Math.min(timestampMicroseconds, 999_999L) * 1000L);
    }

    /**
     * The distinguisher in the RFC 4364 text that routes show too ({@link RouteDistinguisher}):
     * e.g. {@code 64499:94}, {@code 192.0.2.1:7}, {@code 4226809946:12}; {@code 0:0} for a
     * global-instance peer.
     */
    public String distinguisherText() {
        return RouteDistinguisher.format(distinguisher);
    }

    /** The views a per-peer header can describe. */
    public enum RibView {
        ADJ_RIB_IN_PRE_POLICY,
        ADJ_RIB_IN_POST_POLICY,
        ADJ_RIB_OUT_PRE_POLICY,
        ADJ_RIB_OUT_POST_POLICY,
        LOC_RIB
    }
}

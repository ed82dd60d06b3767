package net.rampart.wire.mrt;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;

/** Decodes the body of one MRT record, given its header, into an {@link MrtRecord}. */
public final class MrtRecordDecoder {

    static final int AFI_IPV4 = 1;
    static final int AFI_IPV6 = 2;
    static final int SAFI_UNICAST = 1;
    static final int SAFI_MULTICAST = 2;

    private static final int PEER_INDEX_TABLE = 1;
    private static final int RIB_IPV4_UNICAST = 2;
    private static final int RIB_IPV4_MULTICAST = 3;
    private static final int RIB_IPV6_UNICAST = 4;
    private static final int RIB_IPV6_MULTICAST = 5;
    private static final int RIB_GENERIC = 6;
    private static final int RIB_IPV4_UNICAST_ADDPATH = 8;
    private static final int RIB_IPV4_MULTICAST_ADDPATH = 9;
    private static final int RIB_IPV6_UNICAST_ADDPATH = 10;
    private static final int RIB_IPV6_MULTICAST_ADDPATH = 11;
    private static final int RIB_GENERIC_ADDPATH = 12;

    /** Smallest RIB entry: peer index (2) + originated time (4) + attribute length (2). */
    private static final int MIN_RIB_ENTRY = 8;
    /** Smallest peer entry: type (1) + BGP ID (4) + IPv4 address (4) + 2-octet AS (2). */
    private static final int MIN_PEER_ENTRY = 11;

    private MrtRecordDecoder() {
    }

    /**
     * @param header the record's header; for *_ET types {@code body} starts after the microseconds field
     * @param body   the record body
     */
    public static MrtRecord decode(MrtRecord.Header header, byte[] body) {
        WireCursor in = new WireCursor(body);
        int subtype = header.subtype();
        return switch (header.type()) {
            case MrtRecord.BGP -> LegacyBgp.decode(header, in, body);
            case MrtRecord.TABLE_DUMP -> subtype == AFI_IPV4 || subtype == AFI_IPV6
                    ? tableDump(header, in) : new MrtRecord.Unknown(header, body);
            case MrtRecord.TABLE_DUMP_V2 -> tableDumpV2(header, in, body);
            case MrtRecord.BGP4MP, MrtRecord.BGP4MP_ET -> bgp4mp(header, in, body);
            default -> new MrtRecord.Unknown(header, body);
        };
    }

    private static MrtRecord tableDump(MrtRecord.Header header, WireCursor in) {
        int addressLength = header.subtype() == AFI_IPV4 ? 4 : 16;
        int view = in.uint16("TABLE_DUMP view number");
        int sequence = in.uint16("TABLE_DUMP sequence number");
        List<MrtRecord.TableDumpEntry> entries = new ArrayList<>(1);
        do {
            InetAddress prefix = in.address(addressLength, "TABLE_DUMP prefix");
            int prefixLength = prefixLength(in, addressLength, "TABLE_DUMP prefix length");
            int status = in.uint8("TABLE_DUMP status");
            long originated = in.uint32("TABLE_DUMP originated time");
            InetAddress peer = in.address(addressLength, "TABLE_DUMP peer address");
            int peerAs = in.uint16("TABLE_DUMP peer AS");
            int attributesLength = in.uint16("TABLE_DUMP attribute length");
            byte[] attributes = in.bytes(attributesLength, "TABLE_DUMP attributes");
            entries.add(new MrtRecord.TableDumpEntry(prefix, prefixLength, status, originated, peer, peerAs, attributes));
        } while (in.hasRemaining());
        return new MrtRecord.TableDump(header, view, sequence, List.copyOf(entries));
    }

    /**
     * How many bytes a TABLE_DUMP body really needs beyond the {@code declared} length: 0 for a
     * record as RFC 6396 defines it; 4 for RIPE RIS's multi-entry records of 1999-2000, whose
     * length leaves out the view and sequence numbers; -1 when the entries do not line up
     * with either.
     */
    static int tableDumpShortfall(int subtype, byte[] body) {
        int entryHeader = subtype == AFI_IPV4 ? 18 : 42;
        int attributeLengthAt = entryHeader - 2;
        long p = 4;
        while (p + entryHeader <= body.length) {
            int i = (int) p + attributeLengthAt;
            p += entryHeader + (((body[i] & 0xff) << 8) | (body[i + 1] & 0xff));
        }
        if (p == body.length) {
            return 0;
        }
        return p - body.length == 4 ? 4 : -1;
    }

    private static MrtRecord tableDumpV2(MrtRecord.Header header, WireCursor in, byte[] body) {
        return switch (header.subtype()) {
            case PEER_INDEX_TABLE -> peerIndexTable(header, in);
            case RIB_IPV4_UNICAST -> ribAfi(header, in, AFI_IPV4, SAFI_UNICAST, false);
            case RIB_IPV4_MULTICAST -> ribAfi(header, in, AFI_IPV4, SAFI_MULTICAST, false);
            case RIB_IPV6_UNICAST -> ribAfi(header, in, AFI_IPV6, SAFI_UNICAST, false);
            case RIB_IPV6_MULTICAST -> ribAfi(header, in, AFI_IPV6, SAFI_MULTICAST, false);
            case RIB_IPV4_UNICAST_ADDPATH -> ribAfi(header, in, AFI_IPV4, SAFI_UNICAST, true);
            case RIB_IPV4_MULTICAST_ADDPATH -> ribAfi(header, in, AFI_IPV4, SAFI_MULTICAST, true);
            case RIB_IPV6_UNICAST_ADDPATH -> ribAfi(header, in, AFI_IPV6, SAFI_UNICAST, true);
            case RIB_IPV6_MULTICAST_ADDPATH -> ribAfi(header, in, AFI_IPV6, SAFI_MULTICAST, true);
            case RIB_GENERIC -> ribGeneric(header, in, false);
            case RIB_GENERIC_ADDPATH -> ribGeneric(header, in, true);
            default -> new MrtRecord.Unknown(header, body);
        };
    }

    private static MrtRecord.PeerIndexTable peerIndexTable(MrtRecord.Header header, WireCursor in) {
        Inet4Address collector = (Inet4Address) in.address(4, "collector BGP ID");
        int nameLength = in.uint16("view name length");
        String viewName = in.utf8(nameLength, "view name");
        int count = in.uint16("peer count");
        checkCount(in, count, MIN_PEER_ENTRY, "peer count");
        MrtRecord.PeerEntry[] peers = new MrtRecord.PeerEntry[count];
        for (int i = 0; i < count; i++) {
            int type = in.uint8("peer type");
            Inet4Address bgpId = (Inet4Address) in.address(4, "peer BGP ID");
            InetAddress address = in.address((type & 0x01) != 0 ? 16 : 4, "peer address");
            long as = (type & 0x02) != 0 ? in.uint32("peer AS") : in.uint16("peer AS");
            peers[i] = new MrtRecord.PeerEntry(type, bgpId, address, as);
        }
        expectEnd(in, "PEER_INDEX_TABLE");
        return new MrtRecord.PeerIndexTable(header, collector, viewName, List.of(peers));
    }

    private static MrtRecord.RibAfi ribAfi(MrtRecord.Header header, WireCursor in, int afi, int safi, boolean addPath) {
        long sequence = in.uint32("RIB sequence number");
        int addressLength = afi == AFI_IPV4 ? 4 : 16;
        int prefixLength = prefixLength(in, addressLength, "RIB prefix length");
        byte[] address = new byte[addressLength];
        int prefixBytes = (prefixLength + 7) / 8;
        System.arraycopy(in.bytes(prefixBytes, "RIB prefix"), 0, address, 0, prefixBytes);
        InetAddress prefix = toAddress(address);
        List<MrtRecord.RibEntry> entries = ribEntries(in, addPath);
        return new MrtRecord.RibAfi(header, sequence, afi, safi, prefix, prefixLength, addPath, entries);
    }

    private static MrtRecord.RibGeneric ribGeneric(MrtRecord.Header header, WireCursor in, boolean addPath) {
        long sequence = in.uint32("RIB sequence number");
        int afi = in.uint16("RIB_GENERIC AFI");
        int safi = in.uint8("RIB_GENERIC SAFI");
        byte[] nlri = in.bytes(nlriLength(in, safi), "RIB_GENERIC NLRI");
        List<MrtRecord.RibEntry> entries = ribEntries(in, addPath);
        return new MrtRecord.RibGeneric(header, sequence, afi, safi, nlri, addPath, entries);
    }

    /**
     * The length of the one NLRI at the cursor. RIB_GENERIC does not delimit it, so it is read
     * from the NLRI's own encoding: EVPN route type + length (RFC 7432), FlowSpec one- or
     * two-octet length (RFC 8955), otherwise a length in bits (unicast, multicast, labeled, VPN).
     */
    private static int nlriLength(WireCursor in, int safi) {
        in.require(1, "RIB_GENERIC NLRI");
        byte[] bytes = in.array();
        int first = bytes[in.arrayOffset()] & 0xff;
        if (safi == 70) {
            in.require(2, "RIB_GENERIC EVPN NLRI header");
            return 2 + (bytes[in.arrayOffset() + 1] & 0xff);
        }
        if (safi == 133 || safi == 134) {
            if (first >= 0xf0) {
                in.require(2, "RIB_GENERIC FlowSpec NLRI length");
                return 2 + (((first & 0x0f) << 8) | (bytes[in.arrayOffset() + 1] & 0xff));
            }
            return 1 + first;
        }
        return 1 + (first + 7) / 8;
    }

    private static List<MrtRecord.RibEntry> ribEntries(WireCursor in, boolean addPath) {
        int count = in.uint16("RIB entry count");
        checkCount(in, count, MIN_RIB_ENTRY + (addPath ? 4 : 0), "RIB entry count");
        MrtRecord.RibEntry[] entries = new MrtRecord.RibEntry[count];
        for (int i = 0; i < count; i++) {
            int peerIndex = in.uint16("RIB entry peer index");
            long originated = in.uint32("RIB entry originated time");
            long pathId = addPath ? in.uint32("RIB entry path identifier") : -1;
            int attributesLength = in.uint16("RIB entry attribute length");
            entries[i] = new MrtRecord.RibEntry(peerIndex, originated, pathId, in.bytes(attributesLength, "RIB entry attributes"));
        }
        expectEnd(in, "RIB");
        return List.of(entries);
    }

    private static MrtRecord bgp4mp(MrtRecord.Header header, WireCursor in, byte[] body) {
        int subtype = header.subtype();
        boolean message = Bgp4mpSubtype.isMessage(subtype);
        if (!message && !Bgp4mpSubtype.isStateChange(subtype)) {
            return new MrtRecord.Unknown(header, body);
        }
        boolean as4 = Bgp4mpSubtype.isAs4(subtype);
        long peerAs = as4 ? in.uint32("BGP4MP peer AS") : in.uint16("BGP4MP peer AS");
        long localAs = as4 ? in.uint32("BGP4MP local AS") : in.uint16("BGP4MP local AS");
        int interfaceIndex = in.uint16("BGP4MP interface index");
        int afi = in.uint16("BGP4MP address family");
        int addressLength = switch (afi) {
            case AFI_IPV4 -> 4;
            case AFI_IPV6 -> 16;
            default -> throw new DecodeException("BGP4MP address family " + afi, in.position() - 2);
        };
        InetAddress peer = in.address(addressLength, "BGP4MP peer address");
        InetAddress local = in.address(addressLength, "BGP4MP local address");
        if (message) {
            return new MrtRecord.Bgp4mpMessage(header, peerAs, localAs, interfaceIndex, afi, peer, local, in.rest());
        }
        int oldState = in.uint16("BGP4MP old state");
        int newState = in.uint16("BGP4MP new state");
        expectEnd(in, "BGP4MP state change");
        return new MrtRecord.Bgp4mpStateChange(header, peerAs, localAs, interfaceIndex, afi, peer, local, oldState, newState);
    }

    private static int prefixLength(WireCursor in, int addressLength, String field) {
        int length = in.uint8(field);
        if (length > addressLength * 8) {
            throw new DecodeException(field + " " + length + " exceeds " + addressLength * 8, in.position() - 1);
        }
        return length;
    }

    private static void checkCount(WireCursor in, int count, int minEntrySize, String field) {
        if ((long) count * minEntrySize > in.remaining()) {
            throw new DecodeException(field + " " + count + " exceeds what " + in.remaining() + " bytes can hold", in.position() - 2);
        }
    }

    private static void expectEnd(WireCursor in, String what) {
        if (in.hasRemaining()) {
            throw new DecodeException(in.remaining() + " bytes after the end of a " + what + " record", in.position());
        }
    }

    private static InetAddress toAddress(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + address.length + " bytes", e);
        }
    }
}

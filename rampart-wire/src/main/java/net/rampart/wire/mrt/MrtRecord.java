package net.rampart.wire.mrt;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One decoded MRT record (RFC 6396, add-path forms from RFC 8050). BGP path attributes and
 * messages inside stay raw here; {@link MrtRouteDecoder} decodes them with the AS size and
 * add-path mode the record type implies.
 */
public sealed interface MrtRecord {

    /** Deprecated (RFC 6396 appendix B) but what RIPE RIS wrote until 2001. */
    int BGP = 5;
    int TABLE_DUMP = 12;
    int TABLE_DUMP_V2 = 13;
    int BGP4MP = 16;
    int BGP4MP_ET = 17;

    Header header();

    /**
     * The common header.
     *
     * @param timestampSeconds seconds since the epoch
     * @param microseconds     the extended-timestamp part of *_ET types, else 0
     * @param type             record type
     * @param subtype          record subtype
     * @param length           body length as declared (for *_ET types it includes the microseconds field)
     */
    record Header(long timestampSeconds, long microseconds, int type, int subtype, long length) {
        public Instant timestamp() {
            return Instant.ofEpochSecond(timestampSeconds, Math.min(microseconds, 999_999L) * 1000L);
        }
    }

    /**
     * TABLE_DUMP (type 12); the subtype is the AFI and AS numbers are 2 octets. A record holds
     * one entry (RFC 6396 section 4.2), except in RIPE RIS dumps of 1999-2000, where one record
     * holds the entries of many prefixes (and its length field leaves out the first four octets).
     */
    record TableDump(Header header, int viewNumber, int sequence, List<TableDumpEntry> entries) implements MrtRecord {
    }

    /** One route of one peer in a TABLE_DUMP record. Its attributes use 2-octet AS numbers. */
    record TableDumpEntry(InetAddress prefix, int prefixLength, int status, long originatedTime,
                          InetAddress peerAddress, int peerAs, byte[] attributes) {
    }

    /** TABLE_DUMP_V2 PEER_INDEX_TABLE: the peers the following RIB records refer to by index. */
    record PeerIndexTable(Header header, Inet4Address collectorBgpId, String viewName, List<PeerEntry> peers)
            implements MrtRecord {
    }

    /** One peer of a PEER_INDEX_TABLE. */
    record PeerEntry(int peerType, Inet4Address bgpId, InetAddress address, long as) {
        /** Peer type bit 1: the AS field is 4 octets. */
        public boolean as4() {
            return (peerType & 0x02) != 0;
        }
    }

    /**
     * TABLE_DUMP_V2 RIB_IPV4_UNICAST, RIB_IPV4_MULTICAST, RIB_IPV6_UNICAST, RIB_IPV6_MULTICAST and
     * their ADDPATH forms: every peer's route to one prefix.
     */
    record RibAfi(Header header, long sequence, int afi, int safi, InetAddress prefix, int prefixLength,
                  boolean addPath, List<RibEntry> entries) implements MrtRecord {
    }

    /**
     * TABLE_DUMP_V2 RIB_GENERIC and RIB_GENERIC_ADDPATH: every peer's route to one NLRI of any
     * AFI/SAFI, the NLRI kept in its BGP encoding.
     */
    record RibGeneric(Header header, long sequence, int afi, int safi, byte[] nlri, boolean addPath,
                      List<RibEntry> entries) implements MrtRecord {
    }

    /**
     * One route of a RIB record. Its attributes use 4-octet AS numbers, and an MP_REACH_NLRI
     * in them holds only the next hop (RFC 6396 section 4.3.4).
     *
     * @param pathId the add-path identifier in ADDPATH records, else -1
     */
    record RibEntry(int peerIndex, long originatedTime, long pathId, byte[] attributes) {
    }

    /**
     * BGP4MP / BGP4MP_ET MESSAGE and its AS4, LOCAL and ADDPATH forms: one BGP message,
     * BGP header included, exchanged with a peer.
     */
    record Bgp4mpMessage(Header header, long peerAs, long localAs, int interfaceIndex, int afi,
                         InetAddress peerAddress, InetAddress localAddress, byte[] bgpMessage) implements MrtRecord {

        /** AS_PATH in the message uses 4-octet AS numbers. */
        public boolean as4() {
            return Bgp4mpSubtype.isAs4(header.subtype());
        }

        /** NLRI in the message carry add-path identifiers (RFC 8050). */
        public boolean addPath() {
            return Bgp4mpSubtype.isAddPath(header.subtype());
        }

        /** The message was sent by the local speaker rather than received from the peer. */
        public boolean local() {
            return Bgp4mpSubtype.isLocal(header.subtype());
        }
    }

    /** BGP4MP / BGP4MP_ET STATE_CHANGE and STATE_CHANGE_AS4: a BGP FSM transition. */
    record Bgp4mpStateChange(Header header, long peerAs, long localAs, int interfaceIndex, int afi,
                             InetAddress peerAddress, InetAddress localAddress, int oldState, int newState)
            implements MrtRecord {
    }

    /**
     * Deprecated type BGP (5), subtypes BGP_UPDATE, BGP_OPEN, BGP_NOTIFY and BGP_KEEPALIVE: one
     * message exchanged with an IPv4 peer, 2-octet AS numbers. The file holds the message without
     * its 19-octet header; {@code bgpMessage} has it restored, so it decodes like any other.
     */
    record LegacyBgpMessage(Header header, int peerAs, InetAddress peerAddress, int localAs, InetAddress localAddress,
                            byte[] bgpMessage) implements MrtRecord {
    }

    /** Deprecated type BGP (5), subtype BGP_STATE_CHANGE. */
    record LegacyBgpStateChange(Header header, int peerAs, InetAddress peerAddress, int oldState, int newState)
            implements MrtRecord {
    }

    /** A record of a type or subtype not decoded here (OSPF, IS-IS, GEO_PEER_TABLE, ...), body kept raw. */
    record Unknown(Header header, byte[] body) implements MrtRecord {
    }
}

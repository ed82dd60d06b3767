package net.rampart.wire.bmp;

import java.net.InetAddress;
import java.util.List;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.UpdateMessage;

/**
 * A decoded BMP message (RFC 7854 section 4), encapsulated BGP messages decoded too. The
 * UPDATE of a Route Monitoring needs the per-peer state of {@link BmpSession}.
 */
public sealed interface BmpMessage {

    int ROUTE_MONITORING = 0;
    int STATISTICS_REPORT = 1;
    int PEER_DOWN = 2;
    int PEER_UP = 3;
    int INITIATION = 4;
    int TERMINATION = 5;
    int ROUTE_MIRRORING = 6;

    /** The message type of the common header. */
    int type();

    /** Messages that carry a per-peer header. */
    sealed interface PeerMessage extends BmpMessage {
        PerPeerHeader peer();
    }

    /**
     * Type 0: one BGP UPDATE as received from (or sent to) the peer. Problems inside the
     * UPDATE body are RFC 7606 errors on {@link UpdateMessage#errors()}, not exceptions.
     *
     * <p>RFC 7854 puts nothing after the UPDATE, but some routers (Huawei NE40E among them)
     * append draft-ietf-grow-bmp-tlv TLVs within the BMP message length. The UPDATE is decoded
     * from its own length (RFC 4271 section 4.1) and the rest read as {@link RouteMonitoringTlv}s;
     * a trailer that is not well-formed TLVs is kept raw rather than costing the routes.
     *
     * @param tlvs            the TLVs after the UPDATE in order, of known types or not
     * @param unparsedTrailer what follows the last whole TLV when it is not one (a length that
     *                        overruns the message, or fewer bytes than a TLV header); empty
     *                        when the trailer is well formed
     */
    record RouteMonitoring(PerPeerHeader peer, UpdateMessage update, List<RouteMonitoringTlv> tlvs,
                           byte[] unparsedTrailer) implements PeerMessage {
        @Override
        public int type() {
            return ROUTE_MONITORING;
        }

        /** The text of the first well-formed VRF/table name TLV, or {@code null}. */
        public String vrfTableName() {
            for (RouteMonitoringTlv tlv : tlvs) {
                if (tlv.type() == RouteMonitoringTlv.VRF_TABLE_NAME && tlv.isKnown()) {
                    return tlv.text();
                }
            }
            return null;
        }

        /** TLVs of a type not read here, or of a known type with a value of the wrong size. */
        public int unknownTlvCount() {
            int unknown = 0;
            for (RouteMonitoringTlv tlv : tlvs) {
                if (!tlv.isKnown()) {
                    unknown++;
                }
            }
            return unknown;
        }

        /** Whether bytes after the UPDATE did not form TLVs (see {@link #unparsedTrailer()}). */
        public boolean hasMalformedTrailer() {
            return unparsedTrailer.length > 0;
        }
    }

    /** Type 1: counters and gauges for one peer. */
    record StatisticsReport(PerPeerHeader peer, List<Statistic> statistics) implements PeerMessage {
        @Override
        public int type() {
            return STATISTICS_REPORT;
        }
    }

    /**
     * Type 2: the session with the peer went down.
     *
     * @param reason       reason code (RFC 7854 section 4.9; 6 from RFC 9069)
     * @param notification the BGP NOTIFICATION for reasons 1 and 3, else {@code null}
     * @param fsmEvent     the FSM event code for reason 2, else -1
     * @param information  TLVs for reason 6 (Loc-RIB instance), else empty
     * @param data         for reasons not defined here, their data undecoded; else empty
     */
    record PeerDown(PerPeerHeader peer, int reason, NotificationMessage notification, int fsmEvent,
                    List<InformationTlv> information, byte[] data) implements PeerMessage {

        public static final int LOCAL_NOTIFICATION = 1;
        public static final int LOCAL_NO_NOTIFICATION = 2;
        public static final int REMOTE_NOTIFICATION = 3;
        public static final int REMOTE_NO_NOTIFICATION = 4;
        public static final int PEER_DECONFIGURED = 5;
        public static final int LOCAL_TLV = 6;

        @Override
        public int type() {
            return PEER_DOWN;
        }
    }

    /**
     * Type 3: the session with the peer came up; both OPEN messages are the source of the
     * per-peer decoding state (4-octet AS, add-path, extended messages).
     *
     * @param sentOpen     the OPEN the monitored router sent
     * @param receivedOpen the OPEN it received from the peer
     */
    record PeerUp(PerPeerHeader peer, InetAddress localAddress, int localPort, int remotePort,
                  OpenMessage sentOpen, OpenMessage receivedOpen, List<InformationTlv> information) implements PeerMessage {
        @Override
        public int type() {
            return PEER_UP;
        }

        /** The RFC 9069 VRF/table name TLV, or {@code null}. */
        public String vrfTableName() {
            return InformationTlv.firstText(information, InformationTlv.VRF_TABLE_NAME);
        }
    }

    /** Type 4: the first message of a BMP session, describing the router. */
    record Initiation(List<InformationTlv> information) implements BmpMessage {
        @Override
        public int type() {
            return INITIATION;
        }

        public String sysName() {
            return InformationTlv.firstText(information, InformationTlv.SYS_NAME);
        }

        public String sysDescr() {
            return InformationTlv.firstText(information, InformationTlv.SYS_DESCR);
        }
    }

    /** Type 5: the router is closing the BMP session. */
    record Termination(List<InformationTlv> information) implements BmpMessage {

        /** Termination reason codes (RFC 7854 section 4.5). */
        public static final int ADMINISTRATIVELY_CLOSED = 0;
        public static final int UNSPECIFIED = 1;
        public static final int OUT_OF_RESOURCES = 2;
        public static final int REDUNDANT_CONNECTION = 3;
        public static final int PERMANENTLY_ADMINISTRATIVELY_CLOSED = 4;

        @Override
        public int type() {
            return TERMINATION;
        }

        /** The reason code TLV's value, or -1 when there is none. */
        public int reason() {
            for (InformationTlv tlv : information) {
                if (tlv.type() == InformationTlv.TERMINATION_REASON && tlv.value().length == 2) {
                    return (int) tlv.number();
                }
            }
            return -1;
        }
    }

    /**
     * Type 6: verbatim copies of messages received from the peer (RFC 7854 section 4.7).
     * TLV type 0 holds a BGP message, kept raw because it may be the very PDU the router could
     * not parse; type 1 a two-octet information code.
     */
    record RouteMirroring(PerPeerHeader peer, List<InformationTlv> items) implements PeerMessage {

        public static final int BGP_MESSAGE = 0;
        public static final int INFORMATION = 1;
        /** Information code: the mirrored PDU could not be parsed by the router. */
        public static final int ERRORED_PDU = 0;
        /** Information code: messages were lost. */
        public static final int MESSAGES_LOST = 1;

        @Override
        public int type() {
            return ROUTE_MIRRORING;
        }
    }

    /** A message type this decoder does not know (7-250 unassigned, 251-254 experimental). */
    record Unknown(int type, byte[] body) implements BmpMessage {
    }
}

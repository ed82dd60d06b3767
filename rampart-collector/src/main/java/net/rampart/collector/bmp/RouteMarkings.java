package net.rampart.collector.bmp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.wire.bmp.RouteMonitoringTlv;

/**
 * Puts what the TLVs after a Route Monitoring's UPDATE say about its routes (the VRF/table
 * name of draft-ietf-grow-bmp-tlv, the path status and reason of
 * draft-ietf-grow-bmp-path-marking-tlv) on those routes, as a {@link RouteMarking} of their
 * attributes.
 *
 * <p>A TLV's index ties it to NLRI of the UPDATE by position. The drafts leave the numbering
 * loose across revisions; it is read here as: index 0 is about every NLRI of the message, and
 * index i above 0 about the i-th announced NLRI, counted from 1 in the order the UPDATE
 * announces them (the IPv4 NLRI field, then MP_REACH_NLRI, the order of
 * {@link net.rampart.collector.bgp.UpdateRoutes}). Withdrawn NLRI are not counted: they have no
 * attributes to carry a marking. An index past the last announced NLRI marks nothing. For one
 * NLRI, a field given by a TLV of its own index wins over the same field given with index 0;
 * of two TLVs for the same field and index, the first counts, as
 * {@link net.rampart.wire.bmp.BmpMessage.RouteMonitoring#vrfTableName()} takes the first.
 * Unknown TLVs mark nothing (they are counted elsewhere).
 */
final class RouteMarkings {

    private RouteMarkings() {
    }

    /**
     * The blocks with the marking of each announced route on its attributes. Routes of one
     * block that are marked differently go to consecutive blocks of their own, one per marking
     * in the order first met; the first carries the block's withdrawals, so that they are
     * still applied before any of its announcements.
     */
    static List<RouteUpdate> apply(List<RouteMonitoringTlv> tlvs, List<RouteUpdate> blocks) {
        Fields all = new Fields();
        Map<Integer, Fields> byIndex = new HashMap<>();
        boolean any = false;
        for (RouteMonitoringTlv tlv : tlvs) {
            if (tlv.isKnown()) {
                (tlv.index() == 0 ? all : byIndex.computeIfAbsent(tlv.index(), i -> new Fields())).add(tlv);
                any = true;
            }
        }
        if (!any) {
            return blocks;
        }
        List<RouteUpdate> out = new ArrayList<>(blocks.size() + byIndex.size());
        int position = 0;
        for (RouteUpdate block : blocks) {
            if (block.announced().isEmpty()) {
                out.add(block);
                continue;
            }
            // HashMap takes the null key, which stands for routes left without a marking.
            Map<RouteMarking, List<RouteKey>> groups = new LinkedHashMap<>();
            for (RouteKey key : block.announced()) {
                position++;
                groups.computeIfAbsent(marking(byIndex.get(position), all), m -> new ArrayList<>()).add(key);
            }
            List<RouteKey> withdrawn = block.withdrawn();
            for (Map.Entry<RouteMarking, List<RouteKey>> group : groups.entrySet()) {
                out.add(new RouteUpdate(block.timeMillis(), block.family(),
                        block.attributes().withMarking(group.getKey()), group.getValue(), withdrawn));
                withdrawn = List.of();
            }
        }
        return out;
    }

    /** The marking of an NLRI: its own fields ({@code own}, null when none) over the message's. */
    private static RouteMarking marking(Fields own, Fields all) {
        String tableName = own != null && own.tableName != null ? own.tableName : all.tableName;
        Fields status = own != null && own.pathStatus != RouteMarking.ABSENT_STATUS ? own : all;
        if (tableName == null && status.pathStatus == RouteMarking.ABSENT_STATUS) {
            return null;
        }
        return new RouteMarking(tableName, status.pathStatus, status.reasonCode);
    }

    /** The known fields the TLVs of one index give, the first of each type. */
    private static final class Fields {
        private String tableName;
        private long pathStatus = RouteMarking.ABSENT_STATUS;
        private int reasonCode = RouteMarking.ABSENT_REASON;

        void add(RouteMonitoringTlv tlv) {
            if (tlv.type() == RouteMonitoringTlv.VRF_TABLE_NAME && tableName == null) {
                tableName = tlv.text();
            } else if (tlv.type() == RouteMonitoringTlv.PATH_STATUS && pathStatus == RouteMarking.ABSENT_STATUS) {
                pathStatus = tlv.pathStatus();
                reasonCode = tlv.reasonCode();
            }
        }
    }
}

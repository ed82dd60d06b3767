package net.rampart.mitigation.bgp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.flowspec.BitmaskMatch;
import net.rampart.wire.bgp.flowspec.FlowSpecAction;
import net.rampart.wire.bgp.flowspec.FlowSpecCodec;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.flowspec.NumericMatch;
import net.rampart.wire.bgp.nlri.Nlri;

/**
 * Rampart's rules as FlowSpec on the wire: the match as an NLRI (RFC 8955 / 8956), the action as
 * an extended community, and rules packed into as few UPDATEs as fit the 4096-byte limit (rules
 * sharing an action share one UPDATE, since the action is a path attribute).
 */
public final class FlowSpecEncoding {

    /** Room for the header and the other attributes within a 4096-byte UPDATE. */
    private static final int NLRI_BUDGET = 3800;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_ACK = 0x10;

    private FlowSpecEncoding() {
    }

    public static AfiSafi family(FlowMatch match) {
        return match.isIpv4() ? AfiSafi.IPV4_FLOWSPEC : new AfiSafi(AfiSafi.AFI_IPV6, AfiSafi.SAFI_FLOWSPEC);
    }

    public static FlowSpecNlri nlri(FlowMatch match) {
        List<FlowSpecComponent> components = new ArrayList<>();
        components.add(new FlowSpecComponent.Prefix(FlowSpecComponent.DESTINATION_PREFIX, match.destination()));
        match.ipProtocol().ifPresent(p -> components.add(new FlowSpecComponent.Numeric(FlowSpecComponent.IP_PROTOCOL,
                List.of(NumericMatch.eq(p)))));
        if (!match.destinationPorts().isEmpty()) {
            components.add(new FlowSpecComponent.Numeric(FlowSpecComponent.DESTINATION_PORT,
                    match.destinationPorts().stream().map(NumericMatch::eq).toList()));
        }
        if (match.tcpFlagsSyn()) {
            // SYN set AND ACK clear: the first segment of a handshake, what a SYN flood is made of.
            components.add(new FlowSpecComponent.Bitmask(FlowSpecComponent.TCP_FLAGS, List.of(
                    new BitmaskMatch(false, false, true, 1, TCP_SYN),
                    new BitmaskMatch(true, true, true, 1, TCP_ACK))));
        }
        return new FlowSpecNlri(match.isIpv4() ? 1 : 2, components);
    }

    /**
     * The extended community for an action. The 2-octet AS field of traffic-rate is informational
     * (RFC 8955 section 7.1); it carries the local AS when it fits, else 0.
     */
    public static long community(FlowAction action, long localAsn) {
        int as2 = localAsn <= 0xFFFF ? (int) localAsn : 0;
        FlowSpecAction wire = switch (action) {
            case FlowAction.TrafficRate r -> new FlowSpecAction.TrafficRateBytes(as2, r.bytesPerSecond());
            case FlowAction.Discard d -> new FlowSpecAction.TrafficRateBytes(as2, 0f);
            case FlowAction.MarkDscp m -> new FlowSpecAction.TrafficMarking(m.dscp());
            case FlowAction.Redirect r -> {
                String[] parts = r.routeTarget().split(":");
                long asn = Long.parseLong(parts[0]);
                long value = Long.parseLong(parts[1]);
                yield asn <= 0xFFFF && value <= 0xFFFF_FFFFL
                        ? new FlowSpecAction.RedirectAs2((int) asn, value)
                        : new FlowSpecAction.RedirectAs4(asn, (int) value);
            }
        };
        return wire.toExtendedCommunity();
    }

    /**
     * UPDATEs announcing the rules.
     *
     * @param ebgp true when the peer is in another AS: the AS path then carries the local AS,
     *             and LOCAL_PREF is left out
     */
    public static List<UpdateMessage> announcements(List<FlowSpecRule> rules, long localAsn, boolean ebgp) {
        Map<Object, List<FlowSpecRule>> byFamilyAndAction = new LinkedHashMap<>();
        for (FlowSpecRule r : rules) {
            byFamilyAndAction.computeIfAbsent(List.of(family(r.match()), r.action()), k -> new ArrayList<>()).add(r);
        }
        List<UpdateMessage> updates = new ArrayList<>();
        for (List<FlowSpecRule> group : byFamilyAndAction.values()) {
            AfiSafi family = family(group.get(0).match());
            long community = community(group.get(0).action(), localAsn);
            for (List<Nlri> batch : batches(group.stream().map(r -> (Nlri) nlri(r.match())).toList())) {
                List<PathAttribute> attributes = new ArrayList<>();
                attributes.add(new PathAttribute.Origin(PathAttribute.Origin.IGP));
                attributes.add(ebgp ? PathAttribute.AsPath.sequence(localAsn) : new PathAttribute.AsPath(List.of()));
                if (!ebgp) {
                    attributes.add(new PathAttribute.LocalPref(100));
                }
                attributes.add(new PathAttribute.ExtendedCommunities(new long[] {community}));
                attributes.add(new PathAttribute.MpReach(family, new byte[0], batch));
                updates.add(new UpdateMessage(List.of(), attributes, List.of()));
            }
        }
        return updates;
    }

    /** UPDATEs withdrawing the rules' matches. */
    public static List<UpdateMessage> withdrawals(List<FlowMatch> matches) {
        Map<AfiSafi, List<Nlri>> byFamily = new LinkedHashMap<>();
        for (FlowMatch m : matches) {
            byFamily.computeIfAbsent(family(m), k -> new ArrayList<>()).add(nlri(m));
        }
        List<UpdateMessage> updates = new ArrayList<>();
        byFamily.forEach((family, nlris) -> {
            for (List<Nlri> batch : batches(nlris)) {
                updates.add(new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(family, batch)),
                        List.of()));
            }
        });
        return updates;
    }

    /** The End-of-RIB marker of a family other than IPv4 unicast: an empty MP_UNREACH (RFC 4724). */
    public static UpdateMessage endOfRib(AfiSafi family) {
        return new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreach(family, List.of())), List.of());
    }

    private static List<List<Nlri>> batches(List<Nlri> nlris) {
        List<List<Nlri>> batches = new ArrayList<>();
        List<Nlri> current = new ArrayList<>();
        int size = 0;
        for (Nlri n : nlris) {
            ByteSink sink = new ByteSink(64);
            FlowSpecCodec.write((FlowSpecNlri) n, sink);
            if (size + sink.size() > NLRI_BUDGET && !current.isEmpty()) {
                batches.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(n);
            size += sink.size();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}

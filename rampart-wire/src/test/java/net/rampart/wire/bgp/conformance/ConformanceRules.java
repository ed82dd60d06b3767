package net.rampart.wire.bgp.conformance;

import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.flowspec.BitmaskMatch;
import net.rampart.wire.bgp.flowspec.FlowSpecAction;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.flowspec.NumericMatch;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/**
 * The FlowSpec rules sent to real daemons: every component type of both families, numeric and
 * bitmask operators with AND/OR, an IPv6 prefix offset, the flow label, an NLRI of more than
 * 240 bytes, and each action kind.
 */
final class ConformanceRules {

    static final long LOCAL_AS = 65001;

    record Rule(FlowSpecNlri nlri, List<FlowSpecAction> actions) {
    }

    private ConformanceRules() {
    }

    private static FlowSpecComponent prefix(int type, String cidr) {
        return new FlowSpecComponent.Prefix(type, cidr.contains(":") ? Ipv6Prefix.parse(cidr) : Ipv4Prefix.parse(cidr));
    }

    private static FlowSpecComponent numeric(int type, NumericMatch... matches) {
        return new FlowSpecComponent.Numeric(type, List.of(matches));
    }

    private static FlowSpecComponent bitmask(int type, BitmaskMatch... matches) {
        return new FlowSpecComponent.Bitmask(type, List.of(matches));
    }

    static List<Rule> ipv4() {
        List<NumericMatch> manyPorts = new ArrayList<>();
        for (int port = 1000; port < 1100; port++) {
            manyPorts.add(NumericMatch.eq(port));
        }
        return List.of(
                new Rule(new FlowSpecNlri(1, List.of(prefix(1, "192.0.2.0/24"),
                        numeric(FlowSpecComponent.IP_PROTOCOL, NumericMatch.eq(6)),
                        numeric(FlowSpecComponent.PORT, NumericMatch.eq(80)))),
                        List.of(new FlowSpecAction.TrafficRateBytes(0, 0f))),
                new Rule(new FlowSpecNlri(1, List.of(prefix(1, "198.51.100.0/24"), prefix(2, "203.0.113.0/24"),
                        numeric(FlowSpecComponent.IP_PROTOCOL, NumericMatch.eq(17)),
                        numeric(FlowSpecComponent.DESTINATION_PORT, NumericMatch.of(false, ">=", 1024),
                                NumericMatch.of(true, "<=", 2048)),
                        numeric(FlowSpecComponent.SOURCE_PORT, NumericMatch.eq(53)),
                        numeric(FlowSpecComponent.PACKET_LENGTH, NumericMatch.of(false, ">", 1000)))),
                        List.of(new FlowSpecAction.TrafficRateBytes(0, 1_000_000f))),
                new Rule(new FlowSpecNlri(1, List.of(prefix(1, "10.0.0.0/8"),
                        numeric(FlowSpecComponent.IP_PROTOCOL, NumericMatch.eq(1)),
                        numeric(FlowSpecComponent.ICMP_TYPE, NumericMatch.eq(8)),
                        numeric(FlowSpecComponent.ICMP_CODE, NumericMatch.eq(0)),
                        numeric(FlowSpecComponent.DSCP, NumericMatch.eq(46)))),
                        List.of(new FlowSpecAction.TrafficMarking(10))),
                new Rule(new FlowSpecNlri(1, List.of(prefix(1, "10.1.0.0/16"),
                        numeric(FlowSpecComponent.IP_PROTOCOL, NumericMatch.eq(6)),
                        bitmask(FlowSpecComponent.TCP_FLAGS, new BitmaskMatch(false, false, true, 1, 0x02),
                                new BitmaskMatch(true, true, false, 1, 0x10)),
                        bitmask(FlowSpecComponent.FRAGMENT, new BitmaskMatch(false, false, false, 1, 0x02)))),
                        List.of(new FlowSpecAction.TrafficAction(true, false), new FlowSpecAction.RedirectAs2(65001, 100))),
                new Rule(new FlowSpecNlri(1, List.of(prefix(1, "192.0.2.128/25"),
                        new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, manyPorts))),
                        List.of(new FlowSpecAction.TrafficRateBytes(0, 5000f))));
    }

    static List<Rule> ipv6() {
        return List.of(
                new Rule(new FlowSpecNlri(2, List.of(prefix(1, "2001:db8::/32"),
                        numeric(FlowSpecComponent.IP_PROTOCOL, NumericMatch.eq(6)),
                        numeric(FlowSpecComponent.PORT, NumericMatch.eq(443)))),
                        List.of(new FlowSpecAction.TrafficRateBytes(0, 0f))),
                new Rule(new FlowSpecNlri(2, List.of(
                        new FlowSpecComponent.Prefix(1, new Ipv6Prefix(0xABCDL, 0, 64), 48),
                        prefix(2, "2001:db8:1::/48"),
                        numeric(FlowSpecComponent.FLOW_LABEL, NumericMatch.eq(12345)))),
                        List.of(new FlowSpecAction.TrafficRateBytes(0, 1000f))),
                new Rule(new FlowSpecNlri(2, List.of(prefix(1, "2001:db8:2::/48"),
                        numeric(FlowSpecComponent.PACKET_LENGTH, NumericMatch.of(false, "<", 100)),
                        numeric(FlowSpecComponent.DSCP, NumericMatch.eq(10)))),
                        List.of(new FlowSpecAction.TrafficMarking(0))));
    }

    /** Whether the rule's NLRI is 240 bytes or more and so needs the 0xFnnn length form. */
    static boolean needsTwoOctetLength(Rule rule) {
        net.rampart.wire.bgp.ByteSink out = new net.rampart.wire.bgp.ByteSink();
        net.rampart.wire.bgp.flowspec.FlowSpecCodec.write(rule.nlri(), out);
        return out.size() - 2 >= 240;
    }

    /** One UPDATE per rule: ORIGIN, AS_PATH, the actions as extended communities, MP_REACH without next hop. */
    static UpdateMessage announce(Rule rule) {
        long[] communities = rule.actions().stream().mapToLong(FlowSpecAction::toExtendedCommunity).toArray();
        AfiSafi family = rule.nlri().afi() == 1 ? AfiSafi.IPV4_FLOWSPEC : AfiSafi.IPV6_FLOWSPEC;
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(LOCAL_AS), new PathAttribute.ExtendedCommunities(communities),
                new PathAttribute.MpReach(family, new byte[0], List.of(rule.nlri()))), List.of());
    }

    /** The full operator byte a rule's term goes on the wire with, end-of-list bit included. */
    static int operatorByte(Object match, boolean last) {
        int op = last ? 0x80 : 0;
        switch (match) {
            case NumericMatch n -> op |= (n.and() ? 0x40 : 0) | (Integer.numberOfTrailingZeros(n.valueLength()) << 4)
                    | (n.lessThan() ? 4 : 0) | (n.greaterThan() ? 2 : 0) | (n.equal() ? 1 : 0);
            case BitmaskMatch b -> op |= (b.and() ? 0x40 : 0) | (Integer.numberOfTrailingZeros(b.valueLength()) << 4)
                    | (b.not() ? 2 : 0) | (b.match() ? 1 : 0);
            default -> throw new IllegalArgumentException(String.valueOf(match));
        }
        return op;
    }
}

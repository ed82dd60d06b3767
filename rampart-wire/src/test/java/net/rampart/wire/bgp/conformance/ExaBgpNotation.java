package net.rampart.wire.bgp.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.rampart.wire.bgp.flowspec.BitmaskMatch;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.flowspec.NumericMatch;

/**
 * Renders a Rampart FlowSpec rule the way ExaBGP's JSON API prints a received one (component
 * name to a list of OR-ed terms, AND-ed terms joined by '&amp;'), so a test can compare the
 * two. Covers the names the conformance rules use. Test code only.
 */
final class ExaBgpNotation {

    private ExaBgpNotation() {
    }

    static Map<String, List<String>> render(FlowSpecNlri rule) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        boolean v6 = rule.afi() == 2;
        for (FlowSpecComponent c : rule.components()) {
            String name = name(c.type(), v6);
            switch (c) {
                case FlowSpecComponent.Prefix p ->
                        out.put(name, List.of(p.prefix() + (v6 ? "/" + p.offset() : "")));
                case FlowSpecComponent.Numeric n -> {
                    List<String> terms = new ArrayList<>();
                    for (NumericMatch m : n.matches()) {
                        String term = comparison(m) + value(c.type(), m.value());
                        if (m.and() && !terms.isEmpty()) {
                            terms.set(terms.size() - 1, terms.get(terms.size() - 1) + "&" + term);
                        } else {
                            terms.add(term);
                        }
                    }
                    out.put(name, terms);
                }
                case FlowSpecComponent.Bitmask b -> {
                    List<String> terms = new ArrayList<>();
                    for (BitmaskMatch m : b.matches()) {
                        String term = (m.match() ? "=" : "") + (m.not() ? "!" : "") + flags(c.type(), m.value());
                        if (m.and() && !terms.isEmpty()) {
                            terms.set(terms.size() - 1, terms.get(terms.size() - 1) + "&" + term);
                        } else {
                            terms.add(term);
                        }
                    }
                    out.put(name, terms);
                }
            }
        }
        return out;
    }

    private static String name(int type, boolean v6) {
        return switch (type) {
            case FlowSpecComponent.DESTINATION_PREFIX -> v6 ? "destination-ipv6" : "destination-ipv4";
            case FlowSpecComponent.SOURCE_PREFIX -> v6 ? "source-ipv6" : "source-ipv4";
            case FlowSpecComponent.IP_PROTOCOL -> v6 ? "next-header" : "protocol";
            case FlowSpecComponent.PORT -> "port";
            case FlowSpecComponent.DESTINATION_PORT -> "destination-port";
            case FlowSpecComponent.SOURCE_PORT -> "source-port";
            case FlowSpecComponent.ICMP_TYPE -> "icmp-type";
            case FlowSpecComponent.ICMP_CODE -> "icmp-code";
            case FlowSpecComponent.TCP_FLAGS -> "tcp-flags";
            case FlowSpecComponent.PACKET_LENGTH -> "packet-length";
            case FlowSpecComponent.DSCP -> v6 ? "traffic-class" : "dscp";
            case FlowSpecComponent.FRAGMENT -> "fragment";
            case FlowSpecComponent.FLOW_LABEL -> "flow-label";
            default -> throw new IllegalArgumentException("type " + type);
        };
    }

    private static String comparison(NumericMatch m) {
        if (m.lessThan() && m.greaterThan()) {
            return "!=";
        }
        return (m.lessThan() ? "<" : "") + (m.greaterThan() ? ">" : "") + (m.equal() ? "=" : "");
    }

    private static String value(int type, long value) {
        if (type == FlowSpecComponent.IP_PROTOCOL) {
            return switch ((int) value) {
                case 1 -> "icmp";
                case 6 -> "tcp";
                case 17 -> "udp";
                default -> String.valueOf(value);
            };
        }
        if (type == FlowSpecComponent.ICMP_TYPE && value == 8) {
            return "echo-request";
        }
        return String.valueOf(value);
    }

    private static String flags(int type, long value) {
        if (type == FlowSpecComponent.FRAGMENT) {
            return value == 2 ? "is-fragment" : String.valueOf(value);
        }
        return switch ((int) value) {
            case 0x02 -> "syn";
            case 0x10 -> "ack";
            default -> String.valueOf(value);
        };
    }
}

package net.rampart.wire.bgp.flowspec;

import java.util.List;

import net.rampart.wire.bgp.nlri.Nlri;

/**
 * A FlowSpec rule (RFC 8955 for {@code afi} 1, RFC 8956 for {@code afi} 2): its components in
 * strictly increasing type order, which the constructor enforces as the RFCs require.
 */
public record FlowSpecNlri(int afi, List<FlowSpecComponent> components) implements Nlri {

    /** RFC 8955 section 4.1: the 2-octet length form tops out at 0xFFF. */
    public static final int MAX_LENGTH = 4095;

    public FlowSpecNlri {
        if (afi != 1 && afi != 2) {
            throw new IllegalArgumentException("FlowSpec is defined for AFI 1 and 2, not " + afi);
        }
        components = List.copyOf(components);
        if (components.isEmpty()) {
            throw new IllegalArgumentException("a FlowSpec rule has at least one component");
        }
        int previous = 0;
        for (FlowSpecComponent c : components) {
            if (c.type() <= previous) {
                throw new IllegalArgumentException("component types must strictly increase: " + c.type() + " after " + previous);
            }
            if (c.type() == FlowSpecComponent.FLOW_LABEL && afi != 2) {
                throw new IllegalArgumentException("the flow label component exists only for IPv6");
            }
            if (c instanceof FlowSpecComponent.Prefix p && p.prefix().afi() != afi) {
                throw new IllegalArgumentException("prefix family differs from the rule's AFI");
            }
            previous = c.type();
        }
    }

    /** FlowSpec has no ADD-PATH path ids. */
    @Override
    public long pathId() {
        return NO_PATH_ID;
    }
}

package net.rampart.wire.bgp.nlri;

import java.util.Objects;
import net.rampart.wire.ip.IpPrefix;

/** A labeled unicast prefix (RFC 8277, SAFI 4). */
public record LabeledNlri(long pathId, LabelStack labels, IpPrefix prefix) implements Nlri {

    public LabeledNlri {
        Objects.requireNonNull(labels);
        Objects.requireNonNull(prefix);
        UnicastNlri.checkPathId(pathId);
    }
}

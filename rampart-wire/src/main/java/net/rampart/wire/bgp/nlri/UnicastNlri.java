package net.rampart.wire.bgp.nlri;

import java.util.Objects;
import net.rampart.wire.ip.IpPrefix;

/** A unicast (or multicast) prefix with its optional ADD-PATH path id. */
public record UnicastNlri(long pathId, IpPrefix prefix) implements Nlri {

    public UnicastNlri {
        Objects.requireNonNull(prefix);
        checkPathId(pathId);
    }

    public UnicastNlri(IpPrefix prefix) {
        this(NO_PATH_ID, prefix);
    }

    static void checkPathId(long pathId) {
        if (pathId != NO_PATH_ID && (pathId < 0 || pathId > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("path id out of range: " + pathId);
        }
    }
}

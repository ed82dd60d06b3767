package net.rampart.bench;

import net.rampart.collector.rib.OriginState;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.rpki.RoaIndex;

/** An origin index as the RIB's validator, as the service plugs them together. */
public final class RibValidators {

    private RibValidators() {
    }

    public static OriginValidator of(RoaIndex roas) {
        return (ipv6, high, low, length, originAsn) -> switch (roas.state(ipv6, high, low, length, originAsn)) {
            case VALID -> OriginState.VALID;
            case INVALID -> OriginState.INVALID;
            case NOT_FOUND -> OriginState.NOT_FOUND;
        };
    }
}

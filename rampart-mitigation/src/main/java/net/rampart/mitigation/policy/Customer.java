package net.rampart.mitigation.policy;

import java.util.List;
import java.util.OptionalInt;
import net.rampart.wire.ip.IpPrefix;

/**
 * A customer whose addresses Rampart may defend.
 *
 * @param maxMitigations this customer's own quota of active mitigations, replacing the default
 */
public record Customer(String id, String name, PolicyProfile profile, List<IpPrefix> prefixes,
                       OptionalInt maxMitigations) {
    public Customer {
        prefixes = List.copyOf(prefixes);
    }
}

package net.rampart.mitigation.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.wire.ip.IpPrefix;

/**
 * Customers with their prefixes, the POPs and the safelist, as loaded from the inventory file.
 *
 * @param bgp the speaker's settings from the file's {@code bgp} section, if it has one; read at
 *            start only (sessions are not rebuilt on reload)
 */
public record Inventory(List<Customer> customers, List<Pop> pops, List<SafelistEntry> safelist,
                        Optional<SpeakerSettings> bgp) {

    public Inventory {
        customers = List.copyOf(customers);
        pops = List.copyOf(pops);
        safelist = List.copyOf(safelist);
    }

    public static Inventory empty() {
        return new Inventory(List.of(), List.of(), List.of(), Optional.empty());
    }

    /** The customer with the most specific prefix holding {@code address}. */
    public Optional<Customer> customerOwning(InetAddress address) {
        Customer best = null;
        int bestLength = -1;
        for (Customer c : customers) {
            for (IpPrefix p : c.prefixes()) {
                if (p.length() > bestLength && p.contains(address)) {
                    best = c;
                    bestLength = p.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    public Optional<Customer> customer(String id) {
        return customers.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Optional<Pop> pop(String name) {
        return pops.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

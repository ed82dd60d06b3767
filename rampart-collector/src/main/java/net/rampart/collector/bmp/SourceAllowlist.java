package net.rampart.collector.bmp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;

/**
 * Which source addresses may open a BMP session. BMP has no authentication, so this is the
 * collector's only gate; an empty list allows every source.
 */
public final class SourceAllowlist {

    private final List<IpPrefix> networks;
    private final List<String> text;

    private SourceAllowlist(List<IpPrefix> networks, List<String> text) {
        this.networks = networks;
        this.text = text;
    }

    /**
     * Parses comma-separated CIDRs ({@code 192.0.2.0/24, 2001:db8::/32}); a bare address is a
     * single host.
     *
     * @throws IllegalArgumentException naming the first entry that is not a canonical CIDR
     */
    public static SourceAllowlist parse(String cidrs) {
        List<IpPrefix> networks = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (String entry : cidrs.split(",")) {
            String cidr = entry.strip();
            if (cidr.isEmpty()) {
                continue;
            }
            networks.add(network(cidr));
            text.add(cidr);
        }
        return new SourceAllowlist(List.copyOf(networks), List.copyOf(text));
    }

    /** A CIDR read by the one prefix parser; a bare address is the prefix of that one host. */
    private static IpPrefix network(String cidr) {
        return cidr.indexOf('/') < 0 ? IpPrefix.host(AddressText.parse(cidr)) : IpPrefix.parse(cidr);
    }

    public boolean allowsAll() {
        return networks.isEmpty();
    }

    public boolean permits(InetAddress source) {
        if (networks.isEmpty()) {
            return true;
        }
        for (IpPrefix network : networks) {
            if (network.contains(source)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "any" : String.join(",", text);
    }
}

package net.rampart.collector.bmp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which source addresses may open a BMP session. BMP has no authentication, so this is the
 * collector's only gate; an empty list allows every source.
 */
public final class SourceAllowlist {

    private record Network(byte[] address, int length) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = length / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = length % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }

    private final List<Network> networks;
    private final List<String> text;

    private SourceAllowlist(List<Network> networks, List<String> text) {
        this.networks = networks;
        this.text = text;
    }

    /**
     * Parses comma-separated CIDRs ({@code 192.0.2.0/24, 2001:db8::/32}); a bare address is a
     * single host.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR
     */
    public static SourceAllowlist parse(String cidrs) {
        List<Network> networks = new ArrayList<>();
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

    private static Network network(String cidr) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 or IPv6 CIDR");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 or IPv6 CIDR");
        }
        int length = bytes.length * 8;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
            if (length < 0 || length > bytes.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
            }
        }
        return new Network(bytes, length);
    }

    public boolean allowsAll() {
        return networks.isEmpty();
    }

    public boolean permits(InetAddress source) {
        if (networks.isEmpty()) {
            return true;
        }
        byte[] candidate = source.getAddress();
        for (Network network : networks) {
            if (network.contains(candidate)) {
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

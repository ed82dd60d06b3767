package net.rampart.bench.rib;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.rampart.bench.Args;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Finding;
import net.rampart.wire.ip.IpPrefix;

/**
 * A monitors file for a generated table: {@code count} of the table's own prefixes, each with
 * the origin the table gives it, so that the detector judges real routes of monitored prefixes
 * (and finds them compliant) rather than only missing its index. The prefixes are spread over
 * the table's address space (every n-th route of the table, whose order is shuffled) and none
 * covers another prefix of the table: a more-specific under another origin would be an
 * {@code origin_hijack} at every load, which is not what an operator's monitored space looks like.
 */
public final class TableMonitors {

    /** One monitored prefix, as the table announces it. */
    public record Monitored(Family family, RouteKey key, IpPrefix prefix, long origin) {

        /**
         * An UPDATE announcing this prefix with {@code hijacker} as its origin, learned from
         * {@code neighbour}: an {@code origin_hijack} of it (exact prefix, {@code E|0|-}).
         */
        public RouteUpdate hijackedBy(long neighbour, long hijacker, long timeMillis) {
            byte[] nextHop = family.equals(Family.IPV4_UNICAST) ? new byte[] {(byte) 192, 0, 2, 2}
                    : new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
            PathAttributes attributes = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                    .asPath(AsPath.sequence(new long[] {neighbour, hijacker})).nextHop(nextHop).build();
            return RouteUpdate.announce(timeMillis, family, attributes, List.of(key));
        }

        /** The key of the alert {@link #hijackedBy} opens. */
        public String hijackAlertKey(long hijacker) {
            return Finding.key(AlertType.ORIGIN_HIJACK, prefix, "AS" + hijacker);
        }
    }

    private final List<Monitored> prefixes;

    private TableMonitors(List<Monitored> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public List<Monitored> prefixes() {
        return prefixes;
    }

    /**
     * Picks {@code count} prefixes of {@code table} evenly among those that cover no other.
     *
     * @throws Args.BadOption when the table has fewer such prefixes than {@code count}
     */
    public static TableMonitors pick(List<RouteUpdate> table, int count) {
        Set<IpPrefix> covering = coveringOthers(table);
        long eligible = -covering.size();
        for (RouteUpdate u : table) {
            eligible += u.announced().size();
        }
        if (count < 1 || count > eligible) {
            throw new Args.BadOption("--monitored " + count + ": between 1 and " + eligible
                    + ", the prefixes of the table that cover no other");
        }
        List<Monitored> picked = new ArrayList<>(count);
        long seen = 0;
        for (RouteUpdate u : table) {
            long origin = origin(u);
            for (RouteKey key : u.announced()) {
                IpPrefix prefix = prefix(key);
                if (covering.contains(prefix)) {
                    continue;
                }
                // The eligible route number seen takes a pick when it crosses a multiple of eligible/count.
                if (seen * count / eligible != (seen + 1) * count / eligible) {
                    picked.add(new Monitored(u.family(), key, prefix, origin));
                }
                seen++;
            }
        }
        return new TableMonitors(picked);
    }

    /**
     * Writes the monitors file: the prefixes in the default group, and when {@code webhook} is
     * set, a webhook channel of that group hearing of {@code types} (alert type names).
     */
    public Path write(Path file, URI webhook, List<String> types) throws IOException {
        StringBuilder yaml = new StringBuilder(prefixes.size() * 48 + 256);
        yaml.append("# ").append(prefixes.size()).append(" prefixes of the benchmark's generated table,")
                .append(" each with the origin the table gives it.\nprefixes:\n");
        for (Monitored m : prefixes) {
            yaml.append("  - {prefix: ").append(m.prefix()).append(", origins: [AS").append(m.origin()).append("]}\n");
        }
        if (webhook != null) {
            yaml.append("groups:\n  default: {channels: [bench]}\nchannels:\n  bench:\n    type: webhook\n")
                    .append("    url: \"").append(webhook).append("\"\n    types: [")
                    .append(String.join(", ", types)).append("]\n");
        }
        return Files.writeString(file, yaml);
    }

    /** The last ASN of the generator's one AS_SEQUENCE. */
    static long origin(RouteUpdate u) {
        int[] encoded = u.attributes().asPath().encoded();
        return Integer.toUnsignedLong(encoded[1 + encoded[1]]);
    }

    static IpPrefix prefix(RouteKey key) {
        return switch (key) {
            case Ipv4RouteKey k -> k.prefix();
            case Ipv6RouteKey k -> k.prefix();
            default -> throw new IllegalArgumentException("not an IP unicast route: " + key);
        };
    }

    /**
     * The table's prefixes that cover another of its prefixes. In prefix order (address, then
     * shorter first) whatever a prefix covers follows it directly, so comparing each prefix with
     * the next one finds them all.
     */
    private static Set<IpPrefix> coveringOthers(List<RouteUpdate> table) {
        List<IpPrefix> all = new ArrayList<>();
        for (RouteUpdate u : table) {
            for (RouteKey key : u.announced()) {
                all.add(prefix(key));
            }
        }
        IpPrefix[] sorted = all.toArray(IpPrefix[]::new);
        Arrays.sort(sorted);
        Set<IpPrefix> covering = new HashSet<>();
        for (int i = 0; i + 1 < sorted.length; i++) {
            if (sorted[i].covers(sorted[i + 1]) && !sorted[i].equals(sorted[i + 1])) {
                covering.add(sorted[i]);
            }
        }
        return covering;
    }
}

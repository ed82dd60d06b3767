package net.rampart.learn.churn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.RouteKey;

/** Which prefix group, if any, a route's churn also counts toward. */
@FunctionalInterface
public interface PrefixGroups {
    PrefixGroups NONE = key -> null;

    /** The group of {@code key}, or null when it is in none; called per route event, so it must not allocate. */
    String groupOf(RouteKey key);

    /**
     * Groups named by their covering prefixes ({@code "customers" -> ["192.0.2.0/24", "2001:db8::/32"]}):
     * a route belongs to the group of the most specific configured prefix that covers it. The
     * prefixes are scanned in order of length, which suits the tens of prefixes an operator names.
     */
    static PrefixGroups covering(Map<String, List<String>> groups) {
        record Entry(String group, Ipv4RouteKey v4, Ipv6RouteKey v6, int length) {
        }
        List<Entry> entries = new ArrayList<>();
        groups.forEach((group, prefixes) -> {
            for (String p : prefixes) {
                if (p.indexOf(':') >= 0) {
                    Ipv6RouteKey k = Ipv6RouteKey.parse(p, 0);
                    entries.add(new Entry(group, null, k, k.length()));
                } else {
                    Ipv4RouteKey k = Ipv4RouteKey.parse(p, 0);
                    entries.add(new Entry(group, k, null, k.length()));
                }
            }
        });
        entries.sort(Comparator.comparingInt(Entry::length).reversed());
        Entry[] table = entries.toArray(Entry[]::new);
        return key -> {
            if (key instanceof Ipv4RouteKey k) {
                for (Entry e : table) {
                    if (e.v4 != null && e.v4.covers(k)) {
                        return e.group;
                    }
                }
            } else if (key instanceof Ipv6RouteKey k) {
                for (Entry e : table) {
                    if (e.v6 != null && e.v6.covers(k)) {
                        return e.group;
                    }
                }
            }
            return null;
        };
    }
}

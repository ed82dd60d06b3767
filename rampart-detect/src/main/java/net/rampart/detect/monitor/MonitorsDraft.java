package net.rampart.detect.monitor;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import net.rampart.wire.ip.IpPrefix;

/**
 * A starting monitors file for some ASNs, drawn from what the routes and the VRPs already show
 * (as BGPalerter's {@code generate} does from RIPEstat). It is a draft for people to review, so
 * it is built to raise no alert for the routes of today and to point at what needs a decision:
 *
 * <ul>
 * <li>every prefix the ASNs originate in some route is listed, each on its own, with the ASNs
 *     seen originating it: a more-specific folded into its covering prefix would be a
 *     {@code new_more_specific} alert at the first run;</li>
 * <li>a prefix a VRP authorises for the ASNs but no route shows is listed too ("from a VRP,
 *     not seen announced"), unless the most specific listed prefix covering it already lists
 *     its ASNs: then it is judged by that one, and its first announcement is a
 *     {@code new_more_specific} alert, which is what an operator wants of a prefix never seen;</li>
 * <li>a more-specific of a listed prefix that another AS originates (space delegated to a
 *     customer, or a hijack in progress) is listed with that AS, and said to need a check; an
 *     AS other than the ASNs seen originating a listed prefix itself is named in its description
 *     but not listed, so the draft never makes an ongoing hijack legitimate;</li>
 * <li>each ASN gets its upstreams (the ASNs seen just left of it in a path, prepends aside) and
 *     downstreams (just right of it).</li>
 * </ul>
 *
 * <p>The routes are read twice through {@link RouteSource}: once for the ASNs' own prefixes and
 * paths, once for other origins inside those prefixes, so that nothing of a full table is kept.
 */
public final class MonitorsDraft {

    /** Receives the unicast routes of every vantage point. */
    @FunctionalInterface
    public interface RouteSource {
        void forEachRoute(RouteSink sink);
    }

    /** One route: its AS path flattened to ASNs, origin last, as {@code RouteObservation} takes it. */
    @FunctionalInterface
    public interface RouteSink {
        void route(IpPrefix prefix, long[] asPath, boolean originIsAsSet);
    }

    /** A VRP of one of the ASNs. */
    public record Authorisation(IpPrefix prefix, int maxLength, long asn) {
    }

    /**
     * One entry of {@code prefixes}.
     *
     * @param announced whether a route from the listed origins was seen for it
     * @param othersSeen ASNs seen originating it (or, for a delegated more-specific, the covering
     *                   prefix) that it does not list
     */
    public record DraftPrefix(IpPrefix prefix, AsnSet origins, String description, boolean announced,
                              AsnSet othersSeen) {
    }

    /** One entry of {@code asns}; {@code paths} counts the routes whose path has it. */
    public record DraftAsn(long asn, AsnSet upstreams, AsnSet downstreams, long paths) {
    }

    /** A VRP prefix left out, as {@code into}, the listed prefix covering it, lists its ASNs. */
    public record FoldedPrefix(IpPrefix prefix, IpPrefix into) {
    }

    private final AsnSet asns;
    private final List<DraftPrefix> prefixes;
    private final List<DraftAsn> asnEntries;
    private final List<FoldedPrefix> folded;
    private final long routesRead;

    private MonitorsDraft(AsnSet asns, List<DraftPrefix> prefixes, List<DraftAsn> asnEntries,
                          List<FoldedPrefix> folded, long routesRead) {
        this.asns = asns;
        this.prefixes = List.copyOf(prefixes);
        this.asnEntries = List.copyOf(asnEntries);
        this.folded = List.copyOf(folded);
        this.routesRead = routesRead;
    }

    public AsnSet asns() {
        return asns;
    }

    /** In prefix order, IPv4 first. */
    public List<DraftPrefix> prefixes() {
        return prefixes;
    }

    /** In the order the ASNs were asked for, ascending. */
    public List<DraftAsn> asnEntries() {
        return asnEntries;
    }

    public List<FoldedPrefix> folded() {
        return folded;
    }

    /** How many routes the first reading saw, for the header. */
    public long routesRead() {
        return routesRead;
    }

    /** What the first reading gathers about one prefix the ASNs originate. */
    private static final class Seen {
        final TreeSet<Long> origins = new TreeSet<>();
        long routes;
    }

    /** Who one ASN is seen next to. */
    private static final class Neighbours {
        final TreeSet<Long> left = new TreeSet<>();
        final TreeSet<Long> right = new TreeSet<>();
        long paths;
    }

    /** A prefix on its way into the draft. */
    private static final class Entry {
        final IpPrefix prefix;
        final TreeSet<Long> origins = new TreeSet<>();
        /** The origins routes show, without those only a VRP adds. */
        final TreeSet<Long> seen = new TreeSet<>();
        final TreeSet<Long> others = new TreeSet<>();
        long routes;
        boolean announced;
        int maxLength = -1;
        /** The listed prefix a delegated more-specific sits in. */
        IpPrefix inside;

        Entry(IpPrefix prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * @param asns  the ASNs to draft for, at least one
     * @param vrps  the VRPs; those of other ASNs are passed over
     */
    public static MonitorsDraft build(AsnSet asns, RouteSource routes, Collection<Authorisation> vrps) {
        if (asns.isEmpty()) {
            throw new IllegalArgumentException("a draft needs at least one ASN");
        }
        Map<IpPrefix, Seen> own = new HashMap<>();
        Map<Long, Neighbours> neighbours = new TreeMap<>();
        for (long asn : asns.toArray()) {
            neighbours.put(asn, new Neighbours());
        }
        long[] read = {0};
        routes.forEachRoute((prefix, path, originIsAsSet) -> {
            read[0]++;
            long[] hops = withoutPrepends(path);
            // The last ASN of a path ending in an AS_SET is a set member, nobody's neighbour. The
            // set's other members look like sequence ASNs here: a small imprecision on paths that
            // RFC 9774 has deprecated.
            int adjacent = originIsAsSet ? hops.length - 1 : hops.length;
            for (int i = 0; i < adjacent; i++) {
                Neighbours n = neighbours.get(hops[i]);
                if (n != null) {
                    n.paths++;
                    if (i > 0) {
                        n.left.add(hops[i - 1]);
                    }
                    if (i + 1 < adjacent) {
                        n.right.add(hops[i + 1]);
                    }
                }
            }
            if (!originIsAsSet && path.length > 0 && asns.contains(path[path.length - 1])) {
                Seen seen = own.computeIfAbsent(prefix, p -> new Seen());
                seen.origins.add(path[path.length - 1]);
                seen.routes++;
            }
        });

        Map<IpPrefix, Entry> entries = new HashMap<>();
        own.forEach((prefix, seen) -> {
            Entry e = entries.computeIfAbsent(prefix, Entry::new);
            e.origins.addAll(seen.origins);
            e.seen.addAll(seen.origins);
            e.routes = seen.routes;
            e.announced = true;
        });
        List<Authorisation> ours = vrps.stream().filter(v -> asns.contains(v.asn())).toList();
        // A route the VRPs make valid for one of the ASNs may be originated by it.
        for (Entry e : entries.values()) {
            for (Authorisation v : ours) {
                if (v.prefix().covers(e.prefix) && e.prefix.length() <= v.maxLength()) {
                    e.origins.add(v.asn());
                }
            }
        }
        Map<IpPrefix, Entry> fromVrps = new TreeMap<>();
        for (Authorisation v : ours) {
            if (!entries.containsKey(v.prefix())) {
                Entry e = fromVrps.computeIfAbsent(v.prefix(), Entry::new);
                e.origins.add(v.asn());
                e.maxLength = Math.max(e.maxLength, v.maxLength());
            }
        }
        // In prefix order a covering prefix comes before what it covers, so it is decided first.
        List<FoldedPrefix> folded = new ArrayList<>();
        for (Entry e : fromVrps.values()) {
            Entry covering = longestCovering(entries, e.prefix);
            if (covering != null && covering.origins.containsAll(e.origins)) {
                folded.add(new FoldedPrefix(e.prefix, covering.prefix));
            } else {
                entries.put(e.prefix, e);
            }
        }

        Map<IpPrefix, Entry> delegated = new HashMap<>();
        // By AFI (1, 2) and length: which lengths a covering listed prefix can have.
        boolean[][] lengths = new boolean[3][129];
        entries.keySet().forEach(p -> lengths[p.afi()][p.length()] = true);
        routes.forEachRoute((prefix, path, originIsAsSet) -> {
            if (originIsAsSet || path.length == 0 || asns.contains(path[path.length - 1])) {
                return;
            }
            long origin = path[path.length - 1];
            Entry listed = entries.get(prefix);
            if (listed != null) {
                listed.others.add(origin);
                return;
            }
            Entry covering = longestCovering(entries, prefix, lengths);
            if (covering != null) {
                Entry d = delegated.computeIfAbsent(prefix, Entry::new);
                d.origins.add(origin);
                d.routes++;
                d.announced = true;
                d.inside = covering.prefix;
            }
        });
        entries.putAll(delegated);

        List<DraftPrefix> prefixes = entries.values().stream().sorted((a, b) -> a.prefix.compareTo(b.prefix))
                .map(e -> new DraftPrefix(e.prefix, asnSet(e.origins), description(e), e.announced,
                        asnSet(e.others)))
                .toList();
        List<DraftAsn> asnEntries = neighbours.entrySet().stream().map(n -> new DraftAsn(n.getKey(),
                asnSet(n.getValue().left), asnSet(n.getValue().right), n.getValue().paths)).toList();
        return new MonitorsDraft(asns, prefixes, asnEntries, folded, read[0]);
    }

    private static Entry longestCovering(Map<IpPrefix, Entry> entries, IpPrefix prefix) {
        for (int length = prefix.length() - 1; length >= 0; length--) {
            Entry e = entries.get(prefix.truncate(length));
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * As {@link #longestCovering(Map, IpPrefix)}, trying only the lengths listed prefixes have
     * ({@code lengths[afi][length]}): the second reading asks this of every route of a full table.
     */
    private static Entry longestCovering(Map<IpPrefix, Entry> entries, IpPrefix prefix, boolean[][] lengths) {
        boolean[] listed = lengths[prefix.afi()];
        for (int length = prefix.length() - 1; length >= 0; length--) {
            if (listed[length]) {
                Entry e = entries.get(prefix.truncate(length));
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    /** A path with each run of one ASN (prepending) written once. */
    private static long[] withoutPrepends(long[] path) {
        long[] hops = new long[path.length];
        int n = 0;
        for (long asn : path) {
            if (n == 0 || hops[n - 1] != asn) {
                hops[n++] = asn;
            }
        }
        return n == path.length ? hops : Arrays.copyOf(hops, n);
    }

    private static AsnSet asnSet(Collection<Long> asns) {
        return AsnSet.of(asns.stream().mapToLong(Long::longValue).toArray());
    }

    private static String description(Entry e) {
        String who = names(e.origins);
        String text;
        if (e.inside != null) {
            text = "originated by " + who + " inside " + e.inside + ", seen in " + routes(e.routes)
                    + ": delegated? check before use";
        } else if (e.announced) {
            text = "seen originated by " + names(e.seen) + " in " + routes(e.routes);
            if (e.origins.size() > e.seen.size()) {
                TreeSet<Long> byVrp = new TreeSet<>(e.origins);
                byVrp.removeAll(e.seen);
                text += "; " + names(byVrp) + " authorised by a VRP";
            }
        } else {
            text = "from a VRP (" + who + ", maxLength " + e.maxLength + "), not seen announced"
                    + (e.others.isEmpty() ? "" : " by " + who);
        }
        if (!e.others.isEmpty()) {
            text += "; also seen originated by " + names(e.others) + ", not listed: check before use";
        }
        return text;
    }

    private static String names(Collection<Long> asns) {
        return asns.stream().map(a -> "AS" + a).collect(Collectors.joining(", "));
    }

    private static String routes(long n) {
        return n == 1 ? "1 route" : n + " routes";
    }

    /**
     * The draft as a monitors file, which {@link MonitorsLoader} reads as it is, under a header
     * that says when, for which ASNs and from what it was made, and that people must read it first.
     *
     * @param madeAt    when the routes and VRPs were read
     * @param vrpSerial the serial of the VRPs read; empty when none were loaded
     */
    public String yaml(Instant madeAt, OptionalInt vrpSerial) {
        StringBuilder out = new StringBuilder();
        for (String line : header(madeAt, vrpSerial)) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        if (!folded.isEmpty()) {
            out.append("#\n# Left out, as the listed prefix covering each one lists its ASNs:\n");
            folded.forEach(f -> out.append("#   ").append(f.prefix()).append(" (VRP) under ").append(f.into())
                    .append('\n'));
        }
        out.append('\n');
        if (prefixes.isEmpty()) {
            out.append("prefixes: []\n");
        } else {
            out.append("prefixes:\n");
            for (DraftPrefix p : prefixes) {
                out.append("  - prefix: ").append(p.prefix()).append('\n');
                out.append("    description: ").append(quoted(p.description())).append('\n');
                out.append("    origins: ").append(flow(p.origins())).append('\n');
            }
        }
        out.append("\nasns:\n");
        for (DraftAsn a : asnEntries) {
            out.append("  # in the AS path of ").append(routes(a.paths()))
                    .append("; upstreams: the ASes seen just left of it, downstreams: just right of it\n");
            out.append("  - asn: AS").append(a.asn()).append('\n');
            out.append("    upstreams: ").append(flow(a.upstreams())).append('\n');
            out.append("    downstreams: ").append(flow(a.downstreams())).append('\n');
        }
        return out.toString();
    }

    private List<String> header(Instant madeAt, OptionalInt vrpSerial) {
        String who = LongStream.of(asns.toArray()).mapToObj(a -> "AS" + a).collect(Collectors.joining(", "));
        return List.of(
                "Rampart monitors file: a draft for " + who + ", made at " + madeAt.truncatedTo(ChronoUnit.SECONDS)
                        + " from",
                "the RIB (" + routes(routesRead) + " of every router, peer and view) and "
                        + (vrpSerial.isEmpty() ? "no VRPs (none were loaded yet)."
                        : "the VRPs of serial " + vrpSerial.getAsInt() + "."),
                "",
                "REVIEW BEFORE USE. Origins, upstreams and downstreams are what the routes show today,",
                "not what they should be: a hijack or a leak in progress is in here too. Entries that say",
                "'check before use' need a decision. Add groups and channels to be told of alerts",
                "(docs/detection.md), then point RAMPART_MONITORS at the file.");
    }

    /** {@code [AS64500, AS64501]}, the flow form the example file uses. */
    private static String flow(AsnSet asns) {
        return LongStream.of(asns.toArray()).mapToObj(a -> "AS" + a).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A YAML double-quoted scalar: only a quote and a backslash need escaping in what the draft writes. */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

package net.rampart.bench.flap;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.rampart.bench.bmp.BmpMessages;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.bmp.TerminationMessage;
import net.rampart.wire.ip.Ipv4Prefix;

/**
 * Days of route flapping as ONE monitored router reports it over BMP, for training and judging
 * a flap prediction model on the collector's own route history (issue 21). Deterministic for a
 * seed: the same settings give the same bytes. Every message carries its simulated time in the
 * per-peer header, so many days are laid down in minutes: the collector stamps route events
 * with that time.
 *
 * <p>The stream: Initiation; a Peer Up for each peer at the start, each followed by its table
 * (one prefix per UPDATE, 5 ms apart); then, in time order, Route Monitoring (announcements with
 * AS path, next hop, MED; withdrawals) and session resets; a Termination last. Peer {@code p}
 * is 192.0.2.(10+p), AS 65001+p; every peer announces the same {@code routesPerPeer} /24s from
 * 16.0.0.0 on, each with its own AS path and MED. An attribute change is a new MED (and on every
 * other change one more prepend of the peer's AS).
 *
 * <p>Route processes ({@link Kind}), the numbers fixed here:
 * <ul>
 *   <li><b>degrading sessions</b>: the last peer is degrading when there are 2 to 7 peers, the
 *       last two from 8 on (none with one peer); all their routes are {@link Kind#DEGRADING}.
 *       The session's first reset comes after 4 days (±20 %), each next interval is 0.6 times
 *       (±20 %) the last, down to 4 hours. Each route flaps alone (a Poisson process) at a rate
 *       growing exponentially from once in 3 days at the start to once in 3 hours at the end;
 *       a third of its re-announcements carry other attributes.</li>
 *   <li>the other peers' routes: 60 % {@link Kind#STABLE}, 15 % {@link Kind#PERIODIC}, 25 %
 *       {@link Kind#RESET_BURST} (counts rounded, the rest stable; which route is which is
 *       shuffled). Their sessions reset as a Poisson process, once in 4 days on average.</li>
 *   <li>{@link Kind#STABLE}: announced once; attribute changes as a Poisson process, once in 14
 *       days on average.</li>
 *   <li>{@link Kind#PERIODIC}: a burst of 2-4 flaps every period, the period 2-8 hours and the
 *       phase drawn per route, each burst's start moved by up to ±10 % of the period; in a burst,
 *       a withdrawal, the re-announcement 30 s-3 min later, the next flap 1-6 min after that.</li>
 *   <li>{@link Kind#RESET_BURST}: stable (with the stable routes' rare attribute changes), but
 *       after each Peer Up of its peer it flaps for 30-60 minutes: from 1-5 min after its
 *       re-announcement, a withdrawal, the re-announcement 30 s-2 min later, the next flap
 *       3-10 min after that.</li>
 *   <li>noise, on every route: a single flap (withdrawal, re-announcement 1-20 min later) or an
 *       attribute change, even odds, as a Poisson process once in 7 days on average.</li>
 * </ul>
 * A session reset at time T: each announced route of the peer is withdrawn in a Route
 * Monitoring message at T, then Peer Down (reason 1, NOTIFICATION hold timer expired) at T; the
 * session is down for 1-10 minutes; then Peer Up and the peer's whole table again, the routes
 * whose process has them withdrawn at that moment left out. A process's changes that fall while
 * the session is down or before the route is announced again are not sent (the route's state
 * still follows them). The explicit withdrawals before the Peer Down are what a collector that
 * stamps Peer Down with its own clock needs to keep the history's times right: Rampart's
 * collector stamps Peer Up/Down (peer events, and the withdrawals a Peer Down causes) with the
 * arrival time, not the per-peer header's timestamp.
 */
public final class FlapProcesses {

    /** What drives a route's changes. */
    public enum Kind { STABLE, PERIODIC, RESET_BURST, DEGRADING }

    /** Where a message's route change came from: a route process, noise, or its session (table, reset). */
    public enum Source { STABLE, PERIODIC, RESET_BURST, DEGRADING, NOISE, SESSION }

    static final double STABLE_SHARE = 0.60;
    static final double PERIODIC_SHARE = 0.15;
    static final double RESET_BURST_SHARE = 0.25;

    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** Peers x routes x days at most: about ten messages a route-day, held in memory. */
    public static final long MAX_ROUTE_DAYS = 1_000_000;
    private static final int LOCAL_AS = 65_000;
    private static final int LOCAL_ADDRESS = 0xC0000201; // 192.0.2.1
    private static final int PREFIX_BASE = 0x10000000; // 16.0.0.0
    private static final long TABLE_SPACING = 5; // ms between the table's UPDATEs after a Peer Up

    /**
     * @param seed          the randomness; the same settings give the same messages
     * @param start         the simulated time of the first Peer Up
     * @param days          simulated days, 1-366
     * @param peers         the router's BGP peers, 1-200
     * @param routesPerPeer the prefixes each peer announces, 1-65536
     */
    public record Settings(long seed, Instant start, int days, int peers, int routesPerPeer) {
        public Settings {
            if (days < 1 || days > 366) {
                throw new IllegalArgumentException("days: " + days + " is not in 1-366");
            }
            if (peers < 1 || peers > 200) {
                throw new IllegalArgumentException("peers: " + peers + " is not in 1-200");
            }
            if (routesPerPeer < 1 || routesPerPeer > 65_536) {
                throw new IllegalArgumentException("routes per peer: " + routesPerPeer + " is not in 1-65536");
            }
            if ((long) peers * routesPerPeer * days > MAX_ROUTE_DAYS) {
                throw new IllegalArgumentException("peers x routes per peer x days is more than " + MAX_ROUTE_DAYS);
            }
        }

        public Instant end() {
            return start.plus(Duration.ofDays(days));
        }
    }

    /** One route: its peer, its prefix, its process. */
    public record Route(int peer, int index, Ipv4Prefix prefix, Kind kind) {
    }

    /** What one source produced: routes (for a kind), withdrawals, announcements, changed attributes. */
    public static final class Tally {
        int routes;
        long withdrawals;
        long announcements;
        long attributeChanges;

        public int routes() {
            return routes;
        }

        /** Withdrawals; for a route process, its flaps (each is followed by a re-announcement unless the run ends). */
        public long withdrawals() {
            return withdrawals;
        }

        public long announcements() {
            return announcements;
        }

        /** Announcements of a route already announced, with other attributes. */
        public long attributeChanges() {
            return attributeChanges;
        }
    }

    /** A BMP message in the stream: its simulated time (0 for Initiation and Termination) and its bytes. */
    public interface MessageSink {
        void accept(long timeMillis, byte[] message) throws java.io.IOException;
    }

    private static final int ANNOUNCE = 0;
    private static final int WITHDRAW = 1;
    private static final int PEER_DOWN = 2;
    private static final int PEER_UP = 3;

    /**
     * One message to send. Order: time, then rank (a reset's withdrawals before its Peer Down,
     * a Peer Up before its table), then peer and route, then the order made.
     */
    private record Step(long time, int rank, int peer, int route, int type, int variant, long order) {
    }

    /** A session reset of a peer: Peer Down at {@code down}, Peer Up at {@code up}. */
    private record Reset(long down, long up) {
    }

    /** A change a route's process wants: {@link #WITHDRAWN}, {@link #BACK} or {@link #NEW_ATTRIBUTES}. */
    private record Wanted(long time, int change, Source source) {
    }

    /** The route withdrawn. */
    private static final int WITHDRAWN = 0;
    /** The route announced with the attributes it had. */
    private static final int BACK = 1;
    /** The route announced with new attributes (the next variant). */
    private static final int NEW_ATTRIBUTES = 2;

    private final Settings settings;
    private final List<Route> routes = new ArrayList<>();
    private final Map<Source, Tally> tallies = new EnumMap<>(Source.class);
    private final List<List<Reset>> resets = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final int degradingPeers;
    private final OpenMessage localOpen = BmpMessages.open(LOCAL_AS, LOCAL_ADDRESS);
    private long order;

    private FlapProcesses(Settings settings) {
        this.settings = settings;
        this.degradingPeers = settings.peers() >= 8 ? 2 : settings.peers() >= 2 ? 1 : 0;
        for (Source s : Source.values()) {
            tallies.put(s, new Tally());
        }
    }

    public static FlapProcesses generate(Settings settings) {
        FlapProcesses processes = new FlapProcesses(settings);
        processes.build();
        return processes;
    }

    public Settings settings() {
        return settings;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Tally tally(Source source) {
        return tallies.get(source);
    }

    /** Peers whose sessions degrade: the last {@code degradingPeers()} of them. */
    public int degradingPeers() {
        return degradingPeers;
    }

    /** Session resets (Peer Down, Peer Up) in the stream. */
    public int resets() {
        return resets.stream().mapToInt(List::size).sum();
    }

    /** BMP messages in the stream, Initiation and Termination included. */
    public int messages() {
        return steps.size() + 2;
    }

    /** Peer {@code p}'s per-peer header. */
    public static BmpMessages.Peer peer(int p) {
        int address = 0xC0000200 + 10 + p; // 192.0.2.(10+p)
        return new BmpMessages.Peer(address, 65_001 + p, address);
    }

    public static Ipv4Prefix prefix(int index) {
        return Ipv4Prefix.of(PREFIX_BASE + (index << 8), 24);
    }

    /** Hands every message to the sink in order, encoding each as it goes. */
    public void write(MessageSink sink) throws java.io.IOException {
        ByteSink initiation = new ByteSink(64);
        BmpMessages.initiation(initiation, "rampart-flap-history");
        sink.accept(0, initiation.toByteArray());
        List<OpenMessage> peerOpens = new ArrayList<>();
        List<PeerCapabilities> capabilities = new ArrayList<>();
        for (int p = 0; p < settings.peers(); p++) {
            OpenMessage open = BmpMessages.open(peer(p).asn(), peer(p).bgpId());
            peerOpens.add(open);
            capabilities.add(PeerCapabilities.forMessagesFrom(open, localOpen));
        }
        NotificationMessage holdTimerExpired = new NotificationMessage(NotificationMessage.HOLD_TIMER_EXPIRED, 0,
                new byte[0]);
        for (Step s : steps) {
            ByteSink out = new ByteSink(128);
            BmpMessages.Peer peer = peer(s.peer());
            switch (s.type()) {
                case PEER_UP -> BmpMessages.peerUp(out, peer, s.time(), LOCAL_ADDRESS, localOpen, peerOpens.get(s.peer()));
                case PEER_DOWN -> BmpMessages.peerDown(out, peer, s.time(), holdTimerExpired);
                case WITHDRAW -> BmpMessages.routeMonitoring(out, peer, s.time(), BgpMessageEncoder.encode(
                        new UpdateMessage(List.of(new UnicastNlri(prefix(s.route()))), List.of(), List.of()),
                        capabilities.get(s.peer())));
                default -> BmpMessages.routeMonitoring(out, peer, s.time(), BgpMessageEncoder.encode(
                        new UpdateMessage(List.of(), attributes(s.peer(), s.route(), s.variant()),
                                List.of(new UnicastNlri(prefix(s.route())))), capabilities.get(s.peer())));
            }
            sink.accept(s.time(), out.toByteArray());
        }
        sink.accept(0, TerminationMessage.encode(BmpMessage.Termination.ADMINISTRATIVELY_CLOSED,
                "flap history generated"));
    }

    /** The whole stream as one array (for tests and files). */
    public byte[] bytes() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write((time, message) -> out.writeBytes(message));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A route's attributes in variant {@code v}: origin IGP; AS path the peer's AS (once more on
     * odd variants), 0-3 transit ASes and the origin AS, all from the route's index; next hop
     * the peer; MED from the index, plus 10 a variant.
     */
    static List<PathAttribute> attributes(int peer, int route, int variant) {
        long peerAs = peer(peer).asn();
        int transits = route % 4;
        long[] path = new long[(variant % 2 == 1 ? 2 : 1) + transits + 1];
        int i = 0;
        path[i++] = peerAs;
        if (variant % 2 == 1) {
            path[i++] = peerAs;
        }
        for (int t = 0; t < transits; t++) {
            path[i++] = 3_000 + (route * 31L + t * 7L + peer) % 900;
        }
        path[i] = 10_000 + route;
        return List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP), PathAttribute.AsPath.sequence(path),
                new PathAttribute.NextHop(peer(peer).address()), new PathAttribute.MultiExitDisc(route % 100 * 10L + 10L * variant));
    }

    private void build() {
        SplittableRandom random = new SplittableRandom(settings.seed());
        long start = settings.start().toEpochMilli();
        long end = settings.end().toEpochMilli();
        for (int p = 0; p < settings.peers(); p++) {
            SplittableRandom peerRandom = random.split();
            boolean degrading = p >= settings.peers() - degradingPeers;
            List<Reset> peerResets = degrading ? degradingResets(peerRandom, start, end) : resets(peerRandom, start, end);
            resets.add(peerResets);
            add(start + p, 0, p, -1, PEER_UP, 0);
            for (Reset r : peerResets) {
                add(r.down(), 1, p, -1, PEER_DOWN, 0);
                add(r.up(), 0, p, -1, PEER_UP, 0);
            }
            List<Kind> kinds = kinds(peerRandom, degrading);
            for (int i = 0; i < settings.routesPerPeer(); i++) {
                Route route = new Route(p, i, prefix(i), kinds.get(i));
                routes.add(route);
                tallies.get(Source.valueOf(route.kind().name())).routes++;
                route(route, peerRandom.split(), start + p, peerResets, end);
            }
        }
        steps.sort(Comparator.comparingLong(Step::time).thenComparingInt(Step::rank).thenComparingInt(Step::peer)
                .thenComparingInt(Step::route).thenComparingLong(Step::order));
    }

    private List<Kind> kinds(SplittableRandom random, boolean degrading) {
        int n = settings.routesPerPeer();
        List<Kind> kinds = new ArrayList<>(n);
        if (degrading) {
            for (int i = 0; i < n; i++) {
                kinds.add(Kind.DEGRADING);
            }
            return kinds;
        }
        int periodic = (int) Math.round(n * PERIODIC_SHARE);
        int burst = (int) Math.round(n * RESET_BURST_SHARE);
        for (int i = 0; i < n; i++) {
            kinds.add(i < periodic ? Kind.PERIODIC : i < periodic + burst ? Kind.RESET_BURST : Kind.STABLE);
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates with the seeded random
            int j = random.nextInt(i + 1);
            Kind k = kinds.get(i);
            kinds.set(i, kinds.get(j));
            kinds.set(j, k);
        }
        return kinds;
    }

    /** An ordinary session: resets as a Poisson process, once in 4 days on average. */
    private List<Reset> resets(SplittableRandom random, long start, long end) {
        List<Reset> list = new ArrayList<>();
        long t = start + tableTime() + exponential(random, 4 * DAY);
        while (true) {
            Reset r = new Reset(t, t + between(random, MINUTE, 10 * MINUTE));
            if (r.up() + tableTime() >= end) {
                return list;
            }
            list.add(r);
            t = r.up() + tableTime() + exponential(random, 4 * DAY);
        }
    }

    /** A degrading session: first reset after 4 days, each interval 0.6 of the last, at least 4 hours (all ±20 %). */
    private List<Reset> degradingResets(SplittableRandom random, long start, long end) {
        List<Reset> list = new ArrayList<>();
        double interval = 4 * DAY;
        long t = start + tableTime() + jitter(random, interval);
        while (true) {
            Reset r = new Reset(t, t + between(random, MINUTE, 10 * MINUTE));
            if (r.up() + tableTime() >= end) {
                return list;
            }
            list.add(r);
            interval = Math.max(4 * HOUR, interval * 0.6);
            t = r.up() + tableTime() + jitter(random, interval);
        }
    }

    private long tableTime() {
        return SECOND + settings.routesPerPeer() * TABLE_SPACING;
    }

    private static long tableOffset(int index) {
        return SECOND + index * TABLE_SPACING;
    }

    /** A route's process as wanted changes, then what of them the session lets through as steps. */
    private void route(Route route, SplittableRandom random, long up, List<Reset> peerResets, long end) {
        List<Wanted> wanted = new ArrayList<>();
        long from = up + tableOffset(route.index()) + MINUTE;
        switch (route.kind()) {
            case STABLE -> attributeChanges(wanted, random, from, end, Source.STABLE);
            case RESET_BURST -> {
                attributeChanges(wanted, random, from, end, Source.RESET_BURST);
                for (Reset r : peerResets) {
                    long t = r.up() + tableOffset(route.index()) + between(random, MINUTE, 5 * MINUTE);
                    long until = r.up() + between(random, 30 * MINUTE, 60 * MINUTE);
                    while (t < until && t < end) {
                        long back = t + between(random, 30 * SECOND, 2 * MINUTE);
                        wanted.add(new Wanted(t, WITHDRAWN, Source.RESET_BURST));
                        wanted.add(new Wanted(back, BACK, Source.RESET_BURST));
                        t = back + between(random, 3 * MINUTE, 10 * MINUTE);
                    }
                }
            }
            case PERIODIC -> {
                long period = between(random, 2 * HOUR, 8 * HOUR);
                long phase = between(random, 0, period);
                for (long k = 0; ; k++) {
                    long t = from + phase + k * period + (long) ((random.nextDouble() * 2 - 1) * 0.1 * period);
                    if (t >= end) {
                        break;
                    }
                    if (t < from) {
                        continue; // the first burst moved before the table
                    }
                    int flaps = 2 + random.nextInt(3);
                    for (int f = 0; f < flaps; f++) {
                        long back = t + between(random, 30 * SECOND, 3 * MINUTE);
                        wanted.add(new Wanted(t, WITHDRAWN, Source.PERIODIC));
                        wanted.add(new Wanted(back, BACK, Source.PERIODIC));
                        t = back + between(random, MINUTE, 6 * MINUTE);
                    }
                }
            }
            case DEGRADING -> {
                // Thinning: candidates at the highest rate, each kept at the rate of its time.
                double lowest = 1.0 / (3 * DAY);
                double highest = 1.0 / (3 * HOUR);
                double span = end - from;
                long t = from;
                while (true) {
                    t += exponential(random, 1 / highest);
                    if (t >= end) {
                        break;
                    }
                    double rate = lowest * Math.pow(highest / lowest, (t - from) / span);
                    if (random.nextDouble() < rate / highest) {
                        long back = t + between(random, 30 * SECOND, 5 * MINUTE);
                        wanted.add(new Wanted(t, WITHDRAWN, Source.DEGRADING));
                        wanted.add(new Wanted(back, random.nextInt(3) == 0 ? NEW_ATTRIBUTES : BACK, Source.DEGRADING));
                        t = back;
                    }
                }
            }
        }
        // Noise on every route: a single flap or an attribute change, once in 7 days on average.
        for (long t = from + exponential(random, 7 * DAY); t < end; t += exponential(random, 7 * DAY)) {
            if (random.nextBoolean()) {
                wanted.add(new Wanted(t, WITHDRAWN, Source.NOISE));
                wanted.add(new Wanted(t + between(random, MINUTE, 20 * MINUTE), BACK, Source.NOISE));
            } else {
                wanted.add(new Wanted(t, NEW_ATTRIBUTES, Source.NOISE));
            }
        }
        wanted.sort(Comparator.comparingLong(Wanted::time));
        follow(route, wanted, up + tableOffset(route.index()), peerResets, end);
    }

    /**
     * Walks the wanted changes and the session's resets in time order, keeping what the route
     * should be (withdrawn, or announced with a variant) apart from what the collector was told;
     * only a difference between the two is sent. The route is first announced with the table
     * after the first Peer Up, at {@code firstTable}.
     */
    private void follow(Route route, List<Wanted> wanted, long firstTable, List<Reset> peerResets, long end) {
        boolean wantUp = true;
        int wantVariant = 0;
        boolean sessionUp = false;
        boolean announced = false;
        int announcedVariant = -1;
        long last = Long.MIN_VALUE;
        int r = 0;
        int w = 0;
        long tableAt = firstTable; // when the route goes out (again) after a Peer Up
        while (w < wanted.size() || r < peerResets.size() || tableAt != Long.MAX_VALUE) {
            long nextWanted = w < wanted.size() ? wanted.get(w).time() : Long.MAX_VALUE;
            long nextDown = r < peerResets.size() ? peerResets.get(r).down() : Long.MAX_VALUE;
            long next = Math.min(nextWanted, Math.min(nextDown, tableAt));
            if (next >= end) {
                return;
            }
            if (next == nextDown) {
                // Explicit withdrawal at the reset's time, then (in the session's steps) Peer Down.
                if (announced) {
                    step(route, nextDown, 0, WITHDRAW, 0, Source.SESSION, false);
                    announced = false;
                }
                sessionUp = false;
                tableAt = peerResets.get(r).up() + tableOffset(route.index());
                last = Math.max(last, nextDown);
                r++;
            } else if (next == tableAt) {
                sessionUp = true;
                tableAt = Long.MAX_VALUE;
                last = Math.max(last + 1, next);
                if (wantUp) {
                    step(route, last, 2, ANNOUNCE, wantVariant, Source.SESSION, false);
                    announced = true;
                    announcedVariant = wantVariant;
                }
            } else {
                Wanted change = wanted.get(w++);
                wantUp = change.change() != WITHDRAWN;
                if (change.change() == NEW_ATTRIBUTES) {
                    wantVariant++;
                }
                long time = Math.max(last + 1, change.time());
                if (!sessionUp || time >= nextDown) {
                    continue; // sent, if still wanted, with the table after the next Peer Up
                }
                if (time >= end) {
                    return;
                }
                if (!wantUp && announced) {
                    step(route, time, 2, WITHDRAW, 0, change.source(), false);
                    announced = false;
                    last = time;
                } else if (wantUp && (!announced || announcedVariant != wantVariant)) {
                    step(route, time, 2, ANNOUNCE, wantVariant, change.source(), announced);
                    announced = true;
                    announcedVariant = wantVariant;
                    last = time;
                }
            }
        }
    }

    private void step(Route route, long time, int rank, int type, int variant, Source source, boolean attributeChange) {
        add(time, rank, route.peer(), route.index(), type, variant);
        Tally t = tallies.get(source);
        if (type == WITHDRAW) {
            t.withdrawals++;
        } else {
            t.announcements++;
            if (attributeChange) {
                t.attributeChanges++;
            }
        }
    }

    private void add(long time, int rank, int peer, int route, int type, int variant) {
        steps.add(new Step(time, rank, peer, route, type, variant, order++));
    }

    private static long between(SplittableRandom random, long low, long high) {
        return low + (long) (random.nextDouble() * (high - low));
    }

    private static long jitter(SplittableRandom random, double value) {
        return (long) (value * (0.8 + 0.4 * random.nextDouble()));
    }

    private static long exponential(SplittableRandom random, double mean) {
        return Math.max(1, (long) (-mean * Math.log(1 - random.nextDouble())));
    }

    private static void attributeChanges(List<Wanted> wanted, SplittableRandom random, long from, long end,
                                         Source source) {
        for (long t = from + exponential(random, 14 * DAY); t < end; t += exponential(random, 14 * DAY)) {
            wanted.add(new Wanted(t, NEW_ATTRIBUTES, source));
        }
    }
}

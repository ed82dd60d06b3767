package net.rampart.learn.features;

import java.nio.ByteBuffer;

/**
 * What is known of one route from its history, kept so that its features can be brought up to
 * date from new events alone: its availability (up, failures, figure of merit), its last
 * attributes, and its events of the last 24 hours. The same code serves the feature table (state
 * carried between refreshes in the table) and training (history replayed, features taken at past
 * times), so that a model sees exactly what it is later asked about.
 *
 * <p>An event is classified against the route's state: an announcement of a withdrawn (or new)
 * route, a withdrawal of an announced one, and an announcement with other attributes are state
 * changes; an announcement repeating the attribute set the route has is a duplicate, counted
 * among announcements only; an announcement whose AS path differs from the last one is a path
 * change.
 */
public final class RouteFeatureState {
    static final int ANNOUNCEMENT = 1;
    static final int WITHDRAWAL = 2;
    static final int PATH_CHANGE = 4;
    static final int STATE_CHANGE = 8;
    /** The kinds counted per window, in {@link RouteFeature} order. */
    private static final int[] COUNTED = {ANNOUNCEMENT, WITHDRAWAL, PATH_CHANGE, STATE_CHANGE};
    private static final byte VERSION = 1;
    private static final long NO_ATTRIBUTES = Long.MIN_VALUE;

    private final FlapDamping damping;
    private final Availability availability;
    private final RecentEvents recent;
    private long attributesId = NO_ATTRIBUTES;
    private long asPathHash;
    private int pathLength = -1;

    public RouteFeatureState(FlapDamping damping) {
        this(damping, new Availability(damping), new RecentEvents());
    }

    private RouteFeatureState(FlapDamping damping, Availability availability, RecentEvents recent) {
        this.damping = damping;
        this.availability = availability;
        this.recent = recent;
    }

    /**
     * One row of the route's history.
     *
     * @param attributesId the announcement's attribute set (its id in the store: equal ids, equal attributes)
     * @param asPathHash   a hash of the AS path, to tell path changes from other attribute changes
     * @param pathLength   the AS path's length
     * @param nextHop      a hash of the next hop
     * @return whether the event changed the route's state (not a duplicate)
     */
    public boolean announce(long timeMillis, long attributesId, long asPathHash, int pathLength, int nextHop) {
        availability.event(timeMillis);
        int kind = ANNOUNCEMENT;
        boolean known = this.attributesId != NO_ATTRIBUTES;
        if (known && asPathHash != this.asPathHash) {
            kind |= PATH_CHANGE;
        }
        if (availability.goUp(timeMillis, known ? damping.reannouncementPenalty() : 0)) {
            kind |= STATE_CHANGE;
        } else if (attributesId != this.attributesId) {
            availability.change(timeMillis, damping.attributeChangePenalty());
            kind |= STATE_CHANGE;
        }
        this.attributesId = attributesId;
        this.asPathHash = asPathHash;
        this.pathLength = pathLength;
        recent.add(timeMillis, kind, pathLength, nextHop);
        return (kind & STATE_CHANGE) != 0;
    }

    /** A withdrawal; a state change when the route was announced. */
    public boolean withdraw(long timeMillis) {
        availability.event(timeMillis);
        int kind = WITHDRAWAL;
        if (availability.goDown(timeMillis, damping.withdrawalPenalty())) {
            kind |= STATE_CHANGE;
        }
        recent.add(timeMillis, kind, 0, 0);
        return (kind & STATE_CHANGE) != 0;
    }

    /** The time of the newest event. */
    public long lastEventMillis() {
        return availability.lastEvent();
    }

    /**
     * The route's features at {@code asOfMillis} (no earlier than its newest event), written into
     * {@code into} from {@code offset} in {@link RouteFeature} order.
     */
    public void features(long asOfMillis, double[] into, int offset) {
        int i = recent.counts(COUNTED, asOfMillis, into, offset);
        into[i++] = pathLength < 0 ? Double.NaN : pathLength;
        into[i++] = recent.pathLengthVariance(ANNOUNCEMENT, asOfMillis, FeatureWindow.DAY);
        into[i++] = recent.distinctNextHops(ANNOUNCEMENT, asOfMillis, FeatureWindow.DAY);
        into[i++] = availability.up() ? 0 : 1;
        into[i++] = availability.secondsSinceChange(asOfMillis);
        into[i++] = availability.ageSeconds(asOfMillis);
        into[i++] = availability.failures();
        into[i++] = availability.meanSecondsBetweenFailures(asOfMillis);
        into[i] = availability.figureOfMerit(asOfMillis);
    }

    public double[] features(long asOfMillis) {
        double[] v = new double[RouteFeature.count()];
        features(asOfMillis, v, 0);
        return v;
    }

    /**
     * The earliest time after {@code afterMillis} at which a window count changes without a new
     * event; {@link Long#MAX_VALUE} when none will (all events have left the longest window).
     */
    public long nextExpiry(long afterMillis) {
        return recent.nextExpiry(afterMillis);
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(1 + Availability.ENCODED_BYTES + 2 * Long.BYTES + Integer.BYTES
                + recent.encodedSize());
        out.put(VERSION);
        availability.encode(out);
        out.putLong(attributesId).putLong(asPathHash).putInt(pathLength);
        recent.encode(out);
        return out.array();
    }

    /** A state {@link #encode()} wrote. */
    public static RouteFeatureState decode(byte[] bytes, FlapDamping damping) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length == 0 || in.get() != VERSION) {
            throw new IllegalArgumentException("route feature state: unknown version");
        }
        Availability availability = Availability.decode(in, damping);
        long attributesId = in.getLong();
        long asPathHash = in.getLong();
        int pathLength = in.getInt();
        RouteFeatureState s = new RouteFeatureState(damping, availability, RecentEvents.decode(in));
        s.attributesId = attributesId;
        s.asPathHash = asPathHash;
        s.pathLength = pathLength;
        return s;
    }
}

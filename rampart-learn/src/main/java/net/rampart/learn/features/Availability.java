package net.rampart.learn.features;

import java.nio.ByteBuffer;

/**
 * Whether a route is announced (a session up) over its life, as far as its events tell: when it
 * was first seen and last changed, its failures (a withdrawal of an announced route, a session
 * going down) and the time it was up between them, and its RFC 2439 figure of merit.
 */
final class Availability {
    static final int ENCODED_BYTES = 6 * Long.BYTES + Integer.BYTES + Double.BYTES + 1;
    private static final long UNSEEN = Long.MIN_VALUE;

    private final FlapDamping damping;

    private long firstSeen = UNSEEN;
    private long lastChange;
    private boolean up;
    private long upSince;
    /** Up time of the periods that ended in a failure or were otherwise closed. */
    private long closedUpMillis;
    private int failures;
    private double meritAtUpdate;
    private long meritUpdatedAt;
    private long lastEvent;

    Availability(FlapDamping damping) {
        this.damping = damping;
    }

    boolean seen() {
        return firstSeen != UNSEEN;
    }

    boolean up() {
        return up;
    }

    /** Notes that an event happened at {@code time}, before its effect is applied. */
    void event(long time) {
        if (!seen()) {
            firstSeen = time;
            lastChange = time;
            meritUpdatedAt = time;
        }
        lastEvent = time;
    }

    /** The route is announced (the session up) from {@code time}; a state change when it was not. */
    boolean goUp(long time, double penalty) {
        if (up) {
            return false;
        }
        up = true;
        upSince = time;
        change(time, penalty);
        return true;
    }

    /** The route is withdrawn (the session down) at {@code time}; a failure when it was up. */
    boolean goDown(long time, double penalty) {
        if (!up) {
            return false;
        }
        up = false;
        closedUpMillis += Math.max(0, time - upSince);
        failures++;
        change(time, penalty);
        return true;
    }

    /** A change that is neither up nor down (new attributes), with its penalty. */
    void change(long time, double penalty) {
        lastChange = time;
        if (penalty != 0) {
            meritAtUpdate = damping.decay(meritAtUpdate, meritUpdatedAt, time) + penalty;
            meritUpdatedAt = time;
        }
    }

    long firstSeen() {
        return firstSeen;
    }

    long lastEvent() {
        return lastEvent;
    }

    double secondsSinceChange(long asOf) {
        return Math.max(0, asOf - lastChange) / 1000.0;
    }

    double ageSeconds(long asOf) {
        return Math.max(0, asOf - firstSeen) / 1000.0;
    }

    double upSeconds(long asOf) {
        return up ? Math.max(0, asOf - upSince) / 1000.0 : 0;
    }

    int failures() {
        return failures;
    }

    /** Up time per failure; NaN before the first failure (missing, for a model). */
    double meanSecondsBetweenFailures(long asOf) {
        if (failures == 0) {
            return Double.NaN;
        }
        long upMillis = closedUpMillis + (up ? Math.max(0, asOf - upSince) : 0);
        return upMillis / 1000.0 / failures;
    }

    double figureOfMerit(long asOf) {
        return damping.decay(meritAtUpdate, meritUpdatedAt, asOf);
    }

    void encode(ByteBuffer out) {
        out.putLong(firstSeen).putLong(lastChange).putLong(upSince).putLong(closedUpMillis)
                .putLong(meritUpdatedAt).putLong(lastEvent).putInt(failures)
                .putDouble(meritAtUpdate).put((byte) (up ? 1 : 0));
    }

    static Availability decode(ByteBuffer in, FlapDamping damping) {
        Availability a = new Availability(damping);
        a.firstSeen = in.getLong();
        a.lastChange = in.getLong();
        a.upSince = in.getLong();
        a.closedUpMillis = in.getLong();
        a.meritUpdatedAt = in.getLong();
        a.lastEvent = in.getLong();
        a.failures = in.getInt();
        a.meritAtUpdate = in.getDouble();
        a.up = in.get() != 0;
        return a;
    }
}

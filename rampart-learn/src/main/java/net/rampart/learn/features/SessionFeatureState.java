package net.rampart.learn.features;

/**
 * What is known of one BGP session from its up and down events (BMP Peer Up and Peer Down), kept
 * so that its features can be brought up to date from new events alone; see
 * {@link RouteFeatureState} for the route's. A repeated up (a router's BMP session restarting
 * while its BGP session stayed up) or down is counted among ups or downs but changes nothing.
 */
public final class SessionFeatureState {
    static final int UP = 1;
    static final int DOWN = 2;
    static final int STATE_CHANGE = 8;
    private static final int[] COUNTED = {UP, DOWN, STATE_CHANGE};

    private final Availability availability;
    private final RecentEvents recent;
    private final FlapDamping damping;

    public SessionFeatureState(FlapDamping damping) {
        this.damping = damping;
        this.availability = new Availability(damping);
        this.recent = new RecentEvents();
    }

    /** The session came up; returns whether that changed its state. */
    public boolean up(long timeMillis) {
        availability.event(timeMillis);
        boolean changed = availability.goUp(timeMillis, 0);
        recent.add(timeMillis, changed ? UP | STATE_CHANGE : UP, 0, 0);
        return changed;
    }

    /** The session went down; returns whether that changed its state. */
    public boolean down(long timeMillis) {
        availability.event(timeMillis);
        boolean changed = availability.goDown(timeMillis, damping.withdrawalPenalty());
        recent.add(timeMillis, changed ? DOWN | STATE_CHANGE : DOWN, 0, 0);
        return changed;
    }

    public long lastEventMillis() {
        return availability.lastEvent();
    }

    /** The session's features at {@code asOfMillis}, into {@code into} from {@code offset} in {@link SessionFeature} order. */
    public void features(long asOfMillis, double[] into, int offset) {
        int i = recent.counts(COUNTED, asOfMillis, into, offset);
        into[i++] = availability.up() ? 1 : 0;
        into[i++] = availability.upSeconds(asOfMillis);
        into[i++] = availability.secondsSinceChange(asOfMillis);
        into[i++] = availability.ageSeconds(asOfMillis);
        into[i++] = availability.failures();
        into[i++] = availability.meanSecondsBetweenFailures(asOfMillis);
        into[i] = availability.figureOfMerit(asOfMillis);
    }

    public double[] features(long asOfMillis) {
        double[] v = new double[SessionFeature.count()];
        features(asOfMillis, v, 0);
        return v;
    }
}

package net.rampart.detect.monitor;

import java.time.Duration;

/**
 * The RFC 2439 route flap damping parameters the flap detector judges routes with, and the
 * figure-of-merit arithmetic: each flap adds a penalty, the figure decays exponentially with the
 * half-life, a route is suppressed when it reaches the suppress threshold and reusable once it
 * decays below the reuse threshold. The figure never exceeds the ceiling at which it takes
 * exactly the maximum suppress time to decay to the reuse threshold, so no route stays
 * suppressed longer than that after its last flap.
 *
 * <p>The defaults are RFC 7196's: the vendors' common half-life (15 minutes), reuse threshold
 * (750), maximum suppress time (60 minutes) and penalties (1000 a withdrawal, 500 an attribute
 * change), with the suppress threshold raised to the 6000 it recommends, so that a route is
 * suppressed only after several flaps rather than two. A re-advertisement costs 1000 as a
 * withdrawal does, as Juniper counts it (Cisco counts 0): a withdraw-announce pair is two events.
 *
 * @param halfLife        time for the figure of merit to halve
 * @param maxSuppressTime the longest a route stays suppressed after its last flap
 */
public record FlapDamping(int withdrawalPenalty, int readvertisementPenalty, int attributeChangePenalty,
                          int suppressThreshold, int reuseThreshold, Duration halfLife, Duration maxSuppressTime) {

    public static final FlapDamping RFC_7196 = new FlapDamping(1000, 1000, 500, 6000, 750, Duration.ofMinutes(15),
            Duration.ofMinutes(60));

    public FlapDamping {
        if (withdrawalPenalty < 0 || readvertisementPenalty < 0 || attributeChangePenalty < 0) {
            throw new IllegalArgumentException("a penalty cannot be negative");
        }
        if (reuseThreshold < 1 || reuseThreshold >= suppressThreshold) {
            throw new IllegalArgumentException("reuse_threshold " + reuseThreshold
                    + " must be at least 1 and below suppress_threshold " + suppressThreshold);
        }
        if (halfLife.toMillis() < 1000 || maxSuppressTime.compareTo(halfLife) < 0) {
            throw new IllegalArgumentException("half_life must be at least 1s and max_suppress_time at least half_life");
        }
        if (ceiling(reuseThreshold, halfLife, maxSuppressTime) <= suppressThreshold) {
            throw new IllegalArgumentException("suppress_threshold " + suppressThreshold
                    + " is never reached: the figure of merit stops at " + (long) ceiling(reuseThreshold, halfLife,
                    maxSuppressTime) + " (reuse_threshold x 2^(max_suppress_time / half_life))");
        }
    }

    private static double ceiling(int reuse, Duration halfLife, Duration maxSuppressTime) {
        return reuse * Math.pow(2, (double) maxSuppressTime.toMillis() / halfLife.toMillis());
    }

    /** The highest figure of merit: reuse threshold x 2^(max suppress time / half-life) (RFC 2439 section 4.2). */
    public double ceiling() {
        return ceiling(reuseThreshold, halfLife, maxSuppressTime);
    }

    /** {@code figure} after {@code elapsedMillis} without a flap: figure x 2^(-elapsed / half-life). */
    public double decay(double figure, long elapsedMillis) {
        if (elapsedMillis <= 0 || figure == 0) {
            return figure;
        }
        return figure * Math.pow(0.5, (double) elapsedMillis / halfLife.toMillis());
    }

    /** {@code figure} plus a penalty, kept at or under the ceiling. */
    public double add(double figure, int penalty) {
        return Math.min(figure + penalty, ceiling());
    }

    /**
     * How long {@code figure} takes to decay to the reuse threshold without another flap:
     * half-life x log2(figure / reuse), rounded up to the millisecond; 0 when it is there already.
     */
    public long millisUntilReuse(double figure) {
        if (figure <= reuseThreshold) {
            return 0;
        }
        return (long) Math.ceil(halfLife.toMillis() * (Math.log(figure / reuseThreshold) / Math.log(2)));
    }
}

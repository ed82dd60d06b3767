package net.rampart.learn.features;

import java.time.Duration;

/**
 * The figure of merit of RFC 2439 (route flap damping): a penalty that grows by a fixed amount
 * at each flap and decays exponentially with a half-life. Routers suppress a route whose penalty
 * passes a threshold; here it is a feature, and the baseline a flap model must beat.
 *
 * <p>The defaults are the common router defaults (Cisco IOS, and the RIPE-580 recommendation's
 * starting point): 1000 per withdrawal, 500 per change of attributes, nothing for the
 * re-announcement that follows a withdrawal, and a half-life of 15 minutes.
 */
public record FlapDamping(Duration halfLife, double withdrawalPenalty, double attributeChangePenalty,
                          double reannouncementPenalty) {

    public static final FlapDamping DEFAULT = new FlapDamping(Duration.ofMinutes(15), 1000, 500, 0);

    public FlapDamping {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("half-life must be positive: " + halfLife);
        }
    }

    /** {@code penalty}, taken at {@code fromMillis}, decayed to {@code toMillis} (never grown: an earlier time keeps it). */
    public double decay(double penalty, long fromMillis, long toMillis) {
        if (penalty == 0 || toMillis <= fromMillis) {
            return penalty;
        }
        return penalty * Math.pow(0.5, (double) (toMillis - fromMillis) / halfLife.toMillis());
    }
}

package net.rampart.learn.churn;

/**
 * A minute whose update count left the series' usual daily and weekly shape.
 *
 * @param minute   the minute (epoch minutes)
 * @param expected the updates the seasonal shape and trend expected in that minute
 * @param observed the effective updates counted
 * @param score    how far the residual lies from the residuals' median, in MAD-sigmas (negative: a drop)
 */
public record ChurnAnomaly(long minute, double expected, double observed, double score) {
    public long timeMillis() {
        return minute * UpdateRateSeries.MINUTE_MILLIS;
    }

    public boolean drop() {
        return score < 0;
    }
}

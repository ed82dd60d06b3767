package net.rampart.learn.flap;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A training set for flap prediction: one row per route and moment, its features as they were at
 * that moment, and whether the route flapped within the label horizon after it.
 *
 * <p>Features are held row-major in one {@code float[]}, {@link Float#NaN} meaning missing (the
 * layout XGBoost reads without copying). Each row also carries the time its features were taken
 * at; the label of a row is only known once its horizon has passed, which is what
 * {@link #splitAt(Instant)} respects. The arrays are owned by this object: callers hand them over
 * and do not change them afterwards.
 */
public final class LabelledRows {

    private final List<String> featureNames;
    private final float[] features;
    private final boolean[] labels;
    private final long[] timesMillis;
    private final Duration horizon;

    /**
     * @param featureNames the name of each column, in order
     * @param features     row-major features, {@code labels.length * featureNames.size()} values, NaN = missing
     * @param labels       each row's label: true when the route flapped within {@code horizon} after the row's time
     * @param timesMillis  each row's time, epoch milliseconds: when its features were taken
     * @param horizon      how far after a row's time its label looks (the flap window)
     */
    public LabelledRows(List<String> featureNames, float[] features, boolean[] labels, long[] timesMillis,
                        Duration horizon) {
        if (featureNames.isEmpty()) {
            throw new IllegalArgumentException("no features");
        }
        if (labels.length != timesMillis.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + timesMillis.length + " times");
        }
        if ((long) labels.length * featureNames.size() != features.length) {
            throw new IllegalArgumentException(features.length + " feature values are not " + labels.length
                    + " rows of " + featureNames.size());
        }
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("label horizon must be positive: " + horizon);
        }
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.labels = labels;
        this.timesMillis = timesMillis;
        this.horizon = horizon;
    }

    /** Rows added one at a time, for a caller that reads them from history. */
    public static Builder builder(List<String> featureNames, Duration horizon) {
        return new Builder(featureNames, horizon);
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int featureCount() {
        return featureNames.size();
    }

    public int rowCount() {
        return labels.length;
    }

    public Duration horizon() {
        return horizon;
    }

    public boolean label(int row) {
        return labels[row];
    }

    public long timeMillis(int row) {
        return timesMillis[row];
    }

    public float feature(int row, int column) {
        return features[row * featureNames.size() + column];
    }

    /** The rows' features, row-major; shared, not copied: do not change it. */
    float[] featureArray() {
        return features;
    }

    /** One column's values, row by row. */
    public double[] column(int column) {
        if (column < 0 || column >= featureNames.size()) {
            throw new IndexOutOfBoundsException("column " + column + " of " + featureNames.size());
        }
        double[] values = new double[labels.length];
        for (int row = 0; row < values.length; row++) {
            values[row] = feature(row, column);
        }
        return values;
    }

    public boolean[] labels() {
        return labels.clone();
    }

    public long positives() {
        long count = 0;
        for (boolean label : labels) {
            if (label) {
                count++;
            }
        }
        return count;
    }

    /** The earliest row time, epoch millis; {@link Long#MAX_VALUE} when there are no rows. */
    public long firstTimeMillis() {
        long first = Long.MAX_VALUE;
        for (long time : timesMillis) {
            first = Math.min(first, time);
        }
        return first;
    }

    /** The latest row time, epoch millis; {@link Long#MIN_VALUE} when there are no rows. */
    public long lastTimeMillis() {
        long last = Long.MIN_VALUE;
        for (long time : timesMillis) {
            last = Math.max(last, time);
        }
        return last;
    }

    /**
     * Splits by time, never at random. Train holds the rows whose label was known at {@code cut}
     * (time + horizon &lt;= cut); test holds the rows taken at or after {@code cut}. The rows in
     * between are in neither: their features precede the cut but their labels look past it, so
     * training on them would let the model see the test period.
     */
    public TimeSplit splitAt(Instant cut) {
        return splitAt(cut.toEpochMilli());
    }

    /** Rows whose label was known at {@code cut}: the training rows of {@link #splitAt(Instant)}. */
    public int knownBy(Instant cut) {
        return knownBy(cut.toEpochMilli());
    }

    private int knownBy(long cutMillis) {
        int known = 0;
        for (long time : timesMillis) {
            if (time <= cutMillis - horizon.toMillis()) {
                known++;
            }
        }
        return known;
    }

    TimeSplit splitAt(long cutMillis) {
        long horizonMillis = horizon.toMillis();
        int test = 0;
        for (long time : timesMillis) {
            if (time >= cutMillis) {
                test++;
            }
        }
        int[] trainRows = new int[knownBy(cutMillis)];
        int[] testRows = new int[test];
        int train = 0;
        test = 0;
        for (int row = 0; row < timesMillis.length; row++) {
            long time = timesMillis[row];
            if (time <= cutMillis - horizonMillis) {
                trainRows[train++] = row;
            } else if (time >= cutMillis) {
                testRows[test++] = row;
            }
        }
        return new TimeSplit(cutMillis, select(trainRows), select(testRows), timesMillis.length - train - test);
    }

    /**
     * The time that leaves the latest {@code fraction} of the rows at or after it (by row time),
     * for carving a validation period off the end of a training period.
     */
    long timeQuantileFromEnd(double fraction) {
        if (timesMillis.length == 0) {
            throw new IllegalStateException("no rows");
        }
        long[] sorted = timesMillis.clone();
        Arrays.sort(sorted);
        int index = (int) Math.floor(sorted.length * (1 - fraction));
        return sorted[Math.min(Math.max(index, 0), sorted.length - 1)];
    }

    /** A new set of the given rows, in the given order. */
    LabelledRows select(int[] rows) {
        int width = featureNames.size();
        float[] selected = new float[rows.length * width];
        boolean[] selectedLabels = new boolean[rows.length];
        long[] selectedTimes = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(features, rows[i] * width, selected, i * width, width);
            selectedLabels[i] = labels[rows[i]];
            selectedTimes[i] = timesMillis[rows[i]];
        }
        return new LabelledRows(featureNames, selected, selectedLabels, selectedTimes, horizon);
    }

    /**
     * A time split: {@code train} before the cut (labels known by then), {@code test} from the cut on,
     * and how many rows were dropped because their label window reaches past the cut.
     */
    public record TimeSplit(long cutMillis, LabelledRows train, LabelledRows test, int dropped) {
    }

    /** Collects rows one at a time; the arrays grow as needed. */
    public static final class Builder {
        private final List<String> featureNames;
        private final Duration horizon;
        private float[] features;
        private boolean[] labels;
        private long[] times;
        private int rows;

        private Builder(List<String> featureNames, Duration horizon) {
            this.featureNames = List.copyOf(featureNames);
            this.horizon = horizon;
            this.features = new float[16 * featureNames.size()];
            this.labels = new boolean[16];
            this.times = new long[16];
        }

        /** Adds one row; {@code rowFeatures} is copied, so the caller may reuse it. */
        public Builder add(float[] rowFeatures, boolean label, long timeMillis) {
            int width = featureNames.size();
            if (rowFeatures.length != width) {
                throw new IllegalArgumentException(rowFeatures.length + " features, expected " + width);
            }
            if (rows == labels.length) {
                int capacity = Math.multiplyExact(labels.length, 2);
                features = Arrays.copyOf(features, Math.multiplyExact(capacity, width));
                labels = Arrays.copyOf(labels, capacity);
                times = Arrays.copyOf(times, capacity);
            }
            System.arraycopy(rowFeatures, 0, features, rows * width, width);
            labels[rows] = label;
            times[rows] = timeMillis;
            rows++;
            return this;
        }

        public LabelledRows build() {
            return new LabelledRows(featureNames, Arrays.copyOf(features, rows * featureNames.size()),
                    Arrays.copyOf(labels, rows), Arrays.copyOf(times, rows), horizon);
        }
    }
}

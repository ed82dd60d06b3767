package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledRowsTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long CUT = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

    @Test
    void trainHoldsOnlyRowsWhoseLabelWindowEndsByTheCut() {
        LabelledRows.Builder builder = LabelledRows.builder(List.of("a", "b"), Duration.ofHours(1));
        long[] times = {
                CUT - 3 * HOUR,      // train
                CUT - HOUR,          // train: its window ends exactly at the cut
                CUT - HOUR + 1,      // dropped: its window reaches 1 ms past the cut
                CUT - 1,             // dropped
                CUT,                 // test
                CUT + 5 * HOUR,      // test
        };
        for (int i = 0; i < times.length; i++) {
            builder.add(new float[] {i, i == 2 ? Float.NaN : 10 * i}, i % 2 == 0, times[i]);
        }
        LabelledRows.TimeSplit split = builder.build().splitAt(Instant.ofEpochMilli(CUT));

        assertThat(split.cutMillis()).isEqualTo(CUT);
        assertThat(split.train().rowCount()).isEqualTo(2);
        assertThat(split.train().timeMillis(0)).isEqualTo(CUT - 3 * HOUR);
        assertThat(split.train().timeMillis(1)).isEqualTo(CUT - HOUR);
        assertThat(split.train().feature(1, 0)).isEqualTo(1f);
        assertThat(split.train().feature(1, 1)).isEqualTo(10f);
        assertThat(split.train().label(1)).isFalse();
        assertThat(split.test().rowCount()).isEqualTo(2);
        assertThat(split.test().timeMillis(0)).isEqualTo(CUT);
        assertThat(split.test().feature(0, 0)).isEqualTo(4f);
        assertThat(split.test().label(0)).isTrue();
        assertThat(split.dropped()).isEqualTo(2);
    }

    @Test
    void splitOfShuffledRowsKeepsEveryRowWhole() {
        LabelledRows rows = SyntheticFlapRows.generate(5000, 7, CUT - 48 * HOUR, Duration.ofHours(72));
        Map<Long, Integer> rowAtTime = new HashMap<>();
        for (int row = 0; row < rows.rowCount(); row++) {
            rowAtTime.put(rows.timeMillis(row), row);
        }
        assertThat(rowAtTime).hasSize(rows.rowCount());  // the times are distinct, so they name the rows

        LabelledRows.TimeSplit split = rows.splitAt(Instant.ofEpochMilli(CUT));

        for (int row = 0; row < split.train().rowCount(); row++) {
            assertThat(split.train().timeMillis(row) + HOUR).isLessThanOrEqualTo(CUT);
            assertSameRow(split.train(), row, rows, rowAtTime.get(split.train().timeMillis(row)));
        }
        for (int row = 0; row < split.test().rowCount(); row++) {
            assertThat(split.test().timeMillis(row)).isGreaterThanOrEqualTo(CUT);
            assertSameRow(split.test(), row, rows, rowAtTime.get(split.test().timeMillis(row)));
        }
        long between = 0;
        for (int row = 0; row < rows.rowCount(); row++) {
            if (rows.timeMillis(row) > CUT - HOUR && rows.timeMillis(row) < CUT) {
                between++;
            }
        }
        assertThat(between).isPositive();
        assertThat(split.dropped()).isEqualTo(between);
        assertThat(split.train().rowCount() + split.test().rowCount() + split.dropped()).isEqualTo(rows.rowCount());
        assertThat(split.train().rowCount()).isPositive();
        assertThat(split.test().rowCount()).isPositive();
    }

    @Test
    void validationCutLeavesTheLatestShareOfRowsAfterIt() {
        LabelledRows.Builder builder = LabelledRows.builder(List.of("a"), Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            builder.add(new float[] {i}, false, 1000L * (9 - i));
        }
        LabelledRows rows = builder.build();
        assertThat(rows.timeQuantileFromEnd(0.2)).isEqualTo(8000L);
        assertThat(rows.timeQuantileFromEnd(0.5)).isEqualTo(5000L);
        assertThat(rows.firstTimeMillis()).isZero();
        assertThat(rows.lastTimeMillis()).isEqualTo(9000L);
    }

    @Test
    void rejectsArraysThatDoNotAgree() {
        assertThatThrownBy(() -> new LabelledRows(List.of("a", "b"), new float[3], new boolean[2], new long[2],
                Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows of 2");
        assertThatThrownBy(() -> new LabelledRows(List.of("a"), new float[2], new boolean[2], new long[1],
                Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelledRows.builder(List.of("a", "b"), Duration.ofHours(1))
                .add(new float[3], true, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSameRow(LabelledRows part, int partRow, LabelledRows all, int row) {
        assertThat(part.label(partRow)).isEqualTo(all.label(row));
        for (int column = 0; column < all.featureCount(); column++) {
            // Bit for bit, so that a missing value (NaN) must stay missing.
            assertThat(Float.floatToRawIntBits(part.feature(partRow, column)))
                    .isEqualTo(Float.floatToRawIntBits(all.feature(row, column)));
        }
    }
}

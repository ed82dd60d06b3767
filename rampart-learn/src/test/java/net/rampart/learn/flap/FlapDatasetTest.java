package net.rampart.learn.flap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.rampart.learn.features.FlapDamping;
import net.rampart.learn.features.RouteFeature;
import net.rampart.learn.features.RouteFeatureState;
import org.junit.jupiter.api.Test;

class FlapDatasetTest {
    private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");

    private static long at(int hour, int minute) {
        return DAY.plusSeconds(hour * 3600L + minute * 60L).toEpochMilli();
    }

    private static FlapDataset<RouteFeatureState> dataset() {
        return FlapDataset.ofRoutes(FlapDamping.DEFAULT, FlapDataset.FlapDefinition.DEFAULT, Duration.ofHours(1),
                Duration.ofHours(24), DAY.plusSeconds(9 * 3600), DAY.plusSeconds(13 * 3600));
    }

    private static void announce(FlapDataset<RouteFeatureState> d, String key, long time) {
        d.event(key, time, s -> s.announce(time, 1, 1, 2, 1));
    }

    private static void withdraw(FlapDataset<RouteFeatureState> d, String key, long time) {
        d.event(key, time, s -> s.withdraw(time));
    }

    private record Row(long time, boolean label, float stateChanges1h, float announcements5m) {
    }

    private static List<Row> rows(LabelledRows rows) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.rowCount(); i++) {
            out.add(new Row(rows.timeMillis(i), rows.label(i), rows.feature(i, RouteFeature.STATE_CHANGES_1H.ordinal()),
                    rows.feature(i, RouteFeature.ANNOUNCEMENTS_5M.ordinal())));
        }
        return out;
    }

    @Test
    void eachMomentHasTheActiveRoutesFeaturesThenAndWhetherTheyFlappedInTheHourAfter() {
        FlapDataset<RouteFeatureState> d = dataset();
        announce(d, "x", at(8, 30));
        announce(d, "y", at(8, 45));
        // x: four changes in the hour after 10:00.
        withdraw(d, "x", at(10, 10));
        announce(d, "x", at(10, 12));
        withdraw(d, "x", at(10, 14));
        announce(d, "x", at(10, 16));
        // z: announced exactly at the 11:00 moment, which counts it; y: three changes in (11:00, 12:00],
        // the last exactly at the window's end.
        announce(d, "z", at(11, 0));
        withdraw(d, "y", at(11, 20));
        announce(d, "y", at(11, 40));
        withdraw(d, "y", at(12, 0));
        LabelledRows rows = d.finish();

        // Moments 09:00 to 12:00: the last whose hour ends by 13:00. Rows of one moment in any order.
        List<Row> all = rows(rows);
        assertThat(all).hasSize(2 + 2 + 3 + 3);
        assertThat(all.stream().filter(Row::label).toList()).containsExactlyInAnyOrder(
                new Row(at(10, 0), true, 0, 0),
                new Row(at(11, 0), true, 0, 0));
        assertThat(all).contains(new Row(at(11, 0), false, 4, 0), new Row(at(11, 0), false, 1, 1));
        assertThat(rows.positives()).isEqualTo(2);
        assertThat(d.outOfOrder()).isZero();
    }

    @Test
    void routesQuietForADayAreLeftOutAndAnEventBackInTimeIsCounted() {
        FlapDataset<RouteFeatureState> d = new FlapDataset<>(List.of("state_changes_24h"),
                new FlapDataset.StateFeatures<RouteFeatureState>() {
                    @Override
                    public void features(RouteFeatureState s, long asOf, double[] into) {
                        into[0] = s.features(asOf)[RouteFeature.STATE_CHANGES_24H.ordinal()];
                    }

                    @Override
                    public long lastEventMillis(RouteFeatureState s) {
                        return s.lastEventMillis();
                    }
                }, () -> new RouteFeatureState(FlapDamping.DEFAULT), FlapDataset.FlapDefinition.DEFAULT,
                Duration.ofHours(1), Duration.ofHours(24), DAY.plus(Duration.ofDays(1)), DAY.plus(Duration.ofDays(1).plusHours(3)));
        announce(d, "old", at(0, 0));
        announce(d, "recent", at(23, 0));
        announce(d, "late", at(22, 0));
        LabelledRows rows = d.finish();

        // Moments 24:00, 25:00, 26:00: "old" (last event 24 h before the first) is in none.
        assertThat(rows.rowCount()).isEqualTo(2 * 3);
        assertThat(d.outOfOrder()).isEqualTo(1);
        assertThat(d.keys()).isEqualTo(3);
    }
}

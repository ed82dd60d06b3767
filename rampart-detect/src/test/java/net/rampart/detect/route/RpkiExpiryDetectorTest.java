package net.rampart.detect.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/** {@code rpki_expiring}: the last VRPs authorising a monitored prefix's origin are about to expire. */
class RpkiExpiryDetectorTest {

    private static final String MONITORS = """
            rpki:
              expiry_warning: 1h
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
              - prefix: 198.51.100.0/24
                origins: [AS64500]
                exclude: [rpki_expiring]
            """;

    private static final IpPrefix P1 = IpPrefix.parse("192.0.2.0/24");
    private static final IpPrefix EXCLUDED = IpPrefix.parse("198.51.100.0/24");
    private static final long HOUR = 3_600_000;
    /** The coverage end of the first VRPs: 100000 s after the epoch, so they warn from 96400000 ms. */
    private static final long END = 100_000;
    private static final String KEY = "rpki_expiring|192.0.2.0/24|AS64500";

    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 50);
    private final Detector detector;
    private final ExpiringVrps vrps = new ExpiringVrps();

    RpkiExpiryDetectorTest() throws Exception {
        detector = new Detector(new MonitorsLoader().parse(MONITORS, "monitors.yaml"), alerts);
    }

    /** VRPs authorising AS64500 for both prefixes, with the coverage end the test sets (0 for unknown). */
    private static final class ExpiringVrps implements RpkiValidator {
        final Map<IpPrefix, long[]> authorised = new HashMap<>(Map.of(P1, new long[] {64500},
                EXCLUDED, new long[] {64500}));
        final Map<IpPrefix, Long> ends = new HashMap<>();

        @Override
        public OriginValidity validity(IpPrefix prefix, long origin) {
            return OriginValidity.VALID;
        }

        @Override
        public long[] authorisedOrigins(IpPrefix prefix) {
            return authorised.getOrDefault(prefix, new long[0]);
        }

        @Override
        public long coverageEnd(IpPrefix prefix, long origin) {
            return ends.getOrDefault(prefix, 0L);
        }
    }

    private List<String> activeKeys() {
        return alerts.all().stream().filter(a -> a.state().active()).map(Alert::key).toList();
    }

    private Alert only(String key) {
        List<Alert> withKey = alerts.all().stream().filter(a -> a.key().equals(key)).toList();
        assertThat(withKey).as("alerts with key %s", key).hasSize(1);
        return withKey.get(0);
    }

    @Test
    void timePassingIntoTheWindowRaisesItAndARenewedVrpResolvesIt() {
        vrps.ends.put(P1, END);
        vrps.ends.put(EXCLUDED, END);
        detector.vrpsChanged(vrps, 1000);
        detector.tick(END * 1000 - HOUR - 1);
        assertThat(alerts.all()).as("an hour and a millisecond before the end").isEmpty();

        detector.tick(END * 1000 - HOUR);

        Alert expiring = only(KEY);
        assertThat(expiring.state().active()).isTrue();
        assertThat(expiring.finding().asn()).isEqualTo(64500);
        assertThat(expiring.finding().summary()).isEqualTo("every VRP authorising AS64500 to originate 192.0.2.0/24"
                + " expires by 1970-01-02T03:46:40Z: renew its ROA");
        assertThat(expiring.evidence()).containsExactly(new Evidence(END * 1000 - HOUR, "rpki", P1, ""));
        assertThat(activeKeys()).as("the excluded prefix raises nothing").containsExactly(KEY);

        detector.tick(END * 1000 - 1);
        assertThat(alerts.all()).as("one alert while in the window").hasSize(1);

        vrps.ends.put(P1, 2 * END);
        detector.vrpsChanged(vrps, END * 1000 - 10);

        Alert renewed = only(KEY);
        assertThat(renewed.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(renewed.timeline()).last().extracting(AlertChange::note).isEqualTo(
                "renewed: a VRP authorises AS64500 to originate 192.0.2.0/24 until 1970-01-03T07:33:20Z");

        detector.tick(2 * END * 1000 - HOUR);
        assertThat(activeKeys()).as("the renewed VRP enters the window in turn").containsExactly(KEY);
    }

    @Test
    void anUnknownExpiryNeverRaisesAndResolvesOneThatWasRaised() {
        detector.vrpsChanged(vrps, 1000);
        detector.tick(Long.MAX_VALUE / 2);
        assertThat(alerts.all()).as("no source gave an expiry").isEmpty();

        vrps.ends.put(P1, END);
        detector.vrpsChanged(vrps, END * 1000 - 60_000);
        assertThat(activeKeys()).as("already in the window at the VRP change").containsExactly(KEY);

        vrps.ends.remove(P1);
        detector.vrpsChanged(vrps, END * 1000 - 30_000);

        assertThat(only(KEY).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(only(KEY).timeline()).last().extracting(AlertChange::note).isEqualTo(
                "renewed: a VRP with no known expiry authorises AS64500 to originate 192.0.2.0/24");
    }

    @Test
    void losingTheOriginsVrpsResolvesItAsRpkiVrpRemovedTakesOver() {
        vrps.ends.put(P1, END);
        detector.vrpsChanged(vrps, END * 1000 - 60_000);
        Alert expiring = alerts.active(KEY).orElseThrow();

        Detector next = new Detector(detectorMonitors(), alerts);
        next.takeOverHistory(detector);
        assertThat(next.stillShows(expiring)).isTrue();

        vrps.authorised.put(P1, new long[0]);
        next.vrpsChanged(vrps, END * 1000 + 1000);

        assertThat(only(KEY).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(only(KEY).timeline()).last().extracting(AlertChange::note).isEqualTo(
                "no VRP authorises AS64500 to originate 192.0.2.0/24 any more, or it is no longer checked");
        assertThat(activeKeys()).containsExactly("rpki_vrp_removed|192.0.2.0/24|AS64500");
    }

    private static net.rampart.detect.monitor.Monitors detectorMonitors() {
        try {
            return new MonitorsLoader().parse(MONITORS, "monitors.yaml");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package net.rampart.detect.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class AlertsTest {

    private static final IpPrefix PREFIX = IpPrefix.parse("192.0.2.0/24");
    private static final Finding HIJACK = new Finding(AlertType.ORIGIN_HIJACK,
            Finding.key(AlertType.ORIGIN_HIJACK, PREFIX, "AS64666"), PREFIX, PREFIX, 64666, Taxonomy.of(true, '0'),
            "default", "AS64666 originates 192.0.2.0/24");

    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 3);
    private final List<String> heard = new ArrayList<>();

    AlertsTest() {
        alerts.addListener(new AlertListener() {
            @Override
            public void opened(Alert alert) {
                heard.add("opened " + alert.id());
            }

            @Override
            public void updated(Alert alert) {
                heard.add("updated " + alert.id() + " " + alert.state());
            }

            @Override
            public void resolved(Alert alert) {
                heard.add("resolved " + alert.id());
            }
        });
    }

    private static Evidence seen(long time, String vantagePoint) {
        return new Evidence(time, vantagePoint, PREFIX, "64510 64666");
    }

    @Test
    void theSameConditionSeenAgainAddsEvidenceToOneAlert() {
        Alert first = alerts.report(HIJACK, seen(1000, "r1/a"));
        Alert second = alerts.report(HIJACK, seen(2000, "r1/b"));

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(alerts.all()).hasSize(1);
        assertThat(second.key()).isEqualTo("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(second.sightings()).isEqualTo(2);
        assertThat(second.evidence()).extracting(Evidence::vantagePoint).containsExactly("r1/a", "r1/b");
        assertThat(second.openedAt()).isEqualTo(1000);
        assertThat(second.updatedAt()).isEqualTo(2000);
        assertThat(heard).containsExactly("opened " + first.id(), "updated " + first.id() + " OPEN");
    }

    @Test
    void evidenceKeepsOnlyTheLatest() {
        for (int t = 1; t <= 5; t++) {
            alerts.report(HIJACK, seen(t, "r1/" + t));
        }

        Alert alert = alerts.active(HIJACK.key()).orElseThrow();
        assertThat(alert.sightings()).isEqualTo(5);
        assertThat(alert.evidence()).extracting(Evidence::timeMillis).containsExactly(3L, 4L, 5L);
    }

    @Test
    void resolvingKeepsTheRestorationNoticeAndAReturnOpensANewAlert() {
        Alert opened = alerts.report(HIJACK, seen(1000, "r1/a"));
        Alert resolved = alerts.resolve(HIJACK.key(), 2000, "restored: withdrawn").orElseThrow();

        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).containsExactly(
                new AlertChange(1000, AlertState.OPEN, Alerts.DETECTOR, "AS64666 originates 192.0.2.0/24"),
                new AlertChange(2000, AlertState.RESOLVED, Alerts.DETECTOR, "restored: withdrawn"));
        assertThat(alerts.active(HIJACK.key())).isEmpty();
        assertThat(alerts.resolve(HIJACK.key(), 2500, "again")).isEmpty();

        Alert reopened = alerts.report(HIJACK, seen(3000, "r1/a"));
        assertThat(reopened.id()).isNotEqualTo(opened.id());
        assertThat(reopened.state()).isEqualTo(AlertState.OPEN);
        assertThat(alerts.byId(opened.id()).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(heard).containsExactly("opened " + opened.id(), "resolved " + opened.id(),
                "opened " + reopened.id());
    }

    @Test
    void acknowledgingNamesWhoAndCannotBeRepeated() {
        Alert opened = alerts.report(HIJACK, seen(1000, "r1/a"));
        Alert acked = alerts.acknowledge(opened.id(), "alice", 1500, "on it").orElseThrow();

        assertThat(acked.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(acked.acknowledgedBy()).isEqualTo("alice");
        assertThat(acked.timeline()).last().isEqualTo(new AlertChange(1500, AlertState.ACKNOWLEDGED, "alice", "on it"));
        assertThatThrownBy(() -> alerts.acknowledge(opened.id(), "bob", 1600, ""))
                .isInstanceOf(IllegalStateException.class).hasMessage("alert 1 is already acknowledged");
        assertThatThrownBy(() -> alerts.acknowledge(opened.id(), " ", 1600, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(alerts.acknowledge(999, "alice", 1600, "")).isEmpty();

        assertThat(alerts.report(HIJACK, seen(1700, "r1/b")).state()).isEqualTo(AlertState.ACKNOWLEDGED);
        alerts.resolve(HIJACK.key(), 2000, "restored");
        assertThatThrownBy(() -> alerts.acknowledge(opened.id(), "alice", 2100, ""))
                .isInstanceOf(IllegalStateException.class).hasMessage("alert 1 is resolved");
        assertThat(heard).containsExactly("opened 1", "updated 1 ACKNOWLEDGED", "updated 1 ACKNOWLEDGED",
                "resolved 1");
    }

    @Test
    void anIgnoredAlertKeepsEvidenceAndResolvesQuietly() {
        Alert opened = alerts.report(HIJACK, seen(1000, "r1/a"));
        alerts.ignore(opened.id(), "bob", 1100, "lab prefix");
        Alert updated = alerts.report(HIJACK, seen(1200, "r1/b"));
        Alert resolved = alerts.resolve(HIJACK.key(), 1300, "restored").orElseThrow();

        assertThat(updated.state()).isEqualTo(AlertState.IGNORED);
        assertThat(updated.sightings()).isEqualTo(2);
        assertThat(resolved.timeline()).extracting(AlertChange::state)
                .containsExactly(AlertState.OPEN, AlertState.IGNORED, AlertState.RESOLVED);
        assertThat(heard).containsExactly("opened 1", "updated 1 IGNORED");
    }

    @Test
    void aManualResolveIsFinalAndTheConditionSeenAgainOpensANewAlert() {
        Alert opened = alerts.report(HIJACK, seen(1000, "r1/a"));
        Alert resolved = alerts.resolve(opened.id(), "carol", 1100, "announced by our new customer").orElseThrow();

        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last()
                .isEqualTo(new AlertChange(1100, AlertState.RESOLVED, "carol", "announced by our new customer"));
        assertThat(alerts.active(HIJACK.key())).isEmpty();
        assertThatThrownBy(() -> alerts.resolve(opened.id(), "carol", 1200, ""))
                .isInstanceOf(IllegalStateException.class).hasMessage("alert 1 is resolved");
        assertThatThrownBy(() -> alerts.resolve(opened.id(), "", 1200, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("say who resolves the alert");
        assertThat(alerts.resolve(999, "carol", 1200, "")).isEmpty();
        // The detector's own resolution finds nothing left to resolve.
        assertThat(alerts.resolve(HIJACK.key(), 1300, "restored")).isEmpty();

        Alert again = alerts.report(HIJACK, seen(1400, "r1/a"));
        assertThat(again.id()).isNotEqualTo(opened.id());
        assertThat(again.state()).isEqualTo(AlertState.OPEN);
        assertThat(heard).containsExactly("opened 1", "resolved 1", "opened " + again.id());
    }

    @Test
    void aManualResolveOfAnIgnoredAlertTellsNobody() {
        Alert opened = alerts.report(HIJACK, seen(1000, "r1/a"));
        alerts.ignore(opened.id(), "bob", 1100, "");
        alerts.resolve(opened.id(), "bob", 1200, "gone");

        assertThat(alerts.byId(opened.id()).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(heard).containsExactly("opened 1", "updated 1 IGNORED");
    }

    @Test
    void aFailingListenerDoesNotSilenceTheOthers() {
        Alerts withFailing = new Alerts(new InMemoryAlertStore(), 3);
        List<Long> opened = new ArrayList<>();
        withFailing.addListener(new AlertListener() {
            @Override
            public void opened(Alert alert) {
                throw new IllegalStateException("channel down");
            }

            @Override
            public void updated(Alert alert) {
            }

            @Override
            public void resolved(Alert alert) {
            }
        });
        withFailing.addListener(new AlertListener() {
            @Override
            public void opened(Alert alert) {
                opened.add(alert.id());
            }

            @Override
            public void updated(Alert alert) {
            }

            @Override
            public void resolved(Alert alert) {
            }
        });

        Alert alert = withFailing.report(HIJACK, seen(1000, "r1/a"));

        assertThat(opened).containsExactly(alert.id());
        assertThat(withFailing.active(HIJACK.key())).contains(alert);
    }

    @Test
    void aHijackFindingNeedsItsLabelAndOthersTakeNone() {
        assertThatThrownBy(() -> new Finding(AlertType.ORIGIN_HIJACK, "k", PREFIX, PREFIX, 1, null, "default", "s"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Finding(AlertType.VISIBILITY_LOSS, "k", PREFIX, PREFIX, -1,
                Taxonomy.of(true, '0'), "default", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Taxonomy.of(false, '1')).hasToString("S|1|-");
        assertThat(new Taxonomy('Q', '0', '-')).hasToString("Q|0|-");
    }
}

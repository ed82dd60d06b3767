package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertListener;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.rpki.RoaIndex;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection thread's work, done on the test's thread with {@link Detection#catchUp()}: a real
 * RIB reports its changes to the feed, and the test catches up where the thread would.
 */
class DetectionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final RouterId ROUTER = new RouterId("r1");
    private static final String MONITORS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
              - prefix: 198.51.100.0/24
                origins: [AS64500]
                min_vantage_points: 2
            """;
    private static final String HIJACK = "origin_hijack|192.0.2.0/24|AS64666";
    private static final String LOSS = "visibility_loss|198.51.100.0/24";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);
    private Path file;
    private Rib rib;
    private DetectionFeed feed;
    private Detection detection;

    /** Where the detection thread's clock stands: the flap detector's time passes only when a test moves it. */
    private volatile Instant now = NOW;

    /** The VRPs in force for a detection that validates; null before any. */
    private volatile RpkiView vrps;

    private void start(String monitors, int queue) throws Exception {
        start(monitors, queue, false);
    }

    private void start(String monitors, int queue, boolean validating) throws Exception {
        file = Files.writeString(dir.resolve("monitors.yaml"), monitors);
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        feed = new DetectionFeed(queue, metrics);
        rib = new Rib(feed);
        detection = validating
                ? Detection.validating(rib, feed, MonitorsFile.open(file, clock), alerts, clock, metrics, List::of,
                        () -> vrps)
                : new Detection(rib, feed, MonitorsFile.open(file, clock), alerts, clock, metrics);
    }

    private static PeerKey peer(String literal) throws Exception {
        return PeerKey.global(InetAddress.getByName(literal));
    }

    private static RouteUpdate announce(String prefix, long... path) {
        return RouteUpdate.announce(NOW.toEpochMilli(), Family.IPV4_UNICAST, PathAttributes.builder()
                .origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(path))
                .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build(), List.of(Ipv4RouteKey.parse(prefix, 0)));
    }

    private static RouteUpdate withdraw(String prefix) {
        return RouteUpdate.withdraw(NOW.toEpochMilli(), Family.IPV4_UNICAST, List.of(Ipv4RouteKey.parse(prefix, 0)));
    }

    private static RouteEvent routeEvent(PeerKey peer, Ipv4RouteKey key, PathAttributes attributes) {
        return new RouteEvent(NOW.toEpochMilli(), ROUTER, 7, peer, RibView.ADJ_RIB_IN_POST, Family.IPV4_UNICAST, key,
                attributes);
    }

    private void apply(String peer, RouteUpdate update) throws Exception {
        rib.apply(ROUTER, peer(peer), RibView.ADJ_RIB_IN_POST, update);
    }

    private Alert alert(String key) {
        return alerts.all().stream().filter(a -> a.key().equals(key)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no alert " + key + " in " + alerts.all()));
    }

    private double counter(String name) {
        return metrics.get(name).counter().count();
    }

    @Test
    void routesInTheRibBeforeTheFirstCatchUpAreJudged() throws Exception {
        start(MONITORS, 16);
        // Restored at start: in the RIB, but never reported as events.
        rib.restore(ROUTER, peer("192.0.2.1"), RibView.ADJ_RIB_IN_POST, announce("192.0.2.0/24", 64510, 64666));

        detection.catchUp();

        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.OPEN);
        assertThat(alert(HIJACK).evidence().get(0).vantagePoint()).isEqualTo("r1/192.0.2.1/adj_rib_in_post");
        assertThat(counter("rampart_detect_observations_total")).isEqualTo(1);
    }

    @Test
    void routeEventsReachTheDetectorThroughTheFeed() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();

        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        assertThat(alerts.all()).isEmpty();
        assertThat(metrics.get("rampart_detect_queue_depth").gauge().value()).isEqualTo(1);
        detection.catchUp();
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.OPEN);

        apply("192.0.2.1", withdraw("192.0.2.0/24"));
        detection.catchUp();
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert(HIJACK).timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was withdrawn at r1/192.0.2.1/adj_rib_in_post");
        assertThat(counter("rampart_detect_observations_total")).isEqualTo(2);
        assertThat(metrics.get("rampart_detect_queue_depth").gauge().value()).isZero();
    }

    @Test
    void routesOutsideTheMonitoredSpaceAreJudgedOnTheCollectorsThreadAndNotQueued() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        String elsewhere = "origin_hijack|203.0.113.0/24|AS64666";

        // One packed UPDATE: only the monitored prefix's route waits for the detection thread.
        rib.apply(ROUTER, peer("192.0.2.1"), RibView.ADJ_RIB_IN_POST, RouteUpdate.announce(NOW.toEpochMilli(),
                Family.IPV4_UNICAST, announce("192.0.2.0/24", 64510, 64666).attributes(),
                List.of(Ipv4RouteKey.parse("203.0.113.0/24", 0), Ipv4RouteKey.parse("192.0.2.0/24", 0))));
        assertThat(metrics.get("rampart_detect_queue_depth").gauge().value()).isEqualTo(1);
        assertThat(counter("rampart_detect_observations_total")).isEqualTo(1);
        detection.catchUp();
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.OPEN);
        assertThat(alert(HIJACK).evidence()).hasSize(1);
        assertThat(counter("rampart_detect_observations_total")).isEqualTo(2);

        // Monitored from the next detector on: it reads the route from the RIB, and is queued what changes after.
        Files.writeString(file, MONITORS + """
                  - prefix: 203.0.113.0/24
                    origins: [AS64500]
                """);
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();
        assertThat(alert(elsewhere).state()).isEqualTo(AlertState.OPEN);
        apply("192.0.2.1", withdraw("203.0.113.0/24"));
        assertThat(metrics.get("rampart_detect_queue_depth").gauge().value()).isEqualTo(1);
        detection.catchUp();
        assertThat(alert(elsewhere).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aRouteThatConcernsTheDetectorOnlyThroughTheOneBeforeItInTheSameBatchIsStillJudged() throws Exception {
        start(MONITORS + """
                asns:
                  - asn: AS64501
                """, 16);
        detection.catchUp();

        // One batch: the withdrawal concerns the detector only once the announcement before it is
        // judged (a prefix no monitored prefix covers, held for its alert).
        PeerKey peer = peer("192.0.2.1");
        PathAttributes unlistedPath = announce("100.64.0.0/24", 64510, 64501).attributes();
        PathAttributes elsewherePath = announce("100.64.1.0/24", 64510, 64999).attributes();
        feed.onRouteEvents(List.of(
                routeEvent(peer, Ipv4RouteKey.parse("100.64.0.0/24", 0), unlistedPath),
                routeEvent(peer, Ipv4RouteKey.parse("100.64.1.0/24", 0), elsewherePath),
                routeEvent(peer, Ipv4RouteKey.parse("100.64.0.0/24", 0), null)));
        detection.catchUp();

        String unlisted = "unlisted_prefix|100.64.0.0/24|AS64501";
        assertThat(alert(unlisted).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert(unlisted).timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was withdrawn at r1/192.0.2.1/adj_rib_in_post");
        assertThat(alerts.all()).hasSize(1);
        // The route that concerns no monitor counts as judged too.
        assertThat(counter("rampart_detect_observations_total")).isEqualTo(3);
    }

    @Test
    void aReloadReplaysTheRibAndResolvesWhatTheNewMonitorsDoNotShow() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        apply("192.0.2.1", announce("198.51.100.0/24", 64510, 64777));
        detection.catchUp();
        Alert other = alert("origin_hijack|198.51.100.0/24|AS64777");

        Files.writeString(file, MONITORS.replace("origins: [AS64500]\n  - prefix: 198",
                "origins: [AS64500, AS64666]\n  - prefix: 198"));
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();

        Alert resolved = alert(HIJACK);
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last()
                .isEqualTo(new AlertChange(NOW.toEpochMilli(), AlertState.RESOLVED, Alerts.DETECTOR,
                        Detection.MONITORS_CHANGED));
        // Still shown under the new monitors: the same alert, with the replayed route as evidence.
        Alert kept = alert("origin_hijack|198.51.100.0/24|AS64777");
        assertThat(kept.id()).isEqualTo(other.id());
        assertThat(kept.state()).isEqualTo(AlertState.OPEN);
        assertThat(kept.sightings()).isEqualTo(2);

        // The new detector is the one fed from now on: the route that was a hijack is not one any more.
        apply("192.0.2.2", announce("192.0.2.0/24", 64511, 64666));
        detection.catchUp();
        assertThat(alerts.all()).filteredOn(a -> a.key().equals(HIJACK)).hasSize(1);
    }

    @Test
    void theFirstDetectorAfterARestartKeepsTheStoredAlertsTheRoutesStillShowAndResolvesTheOthers() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        apply("192.0.2.1", announce("198.51.100.0/24", 64510, 64777));
        detection.catchUp();
        Alert stillShown = alert(HIJACK);
        Alert gone = alert("origin_hijack|198.51.100.0/24|AS64777");

        // The restart: the alerts as stored, and a RIB holding only the first hijacking route.
        Alerts stored = new Alerts(new InMemoryAlertStore(alerts.all()), 10);
        List<String> heard = new ArrayList<>();
        stored.addListener(new AlertListener() {
            @Override
            public void opened(Alert alert) {
                heard.add("opened " + alert.key());
            }

            @Override
            public void updated(Alert alert) {
                heard.add("updated " + alert.key());
            }

            @Override
            public void resolved(Alert alert) {
                heard.add("resolved " + alert.key());
            }
        });
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DetectionFeed feed = new DetectionFeed(16, new SimpleMeterRegistry());
        Rib restarted = new Rib(feed);
        restarted.restore(ROUTER, peer("192.0.2.1"), RibView.ADJ_RIB_IN_POST, announce("192.0.2.0/24", 64510, 64666));
        new Detection(restarted, feed, MonitorsFile.open(file, clock), stored, clock, new SimpleMeterRegistry())
                .catchUp();

        assertThat(stored.active(HIJACK)).get().extracting(Alert::id).isEqualTo(stillShown.id());
        assertThat(stored.byId(gone.id()).orElseThrow().timeline()).last()
                .isEqualTo(new AlertChange(NOW.toEpochMilli(), AlertState.RESOLVED, Alerts.DETECTOR, Detection.STARTED));
        assertThat(heard).containsExactly("updated " + HIJACK, "resolved " + gone.key());
    }

    @Test
    void aChurnAnomalyIsNotTheRouteDetectorsToResolveOnAReload() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        IpPrefix all = IpPrefix.parse("0.0.0.0/0");
        alerts.report(new Finding(AlertType.CHURN_ANOMALY, "churn_anomaly|router:r1", all, null, -1, null, "default",
                "churn"), new Evidence(NOW.toEpochMilli(), "router:r1", all, ""));
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        detection.catchUp();

        Files.writeString(file, MONITORS.replace("origins: [AS64500]\n  - prefix: 198",
                "origins: [AS64500, AS64666]\n  - prefix: 198"));
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();

        // The hijack the new monitors allow is resolved; the churn anomaly, which no route shows, stays.
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert("churn_anomaly|router:r1").state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void aBadFileIsRefusedWithEveryProblemAndTheRunningMonitorsStay() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        detection.catchUp();

        Files.writeString(file, """
                prefixes:
                  - prefix: 192.0.2.1/24
                    origins: [AS6x]
                """);
        MonitorsFile.ReloadResult refused = detection.reload("test");
        detection.catchUp();

        assertThat(refused.applied()).isFalse();
        assertThat(refused.problems()).hasSize(2).allSatisfy(p -> assertThat(p).startsWith("monitors.yaml: prefixes[0]."));
        assertThat(detection.monitors().current().monitors().prefixes()).hasSize(2);
        assertThat(detection.monitors().lastReload()).contains(refused);
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void aVisibilityLossStillBelowItsThresholdOutlivesAReload() throws Exception {
        start(MONITORS, 16);
        detection.catchUp();
        apply("192.0.2.1", announce("198.51.100.0/24", 64510, 64500));
        apply("192.0.2.2", announce("198.51.100.0/24", 64511, 64500));
        apply("192.0.2.2", withdraw("198.51.100.0/24"));
        detection.catchUp();
        long id = alert(LOSS).id();

        Files.writeString(file, MONITORS + "    description: the same, described\n");
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();
        assertThat(alert(LOSS).id()).isEqualTo(id);
        assertThat(alert(LOSS).state()).isEqualTo(AlertState.OPEN);

        apply("192.0.2.2", announce("198.51.100.0/24", 64511, 64500));
        detection.catchUp();
        assertThat(alert(LOSS).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert(LOSS).timeline()).last().extracting(AlertChange::note).asString().startsWith("restored: 2");
    }

    @Test
    void droppedEventsAreLearnedByReadingTheRibAgain() throws Exception {
        start(MONITORS, 1);
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64666));
        detection.catchUp();
        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.OPEN);

        // The queue holds one batch: the withdrawal that ends the hijack is dropped.
        apply("192.0.2.1", announce("198.51.100.0/24", 64510, 64500));
        apply("192.0.2.1", withdraw("192.0.2.0/24"));
        assertThat(counter("rampart_detect_observations_dropped_total")).isEqualTo(1);
        detection.catchUp();

        assertThat(alert(HIJACK).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(alert(HIJACK).timeline()).last().extracting(AlertChange::note).asString()
                .contains("after 1 route changes were dropped");
    }

    @Test
    void aFlapOutlivesAReloadAndEndsWhenTheClockPassesItsReuseTime() throws Exception {
        start(MONITORS, 64);
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64500));
        for (int i = 0; i < 3; i++) {
            apply("192.0.2.1", withdraw("192.0.2.0/24"));
            apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64500));
        }
        detection.catchUp();
        Alert flap = alert("flap|192.0.2.0/24");
        assertThat(detection.suppressedRoutes()).hasSize(1);

        Files.writeString(file, MONITORS.replace("min_vantage_points: 2", "min_vantage_points: 3"));
        assertThat(detection.reload("test").applied()).isTrue();
        detection.catchUp();
        assertThat(alert("flap|192.0.2.0/24").state()).as("the new detector took the flap history over")
                .isEqualTo(AlertState.OPEN);
        assertThat(alert("flap|192.0.2.0/24").id()).isEqualTo(flap.id());

        now = NOW.plusSeconds(45 * 60 - 1);
        detection.catchUp();
        assertThat(alert("flap|192.0.2.0/24").state()).isEqualTo(AlertState.OPEN);

        now = NOW.plusSeconds(45 * 60);
        detection.catchUp();
        assertThat(alert("flap|192.0.2.0/24").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(detection.suppressedRoutes()).isEmpty();
    }

    private static RpkiView view(Vrp... vrps) {
        // Only the ROA index of a view is read: the serial history behind it plays no part.
        return new RpkiView(null, new RoaIndex(VrpSet.of(List.of(vrps))), null);
    }

    @Test
    void aVrpChangeJudgesTheRoutesAgainAndReportsTheVrpsAPrefixLost() throws Exception {
        vrps = view(Vrp.parse("192.0.2.0/24", 24, 64500), Vrp.parse("198.51.100.0/24", 24, 64501));
        start(MONITORS, 16, true);
        detection.vrpsChanged();
        detection.catchUp();
        apply("192.0.2.1", announce("192.0.2.0/24", 64510, 64500));
        detection.catchUp();
        assertThat(alerts.all()).isEmpty();

        // The ROA of 192.0.2.0/24 now names another AS; 198.51.100.0/24 lost its only one.
        vrps = view(Vrp.parse("192.0.2.0/24", 24, 64999), Vrp.parse("203.0.113.0/24", 24, 64501));
        detection.vrpsChanged();
        detection.catchUp();

        assertThat(alert("rpki_invalid|192.0.2.0/24|AS64500").state()).isEqualTo(AlertState.OPEN);
        assertThat(alert("rpki_vrp_removed|192.0.2.0/24|AS64500").state()).isEqualTo(AlertState.OPEN);
        assertThat(alert("rpki_vrp_removed|198.51.100.0/24|AS64501").state()).isEqualTo(AlertState.OPEN);

        vrps = view(Vrp.parse("192.0.2.0/23", 24, 64500), Vrp.parse("198.51.100.0/24", 24, 64501));
        detection.vrpsChanged();
        detection.catchUp();

        // Back in order, but for the VRP of AS64999 that the second view brought and the third removed.
        assertThat(alerts.all()).filteredOn(a -> a.state().active()).extracting(Alert::key)
                .containsExactly("rpki_vrp_removed|192.0.2.0/24|AS64999");
    }
}

package net.rampart.detect.route;

import static net.rampart.detect.route.RouteObservation.announce;
import static net.rampart.detect.route.RouteObservation.withdraw;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class DetectorTest {

    private static final String MONITORS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
                min_vantage_points: 2
              - prefix: 198.51.100.0/24
                origins: [AS64500]
                ignore_more_specifics: true
              - prefix: 203.0.113.0/24
                origins: []
              - prefix: 2001:db8::/32
                origins: [AS64500]
                path:
                  - match: "\\\\b64666\\\\b"
                  - not_match: "6451[01] 64500$"
                  - max_length: 4
                exclude: [new_more_specific, first_hop_hijack, visibility_loss]
              - prefix: 10.0.0.0/8
                origins: [AS64501]
              - prefix: 10.1.0.0/16
                origins: [AS64502]
                exclude: [rpki_not_found, flap]
            asns:
              - asn: AS64500
                upstreams: [AS64510, AS64511]
              - asn: AS64501
            """;

    private static final IpPrefix P1 = IpPrefix.parse("192.0.2.0/24");
    private static final IpPrefix P1_HALF = IpPrefix.parse("192.0.2.128/25");
    private static final IpPrefix SQUATTED = IpPrefix.parse("203.0.113.0/24");
    private static final IpPrefix V6 = IpPrefix.parse("2001:db8::/32");

    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 50);
    private final Detector detector;

    DetectorTest() throws Exception {
        Monitors monitors = new MonitorsLoader().parse(MONITORS, "monitors.yaml");
        detector = new Detector(monitors, alerts);
    }

    private void see(RouteObservation... routes) {
        detector.observe(List.of(routes));
    }

    private List<String> activeKeys() {
        return alerts.all().stream().filter(a -> a.state().active()).map(Alert::key).toList();
    }

    private Alert active(String key) {
        return alerts.active(key).orElseThrow(() -> new AssertionError("no active alert " + key + "; active: "
                + activeKeys()));
    }

    private Alert only(String key) {
        List<Alert> withKey = alerts.all().stream().filter(a -> a.key().equals(key)).toList();
        assertThat(withKey).as("alerts with key %s", key).hasSize(1);
        return withKey.get(0);
    }

    @Test
    void anotherOriginOfTheExactPrefixIsAnOriginHijackUntilWithdrawn() {
        see(announce(1000, "r1/a", P1, 64510, 64500), announce(2000, "r1/b", P1, 64510, 64666));

        Alert hijack = active("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(activeKeys()).containsExactly("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(hijack.type()).isEqualTo(AlertType.ORIGIN_HIJACK);
        assertThat(hijack.finding().taxonomy()).hasToString("E|0|-");
        assertThat(hijack.finding().asn()).isEqualTo(64666);
        assertThat(hijack.finding().monitoredPrefix()).isEqualTo(P1);
        assertThat(hijack.evidence()).containsExactly(new Evidence(2000, "r1/b", P1, "64510 64666"));

        see(withdraw(3000, "r1/b", P1));

        Alert resolved = only("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last().isEqualTo(new AlertChange(3000, AlertState.RESOLVED, Alerts.DETECTOR,
                "restored: the last route showing it was withdrawn at r1/b"));
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void aMoreSpecificFromAnotherOriginIsASubPrefixHijackUntilReplaced() {
        see(announce(1000, "r1/a", P1_HALF, 64510, 64666));

        assertThat(active("origin_hijack|192.0.2.128/25|AS64666").finding().taxonomy()).hasToString("S|0|-");
        assertThat(activeKeys()).containsExactly("origin_hijack|192.0.2.128/25|AS64666");

        see(announce(2000, "r1/a", P1_HALF, 64510, 64500));

        Alert hijack = only("origin_hijack|192.0.2.128/25|AS64666");
        assertThat(hijack.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(hijack.timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was replaced at r1/a by path '64510 64500'");
        // The replacement is a more-specific from the listed origin: an alert of its own.
        assertThat(activeKeys()).containsExactly("new_more_specific|192.0.2.128/25|AS64500");
    }

    @Test
    void theMostSpecificMonitoredPrefixDecides() {
        see(announce(1000, "r1/a", IpPrefix.parse("10.1.2.0/24"), 64510, 64501),
                announce(1000, "r1/a", IpPrefix.parse("10.2.0.0/16"), 64510, 64502));

        assertThat(active("origin_hijack|10.1.2.0/24|AS64501").finding().monitoredPrefix())
                .isEqualTo(IpPrefix.parse("10.1.0.0/16"));
        assertThat(active("origin_hijack|10.2.0.0/16|AS64502").finding().monitoredPrefix())
                .isEqualTo(IpPrefix.parse("10.0.0.0/8"));
        assertThat(activeKeys()).hasSize(2);
    }

    @Test
    void anyAnnouncementOfAPrefixNobodyShouldAnnounceIsSquatting() {
        see(announce(1000, "r1/a", SQUATTED, 64510, 64500),
                announce(1000, "r1/a", IpPrefix.parse("203.0.113.0/25"), 64510, 64666));

        assertThat(active("squatting|203.0.113.0/24|AS64500").finding().taxonomy()).hasToString("Q|0|-");
        assertThat(active("squatting|203.0.113.0/25|AS64666").finding().taxonomy()).hasToString("Q|0|-");
        assertThat(activeKeys()).hasSize(2);

        see(withdraw(2000, "r1/a", SQUATTED), withdraw(2000, "r1/a", IpPrefix.parse("203.0.113.0/25")));

        assertThat(activeKeys()).isEmpty();
        assertThat(alerts.all()).extracting(Alert::state).containsOnly(AlertState.RESOLVED);
    }

    @Test
    void anAsSetOriginIsFlaggedRatherThanJudgedByItsLastAsn() {
        see(new RouteObservation(1000, "r1/a", P1, new long[] {64510, 64500, 64666}, true, false));

        Alert asSet = active("as_set_origin|192.0.2.0/24");
        assertThat(asSet.finding().taxonomy()).hasToString("E|0|-");
        assertThat(activeKeys()).containsExactly("as_set_origin|192.0.2.0/24");

        see(announce(2000, "r1/a", P1, 64510, 64500));

        assertThat(only("as_set_origin|192.0.2.0/24").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void aListedOriginBehindAnUndeclaredNeighbourIsAFirstHopHijack() {
        see(announce(1000, "r1/a", P1, 64511, 64500), announce(1000, "r1/b", P1, 64500),
                announce(1000, "r1/c", P1, 64999, 64666, 64500, 64500));

        Alert firstHop = active("first_hop_hijack|192.0.2.0/24|AS64500|AS64666");
        assertThat(firstHop.finding().taxonomy()).hasToString("E|1|-");
        assertThat(firstHop.finding().asn()).isEqualTo(64666);
        assertThat(activeKeys()).containsExactly("first_hop_hijack|192.0.2.0/24|AS64500|AS64666");

        see(announce(2000, "r1/c", P1, 64999, 64510, 64500));

        assertThat(only("first_hop_hijack|192.0.2.0/24|AS64500|AS64666").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void aFirstHopOnAMoreSpecificIsLabelledAsSuch() {
        see(announce(1000, "r1/a", P1_HALF, 64666, 64500));

        assertThat(active("first_hop_hijack|192.0.2.128/25|AS64500|AS64666").finding().taxonomy())
                .hasToString("S|1|-");
    }

    @Test
    void anOriginWithoutDeclaredUpstreamsHasNoFirstHopCheck() {
        see(announce(1000, "r1/a", IpPrefix.parse("10.0.0.0/8"), 64666, 64501));

        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void aNewMoreSpecificFromAListedOriginIsReportedUntilWithdrawn() {
        IpPrefix quarter = IpPrefix.parse("192.0.2.0/26");
        see(announce(1000, "r1/a", quarter, 64510, 64500));

        Alert more = active("new_more_specific|192.0.2.0/26|AS64500");
        assertThat(more.finding().taxonomy()).hasToString("S|-|-");
        assertThat(more.finding().monitoredPrefix()).isEqualTo(P1);

        see(withdraw(2000, "r1/a", quarter));

        assertThat(only("new_more_specific|192.0.2.0/26|AS64500").state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void moreSpecificsOfAPrefixThatIgnoresThemAreNotWatchedAtAll() {
        see(announce(1000, "r1/a", IpPrefix.parse("198.51.100.0/25"), 64510, 64666),
                announce(1000, "r1/a", IpPrefix.parse("198.51.100.128/25"), 64510, 64500));

        assertThat(alerts.all()).isEmpty();

        see(announce(2000, "r1/a", IpPrefix.parse("198.51.100.0/24"), 64510, 64666));

        assertThat(activeKeys()).containsExactly("origin_hijack|198.51.100.0/24|AS64666");
    }

    @Test
    void anExcludedCheckStaysSilent() {
        see(announce(1000, "r1/a", IpPrefix.parse("2001:db8:1::/48"), 64512, 64500));

        // new_more_specific and first_hop_hijack are excluded for 2001:db8::/32; its path rules are not.
        assertThat(activeKeys()).containsExactly("path|2001:db8:1::/48|path[1]");
    }

    @Test
    void eachBrokenPathRuleIsItsOwnAlertUntilThePathComplies() {
        see(announce(1000, "r1/a", V6, 64999, 64510, 64500),
                announce(1000, "r1/b", V6, 64666, 64510, 64500),
                announce(1000, "r1/c", V6, 64999, 64512, 64500),
                announce(1000, "r1/d", V6, 1, 2, 3, 64510, 64500));

        assertThat(activeKeys()).containsExactlyInAnyOrder("path|2001:db8::/32|path[0]", "path|2001:db8::/32|path[1]",
                "path|2001:db8::/32|path[2]");
        Alert match = active("path|2001:db8::/32|path[0]");
        assertThat(match.finding().taxonomy()).hasToString("E|P|-");
        assertThat(match.finding().summary()).endsWith("path matches '\\b64666\\b'");
        assertThat(match.evidence()).extracting(Evidence::vantagePoint).containsExactly("r1/b");
        assertThat(active("path|2001:db8::/32|path[1]").finding().summary())
                .endsWith("path does not match '6451[01] 64500$'");
        assertThat(active("path|2001:db8::/32|path[2]").finding().summary()).endsWith("path length 5 is above 4");

        see(announce(2000, "r1/b", V6, 64999, 64511, 64500));

        assertThat(only("path|2001:db8::/32|path[0]").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).containsExactlyInAnyOrder("path|2001:db8::/32|path[1]", "path|2001:db8::/32|path[2]");
    }

    @Test
    void oneConditionSeenByManyVantagePointsIsOneAlertResolvedWhenTheLastOneLosesIt() {
        see(announce(1000, "r1/a", P1, 64510, 64666), announce(1100, "r2/a", P1, 64511, 64666));

        Alert hijack = active("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(alerts.all()).hasSize(1);
        assertThat(hijack.sightings()).isEqualTo(2);
        assertThat(hijack.evidence()).extracting(Evidence::vantagePoint).containsExactly("r1/a", "r2/a");

        see(withdraw(2000, "r1/a", P1));
        assertThat(active("origin_hijack|192.0.2.0/24|AS64666").id()).isEqualTo(hijack.id());

        see(withdraw(2100, "r2/a", P1));
        assertThat(activeKeys()).isEmpty();

        see(announce(3000, "r3/a", P1, 64512, 64666));
        Alert again = active("origin_hijack|192.0.2.0/24|AS64666");
        assertThat(again.id()).isNotEqualTo(hijack.id());
        assertThat(alerts.byId(hijack.id()).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void theExactPrefixLosingVisibilityBelowItsThresholdIsReportedAndRestored() {
        see(announce(1000, "r1/a", P1, 64510, 64500), announce(1000, "r1/b", P1, 64511, 64500));
        assertThat(detector.carriers(P1)).isEqualTo(2);
        assertThat(alerts.all()).isEmpty();

        see(withdraw(2000, "r1/a", P1));

        Alert loss = active("visibility_loss|192.0.2.0/24");
        assertThat(loss.finding().taxonomy()).isNull();
        assertThat(loss.finding().summary()).isEqualTo(
                "192.0.2.0/24 is carried by 1 vantage points, below its threshold of 2");
        assertThat(loss.evidence()).containsExactly(new Evidence(2000, "r1/a", P1, ""));

        see(announce(3000, "r1/c", P1, 64510, 64500));

        Alert restored = only("visibility_loss|192.0.2.0/24");
        assertThat(restored.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(restored.timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: 2 vantage points carry 192.0.2.0/24 again (threshold 2), the latest r1/c");
    }

    @Test
    void aPrefixThatNeverReachedItsThresholdHasLostNothing() {
        see(announce(1000, "r1/a", P1, 64510, 64500), withdraw(2000, "r1/a", P1));

        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aHijackReplacingTheRouteAlsoCostsVisibility() {
        see(announce(1000, "r1/a", P1, 64510, 64500), announce(1000, "r1/b", P1, 64511, 64500),
                announce(2000, "r1/b", P1, 64511, 64666));

        assertThat(activeKeys()).containsExactlyInAnyOrder("origin_hijack|192.0.2.0/24|AS64666",
                "visibility_loss|192.0.2.0/24");
        assertThat(active("visibility_loss|192.0.2.0/24").evidence())
                .containsExactly(new Evidence(2000, "r1/b", P1, "64511 64666"));
    }

    @Test
    void aMoreSpecificLosingVisibilityIsReportedOnItsOwn() {
        IpPrefix more = IpPrefix.parse("10.2.0.0/16");
        see(announce(1000, "r1/a", more, 64510, 64501));
        assertThat(activeKeys()).containsExactly("new_more_specific|10.2.0.0/16|AS64501");

        see(withdraw(2000, "r1/a", more));

        Alert loss = active("visibility_loss|10.2.0.0/16");
        assertThat(loss.finding().prefix()).isEqualTo(more);
        assertThat(loss.finding().monitoredPrefix()).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
        assertThat(activeKeys()).containsExactly("visibility_loss|10.2.0.0/16");
        assertThat(detector.carriers(IpPrefix.parse("10.0.0.0/8"))).isZero();
    }

    @Test
    void aMonitoredAsnOriginatingAnUnlistedPrefixIsReportedUntilWithdrawn() {
        IpPrefix unlisted = IpPrefix.parse("100.64.0.0/24");
        see(announce(1000, "r1/a", unlisted, 64510, 64501));

        Alert alert = active("unlisted_prefix|100.64.0.0/24|AS64501");
        assertThat(alert.finding().monitoredPrefix()).isNull();
        assertThat(alert.finding().taxonomy()).isNull();
        assertThat(alert.finding().asn()).isEqualTo(64501);

        see(announce(2000, "r1/a", unlisted, 64510, 64999));

        assertThat(only("unlisted_prefix|100.64.0.0/24|AS64501").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).isEmpty();
    }

    private boolean concerns(IpPrefix prefix) {
        return detector.concerns(prefix.isIpv4(), prefix.high(), prefix.low(), prefix.length());
    }

    @Test
    void aPrefixConcernsTheDetectorWhileCoveredOrWhileItHoldsARouteOfIt() {
        IpPrefix unlisted = IpPrefix.parse("100.64.0.0/24");
        assertThat(concerns(P1)).isTrue();
        assertThat(concerns(P1_HALF)).as("a more-specific of a monitored prefix").isTrue();
        assertThat(concerns(IpPrefix.parse("198.51.100.0/25"))).as("ignored more-specifics are still read").isTrue();
        assertThat(concerns(V6)).isTrue();
        assertThat(concerns(IpPrefix.parse("2001:db9::/32"))).isFalse();
        assertThat(concerns(unlisted)).isFalse();

        // Held for the unlisted prefix alert: its withdrawal, or a new path, must reach the detector.
        see(announce(1000, "r1/a", unlisted, 64510, 64501));
        assertThat(concerns(unlisted)).isTrue();
        assertThat(concerns(IpPrefix.parse("100.64.1.0/24"))).isFalse();

        see(withdraw(2000, "r1/a", unlisted));
        assertThat(only("unlisted_prefix|100.64.0.0/24|AS64501").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(concerns(unlisted)).as("nothing held any more").isFalse();

        // A route showing nothing is not held, so a prefix it leaves does not stay a concern.
        see(announce(3000, "r1/a", unlisted, 64510, 64999));
        assertThat(concerns(unlisted)).isFalse();
    }

    @Test
    void anAnnouncementConcernsTheDetectorThroughAMonitoredOriginOrAPathAsnThatDeclaresNeighbours()
            throws Exception {
        assertThat(detector.concernsOrigin(64501)).isTrue();
        assertThat(detector.concernsOrigin(64500)).isTrue();
        assertThat(detector.concernsOrigin(64510)).isFalse();
        assertThat(detector.readsPaths()).isTrue();
        assertThat(detector.concernsPathAsn(64500)).as("declares upstreams").isTrue();
        assertThat(detector.concernsPathAsn(64501)).as("declares no neighbours").isFalse();
        assertThat(detector.concernsPathAsn(64510)).isFalse();

        Detector withoutNeighbours = new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                asns:
                  - asn: AS64500
                """, "monitors.yaml"), alerts);
        assertThat(withoutNeighbours.readsPaths()).isFalse();
        assertThat(withoutNeighbours.concernsPathAsn(64500)).isFalse();
        assertThat(withoutNeighbours.concernsOrigin(64500)).isTrue();
    }

    @Test
    void routesOfUnmonitoredPrefixesAndAsnsAreIgnored() {
        see(announce(1000, "r1/a", IpPrefix.parse("100.64.0.0/10"), 64510, 64666),
                announce(1000, "r1/a", IpPrefix.parse("192.0.0.0/16"), 64510, 64666),
                announce(1000, "r1/a", IpPrefix.parse("2001:db9::/32"), 64510, 64666),
                new RouteObservation(1000, "r1/a", IpPrefix.parse("100.65.0.0/16"), new long[] {64510, 64501}, true,
                        false),
                withdraw(2000, "r1/a", IpPrefix.parse("100.64.0.0/10")),
                withdraw(2000, "r1/a", IpPrefix.parse("198.18.0.0/15")));

        assertThat(alerts.all()).isEmpty();
        assertThat(detector.carriers(IpPrefix.parse("192.0.0.0/16"))).isZero();
    }

    @Test
    void theAsPathOfAnIgnoredMoreSpecificIsStillReadForNeighbours() {
        IpPrefix ignored = IpPrefix.parse("198.51.100.0/25");
        see(announce(1000, "r1/a", ignored, 64666, 64500));

        // Not judged against 198.51.100.0/24, nor unlisted: only the neighbour of AS64500 shows.
        assertThat(activeKeys()).containsExactly("new_neighbour|AS64500|AS64666");
        assertThat(active("new_neighbour|AS64500|AS64666").finding().summary()).contains("passes routes to it");

        see(withdraw(2000, "r1/a", ignored));

        assertThat(activeKeys()).isEmpty();
        assertThat(alerts.all()).hasSize(1);
    }

    /** Monitors for the AS path checks: one monitored AS with every kind of neighbour, one with none. */
    private static final String RELATIONSHIPS = """
            prefixes:
              - prefix: 192.0.2.0/24
                origins: [AS64500]
              - prefix: 198.51.100.0/24
                origins: [AS64500]
                exclude: [no_export_leak]
            asns:
              - asn: AS64500
                upstreams: [AS64510, AS64511]
                peers: [AS64530]
                downstreams: [AS64520]
                group: noc
              - asn: AS64501
            groups:
              noc: {channels: []}
            """;

    private static final IpPrefix ELSEWHERE = IpPrefix.parse("100.64.0.0/24");
    private static final IpPrefix ELSEWHERE_TOO = IpPrefix.parse("100.64.1.0/24");

    private Detector withRelationships() throws Exception {
        return new Detector(new MonitorsLoader().parse(RELATIONSHIPS, "monitors.yaml"), alerts);
    }

    @Test
    void anUndeclaredNeighbourOfAMonitoredAsnIsOneAlertWhateverThePrefixesUntilNoRouteShowsIt() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", ELSEWHERE, 64510, 64500, 64666),
                announce(1100, "r2/a", ELSEWHERE_TOO, 64511, 64500, 64500, 64666, 64666, 64999)));

        Alert neighbour = active("new_neighbour|AS64500|AS64666");
        assertThat(activeKeys()).containsExactly("new_neighbour|AS64500|AS64666");
        assertThat(neighbour.type()).isEqualTo(AlertType.NEW_NEIGHBOUR);
        assertThat(neighbour.finding().asn()).isEqualTo(64666);
        assertThat(neighbour.finding().group()).isEqualTo("noc");
        assertThat(neighbour.finding().taxonomy()).isNull();
        assertThat(neighbour.finding().monitoredPrefix()).isNull();
        assertThat(neighbour.finding().summary()).isEqualTo("AS64666 is a new neighbour of AS64500, none of its"
                + " upstreams, downstreams or peers: AS64500 learns routes from it, first seen for 100.64.0.0/24");
        assertThat(neighbour.sightings()).isEqualTo(2);
        assertThat(neighbour.evidence()).extracting(Evidence::prefix).containsExactly(ELSEWHERE, ELSEWHERE_TOO);

        d.observe(List.of(withdraw(2000, "r1/a", ELSEWHERE)));
        assertThat(active("new_neighbour|AS64500|AS64666").id()).isEqualTo(neighbour.id());

        d.observe(List.of(announce(3000, "r2/a", ELSEWHERE_TOO, 64511, 64500, 64520)));

        Alert resolved = only("new_neighbour|AS64500|AS64666");
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was replaced at r2/a by path '64511 64500 64520'");
    }

    private static RouteObservation validated(long time, String vantagePoint, IpPrefix prefix, OriginValidity validity,
                                              long... path) {
        return announce(time, vantagePoint, prefix, path).withValidity(validity);
    }

    @Test
    void anRpkiInvalidOriginIsReportedPerOriginUntilNoRouteShowsIt() {
        see(validated(1000, "r1/a", P1, OriginValidity.INVALID_ORIGIN, 64510, 64666),
                validated(1100, "r2/a", P1, OriginValidity.INVALID_ORIGIN, 64511, 64666));

        Alert invalid = active("rpki_invalid|192.0.2.0/24|AS64666");
        assertThat(invalid.type()).isEqualTo(AlertType.RPKI_INVALID);
        assertThat(invalid.finding().taxonomy()).isNull();
        assertThat(invalid.finding().asn()).isEqualTo(64666);
        assertThat(invalid.finding().summary()).isEqualTo(
                "192.0.2.0/24 originated by AS64666 is RPKI-invalid: no VRP covering it lists the origin");
        assertThat(invalid.sightings()).isEqualTo(2);
        assertThat(activeKeys()).containsExactlyInAnyOrder("rpki_invalid|192.0.2.0/24|AS64666",
                "origin_hijack|192.0.2.0/24|AS64666");

        see(validated(2000, "r1/a", P1, OriginValidity.VALID, 64510, 64500));
        assertThat(active("rpki_invalid|192.0.2.0/24|AS64666").id()).isEqualTo(invalid.id());

        see(withdraw(3000, "r2/a", P1));

        Alert resolved = only("rpki_invalid|192.0.2.0/24|AS64666");
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was withdrawn at r2/a");
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void oneVantagePointShowingANeighbourThroughTwoPrefixesKeepsItUntilBothAreGone() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", ELSEWHERE, 64777, 64500, 64520),
                announce(1000, "r1/a", ELSEWHERE_TOO, 64777, 64500, 64520)));

        assertThat(active("new_neighbour|AS64500|AS64777").finding().summary())
                .contains("AS64500 passes routes to it");

        d.observe(List.of(withdraw(2000, "r1/a", ELSEWHERE)));
        assertThat(activeKeys()).containsExactly("new_neighbour|AS64500|AS64777");
        assertThat(d.stillShows(active("new_neighbour|AS64500|AS64777"))).isTrue();

        d.observe(List.of(withdraw(3000, "r1/a", ELSEWHERE_TOO)));
        assertThat(only("new_neighbour|AS64500|AS64777").timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was withdrawn at r1/a");
    }

    @Test
    void declaredNeighboursPrependsAndAsnsWithoutListsRaiseNoNeighbourAlert() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", ELSEWHERE, 64510, 64510, 64500, 64500, 64520, 64520),
                announce(1000, "r1/b", ELSEWHERE, 64530, 64500, 64520),
                announce(1000, "r1/c", ELSEWHERE, 64520, 64500, 64511),
                announce(1000, "r1/d", ELSEWHERE, 64666, 64501, 64777),
                new RouteObservation(1000, "r1/e", ELSEWHERE, new long[] {64510, 64500, 64666}, true, false)));

        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void theFirstHopOfAMonitoredPrefixIsTheFirstHopChecksAndElsewhereANewNeighbour() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", P1, 64999, 64777, 64500),
                announce(1000, "r1/a", ELSEWHERE, 64999, 64777, 64500)));

        assertThat(activeKeys()).containsExactlyInAnyOrder("first_hop_hijack|192.0.2.0/24|AS64500|AS64777",
                "unlisted_prefix|100.64.0.0/24|AS64500", "new_neighbour|AS64500|AS64777");
        assertThat(active("new_neighbour|AS64500|AS64777").evidence()).extracting(Evidence::prefix)
                .containsExactly(ELSEWHERE);
    }

    @Test
    void aMonitoredAsnPassingOneUpstreamsRoutesToAnotherIsOneRouteLeakUntilReplaced() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", ELSEWHERE, 64511, 64500, 64510, 64999),
                announce(1000, "r1/a", ELSEWHERE_TOO, 64511, 64511, 64500, 64510, 64510, 64888)));

        Alert leak = active("route_leak|AS64500|AS64510|AS64511");
        assertThat(activeKeys()).containsExactly("route_leak|AS64500|AS64510|AS64511");
        assertThat(leak.type()).isEqualTo(AlertType.ROUTE_LEAK);
        assertThat(leak.finding().asn()).isEqualTo(64500);
        assertThat(leak.finding().taxonomy()).isNull();
        assertThat(leak.finding().summary()).isEqualTo("route leak: AS64500 passes routes from its upstream AS64510"
                + " to its upstream AS64511 (RFC 7908 type 1), first seen for 100.64.0.0/24");
        assertThat(leak.sightings()).isEqualTo(2);

        d.observe(List.of(announce(2000, "r1/a", ELSEWHERE, 64511, 64999),
                announce(2000, "r1/a", ELSEWHERE_TOO, 64511, 64500, 64520, 64888)));

        assertThat(only("route_leak|AS64500|AS64510|AS64511").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void everyProviderAndPeerTurnIsALeakOfItsRfc7908Type() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", ELSEWHERE, 64530, 64500, 64510),
                announce(1000, "r1/b", ELSEWHERE, 64510, 64500, 64530)));

        assertThat(active("route_leak|AS64500|AS64510|AS64530").finding().summary())
                .contains("from its upstream AS64510 to its peer AS64530 (RFC 7908 type 4)");
        assertThat(active("route_leak|AS64500|AS64530|AS64510").finding().summary())
                .contains("from its peer AS64530 to its upstream AS64510 (RFC 7908 type 3)");
        assertThat(activeKeys()).hasSize(2);
    }

    @Test
    void valleyFreePathsAreNoLeak() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(
                // A provider's route to a customer; a customer's route up and sideways; our own route.
                announce(1000, "r1/a", ELSEWHERE, 64520, 64500, 64510, 64999),
                announce(1000, "r1/b", ELSEWHERE, 64510, 64500, 64520),
                announce(1000, "r1/c", ELSEWHERE, 64530, 64500, 64500, 64520, 64520),
                announce(1000, "r1/d", P1, 64999, 64511, 64500, 64500),
                // The customer's own route through us: not a route of ours it passes on.
                announce(1000, "r1/e", ELSEWHERE_TOO, 64510, 64500, 64520)));

        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aDownstreamPassingOurRouteToOurUpstreamIsACustomerLeakAndLabelsTheHijackAlertsL() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", P1, 64999, 64510, 64520, 64520, 64500)));

        Alert leak = active("route_leak|AS64520|AS64500|AS64510");
        assertThat(leak.finding().asn()).isEqualTo(64520);
        assertThat(leak.finding().summary()).isEqualTo("route leak: AS64520, a downstream of AS64500, passes routes"
                + " from AS64500 to AS64510, an upstream of AS64500, first seen for 192.0.2.0/24");
        // The customer is not an upstream: the first-hop check speaks too, and the route breaks valley-free.
        assertThat(active("first_hop_hijack|192.0.2.0/24|AS64500|AS64520").finding().taxonomy())
                .hasToString("E|1|L");
        assertThat(activeKeys()).hasSize(2);

        d.observe(List.of(announce(2000, "r1/a", P1, 64999, 64510, 64500)));

        assertThat(activeKeys()).isEmpty();
        assertThat(alerts.all()).extracting(Alert::state).containsOnly(AlertState.RESOLVED);
    }

    @Test
    void aHijackThroughALeakIsLabelledL() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(announce(1000, "r1/a", P1, 64511, 64500, 64510, 64666)));

        assertThat(active("origin_hijack|192.0.2.0/24|AS64666").finding().taxonomy()).hasToString("E|0|L");
        assertThat(activeKeys()).containsExactlyInAnyOrder("origin_hijack|192.0.2.0/24|AS64666",
                "route_leak|AS64500|AS64510|AS64511");
    }

    @Test
    void aNoExportRoutePassedOnByTheOriginsNeighbourIsALeakUntilReplaced() throws Exception {
        Detector d = withRelationships();
        d.observe(List.of(new RouteObservation(1000, "r1/a", P1, new long[] {64999, 64510, 64510, 64500}, false,
                false, new int[] {64500 << 16 | 100, RouteObservation.NO_EXPORT}, OriginValidity.UNKNOWN)));

        Alert leak = active("no_export_leak|192.0.2.0/24|AS64510");
        assertThat(activeKeys()).containsExactly("no_export_leak|192.0.2.0/24|AS64510");
        assertThat(leak.type()).isEqualTo(AlertType.NO_EXPORT_LEAK);
        assertThat(leak.finding().asn()).isEqualTo(64510);
        assertThat(leak.finding().monitoredPrefix()).isEqualTo(P1);
        assertThat(leak.finding().taxonomy()).isNull();
        assertThat(leak.finding().summary())
                .isEqualTo("AS64510 passes 192.0.2.0/24 of AS64500, tagged NO_EXPORT, on to AS64999");

        d.observe(List.of(new RouteObservation(1500, "r1/b", P1, new long[] {64999, 64510, 64500}, false, false,
                new int[] {RouteObservation.NO_EXPORT}, OriginValidity.UNKNOWN)));
        assertThat(active("no_export_leak|192.0.2.0/24|AS64510").sightings()).isEqualTo(2);

        d.observe(List.of(announce(2000, "r1/a", P1, 64999, 64510, 64500), withdraw(2000, "r1/b", P1)));

        assertThat(only("no_export_leak|192.0.2.0/24|AS64510").timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: the last route showing it was withdrawn at r1/b");
    }

    @Test
    void aMoreSpecificLongerThanTheMaximumLengthIsInvalidByLength() {
        see(validated(1000, "r1/a", P1_HALF, OriginValidity.INVALID_LENGTH, 64510, 64500));

        assertThat(active("rpki_invalid|192.0.2.128/25|AS64500").finding().summary()).isEqualTo(
                "192.0.2.128/25 originated by AS64500 is RPKI-invalid: a VRP lists the origin, but the prefix is"
                        + " longer than its maximum length");
        assertThat(active("rpki_invalid|192.0.2.128/25|AS64500").finding().monitoredPrefix()).isEqualTo(P1);
    }

    @Test
    void aPrefixNoVrpCoversIsNotFoundUntilCoveredOrWithdrawn() {
        see(validated(1000, "r1/a", P1, OriginValidity.NOT_FOUND, 64510, 64500));

        Alert notFound = active("rpki_not_found|192.0.2.0/24");
        assertThat(notFound.finding().summary()).isEqualTo("192.0.2.0/24 is RPKI not-found: no VRP covers it");
        assertThat(activeKeys()).containsExactly("rpki_not_found|192.0.2.0/24");

        see(validated(2000, "r1/a", P1, OriginValidity.VALID, 64510, 64500));

        assertThat(only("rpki_not_found|192.0.2.0/24").state()).isEqualTo(AlertState.RESOLVED);
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void rpkiChecksStaySilentWhenExcludedUnvalidatedOrWithoutAnOrigin() {
        see(validated(1000, "r1/a", IpPrefix.parse("10.1.0.0/16"), OriginValidity.NOT_FOUND, 64510, 64502),
                announce(1000, "r1/b", P1, 64510, 64500),
                validated(1000, "r1/c", P1, OriginValidity.INVALID_ORIGIN),
                validated(1000, "r1/d", IpPrefix.parse("100.64.0.0/10"), OriginValidity.INVALID_ORIGIN, 64510, 64666));

        assertThat(activeKeys()).isEmpty();
    }

    private static final long MINUTE = 60_000;

    /** {@code cycles} withdrawals and re-advertisements of the route at {@code vantagePoint}, all at {@code time}. */
    private void flap(long time, String vantagePoint, IpPrefix prefix, int cycles) {
        for (int i = 0; i < cycles; i++) {
            see(withdraw(time, vantagePoint, prefix), announce(time, vantagePoint, prefix, 64510, 64500));
        }
    }

    @Test
    void eachWithdrawalReadvertisementAndPathChangeRaisesTheFigureOfMerit() {
        see(announce(1000, "r1/a", P1, 64510, 64500));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).as("the first announcement is no flap").isZero();

        see(announce(1000, "r1/a", P1, 64510, 64500));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).as("the same path again is no flap").isZero();

        see(announce(1000, "r1/a", P1, 64511, 64500));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).isEqualTo(500.0);

        see(withdraw(1000, "r1/a", P1));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).isEqualTo(1500.0);
        see(withdraw(1000, "r1/a", P1));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).as("a second withdrawal withdraws nothing")
                .isEqualTo(1500.0);

        // 1500 halved by one half-life, plus 1000 for the re-advertisement.
        see(announce(1000 + 15 * MINUTE, "r1/a", P1, 64510, 64500));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000 + 15 * MINUTE)).isEqualTo(1750.0);
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000 + 30 * MINUTE)).isEqualTo(875.0);
        assertThat(detector.suppressedRoutes()).isEmpty();
        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aRouteReachingTheSuppressThresholdIsAFlapUntilItDecaysToTheReuseThreshold() {
        see(announce(1000, "r1/a", P1, 64510, 64500), announce(1000, "r1/b", P1, 64511, 64500));
        flap(1000, "r1/a", P1, 2);
        see(withdraw(1000, "r1/a", P1));
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000)).isEqualTo(5000.0);
        assertThat(activeKeys()).doesNotContain("flap|192.0.2.0/24");

        see(announce(1000, "r1/a", P1, 64510, 64500));

        Alert flap = active("flap|192.0.2.0/24");
        assertThat(flap.finding().summary()).isEqualTo("192.0.2.0/24 is flapping: the route at r1/a reached a figure"
                + " of merit of 6000 (suppress threshold 6000)");
        assertThat(flap.finding().taxonomy()).isNull();
        assertThat(flap.evidence()).containsExactly(new Evidence(1000, "r1/a", P1, "64510 64500"));
        // 6000 takes three half-lives to decay to 750.
        assertThat(detector.suppressedRoutes()).containsExactly(new SuppressedRoute(P1, P1, "r1/a", 6000.0, 1000, 1000,
                1000 + 45 * MINUTE, false));

        detector.tick(1000 + 45 * MINUTE - 1);
        assertThat(active("flap|192.0.2.0/24").id()).isEqualTo(flap.id());

        detector.tick(1000 + 45 * MINUTE);

        Alert resolved = only("flap|192.0.2.0/24");
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last().isEqualTo(new AlertChange(1000 + 45 * MINUTE, AlertState.RESOLVED,
                Alerts.DETECTOR, "restored: every route of 192.0.2.0/24 is reusable again (figure of merit down to"
                        + " 750), the last at r1/a"));
        assertThat(detector.suppressedRoutes()).isEmpty();
    }

    @Test
    void furtherFlapsOfASuppressedRouteAddEvidenceAndPushReuseBackNoFurtherThanTheMaximumSuppressTime() {
        see(announce(1000, "r1/a", P1, 64510, 64500));
        flap(1000, "r1/a", P1, 3);
        flap(2000, "r1/a", P1, 20);

        Alert flap = active("flap|192.0.2.0/24");
        assertThat(flap.sightings()).isEqualTo(1 + 2 * 20);
        SuppressedRoute route = detector.suppressedRoutes().get(0);
        // The figure stops at the ceiling, 750 x 2^(60 / 15), which decays to 750 in exactly 60 minutes.
        assertThat(route.figureOfMerit()).isEqualTo(12000.0);
        assertThat(route.reuseAt()).isEqualTo(2000 + 60 * MINUTE);
    }

    @Test
    void aFlapAlertWaitsForEveryRouteOfThePrefixToBeReusable() {
        see(announce(1000, "r1/a", P1, 64510, 64500), announce(1000, "r1/b", P1, 64511, 64500));
        flap(1000, "r1/a", P1, 3);
        flap(1000 + 15 * MINUTE, "r1/b", P1, 3);
        assertThat(detector.suppressedRoutes()).extracting(SuppressedRoute::vantagePoint)
                .containsExactly("r1/a", "r1/b");

        detector.tick(1000 + 45 * MINUTE);
        assertThat(activeKeys()).contains("flap|192.0.2.0/24");
        assertThat(detector.suppressedRoutes()).extracting(SuppressedRoute::vantagePoint).containsExactly("r1/b");

        detector.tick(1000 + 60 * MINUTE);
        assertThat(only("flap|192.0.2.0/24").state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aFlapOfARouteAfterItsReuseTimeStartsFromTheDecayedFigure() {
        see(announce(1000, "r1/a", P1, 64510, 64500));
        flap(1000, "r1/a", P1, 3);
        Alert first = active("flap|192.0.2.0/24");

        // No tick came in between: the route is reusable by time, so the old alert ends and a new one opens.
        see(withdraw(1000 + 45 * MINUTE, "r1/a", P1));

        assertThat(alerts.byId(first.id()).orElseThrow().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(detector.figureOfMerit(P1, "r1/a", 1000 + 45 * MINUTE)).isEqualTo(1750.0);
        assertThat(activeKeys()).doesNotContain("flap|192.0.2.0/24");
    }

    @Test
    void moreSpecificsFlapOnTheirOwnAndAnExcludedPrefixRaisesNoFlap() {
        IpPrefix excluded = IpPrefix.parse("10.1.0.0/16");
        see(announce(1000, "r1/a", P1_HALF, 64510, 64500), announce(1000, "r1/a", excluded, 64510, 64502));
        flap(1000, "r1/a", P1_HALF, 3);
        for (int i = 0; i < 3; i++) {
            see(withdraw(1000, "r1/a", excluded), announce(1000, "r1/a", excluded, 64510, 64502));
        }

        assertThat(active("flap|192.0.2.128/25").finding().monitoredPrefix()).isEqualTo(P1);
        assertThat(activeKeys()).doesNotContain("flap|10.1.0.0/16");
        assertThat(detector.suppressedRoutes()).extracting(SuppressedRoute::prefix)
                .containsExactlyInAnyOrder(P1_HALF, excluded);
    }

    @Test
    void aNewDetectorTakesOverTheFlapHistories() throws Exception {
        see(announce(1000, "r1/a", P1, 64510, 64500));
        flap(1000, "r1/a", P1, 3);
        Alert flap = active("flap|192.0.2.0/24");

        Detector next = new Detector(new MonitorsLoader().parse(MONITORS, "monitors.yaml"), alerts);
        next.takeOverHistory(detector);
        next.observe(List.of(announce(1000, "r1/a", P1, 64510, 64500)));

        assertThat(next.stillShows(flap)).isTrue();
        assertThat(next.figureOfMerit(P1, "r1/a", 1000)).as("the replayed route is no flap").isEqualTo(6000.0);
        next.tick(1000 + 45 * MINUTE);
        assertThat(only("flap|192.0.2.0/24").state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void aRouteTheReplayDoesNotBringIsGoneAndNotJudgedAgainWhenTheVrpsChange() {
        TestVrps vrps = new TestVrps();
        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.VALID);
        see(validated(1000, "r1/a", P1, OriginValidity.VALID, 64510, 64500),
                validated(1000, "r2/a", P1, OriginValidity.VALID, 64511, 64500));

        // r2/a's route was withdrawn among dropped route changes: the RIB read again has r1/a's only.
        Detector next = new Detector(detectorMonitors(), alerts);
        next.takeOverHistory(detector);
        next.observe(List.of(validated(2000, "r1/a", P1, OriginValidity.VALID, 64510, 64500)));
        next.routesReplayed();
        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.INVALID_ORIGIN);
        next.vrpsChanged(vrps, 3000);

        assertThat(active("rpki_invalid|192.0.2.0/24|AS64500").evidence()).extracting(Evidence::vantagePoint)
                .containsExactly("r1/a");
        next.observe(List.of(withdraw(4000, "r1/a", P1)));
        assertThat(activeKeys()).as("no route of P1 is announced any more").isEmpty();
    }

    /** VRPs as the test sets them: a state per route and the origins authorised per prefix. */
    private static final class TestVrps implements RpkiValidator {
        final java.util.Map<String, OriginValidity> states = new java.util.HashMap<>();
        final java.util.Map<IpPrefix, long[]> authorised = new java.util.HashMap<>();
        boolean loaded = true;

        @Override
        public OriginValidity validity(IpPrefix prefix, long origin) {
            return loaded ? states.getOrDefault(prefix + " AS" + origin, OriginValidity.NOT_FOUND)
                    : OriginValidity.UNKNOWN;
        }

        @Override
        public long[] authorisedOrigins(IpPrefix prefix) {
            return loaded ? authorised.getOrDefault(prefix, new long[0]) : null;
        }
    }

    @Test
    void routesAreJudgedAgainWhenTheVrpsChange() {
        TestVrps vrps = new TestVrps();
        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.VALID);
        see(validated(1000, "r1/a", P1, OriginValidity.VALID, 64510, 64500));
        detector.vrpsChanged(vrps, 2000);
        assertThat(alerts.all()).isEmpty();

        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.INVALID_ORIGIN);
        detector.vrpsChanged(vrps, 3000);

        Alert invalid = active("rpki_invalid|192.0.2.0/24|AS64500");
        assertThat(invalid.evidence()).containsExactly(new Evidence(3000, "r1/a", P1, "64510 64500"));
        assertThat(detector.figureOfMerit(P1, "r1/a", 3000)).as("judging again is no flap").isZero();

        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.VALID);
        detector.vrpsChanged(vrps, 4000);

        Alert resolved = only("rpki_invalid|192.0.2.0/24|AS64500");
        assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.timeline()).last().isEqualTo(new AlertChange(4000, AlertState.RESOLVED, Alerts.DETECTOR,
                "restored: the VRPs changed, and the last route showing it, at r1/a, no longer does"));
        assertThat(activeKeys()).isEmpty();
    }

    @Test
    void noAdvertiseCountsTooButOnlyBeyondTheNeighbourAndWhereNotExcluded() throws Exception {
        Detector d = withRelationships();
        int[] noAdvertise = {RouteObservation.NO_ADVERTISE};
        d.observe(List.of(
                new RouteObservation(1000, "r1/a", P1, new long[] {64510, 64500, 64500}, false, false, noAdvertise,
                        OriginValidity.UNKNOWN),
                new RouteObservation(1000, "r1/b", IpPrefix.parse("198.51.100.0/24"),
                        new long[] {64999, 64510, 64500}, false, false, noAdvertise,
                        OriginValidity.UNKNOWN),
                new RouteObservation(1000, "r1/c", P1, new long[] {64999, 64510, 64500}, false, false,
                        new int[] {0xFFFFFF03}, OriginValidity.UNKNOWN)));

        assertThat(alerts.all()).isEmpty();

        d.observe(List.of(new RouteObservation(2000, "r1/a", P1, new long[] {64999, 64511, 64500}, false, false,
                noAdvertise, OriginValidity.UNKNOWN)));

        assertThat(active("no_export_leak|192.0.2.0/24|AS64511").finding().summary()).contains("NO_ADVERTISE");
    }

    @Test
    void aRouteJudgedAgainOnAVrpChangeKeepsItsCommunitiesAndOnlyItsRpkiFindingChanges() throws Exception {
        Detector d = withRelationships();
        TestVrps vrps = new TestVrps();
        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.VALID);
        d.observe(List.of(new RouteObservation(1000, "r1/a", P1, new long[] {64999, 64511, 64500}, false, false,
                new int[] {RouteObservation.NO_EXPORT}, OriginValidity.VALID)));
        Alert leak = active("no_export_leak|192.0.2.0/24|AS64511");

        vrps.states.put("192.0.2.0/24 AS64500", OriginValidity.INVALID_ORIGIN);
        d.vrpsChanged(vrps, 2000);

        assertThat(activeKeys()).containsExactlyInAnyOrder("no_export_leak|192.0.2.0/24|AS64511",
                "rpki_invalid|192.0.2.0/24|AS64500");
        assertThat(active("no_export_leak|192.0.2.0/24|AS64511").id()).isEqualTo(leak.id());

        d.observe(List.of(withdraw(3000, "r1/a", P1)));
        assertThat(activeKeys()).as("the one route showing both is gone: each was counted once; nobody carries P1")
                .containsExactly("visibility_loss|192.0.2.0/24");
    }

    @Test
    void aMonitoredPrefixLosingTheLastVrpOfAnOriginIsAnAlertUntilOneAuthorisesItAgain() {
        TestVrps vrps = new TestVrps();
        vrps.authorised.put(P1, new long[] {64500, 64501});
        detector.vrpsChanged(vrps, 1000);
        vrps.loaded = false;
        detector.vrpsChanged(vrps, 1500);
        assertThat(alerts.all()).as("the first VRPs are learnt; no VRPs at all say nothing").isEmpty();

        vrps.loaded = true;
        vrps.authorised.put(P1, new long[] {64501});
        detector.vrpsChanged(vrps, 2000);

        Alert removed = active("rpki_vrp_removed|192.0.2.0/24|AS64500");
        assertThat(removed.finding().asn()).isEqualTo(64500);
        assertThat(removed.finding().summary())
                .isEqualTo("no VRP authorises AS64500 to originate 192.0.2.0/24 any more: the last one was removed");
        assertThat(removed.evidence()).containsExactly(new Evidence(2000, "rpki", P1, ""));
        assertThat(activeKeys()).containsExactly("rpki_vrp_removed|192.0.2.0/24|AS64500");

        Detector next = new Detector(detectorMonitors(), alerts);
        next.takeOverHistory(detector);
        assertThat(next.stillShows(removed)).isTrue();

        vrps.authorised.put(P1, new long[] {64500, 64501});
        next.vrpsChanged(vrps, 3000);

        Alert restored = only("rpki_vrp_removed|192.0.2.0/24|AS64500");
        assertThat(restored.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(restored.timeline()).last().extracting(AlertChange::note)
                .isEqualTo("restored: a VRP authorises AS64500 to originate 192.0.2.0/24 again");
    }

    private static Monitors detectorMonitors() {
        try {
            return new MonitorsLoader().parse(MONITORS, "monitors.yaml");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

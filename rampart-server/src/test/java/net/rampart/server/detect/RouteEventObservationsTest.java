package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.detect.route.Detector;
import net.rampart.detect.route.OriginValidity;
import net.rampart.detect.route.RouteObservation;
import net.rampart.detect.route.RpkiValidator;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class RouteEventObservationsTest {

    private static final RouterId ROUTER = new RouterId("r1");
    private static final PeerKey PEER = peer("192.0.2.1");

    private final RouteEventObservations observations = new RouteEventObservations(RpkiValidator.NONE);

    private static PeerKey peer(String literal) {
        try {
            return PeerKey.global(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static PathAttributes attributes(AsPath path) {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(path)
                .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build();
    }

    private static RouteEvent event(RibView view, Family family, RouteKey key, PathAttributes attributes) {
        return new RouteEvent(1_000, ROUTER, 7, PEER, view, family, key, attributes);
    }

    private static RouteEvent announce(RouteKey key, AsPath path) {
        Family family = key instanceof Ipv6RouteKey ? Family.IPV6_UNICAST : Family.IPV4_UNICAST;
        return event(RibView.ADJ_RIB_IN_POST, family, key, attributes(path));
    }

    @Test
    void unicastAnnouncementsAndWithdrawalsBecomeObservationsInOrder() {
        List<RouteObservation> seen = converted(observations, List.of(
                announce(Ipv4RouteKey.parse("192.0.2.0/24", 0), AsPath.sequence(64510, 64500)),
                announce(Ipv6RouteKey.parse("2001:db8::/32", 0), AsPath.sequence(64511, 64500, 64500)),
                event(RibView.ADJ_RIB_IN_POST, Family.IPV4_UNICAST, Ipv4RouteKey.parse("192.0.2.0/24", 0), null)));

        assertThat(seen).hasSize(3);
        RouteObservation v4 = seen.get(0);
        assertThat(v4.timeMillis()).isEqualTo(1_000);
        assertThat(v4.prefix()).isEqualTo(IpPrefix.parse("192.0.2.0/24"));
        assertThat(v4.asPath()).containsExactly(64510, 64500);
        assertThat(v4.origin()).isEqualTo(64500);
        assertThat(v4.originIsAsSet()).isFalse();
        assertThat(v4.withdrawn()).isFalse();
        assertThat(v4.vantagePoint()).isEqualTo("r1/192.0.2.1/adj_rib_in_post");
        assertThat(seen.get(1).prefix()).isEqualTo(IpPrefix.parse("2001:db8::/32"));
        assertThat(seen.get(1).pathText()).isEqualTo("64511 64500 64500");
        assertThat(seen.get(2).withdrawn()).isTrue();
        assertThat(seen.get(2).prefix()).isEqualTo(IpPrefix.parse("192.0.2.0/24"));
        // The id of a vantage point is built once and shared by its observations.
        assertThat(seen.get(2).vantagePoint()).isSameAs(v4.vantagePoint());
    }

    @Test
    void theStandardCommunitiesComeAlongAndAWithdrawalHasNone() {
        int[] communities = {64500 << 16 | 100, RouteObservation.NO_EXPORT};
        PathAttributes tagged = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                .asPath(AsPath.sequence(64510, 64500)).nextHop(new byte[] {(byte) 198, 51, 100, 1})
                .communities(communities).build();
        Ipv4RouteKey key = Ipv4RouteKey.parse("192.0.2.0/24", 0);

        List<RouteObservation> seen = converted(observations, List.of(
                event(RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key, tagged),
                announce(key, AsPath.sequence(64510, 64500)),
                event(RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key, null)));

        assertThat(seen.get(0).communities()).containsExactly(64500 << 16 | 100, RouteObservation.NO_EXPORT);
        assertThat(seen.get(0).carries(RouteObservation.NO_EXPORT)).isTrue();
        assertThat(seen.get(1).communities()).isEmpty();
        assertThat(seen.get(1).carries(RouteObservation.NO_EXPORT)).isFalse();
        assertThat(seen.get(2).communities()).isEmpty();
    }

    @Test
    void aPathEndingInAnAsSetIsFlaggedAndItsMembersKept() {
        AsPath path = AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 1, 64510, AsPath.AS_SET, 2, 64500, 64501});

        RouteObservation seen = converted(observations, List.of(announce(Ipv4RouteKey.parse("192.0.2.0/24", 0), path)))
                .get(0);

        assertThat(seen.originIsAsSet()).isTrue();
        assertThat(seen.asPath()).containsExactly(64510, 64500, 64501);
    }

    @Test
    void aSetBeforeTheLastSequenceIsNotTheOriginAndConfederationSegmentsAreLeftOut() {
        AsPath path = AsPath.ofEncoded(new int[] {AsPath.AS_CONFED_SEQUENCE, 2, 65001, 65002,
                AsPath.AS_SET, 1, 64510, AsPath.AS_SEQUENCE, 1, 64500, AsPath.AS_CONFED_SET, 1, 65003});

        RouteObservation seen = converted(observations, List.of(announce(Ipv4RouteKey.parse("192.0.2.0/24", 0), path)))
                .get(0);

        assertThat(seen.originIsAsSet()).isFalse();
        assertThat(seen.asPath()).containsExactly(64510, 64500);
        assertThat(seen.origin()).isEqualTo(64500);
    }

    @Test
    void anEmptyPathIsARouteThePeerOriginates() {
        RouteObservation seen = converted(observations, List.of(
                announce(Ipv4RouteKey.parse("192.0.2.0/24", 0), AsPath.EMPTY))).get(0);

        assertThat(seen.asPath()).isEmpty();
        assertThat(seen.originIsAsSet()).isFalse();
        assertThat(seen.withdrawn()).isFalse();
    }

    @Test
    void routesOtherThanIpUnicastAreIgnored() {
        RouteKey vpn = new LabeledPrefix(1L, Ipv4RouteKey.parse("192.0.2.0/24", 0), new int[] {16}, 0);

        List<RouteObservation> seen = converted(observations, List.of(
                event(RibView.ADJ_RIB_IN_PRE, new Family(Family.AFI_IPV4, 128), vpn,
                        attributes(AsPath.sequence(64500))),
                announce(Ipv4RouteKey.parse("198.51.100.0/24", 0), AsPath.sequence(64500))));

        assertThat(seen).extracting(RouteObservation::prefix).containsExactly(IpPrefix.parse("198.51.100.0/24"));
    }

    @Test
    void eachViewAndEachAddPathIdIsAVantagePointOfItsOwn() {
        Ipv4RouteKey key = Ipv4RouteKey.parse("192.0.2.0/24", 0);
        PathAttributes path = attributes(AsPath.sequence(64500));

        List<RouteObservation> seen = converted(observations, List.of(
                event(RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, key, path),
                event(RibView.LOC_RIB, Family.IPV4_UNICAST, key, path),
                event(RibView.ADJ_RIB_IN_PRE, Family.IPV4_UNICAST, Ipv4RouteKey.parse("192.0.2.0/24", 3), path)));

        assertThat(seen).extracting(RouteObservation::vantagePoint).containsExactly(
                "r1/192.0.2.1/adj_rib_in_pre", "r1/192.0.2.1/loc_rib", "r1/192.0.2.1/adj_rib_in_pre#3");
    }

    private static RouteEventObservations validatingAgainst(Vrp... vrps) {
        // Only the ROA index of a view is read: the serial history behind it plays no part.
        RpkiView view = new RpkiView(null, new RoaIndex(VrpSet.of(List.of(vrps))), null);
        return new RouteEventObservations(new VrpValidity(() -> view));
    }

    private static OriginValidity validity(RouteEventObservations observations, String prefix, AsPath path) {
        return converted(observations, List.of(announce(Ipv4RouteKey.parse(prefix, 0), path))).get(0).validity();
    }

    @Test
    void eachAnnouncementCarriesItsOriginValidationStateAndWhyItIsInvalid() {
        RouteEventObservations validating = validatingAgainst(Vrp.parse("192.0.2.0/24", 24, 64500),
                Vrp.parse("192.0.2.0/23", 24, 64501));

        assertThat(validity(validating, "192.0.2.0/24", AsPath.sequence(64510, 64500))).isEqualTo(OriginValidity.VALID);
        assertThat(validity(validating, "192.0.2.0/24", AsPath.sequence(64510, 64666)))
                .isEqualTo(OriginValidity.INVALID_ORIGIN);
        assertThat(validity(validating, "192.0.2.0/25", AsPath.sequence(64510, 64500)))
                .isEqualTo(OriginValidity.INVALID_LENGTH);
        assertThat(validity(validating, "192.0.2.0/24",
                AsPath.ofEncoded(new int[] {AsPath.AS_SEQUENCE, 1, 64510, AsPath.AS_SET, 1, 64500})))
                .as("an AS_SET is no origin, whatever its members").isEqualTo(OriginValidity.INVALID_ORIGIN);
        assertThat(validity(validating, "198.51.100.0/24", AsPath.sequence(64510, 64500)))
                .isEqualTo(OriginValidity.NOT_FOUND);
        assertThat(validity(validating, "198.51.100.0/24", AsPath.EMPTY)).isEqualTo(OriginValidity.UNKNOWN);
        assertThat(converted(validating, List.of(event(RibView.ADJ_RIB_IN_POST, Family.IPV4_UNICAST,
                Ipv4RouteKey.parse("192.0.2.0/24", 0), null))).get(0).validity()).isEqualTo(OriginValidity.UNKNOWN);
    }

    @Test
    void withoutVrpsNothingIsValidated() {
        assertThat(validity(validatingAgainst(), "192.0.2.0/24", AsPath.sequence(64510, 64500)))
                .isEqualTo(OriginValidity.UNKNOWN);
        assertThat(validity(observations, "192.0.2.0/24", AsPath.sequence(64510, 64500)))
                .isEqualTo(OriginValidity.UNKNOWN);
    }

    @Test
    void onlyTheRoutesThatConcernTheMonitorsBecomeObservations() throws Exception {
        Detector judge = new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                asns:
                  - asn: AS64500
                    upstreams: [AS64510]
                  - asn: AS64501
                """, "monitors.yaml"), new Alerts(new InMemoryAlertStore(), 10));

        assertThat(concerning(judge, Ipv4RouteKey.parse("192.0.2.128/25", 0), AsPath.sequence(64999, 64666)))
                .as("covered by a monitored prefix").isNotNull();
        assertThat(concerning(judge, Ipv4RouteKey.parse("100.64.0.0/24", 0), AsPath.sequence(64999, 64501)))
                .as("a monitored origin").isNotNull();
        assertThat(concerning(judge, Ipv4RouteKey.parse("100.64.0.0/24", 0), AsPath.sequence(64999, 64500, 64666)))
                .as("a monitored ASN that declares neighbours in the path").isNotNull();
        assertThat(concerning(judge, Ipv4RouteKey.parse("100.64.0.0/24", 0), AsPath.sequence(64501, 64666)))
                .as("a monitored ASN without neighbours, not the origin").isNull();
        assertThat(concerning(judge, Ipv6RouteKey.parse("2001:db9::/32", 0), AsPath.sequence(64999, 64666)))
                .as("nothing monitored").isNull();
        assertThat(observations.ofConcerning(judge, 1_000, ROUTER, PEER, RibView.ADJ_RIB_IN_POST,
                Ipv4RouteKey.parse("100.64.0.0/24", 0), null)).as("a withdrawal of a prefix nobody holds").isNull();
        assertThat(observations.ofConcerning(judge, 1_000, ROUTER, PEER, RibView.ADJ_RIB_IN_POST,
                Ipv4RouteKey.parse("192.0.2.0/24", 0), null)).as("a withdrawal of a monitored prefix").isNotNull();
        RouteKey vpn = new LabeledPrefix(1L, Ipv4RouteKey.parse("192.0.2.0/24", 0), new int[] {16}, 0);
        assertThat(concerning(judge, vpn, AsPath.sequence(64510, 64500))).as("not IP unicast").isNull();

        RouteObservation held = concerning(judge, Ipv4RouteKey.parse("100.64.0.0/24", 0),
                AsPath.sequence(64999, 64501));
        judge.observe(held);
        RouteObservation withdrawal = observations.ofConcerning(judge, 2_000, ROUTER, PEER,
                RibView.ADJ_RIB_IN_POST, Ipv4RouteKey.parse("100.64.0.0/24", 0), null);
        assertThat(withdrawal).as("a withdrawal of a prefix the detector holds").isNotNull();
        assertThat(withdrawal.withdrawn()).isTrue();
        assertThat(withdrawal.prefix()).isEqualTo(held.prefix());
        assertThat(withdrawal.vantagePoint()).isEqualTo(held.vantagePoint());
    }

    /** Guards the behaviour of the shortcut that skips reading the attribute set, not the read itself. */
    @Test
    void withOnlyPrefixesMonitoredNoPathMakesARouteConcernThem() throws Exception {
        Detector judge = new Detector(new MonitorsLoader().parse("""
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                """, "monitors.yaml"), new Alerts(new InMemoryAlertStore(), 10));

        assertThat(judge.monitorsAsns()).isFalse();
        assertThat(concerning(judge, Ipv4RouteKey.parse("100.64.0.0/24", 0), AsPath.sequence(64999, 64500)))
                .as("a listed prefix's origin elsewhere, and no ASN monitored").isNull();
        assertThat(concerning(judge, Ipv4RouteKey.parse("192.0.2.0/25", 0), AsPath.sequence(64999, 64666)))
                .as("covered by the monitored prefix").isNotNull();
    }

    private RouteObservation concerning(Detector judge, RouteKey key, AsPath path) {
        return observations.ofConcerning(judge, 1_000, ROUTER, PEER, RibView.ADJ_RIB_IN_POST, key, attributes(path));
    }

    /** The observations among {@code events}, in their order: each converted as the detection thread converts it. */
    private static List<RouteObservation> converted(RouteEventObservations observations, List<RouteEvent> events) {
        List<RouteObservation> seen = new ArrayList<>();
        for (RouteEvent e : events) {
            RouteObservation o = observations.of(e.timeMillis(), e.router(), e.peer(), e.view(), e.key(),
                    e.attributes());
            if (o != null) {
                seen.add(o);
            }
        }
        return seen;
    }
}

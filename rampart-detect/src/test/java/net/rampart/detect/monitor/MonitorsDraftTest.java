package net.rampart.detect.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import net.rampart.detect.monitor.MonitorsDraft.Authorisation;
import net.rampart.detect.monitor.MonitorsDraft.DraftPrefix;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * The draft lists what the routes and VRPs show for the ASNs, raises no alert for today's
 * routes, and is a file the loader takes as it is.
 */
class MonitorsDraftTest {

    private record Route(String prefix, long[] path, boolean originIsAsSet) {
    }

    private final List<Route> routes = new ArrayList<>();
    private int readings;

    private void route(String prefix, long... path) {
        routes.add(new Route(prefix, path, false));
    }

    private MonitorsDraft draft(List<Authorisation> vrps, long... asns) {
        return MonitorsDraft.build(AsnSet.of(asns), sink -> {
            readings++;
            routes.forEach(r -> sink.route(IpPrefix.parse(r.prefix()), r.path(), r.originIsAsSet()));
        }, vrps);
    }

    private static Authorisation vrp(String prefix, int maxLength, long asn) {
        return new Authorisation(IpPrefix.parse(prefix), maxLength, asn);
    }

    private static DraftPrefix entry(MonitorsDraft draft, String prefix) {
        return draft.prefixes().stream().filter(p -> p.prefix().equals(IpPrefix.parse(prefix))).findFirst()
                .orElseThrow(() -> new AssertionError(prefix + " is not in the draft: " + draft.prefixes()));
    }

    @Test
    void listsEveryPrefixTheAsnsOriginateWithTheOriginsSeen() {
        route("10.0.0.0/16", 65010, 65000);
        route("10.0.0.0/16", 65011, 65000, 65000, 65000);
        route("10.0.1.0/24", 65010, 65000);
        route("2001:db8::/32", 65012, 65001);
        route("192.0.2.0/24", 65010, 65020);

        MonitorsDraft draft = draft(List.of(), 65000, 65001);

        assertThat(draft.prefixes()).extracting(p -> p.prefix().toString())
                .containsExactly("10.0.0.0/16", "10.0.1.0/24", "2001:db8::/32");
        assertThat(entry(draft, "10.0.0.0/16").origins()).isEqualTo(AsnSet.of(65000));
        assertThat(entry(draft, "10.0.0.0/16").description()).isEqualTo("seen originated by AS65000 in 2 routes");
        // The more-specific is listed on its own: folded, it would be a new_more_specific alert at once.
        assertThat(entry(draft, "10.0.1.0/24").announced()).isTrue();
        assertThat(entry(draft, "2001:db8::/32").origins()).isEqualTo(AsnSet.of(65001));
        assertThat(draft.routesRead()).isEqualTo(5);
        assertThat(readings).as("two readings: own prefixes, then other origins inside them").isEqualTo(2);
    }

    @Test
    void upstreamsAreLeftOfTheAsnAndDownstreamsRightOfItPrependsAside() {
        route("10.0.0.0/16", 65010, 65000, 65000);
        route("10.0.0.0/16", 65011, 65011, 65000);
        route("198.51.100.0/24", 65010, 65000, 65030);

        MonitorsDraft.DraftAsn asn = draft(List.of(), 65000).asnEntries().get(0);

        assertThat(asn.asn()).isEqualTo(65000);
        assertThat(asn.upstreams()).isEqualTo(AsnSet.of(65010, 65011));
        assertThat(asn.downstreams()).isEqualTo(AsnSet.of(65030));
        assertThat(asn.paths()).isEqualTo(3);
    }

    @Test
    void aVrpPrefixNotAnnouncedIsListedUnlessACoveringListedPrefixHasItsOrigins() {
        route("10.0.0.0/16", 65010, 65000);
        MonitorsDraft draft = draft(List.of(vrp("10.0.0.0/16", 24, 65000), vrp("10.0.4.0/22", 22, 65000),
                vrp("10.0.8.0/22", 22, 65001), vrp("203.0.113.0/24", 24, 65000), vrp("198.18.0.0/15", 15, 65099)),
                65000, 65001);

        assertThat(draft.prefixes()).extracting(p -> p.prefix().toString())
                .containsExactly("10.0.0.0/16", "10.0.8.0/22", "203.0.113.0/24");
        assertThat(entry(draft, "203.0.113.0/24").description())
                .isEqualTo("from a VRP (AS65000, maxLength 24), not seen announced");
        assertThat(entry(draft, "203.0.113.0/24").announced()).isFalse();
        // Another of the ASNs: the /16's origins do not cover it, so it needs its own entry.
        assertThat(entry(draft, "10.0.8.0/22").origins()).isEqualTo(AsnSet.of(65001));
        assertThat(draft.folded()).containsExactly(new MonitorsDraft.FoldedPrefix(IpPrefix.parse("10.0.4.0/22"),
                IpPrefix.parse("10.0.0.0/16")));
    }

    @Test
    void anOriginAVrpAuthorisesForTheAnnouncedPrefixIsListedAndSaidSo() {
        route("10.0.0.0/16", 65010, 65000);
        MonitorsDraft draft = draft(List.of(vrp("10.0.0.0/8", 16, 65001), vrp("10.0.0.0/8", 8, 65002)), 65000,
                65001, 65002);

        // maxLength 8 does not make a /16 valid for AS65002.
        assertThat(entry(draft, "10.0.0.0/16").origins()).isEqualTo(AsnSet.of(65000, 65001));
        assertThat(entry(draft, "10.0.0.0/16").description())
                .isEqualTo("seen originated by AS65000 in 1 route; AS65001 authorised by a VRP");
    }

    @Test
    void otherOriginsAreListedForDelegatedMoreSpecificsButOnlyNamedForTheListedPrefix() {
        route("10.0.0.0/16", 65010, 65000);
        route("10.0.0.0/16", 65010, 64666);
        route("10.0.3.0/24", 65010, 65000, 65100);
        route("10.0.3.0/24", 65011, 65000, 65100);
        route("10.1.0.0/24", 65010, 65100);

        MonitorsDraft draft = draft(List.of(), 65000);

        DraftPrefix listed = entry(draft, "10.0.0.0/16");
        assertThat(listed.origins()).isEqualTo(AsnSet.of(65000));
        assertThat(listed.othersSeen()).isEqualTo(AsnSet.of(64666));
        assertThat(listed.description()).endsWith("also seen originated by AS64666, not listed: check before use");
        DraftPrefix delegated = entry(draft, "10.0.3.0/24");
        assertThat(delegated.origins()).isEqualTo(AsnSet.of(65100));
        assertThat(delegated.description())
                .isEqualTo("originated by AS65100 inside 10.0.0.0/16, seen in 2 routes: delegated? check before use");
        assertThat(draft.prefixes()).extracting(p -> p.prefix().toString())
                .containsExactly("10.0.0.0/16", "10.0.3.0/24");
    }

    @Test
    void aVrpPrefixOnlyAnotherAsAnnouncesIsListedForItsAsnsAndTheOtherNamed() {
        route("203.0.113.0/24", 65010, 64666);
        MonitorsDraft draft = draft(List.of(vrp("203.0.113.0/24", 24, 65000)), 65000);

        DraftPrefix entry = entry(draft, "203.0.113.0/24");
        assertThat(entry.origins()).isEqualTo(AsnSet.of(65000));
        assertThat(entry.announced()).isFalse();
        assertThat(entry.description()).isEqualTo("from a VRP (AS65000, maxLength 24), not seen announced by "
                + "AS65000; also seen originated by AS64666, not listed: check before use");
    }

    @Test
    void theLoaderReadsTheDraftAsItIs() throws MonitorsException {
        route("10.0.0.0/16", 65010, 65000);
        route("10.0.3.0/24", 65010, 65000, 65100);
        route("2001:db8::/32", 65012, 65001);
        MonitorsDraft draft = draft(List.of(vrp("203.0.113.0/24", 24, 65000), vrp("10.0.4.0/22", 24, 65000)),
                65000, 65001, 65002);

        String yaml = draft.yaml(Instant.parse("2026-12-07T04:00:00.250Z"), OptionalInt.of(42));
        Monitors monitors = new MonitorsLoader().parse(yaml, "draft.yaml");

        assertThat(yaml).startsWith("# Rampart monitors file: a draft for AS65000, AS65001, AS65002, made at "
                + "2026-12-07T04:00:00Z from\n# the RIB (3 routes of every router, peer and view) and the VRPs of "
                + "serial 42.\n#\n# REVIEW BEFORE USE.");
        assertThat(yaml).contains("#   10.0.4.0/22 (VRP) under 10.0.0.0/16");
        assertThat(monitors.prefixes()).extracting(p -> p.prefix().toString())
                .containsExactly("10.0.0.0/16", "10.0.3.0/24", "203.0.113.0/24", "2001:db8::/32");
        assertThat(monitors.prefixes()).allSatisfy(p -> assertThat(p.ignoreMoreSpecifics()).isFalse());
        assertThat(monitors.prefixes().get(0).description()).isEqualTo("seen originated by AS65000 in 1 route");
        assertThat(monitors.prefixes().get(1).origins()).isEqualTo(AsnSet.of(65100));
        assertThat(monitors.asn(65000).orElseThrow().upstreams()).isEqualTo(AsnSet.of(65010));
        assertThat(monitors.asn(65000).orElseThrow().downstreams()).isEqualTo(AsnSet.of(65100));
        // An ASN in no path is still listed, with nothing known about its neighbours.
        assertThat(monitors.asn(65002).orElseThrow().upstreams().isEmpty()).isTrue();
    }

    /**
     * The draft docs/detection.md shows, from routes of two routers with both views: it is made
     * from these routes and VRPs exactly as shown, and it loads.
     */
    @Test
    void theExampleInTheDocsIsWhatTheseRoutesGiveAndItLoads() throws Exception {
        route("192.0.2.0/24", 64510, 64500);
        route("192.0.2.0/24", 64510, 64500);
        route("192.0.2.0/24", 64511, 64500, 64500);
        route("192.0.2.0/24", 64511, 64500, 64500);
        route("198.51.100.0/22", 64510, 64500);
        route("198.51.100.0/22", 64511, 64500);
        route("198.51.100.0/24", 64510, 64500);
        route("198.51.100.0/24", 64510, 64500);
        route("198.51.101.0/24", 64510, 64500, 64520);
        route("198.51.101.0/24", 64511, 64500, 64520);
        route("2001:db8::/32", 64510, 64500);
        route("2001:db8::/32", 64511, 64500);
        route("2001:db8::/32", 64510, 64666);
        route("192.88.99.0/24", 64510, 64999);
        MonitorsDraft draft = draft(List.of(vrp("198.51.100.0/22", 24, 64500), vrp("198.51.102.0/24", 24, 64500),
                vrp("203.0.113.0/24", 24, 64500), vrp("2001:db8::/32", 48, 64500), vrp("192.0.2.0/24", 24, 64501)),
                64500);

        String yaml = draft.yaml(Instant.parse("2026-12-07T04:00:00Z"), OptionalInt.of(1842));

        Path example = MonitorsLoaderTest.docsDir().resolve("examples/monitors-draft.yaml");
        assertThat(yaml).isEqualTo(Files.readString(example));
        assertThat(new MonitorsLoader().load(example).prefixes()).hasSize(6);
    }

    @Test
    void aDraftOfNothingSeenIsStillAFileTheLoaderReads() throws MonitorsException {
        Monitors monitors = new MonitorsLoader().parse(draft(List.of(), 65000).yaml(Instant.EPOCH,
                OptionalInt.empty()), "d.yaml");

        assertThat(monitors.prefixes()).isEmpty();
        assertThat(monitors.asns()).hasSize(1);
    }

    @Test
    void aPathEndingInASetGivesNoOriginAndNoAdjacencyToTheSet() {
        routes.add(new Route("10.0.0.0/16", new long[] {65010, 65000, 65100}, true));

        MonitorsDraft draft = draft(List.of(), 65000, 65100);

        assertThat(draft.prefixes()).isEmpty();
        assertThat(draft.asnEntries().get(0).upstreams()).isEqualTo(AsnSet.of(65010));
        assertThat(draft.asnEntries().get(0).downstreams().isEmpty()).isTrue();
    }

    @Test
    void noAsnIsRefused() {
        assertThatThrownBy(() -> draft(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one ASN");
    }
}

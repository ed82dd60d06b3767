package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.detect.monitor.AsnSet;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.server.RampartService;
import net.rampart.server.http.LoopbackApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/monitors/draft} over a RIB and VRPs filled by hand, served on a loopback
 * port: no BMP session, no database, no service.
 */
class MonitorsDraftRoutesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

    private final ObjectMapper json = RampartService.jsonMapper();
    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final AtomicReference<RpkiView> vrps = new AtomicReference<>();
    private LoopbackApi api;

    @BeforeEach
    void start() throws Exception {
        api = LoopbackApi.serve(json, new SimpleMeterRegistry(),
                new MonitorsDraftRoutes(rib, vrps::get, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private void announce(String router, String peer, RibView view, String prefix, long... path) throws Exception {
        RouteKey key = prefix.contains(":") ? Ipv6RouteKey.parse(prefix, 0) : Ipv4RouteKey.parse(prefix, 0);
        Family family = prefix.contains(":") ? Family.IPV6_UNICAST : Family.IPV4_UNICAST;
        rib.apply(new RouterId(router), PeerKey.global(InetAddress.getByName(peer)), view,
                RouteUpdate.announce(NOW.toEpochMilli(), family, PathAttributes.builder()
                        .origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(path))
                        .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build(), List.of(key)));
    }

    private void vrps(Vrp... list) {
        RpkiSnapshot snapshot = RpkiSnapshot.of(VrpSet.of(List.of(list)), List.of(), List.of());
        vrps.set(RpkiView.of(new SnapshotHistory.Version(7, 42, snapshot, NOW)));
    }

    private JsonNode draft(String query) throws Exception {
        HttpResponse<String> response = api.get("/api/v1/monitors/draft?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Two routers, pre- and post-policy views, IPv4 and IPv6: every table is read. */
    private void routes() throws Exception {
        announce("r1", "192.0.2.1", RibView.ADJ_RIB_IN_PRE, "10.0.0.0/16", 65010, 65000);
        announce("r1", "192.0.2.1", RibView.ADJ_RIB_IN_POST, "10.0.0.0/16", 65010, 65000);
        announce("r2", "192.0.2.2", RibView.LOC_RIB, "10.0.0.0/16", 65011, 65011, 65000);
        announce("r2", "192.0.2.2", RibView.LOC_RIB, "10.0.3.0/24", 65011, 65000, 65100);
        announce("r2", "192.0.2.2", RibView.LOC_RIB, "2001:db8::/32", 65011, 65001);
        announce("r1", "192.0.2.1", RibView.ADJ_RIB_IN_PRE, "198.18.0.0/15", 65010, 65099);
    }

    @Test
    void draftsFromEveryTableAndTheVrpsAndTheLoaderReadsTheYamlAsItIs() throws Exception {
        routes();
        vrps(Vrp.parse("10.0.0.0/16", 24, 65000), Vrp.parse("203.0.113.0/24", 24, 65000),
                Vrp.parse("10.0.4.0/22", 22, 65000), Vrp.parse("198.18.0.0/15", 15, 65099));

        JsonNode draft = draft("asn=AS65000&asn=65001");

        assertThat(draft.path("for_asns").toString()).isEqualTo("[65000,65001]");
        assertThat(draft.path("generated_at").asText()).isEqualTo("2026-12-07T04:00:00.000Z");
        assertThat(draft.path("routes_read").asLong()).isEqualTo(6);
        assertThat(draft.path("vrp_serial").asInt()).isEqualTo(42);
        assertThat(draft.path("prefixes").findValuesAsText("prefix"))
                .containsExactly("10.0.0.0/16", "10.0.3.0/24", "203.0.113.0/24", "2001:db8::/32");
        JsonNode first = draft.path("prefixes").get(0);
        assertThat(first.path("origins").toString()).isEqualTo("[65000]");
        assertThat(first.path("description").asText()).isEqualTo("seen originated by AS65000 in 3 routes");
        assertThat(first.path("announced").asBoolean()).isTrue();
        assertThat(draft.path("prefixes").get(1).path("description").asText())
                .isEqualTo("originated by AS65100 inside 10.0.0.0/16, seen in 1 route: delegated? check before use");
        assertThat(draft.path("prefixes").get(2).path("description").asText())
                .isEqualTo("from a VRP (AS65000, maxLength 24), not seen announced");
        assertThat(draft.path("folded").get(0).path("prefix").asText()).isEqualTo("10.0.4.0/22");
        assertThat(draft.path("folded").get(0).path("into").asText()).isEqualTo("10.0.0.0/16");
        JsonNode asn = draft.path("asns").get(0);
        assertThat(asn.path("asn").asLong()).isEqualTo(65000);
        assertThat(asn.path("upstreams").toString()).isEqualTo("[65010,65011]");
        assertThat(asn.path("downstreams").toString()).isEqualTo("[65100]");
        assertThat(asn.path("paths").asLong()).isEqualTo(4);

        String yaml = draft.path("yaml").asText();
        assertThat(yaml).startsWith("# Rampart monitors file: a draft for AS65000, AS65001, made at "
                + "2026-12-07T04:00:00Z from\n# the RIB (6 routes of every router, peer and view) and the VRPs "
                + "of serial 42.\n");
        assertThat(yaml).contains("REVIEW BEFORE USE");
        Monitors monitors = new MonitorsLoader().parse(yaml, "draft.yaml");
        assertThat(monitors.prefixes()).extracting(p -> p.prefix().toString())
                .containsExactly("10.0.0.0/16", "10.0.3.0/24", "203.0.113.0/24", "2001:db8::/32");
        assertThat(monitors.prefixes().get(3).origins()).isEqualTo(AsnSet.of(65001));
        assertThat(monitors.asn(65001).orElseThrow().upstreams()).isEqualTo(AsnSet.of(65011));
    }

    @Test
    void beforeAnyVrpsTheDraftIsFromTheRibAlone() throws Exception {
        routes();

        JsonNode draft = draft("asn=65000");

        assertThat(draft.path("vrp_serial").isNull()).isTrue();
        assertThat(draft.path("prefixes").findValuesAsText("prefix")).containsExactly("10.0.0.0/16", "10.0.3.0/24");
        assertThat(draft.path("yaml").asText()).contains("and no VRPs (none were loaded yet).");
    }

    @Test
    void anAsnNoRouteOrVrpShowsGivesAnEmptyDraftTheLoaderStillReads() throws Exception {
        JsonNode draft = draft("asn=1.10");

        assertThat(draft.path("for_asns").toString()).isEqualTo("[65546]");
        assertThat(draft.path("prefixes").isEmpty()).isTrue();
        Monitors monitors = new MonitorsLoader().parse(draft.path("yaml").asText(), "draft.yaml");
        assertThat(monitors.asns()).hasSize(1);
    }

    @Test
    void aMissingOrBadAsnIsA400NamingTheParameter() throws Exception {
        for (String query : List.of("", "asn=", "asn=AS6x", "asn=65000&asn=4294967296")) {
            HttpResponse<String> response = api.get("/api/v1/monitors/draft?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            JsonNode error = json.readTree(response.body());
            assertThat(error.path("error").asText()).isEqualTo("invalid_parameter");
            assertThat(error.path("detail").asText().toLowerCase(Locale.ROOT)).as(query).contains("asn");
        }
        StringBuilder many = new StringBuilder("asn=1");
        for (int i = 2; i <= MonitorsDraftRoutes.MAX_ASNS + 1; i++) {
            many.append("&asn=").append(i);
        }
        HttpResponse<String> response = api.get("/api/v1/monitors/draft?" + many);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("at most 50 AS numbers");
    }

    @Test
    void theRouteIsDocumented() throws Exception {
        assertThat(api.routes()).extracting(r -> r.method().name() + " " + r.path())
                .contains("GET /api/v1/monitors/draft");
        JsonNode document = json.readTree(api.get("/openapi.json").body());
        assertThat(document.at("/paths/~1api~1v1~1monitors~1draft/get/responses/200").isMissingNode()).isFalse();
        JsonNode schema = document.at("/components/schemas/MonitorsDraft/properties");
        JsonNode draft = draft("asn=65000");
        draft.fieldNames().forEachRemaining(field -> assertThat(schema.has(field)).as(field).isTrue());
    }
}

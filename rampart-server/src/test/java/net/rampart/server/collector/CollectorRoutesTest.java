package net.rampart.server.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.server.RampartService;
import net.rampart.server.http.HttpApi;
import net.rampart.server.http.LoopbackApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/routes} and {@code /api/v1/peers} end to end in one process: a real RIB and
 * inventory filled by hand, served by {@link HttpApi} on a loopback port. No BMP session, no
 * database, no service.
 */
class CollectorRoutesTest {

    private static final String ROUTER = "r1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ObjectMapper json = RampartService.jsonMapper();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Rib rib = new Rib(RouteEventListener.NONE);
    private final RouterInventory inventory = new RouterInventory();
    private LoopbackApi api;

    private static PeerKey peer(String literal) throws Exception {
        return PeerKey.global(InetAddress.getByName(literal));
    }

    private static PathAttributes path(long... asns) {
        return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(asns))
                .nextHop(new byte[] {(byte) 198, 51, 100, 1}).build();
    }

    /**
     * Two nested IPv4 routes with different origins and one IPv6 route, from one peer; three
     * peers in the inventory, the second down.
     */
    @BeforeEach
    void start() throws Exception {
        PeerKey p1 = peer("198.51.100.1");
        RouterId router = new RouterId(ROUTER);
        rib.apply(router, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST,
                path(65001, 65010), List.of(Ipv4RouteKey.parse("10.1.0.0/16", 0))));
        rib.apply(router, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV4_UNICAST,
                path(65001, 65020), List.of(Ipv4RouteKey.parse("10.1.2.0/24", 0))));
        rib.apply(router, p1, RibView.ADJ_RIB_IN_PRE, RouteUpdate.announce(1, Family.IPV6_UNICAST,
                path(65001, 65010), List.of(Ipv6RouteKey.parse("2001:db8::/32", 0))));
        inventory.mrtPeer(ROUTER, p1, 65001, true, T0, T0);
        inventory.mrtPeer(ROUTER, peer("198.51.100.2"), 65002, false, T0, T0);
        inventory.mrtPeer(ROUTER, peer("198.51.100.3"), 65003, true, T0, T0);

        RouteOrigins origins = new RouteOrigins(rib, metrics);
        RpkiSnapshot vrps = RpkiSnapshot.of(VrpSet.of(List.of(Vrp.parse("10.0.0.0/8", 16, 65010))), List.of(),
                List.of());
        origins.follow(RpkiView.of(new SnapshotHistory.Version(1, 1, vrps, T0)));

        api = LoopbackApi.serve(json, metrics, new CollectorRoutes(inventory, rib, origins));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String target) throws Exception {
        return api.get(target);
    }

    private JsonNode page(String target) throws Exception {
        HttpResponse<String> response = get(target);
        assertThat(response.statusCode()).as("%s: %s", target, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    private List<String> prefixes(String target) throws Exception {
        JsonNode page = page(target);
        // Every match fits in one page here, so the count and the items must agree.
        assertThat(page.path("matched").asLong()).isEqualTo(page.path("items").size());
        return texts(page.path("items"), "prefix");
    }

    @Test
    void routesFilterByPrefixExactAndLonger() throws Exception {
        assertThat(prefixes("/api/v1/routes")).containsExactlyInAnyOrder("10.1.0.0/16", "10.1.2.0/24", "2001:db8::/32");
        // Without match, a prefix is matched exactly: the /24 inside it is not listed.
        assertThat(prefixes("/api/v1/routes?prefix=10.1.0.0/16")).containsExactly("10.1.0.0/16");
        assertThat(prefixes("/api/v1/routes?prefix=10.1.0.0/16&match=exact")).containsExactly("10.1.0.0/16");
        assertThat(prefixes("/api/v1/routes?prefix=10.1.0.0/16&match=longer"))
                .containsExactlyInAnyOrder("10.1.0.0/16", "10.1.2.0/24");
        assertThat(prefixes("/api/v1/routes?prefix=10.1.2.0/24&match=shorter"))
                .containsExactlyInAnyOrder("10.1.0.0/16", "10.1.2.0/24");
        assertThat(prefixes("/api/v1/routes?prefix=10.2.0.0/16&match=longer")).isEmpty();
    }

    @Test
    void routesFilterByOriginAsnAndFamily() throws Exception {
        assertThat(prefixes("/api/v1/routes?origin_asn=AS65020")).containsExactly("10.1.2.0/24");
        assertThat(prefixes("/api/v1/routes?origin_asn=65010")).containsExactlyInAnyOrder("10.1.0.0/16", "2001:db8::/32");
        assertThat(prefixes("/api/v1/routes?family=ipv6")).containsExactly("2001:db8::/32");
        assertThat(prefixes("/api/v1/routes?family=ipv4&origin_asn=65010")).containsExactly("10.1.0.0/16");
        assertThat(prefixes("/api/v1/routes?family=evpn")).isEmpty();
    }

    @Test
    void routesShowAndFilterByTheirRpkiState() throws Exception {
        JsonNode items = page("/api/v1/routes?family=ipv4&match=longer&prefix=10.0.0.0/8").path("items");
        assertThat(items).hasSize(2);
        items.forEach(route -> assertThat(route.path("rpki").asText()).as(route.toString())
                .isEqualTo(route.path("prefix").asText().equals("10.1.0.0/16") ? "valid" : "invalid"));
        assertThat(prefixes("/api/v1/routes?rpki=invalid")).containsExactly("10.1.2.0/24");
        // No VRP covers the IPv6 route.
        assertThat(prefixes("/api/v1/routes?rpki=not-found")).containsExactly("2001:db8::/32");
    }

    @Test
    void badRouteFiltersAreRefusedNamingTheParameter() throws Exception {
        for (String[] bad : List.of(new String[] {"prefix=10.1.0.1/16", "prefix"},
                new String[] {"match=inside", "match"}, new String[] {"family=ipv5", "family"},
                new String[] {"origin_asn=AS-1", "origin_asn"}, new String[] {"rpki=unknown", "rpki"})) {
            HttpResponse<String> response = get("/api/v1/routes?" + bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            JsonNode body = json.readTree(response.body());
            assertThat(body.path("error").asText()).isEqualTo("invalid_parameter");
            assertThat(body.path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }

    @Test
    void peersArePagedInTheirOrderWithACursor() throws Exception {
        JsonNode first = page("/api/v1/peers?limit=2");
        assertThat(first.path("matched").asLong()).isEqualTo(3);
        assertThat(texts(first.path("items"), "address")).containsExactly("198.51.100.1", "198.51.100.2");
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).isNotEmpty();

        JsonNode second = page("/api/v1/peers?limit=2&cursor=" + cursor);
        assertThat(texts(second.path("items"), "address")).containsExactly("198.51.100.3");
        assertThat(second.path("matched").asLong()).isEqualTo(3);
        assertThat(second.hasNonNull("next_cursor")).as("the last page has no cursor").isFalse();
    }

    @Test
    void peersFilterByStateAndRouter() throws Exception {
        assertThat(texts(page("/api/v1/peers?state=down").path("items"), "address")).containsExactly("198.51.100.2");
        assertThat(texts(page("/api/v1/peers?state=up").path("items"), "address"))
                .containsExactly("198.51.100.1", "198.51.100.3");
        assertThat(page("/api/v1/peers?router=other").path("matched").asLong()).isZero();
        assertThat(page("/api/v1/peers?router=r1").path("matched").asLong()).isEqualTo(3);

        HttpResponse<String> bad = get("/api/v1/peers?state=sideways");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).path("field").asText()).isEqualTo("state");
    }
}

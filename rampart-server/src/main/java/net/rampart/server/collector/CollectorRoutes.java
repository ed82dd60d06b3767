package net.rampart.server.collector;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.javalin.http.Context;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibRoute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteQuery;
import net.rampart.collector.rib.RouteQueryResult;
import net.rampart.collector.rib.RouterId;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.Page;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.RouteTable;
import net.rampart.wire.RouteOriginState;
import net.rampart.wire.bgp.nlri.RouteDistinguisher;
import net.rampart.wire.ip.AddressText;

/**
 * {@code /api/v1/routers}, {@code /api/v1/peers} and {@code /api/v1/routes}: what the monitored
 * routers reported, current state from the in-memory RIB.
 */
public final class CollectorRoutes implements ApiRoutes {

    private static final Map<String, RibView> VIEWS = Map.of(
            "adj-rib-in-pre", RibView.ADJ_RIB_IN_PRE, "adj-rib-in-post", RibView.ADJ_RIB_IN_POST,
            "adj-rib-out-pre", RibView.ADJ_RIB_OUT_PRE, "adj-rib-out-post", RibView.ADJ_RIB_OUT_POST,
            "loc-rib", RibView.LOC_RIB);
    private static final Map<String, RouteOriginState> STATES = Map.of("valid", RouteOriginState.VALID,
            "invalid", RouteOriginState.INVALID, "not-found", RouteOriginState.NOT_FOUND);

    private final RouterInventory inventory;
    private final Rib rib;
    private final RouteOrigins origins;

    public CollectorRoutes(RouterInventory inventory, Rib rib, RouteOrigins origins) {
        this.inventory = inventory;
        this.rib = rib;
        this.origins = origins;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/routers", ctx -> ctx.json(Page.of(ctx, inventory.routers())));
        routes.get("/api/v1/peers", this::peers);
        routes.get("/api/v1/routes", this::routes);
        routes.get("/api/v1/evpn", this::evpn);
        routes.get("/api/v1/rpki/peers", this::rpkiByPeer);
    }

    /** Every peer's unicast routes per view, counted by RPKI origin state. */
    private void rpkiByPeer(Context ctx) {
        List<RouteOrigins.PeerCounts> counts = origins.countByPeer();
        Map<String, Long> totals = new LinkedHashMap<>();
        RouteOrigins.totals(counts).forEach((state, count) -> totals.put(state.label(), count));
        var page = Page.of(ctx, counts);
        ctx.json(new RpkiCountsPage(page.items(), page.matched(), page.nextCursor(), totals));
    }

    /** A page of per-peer counts with the totals over every peer. */
    record RpkiCountsPage(List<RouteOrigins.PeerCounts> items, long matched, String nextCursor,
                          Map<String, Long> totals) {
    }

    /** Current EVPN routes by MAC address and/or route distinguisher, from the RIB. */
    private void evpn(Context ctx) {
        String mac = QueryParameters.text(ctx, "mac").map(CollectorRoutes::mac).orElse(null);
        Long rd = QueryParameters.text(ctx, "rd").map(CollectorRoutes::rd).orElse(null);
        List<RibRoute> matched = new ArrayList<>();
        rib.forEachTable((router, peer, view, family, table) -> {
            if (!family.equals(Family.L2VPN_EVPN)) {
                return;
            }
            table.read((key, attributes, lastChangeSeconds) -> {
                if (key instanceof EvpnRouteKey route && (mac == null || mac.equals(route.macText()))
                        && (rd == null || rd == route.rd())) {
                    matched.add(new RibRoute(router, peer, view, family, key, attributes,
                            Instant.ofEpochSecond(Integer.toUnsignedLong(lastChangeSeconds))));
                }
            });
        });
        matched.sort(Comparator.comparing((RibRoute r) -> r.router().name()).thenComparing(r -> r.key().text())
                .thenComparing(r -> AddressText.of(r.peer().address())));
        ctx.json(Page.of(ctx, matched.stream().map(this::json).toList()));
    }

    /**
     * A route distinguisher in RFC 4364 text, compared as its 8 bytes: a text that is no RD is
     * refused rather than matching nothing, as a bad MAC address is.
     */
    private static long rd(String text) {
        try {
            return RouteDistinguisher.parse(text).value();
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter("rd", e.getMessage());
        }
    }

    /** A MAC address in any common notation, as the RIB writes it: 11:22:33:44:55:66. */
    private static String mac(String text) {
        String hex = text.replaceAll("[:.-]", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{12}")) {
            throw InvalidInputException.parameter("mac", "must be a MAC address such as 11:22:33:44:55:66, not '" + text + "'");
        }
        return String.join(":", hex.substring(0, 2), hex.substring(2, 4), hex.substring(4, 6), hex.substring(6, 8),
                hex.substring(8, 10), hex.substring(10, 12));
    }

    private void routes(Context ctx) {
        int offset = Page.offset(ctx);
        int limit = Page.limit(ctx);
        RouteQuery query = new RouteQuery(
                QueryParameters.text(ctx, "router").map(RouterId::new).orElse(null),
                QueryParameters.text(ctx, "peer").map(CollectorRoutes::address).orElse(null),
                QueryParameters.choice(ctx, "view", VIEWS.keySet().stream().sorted().toArray(String[]::new))
                        .map(VIEWS::get).orElse(null),
                // The names of Family.group(), which is also what a route's family field says.
                QueryParameters.choice(ctx, "family", "ipv4", "ipv6", "evpn", "other").orElse(null),
                QueryParameters.text(ctx, "prefix").map(text -> CidrParameter.parse("prefix", text)).orElse(null),
                QueryParameters.choice(ctx, "match", "exact", "longer", "shorter")
                        .map(m -> RouteQuery.PrefixMatch.valueOf(m.toUpperCase(Locale.ROOT))).orElse(null),
                QueryParameters.asn(ctx, "origin_asn").orElse(-1L),
                QueryParameters.asn(ctx, "as_path_contains").orElse(-1L),
                QueryParameters.text(ctx, "community").filter(c -> c.split(":").length == 2)
                        .map(CollectorRoutes::community).orElse(null),
                QueryParameters.text(ctx, "community").filter(c -> c.split(":").length != 2)
                        .map(CollectorRoutes::largeCommunity).orElse(null),
                null, offset, limit);
        var rpki = QueryParameters.choice(ctx, "rpki", "valid", "invalid", "not-found");
        if (rpki.isPresent()) {
            RouteOriginState wanted = STATES.get(rpki.get());
            query = query.withFilter((key, attributes) -> origins.stateOf(key, attributes) == wanted);
        }
        RouteQueryResult result = rib.query(query);
        ctx.json(Page.cut(offset, result.routes().stream().map(this::json).toList(), result.matched()));
    }

    private RouteJson json(RibRoute route) {
        return RouteJson.of(route, origins.stateOf(route.key(), route.attributes()));
    }

    private static InetAddress address(String text) {
        try {
            return AddressText.parse(text);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter("peer", e.getMessage());
        }
    }

    private static int community(String text) {
        String[] parts = text.split(":");
        try {
            int high = Integer.parseInt(parts[0]);
            int low = Integer.parseInt(parts[1]);
            if (high >= 0 && high <= 0xFFFF && low >= 0 && low <= 0xFFFF) {
                return high << 16 | low;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.parameter("community", "must be asn:value (each 0-65535) or a large community global:data1:data2, not '" + text + "'");
    }

    private static int[] largeCommunity(String text) {
        String[] parts = text.split(":");
        if (parts.length == 3) {
            try {
                int[] triple = new int[3];
                for (int i = 0; i < 3; i++) {
                    long value = Long.parseLong(parts[i]);
                    if (value < 0 || value > 0xFFFF_FFFFL) {
                        throw new NumberFormatException();
                    }
                    triple[i] = (int) value;
                }
                return triple;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw InvalidInputException.parameter("community", "must be asn:value or a large community global:data1:data2 (each 0-4294967295), not '" + text + "'");
    }

    private void peers(Context ctx) {
        Predicate<PeerRecord> filter = peer -> true;
        String router = ctx.queryParam("router");
        if (router != null && !router.isBlank()) {
            filter = filter.and(peer -> peer.router().equals(router));
        }
        String state = ctx.queryParam("state");
        if (state != null && !state.isBlank()) {
            boolean up = switch (state) {
                case "up" -> true;
                case "down" -> false;
                default -> throw InvalidInputException.parameter("state", "must be up or down, not '" + state + "'");
            };
            filter = filter.and(peer -> peer.up() == up);
        }
        List<PeerRecord> matched = inventory.peers().stream().filter(filter).toList();
        ctx.json(Page.of(ctx, matched));
    }

    @Override
    public String openApiFragment() {
        return "openapi/collector.json";
    }

    /** Route counts by family group and view, the views named as everywhere in the API. */
    public static Map<String, Map<String, Long>> countsByFamilyAndView(Rib rib) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        rib.routeCountsByFamilyAndView().forEach((family, views) -> {
            Map<String, Long> named = new LinkedHashMap<>();
            views.forEach((view, count) -> named.put(view.label(), count));
            out.put(family, named);
        });
        return out;
    }
}

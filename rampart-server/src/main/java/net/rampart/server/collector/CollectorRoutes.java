package net.rampart.server.collector;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import net.rampart.collector.inventory.Inventory;
import net.rampart.collector.inventory.PeerRecord;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.Page;
import net.rampart.server.http.RouteTable;

import java.util.List;
import java.util.function.Predicate;

/** {@code /api/v1/routers} and {@code /api/v1/peers}: what the monitored routers reported. */
public final class CollectorRoutes implements ApiRoutes {

    private final Inventory inventory;

    public CollectorRoutes(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/routers", ctx -> ctx.json(Page.of(ctx, inventory.routers())));
        routes.get("/api/v1/peers", this::peers);
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
                default -> throw new BadRequestResponse("state must be up or down, not '" + state + "'");
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
}

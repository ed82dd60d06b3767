package net.rampart.server.collector;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.mrt.MrtImport;
import net.rampart.collector.rib.Rib;
import net.rampart.server.http.ApiError;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.RouteTable;
import net.rampart.wire.DecodeException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code POST /api/v1/mrt/imports?source=NAME}: the request body is an MRT file (plain, gzip or
 * bzip2), streamed into the RIB under the router {@code mrt:NAME}, which the inventory lists
 * with its peers. The summary warns when records are older than route history's retention.
 */
public final class MrtImportRoutes implements ApiRoutes {

    private static final String SOURCE_NAME = "[A-Za-z0-9._-]{1,64}";

    private final Rib rib;
    private final RouterInventory inventory;
    private final Duration historyRetention;

    /** @param historyRetention how long route history keeps rows ({@code RAMPART_ROUTE_RETENTION}) */
    public MrtImportRoutes(Rib rib, RouterInventory inventory, Duration historyRetention) {
        this.rib = rib;
        this.inventory = inventory;
        this.historyRetention = historyRetention;
    }

    @Override
    public void register(RouteTable routes) {
        routes.post("/api/v1/mrt/imports", this::importFile);
    }

    private void importFile(Context ctx) throws IOException {
        String source = QueryParameters.text(ctx, "source")
                .orElseThrow(() -> InvalidInputException.parameter("source", "required: the name the routes are kept under"));
        if (!source.matches(SOURCE_NAME)) {
            throw InvalidInputException.parameter("source", "must be 1-64 letters, digits, '.', '_' or '-', not '" + source + "'");
        }
        try {
            MrtImport.Summary summary = MrtImport.run(rib, inventory, historyRetention, source,
                    new BufferedInputStream(ctx.bodyInputStream(), 1 << 16));
            ctx.status(HttpStatus.OK).json(summary);
        } catch (DecodeException e) {
            // The framing broke: what came before stays imported, the rest cannot be trusted.
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(new ApiError("mrt_unreadable", e.getMessage()));
        }
    }

    @Override
    public String openApiFragment() {
        return "openapi/mrt.json";
    }
}

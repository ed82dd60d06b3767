package net.rampart.server.detect;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Supplier;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.Rib;
import net.rampart.detect.monitor.AsnSet;
import net.rampart.detect.monitor.MonitorsDraft;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.VrpSet;
import net.rampart.server.http.ApiRoutes;
import net.rampart.server.http.InvalidInputException;
import net.rampart.server.http.QueryParameters;
import net.rampart.server.http.RouteTable;
import net.rampart.wire.ip.IpPrefix;

/**
 * {@code GET /api/v1/monitors/draft?asn=…}: a starting monitors file for some ASNs, from the RIB
 * (every router, peer and view, IPv4 and IPv6 unicast) and the VRPs in force, as
 * {@link MonitorsDraft} makes it. Served whether detection is on or not: the draft is how one
 * writes the file that turns it on. {@code ./rampart monitors generate} writes its {@code yaml}.
 */
public final class MonitorsDraftRoutes implements ApiRoutes {

    /** More would be a draft nobody reviews; one AS and its siblings is the case this is for. */
    static final int MAX_ASNS = 50;

    private final Rib rib;
    private final Supplier<RpkiView> vrps;
    private final Clock clock;

    /** @param vrps the VRPs in force, or null before the first are loaded */
    public MonitorsDraftRoutes(Rib rib, Supplier<RpkiView> vrps, Clock clock) {
        this.rib = rib;
        this.vrps = vrps;
        this.clock = clock;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/monitors/draft", this::draft);
    }

    @Override
    public String openApiFragment() {
        return "openapi/monitors-draft.json";
    }

    private void draft(Context ctx) {
        AsnSet asns = asns(ctx);
        RpkiView view = vrps.get();
        List<MonitorsDraft.Authorisation> authorisations = new ArrayList<>();
        if (view != null) {
            VrpSet all = view.version().snapshot().vrps();
            // Checked by index first: of a few hundred thousand VRPs, a handful are the ASNs'.
            for (int i = 0; i < all.size(); i++) {
                if (asns.contains(all.asn(i))) {
                    authorisations.add(new MonitorsDraft.Authorisation(all.prefix(i), all.maxLength(i), all.asn(i)));
                }
            }
        }
        MonitorsDraft draft = MonitorsDraft.build(asns, this::forEachRoute, authorisations);
        Instant now = clock.instant();
        Integer serial = view == null ? null : view.version().serial();
        String yaml = draft.yaml(now, serial == null ? OptionalInt.empty() : OptionalInt.of(serial));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("for_asns", numbers(asns));
        out.put("generated_at", now);
        out.put("routes_read", draft.routesRead());
        out.put("vrp_serial", serial);
        out.put("prefixes", draft.prefixes().stream().map(MonitorsDraftRoutes::prefix).toList());
        out.put("asns", draft.asnEntries().stream().map(MonitorsDraftRoutes::asn).toList());
        out.put("folded", draft.folded().stream()
                .map(f -> Map.of("prefix", f.prefix().toString(), "into", f.into().toString())).toList());
        out.put("yaml", yaml);
        ctx.json(out);
    }

    /** Every {@code asn} parameter, each in any form the API takes an ASN in. */
    private static AsnSet asns(Context ctx) {
        List<String> given = ctx.queryParams("asn").stream().filter(Objects::nonNull).map(String::strip)
                .filter(text -> !text.isEmpty()).toList();
        if (given.isEmpty()) {
            throw InvalidInputException.parameter("asn", "required: the AS numbers to draft for, as "
                    + "asn=AS65000&asn=65001");
        }
        if (given.size() > MAX_ASNS) {
            throw InvalidInputException.parameter("asn", "at most " + MAX_ASNS + " AS numbers, not " + given.size());
        }
        return AsnSet.of(given.stream().mapToLong(text -> QueryParameters.asn("asn", text)).toArray());
    }

    /** The RIB's IP unicast routes, as the detector reads them (the same flattening of the path). */
    private void forEachRoute(MonitorsDraft.RouteSink sink) {
        rib.forEachTable((router, peer, view, family, table) -> {
            if (!family.equals(Family.IPV4_UNICAST) && !family.equals(Family.IPV6_UNICAST)) {
                return;
            }
            table.read((key, attributes, lastChangeSeconds) -> {
                IpPrefix prefix = switch (key) {
                    case Ipv4RouteKey k -> k.prefix();
                    case Ipv6RouteKey k -> k.prefix();
                    default -> null;
                };
                if (prefix != null) {
                    AsPath path = attributes.asPath();
                    sink.route(prefix, RouteEventObservations.flatten(path), RouteEventObservations.endsInSet(path));
                }
            });
        });
    }

    private static Map<String, Object> prefix(MonitorsDraft.DraftPrefix p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", p.prefix().toString());
        out.put("origins", numbers(p.origins()));
        out.put("description", p.description());
        out.put("announced", p.announced());
        out.put("others_seen", numbers(p.othersSeen()));
        return out;
    }

    private static Map<String, Object> asn(MonitorsDraft.DraftAsn a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asn", a.asn());
        out.put("upstreams", numbers(a.upstreams()));
        out.put("downstreams", numbers(a.downstreams()));
        out.put("paths", a.paths());
        return out;
    }

    private static List<Long> numbers(AsnSet set) {
        return Arrays.stream(set.toArray()).boxed().toList();
    }
}

package net.rampart.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.AspaVerifier;
import net.rampart.rpki.OriginValidation;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiDelta;
import net.rampart.rpki.RpkiService;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.Serial;
import net.rampart.rpki.SnapshotHistory.Version;
import net.rampart.rpki.VrpSet;
import net.rampart.rpki.output.ValidityOutput;
import net.rampart.rpki.output.VrpCsvOutput;
import net.rampart.rpki.output.VrpJsonOutput;
import net.rampart.wire.Asn;
import net.rampart.wire.ip.IpPrefix;

/**
 * The validate area's HTTP API: state, VRP search, diffs between serials, origin and ASPA
 * validation, and the Routinator-compatible validity endpoint and {@code /json} and
 * {@code /csv} exports (with ETags by session and serial). The formats of validation
 * results and exports are {@link net.rampart.rpki.output}'s; this class reads parameters
 * and bodies and sets statuses, content types and caching headers.
 */
public final class RpkiRoutes implements ApiRoutes {

    private static final int MAX_BATCH = 10_000;

    private final RpkiService rpki;
    private final ObjectMapper json;

    /** @param json the API's mapper, so bodies are read by the same rules as every other route's */
    public RpkiRoutes(RpkiService rpki, ObjectMapper json) {
        this.rpki = rpki;
        this.json = json;
    }

    @Override
    public void register(RouteTable routes) {
        routes.get("/api/v1/state", this::state);
        routes.get("/api/v1/vrps", this::vrps);
        routes.get("/api/v1/diff", this::diff);
        routes.post("/api/v1/validate", this::validate);
        routes.post("/api/v1/validate/aspa", this::validateAspa);
        routes.get("/api/v1/validity/{asn}/{address}/{length}", this::validity);
        routes.get("/api/v1/validity", this::validityQuery);
        routes.post("/api/v1/rpki/refresh", this::refresh);
        routes.get("/api/v1/rpki/sources", this::sources);
        routes.get("/api/v1/rpki/slurm", this::slurm);
        routes.get("/api/v1/rpki/rtr-clients", this::rtrClients);
        routes.get("/json", this::exportJson);
        routes.get("/csv", this::exportCsv);
    }

    @Override
    public String openApiFragment() {
        return "openapi/rpki.json";
    }

    // Bad input is thrown as InvalidInputException and answered by HttpApi, as on every other route.

    /** An ASN in a query or path parameter, as AS65000 or 65000: read and refused as every list's ASN filter is. */
    private static long asnParameter(String name, String text) {
        return QueryParameters.asn(name, text.strip());
    }

    /**
     * An ASN in a body field, as "AS65000", "65000", "1.10" (asdot) or the number 65000. A JSON
     * number with a fraction is none: read as text, 1.10 would be asdot 1.1 (AS65537), not AS65546.
     */
    private static long asnField(String name, JsonNode value) {
        if (!value.isTextual() && !value.isIntegralNumber()) {
            String kind = value.isNumber() ? "a number with a fraction or an exponent" : value.isObject() ? "an object"
                    : value.isArray() ? "an array" : value.isBoolean() ? "a boolean" : "null";
            throw InvalidInputException.field(name, "must be an AS number as text (\"AS65000\", \"65000\", \"1.10\")"
                    + " or a whole number, not " + kind);
        }
        try {
            return Asn.parse(value.asText().strip());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field(name, e.getMessage());
        }
    }

    private static IpPrefix prefixParameter(String name, String text) {
        try {
            return IpPrefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter(name, e.getMessage());
        }
    }

    private static IpPrefix prefixField(String name, String text) {
        try {
            return IpPrefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field(name, e.getMessage());
        }
    }

    /** A version of the RPKI data as the API and the Kafka feed show it: serial, session, counts, hash, time. */
    public static Map<String, Object> version(Version v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serial", Integer.toUnsignedLong(v.serial()));
        body.put("session_id", v.sessionId());
        body.put("vrp_count", v.snapshot().vrps().size());
        body.put("aspa_count", v.snapshot().aspas().size());
        body.put("router_key_count", v.snapshot().routerKeys().size());
        body.put("hash", v.snapshot().hash());
        body.put("last_update", v.updatedAt());
        return body;
    }

    private void state(Context ctx) {
        Map<String, Object> body = version(rpki.view().version());
        body.put("data_time", rpki.updater().dataTime());
        body.put("stale", !rpki.isFresh());
        body.put("retained_serials", rpki.history().retainedSerials().stream().map(Integer::toUnsignedLong).toList());
        body.put("rtr_clients", rpki.rtrClients());
        ctx.json(body);
    }

    /**
     * VRPs in the shared list shape ({@link Page}): 1 to {@value Page#MAX_LIMIT} a page, as every
     * other list. The whole set is {@code /json} or {@code /csv}, so a larger page buys nothing.
     */
    private void vrps(Context ctx) {
        RpkiView view = rpki.view();
        VrpSet set = view.roas().vrps();
        Long asn = QueryParameters.asn(ctx, "asn").orElse(null);
        Optional<IpPrefix> prefix = QueryParameters.text(ctx, "prefix").map(text -> prefixParameter("prefix", text));
        String match = QueryParameters.choice(ctx, "match", "exact", "covering", "more-specific", "all").orElse("all");
        List<Integer> candidates;
        if (prefix.isPresent()) {
            candidates = switch (match) {
                case "exact" -> view.roas().indicesRelatedTo(prefix.get(), false, true, false);
                case "covering" -> view.roas().indicesRelatedTo(prefix.get(), true, true, false);
                case "more-specific" -> view.roas().indicesRelatedTo(prefix.get(), false, true, true);
                default -> view.roas().indicesRelatedTo(prefix.get(), true, true, true);
            };
            if (asn != null) {
                long a = asn;
                candidates = candidates.stream().filter(i -> set.asn(i) == a).toList();
            }
        } else {
            candidates = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                if (asn == null || set.asn(i) == asn) {
                    candidates.add(i);
                }
            }
        }
        Page<Integer> page = Page.of(ctx, candidates);
        List<Map<String, Object>> items = page.items().stream().map(i -> {
            Map<String, Object> vrp = ValidityOutput.vrp(set.get(i));
            // A source that named no trust anchor left it unknown, and unknown is null (docs/api.md).
            String ta = set.trustAnchor(i);
            vrp.put("ta", ta.isEmpty() ? null : ta);
            return vrp;
        }).toList();
        ctx.json(new VrpPage(Integer.toUnsignedLong(view.version().serial()), items, page.matched(), page.nextCursor()));
    }

    /** A page of VRPs, with the serial of the set it was cut from. */
    record VrpPage(long serial, List<Map<String, Object>> items, long matched, String nextCursor) {
    }

    private static Map<String, Object> aspaJson(AspaRecord a) {
        return Map.of("customer", a.customer(), "providers", a.providers());
    }

    private static Map<String, Object> keyJson(RouterKeyRecord k) {
        return Map.of("asn", k.asn(), "ski", k.skiHex(), "spki", Base64.getEncoder().encodeToString(k.spki()));
    }

    private void diff(Context ctx) {
        Version current = rpki.view().version();
        int from = serialParam(ctx, "from", null);
        int to = serialParam(ctx, "to", current.serial());
        Optional<RpkiDelta> d = rpki.history().diff(from, to);
        if (d.isEmpty()) {
            List<Integer> retained = rpki.history().retainedSerials();
            ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("serial_not_retained", "retained serials are "
                    + Serial.toString(retained.get(0)) + " to " + Serial.toString(retained.get(retained.size() - 1))));
            return;
        }
        RpkiDelta delta = d.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", current.sessionId());
        body.put("from", Integer.toUnsignedLong(from));
        body.put("to", Integer.toUnsignedLong(to));
        body.put("announced", delta.announcedVrps().stream().map(ValidityOutput::vrp).toList());
        body.put("withdrawn", delta.withdrawnVrps().stream().map(ValidityOutput::vrp).toList());
        body.put("aspas", Map.of("announced", delta.announcedAspas().stream().map(RpkiRoutes::aspaJson).toList(),
                "withdrawn", delta.withdrawnAspas().stream().map(RpkiRoutes::aspaJson).toList()));
        body.put("router_keys", Map.of(
                "announced", delta.announcedKeys().stream().map(RpkiRoutes::keyJson).toList(),
                "withdrawn", delta.withdrawnKeys().stream().map(RpkiRoutes::keyJson).toList()));
        ctx.json(body);
    }

    private static int serialParam(Context ctx, String name, Integer fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw InvalidInputException.parameter(name, "required");
            }
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= 0 && n <= 0xFFFF_FFFFL) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.parameter(name, "must be a serial number (0 to 4294967295)");
    }

    private void validate(Context ctx) {
        JsonNode body = readBody(ctx);
        RpkiView view = rpki.view();
        JsonNode batch = body.isArray() ? body : body.get("routes");
        if (batch != null) {
            // A bare array's routes are named [0], [1]...; those of {"routes": [...]} routes[0]...
            String name = body.isArray() ? "" : "routes";
            if (!batch.isArray() || batch.size() > MAX_BATCH) {
                throw InvalidInputException.field("routes", "must be an array of at most " + MAX_BATCH
                        + " {asn, prefix} objects");
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                results.add(ValidityOutput.rampart(validateOne(view, batch.get(i), name + "[" + i + "]")));
            }
            ctx.json(Map.of("serial", Integer.toUnsignedLong(view.version().serial()), "results", results));
        } else {
            Map<String, Object> result = ValidityOutput.rampart(validateOne(view, body, ""));
            result.put("serial", Integer.toUnsignedLong(view.version().serial()));
            ctx.json(result);
        }
    }

    private JsonNode readBody(Context ctx) {
        JsonNode body = JsonBody.read(json, ctx);
        if (body == null || !(body.isObject() || body.isArray())) {
            throw InvalidInputException.unreadableBody("the body must be a JSON object or array");
        }
        // Nothing here is stored, but error details quote what was sent: no control character may reach them.
        TextLimits.body(body, Map.of(), Set.of());
        return body;
    }

    /** @param name where the route is in the body ({@code routes[3]}), or empty for a body that is one route */
    private static OriginValidation validateOne(RpkiView view, JsonNode route, String name) {
        if (!route.isObject()) {
            throw InvalidInputException.field(name, "must be an object with asn and prefix");
        }
        String at = name.isEmpty() ? "" : name + ".";
        for (String required : List.of("asn", "prefix")) {
            if (!route.hasNonNull(required)) {
                throw InvalidInputException.field(at + required, "required");
            }
        }
        return view.roas().validate(prefixField(at + "prefix", route.get("prefix").asText()),
                asnField(at + "asn", route.get("asn")));
    }

    private void validateAspa(Context ctx) {
        JsonNode body = readBody(ctx);
        JsonNode path = body.get("as_path");
        if (path == null || !path.isArray() || path.isEmpty() || path.size() > 1000) {
            throw InvalidInputException.field("as_path", "must be a non-empty array of at most 1000 ASNs, neighbor first");
        }
        long[] asns = new long[path.size()];
        for (int i = 0; i < asns.length; i++) {
            asns[i] = asnField("as_path[" + i + "]", path.get(i));
        }
        String direction = body.path("direction").asText("upstream");
        if (!direction.equals("upstream") && !direction.equals("downstream")) {
            throw InvalidInputException.field("direction", "must be upstream (from a customer, peer or route server)"
                    + " or downstream (from a provider)");
        }
        // A boolean or absent: read leniently, "yes" would be false and the path judged as if it had no AS_SET.
        JsonNode asSet = body.path("has_as_set");
        if (!asSet.isMissingNode() && !asSet.isNull() && !asSet.isBoolean()) {
            throw InvalidInputException.field("has_as_set", "must be true or false");
        }
        RpkiView view = rpki.view();
        AspaVerifier.Outcome outcome = view.aspa().verify(asns, asSet.asBoolean(false), direction.equals("downstream"));
        ctx.json(Map.of("state", outcome.label(), "direction", direction, "serial",
                Integer.toUnsignedLong(view.version().serial())));
    }

    private void validity(Context ctx) {
        routinatorValidity(ctx, ctx.pathParam("asn"), ctx.pathParam("address") + "/" + ctx.pathParam("length"));
    }

    private void validityQuery(Context ctx) {
        for (String required : List.of("asn", "prefix")) {
            if (ctx.queryParam(required) == null) {
                throw InvalidInputException.parameter(required, "required");
            }
        }
        routinatorValidity(ctx, ctx.queryParam("asn"), ctx.queryParam("prefix"));
    }

    /** Routinator's {@code /api/v1/validity} answer. */
    private void routinatorValidity(Context ctx, String asnText, String prefixText) {
        long asn = asnParameter("asn", asnText);
        IpPrefix prefix = prefixParameter("prefix", prefixText);
        RpkiView view = rpki.view();
        ctx.json(ValidityOutput.routinator(view.roas().validate(prefix, asn), view.version().updatedAt()));
    }

    private void refresh(Context ctx) {
        int before = rpki.view().version().serial();
        boolean changed = rpki.refreshNow();
        Version v = rpki.view().version();
        ctx.json(Map.of("changed", changed, "previous_serial", Integer.toUnsignedLong(before), "serial",
                Integer.toUnsignedLong(v.serial()), "vrp_count", v.snapshot().vrps().size()));
    }

    private void sources(Context ctx) {
        ctx.json(Map.of("sources", rpki.updater().sourceStates()));
    }

    /** The routers connected to the RTR server, longest connected first, in the shared list shape. */
    private void rtrClients(Context ctx) {
        ctx.json(Page.of(ctx, rpki.rtrConnections().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", c.address());
            m.put("port", c.port());
            m.put("connected_at", c.connectedAt());
            m.put("version", c.version());
            m.put("serial", c.lastSerial());
            return m;
        }).toList()));
    }

    private void slurm(Context ctx) {
        var current = rpki.updater().slurm().current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("files", rpki.updater().slurm().states().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", s.path().toString());
            m.put("loaded", s.loaded());
            m.put("loaded_at", s.loadedAt());
            m.put("error", s.error());
            m.put("prefix_filters", s.prefixFilters());
            m.put("prefix_assertions", s.prefixAssertions());
            m.put("bgpsec_filters", s.bgpsecFilters());
            m.put("bgpsec_assertions", s.bgpsecAssertions());
            m.put("aspa_filters", s.aspaFilters());
            m.put("aspa_assertions", s.aspaAssertions());
            return m;
        }).toList());
        body.put("prefix_filters", current.prefixFilters().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prefix", f.prefix() == null ? null : f.prefix().toString());
            m.put("asn", f.asn());
            m.put("comment", f.comment());
            return m;
        }).toList());
        body.put("prefix_assertions", current.prefixAssertions().stream().map(a -> {
            Map<String, Object> m = ValidityOutput.vrp(a.vrp());
            m.put("comment", a.comment());
            return m;
        }).toList());
        body.put("aspa_filters", current.aspaFilters().stream().map(f -> f.customer()).toList());
        body.put("aspa_assertions", current.aspaAssertions().stream().map(a -> aspaJson(a.aspa())).toList());
        ctx.json(body);
    }

    /** ETag by session and serial: the export changes exactly when one of them does. */
    private boolean notModified(Context ctx, Version v, String format) {
        String etag = "\"" + v.sessionId() + "-" + Integer.toUnsignedString(v.serial()) + "-" + format + "\"";
        ctx.header("ETag", etag);
        String match = ctx.header("If-None-Match");
        if (match != null && (match.equals(etag) || match.equals("*"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return true;
        }
        return false;
    }

    private void exportJson(Context ctx) {
        Version v = rpki.view().version();
        if (notModified(ctx, v, "json")) {
            return;
        }
        Instant generated = Optional.ofNullable(rpki.updater().dataTime()).orElse(v.updatedAt());
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 70 * v.snapshot().vrps().size());
        try {
            VrpJsonOutput.write(v.snapshot(), generated, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.contentType("application/json").result(out.toByteArray());
    }

    private void exportCsv(Context ctx) {
        Version v = rpki.view().version();
        if (notModified(ctx, v, "csv")) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(40 + 40 * v.snapshot().vrps().size());
        try {
            VrpCsvOutput.write(v.snapshot().vrps(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.contentType("text/csv; charset=utf-8").result(out.toByteArray());
    }
}

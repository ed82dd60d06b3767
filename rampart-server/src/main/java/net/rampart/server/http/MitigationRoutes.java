package net.rampart.server.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.bgp.BgpSession;
import net.rampart.mitigation.event.AlertmanagerWebhook;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackEventParser;
import net.rampart.mitigation.event.FastNetMonNotification;
import net.rampart.mitigation.event.InvalidEventException;
import net.rampart.mitigation.lifecycle.DuplicateEventException;
import net.rampart.mitigation.lifecycle.EventResult;
import net.rampart.mitigation.lifecycle.GuardrailRefusedException;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationNotFoundException;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.policy.PolicySource;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.server.mitigation.MitigationJson;
import net.rampart.server.mitigation.MitigationService;
import net.rampart.server.security.ApiGuard;
import net.rampart.store.mitigation.EventFilter;
import net.rampart.store.mitigation.MitigationStoreException;
import net.rampart.store.mitigation.PostgresAuditLog.AuditFilter;
import net.rampart.store.mitigation.PostgresAuditLog.StoredAuditEntry;
import net.rampart.store.mitigation.ReceivedEvent;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mitigation API: events from detectors (own format, FastNetMon, Alertmanager), mitigations,
 * the safelist, policy reload, statistics and POPs. Every field and error is listed in
 * docs/mitigation.md.
 */
public final class MitigationRoutes implements ApiRoutes {

    private static final Logger log = LoggerFactory.getLogger(MitigationRoutes.class);

    /** Own-format events: the detector's raw details are free text, kept as JSON. */
    private static final Consumer<JsonNode> EVENT_TEXT = body -> TextLimits.body(body,
            Map.of("event_id", TextLimits.NAME, "source", TextLimits.SOURCE, "raw_details", TextLimits.RAW_DETAILS),
            Set.of("raw_details"));
    /** FastNetMon's whole notification is kept as the event's raw details. */
    private static final Consumer<JsonNode> FASTNETMON_TEXT = body -> {
        TextLimits.body(body, Map.of(), Set.of());
        TextLimits.jsonText("body", body, TextLimits.RAW_DETAILS);
    };
    /** Each alert is kept as its event's raw details; annotations are Alertmanager's free text. */
    private static final Consumer<JsonNode> ALERTMANAGER_TEXT = body -> {
        TextLimits.body(body, Map.of(), Set.of("annotations", "commonAnnotations"));
        JsonNode alerts = body.path("alerts");
        if (alerts.isArray()) {
            for (int i = 0; i < alerts.size(); i++) {
                TextLimits.jsonText("alerts[" + i + "]", alerts.get(i), TextLimits.RAW_DETAILS);
            }
        }
    };
    /** Withdrawals and safelist entries: who did it and why, both kept in the audit trail. */
    private static final Consumer<JsonNode> OPERATOR_TEXT = body -> TextLimits.body(body,
            Map.of("operator", TextLimits.NAME, "reason", TextLimits.REASON), Set.of());

    /** Every action the audit log records (docs/mitigation.md, "Audit log"): a filter on another is a typo. */
    private static final String[] AUDIT_ACTIONS = {"mitigation_created", "mitigation_extended", "mitigation_escalated",
        "mitigation_withdrawn", "mitigation_expired", "guardrail_refused", "safelist_added", "safelist_removed",
        "policy_reloaded", "policy_reload_refused"};

    private final MitigationService api;
    private final ObjectMapper json;
    private final TokenBucket limiter;

    public MitigationRoutes(MitigationService api, ObjectMapper json) {
        this.api = api;
        this.json = json;
        this.limiter = new TokenBucket(api.config().eventsPerSecond(), api.config().eventsPerSecond());
    }

    @Override
    public void register(RouteTable routes) {
        routes.post("/api/v1/events", guarded(this::postEvent));
        routes.post("/api/v1/events/fastnetmon", guarded(this::postFastNetMon));
        routes.post("/api/v1/events/alertmanager", guarded(this::postAlertmanager));
        routes.get("/api/v1/mitigations", guarded(this::listMitigations));
        routes.get("/api/v1/mitigations/{id}", guarded(this::showMitigation));
        routes.post("/api/v1/mitigations/{id}/withdraw", guarded(this::withdraw));
        routes.get("/api/v1/safelist", guarded(this::listSafelist));
        routes.post("/api/v1/safelist", guarded(this::addSafelist));
        routes.delete("/api/v1/safelist", guarded(this::removeSafelist));
        routes.post("/api/v1/reload", guarded(this::reload));
        routes.get("/api/v1/stats", guarded(this::stats));
        routes.get("/api/v1/pops", guarded(this::pops));
        routes.get("/api/v1/mitigation/peers", guarded(this::peers));
        routes.get("/api/v1/events", guarded(this::listEvents));
        routes.get("/api/v1/audit", guarded(this::auditLog));
    }

    @Override
    public String openApiFragment() {
        return "openapi/mitigation.json";
    }

    private void postEvent(Context ctx) {
        JsonNode body = body(ctx, EVENT_TEXT);
        if (!rateAllows(ctx, 1)) {
            return;
        }
        AttackEvent event;
        try {
            event = AttackEventParser.parse(body, api.clock());
        } catch (InvalidEventException e) {
            invalidField(ctx, e);
            return;
        }
        answer(ctx, List.of(event));
    }

    private void postFastNetMon(Context ctx) {
        JsonNode body = body(ctx, FASTNETMON_TEXT);
        if (!rateAllows(ctx, 1)) {
            return;
        }
        try {
            answer(ctx, List.of(FastNetMonNotification.parse(body, api.clock())));
        } catch (InvalidEventException e) {
            invalidField(ctx, e);
        }
    }

    private void postAlertmanager(Context ctx) {
        JsonNode body = body(ctx, ALERTMANAGER_TEXT);
        List<AttackEvent> events;
        try {
            events = AlertmanagerWebhook.parse(body, api.clock());
        } catch (InvalidEventException e) {
            invalidField(ctx, e);
            return;
        }
        if (rateAllows(ctx, Math.max(1, events.size()))) {
            answer(ctx, events);
        }
    }

    /**
     * One event answers with its result or its error; a batch (Alertmanager) answers 202 with a
     * result or an error per event, since some may succeed where others are refused.
     */
    private void answer(Context ctx, List<AttackEvent> events) {
        if (events.size() == 1) {
            try {
                ctx.status(HttpStatus.ACCEPTED).json(result(api.engine().handle(events.get(0), submitter(ctx))));
            } catch (DuplicateEventException e) {
                error(ctx, HttpStatus.CONFLICT, "duplicate_event", e.getMessage());
            } catch (GuardrailRefusedException e) {
                ctx.status(HttpStatus.UNPROCESSABLE_CONTENT)
                        .json(ApiError.guardrailRefused(e.getMessage(), e.refusal().guardrail()));
            }
            return;
        }
        List<Object> results = new ArrayList<>();
        for (AttackEvent event : events) {
            try {
                results.add(result(api.engine().handle(event, submitter(ctx))));
            } catch (DuplicateEventException e) {
                results.add(new EventError(event.eventId(), new ApiError("duplicate_event", e.getMessage())));
            } catch (GuardrailRefusedException e) {
                results.add(new EventError(event.eventId(),
                        ApiError.guardrailRefused(e.getMessage(), e.refusal().guardrail())));
            }
        }
        ctx.status(HttpStatus.ACCEPTED).json(Map.of("results", results));
    }

    /** One event of a batch that was refused: its id and the error it would have had alone, in one object. */
    record EventError(String eventId, @JsonUnwrapped ApiError error) {
    }

    private static Map<String, Object> result(EventResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event_id", r.eventId());
        out.put("mitigation_id", r.mitigationIds().isEmpty() ? null : r.mitigationIds().get(0));
        out.put("mitigation_ids", r.mitigationIds());
        out.put("outcome", r.outcome().wireName());
        out.put("dry_run", r.dryRun());
        return out;
    }

    /**
     * Mitigations, newest first, paged by key: the cursor names the last mitigation of the
     * previous page (see {@link Page#keyed}), so a mitigation created meanwhile shifts no page.
     */
    private void listMitigations(Context ctx) {
        String pop = popParam(ctx);
        MitigationStatus status = null;
        String statusText = ctx.queryParam("status");
        if (statusText != null && !statusText.equalsIgnoreCase("all")) {
            try {
                status = MitigationStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.parameter("status",
                        "'" + statusText + "' is not active, withdrawn, expired or all");
            }
        }
        int limit = Page.limit(ctx);
        String after = Page.key(ctx).orElse(null);
        // The store pages after any id it is given and answers an empty page for one it lacks: check it here.
        if (after != null && api.repository().find(after).isEmpty()) {
            throw Page.notHandedOut(ctx.queryParam("cursor"));
        }
        // One row more than the page says whether another page follows.
        List<Mitigation> rows = api.repository().list(pop, status, after, limit + 1);
        List<Mitigation> page = rows.subList(0, Math.min(limit, rows.size()));
        String nextKey = rows.size() > limit ? page.get(page.size() - 1).id() : null;
        ctx.json(Page.keyed(page.stream().map(MitigationJson::mitigation).toList(),
                api.repository().count(pop, status), nextKey));
    }

    private void showMitigation(Context ctx) {
        String id = ctx.pathParam("id");
        var m = api.repository().find(id);
        if (m.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "not_found", "no mitigation " + id);
            return;
        }
        Map<String, Object> out = MitigationJson.mitigation(m.get());
        out.put("audit", api.auditTrail(m.get().id(), 200).stream().map(MitigationRoutes::auditJson).toList());
        ctx.json(out);
    }

    private static Map<String, Object> auditJson(AuditEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", e.time());
        out.put("actor", e.actor());
        out.put("action", e.action());
        out.put("event_id", e.eventId());
        out.put("details", e.details());
        return out;
    }

    /** The whole audit log, newest first, paged by the id of the last entry seen. */
    private void auditLog(Context ctx) {
        AuditFilter filter = new AuditFilter(QueryParameters.text(ctx, "actor").orElse(null),
                QueryParameters.choice(ctx, "action", AUDIT_ACTIONS).orElse(null),
                QueryParameters.instant(ctx, "since").orElse(null));
        int limit = Page.limit(ctx);
        Long after = Page.key(ctx).map(key -> {
            try {
                return Long.parseLong(key);
            } catch (NumberFormatException e) {
                throw Page.notHandedOut(ctx.queryParam("cursor"));
            }
        }).orElse(null);
        List<StoredAuditEntry> rows = api.auditLog(filter, after, limit + 1);
        List<StoredAuditEntry> page = rows.subList(0, Math.min(limit, rows.size()));
        String nextKey = rows.size() > limit ? Long.toString(page.get(page.size() - 1).id()) : null;
        ctx.json(Page.keyed(page.stream().map(r -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", r.id());
            out.put("pop", r.entry().pop());
            out.put("mitigation_id", r.entry().mitigationId());
            out.putAll(auditJson(r.entry()));
            return out;
        }).toList(), api.auditCount(filter), nextKey));
    }

    /** Received events, newest first, paged by the id of the last event seen. */
    private void listEvents(Context ctx) {
        InetAddress victim = QueryParameters.text(ctx, "victim").map(text -> {
            try {
                return AddressText.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.parameter("victim", e.getMessage());
            }
        }).orElse(null);
        EventFilter filter = new EventFilter(victim, QueryParameters.text(ctx, "source").orElse(null),
                QueryParameters.instant(ctx, "since").orElse(null));
        int limit = Page.limit(ctx);
        String after = Page.key(ctx).orElse(null);
        List<ReceivedEvent> rows = api.events(filter, after, limit + 1)
                .orElseThrow(() -> Page.notHandedOut(ctx.queryParam("cursor")));
        List<ReceivedEvent> page = rows.subList(0, Math.min(limit, rows.size()));
        String nextKey = rows.size() > limit ? page.get(page.size() - 1).eventId() : null;
        ctx.json(Page.keyed(page.stream().map(MitigationRoutes::eventJson).toList(), api.eventCount(filter), nextKey));
    }

    private static Map<String, Object> eventJson(ReceivedEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event_id", e.eventId());
        out.put("received_at", e.receivedAt());
        out.put("timestamp", e.time());
        out.put("source", e.source());
        out.put("pop", e.pop());
        out.put("victim_ip", e.victimIp());
        out.put("vector", e.vector());
        out.put("action", e.action());
        out.put("bps", e.bps());
        out.put("pps", e.pps());
        out.put("confidence", e.confidence());
        out.put("protocol", e.protocol());
        out.put("top_dst_ports", e.topDstPorts());
        out.put("mitigation_ids", e.mitigationIds());
        return out;
    }

    private void withdraw(Context ctx) {
        JsonNode body = body(ctx, OPERATOR_TEXT);
        String operator = JsonBody.text(body, "operator");
        String reason = JsonBody.text(body, "reason");
        if (operator.isBlank()) {
            throw InvalidInputException.field("operator", "required");
        }
        if (reason.isBlank()) {
            throw InvalidInputException.field("reason", "required");
        }
        try {
            ctx.json(MitigationJson.mitigation(api.engine().withdraw(ctx.pathParam("id"), actor(ctx, operator), reason)));
        } catch (MitigationNotFoundException e) {
            error(ctx, HttpStatus.NOT_FOUND, "not_found", e.getMessage());
        }
    }

    private void listSafelist(Context ctx) {
        ctx.json(Page.of(ctx, api.safelist().stream().map(MitigationJson::safelistEntry).toList()));
    }

    private void addSafelist(Context ctx) {
        JsonNode body = body(ctx, OPERATOR_TEXT);
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(JsonBody.text(body, "prefix"));
            SafelistEntry.requireNarrowEnough(prefix);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.field("prefix", e.getMessage());
        }
        String operator = JsonBody.text(body, "operator");
        if (operator.isBlank()) {
            throw InvalidInputException.field("operator", "required");
        }
        SafelistEntry entry = new SafelistEntry(prefix, JsonBody.text(body, "reason"), actor(ctx, operator));
        api.addSafelist(entry);
        ctx.status(HttpStatus.CREATED).json(MitigationJson.safelistEntry(entry));
    }

    private void removeSafelist(Context ctx) {
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(ctx.queryParam("prefix") == null ? "" : ctx.queryParam("prefix"));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.parameter("prefix", e.getMessage());
        }
        String operator = ctx.queryParam("operator");
        if (operator == null || operator.isBlank()) {
            throw InvalidInputException.parameter("operator", "required");
        }
        TextLimits.parameter("operator", operator, TextLimits.NAME);
        if (!api.removeSafelist(prefix, actor(ctx, operator))) {
            error(ctx, HttpStatus.NOT_FOUND, "not_found", "no safelist entry " + prefix + " was added through the API");
            return;
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private void reload(Context ctx) {
        // A blank operator is none, as with every parameter: the audit log never names an empty operator.
        String operator = QueryParameters.text(ctx, "operator").orElse("api");
        TextLimits.parameter("operator", operator, TextLimits.NAME);
        PolicySource.ReloadResult r = api.reload(actor(ctx, operator));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applied", r.applied());
        out.put("problems", r.problems());
        out.put("customers", r.customers());
        out.put("playbooks", r.playbooks());
        out.put("at", r.at());
        ctx.status(r.applied() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_CONTENT).json(out);
    }

    private void stats(Context ctx) {
        String pop = popParam(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pop", pop == null ? "all" : pop);
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        for (MitigationStatus s : MitigationStatus.values()) {
            byStatus.put(s.name().toLowerCase(Locale.ROOT), api.repository().count(pop, s));
        }
        out.put("mitigations", byStatus);
        out.put("dry_run", api.config().dryRun());
        out.put("sessions_established", api.sessions().stream().filter(s -> s.established()).count());
        out.put("quotas", api.quotas().stream().map(q -> {
            Map<String, Object> quota = new LinkedHashMap<>();
            quota.put("guardrail", q.guardrail());
            quota.put("subject", q.subject());
            quota.put("used", q.used());
            quota.put("limit", q.limit());
            return quota;
        }).toList());
        ctx.json(out);
    }

    private void pops(Context ctx) {
        List<Map<String, Object>> items = new ArrayList<>();
        boolean selfListed = false;
        for (var p : api.pops()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("pop", p.pop());
            item.put("self", p.pop().equals(api.config().pop()));
            item.put("active", p.active());
            item.put("total", p.total());
            item.put("last_change", p.lastChange());
            selfListed |= p.pop().equals(api.config().pop());
            items.add(item);
        }
        if (!selfListed) {
            Map<String, Object> self = new LinkedHashMap<>();
            self.put("pop", api.config().pop());
            self.put("self", true);
            self.put("active", 0);
            self.put("total", 0);
            self.put("last_change", null);
            items.add(self);
        }
        ctx.json(Page.of(ctx, items));
    }

    private void peers(Context ctx) {
        List<Map<String, Object>> items = api.sessions().stream().map(s -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("peer", s.peer());
            item.put("established", s.established());
            item.put("announced", s.established() ? s.announced().size() : 0);
            if (s instanceof BgpSession bgp) {
                item.put("state", bgp.state().name().toLowerCase(Locale.ROOT));
                item.put("last_error", bgp.lastError().isEmpty() ? null : bgp.lastError());
            }
            return item;
        }).toList();
        ctx.json(Page.of(ctx, items));
    }

    /** {@code ?pop=all} is every POP; no parameter is this instance's POP. */
    private String popParam(Context ctx) {
        String pop = ctx.queryParam("pop");
        if (pop == null || pop.isBlank()) {
            return api.config().pop();
        }
        return pop.equals("all") ? null : pop;
    }

    private boolean rateAllows(Context ctx, int events) {
        long retryAfter = limiter.tryAcquire(events);
        if (retryAfter == 0) {
            return true;
        }
        ctx.header("Retry-After", Long.toString(retryAfter));
        error(ctx, HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "too many events; retry after " + retryAfter + " s");
        return false;
    }

    /**
     * The JSON object in the body, its text checked by {@code text}.
     *
     * @throws InvalidInputException when it is not a JSON object, or {@code text} refuses a field
     */
    private JsonNode body(Context ctx, Consumer<JsonNode> text) {
        JsonNode body = JsonBody.object(json, ctx, "the body must be a JSON object");
        text.accept(body);
        return body;
    }

    /** The token an event came with, for the audit log; null when the API is open. */
    private static String submitter(Context ctx) {
        return ApiGuard.principal(ctx).map(p -> p.actor()).orElse(null);
    }

    /** Who made a change, for the audit log: the operator the request names, and the token it came with. */
    private static String actor(Context ctx, String operator) {
        return "operator:" + operator + ApiGuard.principal(ctx).map(p -> " via " + p.actor()).orElse("");
    }

    private static void invalidField(Context ctx, InvalidEventException e) {
        ctx.status(HttpStatus.BAD_REQUEST).json(ApiError.naming("invalid_field", e.getMessage(), e.field()));
    }

    private static void error(Context ctx, HttpStatus status, String code, String detail) {
        ctx.status(status).json(new ApiError(code, detail));
    }

    /** Store failures are the database's, not the caller's: 503 with Retry-After, so detectors retry. */
    private static io.javalin.http.Handler guarded(io.javalin.http.Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (MitigationStoreException e) {
                DatabaseUnavailable.answer(ctx, e, "the mitigation store failed");
            }
        };
    }
}

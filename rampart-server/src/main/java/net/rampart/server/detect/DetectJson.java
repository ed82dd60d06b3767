package net.rampart.server.detect;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.monitor.AsnSet;
import net.rampart.detect.monitor.FlapDamping;
import net.rampart.detect.monitor.Group;
import net.rampart.detect.monitor.MonitoredAsn;
import net.rampart.detect.monitor.MonitoredPrefix;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.PathRule;
import net.rampart.detect.route.SuppressedRoute;
import net.rampart.wire.DurationText;

/** Alerts and monitors as the API answers them; every field is listed in docs/detection.md and the OpenAPI document. */
public final class DetectJson {

    private DetectJson() {
    }

    /**
     * A change of an alert ({@code opened}, {@code updated}, {@code resolved}) with the alert as
     * lists show it: the dashboard's live stream and the Kafka feed send the same document.
     */
    public static Map<String, Object> alertChange(String change, Alert alert) {
        return Map.of("change", change, "alert", alert(alert));
    }

    /** An alert as lists show it: what it is about and where it stands, without evidence or timeline. */
    public static Map<String, Object> alert(Alert a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("type", a.type().wireName());
        out.put("key", a.key());
        out.put("state", state(a.state()));
        out.put("prefix", a.finding().prefix().toString());
        out.put("monitored_prefix", a.finding().monitoredPrefix() == null ? null
                : a.finding().monitoredPrefix().toString());
        out.put("asn", a.finding().asn() < 0 ? null : a.finding().asn());
        out.put("taxonomy", a.finding().taxonomy() == null ? null : a.finding().taxonomy().toString());
        out.put("group", a.finding().group());
        out.put("summary", a.finding().summary());
        out.put("acknowledged_by", a.acknowledgedBy());
        out.put("opened_at", Instant.ofEpochMilli(a.openedAt()));
        out.put("updated_at", Instant.ofEpochMilli(a.updatedAt()));
        out.put("sightings", a.sightings());
        return out;
    }

    /** An alert with its evidence, oldest first, and its timeline. */
    public static Map<String, Object> alertWithHistory(Alert a) {
        Map<String, Object> out = alert(a);
        out.put("evidence", evidence(a));
        out.put("timeline", a.timeline().stream().map(DetectJson::change).toList());
        return out;
    }

    public static String state(AlertState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The alert's evidence, oldest first. */
    public static List<Map<String, Object>> evidence(Alert a) {
        return a.evidence().stream().map(DetectJson::evidence).toList();
    }

    private static Map<String, Object> evidence(Evidence e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.ofEpochMilli(e.timeMillis()));
        out.put("vantage_point", e.vantagePoint());
        out.put("prefix", e.prefix().toString());
        out.put("as_path", e.asPath());
        return out;
    }

    private static Map<String, Object> change(AlertChange c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.ofEpochMilli(c.timeMillis()));
        out.put("state", state(c.state()));
        out.put("by", c.by());
        out.put("note", c.note());
        return out;
    }

    /** A route the flap detector holds suppressed, as {@code GET /api/v1/monitors/flaps} lists it. */
    public static Map<String, Object> suppressedRoute(SuppressedRoute r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", r.prefix().toString());
        out.put("monitored_prefix", r.monitoredPrefix().toString());
        out.put("vantage_point", r.vantagePoint());
        out.put("figure_of_merit", Math.round(r.figureOfMerit()));
        out.put("updated_at", Instant.ofEpochMilli(r.updatedAt()));
        out.put("suppressed_at", Instant.ofEpochMilli(r.suppressedAt()));
        out.put("reuse_at", Instant.ofEpochMilli(r.reuseAt()));
        out.put("withdrawn", r.withdrawn());
        return out;
    }

    /** What {@code GET /api/v1/monitors} answers with detection on. */
    public static Map<String, Object> monitors(MonitorsFile file) {
        MonitorsFile.Loaded loaded = file.current();
        Monitors m = loaded.monitors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", true);
        out.put("file", file.path().toString());
        out.put("loaded_at", loaded.at());
        out.put("last_reload", file.lastReload().map(r -> {
            Map<String, Object> reload = new LinkedHashMap<>();
            reload.put("applied", r.applied());
            reload.put("problems", r.problems());
            reload.put("at", r.at());
            return reload;
        }).orElse(null));
        out.put("visibility", Map.of("min_vantage_points", m.minVantagePoints()));
        out.put("flap_damping", flapDamping(m.flapDamping()));
        out.put("rpki", Map.of("expiry_warning", DurationText.format(m.rpkiExpiryWarning())));
        out.put("prefixes", m.prefixes().stream().map(DetectJson::prefix).toList());
        out.put("asns", m.asns().stream().map(DetectJson::asn).toList());
        out.put("groups", m.groups().values().stream()
                .sorted(Comparator.comparing(Group::name))
                .map(g -> Map.of("name", g.name(), "channels", g.channels())).toList());
        return out;
    }

    private static Map<String, Object> flapDamping(FlapDamping d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("withdrawal_penalty", d.withdrawalPenalty());
        out.put("readvertisement_penalty", d.readvertisementPenalty());
        out.put("attribute_change_penalty", d.attributeChangePenalty());
        out.put("suppress_threshold", d.suppressThreshold());
        out.put("reuse_threshold", d.reuseThreshold());
        out.put("half_life", DurationText.format(d.halfLife()));
        out.put("max_suppress_time", DurationText.format(d.maxSuppressTime()));
        return out;
    }

    /** What {@code GET /api/v1/monitors} answers with detection off: the same fields, empty. */
    public static Map<String, Object> detectionOff() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", false);
        out.put("file", null);
        out.put("loaded_at", null);
        out.put("last_reload", null);
        out.put("visibility", null);
        out.put("flap_damping", null);
        out.put("rpki", null);
        out.put("prefixes", List.of());
        out.put("asns", List.of());
        out.put("groups", List.of());
        return out;
    }

    private static Map<String, Object> prefix(MonitoredPrefix p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", p.prefix().toString());
        out.put("origins", asns(p.origins()));
        out.put("description", p.description());
        out.put("group", p.group());
        out.put("ignore_more_specifics", p.ignoreMoreSpecifics());
        out.put("path", p.pathRules().stream().map(DetectJson::pathRule).toList());
        out.put("exclude", p.exclude().stream().map(AlertType::wireName).sorted().toList());
        out.put("min_vantage_points", p.minVantagePoints().isPresent() ? p.minVantagePoints().getAsInt() : null);
        return out;
    }

    private static Map<String, Object> pathRule(PathRule r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("match", r.match().map(Pattern::pattern).orElse(null));
        out.put("not_match", r.notMatch().map(Pattern::pattern).orElse(null));
        out.put("min_length", r.minLength().isPresent() ? r.minLength().getAsInt() : null);
        out.put("max_length", r.maxLength().isPresent() ? r.maxLength().getAsInt() : null);
        return out;
    }

    private static Map<String, Object> asn(MonitoredAsn a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asn", a.asn());
        out.put("upstreams", asns(a.upstreams()));
        out.put("downstreams", asns(a.downstreams()));
        out.put("peers", asns(a.peers()));
        out.put("group", a.group());
        return out;
    }

    private static List<Long> asns(AsnSet set) {
        return Arrays.stream(set.toArray()).boxed().toList();
    }
}

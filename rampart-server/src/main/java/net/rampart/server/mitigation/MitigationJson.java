package net.rampart.server.mitigation;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.wire.ip.AddressText;

/** The API's JSON shape of mitigations and rules (documented in docs/mitigation.md). */
public final class MitigationJson {

    private MitigationJson() {
    }

    /**
     * A change of a mitigation's lifecycle with the mitigation after it: the dashboard's live
     * stream and the Kafka feed send the same document.
     */
    public static Map<String, Object> mitigationChange(MitigationListener.Change change, Mitigation after) {
        return Map.of("change", change.name().toLowerCase(Locale.ROOT), "mitigation", mitigation(after));
    }

    public static Map<String, Object> mitigation(Mitigation m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("pop", m.pop());
        out.put("customer_id", m.customerId());
        out.put("victim_ip", AddressText.of(m.victim()));
        out.put("vector", m.vector().wireName());
        out.put("playbook", m.playbook());
        out.put("step", m.stepIndex());
        out.put("status", m.status().name().toLowerCase(Locale.ROOT));
        out.put("dry_run", m.dryRun());
        out.put("rule", rule(m.rule()));
        out.put("created_at", m.createdAt());
        out.put("updated_at", m.updatedAt());
        out.put("expires_at", m.expiresAt());
        out.put("first_event_at", m.firstEventAt());
        out.put("last_event_at", m.lastEventAt());
        out.put("event_count", m.eventCount());
        out.put("last_confidence", m.lastConfidence().isPresent() ? m.lastConfidence().getAsDouble() : null);
        out.put("ended_at", m.endedAt());
        out.put("ended_by", m.endedBy());
        out.put("end_reason", m.endReason());
        return out;
    }

    public static Map<String, Object> rule(FlowSpecRule rule) {
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("destination", rule.match().destination().toString());
        match.put("protocol", rule.match().ipProtocol().isPresent() ? rule.match().ipProtocol().getAsInt() : null);
        match.put("destination_ports", rule.match().destinationPorts());
        match.put("tcp_flags", rule.match().tcpFlagsSyn() ? "syn" : null);
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("type", rule.action().kind());
        switch (rule.action()) {
            case FlowAction.TrafficRate r -> {
                action.put("bytes_per_second", decimal(r.bytesPerSecond()));
                action.put("rate_bps", (long) r.bytesPerSecond() * 8);
            }
            case FlowAction.Redirect r -> action.put("route_target", r.routeTarget());
            case FlowAction.MarkDscp d -> action.put("dscp", d.dscp());
            case FlowAction.Discard d -> {
                // discard has no parameters
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("match", match);
        out.put("action", action);
        return out;
    }

    /**
     * A float as a decimal, which the API mapper writes plain (12500000 or 12.5), where Jackson
     * writes a float as 1.25E7. The float's shortest decimal form is kept, so the number is the
     * value sent on the wire.
     */
    static BigDecimal decimal(float value) {
        return new BigDecimal(Float.toString(value));
    }

    public static Map<String, Object> safelistEntry(SafelistEntry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prefix", e.prefix().toString());
        out.put("reason", e.reason());
        out.put("origin", e.origin());
        return out;
    }
}

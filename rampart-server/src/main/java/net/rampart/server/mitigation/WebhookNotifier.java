package net.rampart.server.mitigation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.server.notify.WebhookSender;
import net.rampart.server.notify.WebhookSender.Delivery;
import net.rampart.wire.ip.AddressText;

/**
 * Tells people when a mitigation is created, escalated or ends: a POST per configured webhook,
 * either Rampart's JSON or a Slack message, handed to a {@link WebhookSender}, which sends it
 * off the event's thread and retries it, so a dead receiver never slows mitigation down.
 */
public final class WebhookNotifier implements MitigationListener, AutoCloseable {

    /** Notifications waiting for the sender before further ones are dropped. */
    static final int MAX_PENDING = 1000;
    static final String METRIC = "rampart_mitigation_notifications_total";

    /** One receiver. */
    public record Webhook(Format format, URI url) {
    }

    public enum Format {
        JSON,
        SLACK
    }

    private final List<Webhook> webhooks;
    private final WebhookSender sender;
    private final ObjectMapper json;

    /** @param attempts how many POSTs a notification gets, the waits between them doubling from {@code firstBackoff} */
    public WebhookNotifier(List<Webhook> webhooks, int attempts, Duration firstBackoff, ObjectMapper json,
                           MeterRegistry metrics) {
        this.webhooks = List.copyOf(webhooks);
        this.sender = new WebhookSender("mitigation-webhooks", METRIC,
                "Mitigation notifications by webhook: sent, retried (a POST failed and is tried again), failed, "
                        + "dropped", MAX_PENDING, attempts, firstBackoff, metrics);
        this.json = json;
    }

    /**
     * Parses {@code RAMPART_MITIGATION_WEBHOOKS}: comma-separated {@code json:URL} or
     * {@code slack:URL}; a bare URL is JSON.
     */
    public static List<Webhook> parse(String text) {
        List<Webhook> hooks = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            Format format = Format.JSON;
            if (s.startsWith("slack:")) {
                format = Format.SLACK;
                s = s.substring("slack:".length());
            } else if (s.startsWith("json:")) {
                s = s.substring("json:".length());
            }
            URI url = URI.create(s);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not [json:|slack:]http(s)://host/path");
            }
            hooks.add(new Webhook(format, url));
        }
        return hooks;
    }

    /**
     * How metrics and logs name the webhook at {@code index} of {@code RAMPART_MITIGATION_WEBHOOKS}:
     * its format and place ({@code slack-2}), never its URL, which for Slack holds the secret.
     */
    static String channel(Webhook hook, int index) {
        return hook.format().name().toLowerCase(Locale.ROOT) + "-" + (index + 1);
    }

    @Override
    public void changed(Change change, Mitigation before, Mitigation after) {
        if (change == Change.EXTENDED || webhooks.isEmpty()) {
            return;
        }
        String event = "mitigation_" + change.name().toLowerCase(Locale.ROOT);
        for (int i = 0; i < webhooks.size(); i++) {
            Webhook hook = webhooks.get(i);
            String body;
            try {
                body = hook.format() == Format.SLACK ? slack(event, after) : json.writeValueAsString(
                        Map.of("event", event, "mitigation", MitigationJson.mitigation(after)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            sender.send(new Delivery(channel(hook, i), hook.url(), Map.of(), body, "mitigation " + after.id()));
        }
    }

    static String slackText(String event, Mitigation m) {
        String what = switch (event) {
            case "mitigation_created" -> ":rotating_light: Mitigation started";
            case "mitigation_escalated" -> ":arrow_double_up: Mitigation escalated";
            case "mitigation_expired" -> ":hourglass: Mitigation expired";
            default -> ":white_check_mark: Mitigation withdrawn";
        };
        String action = switch (m.rule().action()) {
            case FlowAction.TrafficRate r -> "police to " + (long) (r.bytesPerSecond() * 8) + " bit/s";
            case FlowAction.Discard d -> "discard";
            case FlowAction.Redirect r -> "redirect to " + r.routeTarget();
            case FlowAction.MarkDscp d -> "mark DSCP " + d.dscp();
        };
        StringBuilder sb = new StringBuilder(what).append(" at ").append(m.pop()).append(": ")
                .append(action).append(" for ").append(m.rule().match()).append(" (")
                .append(m.vector().wireName()).append(", victim ").append(AddressText.of(m.victim()));
        if (m.customerId() != null) {
            sb.append(", customer ").append(m.customerId());
        }
        sb.append(")");
        if (m.status().isActive()) {
            sb.append(", until ").append(m.expiresAt());
        } else if (m.endReason() != null) {
            sb.append(", by ").append(m.endedBy()).append(": ").append(m.endReason());
        }
        return sb.toString();
    }

    private String slack(String event, Mitigation m) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", slackText(event, m));
        return json.writeValueAsString(body);
    }

    @Override
    public void close() {
        sender.close();
    }
}

package net.rampart.server.mitigation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people when a mitigation is created, escalated or ends: a POST per configured webhook,
 * either Rampart's JSON or a Slack message, retried with backoff. Sent off the event's thread,
 * and at most {@link #MAX_PENDING} deliveries wait at once, so a dead receiver never slows
 * mitigation down; what does not fit is dropped and logged.
 */
public final class WebhookNotifier implements MitigationListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    static final int MAX_PENDING = 1000;

    /** One receiver. */
    public record Webhook(Format format, URI url) {
    }

    public enum Format {
        JSON,
        SLACK
    }

    private final List<Webhook> webhooks;
    private final int attempts;
    private final Duration firstBackoff;
    private final ObjectMapper json;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore pending = new Semaphore(MAX_PENDING);

    public WebhookNotifier(List<Webhook> webhooks, int attempts, Duration firstBackoff, ObjectMapper json) {
        this.webhooks = List.copyOf(webhooks);
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
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

    @Override
    public void changed(Change change, Mitigation before, Mitigation after) {
        if (change == Change.EXTENDED || webhooks.isEmpty()) {
            return;
        }
        String event = "mitigation_" + change.name().toLowerCase(Locale.ROOT);
        for (Webhook hook : webhooks) {
            String body;
            try {
                body = hook.format() == Format.SLACK ? slack(event, after) : json.writeValueAsString(
                        Map.of("event", event, "mitigation", MitigationJson.mitigation(after)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            if (!pending.tryAcquire()) {
                log.atWarn().addKeyValue("event", "webhook_dropped").addKeyValue("url", hook.url().toString())
                        .addKeyValue("mitigation_id", after.id()).log("Webhook queue full; notification dropped");
                continue;
            }
            senders.execute(() -> {
                try {
                    deliver(hook, body, after.id());
                } finally {
                    pending.release();
                }
            });
        }
    }

    private void deliver(Webhook hook, String body, String mitigationId) {
        HttpRequest request = HttpRequest.newBuilder(hook.url()).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Duration backoff = firstBackoff;
        String failure = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                failure = "HTTP " + status;
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        log.atWarn().addKeyValue("event", "webhook_failed").addKeyValue("url", hook.url().toString())
                .addKeyValue("mitigation_id", mitigationId).addKeyValue("attempts", attempts)
                .addKeyValue("reason", failure).log("Webhook not delivered");
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
        senders.shutdown();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
    }
}

package net.rampart.server.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.monitor.Channel;
import net.rampart.detect.monitor.Monitors;
import net.rampart.server.notify.WebhookSender;
import net.rampart.server.notify.WebhookSender.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Prometheus Alertmanagers of alerts through their API v2, and keeps telling them while
 * an alert is active: Alertmanager takes an alert sent without {@code endsAt} to end at its
 * {@code resolve_timeout} unless it is sent again, as Prometheus sends a firing alert again on
 * every evaluation. A resolved or ignored alert is sent once more with its {@code endsAt}.
 *
 * <p>The detection thread only records what it sent and queues the POST; a scheduled thread of
 * its own looks every second for alerts whose channel's {@code resend_interval} has passed and
 * queues them again, so neither a slow Alertmanager nor the re-sending holds detection up.
 */
final class AlertmanagerNotices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertmanagerNotices.class);

    /** How often the re-sending thread looks for what is due; well under any resend interval allowed. */
    static final Duration TICK = Duration.ofSeconds(1);

    /** An alert told to one channel, and when it was last queued for it. */
    private record Told(String channel, long alertId) {
    }

    private record Sent(Alert alert, long atMillis) {
    }

    private final Supplier<Monitors> monitors;
    private final WebhookSender sender;
    private final ObjectMapper json;
    private final String alertsUrl;
    private final Clock clock;
    private final int evidence;
    private final Map<Told, Sent> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService resends = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().name("alertmanager-resend").daemon().unstarted(runnable));

    /** @param alertsUrl the API's alert URL but the id, for the link */
    AlertmanagerNotices(Supplier<Monitors> monitors, WebhookSender sender, ObjectMapper json, String alertsUrl,
                        Clock clock, int evidence) {
        this.monitors = monitors;
        this.sender = sender;
        this.json = json;
        this.alertsUrl = alertsUrl;
        this.clock = clock;
        this.evidence = evidence;
    }

    /** Starts the re-sending. */
    void start() {
        resends.scheduleWithFixedDelay(() -> {
            try {
                resendDue();
            } catch (RuntimeException e) {
                // A task that throws is never run again: one bad round must not end the re-sending.
                log.atWarn().addKeyValue("event", "alertmanager_resend_failed").setCause(e)
                        .log("Re-sending active alerts to Alertmanager failed; trying again next round");
            }
        }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /*
     * Each change to what a channel was told is made, and its POST queued, inside the map's
     * compute for that alert and channel: a re-send due at the moment the alert ends is then
     * queued before the end or not at all, never after it, which would fire it again.
     */

    /** An active alert, told to {@code channel} now and again every resend interval until it ends. */
    void firing(String channel, Channel.Alertmanager to, Alert alert) {
        active.compute(new Told(channel, alert.id()), (told, sent) -> {
            post(channel, to, alert, "firing");
            return new Sent(alert, clock.millis());
        });
    }

    /**
     * The alert changed: new evidence or an acknowledgement go with the next re-send; an ignored
     * alert ends for Alertmanager (silences are its own way to quiet one), and an ignored alert
     * taken back fires again.
     */
    void updated(String channel, Channel.Alertmanager to, Alert alert) {
        Told told = new Told(channel, alert.id());
        if (!live(alert)) {
            active.computeIfPresent(told, (t, sent) -> {
                post(channel, to, alert, "ended");
                return null;
            });
            return;
        }
        active.compute(told, (t, sent) -> {
            if (sent == null) {
                post(channel, to, alert, "firing");
                return new Sent(alert, clock.millis());
            }
            return new Sent(alert, sent.atMillis());
        });
    }

    /** The alert ended: told once more, with its end, and no longer re-sent. */
    void ended(String channel, Channel.Alertmanager to, Alert alert) {
        active.compute(new Told(channel, alert.id()), (told, sent) -> {
            post(channel, to, alert, "ended");
            return null;
        });
    }

    /**
     * Queues again each alert whose channel's resend interval has passed since it was last
     * queued. An alert whose channel a reload removed, or no longer routes it, is dropped:
     * Alertmanager ends it by itself at its resolve timeout.
     */
    void resendDue() {
        long now = clock.millis();
        Monitors current = monitors.get();
        for (Told told : active.keySet()) {
            active.computeIfPresent(told, (t, sent) -> {
                Optional<Channel.Alertmanager> to = channel(current, t.channel(), sent.alert());
                if (to.isEmpty()) {
                    return null;
                }
                if (now - sent.atMillis() < to.get().resendInterval().toMillis()) {
                    return sent;
                }
                post(t.channel(), to.get(), sent.alert(), "resent");
                return new Sent(sent.alert(), now);
            });
        }
    }

    private static Optional<Channel.Alertmanager> channel(Monitors monitors, String name, Alert alert) {
        return monitors.channels(alert.finding().group(), alert.type()).stream()
                .filter(c -> c.name().equals(name) && c.kind() instanceof Channel.Alertmanager)
                .map(c -> (Channel.Alertmanager) c.kind()).findFirst();
    }

    private void post(String channel, Channel.Alertmanager to, Alert alert, String what) {
        sender.send(new Delivery(channel, to.alertsUrl(), to.headers(), body(alert),
                "alert " + alert.id() + " " + what));
    }

    /** A JSON array of one postable alert, as Alertmanager's API v2 takes it. */
    String body(Alert alert) {
        try {
            return json.writeValueAsString(List.of(alert(alert)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> alert(Alert a) {
        String link = alertsUrl + a.id();
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("alertname", "rampart_" + a.type().wireName());
        labels.put("key", a.key());
        labels.put("type", a.type().wireName());
        labels.put("prefix", a.finding().prefix().toString());
        labels.put("group", a.finding().group());
        labels.put("severity", a.type().hijack() ? "critical" : "warning");
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("summary", a.finding().summary());
        annotations.put("description", description(a));
        annotations.put("link", link);
        if (a.finding().taxonomy() != null) {
            annotations.put("taxonomy", a.finding().taxonomy().toString());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", labels);
        out.put("annotations", annotations);
        out.put("startsAt", Instant.ofEpochMilli(a.openedAt()));
        if (!live(a)) {
            out.put("endsAt", Instant.ofEpochMilli(a.timeline().getLast().timeMillis()));
        }
        out.put("generatorURL", link);
        return out;
    }

    /** Whether Alertmanager should hold the alert as firing: open or acknowledged, not ignored or resolved. */
    static boolean live(Alert a) {
        return a.state() == AlertState.OPEN || a.state() == AlertState.ACKNOWLEDGED;
    }

    /** The last timeline note (the summary, or how it ended), then where it was seen last. */
    private String description(Alert a) {
        AlertChange last = a.timeline().getLast();
        // A person's change may have no note: then say what it was, and who.
        StringBuilder out = new StringBuilder(last.note().isBlank()
                ? DetectJson.state(last.state()) + " by " + last.by() : last.note());
        if (a.acknowledgedBy() != null && a.state() == AlertState.ACKNOWLEDGED) {
            out.append(" (acknowledged by ").append(a.acknowledgedBy()).append(')');
        }
        out.append(". ").append(a.sightings()).append(a.sightings() == 1 ? " sighting" : " sightings")
                .append(", latest:");
        for (Evidence e : AlertText.latestEvidence(a, evidence)) {
            out.append('\n').append(AlertText.seenAt(e));
        }
        return out.toString();
    }

    @Override
    public void close() {
        resends.shutdownNow();
    }
}

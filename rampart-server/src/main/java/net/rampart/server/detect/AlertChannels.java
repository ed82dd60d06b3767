package net.rampart.server.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertListener;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.monitor.Channel;
import net.rampart.detect.monitor.Monitors;
import net.rampart.server.Component;
import net.rampart.server.notify.SmtpClient;
import net.rampart.server.notify.SyslogMessage;
import net.rampart.server.notify.WebhookSender;
import net.rampart.server.notify.WebhookSender.Delivery;

/**
 * Sends each alert that opens or resolves to the channels of its group that hear of its type,
 * each as its kind says: a webhook's JSON, a Slack message, an RFC 5424 syslog message, a mail,
 * or an Alertmanager alert, which {@link AlertmanagerNotices} goes on re-sending while it is
 * active. An update is not sent: every new route showing the condition updates the alert, and
 * a receiver would drown in them. Runs on the thread that changed the alert, so it only queues:
 * every delivery is made, and retried, by the one sender thread.
 */
public final class AlertChannels implements AlertListener, Component {

    static final String METRIC = "rampart_detect_notifications_total";

    /** How many of an alert's latest evidence a notification carries; the link leads to the rest. */
    static final int EVIDENCE = 5;
    /** How long a syslog receiver over TCP has to accept the connection and the message. */
    static final Duration SYSLOG_TIMEOUT = Duration.ofSeconds(10);
    /** How long an SMTP server has to connect and to answer each command. */
    static final Duration MAIL_TIMEOUT = Duration.ofSeconds(30);
    /** The PROCID of syslog messages: this process, so that a receiver tells restarts apart. */
    private static final String PROC_ID = Long.toString(ProcessHandle.current().pid());

    private final Supplier<Monitors> monitors;
    private final WebhookSender sender;
    private final ObjectMapper json;
    private final String alertsUrl;
    private final AlertmanagerNotices alertmanagers;
    /** This host, as syslog messages name their origin. */
    private final String hostname = SyslogMessage.localHostname();

    /**
     * @param monitors  the monitors in force, whose groups and channels may change on reload
     * @param publicUrl where people reach this service's API, for the link to the alert
     */
    public AlertChannels(Supplier<Monitors> monitors, WebhookSender sender, ObjectMapper json, URI publicUrl) {
        this(monitors, sender, json, publicUrl, Clock.systemUTC());
    }

    /** @param clock when an Alertmanager re-send is due */
    public AlertChannels(Supplier<Monitors> monitors, WebhookSender sender, ObjectMapper json, URI publicUrl,
                         Clock clock) {
        this.monitors = monitors;
        this.sender = sender;
        this.json = json;
        this.alertsUrl = publicUrl.toString().replaceAll("/+$", "") + "/api/v1/alerts/";
        this.alertmanagers = new AlertmanagerNotices(monitors, sender, json, alertsUrl, clock, EVIDENCE);
    }

    /**
     * The alerts that were active before a restart: each Alertmanager channel is told of them
     * again, and goes on being told, as if they had just opened. The other channels heard of
     * them when they opened.
     */
    public void resume(List<Alert> alerts) {
        for (Alert alert : alerts) {
            if (AlertmanagerNotices.live(alert)) {
                forAlertmanagers(alert, (name, to) -> alertmanagers.firing(name, to, alert));
            }
        }
    }

    /** The sender alert notifications wait for, counted under {@code rampart_detect_notifications_total}. */
    public static WebhookSender sender(int capacity, int attempts, Duration firstBackoff, MeterRegistry metrics) {
        return new WebhookSender("alert-channels", METRIC,
                "Alert notifications by channel: sent, retried (a POST failed and is tried again), failed, dropped",
                capacity, attempts, firstBackoff, metrics);
    }

    @Override
    public String name() {
        return "alert-channels";
    }

    @Override
    public void start() {
        // The sender's thread runs from its making, so that no alert raised before the start is lost.
        alertmanagers.start();
    }

    /** Sends what is queued, for at most {@code drain}. */
    @Override
    public void stop(Duration drain) {
        alertmanagers.close();
        sender.close(drain);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void opened(Alert alert) {
        send("opened", alert);
    }

    @Override
    public void updated(Alert alert) {
        // Evidence, acknowledgements and ignores are in the API; channels hear of the start and the end.
        // An Alertmanager holds the alert's state, which an ignore ends, so it hears of the change.
        forAlertmanagers(alert, (name, to) -> alertmanagers.updated(name, to, alert));
    }

    @Override
    public void resolved(Alert alert) {
        send("resolved", alert);
    }

    private void send(String event, Alert alert) {
        List<Channel> channels = monitors.get().channels(alert.finding().group(), alert.type());
        if (channels.isEmpty()) {
            return;
        }
        String about = "alert " + alert.id() + " " + event;
        String webhookBody = null;
        for (Channel channel : channels) {
            switch (channel.kind()) {
                case Channel.Webhook hook -> {
                    webhookBody = webhookBody == null ? body(event, alert) : webhookBody;
                    sender.send(new Delivery(channel.name(), hook.url(), hook.headers(), webhookBody, about));
                }
                case Channel.Slack slack -> sender.send(new Delivery(channel.name(), slack.url(), Map.of(),
                        write(SlackAlertMessage.body(event, alert, alertsUrl + alert.id(), EVIDENCE)), about));
                case Channel.Syslog to -> {
                    byte[] message = syslog(event, alert, to.facility()).encode();
                    sender.send(channel.name(), about, () -> {
                        if (to.transport() == Channel.Syslog.Transport.TCP) {
                            SyslogMessage.sendTcp(to.host(), to.port(), message, SYSLOG_TIMEOUT);
                        } else {
                            SyslogMessage.sendUdp(to.host(), to.port(), message);
                        }
                    });
                }
                case Channel.Email mail -> {
                    String message = MailAlertMessage.message(event, alert, alertsUrl + alert.id(), EVIDENCE,
                            mail.from(), mail.to(), hostname);
                    sender.send(channel.name(), about, () -> mail(mail, message));
                }
                case Channel.Alertmanager to -> {
                    if ("opened".equals(event)) {
                        alertmanagers.firing(channel.name(), to, alert);
                    } else {
                        alertmanagers.ended(channel.name(), to, alert);
                    }
                }
            }
        }
    }

    /** One try at sending {@code message}; the password and the trust are read now, so that new ones are used. */
    private void mail(Channel.Email mail, String message) throws IOException {
        Optional<SmtpClient.Login> login = Optional.empty();
        if (mail.username().isPresent()) {
            login = Optional.of(new SmtpClient.Login(mail.username().get(),
                    Files.readString(mail.passwordFile().orElseThrow()).strip()));
        }
        new SmtpClient(mail.host(), mail.port(), mail.starttlsRequired(), SmtpClient.trust(mail.caFile()),
                MAIL_TIMEOUT, hostname).send(mail.from(), mail.to(), message, login);
    }

    /** Queues the Alertmanager re-sends that are due, as the scheduled thread does every second. */
    void resendDue() {
        alertmanagers.resendDue();
    }

    private void forAlertmanagers(Alert alert, BiConsumer<String, Channel.Alertmanager> action) {
        for (Channel channel : monitors.get().channels(alert.finding().group(), alert.type())) {
            if (channel.kind() instanceof Channel.Alertmanager to) {
                action.accept(channel.name(), to);
            }
        }
    }

    /**
     * The RFC 5424 message: warning when the alert opens, notice when it resolves; its id, type,
     * key, prefix, group and link as structured data, under the documentation enterprise number
     * (RFC 5612), which no registered one can collide with; the summary or the restoration notice
     * as the text.
     */
    SyslogMessage syslog(String event, Alert alert, int facility) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", Long.toString(alert.id()));
        params.put("type", alert.type().wireName());
        params.put("key", alert.key());
        params.put("prefix", alert.finding().prefix().toString());
        params.put("group", alert.finding().group());
        params.put("link", alertsUrl + alert.id());
        AlertChange last = alert.timeline().getLast();
        boolean opened = "opened".equals(event);
        return new SyslogMessage(facility, opened ? SyslogMessage.WARNING : SyslogMessage.NOTICE,
                Instant.ofEpochMilli(last.timeMillis()), hostname, "rampart", PROC_ID, "alert_" + event,
                "alert@32473", params, opened ? last.note() : resolution(last));
    }

    /**
     * What a resolution says: the detector's restoration notice, or the note of whoever resolved
     * the alert by hand, which may be empty, and then who it was.
     */
    static String resolution(AlertChange resolved) {
        return resolved.note().isBlank() ? "Resolved by " + resolved.by() + "." : resolved.note();
    }

    /** {@code {"event": ..., "alert": ...}}: the alert as the API shows it, with what a notice needs besides. */
    private String body(String event, Alert alert) {
        Map<String, Object> out = DetectJson.alert(alert);
        AlertChange last = alert.timeline().getLast();
        out.put("resolved_at", alert.state() == AlertState.RESOLVED ? Instant.ofEpochMilli(last.timeMillis()) : null);
        out.put("notice", last.note());
        List<Map<String, Object>> evidence = DetectJson.evidence(alert);
        out.put("evidence", evidence.subList(Math.max(0, evidence.size() - EVIDENCE), evidence.size()));
        out.put("link", alertsUrl + alert.id());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("event", event);
        message.put("alert", out);
        return write(message);
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package net.rampart.server.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsLoader;
import net.rampart.mitigation.MutableClock;
import net.rampart.server.RampartService;
import net.rampart.server.notify.Receiver;
import net.rampart.server.notify.SyslogMessage;
import net.rampart.server.notify.TestSmtpServer;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts raised in a real {@link Alerts}, routed by group to webhooks at a real receiver. The
 * sender is stopped before anything is said of what did not arrive: stopping sends all it holds.
 */
class AlertChannelsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpPrefix NOC_PREFIX = IpPrefix.parse("192.0.2.0/24");
    private static final IpPrefix OPS_PREFIX = IpPrefix.parse("198.51.100.0/24");
    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = RampartService.jsonMapper();

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Alerts alerts = new Alerts(new InMemoryAlertStore(), 10);
    private final Receiver receiver;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private AlertChannels channels;

    AlertChannelsTest() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        if (channels != null) {
            channels.stop(WAIT);
        }
        receiver.close();
    }

    /** {@code noc} sends everything to /noc and hijacks to /pager; {@code default} sends to /ops. */
    private void start() throws Exception {
        start("""
                prefixes:
                  - {prefix: 192.0.2.0/24, origins: [AS64500], group: noc}
                  - {prefix: 198.51.100.0/24, origins: [AS64500]}
                groups:
                  noc: {channels: [noc-hook, noc-pager]}
                  default: {channels: [ops-hook]}
                channels:
                  noc-hook:
                    type: webhook
                    url: %s
                    headers: {Authorization: Bearer noc-secret}
                  noc-pager: {type: webhook, url: %s, types: [origin_hijack]}
                  ops-hook: {type: webhook, url: %s}
                """.formatted(receiver.url("/noc"), receiver.url("/pager"), receiver.url("/ops")));
    }

    private void start(String monitorsFile) throws Exception {
        Monitors monitors = new MonitorsLoader().parse(monitorsFile, "m.yaml");
        channels = new AlertChannels(() -> monitors, AlertChannels.sender(100, 3, Duration.ofMillis(1), metrics),
                JSON, URI.create("https://rampart.example.net/"), clock);
        alerts.addListener(channels);
    }

    private static Finding hijack(IpPrefix prefix, String group) {
        return new Finding(AlertType.ORIGIN_HIJACK, Finding.key(AlertType.ORIGIN_HIJACK, prefix, "AS64666"), prefix,
                prefix, 64666, Taxonomy.of(true, '0'), group, "AS64666 originates " + prefix);
    }

    private static Finding visibilityLoss(IpPrefix prefix, String group) {
        return new Finding(AlertType.VISIBILITY_LOSS, Finding.key(AlertType.VISIBILITY_LOSS, prefix, ""), prefix,
                prefix, -1, null, group, prefix + " is seen by 1 of 3 vantage points");
    }

    private static Evidence evidence(IpPrefix prefix, long time) {
        return new Evidence(time, "r1 198.51.100.1", prefix, "64510 64666");
    }

    private double count(String channel, String result) {
        Counter counter = metrics.find(AlertChannels.METRIC).tags("channel", channel, "result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    private JsonNode nextTo(String path) throws Exception {
        Receiver.Post post = receiver.next(WAIT);
        assertThat(post).as("a POST to " + path).isNotNull();
        assertThat(post.path()).isEqualTo(path);
        return JSON.readTree(post.body());
    }

    @Test
    void anOpenedAlertIsPostedToItsGroupsWebhookWithTheDocumentedBody() throws Exception {
        start();
        long id = alerts.report(visibilityLoss(NOC_PREFIX, "noc"), evidence(NOC_PREFIX, T0)).id();

        Receiver.Post post = receiver.next(WAIT);
        assertThat(post.path()).isEqualTo("/noc");
        assertThat(post.headers()).containsEntry("authorization", "Bearer noc-secret")
                .containsEntry("content-type", "application/json");
        JsonNode body = JSON.readTree(post.body());
        assertThat(body.path("event").asText()).isEqualTo("opened");
        JsonNode alert = body.path("alert");
        assertThat(alert.path("id").asLong()).isEqualTo(id);
        assertThat(alert.path("type").asText()).isEqualTo("visibility_loss");
        assertThat(alert.path("key").asText()).isEqualTo("visibility_loss|192.0.2.0/24");
        assertThat(alert.path("state").asText()).isEqualTo("open");
        assertThat(alert.path("prefix").asText()).isEqualTo("192.0.2.0/24");
        assertThat(alert.path("group").asText()).isEqualTo("noc");
        assertThat(alert.path("taxonomy").isNull()).isTrue();
        assertThat(alert.path("opened_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(alert.path("resolved_at").isNull()).isTrue();
        assertThat(alert.path("notice").asText()).isEqualTo("192.0.2.0/24 is seen by 1 of 3 vantage points");
        assertThat(alert.path("evidence")).singleElement()
                .satisfies(e -> assertThat(e.path("as_path").asText()).isEqualTo("64510 64666"));
        assertThat(alert.path("link").asText()).isEqualTo("https://rampart.example.net/api/v1/alerts/" + id);
        // Every field the API lists an alert with is in the notification too.
        assertThat(alert.properties().stream().map(Map.Entry::getKey).toList())
                .containsAll(DetectJson.alert(alerts.byId(id).orElseThrow()).keySet());
        channels.stop(WAIT);
        assertThat(count("noc-hook", "sent")).isEqualTo(1);
        assertThat(receiver.rest()).as("the pager hears of hijacks only").isEmpty();
    }

    @Test
    void theRestorationNoticeIsPostedButUpdatesAreNot() throws Exception {
        start();
        alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
        assertThat(nextTo("/ops").path("event").asText()).isEqualTo("opened");

        alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0 + 1000));
        alerts.resolve("visibility_loss|198.51.100.0/24", T0 + 60_000, "resolved: seen by 3 vantage points again");

        JsonNode resolved = nextTo("/ops");
        assertThat(resolved.path("event").asText()).isEqualTo("resolved");
        assertThat(resolved.path("alert").path("state").asText()).isEqualTo("resolved");
        assertThat(resolved.path("alert").path("resolved_at").asText()).isEqualTo("2026-12-01T10:01:00.000Z");
        assertThat(resolved.path("alert").path("notice").asText())
                .isEqualTo("resolved: seen by 3 vantage points again");
        assertThat(resolved.path("alert").path("evidence")).hasSize(2);
        channels.stop(WAIT);
        assertThat(receiver.rest()).as("the new evidence was not sent").isEmpty();
        assertThat(count("ops-hook", "sent")).isEqualTo(2);
    }

    @Test
    void aTypeFilterLetsOnlyItsTypesThrough() throws Exception {
        start();
        alerts.report(visibilityLoss(NOC_PREFIX, "noc"), evidence(NOC_PREFIX, T0));
        alerts.report(hijack(NOC_PREFIX, "noc"), evidence(NOC_PREFIX, T0));
        channels.stop(WAIT);

        assertThat(receiver.rest()).extracting(p -> p.path() + " " + JSON.readTree(p.body()).at("/alert/type")
                .asText()).containsExactly("/noc visibility_loss", "/noc origin_hijack", "/pager origin_hijack");
    }

    @Test
    void aReceiverThatFailsOnceGetsARetryAndTheCounterSaysSo() throws Exception {
        start();
        receiver.answer("/ops", 500, 200);
        alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));

        JsonNode first = nextTo("/ops");
        JsonNode second = nextTo("/ops");
        assertThat(second).isEqualTo(first);
        channels.stop(WAIT);
        assertThat(count("ops-hook", "retried")).isEqualTo(1);
        assertThat(count("ops-hook", "sent")).isEqualTo(1);
        assertThat(count("ops-hook", "failed")).isZero();
    }

    @Test
    void anAlertOfAnotherGroupDoesNotGoToTheChannel() throws Exception {
        start();
        alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
        alerts.report(hijack(NOC_PREFIX, "lab"), evidence(NOC_PREFIX, T0));
        channels.stop(WAIT);

        assertThat(receiver.rest()).extracting(Receiver.Post::path).containsExactly("/ops");
        assertThat(count("noc-hook", "sent")).isZero();
        assertThat(count("noc-pager", "sent")).isZero();
    }

    @Test
    void aSlackChannelGetsAMessageSayingWhatWhereSinceWhenWithTheLinkAndThenThatItIsResolved() throws Exception {
        start("""
                prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500]}]
                groups: {default: {channels: [chat]}}
                channels: {chat: {type: slack, url: %s}}
                """.formatted(receiver.url("/slack")));
        long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();
        alerts.report(hijack(OPS_PREFIX, "default"), new Evidence(T0 + 1000, "r2 <edge>", OPS_PREFIX, "64511 64666"));
        alerts.resolve("origin_hijack|198.51.100.0/24|AS64666", T0 + 120_000, "resolved: AS64666 withdrew it");

        Receiver.Post opened = receiver.next(WAIT);
        assertThat(opened.path()).isEqualTo("/slack");
        assertThat(opened.headers()).containsEntry("content-type", "application/json");
        assertThat(JSON.readTree(opened.body()).path("text").asText()).isEqualTo("""
                :rotating_light: *Alert* `origin_hijack` 198.51.100.0/24 in group default
                AS64666 originates 198.51.100.0/24
                Key: `origin_hijack|198.51.100.0/24|AS64666`, taxonomy E|0|-
                Since 2026-12-01T10:00:00Z, 1 sighting
                Seen at:
                • r1 198.51.100.1: 198.51.100.0/24 path `64510 64666` at 2026-12-01T10:00:00Z
                <https://rampart.example.net/api/v1/alerts/%d|Alert %d in Rampart>""".formatted(id, id));

        String resolved = JSON.readTree(receiver.next(WAIT).body()).path("text").asText();
        assertThat(resolved).startsWith("""
                :white_check_mark: *Resolved* `origin_hijack` 198.51.100.0/24 in group default
                resolved: AS64666 withdrew it
                Was: AS64666 originates 198.51.100.0/24
                """);
        assertThat(resolved).contains("Since 2026-12-01T10:00:00Z, resolved 2026-12-01T10:02:00Z, 2 sightings\n")
                .contains("• r2 &lt;edge&gt;: 198.51.100.0/24 path `64511 64666` at 2026-12-01T10:00:01Z\n")
                .endsWith("|Alert " + id + " in Rampart>");
        channels.stop(WAIT);
        assertThat(count("chat", "sent")).isEqualTo(2);
    }

    @Test
    void anAlertResolvedByHandWithoutANoteSaysWhoResolvedIt() throws Exception {
        start("""
                prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500]}]
                groups: {default: {channels: [chat]}}
                channels: {chat: {type: slack, url: %s}}
                """.formatted(receiver.url("/slack")));
        long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();
        alerts.resolve(id, "alice", T0 + 1000, "");

        receiver.next(WAIT);
        assertThat(JSON.readTree(receiver.next(WAIT).body()).path("text").asText()).startsWith("""
                :white_check_mark: *Resolved* `origin_hijack` 198.51.100.0/24 in group default
                Resolved by alice.
                """);
    }

    private void startAlertmanager() throws Exception {
        start("""
                prefixes: [{prefix: 198.51.100.0/24, origins: [AS64500]}]
                groups: {default: {channels: [am]}}
                channels:
                  am: {type: alertmanager, url: %s, resend_interval: 30s, headers: {Authorization: Bearer am}}
                """.formatted(receiver.url("/am/")));
    }

    private JsonNode nextAlertmanagerAlert() throws Exception {
        Receiver.Post post = receiver.next(WAIT);
        assertThat(post).as("a POST to the Alertmanager").isNotNull();
        assertThat(post.path()).isEqualTo("/am/api/v2/alerts");
        assertThat(post.headers()).containsEntry("authorization", "Bearer am");
        JsonNode body = JSON.readTree(post.body());
        assertThat(body.isArray()).isTrue();
        assertThat(body).hasSize(1);
        return body.get(0);
    }

    @Test
    void anAlertmanagerGetsTheAlertWithItsLabelsAndAnnotationsThenItsEnd() throws Exception {
        startAlertmanager();
        long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();

        JsonNode firing = nextAlertmanagerAlert();
        assertThat(JSON.convertValue(firing.path("labels"), Map.class)).isEqualTo(Map.of(
                "alertname", "rampart_origin_hijack", "key", "origin_hijack|198.51.100.0/24|AS64666",
                "type", "origin_hijack", "prefix", "198.51.100.0/24", "group", "default", "severity", "critical"));
        String link = "https://rampart.example.net/api/v1/alerts/" + id;
        assertThat(firing.path("annotations").path("summary").asText()).isEqualTo("AS64666 originates 198.51.100.0/24");
        assertThat(firing.path("annotations").path("description").asText()).isEqualTo(
                "AS64666 originates 198.51.100.0/24. 1 sighting, latest:\n"
                        + "r1 198.51.100.1: 198.51.100.0/24 path 64510 64666 at 2026-12-01T10:00:00Z");
        assertThat(firing.path("annotations").path("link").asText()).isEqualTo(link);
        assertThat(firing.path("annotations").path("taxonomy").asText()).isEqualTo("E|0|-");
        assertThat(firing.path("startsAt").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(firing.has("endsAt")).as("a firing alert has no end").isFalse();
        assertThat(firing.path("generatorURL").asText()).isEqualTo(link);

        alerts.resolve("origin_hijack|198.51.100.0/24|AS64666", T0 + 60_000, "resolved: AS64666 withdrew it");
        JsonNode ended = nextAlertmanagerAlert();
        assertThat(ended.path("labels")).as("the same labels: the same alert to Alertmanager")
                .isEqualTo(firing.path("labels"));
        assertThat(ended.path("endsAt").asText()).isEqualTo("2026-12-01T10:01:00.000Z");
        assertThat(ended.path("annotations").path("description").asText()).startsWith("resolved: AS64666 withdrew it.");
        channels.stop(WAIT);
        assertThat(count("am", "sent")).isEqualTo(2);
    }

    @Test
    void anActiveAlertIsSentAgainEachResendIntervalUntilItResolves() throws Exception {
        startAlertmanager();
        alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
        assertThat(nextAlertmanagerAlert().path("labels").path("severity").asText()).isEqualTo("warning");

        clock.advance(Duration.ofSeconds(29));
        channels.resendDue();
        alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0 + 5000));
        clock.advance(Duration.ofSeconds(1));
        channels.resendDue();
        JsonNode resent = nextAlertmanagerAlert();
        assertThat(resent.has("endsAt")).isFalse();
        assertThat(resent.path("annotations").path("description").asText())
                .as("the re-send carries what was seen since").contains("2 sightings");

        clock.advance(Duration.ofSeconds(30));
        channels.resendDue();
        assertThat(nextAlertmanagerAlert().has("endsAt")).isFalse();

        alerts.resolve("visibility_loss|198.51.100.0/24", T0 + 90_000, "resolved: seen again");
        assertThat(nextAlertmanagerAlert().path("endsAt").asText()).isEqualTo("2026-12-01T10:01:30.000Z");
        clock.advance(Duration.ofMinutes(5));
        channels.resendDue();
        channels.stop(WAIT);
        assertThat(receiver.rest()).as("a resolved alert is not sent again").isEmpty();
        assertThat(count("am", "sent")).isEqualTo(4);
    }

    @Test
    void anIgnoredAlertEndsForAlertmanagerAndFiresAgainWhenTakenBack() throws Exception {
        startAlertmanager();
        long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();
        assertThat(nextAlertmanagerAlert().has("endsAt")).isFalse();

        alerts.ignore(id, "alice", T0 + 10_000, "");
        JsonNode ignored = nextAlertmanagerAlert();
        assertThat(ignored.path("endsAt").asText()).isEqualTo("2026-12-01T10:00:10.000Z");
        assertThat(ignored.path("annotations").path("description").asText()).startsWith("ignored by alice. 1 sighting");
        clock.advance(Duration.ofMinutes(5));
        channels.resendDue();

        alerts.acknowledge(id, "bob", T0 + 20_000, "no, it is real");
        JsonNode again = nextAlertmanagerAlert();
        assertThat(again.has("endsAt")).isFalse();
        assertThat(again.path("annotations").path("description").asText()).startsWith("no, it is real (acknowledged by bob).");
        channels.stop(WAIT);
        assertThat(receiver.rest()).as("nothing re-sent while it was ignored").isEmpty();
    }

    @Test
    void alertsActiveBeforeARestartAreSentToAlertmanagersAgain() throws Exception {
        startAlertmanager();
        alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
        assertThat(nextAlertmanagerAlert().has("endsAt")).isFalse();
        alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
        alerts.resolve("visibility_loss|198.51.100.0/24", T0 + 1000, "resolved");
        nextAlertmanagerAlert();
        nextAlertmanagerAlert();
        channels.stop(WAIT);

        // A new service, with the alerts it loaded from the store.
        start("""
                prefixes: [{prefix: 198.51.100.0/24, origins: [AS64500]}]
                groups: {default: {channels: [am, ops]}}
                channels:
                  am: {type: alertmanager, url: %s, headers: {Authorization: Bearer am}}
                  ops: {url: %s}
                """.formatted(receiver.url("/am/"), receiver.url("/ops")));
        channels.resume(alerts.all());
        assertThat(nextAlertmanagerAlert().path("labels").path("type").asText()).isEqualTo("origin_hijack");
        clock.advance(Duration.ofSeconds(60));
        channels.resendDue();
        assertThat(nextAlertmanagerAlert().path("labels").path("type").asText()).isEqualTo("origin_hijack");
        channels.stop(WAIT);
        assertThat(receiver.rest()).as("only the active alert, only to the Alertmanager").isEmpty();
    }

    /** What a syslog message from this process starts with after its PRI and timestamp. */
    private static String syslogOrigin() {
        return " " + SyslogMessage.localHostname() + " rampart " + ProcessHandle.current().pid() + " ";
    }

    @Test
    void aSyslogChannelOverUdpSendsAnRfc5424WarningWhenTheAlertOpens() throws Exception {
        try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            syslog.setSoTimeout((int) WAIT.toMillis());
            start("""
                    prefixes: [{prefix: 198.51.100.0/24, origins: [AS64500]}]
                    groups: {default: {channels: [log]}}
                    channels: {log: {type: syslog, host: 127.0.0.1, port: %d}}
                    """.formatted(syslog.getLocalPort()));
            long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();

            DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
            syslog.receive(packet);
            // local0 (16) * 8 + warning (4) = 132
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo(
                    "<132>1 2026-12-01T10:00:00.000Z" + syslogOrigin() + "alert_opened [alert@32473 id=\"" + id
                            + "\" type=\"origin_hijack\" key=\"origin_hijack|198.51.100.0/24|AS64666\""
                            + " prefix=\"198.51.100.0/24\" group=\"default\""
                            + " link=\"https://rampart.example.net/api/v1/alerts/" + id + "\"]"
                            + " AS64666 originates 198.51.100.0/24");
            channels.stop(WAIT);
            assertThat(count("log", "sent")).isEqualTo(1);
        }
    }

    @Test
    void aSyslogChannelOverTcpSendsTheRestorationAsANoticeFramedByItsLength() throws Exception {
        try (ServerSocket syslog = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            syslog.setSoTimeout((int) WAIT.toMillis());
            start("""
                    prefixes: [{prefix: 198.51.100.0/24, origins: [AS64500]}]
                    groups: {default: {channels: [log]}}
                    channels: {log: {type: syslog, host: 127.0.0.1, port: %d, transport: tcp, facility: daemon}}
                    """.formatted(syslog.getLocalPort()));
            alerts.report(visibilityLoss(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0));
            alerts.resolve("visibility_loss|198.51.100.0/24", T0 + 60_000, "resolved: seen by 3 vantage points again");

            String opened = frame(syslog);
            // daemon (3) * 8 + warning (4) = 28, then notice (5) = 29
            assertThat(opened).startsWith("<28>1 2026-12-01T10:00:00.000Z" + syslogOrigin() + "alert_opened [")
                    .endsWith("] 198.51.100.0/24 is seen by 1 of 3 vantage points");
            assertThat(frame(syslog)).startsWith("<29>1 2026-12-01T10:01:00.000Z" + syslogOrigin()
                    + "alert_resolved [alert@32473 id=").endsWith("] resolved: seen by 3 vantage points again");
            channels.stop(WAIT);
            assertThat(count("log", "sent")).isEqualTo(2);
        }
    }

    /** The one octet-counted message a connection to {@code server} carries. */
    private static String frame(ServerSocket server) throws Exception {
        try (Socket connection = server.accept()) {
            connection.setSoTimeout((int) WAIT.toMillis());
            byte[] stream = connection.getInputStream().readAllBytes();
            int space = 0;
            while (stream[space] != ' ') {
                space++;
            }
            int length = Integer.parseInt(new String(stream, 0, space, StandardCharsets.US_ASCII));
            assertThat(stream.length - space - 1).as("the octet count").isEqualTo(length);
            return new String(stream, space + 1, length, StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEmailChannelMailsTheAlertOverStarttlsWithTheLoginFromThePasswordFile(@TempDir Path dir) throws Exception {
        TestSmtpServer.Certificate certificate = TestSmtpServer.Certificate.make(dir);
        Path password = Files.writeString(dir.resolve("smtp-password"), "s3cret\n");
        try (TestSmtpServer smtp = TestSmtpServer.withStarttls(certificate, "PLAIN", "rampart", "s3cret")) {
            start("""
                    prefixes: [{prefix: 198.51.100.0/24, origins: [AS64500]}]
                    groups: {default: {channels: [mail]}}
                    channels:
                      mail:
                        type: email
                        host: 127.0.0.1
                        port: %d
                        from: rampart@example.net
                        to: [noc@example.net, oncall@example.net]
                        username: rampart
                        password_file: %s
                        ca_file: %s
                    """.formatted(smtp.port(), password, certificate.pem()));
            long id = alerts.report(hijack(OPS_PREFIX, "default"), evidence(OPS_PREFIX, T0)).id();
            alerts.resolve("origin_hijack|198.51.100.0/24|AS64666", T0 + 60_000, "resolved: AS64666 withdrew it");
            channels.stop(WAIT);

            assertThat(count("mail", "sent")).isEqualTo(2);
            assertThat(smtp.commands()).contains("tls AUTH PLAIN rampart s3cret")
                    .filteredOn(c -> c.startsWith("MAIL") || c.startsWith("AUTH") || c.startsWith("RCPT")).isEmpty();
            TestSmtpServer.Mail opened = smtp.mails().get(0);
            assertThat(opened.from()).isEqualTo("rampart@example.net");
            assertThat(opened.to()).containsExactly("noc@example.net", "oncall@example.net");
            String link = "https://rampart.example.net/api/v1/alerts/" + id;
            assertThat(opened.message()).startsWith("""
                    From: rampart@example.net\r
                    To: noc@example.net, oncall@example.net\r
                    Subject: [rampart] origin_hijack 198.51.100.0/24 (default)\r
                    Date: Tue, 1 Dec 2026 10:00:00 GMT\r
                    Message-ID: <alert-%d-opened@%s>\r
                    MIME-Version: 1.0\r
                    Content-Type: text/plain; charset=UTF-8\r
                    Content-Transfer-Encoding: 7bit\r
                    \r
                    Alert %d: origin_hijack 198.51.100.0/24, group default\r
                    AS64666 originates 198.51.100.0/24\r
                    \r
                    Key:       origin_hijack|198.51.100.0/24|AS64666\r
                    Taxonomy:  E|0|-\r
                    Opened:    2026-12-01T10:00:00Z\r
                    Sightings: 1\r
                    \r
                    Seen at, oldest first:\r
                      r1 198.51.100.1: 198.51.100.0/24 path 64510 64666 at 2026-12-01T10:00:00Z\r
                    \r
                    %s\r
                    """.formatted(id, SyslogMessage.localHostname(), id, link));
            String resolved = smtp.mails().get(1).message();
            assertThat(resolved).contains("Subject: [rampart] Resolved: origin_hijack 198.51.100.0/24 (default)\r\n")
                    .contains("\r\n\r\nresolved: AS64666 withdrew it\r\n\r\nAlert " + id)
                    .contains("Resolved:  2026-12-01T10:01:00Z\r\n");
        }
    }
}

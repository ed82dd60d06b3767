package net.rampart.server.mitigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener.Change;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

/** Webhooks to a real local HTTP receiver that fails first, then accepts. */
class WebhookNotifierIT {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static Mitigation mitigation(MitigationStatus status) {
        Instant t = Instant.parse("2026-11-22T08:00:00Z");
        return new Mitigation("6f1c7a2e-0000-4000-8000-000000000001", "ams1", "example-net",
                AddressText.parse("192.0.2.10"), AttackVector.UDP_FLOOD, "udp-flood", 0,
                new FlowSpecRule(new FlowMatch(IpPrefix.parse("192.0.2.10/32"), OptionalInt.of(17), List.of(53), false),
                        new FlowAction.TrafficRate(12_500_000f)),
                status, t, t, t.plusSeconds(600), t, t, 1, OptionalDouble.of(0.9), false,
                status.isActive() ? null : t, status.isActive() ? null : "operator:alice",
                status.isActive() ? null : "attack over");
    }

    @Test
    void deliversJsonAndSlackRetryingFailures() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // Every receiver fails its first request: the notifier must try again.
            boolean fail = calls.incrementAndGet() <= 2;
            if (!fail) {
                received.add(exchange.getRequestURI().getPath() + " " + new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(fail ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try (WebhookNotifier notifier = new WebhookNotifier(
                WebhookNotifier.parse("json:" + base + "/json, slack:" + base + "/slack"), 3, Duration.ofMillis(50),
                JSON, new SimpleMeterRegistry())) {
            notifier.changed(Change.EXTENDED, null, mitigation(MitigationStatus.ACTIVE));
            notifier.changed(Change.CREATED, null, mitigation(MitigationStatus.ACTIVE));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            server.stop(0);
        }
        assertThat(received).hasSize(2);
        String json = received.stream().filter(r -> r.startsWith("/json ")).findFirst().orElseThrow();
        JsonNode body = JSON.readTree(json.substring("/json ".length()));
        assertThat(body.path("event").asText()).isEqualTo("mitigation_created");
        assertThat(body.path("mitigation").path("id").asText()).isEqualTo("6f1c7a2e-0000-4000-8000-000000000001");
        assertThat(body.path("mitigation").path("rule").path("action").path("type").asText()).isEqualTo("police");
        String slack = received.stream().filter(r -> r.startsWith("/slack ")).findFirst().orElseThrow();
        assertThat(JSON.readTree(slack.substring("/slack ".length())).path("text").asText())
                .startsWith(":rotating_light: Mitigation started at ams1: police to 100000000 bit/s for dst 192.0.2.10/32");
        assertThat(calls.get()).as("two failures, two deliveries; extensions are not sent").isEqualTo(4);
    }

    @Test
    void slackTextSaysWhoEndedIt() {
        assertThat(WebhookNotifier.slackText("mitigation_withdrawn", mitigation(MitigationStatus.WITHDRAWN)))
                .startsWith(":white_check_mark: Mitigation withdrawn at ams1")
                .endsWith("by operator:alice: attack over");
    }

    @Test
    void webhookListsAreValidated() {
        assertThat(WebhookNotifier.parse("https://example.com/a, slack:https://example.com/b"))
                .containsExactly(new WebhookNotifier.Webhook(WebhookNotifier.Format.JSON, URI.create("https://example.com/a")),
                        new WebhookNotifier.Webhook(WebhookNotifier.Format.SLACK, URI.create("https://example.com/b")));
        assertThatThrownBy(() -> WebhookNotifier.parse("ftp://example.com/x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package net.rampart.server.kafka;

import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertListener;
import net.rampart.kafka.EventPublisher;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationListener;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.SnapshotHistory.Version;
import net.rampart.server.Component;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import net.rampart.server.detect.DetectJson;
import net.rampart.server.http.RpkiRoutes;
import net.rampart.server.mitigation.MitigationJson;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The service's own events on Kafka, as JSON in the API's shapes: every change of an alert on
 * {@code <prefix>.alerts} (keyed by the alert's id), of a mitigation on {@code <prefix>.mitigations}
 * (by its id), and every RPKI serial that comes into force on {@code <prefix>.rpki} (by the RTR
 * session id). Added before the parts whose events it publishes, it starts before them and
 * stops after them.
 */
public final class KafkaEvents implements Component, AlertListener, MitigationListener {

    private static final int QUEUE = 10_000;

    private final KafkaConfig config;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private EventPublisher publisher;

    public KafkaEvents(KafkaConfig config, ObjectMapper json, MeterRegistry metrics) {
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void opened(Alert alert) {
        alert("opened", alert);
    }

    @Override
    public void updated(Alert alert) {
        alert("updated", alert);
    }

    @Override
    public void resolved(Alert alert) {
        alert("resolved", alert);
    }

    private void alert(String change, Alert alert) {
        publish(config.eventTopic("alerts"), Long.toString(alert.id()), DetectJson.alertChange(change, alert));
    }

    @Override
    public void changed(Change change, Mitigation before, Mitigation after) {
        publish(config.eventTopic("mitigations"), after.id(), MitigationJson.mitigationChange(change, after));
    }

    /** A new RPKI view came into force: its serial, session and counts. */
    public void rpkiChanged(RpkiView view) {
        Version v = view.version();
        publish(config.eventTopic("rpki"), Integer.toString(v.sessionId()), RpkiRoutes.version(v));
    }

    private void publish(String topic, String key, Object document) {
        try {
            publisher.publish(topic, key, json.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            // The API's own documents: a failure here is a bug, not an input to refuse.
            throw new IllegalStateException("event for " + topic + " not encoded", e);
        }
    }

    @Override
    public String name() {
        return "kafka_events";
    }

    @Override
    public void start() throws ConfigException {
        publisher = new EventPublisher(KafkaClients.open(config, EventPublisher::producerSettings, KafkaProducer::new), QUEUE);
        FunctionCounter.builder("rampart.kafka.events", publisher, EventPublisher::acknowledged)
                .description("The service's events on Kafka, by outcome: acknowledged (by the brokers), failed"
                        + " (the producer gave up), overflowed (the queue to the producer was full)")
                .tag("outcome", "acknowledged").register(metrics);
        FunctionCounter.builder("rampart.kafka.events", publisher, EventPublisher::failed)
                .tag("outcome", "failed").register(metrics);
        FunctionCounter.builder("rampart.kafka.events", publisher, EventPublisher::overflowed)
                .tag("outcome", "overflowed").register(metrics);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (publisher != null) {
            publisher.close(drain);
        }
    }

    @Override
    public boolean isReady() {
        return publisher != null;
    }
}

package net.rampart.server.kafka;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.kafka.PublishingSession;
import net.rampart.kafka.RawBmpPublisher;
import net.rampart.server.Component;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

/**
 * The Kafka feed as a part of the service: every BMP message of every router published as an
 * OpenBMP raw frame. Added before the collector, it starts before routers can connect and stops
 * after they are gone, sending what they last sent.
 */
public final class KafkaPublishing implements Component {

    private final KafkaConfig config;
    private final MeterRegistry metrics;
    private RawBmpPublisher publisher;

    public KafkaPublishing(KafkaConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /** The router's session with its messages published too; for the collector's sessions. */
    public RouterSession publishing(InetAddress router, RouterSession session) {
        return new PublishingSession(session, publisher.router(router, ""), Clock.systemUTC());
    }

    /** What is wrong with publishing, for {@code /health/ready}: frames failing or not fitting. */
    public Optional<String> trouble() {
        return publisher == null ? Optional.empty() : publisher.trouble();
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() throws ConfigException {
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(RawBmpPublisher.producerSettings(config.bootstrap().orElseThrow()));
        } catch (KafkaException e) {
            throw new ConfigException(KafkaConfig.BOOTSTRAP, e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
        }
        publisher = new RawBmpPublisher(producer, config.rawTopic(), config.adminId(), config.queueFrames());
        frames("published", RawBmpPublisher::published);
        frames("acknowledged", RawBmpPublisher::acknowledged);
        frames("failed", RawBmpPublisher::failed);
        frames("overflowed", RawBmpPublisher::overflowed);
        Gauge.builder("rampart.kafka.handover.frames", publisher, RawBmpPublisher::waiting)
                .description("Raw BMP frames waiting for the Kafka producer").tag("topic", config.rawTopic())
                .register(metrics);
    }

    private void frames(String outcome, ToDoubleFunction<RawBmpPublisher> count) {
        FunctionCounter.builder("rampart.kafka.frames", publisher, count)
                .description("Raw BMP frames by outcome: published (handed to the Kafka producer), acknowledged"
                        + " (by the brokers), failed (the producer gave up), overflowed (the hand-over was full)")
                .tags("topic", config.rawTopic(), "outcome", outcome).register(metrics);
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

package net.rampart.server.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.collector.history.BatchSpool;
import net.rampart.kafka.PublishingSession;
import net.rampart.kafka.RawBmpPublisher;
import net.rampart.server.Component;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The Kafka feed as a part of the service: every BMP message of every router published as an
 * OpenBMP raw frame, as OpenBMP's parsed rows, or both. Added before the collector, it starts before routers can connect and stops
 * after they are gone, sending what they last sent.
 */
public final class KafkaPublishing implements Component {

    private static final long SPOOL_SEGMENT_BYTES = 64L << 20;

    private final KafkaConfig config;
    private final Path spoolDirectory;
    private final MeterRegistry metrics;
    private RawBmpPublisher publisher;

    /** @param spoolDirectory where frames wait while the brokers cannot take them */
    public KafkaPublishing(KafkaConfig config, Path spoolDirectory, MeterRegistry metrics) {
        this.config = config;
        this.spoolDirectory = spoolDirectory;
        this.metrics = metrics;
    }

    /** The router's session with its messages published too; for the collector's sessions. */
    public RouterSession publishing(InetAddress router, Function<Clock, RouterSession> collector) {
        return new PublishingSession(collector, publisher.router(router, ""), Clock.systemUTC());
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
    public void start() throws ConfigException, IOException {
        BatchSpool spool = BatchSpool.open(spoolDirectory, config.spoolBudgetBytes(), SPOOL_SEGMENT_BYTES);
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = KafkaClients.open(config, RawBmpPublisher::producerSettings, KafkaProducer::new);
        } catch (ConfigException e) {
            spool.close();
            throw e;
        }
        RawBmpPublisher.Topics topics = RawBmpPublisher.Topics.openBmp(config.topicPrefix(), config.raw(),
                config.parsed());
        publisher = new RawBmpPublisher(producer, topics, config.adminId(), config.queueFrames(), spool);
        for (String topic : topics.names()) {
            for (RawBmpPublisher.Outcome outcome : RawBmpPublisher.Outcome.values()) {
                frames(topic, outcome.name().toLowerCase(Locale.ROOT), p -> p.records(topic, outcome));
            }
        }
        if (config.raw()) {
            // One raw frame per message: a message that did not fit is a frame not published.
            frames(config.rawTopic(), "overflowed", RawBmpPublisher::overflowed);
        }
        messages("accepted", RawBmpPublisher::published);
        messages("overflowed", RawBmpPublisher::overflowed);
        if (config.parsed()) {
            messages("undecodable", RawBmpPublisher::undecodable);
        }
        Gauge.builder("rampart.kafka.handover.frames", publisher, RawBmpPublisher::waiting)
                .description("BMP messages waiting for the Kafka producer").tag("topic", config.rawTopic())
                .register(metrics);
        Gauge.builder("rampart.kafka.spool.bytes", publisher, RawBmpPublisher::spoolBytes)
                .description("Raw frames and parsed rows on disk waiting for the Kafka brokers").tag("topic", config.rawTopic())
                .register(metrics);
    }

    private void frames(String topic, String outcome, ToDoubleFunction<RawBmpPublisher> count) {
        FunctionCounter.builder("rampart.kafka.frames", publisher, count)
                .description("Records of the raw and parsed BMP topics by outcome: published (made for the Kafka"
                        + " producer), acknowledged (by the brokers), spooled (to disk while the brokers could not take"
                        + " them), failed (refused by the producer), dropped (the spool was full), overflowed (raw"
                        + " topic only: the hand-over was full)")
                .tags("topic", topic, "outcome", outcome).register(metrics);
    }

    private void messages(String outcome, ToDoubleFunction<RawBmpPublisher> count) {
        FunctionCounter.builder("rampart.kafka.messages", publisher, count)
                .description("Routers' BMP messages offered to the Kafka feed: accepted (into the hand-over),"
                        + " overflowed (the hand-over was full, published in no form), undecodable (no parsed rows;"
                        + " the raw frame published)")
                .tag("outcome", outcome).register(metrics);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException, IOException {
        if (publisher != null) {
            publisher.close(drain);
        }
    }

    @Override
    public boolean isReady() {
        return publisher != null;
    }
}

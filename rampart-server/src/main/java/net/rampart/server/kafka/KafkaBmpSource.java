package net.rampart.server.kafka;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.SourcePosition;
import net.rampart.kafka.RawBmpConsumer;
import net.rampart.kafka.ReplayFilter;
import net.rampart.server.Component;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.config.ConfigException;
import net.rampart.server.config.KafkaConfig;
import net.rampart.store.route.SourcePositionTable;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Routers' BMP read from the raw topic ({@code RAMPART_BMP_SOURCE=kafka}) into the collector, in
 * a consumer group with the service's other store members. Added after route history, it stops
 * before it: the last offsets it commits are those history stored while it stopped.
 */
public final class KafkaBmpSource implements Component {

    private final KafkaConfig config;
    private final BmpCollector collector;
    private final ReplayFilter filter;
    private final HistoryRecorder history;
    private final SourcePositionTable positions;
    private final MeterRegistry metrics;
    private RawBmpConsumer consumer;

    /**
     * @param filter    the filter the RIB's history listener and the inventory's store are behind
     * @param history   route history, without spooling: the topic keeps what it has not written
     * @param positions where route history's writer stores how far the topic had been read
     */
    public KafkaBmpSource(KafkaConfig config, BmpCollector collector, ReplayFilter filter, HistoryRecorder history,
                          SourcePositionTable positions, MeterRegistry metrics) {
        this.config = config;
        this.collector = collector;
        this.filter = filter;
        this.history = history;
        this.positions = positions;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return "kafka_consume";
    }

    @Override
    public void start() throws ConfigException {
        KafkaConsumer<byte[], byte[]> kafka = KafkaClients.open(config,
                bootstrap -> RawBmpConsumer.consumerSettings(bootstrap, config.group()), KafkaConsumer::new);
        consumer = new RawBmpConsumer(kafka, config.group(), config.rawTopic(), collector::routerSession, filter,
                new RawBmpConsumer.History() {
                    @Override
                    public long settled() {
                        return history.settledEvents();
                    }

                    @Override
                    public Map<Integer, SourcePosition> storedPositions(String source) throws SQLException {
                        return positions.read(source);
                    }
                });
        history.followPositions(consumer::positionsSettledBy);
        frames("applied", RawBmpConsumer::applied);
        frames("replayed", RawBmpConsumer::replayed);
        frames("malformed", RawBmpConsumer::malformed);
        FunctionCounter.builder("rampart.kafka.consumer.commits", consumer, RawBmpConsumer::commits)
                .description("Offset commits of the raw topic, each after route history stored what it covers")
                .tag("topic", config.rawTopic()).register(metrics);
        Gauge.builder("rampart.kafka.consumer.routers", consumer, RawBmpConsumer::routers)
                .description("Routers whose BMP this member reads from the raw topic")
                .tag("topic", config.rawTopic()).register(metrics);
        Gauge.builder("rampart.kafka.consumer.lag.frames", consumer, RawBmpConsumer::lag)
                .description("Frames of the partitions this member reads that it has not read yet, as of its last fetch")
                .tag("topic", config.rawTopic()).register(metrics);
        Gauge.builder("rampart.kafka.consumer.rebuilding.partitions", consumer, RawBmpConsumer::rebuilding)
                .description("Partitions read again from their beginning to rebuild their routers' RIBs, not yet up to"
                        + " where route history ends")
                .tag("topic", config.rawTopic()).register(metrics);
        consumer.start();
    }

    private void frames(String outcome, ToDoubleFunction<RawBmpConsumer> count) {
        FunctionCounter.builder("rampart.kafka.consumed.frames", consumer, count)
                .description("Raw BMP frames read from Kafka by outcome: applied (to the RIB and history), replayed"
                        + " (to rebuild a RIB, their history stored already), malformed (not an OpenBMP v1.7 raw frame;"
                        + " skipped)")
                .tags("topic", config.rawTopic(), "outcome", outcome).register(metrics);
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (consumer != null) {
            consumer.close(drain);
        }
    }

    @Override
    public boolean isReady() {
        return consumer != null && consumer.running();
    }
}

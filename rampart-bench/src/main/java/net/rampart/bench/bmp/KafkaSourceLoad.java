package net.rampart.bench.bmp;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.rampart.bench.Args;
import net.rampart.bench.VrpSetGenerator;
import net.rampart.collector.bmp.SourceAllowlist;
import net.rampart.collector.history.SourcePosition;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.OriginValidator;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RouteEventListener;
import net.rampart.kafka.KafkaBroker;
import net.rampart.kafka.RawBmpConsumer;
import net.rampart.kafka.RawBmpPublisher;
import net.rampart.kafka.ReplayFilter;
import net.rampart.rpki.RoaIndex;
import net.rampart.server.collector.BmpCollector;
import net.rampart.server.config.CollectorConfig;
import net.rampart.wire.bmp.BmpFrameDecoder;
import net.rampart.wire.openbmp.OpenBmpRawEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A full table through Kafka into consuming RIBs: {@code --routers} routers' BMP ({@link BmpFeed}'s
 * table each) published once as OpenBMP raw frames, as an edge collector publishes them, on a
 * topic of {@code --partitions} partitions of Apache Kafka's own broker started on the same
 * cores; then, each round, {@code --consumers} readers in a new consumer group, each a
 * {@link RawBmpConsumer} with the service's collector sessions and a RIB of its own (every route
 * validated against {@code --vrps} generated VRPs, as the service does), read it from the
 * beginning. Timed from the readers' start until their RIBs hold every route; each reader's share
 * is printed. Route history is off: the durable figures are {@code BmpReplayLoad}'s. Router
 * {@code i} is published to partition {@code i % partitions}, so the routers split evenly.
 *
 * <pre>
 * java -Xms6g -Xmx6g -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' \
 *     net.rampart.bench.bmp.KafkaSourceLoad [options]
 *   --ipv4 N             IPv4 prefixes of each router's table (1000000)
 *   --ipv6 N             IPv6 prefixes of each router's table (200000)
 *   --single true        one prefix per UPDATE instead of packed UPDATEs (false)
 *   --routers N          routers (2)
 *   --partitions N       partitions of the topic (2)
 *   --consumers N        readers in the group (1)
 *   --vrps N             generated VRPs every route is validated against (800000; 0: none)
 *   --rounds N           rounds, each a new group reading the topic from its beginning (3)
 *   --timeout-seconds N  for each round (300)
 * </pre>
 */
public final class KafkaSourceLoad {

    private static final String TOPIC = "openbmp.bmp_raw";

    private KafkaSourceLoad() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Args.BadOption e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.ofEntries(Map.entry("--ipv4", "1000000"),
                Map.entry("--ipv6", "200000"), Map.entry("--single", "false"), Map.entry("--routers", "2"),
                Map.entry("--partitions", "2"), Map.entry("--consumers", "1"), Map.entry("--vrps", "800000"),
                Map.entry("--rounds", "3"), Map.entry("--timeout-seconds", "300")));
        int routers = Args.integer(a, "--routers", 1);
        int partitions = Args.integer(a, "--partitions", 1);
        int consumers = Args.integer(a, "--consumers", 1);
        int vrps = Args.integer(a, "--vrps", 0);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Args.integer(a, "--timeout-seconds", 1));
        BmpFeed feed = BmpFeed.fullTable(Args.integer(a, "--ipv4", 0), Args.integer(a, "--ipv6", 0),
                !Boolean.parseBoolean(a.get("--single")));
        List<byte[]> messages = messages(feed.bytes);
        OriginValidator validator = vrps == 0 ? OriginValidator.NONE
                : new RoaIndex(VrpSetGenerator.generate(vrps, 1))::state;
        long expected = feed.routes * routers;
        Path dir = Files.createTempDirectory("kafka-source-load");
        try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
            long published = System.nanoTime();
            publish(broker.bootstrap(), messages, routers, partitions);
            System.out.printf(Locale.ROOT, "topic: %d routers x %d routes (%d messages each), %d partitions,"
                            + " published in %.1f s; %d reader(s); %d VRPs%n", routers, feed.routes, messages.size(),
                    partitions, (System.nanoTime() - published) / 1e9, consumers, vrps);
            for (int round = 1; round <= Args.integer(a, "--rounds", 1); round++) {
                System.gc();
                List<Rib> ribs = new ArrayList<>();
                List<RawBmpConsumer> readers = new ArrayList<>();
                for (int c = 0; c < consumers; c++) {
                    Rib rib = new Rib(RouteEventListener.NONE);
                    rib.revalidate(validator, OriginValidator.Footprint.EVERYTHING, (r, p, v, f, k, from, to) -> { });
                    BmpCollector collector = new BmpCollector(new CollectorConfig(SourceAllowlist.parse("0.0.0.0/0")),
                            InetAddress.getLoopbackAddress(), 0, rib, SessionEvents.NONE, new SimpleMeterRegistry());
                    ribs.add(rib);
                    readers.add(new RawBmpConsumer(new KafkaConsumer<>(RawBmpConsumer.consumerSettings(
                            broker.bootstrap(), "bench-" + round)), "bench-" + round, TOPIC, collector::routerSession,
                            new ReplayFilter(), NO_HISTORY));
                }
                long start = System.nanoTime();
                readers.forEach(RawBmpConsumer::start);
                long deadline = start + timeoutNanos;
                while (routes(ribs) < expected && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long loaded = routes(ribs);
                List<Long> shares = ribs.stream().map(Rib::routeCount).toList();
                // Closing a reader ends its routers' sessions, which empties its RIB: counted before.
                for (RawBmpConsumer reader : readers) {
                    reader.close(Duration.ofSeconds(10));
                }
                System.out.printf(Locale.ROOT, "round %d: %s %d of %d routes in %.2f s, %.0f k routes/s; by reader %s%n",
                        round, loaded == expected ? "all" : "NOT ALL:", loaded, expected, seconds,
                        loaded / seconds / 1e3, shares);
            }
        }
    }

    /** Route history off: nothing to wait for, no positions stored. */
    private static final RawBmpConsumer.History NO_HISTORY = new RawBmpConsumer.History() {
        @Override
        public long settled() {
            return Long.MAX_VALUE;
        }

        @Override
        public Map<Integer, SourcePosition> storedPositions(String source) {
            return Map.of();
        }
    };

    private static long routes(List<Rib> ribs) {
        long routes = 0;
        for (Rib rib : ribs) {
            routes += rib.routeCount();
        }
        return routes;
    }

    /** The feed's byte stream cut into its BMP messages. */
    private static List<byte[]> messages(byte[] stream) {
        BmpFrameDecoder frames = new BmpFrameDecoder();
        frames.append(stream, 0, stream.length);
        List<byte[]> messages = new ArrayList<>();
        byte[] message;
        while ((message = frames.next()) != null) {
            messages.add(message);
        }
        return messages;
    }

    /** Every router's messages as raw frames, with the service's producer settings; router i to partition i % partitions. */
    private static void publish(String bootstrap, List<byte[]> messages, int routers, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
        }
        try (var producer = new KafkaProducer<byte[], byte[]>(RawBmpPublisher.producerSettings(bootstrap))) {
            long micros = System.currentTimeMillis() * 1_000;
            for (int r = 0; r < routers; r++) {
                OpenBmpRawEncoder router = new OpenBmpRawEncoder("bench-edge",
                        InetAddress.getByAddress(new byte[] {10, 0, (byte) (r >> 8), (byte) r}), "");
                for (byte[] message : messages) {
                    producer.send(new ProducerRecord<>(TOPIC, r % partitions, micros / 1_000, router.routerHash(),
                            router.frame(micros++, message, 0, message.length)));
                }
            }
            producer.flush();
        }
    }
}

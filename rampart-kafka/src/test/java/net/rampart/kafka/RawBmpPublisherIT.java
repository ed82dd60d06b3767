package net.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rampart.collector.history.BatchSpool;
import net.rampart.wire.openbmp.OpenBmpRawFrame;
import net.rampart.wire.testing.Daemon;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw BMP published through Apache Kafka's own broker and read back with a reader written here from the layout. */
class RawBmpPublisherIT {

    private static final String TOPIC = "openbmp.bmp_raw";
    private static final int PARTITIONS = 4;
    private static final int MESSAGES_PER_ROUTER = 500;

    @TempDir
    static Path dir;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /** What the test's own reader finds in a frame. */
    private record Read(int headerLength, int flags, int type, String adminId, byte[] routerHash, byte[] router,
                        String group, long rows, byte[] bmp) {
    }

    @Test
    void eachRoutersFramesArriveInOnePartitionInOrderWithTheirHeader() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        Map<InetAddress, List<byte[]>> sent = new HashMap<>();
        try (RawBmpPublisher publisher = new RawBmpPublisher(
                new KafkaProducer<>(RawBmpPublisher.producerSettings(broker.bootstrap())), TOPIC, "rampart-test", 10_000,
                spool("in-order"))) {
            RawBmpPublisher.RouterFeed edge = publisher.router(v4, "edge");
            RawBmpPublisher.RouterFeed core = publisher.router(v6, "");
            for (int i = 0; i < MESSAGES_PER_ROUTER; i++) {
                for (var feed : List.of(Map.entry(v4, edge), Map.entry(v6, core))) {
                    byte[] bmp = initiation("router " + feed.getKey().getHostAddress() + " message " + i);
                    assertThat(feed.getValue().publish(1_700_000_000_000_000L + i, bmp)).isTrue();
                    sent.computeIfAbsent(feed.getKey(), k -> new ArrayList<>()).add(bmp);
                }
            }
            Daemon.await("every frame acknowledged", Duration.ofSeconds(60),
                    () -> publisher.acknowledged() == 2L * MESSAGES_PER_ROUTER);
            assertThat(publisher.failed()).isZero();
            assertThat(publisher.overflowed()).isZero();
            assertThat(publisher.trouble()).isEmpty();
        }

        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(2 * MESSAGES_PER_ROUTER);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        Map<InetAddress, List<byte[]>> received = new HashMap<>();
        Map<InetAddress, Set<Integer>> partitions = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Read frame = read(record.value());
            InetAddress router = InetAddress.getByAddress(frame.router());
            boolean ipv6 = router.equals(v6);
            assertThat(frame.flags()).isEqualTo(ipv6 ? 0xC0 : 0x80);
            assertThat(frame.type()).isEqualTo(12);
            assertThat(frame.rows()).isEqualTo(1);
            assertThat(frame.adminId()).isEqualTo("rampart-test");
            assertThat(frame.group()).isEqualTo(ipv6 ? "" : "edge");
            assertThat(frame.headerLength()).isEqualTo(78 + "rampart-test".length() + frame.group().length());
            assertThat(frame.routerHash()).isEqualTo(md5.digest(router.getAddress()));
            assertThat(record.key()).isEqualTo(frame.routerHash());
            assertThat(OpenBmpRawFrame.decode(record.value()).bmpMessage()).isEqualTo(frame.bmp());
            received.computeIfAbsent(router, k -> new ArrayList<>()).add(frame.bmp());
            partitions.computeIfAbsent(router, k -> new HashSet<>()).add(record.partition());
        }
        for (InetAddress router : List.of(v4, v6)) {
            assertThat(partitions.get(router)).as("partitions of %s", router).hasSize(1);
            assertThat(received.get(router)).as("frames of %s in order", router)
                    .containsExactlyElementsOf(sent.get(router));
        }
    }

    @Test
    void withNoBrokerToReachPublishingNeverBlocksAndWhatItAcceptedIsSpooled() throws Exception {
        int capacity = 100;
        int offered = 10_000;
        Path spoolDirectory = dir.resolve("no-broker");
        RawBmpPublisher publisher = new RawBmpPublisher(new KafkaProducer<>(RawBmpPublisher.producerSettings(
                "127.0.0.1:" + Daemon.freePort())), TOPIC, "rampart-test", capacity,
                BatchSpool.open(spoolDirectory, 64L << 20, 1L << 20));
        RawBmpPublisher.RouterFeed feed = publisher.router(InetAddress.getByName("192.0.2.9"), "");
        byte[] bmp = initiation("nobody listens");
        // Each of the producer's sends waits up to a second for the topic's metadata; the feed must not.
        int accepted = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            for (int i = 0; i < offered; i++) {
                n += feed.publish(i, bmp) ? 1 : 0;
            }
            return n;
        }).get(30, TimeUnit.SECONDS);

        assertThat(accepted).isLessThan(offered);
        assertThat(publisher.published()).isEqualTo(accepted);
        assertThat(publisher.overflowed()).isEqualTo(offered - accepted);
        publisher.close(Duration.ofSeconds(10));
        assertThat(publisher.acknowledged()).isZero();
        assertThat(publisher.spooled()).as("every accepted frame is on disk").isEqualTo(accepted);
        assertThat(publisher.trouble()).hasValueSatisfying(text -> assertThat(text)
                .contains((offered - accepted) + " frames overflowed").contains("no frame acknowledged yet"));
        try (BatchSpool reopened = BatchSpool.open(spoolDirectory, 64L << 20, 1L << 20)) {
            int frames = 0;
            for (byte[] payload : reopened.read(Integer.MAX_VALUE).payloads()) {
                frames += SpooledFrames.decode(payload, TOPIC).size();
            }
            assertThat(frames).isEqualTo(accepted);
        }
    }

    @Test
    void framesPublishedWhileTheBrokerIsDownArriveOnceItIsBackInOrder() throws Exception {
        String topic = "outage.bmp_raw";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> settings = RawBmpPublisher.producerSettings(broker.bootstrap());
        // A small buffer, so that the producer is full after a few hundred frames and the rest go to the spool.
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64 * 1024);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 16 * 1024);
        List<byte[]> sent = new ArrayList<>();
        try (RawBmpPublisher publisher = new RawBmpPublisher(new KafkaProducer<>(settings), topic, "rampart-test",
                10_000, spool("outage"))) {
            RawBmpPublisher.RouterFeed feed = publisher.router(InetAddress.getByName("192.0.2.10"), "");
            for (int i = 0; i < 100; i++) {
                sent.add(initiation("before the outage " + i));
                assertThat(feed.publish(i, sent.getLast())).isTrue();
            }
            Daemon.await("the first frames acknowledged", Duration.ofSeconds(60), () -> publisher.acknowledged() == 100);

            broker.stop();
            for (int i = 0; i < 2_000; i++) {
                sent.add(initiation("during the outage " + i));
                assertThat(feed.publish(100 + i, sent.getLast())).isTrue();
            }
            Daemon.await("frames spooled while the broker is down", Duration.ofSeconds(60),
                    () -> publisher.spoolBytes() > 0 && publisher.trouble().isPresent());

            broker.restart();
            for (int i = 0; i < 100; i++) {
                sent.add(initiation("after the outage " + i));
                assertThat(feed.publish(2_100 + i, sent.getLast())).isTrue();
            }
            Daemon.await("every frame acknowledged and the spool empty", Duration.ofSeconds(120),
                    () -> publisher.acknowledged() >= sent.size() && publisher.spoolBytes() == 0);
            assertThat(publisher.spooled()).isPositive();
            assertThat(publisher.overflowed()).isZero();
            assertThat(publisher.dropped()).isZero();
            assertThat(publisher.failed()).isZero();
            assertThat(publisher.trouble()).isEmpty();
        }

        List<byte[]> received = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consume(topic, 1, sent.size())) {
            received.add(read(record.value()).bmp());
        }
        // A chunk of the spool cut short by the outage is sent again whole: the first copy of
        // every frame, in the order they were published, is what a consumer must see.
        List<String> firstCopies = received.stream().map(b -> new String(b, StandardCharsets.US_ASCII))
                .distinct().toList();
        assertThat(firstCopies).containsExactlyElementsOf(
                sent.stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
    }

    private static BatchSpool spool(String name) throws java.io.IOException {
        return BatchSpool.open(dir.resolve("spool-" + name), 64L << 20, 1L << 20);
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = consume(TOPIC, PARTITIONS, expected);
        assertThat(records).hasSize(expected);
        return records;
    }

    /** Every record of the topic's partitions, at least {@code expected} unless a minute passes first. */
    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int partitions, int expected) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean drained = false;
            // Until the expected count and then an empty poll: copies sent twice are read as well.
            while (!(records.size() >= expected && drained) && System.nanoTime() < deadline) {
                var polled = consumer.poll(Duration.ofMillis(500));
                polled.forEach(records::add);
                drained = polled.isEmpty();
            }
        }
        return records;
    }

    /** The OpenBMP v1.7 raw header as published (big-endian, lengths before their fields). */
    private static Read read(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        assertThat(in.getInt()).isEqualTo(0x4F424D50);
        assertThat(in.get()).isEqualTo((byte) 1);
        assertThat(in.get()).isEqualTo((byte) 7);
        int headerLength = Short.toUnsignedInt(in.getShort());
        long bmpLength = Integer.toUnsignedLong(in.getInt());
        int flags = Byte.toUnsignedInt(in.get());
        int type = Byte.toUnsignedInt(in.get());
        in.getInt();
        assertThat(in.getInt()).isBetween(0, 999_999);
        in.get(new byte[16]);
        String adminId = text(in);
        byte[] routerHash = new byte[16];
        in.get(routerHash);
        byte[] address = new byte[16];
        in.get(address);
        byte[] router = (flags & 0x40) != 0 ? address : java.util.Arrays.copyOf(address, 4);
        String group = text(in);
        long rows = Integer.toUnsignedLong(in.getInt());
        assertThat(in.position()).isEqualTo(headerLength);
        assertThat(in.remaining()).isEqualTo(bmpLength);
        byte[] bmp = new byte[(int) bmpLength];
        in.get(bmp);
        return new Read(headerLength, flags, type, adminId, routerHash, router, group, rows, bmp);
    }

    private static String text(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A BMP Initiation message whose sysDescr says what it is. */
    private static byte[] initiation(String description) {
        byte[] text = description.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(6 + 4 + text.length)
                .put((byte) 3).putInt(6 + 4 + text.length).put((byte) 4)
                .putShort((short) 1).putShort((short) text.length).put(text)
                .array();
    }
}

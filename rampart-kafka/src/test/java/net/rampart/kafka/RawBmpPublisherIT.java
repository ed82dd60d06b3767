package net.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.rampart.collector.bmp.RouterSession;
import net.rampart.collector.history.BatchSpool;
import net.rampart.wire.bmp.BmpCaptures;
import net.rampart.wire.bmp.BmpMessage;
import net.rampart.wire.openbmp.OpenBmpParsedMessage;
import net.rampart.wire.openbmp.OpenBmpRawFrame;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.TestData;
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

/**
 * Raw BMP and OpenBMP's parsed rows published through Apache Kafka's own broker and read back:
 * the frames with a reader written here from the layout, the rows against the schema's columns.
 */
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
                new KafkaProducer<>(RawBmpPublisher.producerSettings(broker.bootstrap())), RawBmpPublisher.Topics.raw(TOPIC),
                "rampart-test", 10_000,
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
                "127.0.0.1:" + Daemon.freePort())), RawBmpPublisher.Topics.raw(TOPIC), "rampart-test", capacity,
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
                .contains((offered - accepted) + " messages overflowed").contains("no record acknowledged yet"));
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
        try (RawBmpPublisher publisher = new RawBmpPublisher(new KafkaProducer<>(settings),
                RawBmpPublisher.Topics.raw(topic), "rampart-test",
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

    /**
     * A real Cisco router's session (capture 201 of the shared test data) through a publishing
     * session with raw and parsed topics, a message the parsed side cannot decode in the middle,
     * and the connection ending without a Termination: every message arrives as a raw frame, in
     * order; every parsed row has the schema's columns, its value the text header, its record the
     * key OpenBMP gives it; a known route is on the unicast_prefix topic; the router topic ends
     * with one {@code term} row for the closed connection; the collector topic has started,
     * change, heartbeat and stopped rows in sequence.
     */
    @Test
    void aRoutersMessagesArriveAsRawFramesAndAsParsedRowsWithTheSchemasColumnsAndOpenBmpsKeys() throws Exception {
        Map<String, List<String>> columns = columns();
        BmpCaptures.Session capture = BmpCaptures.sessions(
                TestData.folder("bmp").resolve("201-BMP-CISCO-rd_instance.pcap")).getFirst();
        assertThat(capture.messages()).as("the capture ends without a Termination")
                .noneMatch(m -> (m[5] & 0xFF) == BmpMessage.TERMINATION);
        String admin = "rampart-parsed-it";
        RawBmpPublisher.Topics topics = RawBmpPublisher.Topics.openBmp("parsedit", true, true)
                .withHeartbeat(Duration.ofMillis(300));
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            kafka.createTopics(topics.names().stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        }
        // A Route Monitoring whose per-peer header is cut short: no parsed rows, its raw frame published.
        byte[] undecodable = {3, 0, 0, 0, 10, 0, 1, 2, 3, 4};
        List<byte[]> sent = new ArrayList<>(capture.messages().subList(0, 40));
        sent.add(undecodable);
        sent.addAll(capture.messages().subList(40, capture.messages().size()));
        InetAddress router = capture.stream().source();
        List<String> collectorSeen = new ArrayList<>();
        try (RawBmpPublisher publisher = new RawBmpPublisher(
                new KafkaProducer<>(RawBmpPublisher.producerSettings(broker.bootstrap())), topics, admin, 10_000,
                spool("parsed"));
             KafkaConsumer<byte[], byte[]> collectorTopic = consumer()) {
            List<byte[]> collected = new ArrayList<>();
            PublishingSession session = new PublishingSession(clock -> new RouterSession() {
                @Override
                public void onMessage(byte[] message) {
                    collected.add(message);
                }

                @Override
                public boolean established() {
                    return true;
                }

                @Override
                public void onClose(String reason) {
                }
            }, publisher.router(router, ""), Clock.systemUTC());
            collectorTopic.assign(List.of(new TopicPartition(topics.parsed(OpenBmpParsedMessage.COLLECTOR), 0)));
            sent.forEach(session::onMessage);
            // The router is connected until its session closes: a change row lists it.
            Daemon.await("a change row with the router on the collector topic", Duration.ofSeconds(60), () -> {
                collectorTopic.poll(Duration.ofMillis(200)).forEach(r -> collectorSeen.addAll(rows(r.value())));
                return collectorSeen.stream().anyMatch(row -> row.startsWith("change\t")
                        && row.contains("\t" + router.getHostAddress() + "\t1\t"));
            });
            session.onClose("the test ends");
            assertThat(collected).containsExactlyElementsOf(sent);

            Daemon.await("every raw frame acknowledged", Duration.ofSeconds(60),
                    () -> publisher.records(topics.raw(), RawBmpPublisher.Outcome.ACKNOWLEDGED) == sent.size() + 1);
            // The collector topic stays quiet for the heartbeat interval: a heartbeat follows.
            Daemon.await("a heartbeat on the collector topic", Duration.ofSeconds(60), () -> {
                collectorTopic.poll(Duration.ofMillis(200)).forEach(r -> collectorSeen.addAll(rows(r.value())));
                return collectorSeen.stream().anyMatch(row -> row.startsWith("heartbeat\t"));
            });
            assertThat(publisher.undecodable()).isEqualTo(1);
            assertThat(publisher.failed()).isZero();
            assertThat(publisher.overflowed()).isZero();
        }

        // Raw: every message, the undecodable one and the Termination written for the closed connection, in order.
        List<byte[]> raw = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consume(topics.raw(), 1, sent.size() + 1)) {
            raw.add(read(record.value()).bmp());
        }
        assertThat(raw).hasSize(sent.size() + 1);
        assertThat(raw.subList(0, sent.size())).containsExactlyElementsOf(sent);
        assertThat(raw.getLast()[5] & 0xFF).as("a Termination last").isEqualTo(BmpMessage.TERMINATION);

        // Parsed: header, columns and keys of every record of every topic.
        String collectorHash = md5(admin);
        String routerHash = md5(router.getHostAddress() + collectorHash);
        Map<String, List<Map<String, String>>> rowsByTopic = new HashMap<>();
        Map<String, List<String>> keysByTopic = new HashMap<>();
        for (String name : List.of(OpenBmpParsedMessage.COLLECTOR, OpenBmpParsedMessage.ROUTER, OpenBmpParsedMessage.PEER,
                OpenBmpParsedMessage.BASE_ATTRIBUTE, OpenBmpParsedMessage.UNICAST_PREFIX, OpenBmpParsedMessage.BMP_STAT)) {
            String topic = topics.parsed(name);
            List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 1, 1);
            assertThat(records).as("records on %s", topic).isNotEmpty();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                String text = new String(record.value(), StandardCharsets.UTF_8);
                int body = text.indexOf("\n\n") + 2;
                List<String> rows = rows(record.value());
                assertThat(text.substring(0, body - 2).split("\n")).containsExactly("V: 1.7",
                        "C_HASH_ID: " + collectorHash, "T: " + name.substring("parsed.".length()),
                        "L: " + (record.value().length - body), "R: " + rows.size());
                String key = new String(record.key(), StandardCharsets.US_ASCII);
                for (String row : rows) {
                    List<String> names = columns.get(name);
                    String[] values = row.split("\t", -1);
                    assertThat(values).as("columns of %s row %s", topic, row).hasSize(names.size());
                    Map<String, String> fields = new HashMap<>();
                    for (int i = 0; i < values.length; i++) {
                        fields.putIfAbsent(names.get(i), values[i]);
                    }
                    String expectedKey = switch (name) {
                        case OpenBmpParsedMessage.COLLECTOR -> collectorHash;
                        case OpenBmpParsedMessage.ROUTER -> routerHash;
                        case OpenBmpParsedMessage.PEER -> fields.get("Hash");
                        default -> fields.get("Peer Hash");
                    };
                    assertThat(key).as("key of %s row %s", topic, row).isEqualTo(expectedKey);
                    rowsByTopic.computeIfAbsent(name, t -> new ArrayList<>()).add(fields);
                }
                keysByTopic.computeIfAbsent(name, t -> new ArrayList<>()).add(key);
            }
        }

        // A known route, as pmacct decodes the capture: 203.0.113.70/32 from 192.0.31.162 (RD 64499:74), AS path 65538.
        String peerHash = md5("192.0.31.162" + "64499:74" + routerHash);
        assertThat(rowsByTopic.get(OpenBmpParsedMessage.UNICAST_PREFIX)).filteredOn(
                        f -> f.get("Prefix").equals("203.0.113.70") && f.get("Peer IP").equals("192.0.31.162")
                                && f.get("Action").equals("add"))
                .singleElement().satisfies(f -> assertThat(f).containsEntry("Length", "32")
                        .containsEntry("Peer Hash", peerHash).containsEntry("Router Hash", routerHash)
                        .containsEntry("AS Path", " 65538").containsEntry("Origin AS", "65538")
                        .containsEntry("Next Hop", "192.0.31.162"));
        assertThat(keysByTopic.get(OpenBmpParsedMessage.UNICAST_PREFIX)).contains(peerHash);

        // The router topic: the Initiation's row first, one term row for the closed connection last.
        List<Map<String, String>> routerRows = rowsByTopic.get(OpenBmpParsedMessage.ROUTER);
        assertThat(routerRows.getFirst()).containsEntry("Action", "init").containsEntry("Hash", routerHash)
                .containsEntry("IP Address", router.getHostAddress());
        assertThat(routerRows).filteredOn(f -> f.get("Action").equals("term")).singleElement()
                .isSameAs(routerRows.getLast()).satisfies(f -> assertThat(f).containsEntry("Term Code", "65533"));

        // The collector topic: started, the router's coming and going, heartbeats, stopped; one sequence.
        List<Map<String, String>> collectorRows = rowsByTopic.get(OpenBmpParsedMessage.COLLECTOR);
        for (int i = 0; i < collectorRows.size(); i++) {
            Map<String, String> f = collectorRows.get(i);
            assertThat(f).containsEntry("Sequence", Integer.toString(i)).containsEntry("Admin Id", admin)
                    .containsEntry("Hash", collectorHash);
            String routers = f.get("Routers");
            assertThat(f.get("Router Count")).isEqualTo(routers.isEmpty() ? "0"
                    : Integer.toString(routers.split(", ").length));
        }
        assertThat(collectorRows.getFirst()).containsEntry("Action", "started");
        assertThat(collectorRows.getLast()).containsEntry("Action", "stopped").containsEntry("Router Count", "0");
        assertThat(collectorRows).anySatisfy(f -> assertThat(f).containsEntry("Action", "change")
                .containsEntry("Routers", router.getHostAddress()).containsEntry("Router Count", "1"));
        assertThat(collectorRows).anySatisfy(f -> assertThat(f).containsEntry("Action", "heartbeat"));
    }

    /** The rows of a parsed value, each without its line end. */
    private static List<String> rows(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        String body = text.substring(text.indexOf("\n\n") + 2);
        assertThat(body).endsWith("\n");
        return List.of(body.substring(0, body.length() - 1).split("\n", -1));
    }

    /** Topic (as {@code parsed.x}) to its column names, from the schema's columns file of the shared test data. */
    private static Map<String, List<String>> columns() throws java.io.IOException {
        Map<String, List<String>> columns = new HashMap<>();
        List<String> lines = Files.readAllLines(TestData.folder("openbmp").resolve("message-bus-v1.7-columns.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            List<String> names = columns.computeIfAbsent(f[1].substring("openbmp.".length()), t -> new ArrayList<>());
            assertThat(Integer.parseInt(f[2])).isEqualTo(names.size() + 1);
            names.add(f[3]);
        }
        return columns;
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
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

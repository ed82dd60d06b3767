package net.rampart.kafka;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.rampart.wire.testing.Daemon;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka's own broker, one node in KRaft mode (broker and controller), run as a child
 * process from the {@code kafka_2.13} artifact on the test class path, listening on loopback.
 * Its log is {@code kafka.log} in its folder.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final List<String> command;
    private final String bootstrap;
    private Daemon process;

    private KafkaBroker(Path dir, List<String> command, String bootstrap) {
        this.dir = dir;
        this.command = command;
        this.bootstrap = bootstrap;
    }

    /** Formats a log folder under {@code dir}, starts the broker and waits until it answers. */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        int port = Daemon.freePort();
        int controllerPort = Daemon.freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") + "\n");
        List<String> java = javaCommand();
        List<String> format = new ArrayList<>(java);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()));
        int formatted = Daemon.run(format, dir.resolve("format.out"), dir.resolve("format.err"), START_TIMEOUT);
        if (formatted != 0) {
            throw new IOException("kafka-storage format exited " + formatted + ": "
                    + Files.readString(dir.resolve("format.err")) + Files.readString(dir.resolve("format.out")));
        }
        List<String> serve = new ArrayList<>(java);
        serve.addAll(List.of("kafka.Kafka", config.toString()));
        KafkaBroker broker = new KafkaBroker(dir, serve, "127.0.0.1:" + port);
        broker.run();
        return broker;
    }

    /** Starts the broker's process on its formatted folder and waits until it answers. */
    private void run() throws IOException, InterruptedException {
        process = Daemon.start("kafka", dir, command);
        try {
            Daemon.await("the Kafka broker to answer (log: " + dir.resolve("kafka.log") + ")", START_TIMEOUT,
                    () -> process.isAlive() && answers());
        } catch (RuntimeException | Error | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Stops the broker's process, as an outage would; {@link #restart} brings it back with its data. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** Starts the stopped broker again, on the same port and data. */
    public void restart() throws IOException, InterruptedException {
        run();
    }

    /** The JVM running this test (or tool), with its class path (which holds the broker), a small heap. */
    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Absolute: the broker runs in its own folder, and a tool may be started with a relative class path.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
        return new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp", classPath));
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() == 1;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The CPU time the broker's process has used since it started. */
    public Duration cpuTime() {
        return process.cpuTime();
    }

    /** {@code host:port} of the broker's listener, for {@code bootstrap.servers}. */
    public String bootstrap() {
        return bootstrap;
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}

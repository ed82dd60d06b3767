package net.rampart.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Kafka feed (see docs/kafka.md): routers' BMP published as OpenBMP raw frames and parsed
 * rows, and the service's alerts, mitigations and RPKI serials as JSON.
 *
 * @param bootstrap   the brokers to start from, {@code host:port} each; empty turns the feed off
 * @param raw         whether routers' BMP is published as raw frames ({@code raw} in {@code RAMPART_KAFKA_PUBLISH})
 * @param parsed      whether it is published on OpenBMP's parsed topics ({@code parsed})
 * @param events      whether alerts, mitigations and RPKI serials are ({@code events})
 * @param topicPrefix the first part of the raw and parsed topics' names, {@code openbmp} as OpenBMP's
 * @param eventPrefix the first part of the event topics' names
 * @param adminId     the collector's name in every frame (OpenBMP's admin id)
 * @param queueFrames how many BMP messages may wait for the Kafka producer before new ones are counted as overflowed
 * @param spoolBudgetBytes disk the spool may use while the brokers cannot take frames
 * @param consume     whether routers' BMP is read from the raw topic instead of from routers
 *                    ({@code RAMPART_BMP_SOURCE=kafka}); the BMP port is then not opened
 * @param group       the consumer group the service reads the raw topic in
 */
public record KafkaConfig(Optional<String> bootstrap, boolean raw, boolean parsed, boolean events, String topicPrefix,
                          String eventPrefix, String adminId, int queueFrames, long spoolBudgetBytes,
                          boolean consume, String group) {

    public static final String BOOTSTRAP = "RAMPART_KAFKA_BOOTSTRAP";
    public static final String PUBLISH = "RAMPART_KAFKA_PUBLISH";
    public static final String TOPIC_PREFIX = "RAMPART_KAFKA_TOPIC_PREFIX";
    public static final String EVENT_PREFIX = "RAMPART_KAFKA_EVENT_PREFIX";
    public static final String ADMIN_ID = "RAMPART_KAFKA_ADMIN_ID";
    public static final String QUEUE = "RAMPART_KAFKA_QUEUE";
    public static final String SPOOL_MB = "RAMPART_KAFKA_SPOOL_MB";
    public static final String BMP_SOURCE = "RAMPART_BMP_SOURCE";
    public static final String GROUP = "RAMPART_KAFKA_GROUP";
    /** Kafka's own rule for topic names, less the room the suffix takes. */
    private static final Pattern TOPIC_CHARACTERS = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");

    public static KafkaConfig from(Settings settings, String hostName) throws ConfigException {
        Optional<String> bootstrap = bootstrap(settings);
        boolean raw = false;
        boolean parsed = false;
        boolean events = false;
        for (String item : settings.text(PUBLISH, "raw,events").split(",")) {
            switch (item.strip().toLowerCase(Locale.ROOT)) {
                case "raw" -> raw = true;
                case "parsed" -> parsed = true;
                case "events" -> events = true;
                case "" -> { }
                default -> throw new ConfigException(PUBLISH, "'" + item.strip() + "' is not raw, parsed or events");
            }
        }
        String prefix = topicName(settings, TOPIC_PREFIX, "openbmp");
        String eventPrefix = topicName(settings, EVENT_PREFIX, "rampart");
        String adminId = settings.text(ADMIN_ID, hostName);
        if (adminId.isBlank() || adminId.length() > 1024) {
            throw new ConfigException(ADMIN_ID, "the collector's name must have 1 to 1024 characters");
        }
        boolean consume = switch (settings.text(BMP_SOURCE, "routers").strip().toLowerCase(Locale.ROOT)) {
            case "routers" -> false;
            case "kafka" -> true;
            default -> throw new ConfigException(BMP_SOURCE, "'" + settings.text(BMP_SOURCE, "")
                    + "' is not routers or kafka");
        };
        if (consume && bootstrap.isEmpty()) {
            throw new ConfigException(BMP_SOURCE, "kafka needs the brokers in " + BOOTSTRAP);
        }
        String group = settings.text(GROUP, "rampart");
        if (group.isBlank() || group.length() > 255) {
            throw new ConfigException(GROUP, "the consumer group's name must have 1 to 255 characters");
        }
        return new KafkaConfig(bootstrap, raw, parsed, events, prefix, eventPrefix, adminId,
                settings.integer(QUEUE, 100_000, 1_000, 10_000_000),
                settings.integer(SPOOL_MB, 1024, 64, 1_048_576) * 1024L * 1024L, consume, group);
    }

    private static String topicName(Settings settings, String name, String fallback) throws ConfigException {
        String value = settings.text(name, fallback);
        if (!TOPIC_CHARACTERS.matcher(value).matches()) {
            throw new ConfigException(name, "'" + value + "' is not a Kafka topic name"
                    + " (letters, digits, '.', '_' and '-', at most 200)");
        }
        return value;
    }

    private static Optional<String> bootstrap(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(BOOTSTRAP);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        List<String> servers = new ArrayList<>();
        for (String item : value.get().split(",")) {
            String server = item.strip();
            var match = HOST_PORT.matcher(server);
            if (!match.matches() || Integer.parseInt(match.group(2)) < 1 || Integer.parseInt(match.group(2)) > 65535) {
                throw new ConfigException(BOOTSTRAP, "'" + server + "' is not host:port (a port from 1 to 65535)");
            }
            servers.add(server);
        }
        return Optional.of(String.join(",", servers));
    }

    /** The topic of the service's own events of one kind: {@code alerts}, {@code mitigations}, {@code rpki}. */
    public String eventTopic(String kind) {
        return eventPrefix + "." + kind;
    }

    /** Whether routers' BMP is published, as raw frames, parsed rows or both. */
    public boolean publishesBmp() {
        return raw || parsed;
    }

    /** The topic raw frames are published on, and read from by a service whose BMP source is Kafka. */
    public String rawTopic() {
        return topicPrefix + ".bmp_raw";
    }
}

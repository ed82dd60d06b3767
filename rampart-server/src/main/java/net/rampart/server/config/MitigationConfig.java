package net.rampart.server.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.bgp.BgpPeer;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator;
import net.rampart.server.mitigation.WebhookNotifier;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.policy.TtlBounds;

/**
 * The mitigation area's settings (see docs/configuration.md, "Mitigation").
 *
 * @param pop                  this instance's POP name
 * @param inventoryFile        customers, POPs, safelist; empty for none (every event is then refused)
 * @param playbooksFile        playbooks; empty for none (every event gets "no playbook")
 * @param dryRun               decide and record everything, announce nothing
 * @param correlationWindow    a longer gap between events restarts an attack's persistence
 * @param reconcileInterval    how often announced state is compared with the desired state
 * @param withdrawOnShutdown   withdraw every rule on stop, rather than leave them to hold timers
 * @param auditFile            the JSON Lines copy of the audit log
 * @param eventsPerSecond      events accepted per second before 429
 * @param bgp                  the native speaker's settings; empty when no peers are configured
 * @param webhooks             where create, escalate and withdraw notifications go
 * @param webhookAttempts      tries per notification, with doubling backoff from one second
 */
public record MitigationConfig(String pop, Optional<Path> inventoryFile, Optional<Path> playbooksFile, boolean dryRun,
                               Duration correlationWindow, Duration reconcileInterval, boolean withdrawOnShutdown,
                               Path auditFile, GuardrailLimits limits, int eventsPerSecond,
                               Optional<SpeakerSettings> bgp, List<WebhookNotifier.Webhook> webhooks,
                               int webhookAttempts) {

    public static final String POP = "RAMPART_POP";
    public static final String INVENTORY = "RAMPART_INVENTORY";
    public static final String PLAYBOOKS = "RAMPART_PLAYBOOKS";
    public static final String DRY_RUN = "RAMPART_MITIGATION_DRY_RUN";
    public static final String CORRELATION_WINDOW = "RAMPART_MITIGATION_CORRELATION_WINDOW";
    public static final String RECONCILE_INTERVAL = "RAMPART_MITIGATION_RECONCILE_INTERVAL";
    public static final String WITHDRAW_ON_SHUTDOWN = "RAMPART_MITIGATION_WITHDRAW_ON_SHUTDOWN";
    public static final String AUDIT_FILE = "RAMPART_MITIGATION_AUDIT_FILE";
    public static final String TTL_MIN = "RAMPART_MITIGATION_TTL_MIN";
    public static final String TTL_MAX = "RAMPART_MITIGATION_TTL_MAX";
    public static final String MIN_PREFIX_V4 = "RAMPART_MITIGATION_MIN_PREFIX_LENGTH_V4";
    public static final String MIN_PREFIX_V6 = "RAMPART_MITIGATION_MIN_PREFIX_LENGTH_V6";
    public static final String MAX_PORTS = "RAMPART_MITIGATION_MAX_PORTS";
    public static final String MAX_PER_CUSTOMER = "RAMPART_MITIGATION_MAX_PER_CUSTOMER";
    public static final String MAX_PER_POP = "RAMPART_MITIGATION_MAX_PER_POP";
    public static final String MAX_GLOBAL = "RAMPART_MITIGATION_MAX_GLOBAL";
    public static final String MAX_NEW_PER_MINUTE = "RAMPART_MITIGATION_MAX_NEW_PER_MINUTE";
    public static final String MAX_PER_PEER = "RAMPART_MITIGATION_MAX_PER_PEER";
    public static final String EVENTS_PER_SECOND = "RAMPART_MITIGATION_EVENTS_PER_SECOND";
    public static final String WEBHOOKS = "RAMPART_MITIGATION_WEBHOOKS";
    public static final String WEBHOOK_ATTEMPTS = "RAMPART_MITIGATION_WEBHOOK_ATTEMPTS";
    public static final String BGP_ASN = "RAMPART_BGP_ASN";
    public static final String BGP_ROUTER_ID = "RAMPART_BGP_ROUTER_ID";
    public static final String BGP_PEERS = "RAMPART_BGP_PEERS";
    public static final String BGP_PASSIVE_PORT = "RAMPART_BGP_PASSIVE_PORT";
    public static final String BGP_HOLD_TIME = "RAMPART_BGP_HOLD_TIME";
    public static final String BGP_RESTART_TIME = "RAMPART_BGP_GRACEFUL_RESTART_TIME";

    public static MitigationConfig from(Settings settings, Path dataDir) throws ConfigException {
        String pop = settings.text(POP, "default");
        if (!pop.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new ConfigException(POP, "'" + pop + "' may use only letters, digits, '.', '_' and '-'");
        }
        GuardrailLimits d = GuardrailLimits.defaults();
        Duration ttlMin = settings.duration(TTL_MIN, d.ttl().min(), Duration.ofSeconds(1), Duration.ofDays(7));
        Duration ttlMax = settings.duration(TTL_MAX, d.ttl().max(), Duration.ofSeconds(1), Duration.ofDays(30));
        if (ttlMax.compareTo(ttlMin) < 0) {
            throw new ConfigException(TTL_MAX, "is shorter than " + TTL_MIN);
        }
        GuardrailLimits limits = new GuardrailLimits(new TtlBounds(ttlMin, ttlMax),
                settings.integer(MIN_PREFIX_V4, d.minPrefixLengthV4(), 0, 32),
                settings.integer(MIN_PREFIX_V6, d.minPrefixLengthV6(), 0, 128),
                settings.integer(MAX_PORTS, d.maxPorts(), 1, 64),
                settings.integer(MAX_PER_CUSTOMER, d.maxPerCustomer(), 1, 1_000_000),
                settings.integer(MAX_PER_POP, d.maxPerPop(), 1, 1_000_000),
                settings.integer(MAX_GLOBAL, d.maxGlobal(), 1, 1_000_000),
                settings.integer(MAX_NEW_PER_MINUTE, d.maxNewRulesPerMinute(), 1, 1_000_000),
                settings.integer(MAX_PER_PEER, d.maxAnnouncementsPerPeer(), 1, 1_000_000));
        return new MitigationConfig(pop, file(settings, INVENTORY), file(settings, PLAYBOOKS),
                settings.bool(DRY_RUN, false),
                settings.duration(CORRELATION_WINDOW, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1)),
                settings.duration(RECONCILE_INTERVAL, Duration.ofSeconds(30), Duration.ofMillis(100),
                        Duration.ofHours(1)),
                settings.bool(WITHDRAW_ON_SHUTDOWN, false),
                path(settings, AUDIT_FILE, dataDir.resolve("audit").resolve("mitigation.jsonl")),
                limits,
                settings.integer(EVENTS_PER_SECOND, 20_000, 1, 10_000_000),
                bgp(settings), webhooks(settings), settings.integer(WEBHOOK_ATTEMPTS, 5, 1, 20));
    }

    private static List<WebhookNotifier.Webhook> webhooks(Settings settings) throws ConfigException {
        try {
            return WebhookNotifier.parse(settings.text(WEBHOOKS, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(WEBHOOKS, e.getMessage());
        }
    }

    /** The speaker's settings, by the same rules as the inventory file's bgp section. */
    private static Optional<SpeakerSettings> bgp(Settings settings) throws ConfigException {
        Optional<String> peers = settings.text(BGP_PEERS);
        if (peers.isEmpty()) {
            return Optional.empty();
        }
        List<SpeakerSettingsValidator.Problem> problems = new ArrayList<>();
        Optional<SpeakerSettings> bgp = SpeakerSettingsValidator.validate(new SpeakerSettingsValidator.Input(
                BgpPeer.splitList(peers.get()), settings.text(BGP_ASN), settings.text(BGP_ROUTER_ID),
                settings.text(BGP_HOLD_TIME), settings.text(BGP_RESTART_TIME), settings.text(BGP_PASSIVE_PORT)),
                problems::add);
        if (problems.isEmpty()) {
            return bgp;
        }
        // A ConfigException names one variable: that of the first problem.
        SpeakerSettingsValidator.Problem first = problems.get(0);
        String setting = switch (first.setting()) {
            case PEERS -> BGP_PEERS;
            case ASN -> BGP_ASN;
            case ROUTER_ID -> BGP_ROUTER_ID;
            case HOLD_TIME -> BGP_HOLD_TIME;
            case GRACEFUL_RESTART_TIME -> BGP_RESTART_TIME;
            case PASSIVE_PORT -> BGP_PASSIVE_PORT;
        };
        // One entry of the list is at fault; the variable holds them all, so say how they are written.
        throw new ConfigException(setting, first.peer().isPresent()
                ? first.message() + " (expected address[:port]/asn, comma-separated)" : first.message());
    }

    private static Optional<Path> file(Settings settings, String name) throws ConfigException {
        Optional<String> value = settings.text(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path p = path(settings, name, null);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(name, p + " is not a readable file");
        }
        return Optional.of(p);
    }

    private static Path path(Settings settings, String name, Path fallback) throws ConfigException {
        Optional<String> value = settings.text(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Path.of(value.get()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(name, "'" + value.get() + "' is not a path");
        }
    }
}

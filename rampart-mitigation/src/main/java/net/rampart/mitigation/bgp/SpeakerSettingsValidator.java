package net.rampart.mitigation.bgp;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import net.rampart.wire.DurationText;
import net.rampart.wire.ip.AddressText;

/**
 * The one set of rules for the speaker's settings, whether they come from the RAMPART_BGP_*
 * variables or from the inventory file's {@code bgp} section, so the two cannot drift apart.
 * Values arrive as the text written; each problem names the {@link Setting} it is about, and the
 * caller words that in its own terms (the variable, or the path in the file).
 */
public final class SpeakerSettingsValidator {

    private static final Duration DEFAULT_HOLD_TIME = Duration.ofSeconds(90);
    private static final Duration MIN_HOLD_TIME = Duration.ofSeconds(3);
    private static final Duration MAX_HOLD_TIME = Duration.ofSeconds(65535);
    /** The restart time field of the graceful restart capability has 12 bits (RFC 4724). */
    private static final Duration MAX_RESTART_TIME = Duration.ofSeconds(4095);
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(60);

    /** The settings, in the order they are checked. */
    public enum Setting {
        ASN,
        ROUTER_ID,
        PEERS,
        HOLD_TIME,
        GRACEFUL_RESTART_TIME,
        PASSIVE_PORT
    }

    /**
     * @param peer for a problem with one of the peers, its index in {@link Input#peers()}
     */
    public record Problem(Setting setting, OptionalInt peer, String message) {
    }

    /**
     * The settings as written; an empty value was not given, and takes its default where there
     * is one (hold time 90 s, no graceful restart, active connections).
     *
     * @param peers each {@code address[:port]/asn}
     */
    public record Input(List<String> peers, Optional<String> asn, Optional<String> routerId,
                        Optional<String> holdTime, Optional<String> gracefulRestartTime,
                        Optional<String> passivePort) {

        public Input {
            peers = List.copyOf(peers);
        }
    }

    private SpeakerSettingsValidator() {
    }

    /**
     * Checks every setting and reports each problem found, rather than stopping at the first,
     * so a file is fixed in one go.
     *
     * @return the settings, or empty when a problem was reported
     */
    public static Optional<SpeakerSettings> validate(Input input, Consumer<Problem> problems) {
        List<Problem> found = new ArrayList<>();
        Long asn = check(Setting.ASN, input.asn(), null, BgpPeer::parseAsn, found);
        Integer routerId = check(Setting.ROUTER_ID, input.routerId(), null, SpeakerSettingsValidator::routerId,
                found);
        List<BgpPeer> peers = new ArrayList<>();
        if (input.peers().isEmpty()) {
            found.add(new Problem(Setting.PEERS, OptionalInt.empty(), "at least one address[:port]/asn is required"));
        }
        for (int i = 0; i < input.peers().size(); i++) {
            try {
                peers.add(BgpPeer.parse(input.peers().get(i)));
            } catch (IllegalArgumentException e) {
                found.add(new Problem(Setting.PEERS, OptionalInt.of(i), e.getMessage()));
            }
        }
        Duration hold = check(Setting.HOLD_TIME, input.holdTime(), DEFAULT_HOLD_TIME,
                SpeakerSettingsValidator::holdTime, found);
        Duration restart = check(Setting.GRACEFUL_RESTART_TIME, input.gracefulRestartTime(), Duration.ZERO,
                SpeakerSettingsValidator::restartTime, found);
        Integer passivePort = check(Setting.PASSIVE_PORT, input.passivePort(), 0,
                SpeakerSettingsValidator::port, found);
        found.forEach(problems);
        if (!found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SpeakerSettings(asn, routerId, hold, peers, passivePort, RETRY_MIN, RETRY_MAX,
                restart));
    }

    /**
     * One setting through its rule, which throws {@link IllegalArgumentException} with the
     * problem; a setting not given takes {@code fallback}, or is a problem when it has none.
     *
     * @return the value, or null when a problem was added
     */
    private static <T> T check(Setting setting, Optional<String> text, T fallback, Function<String, T> rule,
                               List<Problem> found) {
        if (text.isEmpty()) {
            if (fallback == null) {
                found.add(new Problem(setting, OptionalInt.empty(), "required with peers"));
            }
            return fallback;
        }
        try {
            return rule.apply(text.get().strip());
        } catch (IllegalArgumentException e) {
            found.add(new Problem(setting, OptionalInt.empty(), e.getMessage()));
            return null;
        }
    }

    /** The BGP identifier is four octets, written as an IPv4 address. */
    private static int routerId(String text) {
        try {
            InetAddress id = AddressText.parse(text);
            if (id.getAddress().length == 4) {
                return ByteBuffer.wrap(id.getAddress()).getInt();
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected an IPv4 address");
    }

    /** RFC 4271 4.2: zero (no keepalives) or at least three seconds, in a 16-bit field. */
    private static Duration holdTime(String text) {
        Duration hold = DurationText.parse(text);
        if (!hold.isZero() && (hold.compareTo(MIN_HOLD_TIME) < 0 || hold.compareTo(MAX_HOLD_TIME) > 0)) {
            throw new IllegalArgumentException("'" + text + "' is not 0 or 3-65535 seconds");
        }
        return hold;
    }

    private static Duration restartTime(String text) {
        Duration restart = DurationText.parse(text);
        if (restart.compareTo(MAX_RESTART_TIME) > 0) {
            throw new IllegalArgumentException("'" + text + "' is not 0-4095 seconds");
        }
        return restart;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a port 0-65535 (0: connect to the peers)");
    }
}

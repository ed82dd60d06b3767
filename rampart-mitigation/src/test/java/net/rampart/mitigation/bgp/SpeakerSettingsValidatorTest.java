package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator.Input;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator.Problem;
import net.rampart.mitigation.bgp.SpeakerSettingsValidator.Setting;
import org.junit.jupiter.api.Test;

/**
 * The rules both the RAMPART_BGP_* variables and the inventory's bgp section go through: each
 * bad value is reported against its setting, which the callers turn into a variable or a path.
 */
class SpeakerSettingsValidatorTest {

    private static final Input GOOD = new Input(List.of("192.0.2.1/65001"), Optional.of("65000"),
            Optional.of("10.0.0.1"), Optional.empty(), Optional.empty(), Optional.empty());

    /** GOOD with one setting written as {@code value} (empty: not given). */
    private static Input with(Setting setting, Optional<String> value) {
        return new Input(GOOD.peers(),
                setting == Setting.ASN ? value : GOOD.asn(),
                setting == Setting.ROUTER_ID ? value : GOOD.routerId(),
                setting == Setting.HOLD_TIME ? value : GOOD.holdTime(),
                setting == Setting.GRACEFUL_RESTART_TIME ? value : GOOD.gracefulRestartTime(),
                setting == Setting.PASSIVE_PORT ? value : GOOD.passivePort());
    }

    private static Input with(Setting setting, String value) {
        return with(setting, Optional.of(value));
    }

    private static Input withPeers(String... peers) {
        return new Input(List.of(peers), GOOD.asn(), GOOD.routerId(), GOOD.holdTime(), GOOD.gracefulRestartTime(),
                GOOD.passivePort());
    }

    /** The problems, checking that settings come back exactly when there are none. */
    private static List<Problem> problems(Input input) {
        List<Problem> found = new ArrayList<>();
        Optional<SpeakerSettings> settings = SpeakerSettingsValidator.validate(input, found::add);
        assertThat(settings.isPresent()).as("settings returned despite %s", found).isEqualTo(found.isEmpty());
        return found;
    }

    private static Problem problem(Setting setting, String message) {
        return new Problem(setting, OptionalInt.empty(), message);
    }

    @Test
    void unsetValuesTakeTheirDefaults() {
        SpeakerSettings s = SpeakerSettingsValidator.validate(GOOD, p -> { }).orElseThrow();
        assertThat(s.localAsn()).isEqualTo(65000);
        assertThat(s.routerId()).isEqualTo(0x0A000001);
        assertThat(s.peers()).extracting(Object::toString).containsExactly("192.0.2.1:179/65001");
        assertThat(s.holdTime()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.restartTime()).isZero();
        assertThat(s.passivePort()).isZero();
        assertThat(s.retryMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.retryMax()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theAsnAndRouterIdAreRequired() {
        assertThat(problems(with(Setting.ASN, Optional.empty())))
                .containsExactly(problem(Setting.ASN, "required with peers"));
        assertThat(problems(with(Setting.ROUTER_ID, Optional.empty())))
                .containsExactly(problem(Setting.ROUTER_ID, "required with peers"));
    }

    @Test
    void eachBadValueIsReportedAgainstItsSetting() {
        assertThat(problems(with(Setting.ASN, "AS0")))
                .containsExactly(problem(Setting.ASN, "'AS0' is not an AS number 1-4294967295"));
        // The BGP identifier is four octets: an IPv6 address does not fit.
        assertThat(problems(with(Setting.ROUTER_ID, "2001:db8::1")))
                .containsExactly(problem(Setting.ROUTER_ID, "expected an IPv4 address"));
        assertThat(problems(with(Setting.HOLD_TIME, "2s")))
                .containsExactly(problem(Setting.HOLD_TIME, "'2s' is not 0 or 3-65535 seconds"));
        assertThat(problems(with(Setting.HOLD_TIME, "65536s")))
                .containsExactly(problem(Setting.HOLD_TIME, "'65536s' is not 0 or 3-65535 seconds"));
        assertThat(problems(with(Setting.HOLD_TIME, "soon"))).singleElement()
                .satisfies(p -> assertThat(p.setting()).isEqualTo(Setting.HOLD_TIME))
                .satisfies(p -> assertThat(p.message()).startsWith("'soon' is not a duration"));
        assertThat(problems(with(Setting.GRACEFUL_RESTART_TIME, "4096s")))
                .containsExactly(problem(Setting.GRACEFUL_RESTART_TIME, "'4096s' is not 0-4095 seconds"));
        assertThat(problems(with(Setting.PASSIVE_PORT, "65536")))
                .containsExactly(problem(Setting.PASSIVE_PORT, "'65536' is not a port 0-65535 (0: connect to the peers)"));
    }

    @Test
    void theBoundsThemselvesAreAllowed() {
        // Hold time 0 means no keepalives at all (RFC 4271), not a too-short timer.
        assertThat(problems(with(Setting.HOLD_TIME, "0"))).isEmpty();
        assertThat(problems(with(Setting.HOLD_TIME, "3s"))).isEmpty();
        assertThat(problems(with(Setting.GRACEFUL_RESTART_TIME, "4095s"))).isEmpty();
        assertThat(problems(with(Setting.PASSIVE_PORT, "65535"))).isEmpty();
    }

    @Test
    void aBadPeerIsNamedByItsPlaceInTheList() {
        assertThat(problems(withPeers("192.0.2.1/65001", "router-a/65001")))
                .containsExactly(new Problem(Setting.PEERS, OptionalInt.of(1), "'router-a' is not an IP address"));
        assertThat(problems(withPeers())).containsExactly(problem(Setting.PEERS,
                "at least one address[:port]/asn is required"));
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        Input twoBad = new Input(List.of("192.0.2.1/65001"), Optional.of("x"), Optional.of("10.0.0.1"),
                Optional.empty(), Optional.empty(), Optional.of("port"));
        assertThat(problems(twoBad)).extracting(Problem::setting).containsExactly(Setting.ASN, Setting.PASSIVE_PORT);
    }
}

package net.rampart.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AsnTest {

    @ParameterizedTest
    @CsvSource({"65000, 65000", "AS65000, 65000", "as65000, 65000", "As65000, 65000", "0, 0", "AS0, 0",
            "4294967295, 4294967295", "AS4294967295, 4294967295", "007, 7"})
    void readsPlainAndAsPrefixedNumbers(String text, long asn) {
        assertThat(Asn.parse(text)).isEqualTo(asn);
    }

    @ParameterizedTest
    @CsvSource({"1.10, 65546", "AS1.10, 65546", "0.65535, 65535", "65535.65535, 4294967295", "1.0, 65536"})
    void readsAsdot(String text, long asn) {
        assertThat(Asn.parse(text)).isEqualTo(asn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "AS4294967296", "99999999999999999999999"})
    void refusesNumbersPastFourOctets(String text) {
        assertThatThrownBy(() -> Asn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the largest is 4294967295");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.65536", "65536.0", "AS1.65536"})
    void refusesAsdotHalvesPast65535(String text) {
        assertThatThrownBy(() -> Asn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+1", "AS-1", "65000x", "AS 65000", " 65000", "1.2.3", "1e3", "ASN65000", "0x10"})
    void refusesWhatIsNoNumber(String text) {
        assertThatThrownBy(() -> Asn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not an AS number such as 65000, AS65000 or asdot 1.10");
    }

    @Test
    void saysWhatIsMissing() {
        assertThatThrownBy(() -> Asn.parse("")).hasMessage("an empty text is not an AS number");
        assertThatThrownBy(() -> Asn.parse("AS")).hasMessage("'AS' is not an AS number: no digits follow AS");
        assertThatThrownBy(() -> Asn.parse("as")).hasMessage("'as' is not an AS number: no digits follow AS");
        assertThatThrownBy(() -> Asn.parse("1.")).hasMessageContaining("a number on both sides of the dot");
        assertThatThrownBy(() -> Asn.parse(".1")).hasMessageContaining("a number on both sides of the dot");
    }

    @Test
    void checkAcceptsTheRangeAndRefusesOutsideIt() {
        Asn.check(0);
        Asn.check(Asn.MAX);
        assertThatThrownBy(() -> Asn.check(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Asn.check(Asn.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

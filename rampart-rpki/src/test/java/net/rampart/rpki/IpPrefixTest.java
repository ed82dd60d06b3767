package net.rampart.rpki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void parsesAndPrintsCanonically() {
        assertThat(IpPrefix.parse("192.0.2.0/24").toString()).isEqualTo("192.0.2.0/24");
        assertThat(IpPrefix.parse("2001:DB8::/32").toString()).isEqualTo("2001:db8::/32");
        assertThat(IpPrefix.parse("2001:0db8:0:0:0:0:0:0/32").toString()).isEqualTo("2001:db8::/32");
        assertThat(IpPrefix.parse("2001:db8:0:1:0:0:1:0/112").toString()).isEqualTo("2001:db8:0:1::1:0/112");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.0", "2001:db8::1/32",
        "2001:db8::/129", "2001:db8:::/32", "1:2:3:4:5:6:7:8:9/128", "host.example/24", "10.0.0.0/08", "256.0.0.0/8"})
    void rejectsNonCanonicalOrMalformed(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void textRoundTrips(@ForAll("prefixes") IpPrefix p) {
        assertThat(IpPrefix.parse(p.toString())).isEqualTo(p);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<IpPrefix> prefixes() {
        return RpkiArbitraries.prefixes();
    }

    @Test
    void coversIsReflexiveAndByLength() {
        IpPrefix p16 = IpPrefix.parse("10.1.0.0/16");
        assertThat(p16.covers(p16)).isTrue();
        assertThat(p16.covers(IpPrefix.parse("10.1.2.0/24"))).isTrue();
        assertThat(IpPrefix.parse("10.1.2.0/24").covers(p16)).isFalse();
        assertThat(p16.covers(IpPrefix.parse("10.2.0.0/24"))).isFalse();
    }
}

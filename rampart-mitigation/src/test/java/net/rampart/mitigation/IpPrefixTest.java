package net.rampart.mitigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void formatsCanonicalCidr() {
        assertThat(IpPrefix.parse("192.0.2.0/24").toString()).isEqualTo("192.0.2.0/24");
        // IPv6 is hex: upper case and leading zeros in a group are unambiguous, so accepted.
        assertThat(IpPrefix.parse("2001:0DB8:0:0:0:0:0:0/32").toString()).isEqualTo("2001:db8::/32");
        assertThat(IpPrefix.parse("2001:db8:dead::/48").toString()).isEqualTo("2001:db8:dead::/48");
        assertThat(IpPrefix.parse("2001:db8::1").toString()).isEqualTo("2001:db8::1/128");
        assertThat(IpPrefix.parse("192.0.2.1").toString()).isEqualTo("192.0.2.1/32");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("2001:db8:0:1:0:0:0:1/128").toString()).isEqualTo("2001:db8:0:1::1/128");
    }

    /** Host bits are refused, not cleared: only the sender knows whether the length or the address is wrong. */
    @Test
    void refusesHostBitsNamingTheCanonicalPrefix() {
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8:dead::1/48"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'2001:db8:dead::1/48' has host bits set; did you mean 2001:db8:dead::/48?");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.77/24"))
                .hasMessage("'192.0.2.77/24' has host bits set; did you mean 192.0.2.0/24?");
        assertThatThrownBy(() -> IpPrefix.parse("0.0.0.1/0"))
                .hasMessage("'0.0.0.1/0' has host bits set; did you mean 0.0.0.0/0?");
        // Built from an address and a length in code, a prefix is still masked, and masked correctly.
        assertThat(IpPrefix.of(IpPrefix.parseAddress("2001:db8:dead::1"), 48).toString())
                .isEqualTo("2001:db8:dead::/48");
    }

    @Test
    void refusesNonCanonicalAddresses() {
        // "024" is 24 to Java but 20 to inet_aton: a leading zero makes the address ambiguous.
        assertThatThrownBy(() -> IpPrefix.parseAddress("192.0.2.024"))
                .hasMessage("'192.0.2.024' is not a canonical IPv4 address: octet '024' has a leading zero");
        assertThatThrownBy(() -> IpPrefix.parseAddress("010.0.0.1")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> IpPrefix.parseAddress("192.0.2.00")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.024/32")).hasMessageContaining("leading zero");
        // The JDK reads an IPv4-mapped IPv6 address as IPv4, silently changing the family.
        assertThatThrownBy(() -> IpPrefix.parseAddress("::ffff:192.0.2.1"))
                .hasMessage("'::ffff:192.0.2.1' is an IPv4-mapped IPv6 address; write the IPv4 address 192.0.2.1");
        assertThatThrownBy(() -> IpPrefix.parseAddress("::ffff:c000:201")).hasMessageContaining("IPv4-mapped");
        assertThatThrownBy(() -> IpPrefix.parse("::ffff:192.0.2.0/120")).hasMessageContaining("IPv4-mapped");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/024")).hasMessage("bad prefix length in '192.0.2.0/024'");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/+24")).hasMessage("bad prefix length in '192.0.2.0/+24'");

        assertThat(IpPrefix.formatAddress(IpPrefix.parseAddress("0.0.0.0"))).isEqualTo("0.0.0.0");
        assertThat(IpPrefix.formatAddress(IpPrefix.parseAddress("192.0.2.240"))).isEqualTo("192.0.2.240");
        assertThat(IpPrefix.parseAddress("2001:0db8::0001")).isEqualTo(IpPrefix.parseAddress("2001:db8::1"));
        assertThat(IpPrefix.parse("10.0.0.0/8").length()).isEqualTo(8);
    }

    @Test
    void containsAndCoversRespectFamilyAndLength() {
        IpPrefix v4 = IpPrefix.parse("192.0.2.0/24");
        assertThat(v4.contains(IpPrefix.parseAddress("192.0.2.200"))).isTrue();
        assertThat(v4.contains(IpPrefix.parseAddress("192.0.3.1"))).isFalse();
        assertThat(v4.contains(IpPrefix.parseAddress("2001:db8::1"))).isFalse();
        assertThat(v4.covers(IpPrefix.parse("192.0.2.128/25"))).isTrue();
        assertThat(v4.covers(IpPrefix.parse("192.0.0.0/16"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/32").covers(IpPrefix.parse("2001:db8:1::/48"))).isTrue();
    }

    @Test
    void refusesNamesAndBadLengths() {
        assertThatThrownBy(() -> IpPrefix.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("300.0.2.0/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void ipv6FormatParsesBackToTheSamePrefix(@ForAll @Size(16) byte[] address, @ForAll @IntRange(max = 128) int length)
            throws Exception {
        IpPrefix p = IpPrefix.of(java.net.InetAddress.getByAddress(address), length);
        if (p.isIpv4()) {
            return; // an IPv4-mapped address comes back as IPv4 from the JDK; not what this checks
        }
        assertThat(IpPrefix.parse(p.toString())).isEqualTo(p);
    }
}

package net.rampart.wire.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void parsesAndPrintsCanonically() {
        assertThat(IpPrefix.parse("192.0.2.0/24")).isEqualTo(new Ipv4Prefix(0xC0000200, 24));
        assertThat(IpPrefix.parse("192.0.2.0/24").toString()).isEqualTo("192.0.2.0/24");
        // IPv6 is hex: upper case and leading zeros in a group are unambiguous, so accepted.
        assertThat(IpPrefix.parse("2001:0DB8:0:0:0:0:0:0/32").toString()).isEqualTo("2001:db8::/32");
        assertThat(IpPrefix.parse("2001:DB8::/32").toString()).isEqualTo("2001:db8::/32");
        assertThat(IpPrefix.parse("2001:db8:dead::/48").toString()).isEqualTo("2001:db8:dead::/48");
        assertThat(IpPrefix.parse("2001:db8:0:1:0:0:1:0/112").toString()).isEqualTo("2001:db8:0:1::1:0/112");
        assertThat(IpPrefix.parse("2001:db8:0:1:0:0:0:1/128").toString()).isEqualTo("2001:db8:0:1::1/128");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("0.0.0.0/0").toString()).isEqualTo("0.0.0.0/0");
        assertThat(IpPrefix.parse(" 10.0.0.0/8 ").length()).isEqualTo(8);
        // RFC 4291 section 2.2: the last 32 bits may be written as a dotted quad.
        assertThat(IpPrefix.parse("64:ff9b::192.0.2.0/120").toString()).isEqualTo("64:ff9b::c000:200/120");
    }

    @Test
    void aPrefixHasALengthAndAnAddressIsItsHostPrefix() {
        assertThat(IpPrefix.host(AddressText.parse("2001:db8::1")).toString()).isEqualTo("2001:db8::1/128");
        assertThat(IpPrefix.host(AddressText.parse("192.0.2.1")).toString()).isEqualTo("192.0.2.1/32");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0"))
                .hasMessage("'10.0.0.0' has no prefix length; write address/length, e.g. 192.0.2.0/24");
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8::"))
                .hasMessage("'2001:db8::' has no prefix length; write address/length, e.g. 2001:db8::/32");
        // Text that is no address at all is called that, not an address missing its length.
        assertThatThrownBy(() -> IpPrefix.parse("not-a-prefix")).hasMessage("'not-a-prefix' is not an IP address");
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
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.1/8")).hasMessageContaining("did you mean 10.0.0.0/8?");
        assertThatThrownBy(() -> new Ipv4Prefix(0x0A000001, 8)).hasMessage("host bits set in 10.0.0.1/8; did you mean 10.0.0.0/8?");
        // Built from an address and a length in code (or off the wire), a prefix is masked, and masked correctly.
        assertThat(IpPrefix.of(AddressText.parse("2001:db8:dead::1"), 48).toString()).isEqualTo("2001:db8:dead::/48");
        assertThat(Ipv4Prefix.of(0x0A0000FF, 24).toString()).isEqualTo("10.0.0.0/24");
    }

    @Test
    void refusesNonCanonicalAddresses() {
        // "024" is 24 to Java but 20 to inet_aton: a leading zero makes the address ambiguous.
        assertThatThrownBy(() -> AddressText.parse("192.0.2.024"))
                .hasMessage("'192.0.2.024' is not a canonical IPv4 address: octet '024' has a leading zero");
        assertThatThrownBy(() -> AddressText.parse("010.0.0.1")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> AddressText.parse("192.0.2.00")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.024/32")).hasMessageContaining("leading zero");
        // The JDK reads an IPv4-mapped IPv6 address as IPv4, silently changing the family.
        assertThatThrownBy(() -> AddressText.parse("::ffff:192.0.2.1"))
                .hasMessage("'::ffff:192.0.2.1' is an IPv4-mapped IPv6 address; write the IPv4 address 192.0.2.1");
        assertThatThrownBy(() -> AddressText.parse("::ffff:c000:201")).hasMessageContaining("IPv4-mapped");
        assertThatThrownBy(() -> IpPrefix.parse("::ffff:192.0.2.0/120")).hasMessageContaining("IPv4-mapped");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/024")).hasMessage("bad prefix length in '192.0.2.0/024'");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/+24")).hasMessage("bad prefix length in '192.0.2.0/+24'");
        assertThatThrownBy(() -> IpPrefix.parse("192.0.2.0/33")).hasMessage("prefix length 33 exceeds 32 in '192.0.2.0/33'");

        assertThat(AddressText.of(AddressText.parse("0.0.0.0"))).isEqualTo("0.0.0.0");
        assertThat(AddressText.of(AddressText.parse("192.0.2.240"))).isEqualTo("192.0.2.240");
        assertThat(AddressText.parse("2001:0db8::0001")).isEqualTo(AddressText.parse("2001:db8::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0/8", "010.0.0.0/8", "10.0.0.0", "2001:db8::1/32",
        "2001:db8::/129", "2001:db8:::/32", "1:2:3:4:5:6:7:8:9/128", "host.example/24", "10.0.0.0/08", "256.0.0.0/8",
        "localhost", "", "/24", "10.0.0.0/", "1:2:3:4:5:6:7/64", ":1::/64", "12345::/16", "10.0.0.0.0/8",
        "1.2.3.4::/64", "::1.2.3/128", "2001:db8::g/128", "192.0.2.0/x", "300.0.2.0/24"})
    void refusesNonCanonicalOrMalformed(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void coversAndContainsRespectFamilyAndLength() {
        IpPrefix v4 = IpPrefix.parse("192.0.2.0/24");
        assertThat(v4.contains(AddressText.parse("192.0.2.200"))).isTrue();
        assertThat(v4.contains(AddressText.parse("192.0.3.1"))).isFalse();
        assertThat(v4.contains(AddressText.parse("2001:db8::1"))).isFalse();
        assertThat(v4.covers(v4)).isTrue();
        assertThat(v4.covers(IpPrefix.parse("192.0.2.128/25"))).isTrue();
        assertThat(v4.covers(IpPrefix.parse("192.0.0.0/16"))).isFalse();
        assertThat(v4.covers(IpPrefix.parse("192.0.3.0/25"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/32").covers(IpPrefix.parse("2001:db8:1::/48"))).isTrue();
        // ::/0 and 0.0.0.0/0 have the same bits in the shared layout but not the same family.
        assertThat(IpPrefix.parse("::/0").covers(v4)).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").covers(IpPrefix.parse("::/128"))).isFalse();
    }

    @Test
    void sharedLayoutAndOrder() {
        IpPrefix v4 = IpPrefix.parse("192.0.2.0/24");
        assertThat(v4.high()).isEqualTo(0xC0000200_00000000L);
        assertThat(v4.low()).isZero();
        assertThat(IpPrefix.of(false, v4.high(), 0, 24)).isEqualTo(v4);
        assertThat(IpPrefix.of(true, 0x20010db8_00000000L, 0, 32)).isEqualTo(IpPrefix.parse("2001:db8::/32"));
        assertThat(v4.truncate(16)).isEqualTo(IpPrefix.parse("192.0.0.0/16"));

        List<IpPrefix> sorted = new ArrayList<>(List.of(IpPrefix.parse("::/0"), IpPrefix.parse("10.0.0.0/16"),
                IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("9.0.0.0/8"), IpPrefix.parse("128.0.0.0/1")));
        Collections.sort(sorted);
        assertThat(sorted).map(IpPrefix::toString)
                .containsExactly("9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "128.0.0.0/1", "::/0");
    }

    @Test
    void addressesKeepTheirFamily() {
        // Off the wire an IPv4-mapped IPv6 address stays IPv6; InetAddress.getByAddress would make it IPv4.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        assertThat(Ipv6Prefix.of(mapped, 128).inetAddress().getAddress()).isEqualTo(mapped);
        assertThat(IpPrefix.parse("192.0.2.0/24").inetAddress().getAddress()).hasSize(4);
    }

    @Property
    void textRoundTrips(@ForAll @Size(16) byte[] address, @ForAll @IntRange(max = 128) int length)
            throws UnknownHostException {
        Ipv6Prefix p = Ipv6Prefix.of(address, length);
        if (p.high() == 0 && p.low() >>> 32 == 0xFFFF) {
            return; // IPv4-mapped text is refused by design
        }
        assertThat(IpPrefix.parse(p.toString())).isEqualTo(p);
        // The JDK hands an IPv4-mapped address back as IPv4, whatever the length keeps of it.
        if (InetAddress.getByAddress(address) instanceof Inet6Address a) {
            assertThat(IpPrefix.of(a, length)).isEqualTo(p);
        }
    }

    @Property
    void ipv4TextRoundTrips(@ForAll int address, @ForAll @IntRange(max = 32) int length) {
        Ipv4Prefix p = Ipv4Prefix.of(address, length);
        assertThat(Ipv4Prefix.parse(p.toString())).isEqualTo(p);
        assertThat(IpPrefix.of(p.inetAddress(), length)).isEqualTo(p);
    }
}

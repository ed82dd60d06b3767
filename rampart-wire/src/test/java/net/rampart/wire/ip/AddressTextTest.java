package net.rampart.wire.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest
    @CsvSource({"192.0.2.1, 192.0.2.1", "0.0.0.0, 0.0.0.0", "2001:db8:0:0:0:0:0:2, 2001:db8::2",
            "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "0:0:0:0:0:0:0:1, ::1", "0:0:0:0:0:0:0:0, ::",
            "fe80:0:0:0:0:0:0:0, fe80::", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "0:0:0:0:0:1:c000:201, ::1:c000:201"})
    void ipv6IsWrittenInRfc5952Form(String literal, String expected) throws Exception {
        InetAddress address = InetAddress.getByName(literal); // a literal is parsed, never looked up
        assertThat(AddressText.of(address)).isEqualTo(expected);
        assertThat(AddressText.of(address.getAddress())).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void ipv4MappedAddressesUseTheMixedNotation() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 54};
        assertThat(AddressText.of(mapped)).isEqualTo("::ffff:203.0.113.54");
    }

    @ParameterizedTest
    @CsvSource({"0", "5", "17"})
    void otherLengthsAreRefused(int length) {
        assertThatThrownBy(() -> AddressText.of(new byte[length])).isInstanceOf(IllegalArgumentException.class);
    }
}

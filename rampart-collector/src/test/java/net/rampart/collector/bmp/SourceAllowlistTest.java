package net.rampart.collector.bmp;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceAllowlistTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void emptyListAllowsEverySource() throws Exception {
        var allowlist = SourceAllowlist.parse(" ");
        assertThat(allowlist.allowsAll()).isTrue();
        assertThat(allowlist.permits(ip("203.0.113.9"))).isTrue();
        assertThat(allowlist).hasToString("any");
    }

    @Test
    void ipv4AndIpv6NetworksAndSingleHosts() throws Exception {
        var allowlist = SourceAllowlist.parse("192.0.2.0/24, 2001:db8::/32,198.51.100.7,10.0.0.0/9");
        assertThat(allowlist.permits(ip("192.0.2.200"))).isTrue();
        assertThat(allowlist.permits(ip("192.0.3.1"))).isFalse();
        assertThat(allowlist.permits(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(allowlist.permits(ip("2001:db9::1"))).isFalse();
        assertThat(allowlist.permits(ip("198.51.100.7"))).isTrue();
        assertThat(allowlist.permits(ip("198.51.100.8"))).isFalse();
        assertThat(allowlist.permits(ip("10.127.255.255"))).isTrue();
        assertThat(allowlist.permits(ip("10.128.0.0"))).isFalse();
    }

    @Test
    void badEntriesAreNamed() {
        assertThatThrownBy(() -> SourceAllowlist.parse("192.0.2.0/24,router.example")).hasMessageContaining("'router.example'");
        assertThatThrownBy(() -> SourceAllowlist.parse("192.0.2.0/33")).hasMessageContaining("prefix length 33 exceeds 32");
        assertThatThrownBy(() -> SourceAllowlist.parse("2001:db8::/x")).hasMessageContaining("bad prefix length");
        // One parse rule with every other prefix: host bits are refused, not cleared.
        assertThatThrownBy(() -> SourceAllowlist.parse("192.0.2.1/24")).hasMessageContaining("did you mean 192.0.2.0/24?");
    }
}

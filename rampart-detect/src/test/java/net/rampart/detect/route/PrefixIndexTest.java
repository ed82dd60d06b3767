package net.rampart.detect.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {

    /** The trie agrees with a scan of every entry, on prefixes drawn from a narrow space so that many overlap. */
    @Property
    void findsTheLongestCoveringPrefixAsAScanWould(
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 255) Integer> addresses,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 8) Integer> lengths,
            @ForAll @IntRange(min = 0, max = 255) int queryAddress,
            @ForAll @IntRange(min = 0, max = 8) int queryLength) {
        Map<IpPrefix, IpPrefix> entries = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(addresses.size(), lengths.size()); i++) {
            IpPrefix p = Ipv4Prefix.of(addresses.get(i) << 24, lengths.get(i));
            entries.put(p, p);
        }
        IpPrefix query = Ipv4Prefix.of(queryAddress << 24 | 0x00AB_CD00, 8 + queryLength * 3);
        IpPrefix scanned = entries.keySet().stream().filter(p -> p.covers(query))
                .max(Comparator.comparingInt(IpPrefix::length)).orElse(null);

        assertThat(new PrefixIndex<>(entries).longestCovering(query)).isEqualTo(scanned);
    }

    @Test
    void keepsTheFamiliesApartAndReachesIntoTheLowHalfOfIpv6() {
        IpPrefix everything4 = IpPrefix.parse("0.0.0.0/0");
        IpPrefix deep6 = IpPrefix.parse("2001:db8::1:0/112");
        PrefixIndex<IpPrefix> index = new PrefixIndex<>(Map.of(everything4, everything4, deep6, deep6));

        assertThat(index.longestCovering(IpPrefix.parse("2001:db8::1:0/120"))).isEqualTo(deep6);
        assertThat(index.longestCovering(IpPrefix.parse("2001:db8::2:0/120"))).isNull();
        assertThat(index.longestCovering(IpPrefix.parse("2001:db8::/32"))).isNull();
        assertThat(index.longestCovering(IpPrefix.parse("198.51.100.0/24"))).isEqualTo(everything4);
    }
}

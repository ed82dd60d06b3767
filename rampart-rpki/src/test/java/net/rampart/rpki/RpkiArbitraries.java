package net.rampart.rpki;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;

/** Small, clustered VRP and route generators so that covering and overlapping cases are common. */
final class RpkiArbitraries {

    private RpkiArbitraries() {
    }

    static Arbitrary<IpPrefix> prefixes() {
        Arbitrary<IpPrefix> v4 = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(8, 26))
                .as((a, b, len) -> new Ipv4Prefix((10 + a) << 24 | b << 16 | (b * 7 & 0xFF) << 8, 32).truncate(len));
        Arbitrary<IpPrefix> v6 = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(16, 56))
                .as((a, b, len) -> new Ipv6Prefix(0x2001_0db8_0000_0000L | (long) a << 24 | (long) b << 8, 0, 128)
                        .truncate(len));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, v4), net.jqwik.api.Tuple.of(1, v6));
    }

    static Arbitrary<Vrp> vrps() {
        return prefixes().flatMap(p -> Combinators.combine(
                Arbitraries.integers().between(p.length(), Math.min(p.maxLength(), p.length() + 4)),
                Arbitraries.longs().between(0, 5)).as((max, asn) -> new Vrp(p, max, 64_500 + asn)));
    }

    static Arbitrary<AspaRecord> aspas() {
        return Combinators.combine(Arbitraries.longs().between(64_500, 64_505),
                Arbitraries.longs().between(64_500, 64_510).array(long[].class).ofMaxSize(4)).as(AspaRecord::new);
    }
}

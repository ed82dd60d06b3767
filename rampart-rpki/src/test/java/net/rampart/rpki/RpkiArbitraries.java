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

    /**
     * Prefixes over the whole address space of both families, every length from /0 to /32 or
     * /128: near a few anchor addresses (the lowest and highest of the family among them) so
     * that they nest, and across the lookup's bucket and /64 boundaries.
     */
    static Arbitrary<IpPrefix> prefixesAnywhere() {
        Arbitrary<Integer> v4Length = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.integers()
                .between(0, 32)), net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 15, 16, 17, 24, 31, 32)));
        Arbitrary<IpPrefix> v4 = Combinators.combine(Arbitraries.of(0, 0x0A00_0000, 0x0AFF_FF00, 0xC0A8_0000, -1),
                Arbitraries.integers(), Arbitraries.integers().between(0, 32), v4Length)
                .as((anchor, noise, noiseBits, len) -> new Ipv4Prefix(anchor ^ (int) (noise & ((1L << noiseBits) - 1)
                        ), 32).truncate(len));
        Arbitrary<Integer> v6Length = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.integers()
                .between(0, 128)), net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 15, 16, 17, 48, 63, 64, 65, 127,
                128)));
        Arbitrary<IpPrefix> v6 = Combinators.combine(Arbitraries.of(0L, 0x2001_0db8_0000_0000L, -1L),
                Arbitraries.of(0L, 0x1_0000L, -1L), Arbitraries.longs(), Arbitraries.integers().between(0, 80),
                v6Length).as((high, low, noise, noiseBits, len) -> {
                    // The noise flips bits at the end of the address: of the low half first, then of the high.
                    long lowNoise = noiseBits >= 64 ? noise : noise & ((1L << noiseBits) - 1);
                    long highNoise = noiseBits <= 64 ? 0 : noise & ((1L << (noiseBits - 64)) - 1);
                    return new Ipv6Prefix(high ^ highNoise, low ^ lowNoise, 128).truncate(len);
                });
        return Arbitraries.oneOf(v4, v6);
    }

    /** VRPs on {@link #prefixesAnywhere()}, maximum lengths up to the family's longest. */
    static Arbitrary<Vrp> vrpsAnywhere() {
        return prefixesAnywhere().flatMap(p -> Combinators.combine(
                Arbitraries.integers().between(p.length(), p.maxLength()).edgeCases(e -> e.add(p.length())),
                Arbitraries.longs().between(0, 5)).as((max, asn) -> new Vrp(p, max, 64_500 + asn)));
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

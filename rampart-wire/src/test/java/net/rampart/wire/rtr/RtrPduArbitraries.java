package net.rampart.wire.rtr;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid PDUs of every type and version. */
final class RtrPduArbitraries {

    private RtrPduArbitraries() {
    }

    static Arbitrary<Integer> versions() {
        return Arbitraries.integers().between(0, RtrPdu.MAX_VERSION);
    }

    static Arbitrary<Integer> sessionIds() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    static Arbitrary<Long> asns() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFFL);
    }

    static Arbitrary<SerialNotify> serialNotify() {
        return Combinators.combine(versions(), sessionIds(), Arbitraries.integers()).as(SerialNotify::new);
    }

    static Arbitrary<SerialQuery> serialQuery() {
        return Combinators.combine(versions(), sessionIds(), Arbitraries.integers()).as(SerialQuery::new);
    }

    static Arbitrary<ResetQuery> resetQuery() {
        return versions().map(ResetQuery::new);
    }

    static Arbitrary<CacheResponse> cacheResponse() {
        return Combinators.combine(versions(), sessionIds()).as(CacheResponse::new);
    }

    static Arbitrary<CacheReset> cacheReset() {
        return versions().map(CacheReset::new);
    }

    static Arbitrary<Ipv4PrefixPdu> ipv4Prefix() {
        return Arbitraries.integers().between(0, 32).flatMap(len -> Combinators.combine(versions(),
                Arbitraries.of(true, false), Arbitraries.integers().between(len, 32), Arbitraries.integers(), asns())
                .as((v, a, max, addr, asn) -> new Ipv4PrefixPdu(v, a, len, max, addr, asn)));
    }

    static Arbitrary<Ipv6PrefixPdu> ipv6Prefix() {
        return Arbitraries.integers().between(0, 128).flatMap(len -> Combinators.combine(versions(),
                Arbitraries.of(true, false), Arbitraries.integers().between(len, 128), Arbitraries.longs(),
                Arbitraries.longs(), asns())
                .as((v, a, max, hi, lo, asn) -> new Ipv6PrefixPdu(v, a, len, max, hi, lo, asn)));
    }

    static Arbitrary<EndOfData> endOfData() {
        Arbitrary<Long> interval = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<EndOfData> v0 = Combinators.combine(sessionIds(), Arbitraries.integers()).as(EndOfData::v0);
        Arbitrary<EndOfData> v1 = Combinators.combine(Arbitraries.integers().between(1, RtrPdu.MAX_VERSION),
                sessionIds(), Arbitraries.integers(), interval, interval, interval).as(EndOfData::new);
        return Arbitraries.oneOf(v0, v1);
    }

    static Arbitrary<RouterKey> routerKey() {
        return Combinators.combine(Arbitraries.integers().between(1, RtrPdu.MAX_VERSION), Arbitraries.of(true, false),
                bytes(20, 20), asns(), bytes(0, 200)).as(RouterKey::new);
    }

    static Arbitrary<ErrorReport> errorReport() {
        return Combinators.combine(versions(), Arbitraries.integers().between(0, 0xFFFF), bytes(0, 64),
                Arbitraries.strings().ofMaxLength(80).filter(s -> !hasLoneSurrogate(s))).as(ErrorReport::new);
    }

    static Arbitrary<Aspa> aspa() {
        return Combinators.combine(Arbitraries.of(true, false), asns(),
                Arbitraries.integers().array(int[].class).ofMaxSize(40))
                .as((a, customer, providers) -> new Aspa(2, a, customer, providers));
    }

    static Arbitrary<RtrPdu> anyPdu() {
        return Arbitraries.oneOf(serialNotify(), serialQuery(), resetQuery(), cacheResponse(), cacheReset(),
                ipv4Prefix(), ipv6Prefix(), endOfData(), routerKey(), errorReport(), aspa());
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    /** A lone surrogate cannot be encoded as UTF-8, so it is not a text an Error Report can carry. */
    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}

package net.rampart.collector.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.RouteOriginState;
import org.junit.jupiter.api.Test;

class PrefixTableTest {
    private static final PathAttributes A = PathAttributes.builder().origin(0).build();
    private static final PathAttributes B = PathAttributes.builder().origin(1).build();

    record Op(boolean put, RouteKey key, boolean attrsA) {
    }

    @Provide
    Arbitrary<List<Op>> ipv4Ops() {
        // A small key space so that puts, replacements and removals of the same key collide often.
        Arbitrary<RouteKey> keys = Combinators.combine(Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(20, 24), Arbitraries.integers().between(0, 2))
                .as((a, len, path) -> new Ipv4RouteKey(a << 8, len, path == 2 ? -7 : path));
        return Combinators.combine(Arbitraries.of(true, true, false), keys, Arbitraries.of(true, false))
                .as(Op::new).list().ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<Op>> ipv6Ops() {
        Arbitrary<RouteKey> keys = Combinators.combine(Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(0, 3), Arbitraries.integers().between(60, 70),
                Arbitraries.integers().between(0, 2))
                .as((h, l, len, path) -> new Ipv6RouteKey(h << 40, l << 62, len, path));
        return Combinators.combine(Arbitraries.of(true, true, false), keys, Arbitraries.of(true, false))
                .as(Op::new).list().ofMaxSize(400);
    }

    @Property
    void ipv4TableBehavesLikeAMap(@ForAll("ipv4Ops") List<Op> ops) {
        checkAgainstMap(new PrefixTable(false), ops);
    }

    @Property
    void ipv6TableBehavesLikeAMap(@ForAll("ipv6Ops") List<Op> ops) {
        checkAgainstMap(new PrefixTable(true), ops);
    }

    private static void checkAgainstMap(PrefixTable table, List<Op> ops) {
        Map<RouteKey, PathAttributes> model = new HashMap<>();
        for (Op op : ops) {
            if (op.put()) {
                PathAttributes a = op.attrsA() ? A : B;
                assertThat(table.put(op.key(), a, 1, (short) 1, OriginValidator.NONE)).isSameAs(model.put(op.key(), a));
            } else {
                assertThat(table.remove(op.key())).isSameAs(model.remove(op.key()));
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<RouteKey, PathAttributes> e : model.entrySet()) {
            assertThat(table.get(e.getKey())).isSameAs(e.getValue());
        }
        Map<RouteKey, PathAttributes> seen = new HashMap<>();
        table.forEach((key, attributes, time) -> seen.put(key, attributes));
        assertThat(seen).isEqualTo(model);
    }

    @Test
    void pathIdsAndLengthsAreDistinctKeys() {
        PrefixTable t = new PrefixTable(false);
        t.put(Ipv4RouteKey.parse("10.0.0.0/8", 0), A, 1, (short) 1, OriginValidator.NONE);
        t.put(Ipv4RouteKey.parse("10.0.0.0/8", 1), B, 1, (short) 1, OriginValidator.NONE);
        t.put(Ipv4RouteKey.parse("10.0.0.0/9", 0), B, 1, (short) 1, OriginValidator.NONE);
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.get(Ipv4RouteKey.parse("10.0.0.0/8", 0))).isSameAs(A);
        assertThat(t.get(Ipv4RouteKey.parse("10.0.0.0/8", 1))).isSameAs(B);
    }

    @Test
    void ipv6HostRoutesKeepTheirLengthThroughReplaceResizeAndRemove() {
        PrefixTable t = new PrefixTable(true);
        for (int i = 0; i < 100; i++) {
            t.put(new Ipv6RouteKey(0x2001_0db8_0000_0000L, i, 128, 0), A, 1, (short) 1, OriginValidator.NONE);
            t.put(new Ipv6RouteKey(0x2001_0db8_0000_0000L, i, 128, 0), B, 2, (short) 1, OriginValidator.NONE);
        }
        t.put(Ipv6RouteKey.parse("2001:db8::/127", 0), A, 1, (short) 1, OriginValidator.NONE);
        assertThat(t.size()).isEqualTo(101);
        assertThat(t.get(new Ipv6RouteKey(0x2001_0db8_0000_0000L, 7, 128, 0))).isSameAs(B);
        java.util.Set<String> lengths = new java.util.TreeSet<>();
        t.forEach((key, attributes, time) -> lengths.add(key.text().substring(key.text().indexOf('/'))));
        assertThat(lengths).containsExactly("/127", "/128");
        for (int i = 0; i < 100; i++) {
            assertThat(t.remove(new Ipv6RouteKey(0x2001_0db8_0000_0000L, i, 128, 0))).isSameAs(B);
        }
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void rejectsKeysOfAnotherFamily() {
        assertThatThrownBy(() -> new PrefixTable(false).put(Ipv6RouteKey.parse("2001:db8::/32", 0), A, 1, (short) 1, OriginValidator.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aRouteStaysUntilEverySessionHoldingItIsReleased(@ForAll("ipv4Ops") List<Op> v4, @ForAll("ipv6Ops") List<Op> v6) {
        checkRelease(new PrefixTable(false), v4);
        checkRelease(new PrefixTable(true), v6);
    }

    /**
     * Puts the keys as held by sessions 1, 2 and 15 in turn (the top bit, which is the sign of a
     * short), so a repeated key gains holders, then releases each session in turn and checks
     * which routes are gone and which stay.
     */
    private static void checkRelease(PrefixTable table, List<Op> ops) {
        short[] sessions = {1 << 1, 1 << 2, (short) (1 << 15)};
        Map<RouteKey, Integer> model = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            short holder = sessions[i % sessions.length];
            table.put(ops.get(i).key(), A, i, holder, OriginValidator.NONE);
            model.merge(ops.get(i).key(), holder & 0xFFFF, (a, b) -> a | b);
        }
        for (short holder : sessions) {
            int bit = holder & 0xFFFF;
            List<RouteKey> removed = new java.util.ArrayList<>();
            int n = table.release(holder, (key, attributes, time) -> removed.add(key));
            List<RouteKey> expected = model.entrySet().stream().filter(e -> e.getValue() == bit)
                    .map(Map.Entry::getKey).toList();
            model.replaceAll((key, mask) -> mask & ~bit);
            model.values().removeIf(mask -> mask == 0);
            assertThat(n).isEqualTo(expected.size());
            assertThat(removed).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(table.size()).isEqualTo(model.size());
            assertThat(table.stateCounts()[RouteOriginState.NOT_FOUND.ordinal()]).isEqualTo(model.size());
            for (RouteKey key : model.keySet()) {
                assertThat(table.get(key)).isSameAs(A);
            }
        }
        assertThat(table.size()).isZero();
    }

    @Test
    void aMillionIpv4RoutesFitTheMemoryBudget() {
        PrefixTable t = new PrefixTable(false);
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            t.put(new Ipv4RouteKey(i << 8, 24, 0), A, i, (short) 1, OriginValidator.NONE);
        }
        assertThat(t.size()).isEqualTo(n);
        // Target from the collector's design: at most 120 bytes per route, attributes excluded.
        assertThat(t.footprintBytes() / (double) n).isLessThanOrEqualTo(120.0);
        for (int i = 0; i < n; i++) {
            t.remove(new Ipv4RouteKey(i << 8, 24, 0));
        }
        assertThat(t.size()).isZero();
        assertThat(t.footprintBytes()).isLessThan(4096);
    }
}

package net.rampart.rpki;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What changed between two snapshots: items announced (only in the newer) and withdrawn
 * (only in the older). A changed ASPA is the old record withdrawn and the new one
 * announced. No item is both announced and withdrawn. Lists are sorted.
 */
public record RpkiDelta(List<Vrp> announcedVrps, List<Vrp> withdrawnVrps, List<AspaRecord> announcedAspas,
        List<AspaRecord> withdrawnAspas, List<RouterKeyRecord> announcedKeys, List<RouterKeyRecord> withdrawnKeys) {

    public static final RpkiDelta EMPTY = new RpkiDelta(List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of());

    public RpkiDelta {
        announcedVrps = sorted(announcedVrps);
        withdrawnVrps = sorted(withdrawnVrps);
        announcedAspas = sorted(announcedAspas);
        withdrawnAspas = sorted(withdrawnAspas);
        announcedKeys = sorted(announcedKeys);
        withdrawnKeys = sorted(withdrawnKeys);
    }

    private static <T extends Comparable<T>> List<T> sorted(Collection<T> items) {
        return items.stream().sorted().toList();
    }

    /** The changes that turn {@code from} into {@code to}. */
    public static RpkiDelta between(RpkiSnapshot from, RpkiSnapshot to) {
        List<Vrp> announced = new ArrayList<>();
        List<Vrp> withdrawn = new ArrayList<>();
        from.vrps().diff(to.vrps(), announced::add, withdrawn::add);
        return new RpkiDelta(announced, withdrawn, minus(to.aspas(), from.aspas()), minus(from.aspas(), to.aspas()),
                minus(to.routerKeys(), from.routerKeys()), minus(from.routerKeys(), to.routerKeys()));
    }

    private static <T> List<T> minus(List<T> a, List<T> b) {
        Set<T> exclude = new HashSet<>(b);
        return a.stream().filter(x -> !exclude.contains(x)).toList();
    }

    /**
     * This delta followed by {@code next}: an item announced here and withdrawn there (or
     * the reverse) cancels out, so the result takes the state before this delta straight
     * to the state after {@code next}.
     */
    public RpkiDelta then(RpkiDelta next) {
        return new RpkiDelta(
                compose(announcedVrps, next.withdrawnVrps, next.announcedVrps, withdrawnVrps),
                compose(withdrawnVrps, next.announcedVrps, next.withdrawnVrps, announcedVrps),
                compose(announcedAspas, next.withdrawnAspas, next.announcedAspas, withdrawnAspas),
                compose(withdrawnAspas, next.announcedAspas, next.withdrawnAspas, announcedAspas),
                compose(announcedKeys, next.withdrawnKeys, next.announcedKeys, withdrawnKeys),
                compose(withdrawnKeys, next.announcedKeys, next.withdrawnKeys, announcedKeys));
    }

    /** (first − cancelledByNext) ∪ (second − cancelledByFirst). */
    private static <T> List<T> compose(List<T> first, List<T> cancelledByNext, List<T> second, List<T> cancelledByFirst) {
        Set<T> c1 = new HashSet<>(cancelledByNext);
        Set<T> c2 = new HashSet<>(cancelledByFirst);
        return Stream.concat(first.stream().filter(x -> !c1.contains(x)), second.stream().filter(x -> !c2.contains(x)))
                .distinct().toList();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public int size() {
        return announcedVrps.size() + withdrawnVrps.size() + announcedAspas.size() + withdrawnAspas.size()
                + announcedKeys.size() + withdrawnKeys.size();
    }
}

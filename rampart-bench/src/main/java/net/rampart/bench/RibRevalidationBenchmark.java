package net.rampart.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import net.rampart.rpki.DeltaFootprint;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiDelta;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.RouteOriginState;

/**
 * Re-validating a 1 M-route RIB after a new snapshot: building the new snapshot's index,
 * then either re-validating only the routes the delta touches or, for comparison, all.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class RibRevalidationBenchmark {

    @Param({"1000", "20000"})
    public int changed;

    private VrpSet next;
    private RpkiDelta delta;
    private VrpSetGenerator.Routes rib;
    private RouteOriginState[] states;

    @Setup
    public void setUp() {
        VrpSet current = VrpSetGenerator.generate(800_000, 1);
        next = VrpSetGenerator.changed(current, changed);
        delta = RpkiDelta.between(RpkiSnapshot.of(current, List.of(), List.of()),
                RpkiSnapshot.of(next, List.of(), List.of()));
        rib = VrpSetGenerator.routes(current, 1_000_000, 2);
        RoaIndex index = new RoaIndex(current);
        states = new RouteOriginState[rib.size()];
        for (int i = 0; i < rib.size(); i++) {
            states[i] = index.state(rib.ipv6[i], rib.high[i], rib.low[i], rib.length[i], rib.origin[i]);
        }
    }

    /** New index, footprint of the delta, re-validation of the touched routes only. */
    @Benchmark
    public int incremental() {
        RoaIndex index = new RoaIndex(next);
        DeltaFootprint footprint = new DeltaFootprint(delta);
        int changedStates = 0;
        for (int i = 0; i < rib.size(); i++) {
            if (footprint.touches(rib.ipv6[i], rib.high[i], rib.low[i], rib.length[i])) {
                RouteOriginState s = index.state(rib.ipv6[i], rib.high[i], rib.low[i], rib.length[i], rib.origin[i]);
                if (s != states[i]) {
                    changedStates++;
                }
            }
        }
        return changedStates;
    }

    /** Building the new snapshot's index alone: part of both figures above. */
    @Benchmark
    public RoaIndex indexBuild() {
        return new RoaIndex(next);
    }

    /** New index and every route re-validated: the upper bound without a footprint. */
    @Benchmark
    public int full() {
        RoaIndex index = new RoaIndex(next);
        int changedStates = 0;
        for (int i = 0; i < rib.size(); i++) {
            RouteOriginState s = index.state(rib.ipv6[i], rib.high[i], rib.low[i], rib.length[i], rib.origin[i]);
            if (s != states[i]) {
                changedStates++;
            }
        }
        return changedStates;
    }
}

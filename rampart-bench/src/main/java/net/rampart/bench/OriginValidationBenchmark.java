package net.rampart.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.VrpSet;

/**
 * RFC 6811 origin validation lookups per second on one core, 800 k VRPs, 1 M routes:
 * in random order (each lookup a cold walk through memory) and in RIB order (sorted by
 * prefix, as a RIB-wide pass visits them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class OriginValidationBenchmark {

    static final int ROUTES = 1_000_000;

    private RoaIndex index;
    private VrpSetGenerator.Routes routes;
    private VrpSetGenerator.Routes ribOrder;

    @Setup
    public void setUp() {
        VrpSet vrps = VrpSetGenerator.generate(800_000, 1);
        index = new RoaIndex(vrps);
        routes = VrpSetGenerator.routes(vrps, ROUTES, 2);
        ribOrder = routes.sorted();
    }

    @Benchmark
    @OperationsPerInvocation(ROUTES)
    public int randomOrder() {
        return validate(routes);
    }

    @Benchmark
    @OperationsPerInvocation(ROUTES)
    public int ribOrder() {
        return validate(ribOrder);
    }

    private int validate(VrpSetGenerator.Routes r) {
        int valid = 0;
        for (int i = 0; i < ROUTES; i++) {
            valid += index.state(r.ipv6[i], r.high[i], r.low[i], r.length[i], r.origin[i]).ordinal();
        }
        return valid;
    }
}

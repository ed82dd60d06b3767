package net.rampart.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.RouteOriginState;

/**
 * Origin validation cost in CPU time of the validating thread, the figure for "lookups
 * per second on one core" when the machine is shared and wall-clock throughput says more
 * about the neighbours than about the code. Same data as {@link OriginValidationBenchmark};
 * reports the median of 15 passes over 1 M routes after 5 warm-up passes.
 */
public final class ValidationCpuTimeTool {

    private static final int WARMUP = 5;
    private static final int PASSES = 15;

    public static void main(String[] args) {
        VrpSet vrps = VrpSetGenerator.generate(800_000, 1);
        RoaIndex index = new RoaIndex(vrps);
        VrpSetGenerator.Routes random = VrpSetGenerator.routes(vrps, 1_000_000, 2);
        VrpSetGenerator.Routes ribOrder = random.sorted();
        RouteOriginState[] out = new RouteOriginState[random.size()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        report("random order, one lookup at a time", threads, () -> one(index, random, out));
        report("RIB order, one lookup at a time", threads, () -> one(index, ribOrder, out));
        int[] counts = new int[RouteOriginState.values().length];
        for (RouteOriginState s : out) {
            counts[s.ordinal()]++;
        }
        System.out.printf(Locale.ROOT, "| states of the last pass | valid %d, invalid %d, not-found %d |%n",
                counts[RouteOriginState.VALID.ordinal()], counts[RouteOriginState.INVALID.ordinal()],
                counts[RouteOriginState.NOT_FOUND.ordinal()]);
    }

    private static void one(RoaIndex index, VrpSetGenerator.Routes r, RouteOriginState[] out) {
        for (int i = 0; i < r.size(); i++) {
            out[i] = index.state(r.ipv6[i], r.high[i], r.low[i], r.length[i], r.origin[i]);
        }
    }

    private static void report(String what, ThreadMXBean threads, Runnable pass) {
        double[] nanos = new double[PASSES];
        for (int i = 0; i < WARMUP + PASSES; i++) {
            long start = threads.getCurrentThreadCpuTime();
            pass.run();
            if (i >= WARMUP) {
                nanos[i - WARMUP] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        Arrays.sort(nanos);
        double median = nanos[PASSES / 2];
        System.out.printf(Locale.ROOT, "| %s | %.0f ns CPU per lookup = %.1f M lookups/s per core (best %.1f M/s) |%n",
                what, median, 1e3 / median, 1e3 / nanos[0]);
    }
}

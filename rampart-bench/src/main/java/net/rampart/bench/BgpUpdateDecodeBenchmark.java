package net.rampart.bench;

import java.util.concurrent.TimeUnit;

import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.PeerCapabilities;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding throughput of full-table IPv4 UPDATE traffic on one core. One benchmark operation
 * is one prefix, so the score is prefixes per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per prefix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BgpUpdateDecodeBenchmark {

    /** Prefixes per traffic set: a tenth of a full table, enough to defeat branch prediction on lengths. */
    static final int PREFIXES = 100_000;

    private static final PeerCapabilities CAPS = PeerCapabilities.FOUR_OCTET_AS;

    private UpdateTraffic onePerMessage;
    private UpdateTraffic packed;

    @Setup
    public void generate() {
        onePerMessage = UpdateTraffic.generate(PREFIXES, 1, CAPS, 42);
        // Routers pack prefixes that share attributes; 1 to 60 per UPDATE averages about 30.
        packed = UpdateTraffic.generate(PREFIXES, 60, CAPS, 42);
    }

    private static void decodeAll(UpdateTraffic traffic, Blackhole blackhole) {
        byte[] buffer = traffic.buffer;
        int[] offsets = traffic.offsets;
        int[] lengths = traffic.lengths;
        for (int i = 0; i < offsets.length; i++) {
            blackhole.consume(BgpMessageDecoder.decode(buffer, offsets[i], lengths[i], CAPS));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public void onePrefixPerUpdate(Blackhole blackhole) {
        decodeAll(onePerMessage, blackhole);
    }

    @Benchmark
    @OperationsPerInvocation(PREFIXES)
    public void packedUpdates(Blackhole blackhole) {
        decodeAll(packed, blackhole);
    }
}

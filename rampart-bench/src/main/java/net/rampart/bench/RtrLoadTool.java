package net.rampart.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import net.rampart.rpki.InMemorySnapshotStore;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.rpki.rtr.RtrClient;
import net.rampart.rpki.rtr.RtrServer;
import net.rampart.rpki.rtr.RtrTimers;
import net.rampart.wire.rtr.ResetQuery;
import net.rampart.wire.rtr.SerialNotify;
import net.rampart.wire.rtr.SerialQuery;

/**
 * RTR load figures for docs/benchmarks.md: full sync of a generated set (Reset Query to
 * End of Data, measured by bare clients that only read the PDUs) from Rampart and from
 * StayRTR serving the same set in the same run; a delta delivered to many connected
 * clients; and the heap the set and its index take. Every wait is bounded.
 *
 * <p>Usage: {@code RtrLoadTool [vrps] [deltaClients] [deltaSize]} (defaults 800000 100 1000).
 */
public final class RtrLoadTool {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 800_000;
        int deltaClients = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int deltaSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;

        long before = usedHeapAfterGc();
        VrpSet vrps = VrpSetGenerator.generate(count, 1);
        RoaIndex index = new RoaIndex(vrps);
        long after = usedHeapAfterGc();
        System.out.printf(Locale.ROOT, "| memory: %,d VRPs (%.0f%% IPv4) + origin index | %.1f MB heap |%n",
                vrps.size(), 100.0 * vrps.ipv4Count() / vrps.size(), (after - before) / 1e6);
        if (index.vrps() != vrps) {
            throw new IllegalStateException("index lost its set");
        }

        SnapshotHistory history = SnapshotHistory.open(new InMemorySnapshotStore(), 10, Clock.systemUTC());
        history.update(RpkiSnapshot.of(vrps, List.of(), List.of()));
        try (RtrServer server = new RtrServer(history, RtrTimers.DEFAULT, 2)) {
            InetSocketAddress rampart = server.start(new InetSocketAddress("127.0.0.1", 0));
            for (int clients : new int[] {1, 10}) {
                System.out.printf(Locale.ROOT, "| Rampart full sync, %d client(s) | %s |%n", clients,
                        fullSync(rampart, clients, vrps.size()));
            }
            Path dir = Files.createTempDirectory("rampart-bench-stayrtr");
            Path json = dir.resolve("vrps.json");
            VrpSetGenerator.writeJson(json, vrps);
            int port = freePort();
            Process stayrtr = new ProcessBuilder("stayrtr", "-bind", "127.0.0.1:" + port, "-cache", json.toString(),
                    "-checktime=false", "-metrics.addr", "127.0.0.1:0", "-refresh", "3600", "-log.verbose=false")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stayrtr.log").toFile()).start();
            try {
                InetSocketAddress stay = new InetSocketAddress("127.0.0.1", port);
                awaitFullSet(stay, vrps.size());
                for (int clients : new int[] {1, 10}) {
                    System.out.printf(Locale.ROOT, "| StayRTR full sync, %d client(s) | %s |%n", clients,
                            fullSync(stay, clients, vrps.size()));
                }
            } finally {
                stayrtr.destroy();
                if (!stayrtr.waitFor(10, TimeUnit.SECONDS)) {
                    stayrtr.destroyForcibly();
                }
            }
            System.out.printf(Locale.ROOT, "| Rampart %d-VRP delta to %d connected clients | %s |%n", deltaSize,
                    deltaClients, deltaToClients(history, rampart, vrps, deltaClients, deltaSize));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Median and best of {@link #RUNS} runs: from the queries' release to the last End of Data. */
    private static String fullSync(InetSocketAddress cache, int clients, int expected) throws Exception {
        double[] seconds = new double[RUNS];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int run = 0; run < RUNS; run++) {
                List<RtrClient> connections = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    connections.add(RtrClient.connect(cache, 1, TIMEOUT));
                }
                CyclicBarrier start = new CyclicBarrier(clients + 1);
                List<Future<Long>> results = new ArrayList<>();
                for (RtrClient c : connections) {
                    results.add(pool.submit(() -> {
                        start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        c.send(new ResetQuery(1));
                        return c.drainUntilEndOfData();
                    }));
                }
                start.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                for (Future<Long> f : results) {
                    long pdus = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    if (pdus != expected + 2) {
                        throw new IllegalStateException("client got " + pdus + " PDUs, expected " + (expected + 2));
                    }
                }
                seconds[run] = (System.nanoTime() - t0) / 1e9;
                for (RtrClient c : connections) {
                    c.close();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Arrays.sort(seconds);
        return String.format(Locale.ROOT, "median %.3f s, best %.3f s", seconds[RUNS / 2], seconds[0]);
    }

    private static void awaitFullSet(InetSocketAddress cache, int expected) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (RtrClient c = RtrClient.connect(cache, 1, TIMEOUT)) {
                c.send(new ResetQuery(1));
                if (c.drainUntilEndOfData() == expected + 2) {
                    return;
                }
            } catch (IOException e) {
                // not listening or not loaded yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("StayRTR did not serve the full set within " + TIMEOUT);
    }

    /**
     * Clients hold a synced session; a new snapshot changes {@code size} VRPs; each client
     * answers the Serial Notify with a Serial Query and reads to End of Data. Time from
     * publishing the snapshot to the last client's End of Data.
     */
    private static String deltaToClients(SnapshotHistory history, InetSocketAddress cache, VrpSet vrps, int clients,
            int size) throws Exception {
        List<RtrClient> connections = new ArrayList<>();
        int[] serials = new int[clients];
        for (int c = 0; c < clients; c++) {
            RtrClient client = RtrClient.connect(cache, 1, TIMEOUT);
            RtrClient.Sync sync = client.reset();
            serials[c] = sync.endOfData().serial();
            connections.add(client);
        }
        List<Vrp> next = new ArrayList<>(vrps.toList());
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < size / 2; i++) {
            next.remove(r.nextInt(next.size()));
        }
        VrpSetGenerator.generate(size / 2, 10).forEach(next::add);
        RpkiSnapshot snapshot = RpkiSnapshot.of(VrpSet.of(next), List.of(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch done = new CountDownLatch(clients);
        AtomicLong lastEnd = new AtomicLong();
        AtomicLong deltaPdus = new AtomicLong();
        try {
            for (int c = 0; c < clients; c++) {
                RtrClient client = connections.get(c);
                int serial = serials[c];
                int session = history.current().sessionId();
                pool.submit(() -> {
                    try {
                        if (!(client.read() instanceof SerialNotify)) {
                            throw new IllegalStateException("expected Serial Notify");
                        }
                        client.send(new SerialQuery(1, session, serial));
                        deltaPdus.addAndGet(client.drainUntilEndOfData());
                        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            long t0 = System.nanoTime();
            history.update(snapshot);
            if (!done.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients did not all receive the delta");
            }
            long perClient = deltaPdus.get() / clients;
            return String.format(Locale.ROOT, "%.3f s (%d PDUs per client)", (lastEnd.get() - t0) / 1e9, perClient);
        } finally {
            pool.shutdownNow();
            for (RtrClient c : connections) {
                c.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

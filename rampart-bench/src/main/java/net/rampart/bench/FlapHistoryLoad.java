package net.rampart.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.rampart.bench.flap.FlapProcesses;

/**
 * Lays down days of route flapping in a running Rampart's route history: one simulated router
 * ({@link FlapProcesses}) connects to the BMP port and sends its whole stream, each message
 * stamped with its simulated time in the per-peer header, then a Termination. It does not wait
 * for the history to be written; read {@code rampart_history_written_events_total} against
 * {@code rampart_history_accepted_events_total} on {@code /metrics} for that.
 *
 * <p>Closing the BMP session makes the collector withdraw every route still announced, stamped
 * with the arrival time (as it stamps Peer Up and Peer Down): use the history up to the
 * simulated end the tool prints.
 *
 * <pre>
 * java -cp 'rampart-bench/target/rampart-bench.jar:rampart-bench/target/lib/*' net.rampart.bench.FlapHistoryLoad [options]
 *   --bmp HOST:PORT        Rampart's BMP listener (127.0.0.1:11019)
 *   --seed N               the generator's seed (1)
 *   --days N               simulated days (14)
 *   --peers N              the router's BGP peers (8)
 *   --routes-per-peer N    prefixes each peer announces (2000)
 *   --start ISO-TIME       simulated start (the hour --days before now; keep it within history retention)
 *   --timeout-seconds N    the whole send, after which the connection is closed and the tool fails (1800)
 * </pre>
 */
public final class FlapHistoryLoad {

    private FlapHistoryLoad() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.exit(run(args));
        } catch (Args.BadOption e) {
            System.err.println("FlapHistoryLoad: " + e.getMessage());
            System.exit(2);
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--bmp", "127.0.0.1:11019", "--seed", "1", "--days", "14",
                "--peers", "8", "--routes-per-peer", "2000", "--start", "", "--timeout-seconds", "1800"));
        int days = Args.integer(a, "--days", 1);
        long seed;
        try {
            seed = Long.parseLong(a.get("--seed").strip());
        } catch (NumberFormatException e) {
            throw new Args.BadOption("--seed: '" + a.get("--seed") + "' is not a whole number");
        }
        Instant start;
        try {
            start = a.get("--start").isBlank()
                    ? Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(days))
                    : Instant.parse(a.get("--start").strip());
        } catch (DateTimeParseException e) {
            throw new Args.BadOption("--start: '" + a.get("--start") + "' is not an ISO 8601 UTC time");
        }
        String bmp = a.get("--bmp");
        int colon = bmp.lastIndexOf(':');
        if (colon < 1) {
            throw new Args.BadOption("--bmp: '" + bmp + "' is not HOST:PORT");
        }
        InetSocketAddress target = new InetSocketAddress(bmp.substring(0, colon),
                Args.integer(Map.of("--bmp", bmp.substring(colon + 1)), "--bmp", 1));
        int timeoutSeconds = Args.integer(a, "--timeout-seconds", 1);
        FlapProcesses.Settings settings;
        try {
            settings = new FlapProcesses.Settings(seed, start, days, Args.integer(a, "--peers", 1),
                    Args.integer(a, "--routes-per-peer", 1));
        } catch (IllegalArgumentException e) {
            throw new Args.BadOption(e.getMessage());
        }

        long t0 = System.nanoTime();
        FlapProcesses processes = FlapProcesses.generate(settings);
        System.out.printf(Locale.ROOT, "generated %d BMP messages for %d peers x %d routes, %s to %s (simulated), %d"
                        + " session resets (%d degrading peer(s)), in %.1f s%n", processes.messages(), settings.peers(),
                settings.routesPerPeer(), settings.start(), settings.end(), processes.resets(),
                processes.degradingPeers(), (System.nanoTime() - t0) / 1e9);

        long sendStart = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        long[] sent = {0, 0};
        try (Socket socket = new Socket();
             ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor()) {
            socket.connect(target, 5000);
            watchdog.schedule(() -> {
                timedOut.set(true);
                try {
                    socket.close(); // unblocks a write held up by the collector's backpressure
                } catch (IOException ignored) {
                    // Closing is all that is wanted.
                }
            }, timeoutSeconds, TimeUnit.SECONDS);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            long dayMillis = Duration.ofDays(1).toMillis();
            long first = settings.start().toEpochMilli();
            long[] reportedDay = {0};
            processes.write((time, message) -> {
                out.write(message);
                sent[0]++;
                sent[1] += message.length;
                long day = time == 0 ? 0 : (time - first) / dayMillis;
                if (day > reportedDay[0]) {
                    reportedDay[0] = day;
                    System.out.printf(Locale.ROOT, "simulated day %d/%d reached: %d messages (%.1f MB) sent in %.1f s%n",
                            day, settings.days(), sent[0], sent[1] / 1e6, (System.nanoTime() - sendStart) / 1e9);
                }
            });
            out.flush();
            socket.shutdownOutput();
            watchdog.shutdownNow();
        } catch (IOException e) {
            System.err.printf(Locale.ROOT, "FlapHistoryLoad: %s after %d of %d messages: %s%n",
                    timedOut.get() ? "timed out (--timeout-seconds " + timeoutSeconds + ")" : "send failed",
                    sent[0], processes.messages(), e.getMessage());
            return 1;
        }
        System.out.printf(Locale.ROOT, "sent %d messages (%.1f MB) to %s in %.1f s, the last a Termination%n",
                sent[0], sent[1] / 1e6, target, (System.nanoTime() - sendStart) / 1e9);
        System.out.printf(Locale.ROOT, "%-12s %8s %12s %14s %18s%n", "source", "routes", "withdrawals",
                "announcements", "attribute changes");
        for (FlapProcesses.Source source : FlapProcesses.Source.values()) {
            FlapProcesses.Tally t = processes.tally(source);
            System.out.printf(Locale.ROOT, "%-12s %8s %12d %14d %18d%n", source.name().toLowerCase(Locale.ROOT),
                    source == FlapProcesses.Source.NOISE || source == FlapProcesses.Source.SESSION ? "-"
                            : String.valueOf(t.routes()), t.withdrawals(), t.announcements(), t.attributeChanges());
        }
        System.out.println("(a route process's withdrawals are its flaps; session: tables after each Peer Up and"
                + " the withdrawals of each reset; history is meaningful up to " + settings.end() + ")");
        return 0;
    }
}

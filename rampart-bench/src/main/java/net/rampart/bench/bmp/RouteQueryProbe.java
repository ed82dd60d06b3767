package net.rampart.bench.bmp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;

/**
 * Queries {@code GET /api/v1/routes?prefix=P} at a fixed rate from one client thread while the
 * service loads a feed, P cycling through the feed's prefixes (IPv4 and IPv6 in turn), and
 * reports the latency of the requests whose send time falls in a window (count, non-2xx
 * answers, p50/p99/max).
 *
 * <p>Latency is measured from each request's intended send time on the fixed schedule, not from
 * when the thread got round to sending it: a request that waits behind a slow one counts its
 * wait, so a stalled server shows in the figures instead of slowing the probe down (no
 * coordinated omission). Bounded by {@code maxRequests} and by {@link #stop()}.
 */
final class RouteQueryProbe {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI routes;
    private final String token;
    private final List<String> prefixes;
    private final long intervalNanos;
    private final long[] intendedAt;
    private final long[] latencyNanos;
    private final int[] status;
    private volatile boolean stopped;
    private volatile int sent;
    private Thread thread;

    /**
     * @param url the service's base URL
     * @param token the API's bearer token
     * @param table the feed's UPDATEs, whose announced prefixes are queried
     * @param perSecond the fixed request rate
     * @param maxRequests at most this many requests, whatever the run's length
     */
    RouteQueryProbe(URI url, String token, List<RouteUpdate> table, int perSecond, int maxRequests) {
        this.routes = url.resolve("/api/v1/routes");
        this.token = token;
        this.prefixes = interleaved(table, maxRequests);
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.intendedAt = new long[maxRequests];
        this.latencyNanos = new long[maxRequests];
        this.status = new int[maxRequests];
    }

    /** Starts the schedule: the first request is due at {@code firstAt} ({@link System#nanoTime()}). */
    void start(long firstAt) {
        thread = Thread.ofPlatform().name("route-query-probe").daemon().start(() -> run(firstAt));
    }

    /** Sends no further request and waits for the one in flight. */
    void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    private void run(long firstAt) {
        for (int i = 0; i < intendedAt.length && !stopped; i++) {
            long due = firstAt + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0 && !stopped) {
                LockSupport.parkNanos(wait);
            }
            if (stopped) {
                return;
            }
            intendedAt[i] = due;
            status[i] = query(prefixes.get(i % prefixes.size()));
            latencyNanos[i] = System.nanoTime() - due;
            sent = i + 1;
        }
    }

    /** The HTTP status, or -1 when the request failed without an answer. */
    private int query(String prefix) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(routes + "?prefix="
                        + URLEncoder.encode(prefix, StandardCharsets.US_ASCII)))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The requests due in [{@code from}, {@code to}) ({@link System#nanoTime()}): count, errors, latency. */
    String summary(long from, long to) {
        int n = sent;
        long[] window = new long[n];
        int count = 0;
        int errors = 0;
        for (int i = 0; i < n; i++) {
            if (intendedAt[i] >= from && intendedAt[i] < to) {
                window[count++] = latencyNanos[i];
                if (status[i] < 200 || status[i] > 299) {
                    errors++;
                }
            }
        }
        if (count == 0) {
            return "no request";
        }
        long[] sorted = Arrays.copyOf(window, count);
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "n %d, errors (non-2xx) %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms", count,
                errors, rank(sorted, 0.50) / 1e6, rank(sorted, 0.99) / 1e6, sorted[count - 1] / 1e6);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long rank(long[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Up to {@code limit} announced prefixes of the table, spread evenly over each family and
     * alternating IPv4 and IPv6, so that consecutive requests look up both families and
     * different parts of the table.
     */
    static List<String> interleaved(List<RouteUpdate> table, int limit) {
        List<RouteKey> v4 = new ArrayList<>();
        List<RouteKey> v6 = new ArrayList<>();
        for (RouteUpdate u : table) {
            (u.family().equals(Family.IPV4_UNICAST) ? v4 : v6).addAll(u.announced());
        }
        List<List<RouteKey>> families = new ArrayList<>();
        for (List<RouteKey> f : List.of(v4, v6)) {
            if (!f.isEmpty()) {
                families.add(f);
            }
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("the feed announces no prefix to query");
        }
        int perFamily = Math.max(1, limit / families.size());
        List<String> out = new ArrayList<>(perFamily * families.size());
        for (int i = 0; i < perFamily; i++) {
            for (List<RouteKey> f : families) {
                out.add(f.get((int) ((long) i * f.size() / perFamily) % f.size()).text());
            }
        }
        return out;
    }
}

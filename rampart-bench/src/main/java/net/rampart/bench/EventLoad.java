package net.rampart.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load for {@code POST /api/v1/events}: either a fixed rate (open loop: a request is sent on
 * schedule whether or not earlier ones have answered, so a slow server shows in the latency)
 * or as fast as {@code --concurrency} clients can go. Bounded by {@code --seconds} and by
 * {@link #MAX_EVENTS}. Victims cycle through {@code --victims} hosts of 192.0.2.0/24 (the
 * example inventory's customer), so after the first event per victim every event extends.
 * Requests carry the operator token in {@code RAMPART_API_TOKEN}, as the API requires.
 */
public final class EventLoad {

    static final int MAX_EVENTS = 2_000_000;
    private static final String TOKEN = System.getenv().getOrDefault("RAMPART_API_TOKEN", "");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--url", "http://127.0.0.1:8080", "--rate", "1000",
                "--seconds", "30", "--concurrency", "64", "--victims", "10", "--warmup-seconds", "5"));
        URI url = URI.create(a.get("--url") + "/api/v1/events");
        int rate = Integer.parseInt(a.get("--rate"));
        int seconds = Integer.parseInt(a.get("--seconds"));
        int concurrency = Integer.parseInt(a.get("--concurrency"));
        int victims = Integer.parseInt(a.get("--victims"));
        int warmup = Integer.parseInt(a.get("--warmup-seconds"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String run = Long.toString(System.currentTimeMillis(), 36);
        if (warmup > 0) {
            drive(client, url, rate, warmup, concurrency, victims, run + "w", false);
        }
        Result r = drive(client, url, rate, seconds, concurrency, victims, run, true);
        System.out.println(r.report(rate, concurrency));
    }

    private record Result(long[] latenciesNanos, int count, Map<Integer, Long> statuses, Duration elapsed,
                          long errors) {
        String report(int rate, int concurrency) {
            long[] sorted = Arrays.copyOf(latenciesNanos, count);
            Arrays.sort(sorted);
            double perSecond = count / (elapsed.toNanos() / 1e9);
            return String.format("mode=%s events=%d elapsed=%.1fs throughput=%.0f/s statuses=%s io_errors=%d%n"
                            + "latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f",
                    rate > 0 ? "rate " + rate + "/s" : "closed loop x" + concurrency, count,
                    elapsed.toNanos() / 1e9, perSecond, statuses, errors, ms(sorted, 0.50), ms(sorted, 0.90),
                    ms(sorted, 0.99), ms(sorted, 0.999), count == 0 ? 0 : sorted[count - 1] / 1e6);
        }

        private static double ms(long[] sorted, double q) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
        }
    }

    private static Result drive(HttpClient client, URI url, int rate, int seconds, int concurrency, int victims,
                                String run, boolean measured) throws InterruptedException {
        long[] latencies = new long[MAX_EVENTS];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            if (rate > 0) {
                long interval = 1_000_000_000L / rate;
                for (long due = start; due < end; due += interval) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int i = next.getAndIncrement();
                    if (i >= MAX_EVENTS) {
                        break;
                    }
                    pool.execute(() -> send(client, url, i, victims, run, latencies, done, statuses, errors));
                }
            } else {
                for (int c = 0; c < concurrency; c++) {
                    pool.execute(() -> {
                        while (System.nanoTime() < end) {
                            int i = next.getAndIncrement();
                            if (i >= MAX_EVENTS) {
                                return;
                            }
                            send(client, url, i, victims, run, latencies, done, statuses, errors);
                        }
                    });
                }
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(latencies, Math.min(done.get(), MAX_EVENTS), new TreeMap<>(statuses), elapsed,
                errors.sum());
    }

    private static void send(HttpClient client, URI url, int i, int victims, String run, long[] latencies,
                             AtomicInteger done, Map<Integer, Long> statuses, LongAdder errors) {
        int host = 1 + (i % victims);
        if (host == 53) {
            host = 54; // the example inventory safelists 192.0.2.53
        }
        String body = "{\"event_id\":\"bench-" + run + "-" + i + "\",\"timestamp\":\"" + Instant.now()
                + "\",\"source\":\"bench\",\"victim_ip\":\"192.0.2." + host
                + "\",\"vector\":\"udp_flood\",\"bps\":1000000000,\"confidence\":0.5,\"top_dst_ports\":[53]}";
        HttpRequest request = HttpRequest.newBuilder(url).header("content-type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            long took = System.nanoTime() - t0;
            int slot = done.getAndIncrement();
            if (slot < latencies.length) {
                latencies[slot] = took;
            }
            statuses.merge(status, 1L, Long::sum);
        } catch (Exception e) {
            errors.increment();
        }
    }
}

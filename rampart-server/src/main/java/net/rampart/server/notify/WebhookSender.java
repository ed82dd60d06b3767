package net.rampart.server.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to webhooks, for whoever tells people about something: mitigations and alerts; and
 * makes any other {@link Attempt} to deliver a notification (syslog, mail) the same way.
 * Whoever calls {@link #send} is never held up: a delivery waits in a bounded queue for the one
 * sender thread, which retries a failed attempt with a doubling backoff. When the queue is full
 * the delivery is dropped, so a dead receiver costs memory for at most {@code capacity}
 * deliveries. Each channel counts what became of its deliveries: sent, failed or dropped.
 */
public final class WebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** How long the sender thread waits for a delivery before it looks whether it should stop. */
    private static final long POLL_MILLIS = 200;

    /**
     * One POST to make.
     *
     * @param channel names the receiver in metrics and logs; never the URL, which may hold a secret
     * @param about   what the body is about, for the log when it cannot be delivered
     */
    public record Delivery(String channel, URI url, Map<String, String> headers, String body, String about) {

        public Delivery {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * One try at delivering a notification by some other means than an HTTP POST; it throws when
     * the notification did not arrive, and may then be tried again.
     */
    @FunctionalInterface
    public interface Attempt {

        void deliver() throws IOException;
    }

    /** What waits for the sender thread: an attempt, repeated until it succeeds or runs out of tries. */
    private record Job(String channel, String about, Attempt attempt) {
    }

    private final String metric;
    private final String description;
    private final int attempts;
    private final Duration firstBackoff;
    private final MeterRegistry metrics;
    private final BlockingQueue<Job> queue;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param metric   the counter, tagged {@code channel} and {@code result}
     * @param attempts how many POSTs a delivery gets before it counts as failed
     */
    public WebhookSender(String name, String metric, String description, int capacity, int attempts,
                         Duration firstBackoff, MeterRegistry metrics) {
        this.metric = metric;
        this.description = description;
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Queues {@code delivery}; false, and counted as dropped, when the queue is full or the sender closed. */
    public boolean send(Delivery delivery) {
        return send(delivery.channel(), delivery.about(), () -> post(delivery));
    }

    /**
     * Queues {@code attempt} for {@code channel}, counted and retried as a POST is; false, and
     * counted as dropped, when the queue is full or the sender closed.
     */
    public boolean send(String channel, String about, Attempt attempt) {
        if (running && queue.offer(new Job(channel, about, attempt))) {
            return true;
        }
        count(channel, "dropped");
        log.atWarn().addKeyValue("event", "webhook_dropped").addKeyValue("channel", channel)
                .addKeyValue("about", about).log("Webhook queue full; notification dropped");
        return false;
    }

    private void run() {
        try {
            while (running || !queue.isEmpty()) {
                Job job = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (job != null) {
                    deliver(job);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Delivery delivery) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(delivery.url()).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json");
        delivery.headers().forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(delivery.body())).build();
        int status;
        try {
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            // Only close() interrupts the thread, once its drain time is up: the delivery is abandoned.
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (status < 200 || status >= 300) {
            throw new IOException("HTTP " + status);
        }
    }

    private void deliver(Job job) throws InterruptedException {
        Duration backoff = firstBackoff;
        String failure = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                job.attempt().deliver();
                count(job.channel(), "sent");
                return;
            } catch (IOException | RuntimeException e) {
                // A bug in one channel's attempt must not end the thread that serves all of them.
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            if (attempt < attempts) {
                count(job.channel(), "retried");
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
        count(job.channel(), "failed");
        log.atWarn().addKeyValue("event", "webhook_failed").addKeyValue("channel", job.channel())
                .addKeyValue("about", job.about()).addKeyValue("attempts", attempts)
                .addKeyValue("reason", failure).log("Webhook not delivered");
    }

    private void count(String channel, String result) {
        Counter.builder(metric).description(description).tag("channel", channel).tag("result", result)
                .register(metrics).increment();
    }

    /**
     * Takes no more deliveries and sends those queued, waiting for them at most {@code drain};
     * what is still unsent then is abandoned.
     */
    public void close(Duration drain) {
        running = false;
        try {
            if (!thread.join(drain)) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}

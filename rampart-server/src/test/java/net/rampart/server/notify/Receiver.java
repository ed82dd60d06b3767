package net.rampart.server.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver on 127.0.0.1: records each POST it answers, and answers each path with the
 * statuses it is told, then 200.
 */
public final class Receiver implements AutoCloseable {

    /** One POST as it arrived. */
    public record Post(String path, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
    private final Map<String, Queue<Integer>> statuses = new ConcurrentHashMap<>();
    /** While held, each POST waits here before it is answered. */
    private volatile CountDownLatch held;
    private final Semaphore waiting = new Semaphore(0);

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CountDownLatch gate = held;
            if (gate != null) {
                waiting.release();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = statuses.getOrDefault(path, new ConcurrentLinkedQueue<>()).poll();
            // Recorded before the answer, so a POST the sender saw answered is always here.
            posts.add(new Post(path, headers, body));
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next POSTs to {@code path} are answered with {@code first}, in order. */
    public void answer(String path, Integer... first) {
        statuses.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).addAll(List.of(first));
    }

    /** POSTs wait unanswered until {@link #release}. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    /** Whether a held POST arrived within {@code wait}. */
    public boolean awaitHeld(Duration wait) throws InterruptedException {
        return waiting.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void release() {
        held.countDown();
        held = null;
    }

    /** The next POST, waiting for it at most {@code wait}; null if none came. */
    public Post next(Duration wait) throws InterruptedException {
        return posts.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The POSTs received and not yet taken by {@link #next}. */
    public Queue<Post> rest() {
        return posts;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package net.rampart.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a CLI test runs a command against: an HTTP server on loopback standing in for the
 * service's API at one path, which records each request and answers {@link #status} with
 * {@link #answer}, and the process's standard output and error captured until {@link #close}.
 */
final class CliHarness implements AutoCloseable {

    final AtomicInteger requests = new AtomicInteger();
    final AtomicReference<String> method = new AtomicReference<>();
    final AtomicReference<String> query = new AtomicReference<>();
    final AtomicReference<String> authorization = new AtomicReference<>();
    final AtomicReference<byte[]> received = new AtomicReference<>();
    volatile int status = 200;
    volatile String answer;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HttpServer api;
    private final PrintStream savedOut = System.out;
    private final PrintStream savedErr = System.err;

    /** Serves {@code path} (and what lies under it) with {@code answer}, and captures the console. */
    CliHarness(String path, String answer) throws IOException {
        this.answer = answer;
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext(path, exchange -> {
            requests.incrementAndGet();
            method.set(exchange.getRequestMethod());
            query.set(exchange.getRequestURI().getRawQuery());
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            received.set(exchange.getRequestBody().readAllBytes());
            byte[] body = this.answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Serves {@code path} with a handler of the test's own, beside the recording one. */
    void serve(String path, HttpHandler handler) {
        api.createContext(path, handler);
    }

    /** The API's base URL, for {@code --url}. */
    String url() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    /** Runs the command line against this stand-in ({@code --url} first) with {@code token} as the API token. */
    int run(String token, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = url();
        System.arraycopy(args, 0, all, 2, args.length);
        return RampartCli.commandLine(Map.of(ApiToken.VARIABLE, token)).execute(all);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        api.stop(0);
    }
}

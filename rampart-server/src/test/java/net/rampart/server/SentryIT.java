package net.rampart.server;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With SENTRY_DSN set, an ERROR event reaches a local HTTP receiver that accepts Sentry envelopes,
 * with the structured fields of the log event as context.
 */
class SentryIT {

    @Test
    void errorEventReachesTheSentryReceiverWithItsContext(@TempDir Path dataDir) throws Exception {
        List<String> envelopes = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/api/", exchange -> {
            envelopes.add(exchange.getRequestURI().getPath() + "\n" + body(exchange.getRequestBody(),
                    "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            // A port in use is a configuration error, which the service logs at ERROR before exiting.
            var environment = Map.of(
                    "RAMPART_HTTP_PORT", Integer.toString(taken.getLocalPort()),
                    "RAMPART_BMP_PORT", "0",
                    "RAMPART_RTR_PORT", "0",
                    "RAMPART_BIND_ADDRESS", "127.0.0.1",
                    "RAMPART_DATA_DIR", dataDir.toString(),
                    "SENTRY_DSN", "http://publickey@127.0.0.1:" + receiver.getAddress().getPort() + "/42");
            try (var service = ServiceProcess.start(environment)) {
                assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(2);
            }
        } finally {
            receiver.stop(0);
        }
        assertThat(envelopes).anySatisfy(envelope -> {
            assertThat(envelope).startsWith("/api/42/envelope");
            assertThat(envelope).contains("RAMPART_HTTP_PORT", "config_error", "\"level\":\"error\"");
        });
    }

    private static String body(InputStream in, boolean gzip) throws IOException {
        var out = new ByteArrayOutputStream();
        (gzip ? new GZIPInputStream(in) : in).transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}

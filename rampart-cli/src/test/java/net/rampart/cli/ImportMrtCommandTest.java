package net.rampart.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The command against a stand-in for the service's import endpoint: what it sends and what it prints. */
class ImportMrtCommandTest {

    private HttpServer api;
    private final AtomicReference<byte[]> received = new AtomicReference<>();
    private final AtomicReference<String> query = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile int status = 200;
    private volatile String answer = "{\"source\":\"rrc00.updates\",\"records\":3,\"announcements\":5,\"withdrawals\":1,"
            + "\"peers\":2,\"skipped_records\":0,\"bad_records\":0,\"duration_millis\":1500}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void start() throws Exception {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/api/v1/mrt/imports", exchange -> {
            query.set(exchange.getRequestURI().getRawQuery());
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            received.set(exchange.getRequestBody().readAllBytes());
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(savedOut);
        System.setErr(savedErr);
        api.stop(0);
    }

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--url";
        all[1] = "http://127.0.0.1:" + api.getAddress().getPort();
        System.arraycopy(args, 0, all, 2, args.length);
        return RampartCli.commandLine(Map.of(ApiToken.VARIABLE, "test-token")).execute(all);
    }

    @Test
    void streamsTheWholeFileUnderItsNameAndPrintsTheSummary(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("rrc00.updates.gz"), content);

        assertThat(run("import-mrt", file.toString())).isZero();

        assertThat(received.get()).isEqualTo(content);
        assertThat(query.get()).isEqualTo("source=rrc00.updates");
        // Importing changes the RIB, so the service wants an operator token like any other change.
        assertThat(authorization.get()).isEqualTo("Bearer test-token");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5 announcements", "1 withdrawals", "2 peers", "in 1.5 s");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("100%").doesNotContain("warning");
    }

    @Test
    void theServicesRetentionWarningIsPrintedBesideTheSummary(@TempDir Path dir) throws Exception {
        answer = "{\"source\":\"rrc00\",\"records\":3,\"announcements\":5,\"withdrawals\":0,\"peers\":1,"
                + "\"skipped_records\":0,\"bad_records\":0,\"duration_millis\":10,"
                + "\"oldest_record\":\"2010-02-27T16:00:00Z\",\"warning\":\"the oldest record (2010-02-27T16:00:00Z) "
                + "is older than the route history retention\"}";
        Path file = Files.write(dir.resolve("rrc00.updates.gz"), new byte[] {1, 2, 3});

        assertThat(run("import-mrt", file.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("5 announcements");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("warning: rrc00.updates.gz: the oldest record (2010-02-27T16:00:00Z) is older than");
    }

    @Test
    void serviceRefusalIsReportedWithItsDetail(@TempDir Path dir) throws Exception {
        status = 422;
        answer = "{\"error\":\"mrt_unreadable\",\"detail\":\"MRT record length 2139062143 exceeds 16777216\"}";
        Path file = Files.write(dir.resolve("junk.mrt"), new byte[] {1, 2, 3});

        assertThat(run("import-mrt", "--source", "lab", file.toString())).isEqualTo(1);

        assertThat(query.get()).isEqualTo("source=lab");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("rampart: mrt_unreadable: MRT record length 2139062143 exceeds 16777216");
    }

    @Test
    void missingFileIsAUsageError(@TempDir Path dir) {
        assertThat(run("import-mrt", dir.resolve("absent.mrt").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read");
    }
}

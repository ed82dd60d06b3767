package net.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code features materialize} against a stand-in for the service's endpoint: what it asks and prints. */
class FeaturesCommandTest {

    private CliHarness cli;

    @BeforeEach
    void start() throws Exception {
        cli = new CliHarness("/api/v1/features/materialize", "{\"as_of\":\"2026-12-07T20:00:00Z\",\"history_rows\":"
                + "1234567,\"routes_written\":1000001,\"sessions_written\":12,\"from_seq\":0,\"to_seq\":99}");
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    @Test
    void asksForARefreshAndSaysWhatItDid() {
        assertThat(cli.run("operator-token", "features", "materialize")).isZero();

        assertThat(cli.requests.get()).isEqualTo(1);
        assertThat(cli.method.get()).isEqualTo("POST");
        assertThat(cli.out()).contains("features as of 2026-12-07T20:00:00Z", "1,234,567 history rows read",
                "1,000,001 routes and 12 sessions written");
    }

    @Test
    void aBusyHistoryIsReportedWithItsDetail() {
        cli.status = 503;
        cli.answer = "{\"error\":\"history_busy\",\"detail\":\"a route history batch stayed in flight\"}";

        assertThat(cli.run("operator-token", "features", "materialize")).isEqualTo(1);
        assertThat(cli.err()).contains("rampart: history_busy: a route history batch stayed in flight");
    }
}

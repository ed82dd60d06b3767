package net.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ml train} and {@code ml models} against a stand-in for the service: what they ask and print. */
class MlCommandTest {

    private static final String MODEL = "{\"version\":3,\"kind\":\"route\",\"trained_at\":\"2026-12-07T20:00:00Z\","
            + "\"training_rows\":120000,\"test_rows\":40000,\"threshold\":0.42,\"evaluation\":{\"positives\":1234,"
            + "\"negatives\":38766,\"model\":{\"auc\":0.9123,\"threshold\":0.42,\"precision\":0.61,\"recall\":0.55},"
            + "\"baseline\":{\"auc\":0.801,\"threshold\":900.0,\"precision\":0.4,\"recall\":0.5}}}";

    private CliHarness cli;

    @AfterEach
    void stop() {
        cli.close();
    }

    @Test
    void trainPrintsEachModelOrWhyThereIsNone() throws Exception {
        cli = new CliHarness("/api/v1/ml/train", "{\"trainings\":[{\"kind\":\"route\",\"rows\":160000,\"model\":"
                + MODEL + ",\"skipped\":null},{\"kind\":\"session\",\"rows\":12,\"model\":null,"
                + "\"skipped\":\"the training rows have no flaps\"}]}");
        assertThat(cli.run("operator-token", "ml", "train")).isZero();

        assertThat(cli.method.get()).isEqualTo("POST");
        assertThat(cli.out()).contains("route model v3, trained 2026-12-07T20:00:00Z on 120,000 rows, tested on 40,000"
                + " (1,234 flaps): AUC 0.912 (figure of merit alone 0.801), precision 0.610, recall 0.550 at"
                + " threshold 0.420", "session: no model (12 rows): the training rows have no flaps");
    }

    @Test
    void modelsListsEveryModel() throws Exception {
        cli = new CliHarness("/api/v1/ml/models", "{\"items\":[" + MODEL + "],\"matched\":1,\"next_cursor\":null}");
        assertThat(cli.run("read-token", "ml", "models")).isZero();

        assertThat(cli.method.get()).isEqualTo("GET");
        assertThat(cli.query.get()).isEqualTo("limit=1000");
        assertThat(cli.out()).contains("route model v3", "AUC 0.912");
    }
}

package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rampart ml train} and {@code rampart ml models}: flap prediction models. */
@Command(name = "ml", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Flap prediction models learned from the collector's history (see docs/learning.md).",
        subcommands = {MlCommand.Train.class, MlCommand.Models.class})
final class MlCommand {

    @ParentCommand
    RampartCli cli;

    @Command(name = "train", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Train a route and a session flap model on the history of RAMPART_ML_TRAINING_WINDOW now;"
                    + " each is stored and answers predictions from then on. Needs an operator token.")
    static final class Train implements Callable<Integer> {
        @ParentCommand
        MlCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            // Replaying weeks of history and training takes as long as it takes: no answer timeout.
            ApiClient.Answer a = parent.cli.api().postAndWait("/api/v1/ml/train");
            if (!a.ok()) {
                return ApiClient.exitCode(a);
            }
            for (JsonNode t : a.body().path("trainings")) {
                JsonNode model = t.path("model");
                if (model.isObject()) {
                    System.out.println(line(model));
                } else {
                    System.out.printf("%s: no model (%,d rows): %s%n", t.path("kind").asText(), t.path("rows").asLong(),
                            t.path("skipped").asText());
                }
            }
            return Exit.OK;
        }
    }

    @Command(name = "models", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "List the flap models trained, newest first, with their held-out figures.")
    static final class Models implements Callable<Integer> {
        @ParentCommand
        MlCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient.Answer a = parent.cli.api().get("/api/v1/ml/models?limit=1000");
            if (!a.ok()) {
                return ApiClient.exitCode(a);
            }
            for (JsonNode model : a.body().path("items")) {
                System.out.println(line(model));
            }
            return Exit.OK;
        }
    }

    /** One model in a line: version, kind, when, and its test figures beside the baseline's. */
    static String line(JsonNode model) {
        JsonNode e = model.path("evaluation");
        return String.format("%s model v%d, trained %s on %,d rows, tested on %,d (%,d flaps): AUC %s"
                        + " (figure of merit alone %s), precision %s, recall %s at threshold %s",
                model.path("kind").asText(), model.path("version").asInt(), model.path("trained_at").asText(),
                model.path("training_rows").asLong(), model.path("test_rows").asLong(),
                e.path("positives").asLong(), figure(e.path("model").path("auc")),
                figure(e.path("baseline").path("auc")), figure(e.path("model").path("precision")),
                figure(e.path("model").path("recall")), figure(model.path("threshold")));
    }

    private static String figure(JsonNode value) {
        return value.isNumber() ? String.format("%.3f", value.asDouble()) : "n/a";
    }
}

package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rampart features materialize}: the route and session feature tables. */
@Command(name = "features", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "The route and session feature tables that flap prediction learns from (see docs/learning.md).",
        subcommands = {FeaturesCommand.Materialize.class})
final class FeaturesCommand {

    @ParentCommand
    RampartCli cli;

    @Command(name = "materialize", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Bring the feature tables up to date now, as the scheduled refresh does "
                    + "(RAMPART_FEATURES_INTERVAL). Needs an operator token.")
    static final class Materialize implements Callable<Integer> {
        @ParentCommand
        FeaturesCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            // A first refresh after a full table load writes a row per route: no answer timeout.
            ApiClient.Answer a = parent.cli.api().postAndWait("/api/v1/features/materialize");
            if (!a.ok()) {
                return ApiClient.exitCode(a);
            }
            JsonNode r = a.body();
            System.out.printf("features as of %s: %,d history rows read, %,d routes and %,d sessions written%n",
                    r.path("as_of").asText(), r.path("history_rows").asLong(), r.path("routes_written").asLong(),
                    r.path("sessions_written").asLong());
            return Exit.OK;
        }
    }
}

package net.rampart.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rampart reload}: read the inventory and playbooks files again. Exit 1 when refused. */
@Command(name = "reload", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Reload the inventory and playbooks; a bad file keeps the running policy.")
final class ReloadCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Option(names = "--operator", description = "Who, for the audit log (default: $USER).")
    String operator;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient.Answer a = cli.api().post("/api/v1/reload?operator=" + ApiClient.query(RampartCli.operator(operator)),
                null);
        if (a.body().has("applied")) {
            if (a.body().path("applied").asBoolean()) {
                System.out.println("reloaded: " + a.body().path("customers").asInt() + " customers, "
                        + a.body().path("playbooks").asInt() + " playbooks");
            } else {
                a.body().path("problems").forEach(p -> System.err.println("  " + p.asText()));
            }
        }
        return ApiClient.exitCode(a);
    }
}

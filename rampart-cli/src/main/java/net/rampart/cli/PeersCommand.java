package net.rampart.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code rampart peers}: the BGP sessions that carry this POP's FlowSpec rules. */
@Command(name = "peers", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "BGP sessions to the routers, their state and how many rules each carries.")
final class PeersCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Override
    public Integer call() throws InterruptedException {
        ApiClient.Answer a = cli.api().all("/api/v1/mitigation/peers");
        if (a.ok()) {
            System.out.printf("%-40s  %-12s  %9s  %s%n", "PEER", "STATE", "ANNOUNCED", "LAST ERROR");
            a.body().path("items").forEach(p -> System.out.printf("%-40s  %-12s  %9d  %s%n", p.path("peer").asText(),
                    p.path("state").asText(p.path("established").asBoolean() ? "established" : "down"),
                    p.path("announced").asInt(), p.path("last_error").asText("")));
        }
        return ApiClient.exitCode(a);
    }
}

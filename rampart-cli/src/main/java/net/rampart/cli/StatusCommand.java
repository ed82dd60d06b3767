package net.rampart.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code rampart status}: is the service ready, and which of its parts are up. Exit 0 when ready. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Show whether the service is ready and which parts are up.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    RampartCli cli;

    @Override
    public Integer call() throws InterruptedException {
        // A service that is not ready answers 503 with its checks, which are what this command shows.
        ApiClient.Answer a = cli.api().probe("/health/ready");
        System.out.println(a.body().path("status").asText("unknown"));
        a.body().path("checks").fields().forEachRemaining(check ->
                System.out.printf("  %-10s %s%n", check.getKey(), check.getValue().asText()));
        return a.status() == 200 ? Exit.OK : Exit.SERVICE_ERROR;
    }
}

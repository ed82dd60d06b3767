package net.rampart.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rampart safelist list|add|remove}. */
@Command(name = "safelist", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Addresses Rampart never filters.",
        subcommands = {SafelistCommand.List.class, SafelistCommand.Add.class, SafelistCommand.Remove.class})
final class SafelistCommand {

    @ParentCommand
    RampartCli cli;

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Every safelist entry: from the inventory file and from the API.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        SafelistCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient.Answer a = parent.cli.api().all("/api/v1/safelist");
            if (a.ok()) {
                System.out.printf("%-43s  %-20s  %s%n", "PREFIX", "ORIGIN", "REASON");
                a.body().path("items").forEach(e -> System.out.printf("%-43s  %-20s  %s%n",
                        e.path("prefix").asText(), e.path("origin").asText(), e.path("reason").asText()));
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Add (or replace) an entry.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        SafelistCommand parent;

        @Parameters(paramLabel = "PREFIX")
        String prefix;

        @Option(names = "--reason", defaultValue = "", description = "Why it must never be filtered.")
        String reason;

        @Option(names = "--operator", description = "Who, for the audit log (default: $USER).")
        String operator;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("prefix", prefix);
            body.put("reason", reason);
            body.put("operator", RampartCli.operator(operator));
            ApiClient.Answer a = parent.cli.api().post("/api/v1/safelist", body);
            if (a.ok()) {
                System.out.println("added " + a.body().path("prefix").asText());
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Remove an entry added through the API.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        SafelistCommand parent;

        @Parameters(paramLabel = "PREFIX")
        String prefix;

        @Option(names = "--operator", description = "Who, for the audit log (default: $USER).")
        String operator;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient.Answer a = parent.cli.api().delete("/api/v1/safelist?prefix=" + ApiClient.query(prefix)
                    + "&operator=" + ApiClient.query(RampartCli.operator(operator)));
            if (a.ok()) {
                System.out.println("removed " + prefix);
            }
            return ApiClient.exitCode(a);
        }
    }
}

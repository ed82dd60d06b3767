package net.rampart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rampart mitigations list|show|withdraw}. */
@Command(name = "mitigations", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "List, show and withdraw FlowSpec mitigations.",
        subcommands = {MitigationsCommand.List.class, MitigationsCommand.Show.class,
                MitigationsCommand.Withdraw.class})
final class MitigationsCommand {

    @ParentCommand
    RampartCli cli;

    static String row(JsonNode m) {
        JsonNode action = m.path("rule").path("action");
        String what = action.path("type").asText();
        if (action.has("rate_bps")) {
            what += " " + action.path("rate_bps").asLong() + "bps";
        } else if (action.has("route_target")) {
            what += " " + action.path("route_target").asText();
        } else if (action.has("dscp")) {
            what += " " + action.path("dscp").asInt();
        }
        return String.format("%-36s  %-9s  %-5s  %-24s  %-10s  %-20s  %s", m.path("id").asText(),
                m.path("status").asText(), m.path("pop").asText(), m.path("victim_ip").asText(),
                m.path("vector").asText(), what, m.path("expires_at").asText());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Mitigations, newest first.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        MitigationsCommand parent;

        @Option(names = "--status", defaultValue = "active", description = "active, withdrawn, expired or all (default: ${DEFAULT-VALUE})")
        String status;

        @Option(names = "--pop", description = "A POP name, or all (default: the service's own POP).")
        String pop;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000).")
        int limit;

        @Override
        public Integer call() throws InterruptedException {
            String path = "/api/v1/mitigations?status=" + ApiClient.query(status) + "&limit=" + limit
                    + (pop == null ? "" : "&pop=" + ApiClient.query(pop));
            ApiClient.Answer a = parent.cli.api().get(path);
            if (a.ok()) {
                System.out.printf("%-36s  %-9s  %-5s  %-24s  %-10s  %-20s  %s%n", "ID", "STATUS", "POP", "VICTIM",
                        "VECTOR", "ACTION", "EXPIRES");
                a.body().path("items").forEach(m -> System.out.println(row(m)));
                System.out.println(a.body().path("matched").asInt() + " matched");
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "One mitigation with its audit trail, as JSON.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        MitigationsCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            ApiClient.Answer a = parent.cli.api().get("/api/v1/mitigations/" + ApiClient.query(id));
            if (a.ok()) {
                System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a.body()));
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Withdraw a mitigation now.")
    static final class Withdraw implements Callable<Integer> {
        @ParentCommand
        MitigationsCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", required = true, description = "Why, for the audit log.")
        String reason;

        @Option(names = "--operator", description = "Who, for the audit log (default: $USER).")
        String operator;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("operator", RampartCli.operator(operator));
            body.put("reason", reason);
            ApiClient.Answer a = parent.cli.api().post("/api/v1/mitigations/" + ApiClient.query(id) + "/withdraw",
                    body);
            if (a.ok()) {
                System.out.println(row(a.body()));
            }
            return ApiClient.exitCode(a);
        }
    }
}

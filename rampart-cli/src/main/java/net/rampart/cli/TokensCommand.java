package net.rampart.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rampart tokens create|list|revoke}: API tokens, with an admin token. */
@Command(name = "tokens", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "API tokens: create, list, revoke (needs an admin token).",
        subcommands = {TokensCommand.Create.class, TokensCommand.List.class, TokensCommand.Revoke.class})
final class TokensCommand {

    @ParentCommand
    RampartCli cli;

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Create a token and print it, alone, on the last line (it is not shown again).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;

        @Option(names = "--scope", required = true, description = "read, operator or admin.")
        String scope;

        @Option(names = "--name", description = "Who or what uses it, e.g. grafana (default: SCOPE-$USER).")
        String name;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name == null || name.isBlank() ? scope + "-" + RampartCli.operator(null) : name);
            body.put("scope", scope);
            ApiClient.Answer a = parent.cli.api().post("/api/v1/tokens", body);
            if (a.ok()) {
                System.out.println("created token " + a.body().path("id").asText() + " (" + a.body().path("name").asText()
                        + ", scope " + a.body().path("scope").asText() + "); keep it secret, it is not shown again:");
                System.out.println(a.body().path("token").asText());
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Every token, revoked ones included (never their secrets).")
    static final class List implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient.Answer a = parent.cli.api().all("/api/v1/tokens");
            if (a.ok()) {
                String format = "%-10s  %-24s  %-8s  %-7s  %-24s  %s%n";
                System.out.printf(format, "ID", "NAME", "SCOPE", "STATE", "CREATED", "LAST USED");
                a.body().path("items").forEach(t -> System.out.printf(format, t.path("id").asText(),
                        t.path("name").asText(), t.path("scope").asText(),
                        t.path("active").asBoolean() ? "active" : "revoked", t.path("created_at").asText(),
                        t.path("last_used_at").isNull() ? "-" : t.path("last_used_at").asText()));
            }
            return ApiClient.exitCode(a);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
            description = "Revoke a token by its id; requests with it are refused from now on.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokensCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient.Answer a = parent.cli.api().delete("/api/v1/tokens/" + ApiClient.query(id));
            if (a.ok()) {
                System.out.println("revoked " + id);
            }
            return ApiClient.exitCode(a);
        }
    }
}

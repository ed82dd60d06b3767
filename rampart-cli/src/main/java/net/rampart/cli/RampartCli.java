package net.rampart.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;

/** The {@code rampart} command line: talks to a running service over its HTTP API. */
@Command(name = "rampart", mixinStandardHelpOptions = true,
        description = "Command line for a running Rampart service (start one with ./rampart serve).",
        subcommands = {StatusCommand.class, ImportMrtCommand.class, MitigationsCommand.class, SafelistCommand.class,
                PeersCommand.class, ReloadCommand.class, TokensCommand.class},
        footer = {"", "The API token is taken from $RAMPART_API_TOKEN, else from $RAMPART_DATA_DIR/admin.token",
                "(data/admin.token by default), the admin token the service creates on its first start."})
public final class RampartCli {

    @Option(names = "--url", description = "Base URL of the service (default: http://127.0.0.1:$RAMPART_HTTP_PORT, port 8080).")
    URI url;

    URI baseUrl() {
        if (url != null) {
            return url;
        }
        String port = System.getenv().getOrDefault("RAMPART_HTTP_PORT", "8080");
        return URI.create("http://127.0.0.1:" + (port.isBlank() ? "8080" : port.strip()));
    }

    ApiClient api() {
        return new ApiClient(baseUrl(), ApiToken.find(System.getenv()).orElse(null), System.err);
    }

    /** The operator named on the command line, else the login name. */
    static String operator(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String user = System.getenv().getOrDefault("USER", System.getProperty("user.name", "unknown"));
        return user.isBlank() ? "unknown" : user;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RampartCli()).execute(args));
    }
}

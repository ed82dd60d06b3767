package net.rampart.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Properties;

/** The {@code rampart} command line: talks to a running service over its HTTP API. */
@Command(name = "rampart", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = "Command line for a running Rampart service (start one with ./rampart serve).",
        subcommands = {CommandLine.HelpCommand.class, ServeCommand.class, StatusCommand.class,
                ImportMrtCommand.class, MitigationsCommand.class, SafelistCommand.class, PeersCommand.class,
                ReloadCommand.class, TokensCommand.class, MonitorsCommand.class, BackupCommand.class,
                RestoreCommand.class, FeaturesCommand.class, MlCommand.class},
        footer = {"", "The API token is taken from $RAMPART_API_TOKEN, else from $RAMPART_DATA_DIR/admin.token",
                "(data/admin.token by default), the admin token the service creates on its first start.",
                "", "Exit codes: 0 done; 1 the service answered with an error; 2 bad option or argument;",
                "3 the service cannot be reached or the URL is bad; 4 no API token, or the token is refused."})
public final class RampartCli {

    @Option(names = "--url", paramLabel = "URL",
            description = "Base URL of the service (default: http://127.0.0.1:$RAMPART_HTTP_PORT, port 8080).")
    String url;

    private final Map<String, String> environment;

    public RampartCli() {
        this(System.getenv());
    }

    /** @param environment where the port and the API token are looked up, in place of the process's own */
    RampartCli(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The command line as {@code ./rampart} runs it: every failure is one line on stderr and an
     * exit code from {@link Exit}.
     */
    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new RampartCli(environment))
                .setParameterExceptionHandler(RampartCli::usageError)
                .setExecutionExceptionHandler(RampartCli::failed);
    }

    /** {@code --url}, else loopback on {@code RAMPART_HTTP_PORT}; a bad URL is a {@link Failure}. */
    private URI baseUrl() {
        if (url != null) {
            return serviceUrl(url, "--url");
        }
        String port = environment.getOrDefault("RAMPART_HTTP_PORT", "").strip();
        return serviceUrl("http://127.0.0.1:" + (port.isEmpty() ? "8080" : port), "from RAMPART_HTTP_PORT");
    }

    ApiClient api() {
        return new ApiClient(baseUrl(), ApiToken.find(environment).orElse(null), ApiToken.notFound(environment),
                System.err);
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
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * Checked here rather than by picocli's URI converter so that a bad URL is reported like an
     * unreachable service (exit 3, naming the URL) and so that what the HTTP client would reject
     * with an exception (another scheme, no host) is caught before any request.
     */
    private static URI serviceUrl(String text, String from) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw badUrl(text, from, e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw badUrl(text, from, "it must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getPort() > 65535) {
            throw badUrl(text, from, "no valid host and port");
        }
        return uri;
    }

    private static Failure badUrl(String text, String from, String why) {
        return new Failure(Exit.UNREACHABLE, "bad service URL " + text + " (" + from + "): " + why);
    }

    /** A bad option or argument: picocli's own message, and where to read the command's usage, on one line. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("rampart: " + e.getMessage() + " (see: " + command.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return Exit.USAGE;
    }

    /** A command threw: a {@link Failure} says what to print and exit with; anything else is one line too, exit 1. */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof Failure failure) {
            err.println("rampart: " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        String what = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        err.println("rampart: " + command.getCommandSpec().qualifiedName() + " failed: "
                + what.strip().replaceAll("\\s*\\R\\s*", " "));
        err.flush();
        return Exit.SERVICE_ERROR;
    }

    /** The project version, which the build writes into version.properties beside this class. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = RampartCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    build.load(in);
                }
            }
            return new String[] {"rampart " + build.getProperty("version", "(version unknown)")};
        }
    }
}

package net.rampart.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line behaves like one: help and version for every command, and every failure as
 * one line on stderr with the exit code from the documented table. The codes are written out as
 * numbers, not {@link Exit}'s names, because the numbers are what README.md promises. Runs
 * in-process against a stand-in for the service that answers every path with a set status and body.
 */
class RampartCliTest {

    private CliHarness cli;

    /** A data directory without admin.token, so that only the environment given to a run supplies a token. */
    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws IOException {
        cli = new CliHarness("/", "{}");
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    /** Every command and subcommand as typed after {@code ./rampart}, read from the command line itself. */
    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        collect(RampartCli.commandLine(Map.of()), "", paths);
        return paths.stream();
    }

    static Stream<String> topLevelCommands() {
        return RampartCli.commandLine(Map.of()).getSubcommands().keySet().stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            paths.add(prefix + name);
            collect(sub, prefix + name + " ", paths);
        });
    }

    @Test
    void theCommandWalkReachesNestedCommands() {
        // Guards the walk that the help tests are parameterised with: were it shallow, they would test less.
        assertThat(commands()).contains("help", "serve", "status", "import-mrt", "mitigations withdraw",
                "safelist remove", "peers", "reload", "tokens create", "monitors generate");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandPrintsItsUsageForHelp(String command) {
        assertThat(run(words(command, "--help"))).isZero();

        // picocli's own help command puts a description line above its usage.
        assertThat(cli.out()).containsPattern("(?m)^Usage: rampart " + java.util.regex.Pattern.quote(command) + " ");
        assertThat(cli.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("topLevelCommands")
    void theHelpCommandPrintsThatCommandsUsage(String command) {
        assertThat(run("help", command)).isZero();

        // picocli's own help command puts a description line above its usage.
        assertThat(cli.out()).containsPattern("(?m)^Usage: rampart " + java.util.regex.Pattern.quote(command) + " ");
        assertThat(cli.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsEveryCommandServeIncludedAndTheExitCodes() {
        assertThat(run("--help")).isZero();

        // serve is started by the launcher, not by this client, yet operators look for it here.
        for (String command : List.of("help", "serve", "status", "import-mrt", "mitigations", "safelist", "peers",
                "reload", "tokens", "monitors")) {
            assertThat(cli.out()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
        assertThat(cli.out()).contains("Exit codes: 0 done; 1 the service answered with an error; 2 bad option");
    }

    @Test
    void versionIsTheProjectVersion() {
        assertThat(run("--version")).isZero();

        // The build writes the version into version.properties; a missing or unfiltered file would not match.
        assertThat(cli.out().strip()).matches("rampart \\d+\\.\\d+\\.\\d+\\S*");
        assertThat(cli.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mitigations withdraw 42", "peers --bogus", "mitigations"})
    void aUsageErrorIsOneLineWithWhereToLookAndExit2(String command) {
        assertThat(run(words("--url " + url() + " " + command))).isEqualTo(2);

        assertThat(oneLine()).matches("rampart: .+ \\(see: rampart [a-z -]+ --help\\)");
        assertThat(cli.requests).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[bad", "localhost:8080", "http://127.0.0.1:abc"})
    void aBadUrlIsOneLineNamingItAndExit3(String url) {
        assertThat(run("--url", url, "peers")).isEqualTo(3);

        assertThat(oneLine()).contains(url);
        assertThat(cli.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "peers", "tokens list"})
    void anUnreachableServiceIsOneLineNamingTheUrlAndExit3(String command) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        assertThat(run(words("--url " + url + " " + command))).isEqualTo(3);

        assertThat(oneLine()).contains(url);
    }

    @Test
    void somethingOtherThanTheServiceAnsweringIsExit3() {
        cli.answer = "<html><body>It works!</body></html>";

        assertThat(run("--url", url(), "peers")).isEqualTo(3);

        assertThat(oneLine()).contains(url(), "something other than JSON");
    }

    @Test
    void aRevokedTokenIsExit4WithTheServicesReason() {
        cli.status = 401;
        cli.answer = "{\"error\":\"unauthorized\",\"detail\":\"the bearer token is unknown or revoked\"}";

        assertThat(run("--url", url(), "tokens", "list")).isEqualTo(4);

        assertThat(oneLine()).isEqualTo("rampart: unauthorized: the bearer token is unknown or revoked");
        assertThat(cli.authorization.get()).isEqualTo("Bearer test-token");
    }

    @Test
    void aTokenWithoutTheScopeIsExit4() {
        cli.status = 403;
        cli.answer = "{\"error\":\"insufficient_scope\",\"detail\":\"this route needs a token with scope 'admin'\"}";

        assertThat(run("--url", url(), "tokens", "list")).isEqualTo(4);

        assertThat(oneLine()).isEqualTo("rampart: insufficient_scope: this route needs a token with scope 'admin'");
    }

    @Test
    void withoutATokenThe401SaysWhereOneWasLookedFor() {
        cli.status = 401;
        cli.answer = "{\"error\":\"unauthorized\",\"detail\":\"this route needs a bearer token\"}";

        int exit = run(Map.of("RAMPART_DATA_DIR", dataDir.toString()), "--url", url(), "peers");

        assertThat(exit).isEqualTo(4);
        assertThat(oneLine()).startsWith("rampart: unauthorized: this route needs a bearer token (no API token found: ")
                .contains(ApiToken.VARIABLE, dataDir.resolve(ApiToken.FILE_NAME).toString());
        assertThat(cli.requests).hasValue(1);
        assertThat(cli.authorization.get()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"400, bad_request, the prefix 192.0.2.0/33 is not valid",
            "404, not_found, no mitigation 42",
            "500, internal_error, the database did not answer"})
    void aServiceErrorIsExit1WithItsDetail(int code, String error, String detail) {
        cli.status = code;
        cli.answer = "{\"error\":\"" + error + "\",\"detail\":\"" + detail + "\"}";

        assertThat(run("--url", url(), "mitigations", "show", "42")).isEqualTo(1);

        assertThat(oneLine()).isEqualTo("rampart: " + error + ": " + detail);
        assertThat(cli.out()).isEmpty();
    }

    /** A list longer than one page is read to its end: the service answers at most 1000 items a request. */
    @Test
    void aListCommandFollowsNextCursorToTheLastPage() {
        List<String> queries = new CopyOnWriteArrayList<>();
        cli.serve("/api/v1/tokens", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            queries.add(query);
            String page = query.contains("cursor=")
                    ? "{\"items\":[{\"id\":\"t2\",\"name\":\"second-page\"}],\"matched\":2,\"next_cursor\":null}"
                    : "{\"items\":[{\"id\":\"t1\",\"name\":\"first-page\"}],\"matched\":2,\"next_cursor\":\"b2s=\"}";
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });

        assertThat(run("--url", url(), "tokens", "list")).isZero();

        assertThat(cli.out()).contains("first-page", "second-page");
        // The cursor goes back exactly as given, escaped for the query.
        assertThat(queries).containsExactly("limit=1000", "limit=1000&cursor=b2s%3D");
    }

    /** Runs {@code ./rampart ARGS} with a token in the environment, as an operator with one would. */
    private int run(String... args) {
        return run(Map.of(ApiToken.VARIABLE, "test-token", "RAMPART_DATA_DIR", dataDir.toString()), args);
    }

    private int run(Map<String, String> environment, String... args) {
        // Plain text whatever terminal the tests run in, so usage lines compare as text.
        return RampartCli.commandLine(environment)
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .execute(args);
    }

    private static String[] words(String command, String... more) {
        return Stream.concat(Arrays.stream(command.split(" ")), Arrays.stream(more)).toArray(String[]::new);
    }

    private String url() {
        return cli.url();
    }

    /** stderr holds exactly one line, {@code rampart: ...}, with no stack trace and no missing message; returns it. */
    private String oneLine() {
        String text = cli.err();
        assertThat(text.lines()).hasSize(1);
        assertThat(text).startsWith("rampart: ").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("(null)");
        return text.strip();
    }
}

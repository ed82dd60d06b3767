package net.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import net.rampart.wire.testing.PcapTcpStreams;
import net.rampart.wire.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's headless Chromium) on the real service, fed by a real
 * router and by real routers' captures: a GoBGP router sends its Loc-RIB over BMP and takes the
 * service's FlowSpec rules over BGP; the shared test data's BMP captures are replayed, each
 * from its own loopback address; an attack event makes a mitigation, an RPKI-invalid route and
 * a monitored prefix's hijack make alerts.
 *
 * <p>Checked: signing in through the form (a wrong token is told so), the Overview's real
 * figures, every page of {@link #PAGES} showing real content (a page missing fails), a read token
 * offered no action and refused one its page's script tries, the session cookie out of scripts'
 * reach, signing out ending the session at the service, an operator finding a route through the
 * Routes filters and opening its detail, and withdrawing the mitigation from its page until the
 * router's FlowSpec RIB no longer holds the rule.
 * With {@code -Ddashboard.screenshots=true} every page visited is saved to
 * {@code docs/images/dashboard-PAGE.png} (docs/dashboard.md, "Screenshots").
 */
class DashboardBrowserIT {

    /**
     * One view of a dashboard page: its id in app.js's PAGES, the URL parameters of the view
     * ("" for the page as the navigation opens it) and the CSS selectors (inside {@code #page})
     * that all show real content once the view has drawn the service's data.
     */
    record PageCheck(String id, String query, List<String> content) {
        PageCheck(String id, String query, String... content) {
            this(id, query, List.of(content));
        }

        String route() {
            return query.isEmpty() ? id : id + "?" + query;
        }
    }

    private static final String ROWS = " table tbody tr";
    /** Every page of the dashboard, each seen with the data the fixture gives it; the first view of a page is its screenshot. */
    static final List<PageCheck> PAGES = List.of(
            new PageCheck("overview", "", "section[aria-labelledby=ov-routes]" + ROWS),
            new PageCheck("routes", "", "[data-test=routes-table]" + ROWS),
            new PageCheck("routers", "", "[data-test=routers-table]" + ROWS, "[data-test=peers-table]" + ROWS),
            new PageCheck("rpki", "", "[data-test=rpki-source]", "[data-test=rpki-state] dl"),
            new PageCheck("rpki", "tab=vrps", "[data-test=vrps-table]" + ROWS),
            new PageCheck("mitigations", "", "[data-test=mitigations-table]" + ROWS),
            new PageCheck("events", "", "[data-test=events-table]" + ROWS),
            new PageCheck("audit", "", "[data-test=audit-table]" + ROWS),
            new PageCheck("safelist", "", "[data-test=safelist-table]" + ROWS),
            new PageCheck("inventory", "", "[data-test=inventory-quotas] [data-test^=quota-]"),
            new PageCheck("alerts", "", "[data-test=alerts-table]" + ROWS));

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(60);
    private static final int CAPTURE_BMP_PORT = 1790;
    private static final String ROUTER = "127.0.0.1";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyPageWithRealDataAndWhatEachScopeMayDo(TestReporter report) throws Exception {
        assumeTrue(DashboardBrowser.installed(), "skipped: /usr/bin/chromium or /usr/bin/chromedriver is missing");
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        int httpPort = ServiceProcess.freePort();
        int bmpPort = ServiceProcess.freePort();
        int bgpPort = ServiceProcess.freePort();
        // The router: its Loc-RIB over BMP to the service, and a passive FlowSpec session for the service's rules.
        String gobgpConfig = GoBgpDaemon.config(65001, "10.0.0.2").port(bgpPort).localAddress(ROUTER)
                .neighbor(GoBgpDaemon.neighbor(ROUTER, 65000).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .bmpServer(bmpPort, "local-rib").toml();
        Map<String, String> environment = environment(httpPort, bmpPort);
        environment.put("RAMPART_BGP_ASN", "65000");
        environment.put("RAMPART_BGP_ROUTER_ID", "10.0.0.1");
        environment.put("RAMPART_BGP_PEERS", ROUTER + ":" + bgpPort + "/65001");

        List<Socket> routers = new ArrayList<>();
        try (GoBgpDaemon gobgp = GoBgpDaemon.start(Files.createDirectories(dir.resolve("gobgp")), gobgpConfig);
             ServiceProcess service = ServiceProcess.start(environment)) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            String admin = service.adminToken();
            // 10.9.0.0/24: valid; 10.9.1.0/24: RPKI-invalid and a hijack of the monitored /16; the rest not found.
            gobgp.cli("global", "rib", "add", "10.9.0.0/24", "-a", "ipv4", "nexthop", "192.0.2.9", "aspath", "65002,65003");
            gobgp.cli("global", "rib", "add", "10.9.1.0/24", "-a", "ipv4", "nexthop", "192.0.2.9", "aspath", "65002,65004");
            gobgp.cli("global", "rib", "add", "198.51.100.0/24", "-a", "ipv4", "nexthop", "192.0.2.9", "aspath", "65002,65005");
            gobgp.cli("global", "rib", "add", "2001:db8:100::/48", "-a", "ipv6", "nexthop", "2001:db8::9", "aspath", "65002,65005");
            int expectedRouters = 1 + replayCaptures(bmpPort, routers, report);

            HttpResponse<String> attack = send(httpPort, "POST", "/api/v1/events", admin, """
                    {"event_id":"browser-1","timestamp":"%s","source":"fastnetmon",
                     "victim_ip":"192.0.2.10","vector":"udp_flood","confidence":0.7,"top_dst_ports":[53]}
                    """.formatted(Instant.now()));
            assertThat(attack.statusCode()).as(attack.body()).isEqualTo(202);
            assertThat(Daemon.await(DATA_TIMEOUT, () -> rules(gobgp).size() == 1))
                    .as("the mitigation's rule announced to the router; service output:%n%s", service.output()).isTrue();
            HttpResponse<String> safelisted = send(httpPort, "POST", "/api/v1/safelist", admin,
                    "{\"prefix\":\"203.0.113.0/30\",\"reason\":\"resolvers\",\"operator\":\"alice\"}");
            assertThat(safelisted.statusCode()).as(safelisted.body()).isEqualTo(201);
            String operator = token(httpPort, admin, "noc", "operator");
            String reader = token(httpPort, admin, "wall", "read");
            Daemon.await("every router connected and an alert open, in the API", DATA_TIMEOUT, () ->
                    connectedRouters(service, httpPort) == expectedRouters && openAlerts(service, httpPort) > 0);

            Supplier<JsonNode> rpkiTotals = () -> rpkiTotals(service, httpPort);
            String mitigation = service.api(httpPort).get("/api/v1/mitigations?status=active").path("items").get(0)
                    .path("id").asText();
            String alert = service.api(httpPort).get("/api/v1/alerts?state=active&limit=1").path("items").get(0)
                    .path("id").asText();
            try (DashboardBrowser browser = DashboardBrowser.open(httpPort, dir)) {
                // A wrong token is refused in the form; a read token sees everything and is offered no action.
                browser.signIn("rmp_" + "A".repeat(43));
                assertThat(browser.signInError()).isEqualTo("That token is unknown or revoked.");
                browser.screenshot("sign-in");
                browser.signIn(reader);
                assertThat(browser.signedInAs()).isEqualTo("wall · read");
                assertOverviewShowsTheService(browser, expectedRouters, rpkiTotals);
                showEveryPage(browser, false);
                browser.showPage("mitigations?id=" + mitigation, "[data-test=mitigation-rule]");
                assertThat(browser.all("#page [data-test=withdraw-button]")).as("withdraw offered to a read token").isEmpty();
                browser.showPage("alerts?id=" + alert, "[data-test=alert-detail]");
                // alert-action-result is where an action's outcome would show, not an action.
                assertThat(browser.all("#page [data-test^=alert-action-]:not([data-test=alert-action-result])"))
                        .as("alert actions offered to a read token").isEmpty();
                browser.showPage("rpki", "[data-test=rpki-state] dl");
                assertThat(browser.all("#page [data-test=rpki-refresh-button]")).as("RPKI refresh offered to a read token").isEmpty();
                // Nor does the service let the page's own session do it.
                String refused = withdrawFromThePage(browser, mitigation);
                assertThat(refused).startsWith("403 ").contains("\"error\":\"insufficient_scope\"");
                assertThat(rules(gobgp)).as("the rule is still announced").hasSize(1);

                // The session cookie is the browser's, never a script's; signing out ends it at the service.
                Cookie session = browser.cookie("rampart_session").orElseThrow();
                assertThat(session.isHttpOnly()).isTrue();
                assertThat(session.getSameSite()).isEqualTo("Strict");
                assertThat(browser.documentCookie()).doesNotContain("rampart_session").doesNotContain(session.getValue());
                browser.signOut();
                assertThat(browser.signInError()).isEqualTo("Signed out.");
                assertThat(browser.signInShown()).isTrue();
                assertThat(browser.cookie("rampart_session")).isEmpty();
                HttpResponse<String> after = send(httpPort, "GET", "/api/v1/session",
                        Map.of("Cookie", "rampart_session=" + session.getValue()), null);
                assertThat(after.statusCode()).isEqualTo(401);
                assertThat(json.readTree(after.body()).path("error").asText()).isEqualTo("unauthorized");

                // An operator: every page again (the documentation's screenshots), with its actions.
                browser.signIn(operator);
                assertThat(browser.signedInAs()).isEqualTo("noc · operator");
                assertOverviewShowsTheService(browser, expectedRouters, rpkiTotals);
                showEveryPage(browser, true);
                browser.resize(390, 844);
                for (String page : List.of("overview", "routes")) {
                    PageCheck check = PAGES.stream().filter(p -> p.id().equals(page)).findFirst().orElseThrow();
                    browser.showPage(check.route(), check.content());
                    browser.screenshot(page + "-phone");
                }
                browser.resize(1280, 800);
                browser.showPage("alerts?id=" + alert, "[data-test=alert-detail]");
                assertThat(browser.all("#page [data-test=alert-action-acknowledge]")).isNotEmpty();
                browser.showPage("rpki", "[data-test=rpki-state] dl");
                assertThat(browser.all("#page [data-test=rpki-refresh-button]")).isNotEmpty();

                findARoute(browser);
                withdrawTheMitigation(browser);
                assertThat(Daemon.await(DATA_TIMEOUT, () -> rules(gobgp).isEmpty()))
                        .as("the withdrawn rule gone from the router's FlowSpec RIB: %s", rules(gobgp)).isTrue();
            }
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        } finally {
            for (Socket s : routers) {
                s.close();
            }
        }
    }

    /**
     * "A page with 1 M routes loads in at most 1 s": an IPv4 full table of a million routes is
     * imported as an MRT TABLE_DUMP_V2 file, then the Routes page is opened afresh and timed in
     * the browser, from the navigation's start to its table showing rows.
     */
    @Test
    void aPageOverAMillionRoutesLoadsWithinASecond(TestReporter report) throws Exception {
        assumeTrue(DashboardBrowser.installed(), "skipped: /usr/bin/chromium or /usr/bin/chromedriver is missing");
        int routes = 1_000_000;
        int httpPort = ServiceProcess.freePort();
        long generating = System.nanoTime();
        Path dump = FullTableDump.write(dir.resolve("full-table.mrt.gz"), routes, 42);
        print(report, "dump", String.format(Locale.ROOT, "%d routes, %.1f MB gzip'd, written in %.1f s", routes,
                Files.size(dump) / 1e6, (System.nanoTime() - generating) / 1e9));
        try (ServiceProcess service = ServiceProcess.start(environment(httpPort, 0))) {
            assertThat(service.awaitReady(httpPort, START_TIMEOUT)).as(service.output()).isTrue();
            String admin = service.adminToken();
            long importing = System.nanoTime();
            HttpResponse<String> imported = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + httpPort + "/api/v1/mrt/imports?source=fulltable"))
                    .header("Authorization", "Bearer " + admin).timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofFile(dump)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
            assertThat(json.readTree(imported.body()).path("bad_records").asLong()).isZero();
            assertThat(service.api(httpPort).get("/api/v1/routes?router=mrt:fulltable&limit=1").path("matched").asLong())
                    .isEqualTo(routes);
            print(report, "import", String.format(Locale.ROOT, "%d routes imported in %.1f s", routes,
                    (System.nanoTime() - importing) / 1e9));

            try (DashboardBrowser browser = DashboardBrowser.open(httpPort, dir)) {
                browser.signIn(admin);
                browser.signedInAs();
                String rows = "[data-test=routes-table]" + ROWS;
                double millis = browser.millisUntilShown("routes", rows);
                String figure = String.format(Locale.ROOT, "#/routes over %d routes: table rows shown %.0f ms after the"
                        + " navigation started", routes, millis);
                print(report, "page load", figure);
                assertThat(millis).as(figure).isLessThanOrEqualTo(1000);
                assertThat(browser.all("#page " + rows)).hasSize(50);
                browser.screenshot("routes-1m-routes");
            }
            assertThat(service.terminate(Duration.ofSeconds(60))).as(service.output()).isZero();
        }
    }

    private Map<String, String> environment(int httpPort, int bmpPort) throws Exception {
        Files.writeString(dir.resolve("inventory.yaml"), """
                customers:
                  - id: example-net
                    prefixes: [192.0.2.0/24, 2001:db8::/32]
                """);
        Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 10m}
                """);
        Files.writeString(dir.resolve("monitors.yaml"), """
                prefixes:
                  - prefix: 10.9.0.0/16
                    origins: [AS65003]
                """);
        Path vrps = Files.writeString(dir.resolve("vrps.json"), """
                {"metadata": {"generated": %d}, "roas": [{"asn": "AS65003", "prefix": "10.9.0.0/16", "maxLength": 24, "ta": "test"}]}
                """.formatted(Instant.now().getEpochSecond()));
        Map<String, String> environment = ServiceProcess.loopbackCollector(httpPort, bmpPort, dir.resolve("data"));
        environment.put("RAMPART_RPKI_SOURCES", "file:" + vrps);
        environment.put("RAMPART_INVENTORY", dir.resolve("inventory.yaml").toString());
        environment.put("RAMPART_PLAYBOOKS", dir.resolve("playbooks.yaml").toString());
        environment.put("RAMPART_MONITORS", dir.resolve("monitors.yaml").toString());
        environment.put("RAMPART_POP", "ams1");
        return environment;
    }

    /**
     * Replays each BMP capture of the shared test data from its own loopback address, leaving the
     * sessions open; returns how many routers that makes (none when the test data is absent).
     */
    private static int replayCaptures(int bmpPort, List<Socket> routers, TestReporter report) throws Exception {
        Path folder = TestData.folder("bmp");
        if (!Files.isDirectory(folder)) {
            print(report, "captures", "no BMP captures in the shared test data: only the GoBGP router feeds the service");
            return 0;
        }
        List<Path> captures;
        try (Stream<Path> files = Files.list(folder)) {
            captures = files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        for (int i = 0; i < captures.size(); i++) {
            for (PcapTcpStreams.Stream stream : PcapTcpStreams.towardsPort(captures.get(i), CAPTURE_BMP_PORT)) {
                routers.add(ReplayedRouter.connect(stream.payload(), "127.0.0." + (10 + i), bmpPort));
            }
        }
        return captures.size();
    }

    /** Waits for the Overview to show every router connected, peers up and routes of both families. */
    private static void assertOverviewShowsTheService(DashboardBrowser browser, int routers, Supplier<JsonNode> rpkiTotals) {
        browser.showPage("overview", PAGES.get(0).content());
        String collector = "#page section[aria-labelledby=ov-collector] .figure";
        String peers = browser.untilPresent(d -> {
            List<String> figures = browser.all(collector).stream().map(WebElement::getText).toList();
            return figures.size() == 2 && figures.get(0).equals(routers + "/" + routers)
                    ? Optional.of(figures.get(1)) : Optional.empty();
        });
        assertThat(Integer.parseInt(peers.split("/")[0])).as("peers up: %s", peers).isPositive();
        List<String> families = browser.untilPresent(d -> Optional.of(browser.all(
                "#page section[aria-labelledby=ov-routes] tbody th").stream().map(WebElement::getText).toList()));
        assertThat(families).contains("ipv4", "ipv6");
        String routesInAll = browser.untilPresent(d -> browser.all("#page section[aria-labelledby=ov-routes] .figure")
                .stream().map(WebElement::getText).findFirst());
        assertThat(Long.parseLong(routesInAll.replaceAll("[^0-9]", ""))).as("routes in all: %s", routesInAll).isPositive();
        // RPKI: valid, invalid and not found as the API counts them.
        browser.until(d -> String.join(" ", browser.all("#page section[aria-labelledby=ov-rpki] .figure").stream()
                .map(WebElement::getText).toList()).equals(String.join(" ", Stream.of("valid", "invalid", "not-found")
                .map(state -> String.format(Locale.US, "%,d", rpkiTotals.get().path(state).asLong())).toList())));
        assertThat(rpkiTotals.get().path("not-found").asLong()).as("routes without a VRP").isPositive();
        browser.until(d -> browser.all("#page .active-count").stream().anyMatch(e -> e.getText().equals("1")));
        browser.until(d -> browser.all("#page .open-count").stream()
                .anyMatch(e -> !e.getText().isBlank() && !e.getText().equals("0")));
    }

    /**
     * Visits every view of {@link #PAGES}, each of which must show its real content, after
     * checking that they name every page of the navigation; saves each page's first view as its
     * screenshot when {@code screenshots}.
     */
    private static void showEveryPage(DashboardBrowser browser, boolean screenshots) throws Exception {
        List<String> navigation = browser.untilPresent(d -> Optional.of(browser.all("#nav a").stream()
                .map(a -> a.getAttribute("href").replaceAll(".*#/", "")).toList()).filter(l -> !l.isEmpty()));
        assertThat(PAGES.stream().map(PageCheck::id).distinct().toList())
                .as("a check for every page of the navigation").containsExactlyInAnyOrderElementsOf(navigation);
        Set<String> shot = new HashSet<>();
        for (PageCheck page : PAGES) {
            browser.showPage(page.route(), page.content());
            if (screenshots && shot.add(page.id())) {
                browser.screenshot(page.id());
            }
        }
    }

    /** Searches the Routes page for GoBGP's 10.9.0.0/24 and opens its detail: attributes and RPKI state. */
    private static void findARoute(DashboardBrowser browser) {
        browser.showPage("routes", "[data-test=routes-table]" + ROWS);
        browser.fill("#routes-f-prefix", "10.9.0.0/24");
        browser.fill("#routes-f-origin_asn", "AS65003");
        browser.click("[data-test=routes-search]");
        List<List<String>> found = browser.untilPresent(d -> {
            List<List<String>> rows = browser.all("#page [data-test=routes-table] table tbody tr").stream()
                    .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                    .toList();
            return rows.isEmpty() || !rows.stream().allMatch(r -> r.get(0).equals("10.9.0.0/24"))
                    ? Optional.empty() : Optional.of(rows);
        });
        // prefix, origin AS, AS path, next hop, ..., RPKI
        assertThat(found).allSatisfy(row -> assertThat(row.subList(0, 4))
                .containsExactly("10.9.0.0/24", "65003", "65002 65003", "192.0.2.9"));
        assertThat(found).allSatisfy(row -> assertThat(row.get(7)).isEqualTo("valid"));
        browser.click("[data-test=route-link]");
        browser.awaitContent("the route's detail", List.of("[data-test=route-attributes] dl",
                "[data-test=route-rpki] [data-test=rpki-state]", "[data-test=route-rpki] [data-test=vrps-matched] tbody tr"));
        assertThat(browser.textOf("[data-test=route-attributes] [data-field=as_path]").replaceAll("\\s+", " ")).isEqualTo("65002 65003");
        assertThat(browser.textOf("[data-test=route-attributes] [data-field=next_hop]")).isEqualTo("192.0.2.9");
        assertThat(browser.textOf("[data-test=route-rpki] [data-test=rpki-state]")).isEqualTo("valid");
        assertThat(browser.textOf("[data-test=route-rpki] [data-test=vrps-matched] tbody tr")).contains("10.9.0.0/16");
    }

    /** Withdraws the one mitigation from its page, as an operator: confirm with a name and a reason, see the result. */
    private static void withdrawTheMitigation(DashboardBrowser browser) {
        browser.showPage("mitigations", "[data-test=mitigations-table]" + ROWS);
        browser.click("[data-test=mitigation-link]");
        browser.click("[data-test=withdraw-button]");
        browser.fill("[data-test=withdraw-operator]", "noc");
        browser.fill("[data-test=withdraw-reason]", "attack over, seen in the browser test");
        browser.click("[data-test=withdraw-confirm]");
        assertThat(browser.textOf("[data-test=withdraw-result]")).isEqualTo("Withdrawn: the mitigation is now withdrawn.");
        assertThat(browser.textOf("[data-test=mitigation-status]")).isEqualTo("withdrawn");
        assertThat(browser.all("#page [data-test=withdraw-button]")).isEmpty();
    }

    /**
     * POSTs a withdrawal from the page's own script, as the dashboard would: the session cookie
     * and the CSRF token of {@code GET /api/v1/session}; gives "STATUS BODY".
     */
    private static String withdrawFromThePage(DashboardBrowser browser, String mitigation) {
        return (String) browser.asyncScript("""
                const [id, done] = arguments;
                fetch('/api/v1/session', { credentials: 'same-origin' })
                  .then((r) => r.json())
                  .then((s) => fetch('/api/v1/mitigations/' + encodeURIComponent(id) + '/withdraw', {
                    method: 'POST', credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
                    body: JSON.stringify({ operator: 'wall', reason: 'a read token trying' }) }))
                  .then(async (r) => done(r.status + ' ' + await r.text()))
                  .catch((e) => done('failed: ' + e));
                """, mitigation);
    }

    /** A figure for the test report and for the build's output, where the failsafe report keeps it. */
    private static void print(TestReporter report, String key, String message) {
        report.publishEntry(key, message);
        System.out.println(key + ": " + message);
    }

    private static Set<String> rules(GoBgpDaemon gobgp) {
        try {
            return gobgp.flowSpecRules("ipv4-flowspec");
        } catch (Exception notYet) {
            return Set.of();
        }
    }

    private int connectedRouters(ServiceProcess service, int port) {
        try {
            int n = 0;
            for (JsonNode router : service.api(port).get("/api/v1/routers?limit=100").path("items")) {
                n += router.path("connected").asBoolean() ? 1 : 0;
            }
            return n;
        } catch (Exception | AssertionError notYet) {
            return -1;
        }
    }

    private static JsonNode rpkiTotals(ServiceProcess service, int port) {
        try {
            return service.api(port).get("/api/v1/rpki/peers?limit=1").path("totals");
        } catch (Exception e) {
            throw new IllegalStateException("the API's RPKI totals", e);
        }
    }

    private long openAlerts(ServiceProcess service, int port) {
        try {
            return service.api(port).get("/api/v1/alerts?state=active&limit=1").path("matched").asLong();
        } catch (Exception | AssertionError notYet) {
            return -1;
        }
    }

    /** A new token of {@code scope}, made with the admin token as an operator would. */
    private String token(int port, String admin, String name, String scope) throws Exception {
        HttpResponse<String> created = send(port, "POST", "/api/v1/tokens", admin,
                json.writeValueAsString(Map.of("name", name, "scope", scope)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).path("token").asText();
    }

    private HttpResponse<String> send(int port, String method, String path, String bearer, String body) throws Exception {
        return send(port, method, path, Map.of("Authorization", "Bearer " + bearer), body);
    }

    private HttpResponse<String> send(int port, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package net.rampart.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.InMemorySnapshotStore;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiService;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.RpkiUpdater;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.rpki.rtr.RtrTimers;
import net.rampart.rpki.slurm.SlurmFiles;
import net.rampart.rpki.source.SourceData;
import net.rampart.rpki.source.VrpSource;
import net.rampart.server.RampartService;
import net.rampart.wire.rtr.ResetQuery;
import net.rampart.wire.rtr.RtrPduEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validate area's routes ({@link RpkiRoutes}) end to end in one process: a real
 * {@link RpkiService} over an in-memory snapshot store, fed by a source the test scripts and
 * driven by a clock the test sets, served by {@link HttpApi} on a loopback port. No database, no
 * RTR server, no service process; the source is polled once at start, which the test waits for,
 * and then only when the test asks.
 */
class RpkiRoutesTest {

    /** When the service starts: serial 0 is made then. */
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** When the first data is loaded, so when serial 1 is made. */
    private static final Instant T1 = Instant.parse("2026-01-01T01:00:00.250Z");
    /** When the second data is loaded. */
    private static final Instant T2 = Instant.parse("2026-01-01T02:00:00Z");
    /** When the relying party produced the data, as its export says. */
    private static final Instant GENERATED = Instant.parse("2026-01-01T00:30:00Z");
    private static final Duration MAX_DATA_AGE = Duration.ofHours(24);
    /** Deltas kept: few, so that a test can load past them. */
    private static final int HISTORY = 2;

    private static final byte[] SKI = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f1011121314");
    /** Bytes whose base64 and base64url differ ("+/+/" and "-_-_"), so that each answer's alphabet shows. */
    private static final byte[] SPKI = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};

    /**
     * Two nested IPv4 VRPs of different ASes inside a third, one VRP whose source named no trust
     * anchor, one IPv6 VRP; one ASPA and one router key. In set order.
     */
    private static final SourceData FIRST = data(GENERATED, List.of(
                    vrp("10.0.0.0/8", 16, 65010, "ripe"), vrp("10.1.0.0/16", 24, 65020, "ripe"),
                    vrp("10.1.2.0/24", 24, 65030, "arin"), vrp("192.0.2.0/24", 24, 65010, ""),
                    vrp("2001:db8::/32", 48, 65010, "ripe")),
            new AspaRecord(65010, new long[] {65030, 65020}));

    /** FIRST with 192.0.2.0/24 withdrawn, 198.51.100.0/24 announced and one provider fewer for AS65010. */
    private static final SourceData SECOND = data(GENERATED.plus(Duration.ofHours(1)), List.of(
                    vrp("10.0.0.0/8", 16, 65010, "ripe"), vrp("10.1.0.0/16", 24, 65020, "ripe"),
                    vrp("10.1.2.0/24", 24, 65030, "arin"), vrp("198.51.100.0/24", 24, 65040, "ripe"),
                    vrp("2001:db8::/32", 48, 65010, "ripe")),
            new AspaRecord(65010, new long[] {65020}));

    private final ObjectMapper json = RampartService.jsonMapper();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TestClock clock = new TestClock(T0);
    private ScriptedSource source;
    private RpkiService rpki;
    private LoopbackApi api;

    /** A clock that stands still where the test puts it. */
    private static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A source that answers what the test last gave it: data, or the failure of a source that is down. */
    private static final class ScriptedSource implements VrpSource {
        private final CountDownLatch firstFetch = new CountDownLatch(1);
        private volatile Object answer = new IOException("connection refused");

        void answer(Object dataOrFailure) {
            answer = dataOrFailure;
        }

        @Override
        public String name() {
            return "test:vrps";
        }

        @Override
        public SourceData fetch(Instant now) throws IOException {
            try {
                if (answer instanceof IOException e) {
                    throw e;
                }
                return (SourceData) answer;
            } finally {
                firstFetch.countDown();
            }
        }
    }

    private record TaVrp(Vrp vrp, String trustAnchor) {
    }

    private static TaVrp vrp(String prefix, int maxLength, long asn, String trustAnchor) {
        return new TaVrp(Vrp.parse(prefix, maxLength, asn), trustAnchor);
    }

    private static SourceData data(Instant generated, List<TaVrp> vrps, AspaRecord aspa) {
        VrpSet.Builder set = new VrpSet.Builder();
        vrps.forEach(v -> set.add(v.vrp(), v.trustAnchor()));
        // Two entries the source's strict checks dropped, as the sources route reports them.
        return new SourceData("routinator", generated, set.build(), List.of(aspa),
                List.of(new RouterKeyRecord(65010, SKI, SPKI)), Map.of("prefix", 2));
    }

    @BeforeEach
    void start() throws Exception {
        serve(new SlurmFiles(List.of()));
    }

    private void serve(SlurmFiles slurm) throws Exception {
        serve(slurm, null);
    }

    /**
     * Starts the service with the source down, as a service is before its first good fetch, and
     * serves its routes.
     */
    /** @param rtrBind where the RTR server listens, or null for none */
    private void serve(SlurmFiles slurm, InetSocketAddress rtrBind) throws Exception {
        source = new ScriptedSource();
        rpki = new RpkiService(new RpkiService.Settings(List.of(source), slurm, Duration.ofDays(1),
                new RpkiUpdater.Policy(1.0, MAX_DATA_AGE), HISTORY, RtrTimers.DEFAULT, rtrBind, 1),
                new InMemorySnapshotStore(), metrics, clock);
        rpki.start();
        // start() polls the sources at once on a thread of its own. Wait for that poll, so that
        // every later fetch is one the test asks for: the fetch is made holding the updater's lock,
        // which sourceStates() takes, so it returns only once that poll is over.
        assertThat(source.firstFetch.await(30, TimeUnit.SECONDS)).as("the poll at start").isTrue();
        rpki.updater().sourceStates();
        api = LoopbackApi.serve(json, metrics, new RpkiRoutes(rpki, json));
    }

    @AfterEach
    void stop() {
        api.close();
        rpki.close();
    }

    /** Makes {@code data} the source's answer at {@code at} and polls, which must move the serial. */
    private void load(Instant at, SourceData data) {
        clock.set(at);
        source.answer(data);
        assertThat(rpki.refreshNow()).as("the serial moved").isTrue();
    }

    private JsonNode ok(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode get(String target) throws Exception {
        return ok(api.get(target));
    }

    private JsonNode post(String target, String body) throws Exception {
        return ok(api.post(target, body));
    }

    private JsonNode tree(String text) throws IOException {
        return json.readTree(text);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> values = new ArrayList<>();
        items.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    /** The shared error body of a 400: the code, the field it names and the sentence, and no other member. */
    private void assertRefused(HttpResponse<String> response, String error, String field, String detail)
            throws IOException {
        assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isEqualTo(400);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.path("detail").asText()).as(response.body()).isEqualTo(detail);
        if (field == null) {
            assertThat(names(body)).as(response.body()).containsExactly("error", "detail");
        } else {
            assertThat(body.path("field").asText()).as(response.body()).isEqualTo(field);
            assertThat(names(body)).as(response.body()).containsExactly("error", "detail", "field");
        }
    }

    private void assertBadParameter(String target, String field, String detail) throws Exception {
        assertRefused(api.get(target), "invalid_parameter", field, detail);
    }

    private void assertBadField(String target, String body, String field, String detail) throws Exception {
        assertRefused(api.post(target, body), "invalid_field", field, detail);
    }

    private int sessionId() throws Exception {
        return get("/api/v1/state").path("session_id").asInt();
    }

    // Every route, so that one added to RpkiRoutes without a test here fails this class.

    @Test
    void theRoutesServedAreTheOnesTestedHereAndAllAreDocumented() throws Exception {
        Set<String> served = api.routes().stream().filter(r -> !r.path().equals("/openapi.json"))
                .map(r -> r.method().name() + " " + r.path()).collect(Collectors.toSet());
        assertThat(served).containsExactlyInAnyOrder("GET /api/v1/state", "GET /api/v1/vrps", "GET /api/v1/diff",
                "POST /api/v1/validate", "POST /api/v1/validate/aspa", "GET /api/v1/validity/{asn}/{address}/{length}",
                "GET /api/v1/validity", "POST /api/v1/rpki/refresh", "GET /api/v1/rpki/sources",
                "GET /api/v1/rpki/slurm", "GET /api/v1/rpki/rtr-clients", "GET /json", "GET /csv");
        JsonNode paths = get("/openapi.json").path("paths");
        for (var route : api.routes()) {
            assertThat(paths.path(route.path()).has(route.method().name().toLowerCase(Locale.ROOT)))
                    .as("OpenAPI documents %s %s", route.method(), route.path()).isTrue();
        }
    }

    // Before any data: the state says so, and the rest answers from the empty serial 0.

    @Test
    void beforeTheFirstGoodFetchTheStateIsStaleAtSerialZeroAndNothingIsServed() throws Exception {
        JsonNode state = get("/api/v1/state");
        assertThat(state.path("session_id").asInt()).isBetween(1, 0xFFFF);
        assertThat(state).isEqualTo(tree("""
                {"serial": 0, "session_id": %d, "vrp_count": 0, "aspa_count": 0, "router_key_count": 0,
                 "hash": "%s", "last_update": "2026-01-01T00:00:00.000Z", "data_time": null, "stale": true,
                 "retained_serials": [0], "rtr_clients": 0}
                """.formatted(state.path("session_id").asInt(), RpkiSnapshot.empty().hash())));

        // The poll at start failed: the source says why, and that it never succeeded.
        JsonNode source = get("/api/v1/rpki/sources").path("sources");
        assertThat(source).isEqualTo(tree("""
                [{"name": "test:vrps", "format": null, "last_success": null, "last_attempt": "2026-01-01T00:00:00.000Z",
                  "generated_at": null, "fetches": 1, "failures": 1, "last_error": "connection refused", "vrps": 0,
                  "aspas": 0, "router_keys": 0, "rejected": {}, "vrps_by_trust_anchor": {}}]
                """));

        assertThat(get("/api/v1/vrps")).isEqualTo(tree("""
                {"serial": 0, "items": [], "matched": 0, "next_cursor": null}"""));
        JsonNode validation = post("/api/v1/validate", """
                {"asn": "AS65010", "prefix": "10.0.0.0/8"}""");
        assertThat(validation.path("state").asText()).isEqualTo("not-found");
        assertThat(validation.path("serial").asLong()).isZero();
        assertThat(get("/api/v1/diff?from=0")).isEqualTo(tree("""
                {"session_id": %d, "from": 0, "to": 0, "announced": [], "withdrawn": [],
                 "aspas": {"announced": [], "withdrawn": []}, "router_keys": {"announced": [], "withdrawn": []}}
                """.formatted(sessionId())));

        // The exports are empty, dated by serial 0 as no source has dated any data.
        assertThat(get("/json")).isEqualTo(tree("""
                {"metadata": {"generated": %d, "generatedTime": "2026-01-01T00:00:00Z"}}
                """.formatted(T0.getEpochSecond())));
        assertThat(api.get("/csv").body()).isEqualTo("ASN,IP Prefix,Max Length,Trust Anchor\n");
    }

    // /api/v1/state and /api/v1/rpki/refresh

    @Test
    void theStateDescribesTheServedPayloadAndGoesStaleWithItsData() throws Exception {
        int session = sessionId();
        load(T1, FIRST);

        String hash = RpkiSnapshot.of(FIRST.vrps(), FIRST.aspas(), FIRST.routerKeys()).hash();
        assertThat(get("/api/v1/state")).isEqualTo(tree("""
                {"serial": 1, "session_id": %d, "vrp_count": 5, "aspa_count": 1, "router_key_count": 1,
                 "hash": "%s", "last_update": "2026-01-01T01:00:00.250Z", "data_time": "2026-01-01T00:30:00.000Z",
                 "stale": false, "retained_serials": [0, 1], "rtr_clients": 0}
                """.formatted(session, hash)));

        // A day after the data was made it is stale, though still served; a poll that brings the
        // same data does not move the serial or its time.
        clock.set(GENERATED.plus(MAX_DATA_AGE).plusSeconds(1));
        assertThat(rpki.refreshNow()).isFalse();
        JsonNode stale = get("/api/v1/state");
        assertThat(stale.path("stale").asBoolean()).isTrue();
        assertThat(stale.path("serial").asLong()).isEqualTo(1);
        assertThat(stale.path("vrp_count").asInt()).isEqualTo(5);
        assertThat(stale.path("last_update").asText()).isEqualTo("2026-01-01T01:00:00.250Z");
    }

    @Test
    void refreshPollsNowAndSaysWhetherTheSerialMoved() throws Exception {
        clock.set(T1);
        source.answer(FIRST);
        assertThat(post("/api/v1/rpki/refresh", "")).isEqualTo(tree("""
                {"changed": true, "previous_serial": 0, "serial": 1, "vrp_count": 5}"""));
        assertThat(post("/api/v1/rpki/refresh", "")).isEqualTo(tree("""
                {"changed": false, "previous_serial": 1, "serial": 1, "vrp_count": 5}"""));

        clock.set(T2);
        source.answer(SECOND);
        assertThat(post("/api/v1/rpki/refresh", "")).isEqualTo(tree("""
                {"changed": true, "previous_serial": 1, "serial": 2, "vrp_count": 5}"""));
        assertThat(get("/api/v1/state").path("last_update").asText()).isEqualTo("2026-01-01T02:00:00.000Z");

        // A source that fails keeps its last good data in force.
        source.answer(new IOException("read timed out"));
        assertThat(post("/api/v1/rpki/refresh", "")).isEqualTo(tree("""
                {"changed": false, "previous_serial": 2, "serial": 2, "vrp_count": 5}"""));
    }

    // /api/v1/rpki/sources and /api/v1/rpki/slurm

    @Test
    void rtrClientsListsEachRouterConnectedWithItsVersionAndTheSerialLastSent() throws Exception {
        assertThat(get("/api/v1/rpki/rtr-clients").path("items")).as("no RTR server, no clients").isEmpty();
        stop();
        serve(new SlurmFiles(List.of()), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        load(T1, FIRST);
        try (Socket router = new Socket(rpki.rtrAddress().getAddress(), rpki.rtrAddress().getPort())) {
            JsonNode connected = pollItems(items -> items.size() == 1);
            assertThat(connected.path("address").asText()).isEqualTo("127.0.0.1");
            assertThat(connected.path("port").asInt()).isEqualTo(router.getLocalPort());
            assertThat(connected.path("connected_at").asText()).isNotEmpty();
            assertThat(connected.path("version").isNull()).as("no PDU yet: %s", connected).isTrue();
            assertThat(connected.path("serial").isNull()).as("nothing sent yet: %s", connected).isTrue();

            router.getOutputStream().write(RtrPduEncoder.encode(new ResetQuery(1)));
            JsonNode answered = pollItems(items -> items.size() == 1 && !items.get(0).path("serial").isNull());
            assertThat(answered.path("version").asInt()).isEqualTo(1);
            assertThat(answered.path("serial").asLong()).isEqualTo(1);
            assertThat(names(answered)).containsExactly("address", "port", "connected_at", "version", "serial");
        }
        pollItems(JsonNode::isEmpty);
    }

    /** The RTR client list once it satisfies {@code done}, within a deadline: its first item, or the list when empty. */
    private JsonNode pollItems(java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode items = get("/api/v1/rpki/rtr-clients").path("items");
        while (!done.test(items)) {
            assertThat(System.nanoTime()).as("RTR clients by now: %s", items).isLessThan(deadline);
            Thread.sleep(10);
            items = get("/api/v1/rpki/rtr-clients").path("items");
        }
        return items.isEmpty() ? items : items.get(0);
    }

    @Test
    void sourcesShowEachSourcesFetchesAndLastGoodData() throws Exception {
        load(T1, FIRST);
        load(T2, SECOND);
        clock.set(T2.plusSeconds(60));
        source.answer(new IOException("read timed out"));
        assertThat(rpki.refreshNow()).isFalse();

        // Four fetches: the failed one at start, two good ones, the failed one just now.
        assertThat(get("/api/v1/rpki/sources")).isEqualTo(tree("""
                {"sources": [{"name": "test:vrps", "format": "routinator", "last_success": "2026-01-01T02:00:00.000Z",
                  "last_attempt": "2026-01-01T02:01:00.000Z", "generated_at": "2026-01-01T01:30:00.000Z",
                  "fetches": 4, "failures": 2, "last_error": "read timed out", "vrps": 5, "aspas": 1,
                  "router_keys": 1, "rejected": {"prefix": 2}, "vrps_by_trust_anchor": {"ripe": 4, "arin": 1}}]}
                """));
    }

    @Test
    void slurmShowsItsFilesAndTheirMergedFiltersAndAssertions(@TempDir Path dir) throws Exception {
        assertThat(get("/api/v1/rpki/slurm")).as("no SLURM file").isEqualTo(tree("""
                {"files": [], "prefix_filters": [], "prefix_assertions": [], "aspa_filters": [], "aspa_assertions": []}
                """));

        Path file = dir.resolve("local.slurm.json");
        Files.writeString(file, """
                {"slurmVersion": 2,
                 "validationOutputFilters": {
                   "prefixFilters": [{"prefix": "10.1.2.0/24", "comment": "lab space"}],
                   "bgpsecFilters": [],
                   "aspaFilters": [{"customerAsid": 65010}]},
                 "locallyAddedAssertions": {
                   "prefixAssertions": [{"asn": 65050, "prefix": "203.0.113.0/24", "maxPrefixLength": 24,
                                         "comment": "our own"}],
                   "bgpsecAssertions": [],
                   "aspaAssertions": [{"customerAsid": 65050, "providerSet": [65010]}]}}
                """);
        stop();
        serve(SlurmFiles.load(List.of(file)));
        load(T1, FIRST);

        JsonNode slurm = get("/api/v1/rpki/slurm");
        JsonNode state = slurm.path("files").get(0);
        // Read from the disk when the service started: the time is the machine's, in the API's form.
        assertThat(state.path("loaded_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        ((ObjectNode) state).remove("loaded_at");
        assertThat(slurm).isEqualTo(tree("""
                {"files": [{"path": "%s", "loaded": true, "error": null, "prefix_filters": 1,
                            "prefix_assertions": 1, "bgpsec_filters": 0, "bgpsec_assertions": 0, "aspa_filters": 1,
                            "aspa_assertions": 1}],
                 "prefix_filters": [{"prefix": "10.1.2.0/24", "asn": null, "comment": "lab space"}],
                 "prefix_assertions": [{"asn": 65050, "prefix": "203.0.113.0/24", "max_length": 24,
                                        "comment": "our own"}],
                 "aspa_filters": [65010],
                 "aspa_assertions": [{"customer": 65050, "providers": [65010]}]}
                """.formatted(file)));

        // What is served is the sources' data after SLURM.
        assertThat(texts(get("/api/v1/vrps").path("items"), "prefix"))
                .containsExactly("10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "203.0.113.0/24", "2001:db8::/32");
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65040, 65010]}""").path("state").asText())
                .as("AS65010's ASPA is filtered away").isEqualTo("unknown");
    }

    // /api/v1/vrps

    @Test
    void vrpsAreListedInSetOrderWithTheSerialTheyWereCutFrom() throws Exception {
        load(T1, FIRST);

        // The trust anchor a source did not name is unknown, and unknown is null.
        assertThat(get("/api/v1/vrps")).isEqualTo(tree("""
                {"serial": 1, "matched": 5, "next_cursor": null, "items": [
                  {"asn": 65010, "prefix": "10.0.0.0/8", "max_length": 16, "ta": "ripe"},
                  {"asn": 65020, "prefix": "10.1.0.0/16", "max_length": 24, "ta": "ripe"},
                  {"asn": 65030, "prefix": "10.1.2.0/24", "max_length": 24, "ta": "arin"},
                  {"asn": 65010, "prefix": "192.0.2.0/24", "max_length": 24, "ta": null},
                  {"asn": 65010, "prefix": "2001:db8::/32", "max_length": 48, "ta": "ripe"}]}
                """));
    }

    private List<String> vrpPrefixes(String query) throws Exception {
        JsonNode page = get("/api/v1/vrps?" + query);
        // Every match fits in one page here, so the count and the items must agree.
        assertThat(page.path("matched").asLong()).as(query).isEqualTo(page.path("items").size());
        return texts(page.path("items"), "prefix");
    }

    @Test
    void vrpsFilterByOriginAsnAndByHowTheirPrefixRelatesToAGivenOne() throws Exception {
        load(T1, FIRST);

        assertThat(vrpPrefixes("asn=AS65010")).containsExactly("10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32");
        assertThat(vrpPrefixes("asn=65020")).containsExactly("10.1.0.0/16");
        assertThat(vrpPrefixes("asn=1.10")).as("asdot AS65546 has none").isEmpty();

        // Without match, a prefix matches VRPs equal to it, covering it and inside it.
        assertThat(vrpPrefixes("prefix=10.1.0.0/16")).containsExactly("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24");
        assertThat(vrpPrefixes("prefix=10.1.0.0/16&match=all"))
                .containsExactly("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24");
        assertThat(vrpPrefixes("prefix=10.1.0.0/16&match=exact")).containsExactly("10.1.0.0/16");
        assertThat(vrpPrefixes("prefix=10.1.0.0/16&match=covering")).containsExactly("10.0.0.0/8", "10.1.0.0/16");
        assertThat(vrpPrefixes("prefix=10.1.0.0/16&match=more-specific")).containsExactly("10.1.0.0/16", "10.1.2.0/24");
        assertThat(vrpPrefixes("prefix=10.1.0.0/16&asn=65030")).containsExactly("10.1.2.0/24");
        assertThat(vrpPrefixes("prefix=2001:db8:1::/48&match=covering")).containsExactly("2001:db8::/32");
        assertThat(vrpPrefixes("prefix=172.16.0.0/12")).isEmpty();
    }

    @Test
    void vrpsArePagedWithAnOpaqueCursorThatKeepsTheFilters() throws Exception {
        load(T1, FIRST);

        JsonNode first = get("/api/v1/vrps?limit=2");
        assertThat(texts(first.path("items"), "prefix")).containsExactly("10.0.0.0/8", "10.1.0.0/16");
        assertThat(first.path("matched").asLong()).isEqualTo(5);
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).matches("[A-Za-z0-9_-]+").doesNotContain("2");

        JsonNode second = get("/api/v1/vrps?limit=2&cursor=" + cursor);
        assertThat(texts(second.path("items"), "prefix")).containsExactly("10.1.2.0/24", "192.0.2.0/24");
        assertThat(second.path("matched").asLong()).isEqualTo(5);
        JsonNode last = get("/api/v1/vrps?limit=2&cursor=" + second.path("next_cursor").asText());
        assertThat(texts(last.path("items"), "prefix")).containsExactly("2001:db8::/32");
        assertThat(last.path("serial").asLong()).isEqualTo(1);
        assertThat(last.has("next_cursor")).isTrue();
        assertThat(last.path("next_cursor").isNull()).as("the last page's cursor is null").isTrue();

        JsonNode filtered = get("/api/v1/vrps?asn=65010&limit=2");
        assertThat(filtered.path("matched").asLong()).isEqualTo(3);
        JsonNode rest = get("/api/v1/vrps?asn=65010&limit=2&cursor=" + filtered.path("next_cursor").asText());
        assertThat(texts(rest.path("items"), "prefix")).containsExactly("2001:db8::/32");
        assertThat(rest.path("matched").asLong()).isEqualTo(3);
    }

    @Test
    void vrpsPageAHundredByDefaultAndAThousandAtMost() throws Exception {
        VrpSet.Builder many = new VrpSet.Builder();
        for (int i = 0; i < 1500; i++) {
            many.add(Vrp.parse("10." + (i >> 8) + "." + (i & 0xFF) + ".0/24", 24, 65100), "ripe");
        }
        load(T1, new SourceData("csv", GENERATED, many.build(), List.of(), List.of(), Map.of()));

        JsonNode byDefault = get("/api/v1/vrps");
        assertThat(byDefault.path("items")).hasSize(100);
        assertThat(byDefault.path("matched").asLong()).isEqualTo(1500);
        assertThat(byDefault.path("next_cursor").isTextual()).isTrue();

        JsonNode most = get("/api/v1/vrps?limit=1000");
        assertThat(most.path("items")).hasSize(1000);
        assertThat(most.path("items").get(999).path("prefix").asText()).isEqualTo("10.3.231.0/24");
        JsonNode rest = get("/api/v1/vrps?limit=1000&cursor=" + most.path("next_cursor").asText());
        assertThat(rest.path("items")).hasSize(500);
        assertThat(rest.path("items").get(0).path("prefix").asText()).isEqualTo("10.3.232.0/24");
        assertThat(rest.path("next_cursor").isNull()).isTrue();

        assertBadParameter("/api/v1/vrps?limit=1001", "limit",
                "limit: must be a whole number from 1 to 1000, not '1001'");
    }

    @Test
    void aBadLimitOrCursorIsRefusedNamingIt() throws Exception {
        load(T1, FIRST);

        for (String limit : List.of("0", "-1", "1001", "10000", "ten", "2.5")) {
            assertBadParameter("/api/v1/vrps?limit=" + limit, "limit",
                    "limit: must be a whole number from 1 to 1000, not '" + limit + "'");
        }
        // Garbage, the plain offset this list once took, and a cursor of a list paged by key.
        String keyCursor = Page.keyed(List.of("x"), 2, "k1").nextCursor();
        for (String cursor : List.of("garbage", "5", keyCursor)) {
            assertBadParameter("/api/v1/vrps?cursor=" + cursor, "cursor", "cursor: '" + cursor
                    + "' is not a cursor this list handed out; start without one and follow next_cursor");
        }
    }

    @Test
    void aBadVrpFilterIsRefusedNamingTheParameter() throws Exception {
        load(T1, FIRST);

        assertBadParameter("/api/v1/vrps?prefix=10.0.0.1/8", "prefix",
                "prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?");
        assertBadParameter("/api/v1/vrps?prefix=10.0.0.0", "prefix",
                "prefix: '10.0.0.0' has no prefix length; write address/length, e.g. 192.0.2.0/24");
        assertBadParameter("/api/v1/vrps?prefix=10.0.0.0/33", "prefix",
                "prefix: prefix length 33 exceeds 32 in '10.0.0.0/33'");
        assertBadParameter("/api/v1/vrps?prefix=2001:db8::1/32", "prefix",
                "prefix: '2001:db8::1/32' has host bits set; did you mean 2001:db8::/32?");
        // The same words as every other list's ASN filter (QueryParametersTest).
        for (String asn : List.of("AS-1", "4294967296", "65000x")) {
            assertBadParameter("/api/v1/vrps?asn=" + asn, "asn",
                    "asn: must be an AS number such as AS65000, 65000 or 1.10 (asdot), not '" + asn + "'");
        }
        assertBadParameter("/api/v1/vrps?prefix=10.0.0.0/8&match=inside", "match",
                "match: must be one of exact, covering, more-specific, all, not 'inside'");
    }

    // /api/v1/validity, Routinator's shape

    @Test
    void validityAnswersInRoutinatorsShapeByPathOrQuery() throws Exception {
        load(T1, FIRST);

        JsonNode valid = tree("""
                {"validated_route": {
                   "route": {"origin_asn": "AS65020", "prefix": "10.1.2.0/24"},
                   "validity": {"state": "valid", "description": "At least one VRP Matches the Route Prefix",
                     "VRPs": {"matched": [{"asn": "AS65020", "prefix": "10.1.0.0/16", "max_length": "24"}],
                              "unmatched_as": [{"asn": "AS65030", "prefix": "10.1.2.0/24", "max_length": "24"},
                                               {"asn": "AS65010", "prefix": "10.0.0.0/8", "max_length": "16"}],
                              "unmatched_length": []}}},
                 "generatedTime": "2026-01-01T01:00:00.250Z"}
                """);
        assertThat(get("/api/v1/validity/AS65020/10.1.2.0/24")).isEqualTo(valid);
        assertThat(get("/api/v1/validity/65020/10.1.2.0/24")).isEqualTo(valid);
        assertThat(get("/api/v1/validity?asn=AS65020&prefix=10.1.2.0/24")).isEqualTo(valid);
        // The members in Routinator's order.
        assertThat(names(get("/api/v1/validity/AS65020/10.1.2.0/24").path("validated_route").path("validity")))
                .containsExactly("state", "description", "VRPs");
    }

    @Test
    void validityGivesEachStateAndTheReasonOfAnInvalidOne() throws Exception {
        load(T1, FIRST);

        // AS65010's VRP covering 10.1.0.0/24 allows /16 at most; AS65020's is for another AS.
        JsonNode tooLong = get("/api/v1/validity/AS65010/10.1.0.0/24").path("validated_route").path("validity");
        assertThat(tooLong).isEqualTo(tree("""
                {"state": "invalid", "reason": "length",
                 "description": "At least one VRP Covers the Route Prefix, but the Route Prefix length is greater \
                than the maximum length allowed by VRP(s) matching this route origin ASN",
                 "VRPs": {"matched": [],
                          "unmatched_as": [{"asn": "AS65020", "prefix": "10.1.0.0/16", "max_length": "24"}],
                          "unmatched_length": [{"asn": "AS65010", "prefix": "10.0.0.0/8", "max_length": "16"}]}}
                """));

        JsonNode otherAs = get("/api/v1/validity?asn=AS65099&prefix=192.0.2.0/24").path("validated_route");
        assertThat(otherAs.path("validity").path("state").asText()).isEqualTo("invalid");
        assertThat(otherAs.path("validity").path("reason").asText()).isEqualTo("as");
        assertThat(otherAs.path("validity").path("description").asText())
                .isEqualTo("At least one VRP Covers the Route Prefix, but no VRP ASN matches the route origin ASN");
        assertThat(otherAs.path("route").path("origin_asn").asText()).isEqualTo("AS65099");

        JsonNode none = get("/api/v1/validity/AS65010/172.16.0.0/12").path("validated_route").path("validity");
        assertThat(none.path("state").asText()).isEqualTo("not-found");
        assertThat(none.has("reason")).as("Routinator has a reason only for invalid routes").isFalse();
        assertThat(none.path("description").asText()).isEqualTo("No VRP Covers the Route Prefix");

        JsonNode v6 = get("/api/v1/validity/AS65010/2001:db8:1::/48").path("validated_route");
        assertThat(v6.path("validity").path("state").asText()).isEqualTo("valid");
        assertThat(v6.path("route").path("prefix").asText()).isEqualTo("2001:db8:1::/48");
    }

    @Test
    void aBadValidityRouteIsRefusedNamingTheParameter() throws Exception {
        load(T1, FIRST);

        String hostBits = "prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?";
        assertBadParameter("/api/v1/validity/AS65010/10.0.0.1/8", "prefix", hostBits);
        assertBadParameter("/api/v1/validity?asn=AS65010&prefix=10.0.0.1/8", "prefix", hostBits);
        assertBadParameter("/api/v1/validity/AS65010/10.0.0.0/33", "prefix",
                "prefix: prefix length 33 exceeds 32 in '10.0.0.0/33'");
        assertBadParameter("/api/v1/validity?asn=AS65010&prefix=10.0.0.0", "prefix",
                "prefix: '10.0.0.0' has no prefix length; write address/length, e.g. 192.0.2.0/24");
        for (String asn : List.of("AS-1", "4294967296", "ASX")) {
            String detail = "asn: must be an AS number such as AS65000, 65000 or 1.10 (asdot), not '" + asn + "'";
            assertBadParameter("/api/v1/validity/" + asn + "/10.0.0.0/8", "asn", detail);
            assertBadParameter("/api/v1/validity?prefix=10.0.0.0/8&asn=" + asn, "asn", detail);
        }
        assertBadParameter("/api/v1/validity?prefix=10.0.0.0/8", "asn", "asn: required");
        assertBadParameter("/api/v1/validity?asn=AS65010", "prefix", "prefix: required");
    }

    // /api/v1/validate, Rampart's shape

    @Test
    void validateAnswersOneRouteWithTheVrpsByOutcomeAndTheSerial() throws Exception {
        load(T1, FIRST);

        JsonNode expected = tree("""
                {"prefix": "10.1.2.0/24", "asn": 65020, "state": "valid", "reason": null,
                 "matched": [{"asn": 65020, "prefix": "10.1.0.0/16", "max_length": 24}],
                 "unmatched_as": [{"asn": 65030, "prefix": "10.1.2.0/24", "max_length": 24},
                                  {"asn": 65010, "prefix": "10.0.0.0/8", "max_length": 16}],
                 "unmatched_length": [], "serial": 1}
                """);
        // An ASN as AS65000, as text or as a number.
        for (String asn : List.of("\"AS65020\"", "\"65020\"", "65020")) {
            assertThat(post("/api/v1/validate", "{\"asn\": " + asn + ", \"prefix\": \"10.1.2.0/24\"}"))
                    .as(asn).isEqualTo(expected);
        }
    }

    @Test
    void validateAnswersABatchInItsOrder() throws Exception {
        load(T1, FIRST);

        String routes = """
                [{"asn": "AS65020", "prefix": "10.1.2.0/24"}, {"asn": 65010, "prefix": "10.1.0.0/24"},
                 {"asn": 65099, "prefix": "192.0.2.0/24"}, {"asn": 65010, "prefix": "203.0.113.0/24"}]""";
        for (String body : List.of("{\"routes\": " + routes + "}", routes)) {
            JsonNode batch = post("/api/v1/validate", body);
            assertThat(names(batch)).containsExactlyInAnyOrder("serial", "results");
            assertThat(batch.path("serial").asLong()).isEqualTo(1);
            JsonNode results = batch.path("results");
            assertThat(texts(results, "prefix"))
                    .containsExactly("10.1.2.0/24", "10.1.0.0/24", "192.0.2.0/24", "203.0.113.0/24");
            assertThat(texts(results, "state")).containsExactly("valid", "invalid", "invalid", "not-found");
            assertThat(texts(results, "reason")).containsExactly("null", "length", "as", "null");
            assertThat(results.get(1).path("unmatched_length")).isEqualTo(tree("""
                    [{"asn": 65010, "prefix": "10.0.0.0/8", "max_length": 16}]"""));
            assertThat(results.get(0).has("serial")).as("the serial is the batch's").isFalse();
        }
    }

    @Test
    void aBadRouteToValidateIsRefusedNamingTheFieldAsAPath() throws Exception {
        load(T1, FIRST);

        assertBadField("/api/v1/validate", """
                {"asn": "AS65010", "prefix": "10.0.0.1/8"}""", "prefix",
                "prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?");
        assertBadField("/api/v1/validate", """
                {"prefix": "10.0.0.0/8"}""", "asn", "asn: required");
        assertBadField("/api/v1/validate", """
                {"asn": 65010, "prefix": null}""", "prefix", "prefix: required");
        assertBadField("/api/v1/validate", """
                {"asn": "AS-1", "prefix": "10.0.0.0/8"}""", "asn",
                "asn: 'AS-1' is not an AS number such as 65000, AS65000 or asdot 1.10");
        assertBadField("/api/v1/validate", """
                {"routes": [{"asn": 1, "prefix": "10.0.0.0/8"}, {"asn": 1, "prefix": "10.0.0.1/8"}]}""",
                "routes[1].prefix", "routes[1].prefix: '10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?");
        assertBadField("/api/v1/validate", """
                [{"asn": 1, "prefix": "10.0.0.0/8"}, {"prefix": "10.0.0.0/8"}]""", "[1].asn", "[1].asn: required");
        assertBadField("/api/v1/validate", """
                {"routes": [5]}""", "routes[0]", "routes[0]: must be an object with asn and prefix");
        assertBadField("/api/v1/validate", """
                {"routes": "10.0.0.0/8"}""", "routes",
                "routes: must be an array of at most 10000 {asn, prefix} objects");
        String tooMany = IntStream.range(0, 10_001).mapToObj(i -> "{\"asn\":1,\"prefix\":\"10.0.0.0/8\"}")
                .collect(Collectors.joining(",", "[", "]"));
        assertBadField("/api/v1/validate", tooMany, "routes",
                "routes: must be an array of at most 10000 {asn, prefix} objects");
        // A control character is named by its code, never echoed.
        assertBadField("/api/v1/validate", """
                {"asn": "AS1\\u0007", "prefix": "10.0.0.0/8"}""", "asn",
                "asn: contains a control character (U+0007) at position 4");
    }

    @Test
    void anAsnThatIsAJsonNumberWithAFractionIsRefusedNotReadAsAsdot() throws Exception {
        load(T1, FIRST);

        // 1.10 as a JSON number is the number 1.1: read as text it would be asdot AS65537, not 1.10 (AS65546).
        String forms = "must be an AS number as text (\"AS65000\", \"65000\", \"1.10\") or a whole number, not ";
        assertBadField("/api/v1/validate", """
                {"asn": 1.10, "prefix": "10.0.0.0/8"}""", "asn",
                "asn: " + forms + "a number with a fraction or an exponent");
        assertBadField("/api/v1/validate", """
                {"asn": 65e3, "prefix": "10.0.0.0/8"}""", "asn",
                "asn: " + forms + "a number with a fraction or an exponent");
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": [65020, 1.10]}""", "as_path[1]",
                "as_path[1]: " + forms + "a number with a fraction or an exponent");
        assertBadField("/api/v1/validate", """
                {"asn": {"asn": 65010}, "prefix": "10.0.0.0/8"}""", "asn", "asn: " + forms + "an object");
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": [65020, [65010]]}""", "as_path[1]", "as_path[1]: " + forms + "an array");
        assertThat(post("/api/v1/validate", """
                {"asn": "1.10", "prefix": "10.0.0.0/8"}""").path("asn").asLong())
                .as("asdot as text is read").isEqualTo(65546);
    }

    @Test
    void aBodyThatIsNotAJsonObjectOrArrayIsRefusedAsInvalidJson() throws Exception {
        load(T1, FIRST);

        for (String target : List.of("/api/v1/validate", "/api/v1/validate/aspa")) {
            assertRefused(api.post(target, "\"10.0.0.0/8\""), "invalid_json", null,
                    "the body must be a JSON object or array");
            assertRefused(api.post(target, ""), "invalid_json", null, "the body must be a JSON object or array");
            HttpResponse<String> broken = api.post(target, "{\"asn\": ");
            assertThat(broken.statusCode()).isEqualTo(400);
            assertThat(json.readTree(broken.body()).path("detail").asText()).startsWith("the body is not JSON: ");
            HttpResponse<String> twice = api.post(target, """
                    {"asn": 1, "asn": 2, "prefix": "10.0.0.0/8"}""");
            assertThat(json.readTree(twice.body()).path("error").asText()).isEqualTo("invalid_json");
            assertThat(json.readTree(twice.body()).path("detail").asText()).contains("Duplicate field 'asn'");
        }
    }

    // /api/v1/validate/aspa

    @Test
    void aspaValidationFollowsTheRampsInEachDirection() throws Exception {
        load(T1, FIRST);

        // AS65010 has the ASPA: its providers are AS65020 and AS65030.
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65020, 65010]}""")).isEqualTo(tree("""
                {"state": "valid", "direction": "upstream", "serial": 1}"""));
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": ["AS65020", "65010", 65010, 65010]}""").path("state").asText())
                .as("prepends collapse").isEqualTo("valid");
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65040, 65010]}""").path("state").asText())
                .as("AS65040 is not a provider of AS65010").isEqualTo("invalid");
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65020, 65010], "has_as_set": true}""").path("state").asText())
                .as("an AS_SET").isEqualTo("invalid");
        // AS65020 has no ASPA: from a customer that is unknown, from a provider a valid down-ramp.
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65030, 65020, 65010]}""")).isEqualTo(tree("""
                {"state": "unknown", "direction": "upstream", "serial": 1}"""));
        assertThat(post("/api/v1/validate/aspa", """
                {"as_path": [65030, 65020, 65010], "direction": "downstream"}""")).isEqualTo(tree("""
                {"state": "valid", "direction": "downstream", "serial": 1}"""));
    }

    @Test
    void aBadAsPathIsRefusedNamingTheField() throws Exception {
        load(T1, FIRST);

        String asPath = "as_path: must be a non-empty array of at most 1000 ASNs, neighbor first";
        assertBadField("/api/v1/validate/aspa", "{}", "as_path", asPath);
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": []}""", "as_path", asPath);
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": "65020 65010"}""", "as_path", asPath);
        assertBadField("/api/v1/validate/aspa", "{\"as_path\": ["
                + IntStream.range(0, 1001).mapToObj(i -> "65010").collect(Collectors.joining(",")) + "]}",
                "as_path", asPath);
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": [65020, "AS-1"]}""", "as_path[1]",
                "as_path[1]: 'AS-1' is not an AS number such as 65000, AS65000 or asdot 1.10");
        assertBadField("/api/v1/validate/aspa", """
                {"as_path": [65020, 65010], "direction": "sideways"}""", "direction",
                "direction: must be upstream (from a customer, peer or route server) or downstream (from a provider)");
        // An AS_SET flag that is not a boolean would be read as false, and the path judged without it.
        for (String flag : List.of("\"yes\"", "\"true\"", "1")) {
            assertBadField("/api/v1/validate/aspa", "{\"as_path\": [65020, 65010], \"has_as_set\": " + flag + "}",
                    "has_as_set", "has_as_set: must be true or false");
        }
    }

    // /api/v1/diff

    @Test
    void diffMergesTheDeltasBetweenTwoRetainedSerialsEitherWay() throws Exception {
        load(T1, FIRST);
        load(T2, SECOND);
        int session = sessionId();

        String forward = """
                {"session_id": %d, "from": 1, "to": 2,
                 "announced": [{"asn": 65040, "prefix": "198.51.100.0/24", "max_length": 24}],
                 "withdrawn": [{"asn": 65010, "prefix": "192.0.2.0/24", "max_length": 24}],
                 "aspas": {"announced": [{"customer": 65010, "providers": [65020]}],
                           "withdrawn": [{"customer": 65010, "providers": [65020, 65030]}]},
                 "router_keys": {"announced": [], "withdrawn": []}}
                """.formatted(session);
        assertThat(get("/api/v1/diff?from=1")).as("to is the current serial").isEqualTo(tree(forward));
        assertThat(get("/api/v1/diff?from=1&to=2")).isEqualTo(tree(forward));
        assertThat(get("/api/v1/diff?from=2&to=1")).as("backward, the inverse").isEqualTo(tree("""
                {"session_id": %d, "from": 2, "to": 1,
                 "announced": [{"asn": 65010, "prefix": "192.0.2.0/24", "max_length": 24}],
                 "withdrawn": [{"asn": 65040, "prefix": "198.51.100.0/24", "max_length": 24}],
                 "aspas": {"announced": [{"customer": 65010, "providers": [65020, 65030]}],
                           "withdrawn": [{"customer": 65010, "providers": [65020]}]},
                 "router_keys": {"announced": [], "withdrawn": []}}
                """.formatted(session)));

        // From the empty serial 0, everything is announced, the router key with it.
        JsonNode all = get("/api/v1/diff?from=0");
        assertThat(texts(all.path("announced"), "prefix"))
                .containsExactly("10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "198.51.100.0/24", "2001:db8::/32");
        assertThat(all.path("withdrawn")).isEmpty();
        assertThat(all.path("router_keys")).isEqualTo(tree("""
                {"announced": [{"asn": 65010, "ski": "0102030405060708090a0b0c0d0e0f1011121314", "spki": "+/+/"}],
                 "withdrawn": []}"""));
        assertThat(get("/api/v1/diff?from=2").path("announced")).as("to itself, nothing").isEmpty();
    }

    @Test
    void aSerialOutsideTheRetainedHistoryIsNotFoundNamingTheRange() throws Exception {
        load(T1, FIRST);
        load(T2, SECOND);
        load(T2.plusSeconds(60), FIRST);

        // Two deltas are kept: serial 0 has gone, 4 has not been made.
        assertThat(get("/api/v1/state").path("retained_serials")).isEqualTo(tree("[1, 2, 3]"));
        for (String query : List.of("from=0", "from=4", "from=1&to=4", "from=4294967295")) {
            HttpResponse<String> response = api.get("/api/v1/diff?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(404);
            assertThat(json.readTree(response.body())).as(query).isEqualTo(tree("""
                    {"error": "serial_not_retained", "detail": "retained serials are 1 to 3"}"""));
        }
        assertThat(get("/api/v1/diff?from=1&to=3").path("announced")).isEmpty();
    }

    @Test
    void aBadSerialIsRefusedNamingTheParameter() throws Exception {
        load(T1, FIRST);

        assertBadParameter("/api/v1/diff", "from", "from: required");
        assertBadParameter("/api/v1/diff?to=1", "from", "from: required");
        for (String serial : List.of("one", "-1", "4294967296", "1.5")) {
            assertBadParameter("/api/v1/diff?from=" + serial, "from",
                    "from: must be a serial number (0 to 4294967295)");
            assertBadParameter("/api/v1/diff?from=0&to=" + serial, "to",
                    "to: must be a serial number (0 to 4294967295)");
        }
    }

    // /json and /csv, Routinator's exports

    @Test
    void jsonExportsThePayloadInRoutinatorsForm() throws Exception {
        load(T1, FIRST);
        int session = sessionId();

        HttpResponse<String> response = api.get("/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + session + "-1-json\"");
        JsonNode export = json.readTree(response.body());
        assertThat(names(export)).containsExactly("metadata", "roas", "routerKeys", "aspas");
        // Dated by the data, not by the serial; unknown trust anchors are N/A, ASNs are text.
        assertThat(export).isEqualTo(tree("""
                {"metadata": {"generated": %d, "generatedTime": "2026-01-01T00:30:00Z"},
                 "roas": [{"asn": "AS65010", "prefix": "10.0.0.0/8", "maxLength": 16, "ta": "ripe"},
                          {"asn": "AS65020", "prefix": "10.1.0.0/16", "maxLength": 24, "ta": "ripe"},
                          {"asn": "AS65030", "prefix": "10.1.2.0/24", "maxLength": 24, "ta": "arin"},
                          {"asn": "AS65010", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "N/A"},
                          {"asn": "AS65010", "prefix": "2001:db8::/32", "maxLength": 48, "ta": "ripe"}],
                 "routerKeys": [{"asn": "AS65010", "SKI": "0102030405060708090A0B0C0D0E0F1011121314",
                                 "routerPublicKey": "-_-_", "ta": "N/A"}],
                 "aspas": [{"customer": "AS65010", "providers": ["AS65020", "AS65030"], "ta": "N/A"}]}
                """.formatted(GENERATED.getEpochSecond())));
    }

    @Test
    void csvExportsTheVrpsInRoutinatorsForm() throws Exception {
        load(T1, FIRST);

        HttpResponse<String> response = api.get("/csv");
        assertThat(response.statusCode()).isEqualTo(200);
        String type = response.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type.replace(" ", "").toLowerCase(Locale.ROOT)).isEqualTo("text/csv;charset=utf-8");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + sessionId() + "-1-csv\"");
        assertThat(response.body()).isEqualTo("""
                ASN,IP Prefix,Max Length,Trust Anchor
                AS65010,10.0.0.0/8,16,ripe
                AS65020,10.1.0.0/16,24,ripe
                AS65030,10.1.2.0/24,24,arin
                AS65010,192.0.2.0/24,24,N/A
                AS65010,2001:db8::/32,48,ripe
                """);
    }

    @Test
    void anExportIsNotSentAgainWhileItsEtagHolds() throws Exception {
        load(T1, FIRST);

        for (String format : List.of("json", "csv")) {
            String etag = api.get("/" + format).headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> unchanged = api.get("/" + format, "If-None-Match", etag);
            assertThat(unchanged.statusCode()).as(format).isEqualTo(304);
            assertThat(unchanged.body()).isEmpty();
            assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
            assertThat(api.get("/" + format, "If-None-Match", "*").statusCode()).isEqualTo(304);
            // The other format's tag is not this one's.
            String other = etag.replace(format, format.equals("json") ? "csv" : "json");
            assertThat(api.get("/" + format, "If-None-Match", other).statusCode()).isEqualTo(200);
        }

        String before = api.get("/json").headers().firstValue("ETag").orElseThrow();
        load(T2, SECOND);
        HttpResponse<String> changed = api.get("/json", "If-None-Match", before);
        assertThat(changed.statusCode()).as("a new serial is a new export").isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).hasValue(before.replace("-1-", "-2-"));
        assertThat(json.readTree(changed.body()).path("roas")).hasSize(5);
    }
}

package net.rampart.detect.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.rampart.detect.alert.AlertType;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorsLoaderTest {

    private final MonitorsLoader loader = new MonitorsLoader();

    static Path docsDir() {
        String docs = System.getProperty("rampart.docs");
        assumeTrue(docs != null && Files.isDirectory(Path.of(docs)),
                "skipped: the docs folder (system property rampart.docs) is not available");
        return Path.of(docs);
    }

    @Test
    void theDocumentedExampleLoadsAsItIs() throws Exception {
        Monitors monitors = loader.load(docsDir().resolve("examples/monitors.yaml"));

        assertThat(monitors.prefixes()).extracting(MonitoredPrefix::prefix).containsExactly(
                IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("198.51.100.0/22"), IpPrefix.parse("2001:db8::/32"),
                IpPrefix.parse("203.0.113.0/24"));
        MonitoredPrefix dns = monitors.prefixes().get(0);
        assertThat(dns.origins()).isEqualTo(AsnSet.of(64500));
        assertThat(dns.group()).isEqualTo("noc");
        assertThat(dns.pathRules()).hasSize(2);
        assertThat(dns.pathRules().get(0).violation("64510 64666 64500", 3)).isPresent();
        assertThat(dns.pathRules().get(0).violation("64510 646660 64500", 3)).isEmpty();
        MonitoredPrefix customers = monitors.prefixes().get(1);
        assertThat(customers.origins()).isEqualTo(AsnSet.of(64500, 64501));
        assertThat(customers.ignoreMoreSpecifics()).isTrue();
        assertThat(monitors.minVantagePoints(customers)).isEqualTo(2);
        assertThat(monitors.minVantagePoints(dns)).isEqualTo(3);
        assertThat(monitors.prefixes().get(2).exclude()).containsExactly(AlertType.NEW_MORE_SPECIFIC);
        assertThat(monitors.prefixes().get(3).origins().isEmpty()).isTrue();
        assertThat(monitors.asn(64500).orElseThrow().upstreams()).isEqualTo(AsnSet.of(64510, 64511));
        assertThat(monitors.asn(64500).orElseThrow().downstreams()).isEqualTo(AsnSet.of(64520));
        assertThat(monitors.asn(64500).orElseThrow().peers()).isEqualTo(AsnSet.of(64530));
        assertThat(monitors.asn(64501).orElseThrow().group()).isEqualTo(Monitors.DEFAULT_GROUP);
        assertThat(monitors.asn(64501).orElseThrow().peers().isEmpty()).isTrue();
        assertThat(monitors.groups().get("noc").channels()).containsExactly("noc-hook", "noc-hijacks");
        Channel hook = monitors.channels().get("noc-hook");
        assertThat(hook.kind()).isInstanceOfSatisfying(Channel.Webhook.class, webhook -> {
            assertThat(webhook.url()).isEqualTo(URI.create("https://noc.example.net/hooks/rampart"));
            assertThat(webhook.headers()).containsEntry("Authorization", "Bearer change-me");
        });
        assertThat(hook.types()).isEmpty();
        assertThat(monitors.channels("noc", AlertType.PATH)).extracting(Channel::name).containsExactly("noc-hook");
        assertThat(monitors.channels("noc", AlertType.ORIGIN_HIJACK)).extracting(Channel::name)
                .containsExactly("noc-hook", "noc-hijacks");
        assertThat(monitors.channels("default", AlertType.PATH)).extracting(Channel::name)
                .containsExactly("ops-hook", "alertmanager", "siem");
        assertThat(monitors.channels("default", AlertType.VISIBILITY_LOSS)).extracting(c -> c.kind().typeName())
                .containsExactly("webhook", "slack", "alertmanager", "syslog");
        assertThat(monitors.channels("lab", AlertType.PATH)).as("a group nobody defined has no channels").isEmpty();
        assertThat(monitors.flapDamping()).isEqualTo(FlapDamping.RFC_7196);
    }

    @Test
    void aMinimalFileTakesTheDefaults() throws Exception {
        Monitors monitors = loader.parse("prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500]}]", "m.yaml");

        MonitoredPrefix p = monitors.prefixes().get(0);
        assertThat(p.group()).isEqualTo("default");
        assertThat(p.ignoreMoreSpecifics()).isFalse();
        assertThat(p.description()).isEmpty();
        assertThat(p.pathRules()).isEmpty();
        assertThat(p.exclude()).isEmpty();
        assertThat(p.minVantagePoints()).isEqualTo(OptionalInt.empty());
        assertThat(monitors.minVantagePoints()).isEqualTo(1);
        assertThat(monitors.asns()).isEmpty();
        assertThat(monitors.groups()).isEmpty();
    }

    @Test
    void asnsAreReadInEveryWrittenForm() throws Exception {
        Monitors monitors = loader.parse(
                "prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500, 64501, as64502, '1.10']}]", "m.yaml");

        assertThat(monitors.prefixes().get(0).origins()).isEqualTo(AsnSet.of(64500, 64501, 64502, 65546));
    }

    @Test
    void reportsEveryProblemAtOnceWithItsPlace() {
        String yaml = """
                prefixes:
                  - prefix: 192.0.2.0/24
                    origins: [AS64500]
                  - prefix: 192.0.2.1/24
                    origins: [AS64500]
                  - prefix: 192.0.2.0/24
                    origins: [AS6x, 64500, 64500, 1.10]
                    group: nowhere
                    ignore_more_specifics: "yes"
                    path:
                      - match: "(64500"
                      - min_length: 5
                        max_length: 2
                      - {}
                    exclude: [origin_hijack, unlisted_prefix, bogus]
                    min_vantage_points: 0
                    colour: red
                  - prefix: 198.51.100.0/24
                asns:
                  - asn: 64500
                    upstreams: [AS64510]
                  - asn: AS64500
                  - asn: 4294967296
                  - upstreams: [1]
                groups:
                  noc:
                    channels: [slack, slack, "bad name"]
                    extra: 1
                visibility:
                  min_vantage_points: -1
                extra: true
                """;
        String checks = "origin_hijack, squatting, as_set_origin, first_hop_hijack, new_more_specific, path,"
                + " visibility_loss, no_export_leak, rpki_invalid, rpki_not_found, flap, rpki_vrp_removed, rpki_expiring, flap_predicted";
        assertThatThrownBy(() -> loader.parse(yaml, "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                        "monitors.yaml: extra: unknown key (expected one of asns, channels, flap_damping, groups,"
                                + " prefixes, rpki, visibility)",
                        "monitors.yaml: prefixes[1].prefix: '192.0.2.1/24' has host bits set; did you mean"
                                + " 192.0.2.0/24?",
                        "monitors.yaml: prefixes[2].colour: unknown key (expected one of description, exclude,"
                                + " group, ignore_more_specifics, min_vantage_points, origins, path, prefix)",
                        "monitors.yaml: prefixes[2].prefix: 192.0.2.0/24 is already monitored at prefixes[0]",
                        "monitors.yaml: prefixes[2].origins[0]: 'AS6x' is not an AS number such as 65000,"
                                + " AS65000 or asdot 1.10",
                        "monitors.yaml: prefixes[2].origins[2]: AS64500 is listed twice",
                        "monitors.yaml: prefixes[2].origins[3]: YAML reads 1.1 as a number; write asdot in quotes,"
                                + " e.g. '1.10'",
                        "monitors.yaml: prefixes[2].group: group 'nowhere' is not defined under groups",
                        "monitors.yaml: prefixes[2].ignore_more_specifics: expected true or false",
                        "monitors.yaml: prefixes[2].path[0].match: '(64500' is not a regex: Unclosed group",
                        "monitors.yaml: prefixes[2].path[1].min_length: 5 is above max_length 2",
                        "monitors.yaml: prefixes[2].path[2]: a path rule needs at least one of match, not_match,"
                                + " min_length, max_length",
                        "monitors.yaml: prefixes[2].exclude[1]: 'unlisted_prefix' is not a check of a prefix"
                                + " (one of " + checks + ")",
                        "monitors.yaml: prefixes[2].exclude[2]: 'bogus' is not a check of a prefix (one of "
                                + checks + ")",
                        "monitors.yaml: prefixes[2].min_vantage_points: expected a whole number of at least 1",
                        "monitors.yaml: prefixes[3].origins: required: the ASNs that may originate it, or []"
                                + " for nobody",
                        "monitors.yaml: asns[1].asn: AS64500 is already monitored at asns[0]",
                        "monitors.yaml: asns[2].asn: '4294967296' is not an AS number: the largest is 4294967295",
                        "monitors.yaml: asns[3].asn: required",
                        "monitors.yaml: groups.noc.extra: unknown key (expected one of channels)",
                        "monitors.yaml: groups.noc.channels[0]: channel 'slack' is not defined under channels",
                        "monitors.yaml: groups.noc.channels[1]: channel 'slack' is listed twice",
                        "monitors.yaml: groups.noc.channels[2]: 'bad name' is not a name: letters, digits, '.',"
                                + " '_' and '-', at most 64",
                        "monitors.yaml: visibility.min_vantage_points: expected a whole number of at least 1"));
    }

    @Test
    void readsTheNeighboursOfAnAsnByRelationship() throws Exception {
        Monitors monitors = loader.parse("""
                asns:
                  - asn: AS64500
                    upstreams: [AS64510]
                    downstreams: [64520, '1.10']
                    peers: [as64530]
                  - asn: AS64501
                """, "m.yaml");

        MonitoredAsn declared = monitors.asn(64500).orElseThrow();
        assertThat(declared.peers()).isEqualTo(AsnSet.of(64530));
        assertThat(declared.downstreams()).isEqualTo(AsnSet.of(64520, 65546));
        assertThat(declared.declaresNeighbours()).isTrue();
        assertThat(declared.knows(64530)).isTrue();
        assertThat(declared.knows(64666)).isFalse();
        assertThat(declared.aboveOrBeside(64510)).isTrue();
        assertThat(declared.aboveOrBeside(64530)).isTrue();
        assertThat(declared.aboveOrBeside(64520)).isFalse();
        assertThat(monitors.asn(64501).orElseThrow().declaresNeighbours()).isFalse();
    }

    @Test
    void namesEveryProblemOfTheNeighbourLists() {
        String yaml = """
                asns:
                  - asn: AS64500
                    upstreams: [AS64510, AS64511]
                    downstreams: [AS64511, AS64500]
                    peers: [AS6x, AS64510, 64530, 64530]
                  - asn: AS64501
                    peers: AS64530
                """;
        assertThatThrownBy(() -> loader.parse(yaml, "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "monitors.yaml: asns[0].peers[0]: 'AS6x' is not an AS number such as 65000,"
                                        + " AS65000 or asdot 1.10",
                                "monitors.yaml: asns[0].peers[3]: AS64530 is listed twice",
                                "monitors.yaml: asns[0].downstreams: AS64511 is in upstreams too: one relationship"
                                        + " per neighbour",
                                "monitors.yaml: asns[0].peers: AS64510 is in upstreams too: one relationship per"
                                        + " neighbour",
                                "monitors.yaml: asns[0].downstreams: AS64500 cannot be its own neighbour",
                                "monitors.yaml: asns[1].peers: expected a list"));
    }

    @Test
    void refusesAFileThatIsNotAMappingOfMonitors() {
        assertThatThrownBy(() -> loader.parse("", "m.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class,
                        e -> assertThat(e.problems()).containsExactly("m.yaml: the file is empty"));
        assertThatThrownBy(() -> loader.parse("- 192.0.2.0/24", "m.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class,
                        e -> assertThat(e.problems()).containsExactly("m.yaml: expected a mapping at the top level"));
        assertThatThrownBy(() -> loader.parse("prefixes: []\nprefixes: []", "m.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class,
                        e -> assertThat(e.problems()).singleElement().asString()
                                .startsWith("m.yaml: not valid YAML: Duplicate field 'prefixes'"));
        assertThatThrownBy(() -> loader.parse("prefixes: {prefix: 192.0.2.0/24}", "m.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class,
                        e -> assertThat(e.problems()).containsExactly("m.yaml: prefixes: expected a list"));
    }

    @Test
    void aLoadedMonitorsCannotBeChanged() throws Exception {
        Monitors monitors = loader.parse("""
                prefixes: [{prefix: 192.0.2.0/24, origins: [AS64500], exclude: [path]}]
                groups: {noc: {channels: [a]}}
                channels: {a: {type: webhook, url: "https://example.net/a", types: [path]}}
                """, "m.yaml");

        assertThatThrownBy(() -> monitors.prefixes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> monitors.prefixes().get(0).exclude().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> monitors.groups().get("noc").channels().add("b"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> monitors.groups().put("x", new Group("x", List.of())))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> monitors.channels().get("a").types().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(monitors.prefixes().get(0).exclude()).isEqualTo(Set.of(AlertType.PATH));
    }

    @Test
    void namesEveryProblemOfTheChannels() {
        String yaml = """
                groups:
                  noc: {channels: [noc-hook, pager]}
                channels:
                  noc-hook:
                    type: webhook
                    url: ftp://example.net/x
                    types: [origin_hijack, bogus]
                    headers: {"bad header": x, X-Token: [1]}
                    colour: red
                  "bad name": {type: webhook, url: "https://example.net/"}
                  no-url: {type: webhook}
                  no-type: {url: "not a url"}
                  carrier-pigeon: {type: pigeon, loft: roof, types: [bogus]}
                  chat: {type: slack, url: "https://hooks.example.net/T0/B0/x", headers: {A: b}}
                  chat-no-url: {type: slack}
                  am: {type: alertmanager, url: "http://am.example.net:9093", resend_interval: 500ms}
                  am-late: {type: alertmanager, url: "http://am.example.net:9093", resend_interval: soon}
                  log: {type: syslog, port: 70000, transport: sctp, facility: local9}
                  log-host: {type: syslog, host: "log host"}
                  listed: []
                """;
        String types = "origin_hijack, squatting, as_set_origin, first_hop_hijack, new_more_specific, path,"
                + " visibility_loss, unlisted_prefix, new_neighbour, route_leak, no_export_leak, rpki_invalid,"
                + " rpki_not_found, flap, rpki_vrp_removed, rpki_expiring, churn_anomaly, flap_predicted";
        assertThatThrownBy(() -> loader.parse(yaml, "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "monitors.yaml: groups.noc.channels[1]: channel 'pager' is not defined under channels",
                                "monitors.yaml: channels.noc-hook.colour: unknown key (expected one of headers, type,"
                                        + " types, url)",
                                "monitors.yaml: channels.carrier-pigeon.type: 'pigeon' is not a channel type"
                                        + " (one of alertmanager, email, slack, syslog, webhook)",
                                "monitors.yaml: channels.carrier-pigeon.types[0]: 'bogus' is not an alert type"
                                        + " (one of " + types + ")",
                                "monitors.yaml: channels.noc-hook.url: 'ftp://example.net/x' is not an"
                                        + " http(s)://host/path URL",
                                "monitors.yaml: channels.noc-hook.types[1]: 'bogus' is not an alert type (one of "
                                        + types + ")",
                                "monitors.yaml: channels.noc-hook.headers: 'bad header' is not an HTTP header name",
                                "monitors.yaml: channels.noc-hook.headers.X-Token: expected text",
                                "monitors.yaml: channels.bad name: 'bad name' is not a name: letters, digits, '.',"
                                        + " '_' and '-', at most 64",
                                "monitors.yaml: channels.no-url.url: required: the http(s) URL to POST to",
                                "monitors.yaml: channels.no-type.url: 'not a url' is not an http(s)://host/path URL",
                                "monitors.yaml: channels.chat.headers: unknown key (expected one of type, types, url)",
                                "monitors.yaml: channels.chat-no-url.url: required: the http(s) URL to POST to",
                                "monitors.yaml: channels.am.resend_interval: '500ms' is below 1s",
                                "monitors.yaml: channels.am-late.resend_interval: 'soon' is not a duration: write"
                                        + " seconds (30), a number with a unit (500ms, 30s, 10m, 2h, 7d) or ISO 8601"
                                        + " (PT30S, P1D)",
                                "monitors.yaml: channels.log.host: required: the host name or address to send to",
                                "monitors.yaml: channels.log.port: expected a port, 1 to 65535",
                                "monitors.yaml: channels.log.transport: 'sctp' is not udp or tcp",
                                "monitors.yaml: channels.log.facility: 'local9' is not a syslog facility (one of kern,"
                                        + " user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp,"
                                        + " audit, alert, clock, local0, local1, local2, local3, local4, local5, local6,"
                                        + " local7)",
                                "monitors.yaml: channels.log-host.host: 'log host' is not a host name or address",
                                "monitors.yaml: channels.listed: expected a mapping"));
    }

    @Test
    void flapDampingTakesRfc7196sParametersUnlessTheFileSetsThem() throws Exception {
        assertThat(loader.parse("prefixes: []", "m.yaml").flapDamping()).isEqualTo(FlapDamping.RFC_7196);

        Monitors monitors = loader.parse("""
                flap_damping:
                  withdrawal_penalty: 1000
                  readvertisement_penalty: 0
                  attribute_change_penalty: 250
                  suppress_threshold: 3000
                  reuse_threshold: 1000
                  half_life: 10m
                  max_suppress_time: 1h
                """, "m.yaml");

        assertThat(monitors.flapDamping()).isEqualTo(new FlapDamping(1000, 0, 250, 3000, 1000,
                java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(1)));
    }

    @Test
    void namesEveryProblemOfTheFlapDamping() {
        assertThatThrownBy(() -> loader.parse("""
                flap_damping:
                  withdrawal_penalty: -1
                  suppress_threshold: many
                  half_life: soon
                  max_suppress_time: [1]
                  decay: fast
                """, "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "monitors.yaml: flap_damping.decay: unknown key (expected one of"
                                        + " attribute_change_penalty, half_life, max_suppress_time,"
                                        + " readvertisement_penalty, reuse_threshold, suppress_threshold,"
                                        + " withdrawal_penalty)",
                                "monitors.yaml: flap_damping.withdrawal_penalty: expected a whole number of at least 0",
                                "monitors.yaml: flap_damping.suppress_threshold: expected a whole number of at least 1",
                                "monitors.yaml: flap_damping.half_life: " + durationProblem("soon"),
                                "monitors.yaml: flap_damping.max_suppress_time: expected a duration such as 15m"));
    }

    @Test
    void rpkiExpiryWarningDefaultsToADayAndMayBeSet() throws Exception {
        assertThat(loader.parse("prefixes: []", "m.yaml").rpkiExpiryWarning())
                .isEqualTo(java.time.Duration.ofHours(24));
        assertThat(loader.parse("rpki: {expiry_warning: 3d}", "m.yaml").rpkiExpiryWarning())
                .isEqualTo(java.time.Duration.ofDays(3));
        assertThat(loader.parse("prefixes: [{prefix: 192.0.2.0/24, origins: [], exclude: [rpki_expiring]}]",
                "m.yaml").prefixes().get(0).checks(net.rampart.detect.alert.AlertType.RPKI_EXPIRING)).isFalse();
    }

    @Test
    void namesEveryProblemOfTheRpkiSettings() {
        assertThatThrownBy(() -> loader.parse("rpki: {expiry_warning: soon, warn: true}", "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "monitors.yaml: rpki.warn: unknown key (expected one of expiry_warning)",
                                "monitors.yaml: rpki.expiry_warning: " + durationProblem("soon")));
        assertThatThrownBy(() -> loader.parse("rpki: {expiry_warning: 0s}", "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems()).containsExactly(
                        "monitors.yaml: rpki.expiry_warning: must be a positive duration such as 24h, not PT0S"));
        assertThatThrownBy(() -> loader.parse("rpki: [expiry_warning]", "monitors.yaml"))
                .isInstanceOf(MonitorsException.class);
    }

    @Test
    void refusesFlapDampingThatCouldNeverSuppressOrReuse() {
        assertThatThrownBy(() -> loader.parse("flap_damping: {suppress_threshold: 20000}", "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems()).containsExactly(
                        "monitors.yaml: flap_damping: suppress_threshold 20000 is never reached: the figure of"
                                + " merit stops at 12000 (reuse_threshold x 2^(max_suppress_time / half_life))"));
        assertThatThrownBy(() -> loader.parse("flap_damping: {reuse_threshold: 6000}", "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems()).containsExactly(
                        "monitors.yaml: flap_damping: reuse_threshold 6000 must be at least 1 and below"
                                + " suppress_threshold 6000"));
    }

    private static String durationProblem(String text) {
        try {
            net.rampart.wire.DurationText.parse(text);
            throw new AssertionError(text + " parsed");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void aChannelWithoutATypeIsAWebhookAsBeforeThereWereOtherKinds() throws Exception {
        Monitors monitors = loader.parse("""
                groups: {noc: {channels: [hook]}}
                channels: {hook: {url: "https://example.net/a", types: [path]}}
                """, "monitors.yaml");
        Channel hook = monitors.channels().get("hook");
        assertThat(hook.kind()).isEqualTo(new Channel.Webhook(URI.create("https://example.net/a"), Map.of()));
        assertThat(hook.kind().typeName()).isEqualTo("webhook");
        assertThat(hook.types()).containsExactly(AlertType.PATH);
    }

    @Test
    void anAlertmanagerChannelResendsEveryMinuteUnlessToldOtherwise() throws Exception {
        Monitors monitors = loader.parse("""
                groups: {noc: {channels: [am, am-slow]}}
                channels:
                  am: {type: alertmanager, url: "http://am.example.net:9093/"}
                  am-slow: {type: alertmanager, url: "https://am.example.net/prefix", resend_interval: 5m,
                            headers: {Authorization: Basic eA==}}
                """, "monitors.yaml");
        Channel.Alertmanager am = (Channel.Alertmanager) monitors.channels().get("am").kind();
        assertThat(am.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(am.alertsUrl()).isEqualTo(URI.create("http://am.example.net:9093/api/v2/alerts"));
        Channel.Alertmanager slow = (Channel.Alertmanager) monitors.channels().get("am-slow").kind();
        assertThat(slow.resendInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(slow.alertsUrl()).isEqualTo(URI.create("https://am.example.net/prefix/api/v2/alerts"));
        assertThat(slow.headers()).containsEntry("Authorization", "Basic eA==");
    }

    @Test
    void aSyslogChannelIsUdpToPort514AtLocal0UnlessToldOtherwise() throws Exception {
        Monitors monitors = loader.parse("""
                groups: {noc: {channels: [log, log-tcp]}}
                channels:
                  log: {type: syslog, host: syslog.example.net}
                  log-tcp: {type: syslog, host: "2001:db8::1", port: 6514, transport: tcp, facility: daemon}
                """, "monitors.yaml");
        assertThat(monitors.channels().get("log").kind())
                .isEqualTo(new Channel.Syslog("syslog.example.net", 514, Channel.Syslog.Transport.UDP, 16));
        assertThat(monitors.channels().get("log-tcp").kind())
                .isEqualTo(new Channel.Syslog("2001:db8::1", 6514, Channel.Syslog.Transport.TCP, 3));
    }

    @Test
    void aSlackChannelIsItsIncomingWebhookUrl() throws Exception {
        Monitors monitors = loader.parse("""
                groups: {noc: {channels: [chat]}}
                channels: {chat: {type: slack, url: "https://hooks.example.net/services/T0/B0/x"}}
                """, "monitors.yaml");
        assertThat(monitors.channels().get("chat").kind())
                .isEqualTo(new Channel.Slack(URI.create("https://hooks.example.net/services/T0/B0/x")));
    }

    @Test
    void anEmailChannelTakesStarttlsAsRequiredAndTheSubmissionPort(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
        Monitors monitors = loader.parse("""
                groups: {noc: {channels: [mail, mail-local]}}
                channels:
                  mail:
                    type: email
                    host: smtp.example.net
                    from: rampart@example.net
                    to: [noc@example.net, oncall@example.net]
                    username: rampart
                    password_file: %s
                  mail-local: {type: email, host: 127.0.0.1, port: 25, starttls: none,
                               from: rampart@example.net, to: [root@example.net]}
                """.formatted(password), "monitors.yaml");
        assertThat(monitors.channels().get("mail").kind()).isEqualTo(new Channel.Email("smtp.example.net", 587, true,
                "rampart@example.net", List.of("noc@example.net", "oncall@example.net"), Optional.of("rampart"),
                Optional.of(password), Optional.empty()));
        assertThat(monitors.channels().get("mail-local").kind()).isEqualTo(new Channel.Email("127.0.0.1", 25, false,
                "rampart@example.net", List.of("root@example.net"), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void namesEveryProblemOfAnEmailChannelAndNeverTakesAPasswordInline(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "not a certificate");
        String yaml = """
                channels:
                  inline:
                    type: email
                    host: smtp.example.net
                    from: rampart@example.net
                    to: [noc@example.net]
                    username: rampart
                    password: s3cret
                  clear:
                    type: email
                    host: smtp.example.net
                    starttls: none
                    from: rampart@example.net
                    to: ["noc@example.net\\r\\nBcc: all@example.net", "not an address"]
                    username: rampart
                    password_file: %s
                  lost:
                    type: email
                    starttls: maybe
                    to: []
                    password_file: %s
                    ca_file: %s
                """.formatted(notPem, dir.resolve("missing"), notPem);
        assertThatThrownBy(() -> loader.parse(yaml, "monitors.yaml"))
                .isInstanceOfSatisfying(MonitorsException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "monitors.yaml: channels.inline.password: not read from the monitors file: put the"
                                        + " password in a file of its own and name it in password_file",
                                "monitors.yaml: channels.inline.password_file: required with a username: the file"
                                        + " holding its password",
                                "monitors.yaml: channels.clear.to[0]: 'noc@example.net\r\nBcc: all@example.net' is not"
                                        + " a mail address such as noc@example.net",
                                "monitors.yaml: channels.clear.to[1]: 'not an address' is not a mail address such as"
                                        + " noc@example.net",
                                "monitors.yaml: channels.clear.starttls: none with a username would send the password"
                                        + " in clear: use required",
                                "monitors.yaml: channels.lost.host: required: the host name or address to send to",
                                "monitors.yaml: channels.lost.starttls: 'maybe' is not required or none",
                                "monitors.yaml: channels.lost.from: required: a mail address",
                                "monitors.yaml: channels.lost.to: at least one address",
                                "monitors.yaml: channels.lost.password_file: cannot read " + dir.resolve("missing"),
                                "monitors.yaml: channels.lost.username: required with a password_file: who to log"
                                        + " in as",
                                "monitors.yaml: channels.lost.ca_file: " + notPem + " holds no PEM certificate"));
    }
}

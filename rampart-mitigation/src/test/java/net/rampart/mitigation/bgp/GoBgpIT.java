package net.rampart.mitigation.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.lifecycle.EngineFixture;
import net.rampart.mitigation.reconcile.Reconciler;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.bgp.flowspec.FlowSpecCodec;
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.testing.Daemon;
import net.rampart.wire.testing.GoBgpDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rampart's speaker against a real GoBGP: GoBGP's own RIB shows exactly the rules sent. */
class GoBgpIT {

    @TempDir
    Path dir;
    private int bgpPort;
    private String config;
    /** The gobgpd the running test started last, whose RIB {@link #awaitRib} reads. */
    private GoBgpDaemon router;

    @BeforeEach
    void configure() throws Exception {
        assumeTrue(GoBgpDaemon.installed(), "skipped: gobgpd is not installed");
        bgpPort = Daemon.freePort();
        config = GoBgpDaemon.config(65001, "10.0.0.2").port(bgpPort).localAddress("127.0.0.1")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).passive().families("ipv4-flowspec", "ipv6-flowspec"))
                .toml();
    }

    private GoBgpDaemon gobgpd() throws Exception {
        router = GoBgpDaemon.start(dir, config);
        return router;
    }

    private SpeakerSettings settings() {
        return new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                List.of(BgpPeer.parse("127.0.0.1:" + bgpPort + "/65001")), 0, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ZERO);
    }

    @Test
    void everyMatchAndActionArrivesExactlyAndWithdrawalsRemoveThem() throws Exception {
        try (GoBgpDaemon gobgpd = gobgpd(); BgpSpeaker speaker = new BgpSpeaker(settings())) {
            speaker.start(null);
            BgpSession session = speaker.sessions().get(0);
            assertThat(Daemon.await(Duration.ofSeconds(30), session::established)).as(gobgpd.log()).isTrue();

            FlowSpecRule police = rule("192.0.2.10/32", 17, List.of(53, 123), false,
                    new FlowAction.TrafficRate(12_500_000f));
            FlowSpecRule redirect = rule("192.0.2.20/32", 17, List.of(), false, new FlowAction.Redirect("65000:666"));
            FlowSpecRule mark = rule("192.0.2.21/32", 1, List.of(), false, new FlowAction.MarkDscp(10));
            // GoBGP rejects the 2-octet length form of RFC 8955 (its issue 3596), so the longest
            // rule here stays just below 240 bytes; ExaBgpIT sends one of 240 bytes and more.
            List<Integer> manyPorts = IntStream.range(0, 76).map(i -> 1000 + i).boxed().toList();
            FlowSpecRule longRule = rule("192.0.2.30/32", 17, manyPorts, false, new FlowAction.Discard());
            FlowSpecRule syn = rule("2001:db8::10/128", 6, List.of(443), true, new FlowAction.Discard());
            ByteSink sink = new ByteSink(512);
            FlowSpecCodec.write(FlowSpecEncoding.nlri(longRule.match()), sink);
            assertThat(sink.size()).as("NLRI with its 1-byte length").isEqualTo(239);

            session.announce(List.of(police, redirect, mark, longRule, syn));
            String ports = manyPorts.stream().map(p -> "==" + p).reduce((a, b) -> a + " " + b).orElseThrow();
            Set<String> v4 = Set.of(
                    "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53 ==123] rate: 12500000.000000",
                    "[destination: 192.0.2.20/32][protocol: ==udp] redirect: 65000:666",
                    "[destination: 192.0.2.21/32][protocol: ==icmp] remark: 10",
                    "[destination: 192.0.2.30/32][protocol: ==udp][destination-port: " + ports + "] discard");
            assertThat(awaitRib("ipv4-flowspec", v4)).as(gobgpd.log()).isEqualTo(v4);
            Set<String> v6 = Set.of(
                    "[destination: 2001:db8::10/128/0][protocol: ==tcp][destination-port: ==443][tcp-flags: =S&!=A] discard");
            assertThat(awaitRib("ipv6-flowspec", v6)).isEqualTo(v6);

            session.withdraw(List.of(police, longRule, syn));
            Set<String> left = Set.of("[destination: 192.0.2.20/32][protocol: ==udp] redirect: 65000:666",
                    "[destination: 192.0.2.21/32][protocol: ==icmp] remark: 10");
            assertThat(awaitRib("ipv4-flowspec", left)).isEqualTo(left);
            assertThat(awaitRib("ipv6-flowspec", Set.of())).isEmpty();
        }
    }

    @Test
    void afterARestartReconciliationRestoresExactlyTheDesiredRules() throws Exception {
        EngineFixture f = new EngineFixture(false, GuardrailLimits.defaults());
        try (GoBgpDaemon gobgpd = gobgpd()) {
            f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.5, 53));
            String gone = f.engine.handle(f.ban("192.0.2.11", AttackVector.SYN_FLOOD, 0.5)).mitigationIds().get(0);
            Set<String> before = Set.of(
                    "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000",
                    "[destination: 192.0.2.11/32][protocol: ==tcp][tcp-flags: =S&!=A] discard");
            try (Running first = new Running(f)) {
                assertThat(awaitRib("ipv4-flowspec", before)).isEqualTo(before);
                first.speaker.stop(false);
            }
            // While Rampart is down the desired state changes.
            f.engine.withdraw(gone, "token:ops", "attack over");
            f.engine.handle(f.ban("2001:db8::20", AttackVector.UDP_FLOOD, 0.5));
            try (Running second = new Running(f)) {
                Set<String> v4 = Set.of(
                        "[destination: 192.0.2.10/32][protocol: ==udp][destination-port: ==53] rate: 12500000.000000");
                Set<String> v6 = Set.of("[destination: 2001:db8::20/128/0][protocol: ==udp] rate: 12500000.000000");
                assertThat(awaitRib("ipv4-flowspec", v4)).isEqualTo(v4);
                assertThat(awaitRib("ipv6-flowspec", v6)).isEqualTo(v6);
            }
        }
    }

    @Test
    void aWrongPeerAsIsRefusedWithANotification() throws Exception {
        SpeakerSettings wrongAs = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                List.of(BgpPeer.parse("127.0.0.1:" + bgpPort + "/65099")), 0, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ZERO);
        try (GoBgpDaemon gobgpd = gobgpd(); BgpSpeaker speaker = new BgpSpeaker(wrongAs)) {
            speaker.start(null);
            BgpSession session = speaker.sessions().get(0);
            assertThat(Daemon.await(Duration.ofSeconds(30),
                    () -> session.lastError().contains("peer AS 65001 is not the configured 65099")))
                    .as(session.lastError()).isTrue();
            assertThat(session.established()).isFalse();
            assertThat(session.state()).isNotEqualTo(BgpSession.State.OPEN_CONFIRM);
        }
    }

    @Test
    void keepalivesHoldAShortSessionUp() throws Exception {
        SpeakerSettings shortHold = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(3),
                List.of(BgpPeer.parse("127.0.0.1:" + bgpPort + "/65001")), 0, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ZERO);
        try (GoBgpDaemon gobgpd = gobgpd(); BgpSpeaker speaker = new BgpSpeaker(shortHold)) {
            speaker.start(null);
            BgpSession session = speaker.sessions().get(0);
            assertThat(Daemon.await(Duration.ofSeconds(30), session::established)).isTrue();
            // With a 3 s hold time GoBGP drops the session unless a keepalive comes every second or so;
            // once it has counted six, the session has outlived two hold times.
            java.util.regex.Pattern received = java.util.regex.Pattern.compile("Keepalives:\\s+(\\d+)\\s+(\\d+)");
            int[] keepalives = {0};
            Daemon.await(Duration.ofSeconds(30), () -> {
                try {
                    var m = received.matcher(gobgpd.cli("neighbor", "127.0.0.1"));
                    keepalives[0] = m.find() ? Integer.parseInt(m.group(2)) : 0;
                    return keepalives[0] >= 6;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(keepalives[0]).isGreaterThanOrEqualTo(6);
            assertThat(session.established()).isTrue();
            assertThat(gobgpd.log()).doesNotContain("hold timer expired");
        }
    }

    @Test
    void aHungRouterTripsTheHoldTimerAndTheSessionComesBackWithItsRules() throws Exception {
        SpeakerSettings shortHold = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(3),
                List.of(BgpPeer.parse("127.0.0.1:" + bgpPort + "/65001")), 0, Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ZERO);
        FlowSpecRule rule = rule("192.0.2.50/32", 17, List.of(), false, new FlowAction.Discard());
        try (GoBgpDaemon gobgpd = gobgpd();
             BgpSpeaker speaker = new BgpSpeaker(shortHold)) {
            speaker.addSessionListener(s -> s.announce(List.of(rule)));
            speaker.start(null);
            BgpSession session = speaker.sessions().get(0);
            assertThat(Daemon.await(Duration.ofSeconds(30), session::established)).isTrue();
            Set<String> expected = Set.of("[destination: 192.0.2.50/32][protocol: ==udp] discard");
            assertThat(awaitRib("ipv4-flowspec", expected)).isEqualTo(expected);

            gobgpd.signal("STOP");
            try {
                // A session that went down carries nothing until it is back.
                assertThat(Daemon.await(Duration.ofSeconds(20),
                        () -> session.lastError().equals("hold timer expired") && session.announced().isEmpty()))
                        .as(session.lastError()).isTrue();
            } finally {
                gobgpd.signal("CONT");
            }
            // Reconnect with backoff; the established callback sends the rules again.
            assertThat(Daemon.await(Duration.ofSeconds(60), session::established)).as(gobgpd.log()).isTrue();
            assertThat(awaitRib("ipv4-flowspec", expected)).isEqualTo(expected);
        }
    }

    @Test
    void inPassiveModeTheRouterConnectsAndReceivesTheRules() throws Exception {
        int listen = Daemon.freePort();
        config = GoBgpDaemon.config(65001, "10.0.0.2")
                .neighbor(GoBgpDaemon.neighbor("127.0.0.1", 65000).remotePort(listen).connectRetry(1)
                        .families("ipv4-flowspec"))
                .toml();
        SpeakerSettings passive = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(30),
                List.of(BgpPeer.parse("127.0.0.1/65001")), listen, Duration.ofMillis(200), Duration.ofSeconds(2),
                Duration.ZERO);
        try (BgpSpeaker speaker = new BgpSpeaker(passive)) {
            speaker.start(java.net.InetAddress.getLoopbackAddress());
            assertThat(speaker.listenPort()).isEqualTo(listen);
            try (GoBgpDaemon gobgpd = gobgpd()) {
                BgpSession session = speaker.sessions().get(0);
                assertThat(Daemon.await(Duration.ofSeconds(60), session::established))
                        .as(gobgpd.log()).isTrue();
                assertThat(session.carries(rule("2001:db8::1/128", 17, List.of(), false, new FlowAction.Discard())))
                        .as("IPv6 FlowSpec was not negotiated").isFalse();
                session.announce(List.of(rule("192.0.2.40/32", 17, List.of(), false, new FlowAction.Discard())));
                Set<String> expected = Set.of("[destination: 192.0.2.40/32][protocol: ==udp] discard");
                assertThat(awaitRib("ipv4-flowspec", expected)).isEqualTo(expected);
            }
        }
    }

    /** A speaker whose sessions the fixture's engine reconciles, as the service wires it. */
    private final class Running implements AutoCloseable {
        final BgpSpeaker speaker;
        final Reconciler reconciler;

        Running(EngineFixture f) throws Exception {
            speaker = new BgpSpeaker(settings());
            reconciler = new Reconciler(f.engine, speaker::announcementSessions, f.clock,
                    f.registry);
            speaker.addSessionListener(s -> reconciler.reconcile());
            speaker.start(null);
        }

        @Override
        public void close() {
            reconciler.close();
            speaker.stop(false);
        }
    }

    private static FlowSpecRule rule(String dst, int protocol, List<Integer> ports, boolean syn, FlowAction action) {
        return new FlowSpecRule(new FlowMatch(IpPrefix.parse(dst), OptionalInt.of(protocol), ports, syn), action);
    }

    /** GoBGP's RIB as "network action" lines, once it equals {@code expected} or the deadline passes. */
    private Set<String> awaitRib(String family, Set<String> expected) throws Exception {
        @SuppressWarnings("unchecked")
        Set<String>[] seen = new Set[] {Set.of()};
        Daemon.await(Duration.ofSeconds(20), () -> {
            try {
                seen[0] = router.flowSpecRules(family);
                return seen[0].equals(expected);
            } catch (Exception e) {
                return false;
            }
        });
        return seen[0];
    }
}

package net.rampart.mitigation.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.lifecycle.EngineFixture;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private final List<AnnouncementSession> sessions = new CopyOnWriteArrayList<>();
    private final RecordingSession r1 = new RecordingSession("127.0.0.1:179/65001");
    private final RecordingSession r2 = new RecordingSession("[::1]:179/65002");
    private Reconciler reconciler;

    /** The reconciler reads the engine, so it registers as the engine's listener once made, as the service does. */
    private EngineFixture fixture(boolean dryRun) throws Exception {
        sessions.add(r1);
        sessions.add(r2);
        EngineFixture f = new EngineFixture(dryRun, GuardrailLimits.defaults());
        reconciler = new Reconciler(f.engine, () -> sessions, f.clock, f.registry);
        f.engine.addListener(reconciler);
        return f;
    }

    private static Set<FlowSpecRule> desiredRules(EngineFixture f) {
        return Set.copyOf(f.repository.active("ams1").stream().map(Mitigation::rule).toList());
    }

    @Test
    void changesArePushedToEveryEstablishedSessionAtOnce() throws Exception {
        EngineFixture f = fixture(false);
        r2.established = false;
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        assertThat(r1.announced()).isEqualTo(desiredRules(f));
        assertThat(r2.announced()).isEmpty();

        r2.established = true;
        ReconcileReport report = reconciler.reconcile();
        assertThat(report.sessions().get(r2.peer())).isEqualTo(new ReconcileReport.SessionRepair(1, 0));
        assertThat(report.sessions().get(r1.peer())).isEqualTo(new ReconcileReport.SessionRepair(0, 0));
        assertThat(r2.announced()).isEqualTo(desiredRules(f));
    }

    @Test
    void escalationReplacesTheActionAndWiderPortsReplaceTheMatch() throws Exception {
        EngineFixture f = fixture(false);
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9, 53));
        f.clock.advance(Duration.ofMinutes(3));
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9, 53));
        assertThat(r1.announced()).singleElement().extracting(FlowSpecRule::action).isEqualTo(new FlowAction.Discard());

        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9, 123));
        assertThat(r1.announced()).isEqualTo(desiredRules(f));
        assertThat(r1.announced()).singleElement().satisfies(r ->
                assertThat(r.match().destinationPorts()).containsExactly(53, 123));
        assertThat(reconciler.reconcile().totalAnnounced()).isZero();
    }

    @Test
    void withdrawalsAndExpiryRemoveTheRule() throws Exception {
        EngineFixture f = fixture(false);
        String a = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).mitigationIds().get(0);
        f.engine.handle(f.ban("192.0.2.11", AttackVector.SYN_FLOOD, 0.9));
        assertThat(r1.announced()).hasSize(2);

        f.engine.withdraw(a, "token:ops", "done");
        assertThat(r1.announced()).hasSize(1);

        f.clock.advance(Duration.ofMinutes(5)); // SYN playbook TTL
        ReconcileReport report = reconciler.reconcile();
        assertThat(report.expired()).isEqualTo(1);
        assertThat(r1.announced()).isEmpty();
        assertThat(r2.announced()).isEmpty();
    }

    @Test
    void afterAFlapOrARestartSessionsEndUpWithExactlyTheDesiredRules() throws Exception {
        EngineFixture f = fixture(false);
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        f.engine.handle(f.ban("2001:db8::10", AttackVector.SYN_FLOOD, 0.9));
        r1.flap();
        // A rule left on the router by an earlier run, which nobody wants any more.
        FlowSpecRule orphan = new FlowSpecRule(new FlowMatch(IpPrefix.parse("192.0.2.99/32"), OptionalInt.of(17),
                List.of(), false), new FlowAction.Discard());
        r2.announce(List.of(orphan));

        ReconcileReport report = reconciler.reconcile();
        assertThat(report.sessions().get(r1.peer())).isEqualTo(new ReconcileReport.SessionRepair(2, 0));
        assertThat(report.sessions().get(r2.peer())).isEqualTo(new ReconcileReport.SessionRepair(0, 1));
        assertThat(r1.announced()).isEqualTo(desiredRules(f));
        assertThat(r2.announced()).isEqualTo(desiredRules(f));
        assertThat(f.registry.get("rampart.mitigation.reconcile.withdrawn").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aMatchSharedByTwoMitigationsStaysUntilBothEnd() throws Exception {
        EngineFixture f = fixture(false);
        String udp = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).mitigationIds().get(0);
        // An unclassified attack on the same victim, reported as UDP: the same match, another action.
        var unknown = new net.rampart.mitigation.event.AttackEvent("shared-1", f.clock.instant(), "test",
                AddressText.parse("192.0.2.10"), AttackVector.UNKNOWN, java.util.OptionalLong.empty(),
                java.util.OptionalLong.empty(), java.util.OptionalDouble.empty(), OptionalInt.of(17), List.of(),
                net.rampart.mitigation.event.EventAction.BAN, null);
        String other = f.engine.handle(unknown).mitigationIds().get(0);
        assertThat(f.repository.find(other).orElseThrow().rule().match())
                .isEqualTo(f.repository.find(udp).orElseThrow().rule().match());

        f.engine.withdraw(udp, "token:ops", "done");
        assertThat(r1.announced()).singleElement().extracting(FlowSpecRule::action)
                .isEqualTo(new FlowAction.MarkDscp(8));
        f.engine.withdraw(other, "token:ops", "done");
        assertThat(r1.announced()).isEmpty();
    }

    @Test
    void dryRunAnnouncesNothing() throws Exception {
        EngineFixture f = fixture(true);
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        reconciler.reconcile();
        assertThat(f.repository.active("ams1")).hasSize(1);
        assertThat(r1.announced()).isEmpty();
        assertThat(r1.log).isEmpty();
    }

    @Test
    void shutdownEitherWithdrawsEverythingOrLeavesItToHoldTimers() throws Exception {
        EngineFixture f = fixture(false);
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        reconciler.shutdown(false);
        assertThat(r1.announced()).hasSize(1);
        reconciler.shutdown(true);
        assertThat(r1.announced()).isEmpty();
        assertThat(r2.announced()).isEmpty();
    }

    @Test
    void theScheduleRunsPassesUntilClosed() throws Exception {
        EngineFixture f = fixture(false);
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        r1.flap();
        reconciler.start(Duration.ofMillis(20));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (r1.announced().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(r1.announced()).isEqualTo(desiredRules(f));
        } finally {
            reconciler.close();
        }
    }
}

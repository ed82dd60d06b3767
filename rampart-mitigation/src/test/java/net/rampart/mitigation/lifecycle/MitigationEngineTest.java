package net.rampart.mitigation.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.Test;

class MitigationEngineTest {

    @Test
    void firstEventCreatesAPolicingRuleForTheVictim() throws Exception {
        EngineFixture f = new EngineFixture();
        EventResult r = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.5, 53, 123));

        assertThat(r.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(r.dryRun()).isFalse();
        Mitigation m = f.repository.find(r.mitigationIds().get(0)).orElseThrow();
        assertThat(m.status()).isEqualTo(MitigationStatus.ACTIVE);
        assertThat(m.customerId()).isEqualTo("example-net");
        assertThat(m.rule().match().destination()).isEqualTo(IpPrefix.parse("192.0.2.10/32"));
        assertThat(m.rule().match().ipProtocol()).hasValue(17);
        assertThat(m.rule().match().destinationPorts()).containsExactly(53, 123);
        assertThat(m.rule().action()).isEqualTo(new FlowAction.TrafficRate(12_500_000f));
        assertThat(m.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(f.audit).extracting(AuditEntry::action).containsExactly("mitigation_created");
        assertThat(f.audit.get(0).actor()).isEqualTo("detector:test");
        assertThat(f.changes).containsExactly("CREATED " + m.id());
    }

    @Test
    void aRepeatedEventIdIsADuplicateAndChangesNothing() throws Exception {
        EngineFixture f = new EngineFixture();
        AttackEvent e = f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.5);
        f.engine.handle(e);
        f.clock.advance(Duration.ofMinutes(1));
        Mitigation before = f.repository.active("ams1").get(0);

        assertThatThrownBy(() -> f.engine.handle(e)).isInstanceOf(DuplicateEventException.class);
        assertThat(f.repository.active("ams1")).containsExactly(before);
    }

    @Test
    void laterEventsExtendThenEscalateOnPersistenceAndConfidence() throws Exception {
        EngineFixture f = new EngineFixture();
        String id = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).mitigationIds().get(0);

        f.clock.advance(Duration.ofMinutes(1));
        EventResult early = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.95));
        assertThat(early.outcome()).as("persistence not yet met").isEqualTo(Outcome.EXTENDED);
        assertThat(early.mitigationIds()).containsExactly(id);
        assertThat(f.repository.find(id).orElseThrow().expiresAt())
                .isEqualTo(f.clock.instant().plus(Duration.ofMinutes(10)));

        f.clock.advance(Duration.ofMinutes(2));
        EventResult unsure = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.5));
        assertThat(unsure.outcome()).as("confidence not met").isEqualTo(Outcome.EXTENDED);

        f.clock.advance(Duration.ofSeconds(30));
        EventResult sure = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.85));
        assertThat(sure.outcome()).isEqualTo(Outcome.ESCALATED);
        Mitigation m = f.repository.find(id).orElseThrow();
        assertThat(m.stepIndex()).isEqualTo(1);
        assertThat(m.rule().action()).isEqualTo(new FlowAction.Discard());
        assertThat(m.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(m.eventCount()).isEqualTo(4);
        assertThat(f.repository.active("ams1")).hasSize(1);
    }

    @Test
    void aGapLongerThanTheCorrelationWindowRestartsPersistence() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9));
        f.clock.advance(Duration.ofMinutes(6)); // window is 5 minutes; TTL 10 minutes keeps it active
        assertThat(f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).outcome())
                .isEqualTo(Outcome.EXTENDED);
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).outcome())
                .as("only 1 minute since the attack restarted").isEqualTo(Outcome.EXTENDED);
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.9)).outcome())
                .isEqualTo(Outcome.ESCALATED);
    }

    @Test
    void portSubsetKeepsTheRuleSupersetWidensIt() throws Exception {
        EngineFixture f = new EngineFixture();
        String id = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 53, 123)).mitigationIds().get(0);

        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 53));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts()).containsExactly(53, 123);

        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 53, 123, 389));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts()).containsExactly(53, 123, 389);

        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 11211));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts())
                .containsExactly(53, 123, 389, 11211);

        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts())
                .as("an event without ports means every port").isEmpty();
        f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 53));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts()).isEmpty();
    }

    @Test
    void portUnionBeyondTheLimitIsRefusedAndTheRuleKept() throws Exception {
        EngineFixture f = new EngineFixture();
        String id = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 1, 2, 3, 4, 5, 6, 7, 8))
                .mitigationIds().get(0);
        assertThatThrownBy(() -> f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 0.1, 9)))
                .isInstanceOfSatisfying(GuardrailRefusedException.class,
                        e -> assertThat(e.refusal().guardrail()).isEqualTo("port_count"));
        assertThat(f.repository.find(id).orElseThrow().rule().match().destinationPorts()).hasSize(8);
    }

    @Test
    void synFloodsMatchSynFlagsAndVectorsAreSeparateMitigations() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.handle(f.ban("2001:db8::7", AttackVector.SYN_FLOOD, 1, 443));
        f.engine.handle(f.ban("2001:db8::7", AttackVector.UDP_FLOOD, 1));
        List<Mitigation> active = f.engine.active().forVictim(AddressText.parse("2001:db8::7"));
        assertThat(active).hasSize(2);
        Mitigation syn = active.stream().filter(m -> m.vector() == AttackVector.SYN_FLOOD).findFirst().orElseThrow();
        assertThat(syn.rule().match().tcpFlagsSyn()).isTrue();
        assertThat(syn.rule().match().ipProtocol()).hasValue(6);
        assertThat(syn.rule().match().destination()).isEqualTo(IpPrefix.parse("2001:db8::7/128"));
        assertThat(syn.rule().action()).isEqualTo(new FlowAction.Discard());
    }

    @Test
    void unbanWithdrawsTheVictimsMitigations() throws Exception {
        EngineFixture f = new EngineFixture();
        String udp = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 1)).mitigationIds().get(0);
        String syn = f.engine.handle(f.ban("192.0.2.10", AttackVector.SYN_FLOOD, 1)).mitigationIds().get(0);
        f.engine.handle(f.ban("192.0.2.11", AttackVector.UDP_FLOOD, 1));

        EventResult r = f.engine.handle(f.unban("192.0.2.10", AttackVector.UDP_FLOOD));
        assertThat(r.outcome()).isEqualTo(Outcome.WITHDRAWN);
        assertThat(r.mitigationIds()).containsExactly(udp);
        assertThat(f.repository.find(udp).orElseThrow().status()).isEqualTo(MitigationStatus.WITHDRAWN);
        assertThat(f.repository.find(syn).orElseThrow().status()).isEqualTo(MitigationStatus.ACTIVE);

        EventResult all = f.engine.handle(f.unban("192.0.2.10", AttackVector.UNKNOWN));
        assertThat(all.mitigationIds()).containsExactly(syn);
        assertThat(f.engine.handle(f.unban("192.0.2.10", AttackVector.UNKNOWN)).outcome())
                .isEqualTo(Outcome.NOTHING_TO_WITHDRAW);
        assertThat(f.repository.active("ams1")).hasSize(1);
    }

    @Test
    void operatorWithdrawIsAttributedAndIdempotent() throws Exception {
        EngineFixture f = new EngineFixture();
        String id = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 1)).mitigationIds().get(0);
        Mitigation m = f.engine.withdraw(id, "token:alice", "false positive");
        assertThat(m.status()).isEqualTo(MitigationStatus.WITHDRAWN);
        assertThat(m.endedBy()).isEqualTo("token:alice");
        assertThat(m.endReason()).isEqualTo("false positive");
        AuditEntry last = f.audit.get(f.audit.size() - 1);
        assertThat(last.action()).isEqualTo("mitigation_withdrawn");
        assertThat(last.actor()).isEqualTo("token:alice");
        assertThat(f.engine.withdraw(id, "token:bob", "again")).isEqualTo(m);
        assertThatThrownBy(() -> f.engine.withdraw("nope", "x", "y")).isInstanceOf(MitigationNotFoundException.class);
    }

    @Test
    void ttlExpiryEndsOnlyWhatRanOut() throws Exception {
        EngineFixture f = new EngineFixture();
        String udp = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 1)).mitigationIds().get(0);
        String syn = f.engine.handle(f.ban("192.0.2.11", AttackVector.SYN_FLOOD, 1)).mitigationIds().get(0);
        f.clock.advance(Duration.ofMinutes(5)); // the SYN playbook's TTL
        assertThat(f.engine.expire()).extracting(Mitigation::id).containsExactly(syn);
        assertThat(f.repository.find(syn).orElseThrow().status()).isEqualTo(MitigationStatus.EXPIRED);
        assertThat(f.repository.find(udp).orElseThrow().status()).isEqualTo(MitigationStatus.ACTIVE);
        assertThat(f.audit.get(f.audit.size() - 1).actor()).isEqualTo("system");
    }

    @Test
    void noPlaybookDoesNothingButIsRecorded() throws Exception {
        EngineFixture f = new EngineFixture();
        AttackEvent e = f.ban("192.0.2.10", AttackVector.ICMP_FLOOD, 1);
        EventResult r = f.engine.handle(e);
        assertThat(r.outcome()).isEqualTo(Outcome.NO_PLAYBOOK);
        assertThat(r.mitigationIds()).isEmpty();
        assertThat(f.repository.active(null)).isEmpty();
        assertThatThrownBy(() -> f.engine.handle(e)).isInstanceOf(DuplicateEventException.class);
    }

    @Test
    void guardrailRefusalsNameTheGuardrailAndChangeNothing() throws Exception {
        EngineFixture f = new EngineFixture();
        assertRefused(f, f.ban("198.51.100.1", AttackVector.UDP_FLOOD, 1), "victim_not_in_inventory");
        assertRefused(f, f.ban("192.0.2.53", AttackVector.UDP_FLOOD, 1), "safelist");
        assertThat(f.repository.active(null)).isEmpty();
        assertThat(f.registry.get("rampart.mitigation.guardrail.refusals").tag("guardrail", "safelist").counter()
                .count()).isEqualTo(1.0);
        assertThat(f.audit).extracting(AuditEntry::action).containsExactly("guardrail_refused", "guardrail_refused");
        assertThat(f.audit.get(1).details()).containsEntry("guardrail", "safelist");
    }

    @Test
    void quotasAndRatesCountOnlyNewMitigations() throws Exception {
        GuardrailLimits d = GuardrailLimits.defaults();
        GuardrailLimits tight = new GuardrailLimits(d.ttl(), 24, 48, 8, 2, 100, 100, 100, 100);
        EngineFixture f = new EngineFixture(false, tight);
        f.engine.handle(f.ban("192.0.2.1", AttackVector.UDP_FLOOD, 1));
        f.engine.handle(f.ban("192.0.2.2", AttackVector.UDP_FLOOD, 1));
        assertRefused(f, f.ban("192.0.2.3", AttackVector.UDP_FLOOD, 1), "customer_quota");
        assertThat(f.engine.handle(f.ban("192.0.2.2", AttackVector.UDP_FLOOD, 1)).outcome())
                .as("an active mitigation is still extended at quota").isEqualTo(Outcome.EXTENDED);

        GuardrailLimits slow = new GuardrailLimits(d.ttl(), 24, 48, 8, 100, 100, 100, 2, 100);
        EngineFixture g = new EngineFixture(false, slow);
        g.engine.handle(g.ban("192.0.2.1", AttackVector.UDP_FLOOD, 1));
        g.engine.handle(g.ban("192.0.2.2", AttackVector.UDP_FLOOD, 1));
        assertRefused(g, g.ban("192.0.2.3", AttackVector.UDP_FLOOD, 1), "new_rule_rate");
        g.clock.advance(Duration.ofSeconds(61));
        assertThat(g.engine.handle(g.ban("192.0.2.3", AttackVector.UDP_FLOOD, 1)).outcome())
                .isEqualTo(Outcome.CREATED);
    }

    @Test
    void dryRunRecordsEverythingAndMarksTheMitigation() throws Exception {
        EngineFixture f = new EngineFixture(true, GuardrailLimits.defaults());
        EventResult r = f.engine.handle(f.ban("192.0.2.10", AttackVector.UDP_FLOOD, 1));
        assertThat(r.dryRun()).isTrue();
        assertThat(r.outcome()).isEqualTo(Outcome.CREATED);
        Mitigation m = f.repository.find(r.mitigationIds().get(0)).orElseThrow();
        assertThat(m.dryRun()).isTrue();
        assertThat(m.shouldBeAnnounced(f.clock.instant())).isFalse();
        assertThat(f.audit.get(0).details()).containsEntry("dry_run", "true");
    }

    @Test
    void eventsWithoutConfidenceNeverMeetAConfidenceCondition() throws Exception {
        EngineFixture f = new EngineFixture();
        f.engine.handle(f.event("192.0.2.10", AttackVector.UDP_FLOOD, EventAction.BAN, OptionalDouble.empty()));
        f.clock.advance(Duration.ofMinutes(3));
        assertThat(f.engine.handle(f.event("192.0.2.10", AttackVector.UDP_FLOOD, EventAction.BAN,
                OptionalDouble.empty())).outcome()).isEqualTo(Outcome.EXTENDED);
    }

    @Test
    void mergePortsKeepsEveryPortWhenEitherSideMeansAll() {
        assertThat(MitigationEngine.mergePorts(List.of(), List.of(80))).isEmpty();
        assertThat(MitigationEngine.mergePorts(List.of(80), List.of())).isEmpty();
        assertThat(MitigationEngine.mergePorts(List.of(80, 443), List.of(443, 22))).containsExactly(22, 80, 443);
    }

    private static void assertRefused(EngineFixture f, AttackEvent e, String guardrail) {
        assertThatThrownBy(() -> f.engine.handle(e)).isInstanceOfSatisfying(GuardrailRefusedException.class,
                x -> assertThat(x.refusal().guardrail()).isEqualTo(guardrail));
    }
}

package net.rampart.store.mitigation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.guardrail.Guardrails;
import net.rampart.mitigation.lifecycle.ActiveMitigations;
import net.rampart.mitigation.lifecycle.DuplicateEventException;
import net.rampart.mitigation.lifecycle.EngineSettings;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationEngine;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.lifecycle.Outcome;
import net.rampart.mitigation.policy.Policy;
import net.rampart.mitigation.policy.PolicyLoader;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresMitigationRepositoryIT {

    @TempDir
    static Path dataDir;
    private static Database database;
    /** One audit log, as in the service: its reads wait for its own batched writes. */
    private static PostgresAuditLog audit;

    @BeforeAll
    static void open() throws Exception {
        database = Database.open(DatabaseSettings.embedded(dataDir.resolve("postgres")));
        audit = new PostgresAuditLog(database.dataSource(), new RefusedRows(database.dataSource()));
    }

    @AfterAll
    static void close() {
        audit.close();
        database.close();
    }

    private static Policy policy() throws Exception {
        PolicyLoader loader = new PolicyLoader(GuardrailLimits.defaults().ttl());
        return new Policy(loader.parseInventory("""
                customers: [{id: example-net, prefixes: [192.0.2.0/24, 2001:db8::/32]}]
                """, "inventory.yaml"), loader.parsePlaybooks("""
                playbooks:
                  - name: udp-flood
                    match: {vectors: [udp_flood]}
                    steps:
                      - {action: police, rate_bps: 100M, ttl: 10m}
                      - {action: discard, ttl: 30m, escalate_when: {min_persistence: 0s}}
                  - name: syn-flood
                    match: {vectors: [syn_flood]}
                    steps: [{action: mark, dscp: 10, ttl: 10m}]
                """, "playbooks.yaml"));
    }

    private static MitigationEngine engine(String pop, PostgresMitigationRepository repo, Clock clock)
            throws Exception {
        Policy policy = policy();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ActiveMitigations active = new ActiveMitigations(pop, repo, clock);
        Guardrails guardrails = new Guardrails(Guardrails.standard(GuardrailLimits.defaults(), clock, active,
                repo::safelist, p -> 100, () -> 0), registry, audit, clock);
        return new MitigationEngine(new EngineSettings(pop, false, Duration.ofMinutes(5)), () -> policy, repo,
                active, guardrails, audit, clock, registry, List.of());
    }

    private static AttackEvent event(String id, String victim, AttackVector vector, EventAction action,
                                     Integer... ports) {
        return new AttackEvent(id, Instant.parse("2026-11-22T08:00:00Z"), "it", AddressText.parse(victim),
                vector, OptionalLong.of(5_000_000_000L), OptionalLong.of(1_000_000), OptionalDouble.of(0.9),
                OptionalInt.empty(), List.of(ports), action, "{\"detector\":\"it\"}");
    }

    @Test
    void theEngineLifecycleRoundTripsThroughPostgres() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PostgresMitigationRepository repo = new PostgresMitigationRepository(database.dataSource(), new RefusedRows(database.dataSource()));
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z"), ZoneOffset.UTC);
        MitigationEngine ams = engine("ams-" + run, repo, clock);

        String udp = ams.handle(event(run + "-1", "192.0.2.10", AttackVector.UDP_FLOOD, EventAction.BAN, 53, 123))
                .mitigationIds().get(0);
        String v6 = ams.handle(event(run + "-2", "2001:db8::10", AttackVector.SYN_FLOOD, EventAction.BAN, 443))
                .mitigationIds().get(0);
        assertThatThrownBy(() -> ams.handle(event(run + "-1", "192.0.2.10", AttackVector.UDP_FLOOD,
                EventAction.BAN))).isInstanceOf(DuplicateEventException.class);

        Mitigation police = repo.find(udp).orElseThrow();
        assertThat(police.rule().match().destination()).isEqualTo(IpPrefix.parse("192.0.2.10/32"));
        assertThat(police.rule().match().destinationPorts()).containsExactly(53, 123);
        assertThat(police.rule().action()).isEqualTo(new FlowAction.TrafficRate(12_500_000f));
        assertThat(police.lastConfidence()).hasValue(0.9);
        Mitigation mark = repo.find(v6).orElseThrow();
        assertThat(mark.victim()).isEqualTo(AddressText.parse("2001:db8::10"));
        assertThat(mark.rule().match().tcpFlagsSyn()).isTrue();
        assertThat(mark.rule().action()).isEqualTo(new FlowAction.MarkDscp(10));

        assertThat(ams.handle(event(run + "-3", "192.0.2.10", AttackVector.UDP_FLOOD, EventAction.BAN, 53))
                .outcome()).isEqualTo(Outcome.ESCALATED);
        assertThat(repo.find(udp).orElseThrow().rule().action()).isEqualTo(new FlowAction.Discard());
        assertThat(ams.active().find(AddressText.parse("192.0.2.10"), AttackVector.UDP_FLOOD))
                .map(Mitigation::id).hasValue(udp);

        // A second POP sharing the database: counted globally, listed with pop=all.
        MitigationEngine fra = engine("fra-" + run, repo, clock);
        fra.handle(event(run + "-4", "192.0.2.10", AttackVector.UDP_FLOOD, EventAction.BAN));
        assertThat(repo.activeCount("ams-" + run)).isEqualTo(2);
        assertThat(repo.activeCount("fra-" + run)).isEqualTo(1);
        assertThat(fra.active().forCustomer("example-net")).as("this POP's one and the other's two")
                .isGreaterThanOrEqualTo(3);
        assertThat(repo.pops()).extracting(PostgresMitigationRepository.PopSummary::pop)
                .contains("ams-" + run, "fra-" + run);

        assertThat(ams.handle(event(run + "-5", "192.0.2.10", AttackVector.UNKNOWN, EventAction.UNBAN)).outcome())
                .isEqualTo(Outcome.WITHDRAWN);
        Mitigation ended = repo.find(udp).orElseThrow();
        assertThat(ended.status()).isEqualTo(MitigationStatus.WITHDRAWN);
        assertThat(ended.endedBy()).isEqualTo("detector:it");
        assertThat(repo.active("ams-" + run)).extracting(Mitigation::id).containsExactly(v6);

        // A restarted engine picks up what is active and still refuses the event ids it had.
        MitigationEngine restarted = engine("ams-" + run, repo, clock);
        assertThat(restarted.active().all()).extracting(Mitigation::id).containsExactly(v6);
        assertThatThrownBy(() -> restarted.handle(event(run + "-2", "2001:db8::10", AttackVector.SYN_FLOOD,
                EventAction.BAN))).isInstanceOf(DuplicateEventException.class);

        List<AuditEntry> trail = audit.recent(udp, 10);
        assertThat(trail).extracting(AuditEntry::action)
                .containsExactly("mitigation_withdrawn", "mitigation_escalated", "mitigation_created");

        try (Connection c = database.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT raw_details->>'detector', "
                     + "array_length(mitigation_ids, 1) FROM mitigation_event WHERE event_id = '" + run + "-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("it");
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }

    private static AttackEvent eventFrom(String id, String source, String victim) {
        return new AttackEvent(id, Instant.parse("2026-11-22T08:00:00Z"), source, AddressText.parse(victim),
                AttackVector.UDP_FLOOD, OptionalLong.of(5_000_000_000L), OptionalLong.empty(), OptionalDouble.empty(),
                OptionalInt.empty(), List.of(), EventAction.BAN, null);
    }

    private static int count(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anEventTheDatabaseRefusesNeverHoldsUpTheOnesBehindIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        RefusedRows refused = new RefusedRows(database.dataSource());
        PostgresMitigationRepository repo = new PostgresMitigationRepository(database.dataSource(), refused);
        for (int i = 0; i < 20; i++) {
            // PostgreSQL refuses a NUL in text (22021); the API refuses it first, the writer must not rely on that.
            String source = i == 7 ? "det\u0000ector" : "detector";
            repo.recordEvent(eventFrom(run + "-" + i, source, "192.0.2." + (i + 1)), "poison-" + run, List.of());
        }
        assertThat(repo.activeCount("poison-" + run)).as("reads wait for the writes before them").isZero();
        assertThat(count("SELECT count(*) FROM mitigation_event WHERE event_id LIKE '" + run + "-%'")).isEqualTo(19);
        assertThat(refused.refused("mitigation")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM refused_row WHERE writer = 'mitigation' AND sql_state = '22021'"
                + " AND position('" + run + "-7' in row_text) > 0 AND position('det\\u0000ector' in row_text) > 0"))
                .as("the refused event, its NUL escaped").isEqualTo(1);
        assertThat(repo.makingProgress()).isTrue();
        repo.close();
    }

    @Test
    void anAuditEntryTheDatabaseRefusesNeverHoldsUpTheOnesBehindIt() throws Exception {
        RefusedRows refused = new RefusedRows(database.dataSource());
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (PostgresAuditLog log = new PostgresAuditLog(database.dataSource(), refused)) {
            for (int i = 0; i < 10; i++) {
                log.record(new AuditEntry(Instant.parse("2026-11-22T08:00:00Z"), "audit-" + run,
                        i == 4 ? "operator:\u0000" : "operator:it", "reload_" + i, null, null, java.util.Map.of()));
            }
            log.flush();
            assertThat(count("SELECT count(*) FROM mitigation_audit WHERE pop = 'audit-" + run + "'")).isEqualTo(9);
            assertThat(refused.refused("audit")).isEqualTo(1);
            assertThat(log.makingProgress()).isTrue();
        }
    }

    @Test
    void listPagesNewestFirstWithACursor() throws Exception {
        String pop = "page-" + UUID.randomUUID().toString().substring(0, 8);
        PostgresMitigationRepository repo = new PostgresMitigationRepository(database.dataSource(), new RefusedRows(database.dataSource()));
        for (int i = 1; i <= 5; i++) {
            Clock clock = Clock.fixed(Instant.parse("2026-11-22T08:00:00Z").plusSeconds(i), ZoneOffset.UTC);
            engine(pop, repo, clock).handle(event(pop + "-" + i, "192.0.2." + (100 + i), AttackVector.UDP_FLOOD,
                    EventAction.BAN));
        }
        List<Mitigation> first = repo.list(pop, null, null, 2);
        assertThat(first).extracting(m -> AddressText.of(m.victim())).containsExactly("192.0.2.105",
                "192.0.2.104");
        List<Mitigation> second = repo.list(pop, MitigationStatus.ACTIVE, first.get(1).id(), 2);
        assertThat(second).extracting(m -> AddressText.of(m.victim())).containsExactly("192.0.2.103",
                "192.0.2.102");
        assertThat(repo.count(pop, null)).isEqualTo(5);
        assertThat(repo.count(pop, MitigationStatus.EXPIRED)).isZero();
    }

    @Test
    void safelistEntriesPersistAndGuardrailsSeeThem() throws Exception {
        PostgresMitigationRepository repo = new PostgresMitigationRepository(database.dataSource(), new RefusedRows(database.dataSource()));
        repo.addSafelistEntry(new SafelistEntry(IpPrefix.parse("2001:db8:5::/48"), "monitoring", "token:ops"));
        repo.addSafelistEntry(new SafelistEntry(IpPrefix.parse("2001:db8:5::/48"), "monitoring v2", "token:ops"));
        assertThat(repo.safelist()).filteredOn(e -> e.prefix().equals(IpPrefix.parse("2001:db8:5::/48")))
                .singleElement().extracting(SafelistEntry::reason).isEqualTo("monitoring v2");

        MitigationEngine engine = engine("safe", repo, Clock.systemUTC());
        assertThatThrownBy(() -> engine.handle(event(UUID.randomUUID().toString(), "2001:db8:5::1",
                AttackVector.UDP_FLOOD, EventAction.BAN)))
                .hasMessageStartingWith("safelist:");
        assertThat(repo.removeSafelistEntry(IpPrefix.parse("2001:db8:5::/48"))).isTrue();
        assertThat(repo.removeSafelistEntry(IpPrefix.parse("2001:db8:5::/48"))).isFalse();
        assertThat(audit.recent(null, 50)).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("guardrail_refused");
            assertThat(e.details()).containsAllEntriesOf(Map.of("guardrail", "safelist"));
        });
    }
}

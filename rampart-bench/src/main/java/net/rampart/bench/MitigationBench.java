package net.rampart.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.bgp.BgpPeer;
import net.rampart.mitigation.bgp.BgpSpeaker;
import net.rampart.mitigation.bgp.SpeakerSettings;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.event.EventAction;
import net.rampart.mitigation.guardrail.GuardrailLimits;
import net.rampart.mitigation.guardrail.Guardrails;
import net.rampart.mitigation.lifecycle.ActiveMitigations;
import net.rampart.mitigation.lifecycle.EngineSettings;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationEngine;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.policy.Policy;
import net.rampart.mitigation.policy.PolicyLoader;
import net.rampart.mitigation.policy.TtlBounds;
import net.rampart.mitigation.reconcile.ReconcileReport;
import net.rampart.mitigation.reconcile.Reconciler;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.store.Database;
import net.rampart.store.DatabaseSettings;
import net.rampart.store.RefusedRows;
import net.rampart.store.mitigation.PostgresAuditLog;
import net.rampart.store.mitigation.PostgresMitigationRepository;
import net.rampart.wire.ip.AddressText;

/**
 * The mitigation path against a real ExaBGP (started here, on loopback), with the embedded
 * PostgreSQL: (1) event to UPDATE: events go through the engine one at a time and ExaBGP's
 * JSON output timestamps each UPDATE on arrival; (2) reconciliation: {@code --rules} active
 * mitigations are reconciled onto a fresh session, then a steady-state pass compares them
 * again. Needs {@code /usr/sbin/exabgp}.
 */
public final class MitigationBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Args.parse(args, Map.of("--events", "500", "--rules", "10000",
                "--event-gap-ms", "5"));
        int events = Integer.parseInt(a.get("--events"));
        int rules = Integer.parseInt(a.get("--rules"));
        long gapMs = Long.parseLong(a.get("--event-gap-ms"));
        Path dir = Files.createTempDirectory("rampart-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path updates = dir.resolve("updates.jsonl");
        Process exabgp = startExaBgp(dir, port, updates);
        try (Database database = Database.open(DatabaseSettings.embedded(dir.resolve("postgres")))) {
            run(database, port, updates, events, rules, gapMs);
        } finally {
            exabgp.destroy();
            if (!exabgp.waitFor(10, TimeUnit.SECONDS)) {
                exabgp.destroyForcibly();
            }
        }
    }

    private static void run(Database database, int port, Path updates, int events, int rules, long gapMs)
            throws Exception {
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RefusedRows refused = new RefusedRows(database.dataSource());
        PostgresMitigationRepository repo = new PostgresMitigationRepository(database.dataSource(), refused);
        AuditLog audit = new PostgresAuditLog(database.dataSource(), refused);
        GuardrailLimits limits = new GuardrailLimits(new TtlBounds(Duration.ofMinutes(1), Duration.ofDays(1)), 24, 48,
                8, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000);
        PolicyLoader loader = new PolicyLoader(limits.ttl());
        Policy policy = new Policy(loader.parseInventory("customers: [{id: bench, prefixes: [10.0.0.0/8]}]\n",
                "inventory.yaml"), loader.parsePlaybooks("""
                playbooks:
                  - name: udp
                    match: {vectors: [udp_flood]}
                    steps: [{action: discard, ttl: 1h}]
                """, "playbooks.yaml"));
        ActiveMitigations active = new ActiveMitigations("bench", repo, clock);
        Guardrails guardrails = new Guardrails(Guardrails.standard(limits, clock, active, List::of, p -> 1_000_000,
                () -> 0), registry, audit, clock);
        MitigationEngine engine = new MitigationEngine(new EngineSettings("bench", false, Duration.ofMinutes(5)),
                () -> policy, repo, active, guardrails, audit, clock, registry, List.of());
        SpeakerSettings bgp = new SpeakerSettings(65000, 0x0A000001, Duration.ofSeconds(90),
                List.of(BgpPeer.parse("127.0.0.1:" + port + "/65002")), 0, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ZERO);
        BgpSpeaker speaker = new BgpSpeaker(bgp);
        engine.addListener(new Reconciler(engine, speaker::announcementSessions, clock, registry));
        speaker.start(null);
        await(Duration.ofSeconds(60), () -> speaker.sessions().get(0).established(), "ExaBGP session");

        // 1. Event to UPDATE, one event at a time, each a new victim.
        Map<String, Double> sentMillis = new HashMap<>();
        long[] handleNanos = new long[events];
        for (int i = 0; i < events; i++) {
            String victim = "10.1." + (i / 250) + "." + (1 + i % 250);
            AttackEvent e = new AttackEvent(UUID.randomUUID().toString(), Instant.now(), "bench",
                    AddressText.parse(victim), AttackVector.UDP_FLOOD, OptionalLong.empty(), OptionalLong.empty(),
                    OptionalDouble.of(1), OptionalInt.empty(), List.of(), EventAction.BAN, null);
            Instant sent = Instant.now();
            long t0 = System.nanoTime();
            engine.handle(e);
            handleNanos[i] = System.nanoTime() - t0;
            sentMillis.put(victim + "/32", sent.getEpochSecond() * 1000.0 + sent.getNano() / 1e6);
            Thread.sleep(gapMs);
        }
        await(Duration.ofSeconds(120), () -> arrivals(updates).keySet().containsAll(sentMillis.keySet()),
                "every event's UPDATE at ExaBGP");
        Map<String, Double> arrived = arrivals(updates);
        double[] latency = sentMillis.entrySet().stream()
                .mapToDouble(en -> arrived.get(en.getKey()) - en.getValue()).sorted().toArray();
        long[] handle = handleNanos.clone();
        Arrays.sort(handle);
        System.out.printf("event->UPDATE at ExaBGP (%d events, one at a time): p50=%.2f ms p99=%.2f ms max=%.2f ms;"
                        + " engine.handle p50=%.2f ms p99=%.2f ms%n", events, q(latency, 0.5), q(latency, 0.99),
                latency[latency.length - 1], handle[events / 2] / 1e6, handle[(int) (events * 0.99)] / 1e6);

        // 2. Reconciliation of many active rules onto a fresh session.
        speaker.stop(true);
        for (int i = 0; i < rules; i++) {
            String victim = "10." + (2 + i / 65536) + "." + ((i / 256) % 256) + "." + (i % 256);
            engine.handle(new AttackEvent(UUID.randomUUID().toString(), Instant.now(), "bench",
                    AddressText.parse(victim), AttackVector.UDP_FLOOD, OptionalLong.empty(), OptionalLong.empty(),
                    OptionalDouble.of(1), OptionalInt.of(17), List.of(53), EventAction.BAN, null));
        }
        Files.writeString(updates, "");
        BgpSpeaker fresh = new BgpSpeaker(bgp);
        Reconciler second = new Reconciler(engine, fresh::announcementSessions, clock, registry);
        fresh.start(null);
        await(Duration.ofSeconds(60), () -> fresh.sessions().get(0).established(), "second ExaBGP session");
        long t0 = System.nanoTime();
        ReconcileReport first = second.reconcile();
        long firstNanos = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        ReconcileReport steady = second.reconcile();
        long steadyNanos = System.nanoTime() - t1;
        System.out.printf("reconcile onto an empty session: %d desired, %d announced in %.0f ms;"
                        + " steady-state pass over %d rules: %d changes in %.0f ms%n", first.desired(),
                first.totalAnnounced(), firstNanos / 1e6, steady.desired(), steady.totalAnnounced()
                        + steady.totalWithdrawn(), steadyNanos / 1e6);
        long wait0 = System.nanoTime();
        int expected = first.desired();
        await(Duration.ofSeconds(300), () -> countAnnounced(updates) >= expected, "ExaBGP to parse every rule");
        System.out.printf("ExaBGP had parsed all %d rules %.0f ms after the pass ended%n", expected,
                (System.nanoTime() - wait0) / 1e6);
        fresh.stop(true);
    }

    private static double q(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    /** Destination prefix to ExaBGP's receive time in epoch milliseconds, for every announced flow. */
    private static Map<String, Double> arrivals(Path updates) {
        Map<String, Double> out = new HashMap<>();
        forEachFlow(updates, (time, flow) -> flow.path("destination-ipv4").forEach(d -> out.putIfAbsent(d.asText(),
                time * 1000)));
        return out;
    }

    private static int countAnnounced(Path updates) {
        int[] n = {0};
        forEachFlow(updates, (time, flow) -> n[0]++);
        return n[0];
    }

    private interface FlowVisitor {
        void visit(double time, JsonNode flow);
    }

    private static void forEachFlow(Path updates, FlowVisitor visitor) {
        try {
            for (String line : Files.readAllLines(updates)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode root = JSON.readTree(line);
                double time = root.path("time").asDouble();
                root.path("neighbor").path("message").path("update").path("announce").forEach(family ->
                        family.forEach(nh -> nh.forEach(flow -> visitor.visit(time, flow))));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Duration timeout, Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static Process startExaBgp(Path dir, int port, Path updates) throws IOException {
        Path receiver = dir.resolve("receiver.sh");
        // The shell keeps ExaBGP's pipe open; ExaBGP takes a closed one for a dead helper.
        Files.writeString(receiver, "#!/bin/sh\ncat >> '" + updates + "'\n");
        Files.setPosixFilePermissions(receiver, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("exabgp.conf"), """
                process receiver {
                    run %s;
                    encoder json;
                }
                neighbor 127.0.0.1 {
                    router-id 10.0.0.3;
                    local-address 127.0.0.1;
                    local-as 65002;
                    peer-as 65000;
                    passive;
                    family { ipv4 flow; ipv6 flow; }
                    api { processes [ receiver ]; receive { parsed; update; } }
                }
                """.formatted(receiver));
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "exabgp.tcp.bind=127.0.0.1",
                "exabgp.tcp.port=" + port, "exabgp.daemon.daemonize=false",
                "exabgp.daemon.user=" + System.getProperty("user.name"), "exabgp.log.destination=stdout",
                "exabgp.api.ack=false", "/usr/sbin/exabgp", dir.resolve("exabgp.conf").toString()));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("exabgp.log").toFile()).start();
    }
}

package net.rampart.rpki.rtr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import net.rampart.rpki.InMemorySnapshotStore;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.testing.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rtrclient (rtrlib, the library FRR uses) syncs the whole set from Rampart's RTR server
 * and then an incremental update; StayRTR serves the same set in the same test, and
 * rtrclient's view of both is the same as Rampart's own.
 */
class RtrInteropIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static List<Vrp> generated(int count, int salt) {
        List<Vrp> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i * 7 + salt;
            if (i % 7 == 0) {
                out.add(new Vrp(new Ipv6Prefix(0x2001_0db8_0000_0000L | (long) n << 16, 0, 48), 48 + i % 3,
                        64_496 + n % 50));
            } else {
                out.add(new Vrp(new Ipv4Prefix(0x0A00_0000 | n << 8, 24), 24 + i % 2, 64_496 + n % 50));
            }
        }
        return out;
    }

    private static String csvKey(Vrp v) {
        return v.prefix().addressText() + ", " + v.prefix().length() + ", " + v.maxLength() + ", " + v.asn();
    }

    private static Set<String> exportViaRtrclient(String rtrclient, int port, Path dir, String name) throws Exception {
        Path csv = dir.resolve(name + ".csv");
        int rc = Daemon.run(List.of(rtrclient, "-e", "-t", "csv", "-o", csv.toString(), "tcp", "127.0.0.1",
                Integer.toString(port)), dir.resolve(name + ".out"), dir.resolve(name + ".err"), TIMEOUT);
        assertThat(rc).as("rtrclient exit code").isZero();
        return Files.readAllLines(csv).stream().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.toSet());
    }

    private static void writeRpkiClientJson(Path file, List<Vrp> vrps) throws IOException {
        StringBuilder sb = new StringBuilder("{\"metadata\": {\"buildtime\": \"2026-01-01T00:00:00Z\"}, \"roas\": [\n");
        for (int i = 0; i < vrps.size(); i++) {
            Vrp v = vrps.get(i);
            sb.append(i == 0 ? "" : ",\n").append("{\"asn\": ").append(v.asn()).append(", \"prefix\": \"")
                    .append(v.prefix()).append("\", \"maxLength\": ").append(v.maxLength())
                    .append(", \"ta\": \"test\"}");
        }
        Files.writeString(file, sb.append("\n]}\n"));
    }

    @Test
    void rtrclientSyncsTheWholeSetThenAnIncrementalUpdate(@TempDir Path dir) throws Exception {
        String rtrclient = Daemon.require("rtrclient").toString();
        String stayrtrProgram = Daemon.require("stayrtr").toString();
        List<Vrp> first = generated(3000, 0);
        SnapshotHistory history = SnapshotHistory.open(new InMemorySnapshotStore(), 10, Clock.systemUTC());
        history.update(RpkiSnapshot.of(VrpSet.of(first), List.of(), List.of()));
        Path json = dir.resolve("vrps.json");
        writeRpkiClientJson(json, first);
        int stayPort = Daemon.freePort();
        try (RtrServer server = new RtrServer(history, RtrTimers.DEFAULT, 2);
                Daemon stayrtr = Daemon.start(List.of(stayrtrProgram, "-bind", "127.0.0.1:" + stayPort,
                        "-cache", json.toString(), "-checktime=false", "-metrics.addr", "127.0.0.1:0",
                        "-refresh", "3600"), dir.resolve("stayrtr.out"), dir.resolve("stayrtr.err"))) {
            int port = server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
            Set<String> expected = history.current().snapshot().vrps().toList().stream().map(RtrInteropIT::csvKey)
                    .collect(Collectors.toSet());

            Set<String> fromRampart = exportViaRtrclient(rtrclient, port, dir, "rampart");
            assertThat(fromRampart).hasSize(history.current().snapshot().vrps().size()).isEqualTo(expected);

            Daemon.await("StayRTR listening", TIMEOUT, () -> stayrtr.isAlive() && canConnect(stayPort));
            Set<String> fromStayrtr = exportViaRtrclient(rtrclient, stayPort, dir, "stayrtr");
            assertThat(fromStayrtr).isEqualTo(fromRampart);

            // A long-running rtrclient prints every prefix it learns: '+' added, '-' removed.
            Path updates = dir.resolve("updates.out");
            try (Daemon watcher = Daemon.start(List.of("stdbuf", "-oL", rtrclient, "-p", "tcp",
                    "127.0.0.1", Integer.toString(port)), updates, dir.resolve("updates.err"))) {
                Daemon.await("initial sync", TIMEOUT, () -> count(updates, "+ ") == first.size());
                List<Vrp> second = new ArrayList<>(first.subList(500, first.size()));
                second.addAll(generated(200, 1));
                history.update(RpkiSnapshot.of(VrpSet.of(second), List.of(), List.of()));
                int withdrawn = history.diff(history.current().serial() - 1, history.current().serial()).orElseThrow()
                        .withdrawnVrps().size();
                int announced = history.diff(history.current().serial() - 1, history.current().serial())
                        .orElseThrow().announcedVrps().size();
                assertThat(withdrawn).isPositive();
                Daemon.await("incremental update", TIMEOUT,
                        () -> count(updates, "- ") == withdrawn && count(updates, "+ ") == first.size() + announced);
                assertThat(watcher.isAlive()).as("rtrclient stayed connected").isTrue();
            }
            assertThat(exportViaRtrclient(rtrclient, port, dir, "after")).hasSize(history.current().snapshot().vrps().size());
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long count(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

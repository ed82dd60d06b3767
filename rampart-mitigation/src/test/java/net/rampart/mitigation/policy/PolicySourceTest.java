package net.rampart.mitigation.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.rampart.config.FileChangeWatcher;
import net.rampart.mitigation.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourceTest {

    private static final PolicyLoader LOADER = new PolicyLoader(new TtlBounds(Duration.ofMinutes(1),
            Duration.ofHours(24)));
    private static final String ONE_PLAYBOOK = """
            playbooks:
              - name: udp
                match: {vectors: [udp_flood]}
                steps: [{action: discard, ttl: 10m}]
            """;

    @Test
    void aBadReloadKeepsTheRunningPolicyAndSaysWhy(@TempDir Path dir) throws Exception {
        Path playbooks = dir.resolve("playbooks.yaml");
        Files.writeString(playbooks, ONE_PLAYBOOK);
        PolicySource source = new PolicySource(LOADER, null, playbooks,
                new MutableClock(java.time.Instant.EPOCH));
        Policy before = source.get();

        Files.writeString(playbooks, ONE_PLAYBOOK.replace("discard, ttl: 10m", "police, ttl: 10m"));
        PolicySource.ReloadResult bad = source.reload("api");
        assertThat(bad.applied()).isFalse();
        assertThat(bad.problems()).containsExactly("playbooks.yaml: playbooks[0].steps[0].rate_bps: police needs a rate");
        assertThat(source.get()).isSameAs(before);

        // A file caught half-written (here: truncated to nothing) is refused, not taken as "no playbooks".
        Files.writeString(playbooks, "");
        assertThat(source.reload("file_change").problems()).containsExactly("playbooks.yaml: the file is empty");
        assertThat(source.get()).isSameAs(before);

        Files.writeString(playbooks, ONE_PLAYBOOK + """
                  - name: syn
                    match: {vectors: [syn_flood]}
                    steps: [{action: discard, ttl: 10m}]
                """);
        PolicySource.ReloadResult good = source.reload("sighup");
        assertThat(good.applied()).isTrue();
        assertThat(good.playbooks()).isEqualTo(2);
        assertThat(source.get().playbook("syn")).isPresent();
        assertThat(source.lastReload()).isEqualTo(good);
    }

    @Test
    void aReplacedFileIsReloadedByTheWatcher(@TempDir Path dir) throws Exception {
        Path playbooks = dir.resolve("playbooks.yaml");
        Files.writeString(playbooks, ONE_PLAYBOOK);
        PolicySource source = new PolicySource(LOADER, null, playbooks, new MutableClock(java.time.Instant.EPOCH));
        List<PolicySource.ReloadResult> reloads = new CopyOnWriteArrayList<>();
        try (FileChangeWatcher ignored = new FileChangeWatcher(source.files(), "policy-file-watcher",
                () -> reloads.add(source.reload("file_change")))) {
            Path staged = dir.resolve("playbooks.yaml.new");
            Files.writeString(staged, ONE_PLAYBOOK.replace("name: udp", "name: udp-v2"));
            Files.move(staged, playbooks, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // The result is recorded after the policy is swapped: wait for the record, not only the swap.
            while (reloads.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(source.get().playbook("udp-v2")).isPresent();
        assertThat(reloads).isNotEmpty().allMatch(PolicySource.ReloadResult::applied);
    }
}

package net.rampart.collector.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchSpoolTest {
    @TempDir
    Path dir;

    private static byte[] payload(int i) {
        return ("record-" + i).getBytes();
    }

    private static List<String> drain(BatchSpool spool, int maxEvents) throws IOException {
        List<String> out = new ArrayList<>();
        BatchSpool.Chunk chunk;
        while ((chunk = spool.read(maxEvents)) != null) {
            for (byte[] p : chunk.payloads()) {
                out.add(new String(p));
            }
            spool.commit(chunk);
        }
        return out;
    }

    @Test
    void theSpoolIsReadableByItsOwnerOnly() throws Exception {
        Path lane = Files.createDirectory(dir.resolve("lane-0"));
        // As an older version left it.
        Files.setPosixFilePermissions(lane, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (BatchSpool spool = BatchSpool.open(lane, 1 << 20, 1 << 16)) {
            spool.append(payload(1), 1, 1);
            spool.prepend(List.of(payload(0)), List.of(1), 1);
        }
        assertThat(Files.getPosixFilePermissions(lane)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        List<Path> files;
        try (Stream<Path> listing = Files.list(lane)) {
            files = listing.toList();
        }
        // The appended segment, the prepended one and the consumed offsets.
        assertThat(files).hasSize(3);
        for (Path file : files) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.getFileName().toString())
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void recordsComeBackInOrderAcrossSegmentsAndSegmentsAreFreed() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1024)) {
            for (int i = 0; i < 200; i++) {
                assertThat(spool.append(payload(i), 3, 1000 + i)).isTrue();
            }
            assertThat(segmentFiles()).hasSizeGreaterThan(2);
            List<String> read = drain(spool, 10);
            assertThat(read).hasSize(200).startsWith("record-0", "record-1").endsWith("record-199");
            assertThat(spool.isEmpty()).isTrue();
            assertThat(spool.bytes()).isZero();
        }
        assertThat(segmentFiles()).isEmpty();
    }

    @Test
    void readsCanBeCommittedPartlyAndResumeAfterRestart() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            for (int i = 0; i < 10; i++) {
                spool.append(payload(i), 1, 1);
            }
            BatchSpool.Chunk first = spool.read(4);
            assertThat(first.payloads()).hasSize(4);
            spool.commit(first);
            BatchSpool.Chunk uncommitted = spool.read(4);
            assertThat(uncommitted.payloads()).hasSize(4);
        }
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            assertThat(drain(spool, 100)).containsExactly("record-4", "record-5", "record-6", "record-7",
                    "record-8", "record-9");
        }
    }

    @Test
    void aTornTailRecordIsCutOffOnRecovery() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            spool.append(payload(0), 1, 1);
            spool.append(payload(1), 1, 1);
        }
        Path segment = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(segment);
        // A crash in the middle of writing a third record: its header promises more than is there.
        Files.write(segment, java.util.Arrays.copyOf(bytes, bytes.length - 3), StandardOpenOption.TRUNCATE_EXISTING);
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            assertThat(drain(spool, 100)).containsExactly("record-0");
            spool.append(payload(2), 1, 1);
            assertThat(drain(spool, 100)).containsExactly("record-2");
        }
    }

    @Test
    void theBudgetBoundsUnwrittenBytes() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 4096, 1024)) {
            int accepted = 0;
            while (spool.append(new byte[100], 1, 1)) {
                accepted++;
                assertThat(accepted).isLessThan(100);
            }
            assertThat(spool.bytes()).isLessThanOrEqualTo(4096);
            BatchSpool.Chunk chunk = spool.read(5);
            spool.commit(chunk);
            assertThat(spool.append(new byte[100], 1, 1)).isTrue();
        }
    }

    @Test
    void prependedRecordsComeFirst() throws Exception {
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            spool.append(payload(10), 1, 1);
            spool.append(payload(11), 1, 1);
            spool.commit(spool.read(1));
            spool.prepend(List.of(payload(1), payload(2)), List.of(1, 1), 1);
        }
        try (BatchSpool spool = BatchSpool.open(dir, 1 << 20, 1 << 16)) {
            assertThat(drain(spool, 100)).containsExactly("record-1", "record-2", "record-11");
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".spool")).sorted().toList();
        }
    }
}

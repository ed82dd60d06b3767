package net.rampart.collector.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded first-in first-out queue of batches on disk, for when what consumes them (the
 * database, the Kafka brokers) cannot keep up. Records go into numbered segment files; a
 * segment is deleted once every record in it was consumed. How far each segment has been
 * consumed is kept in a small side file, so a restart resumes where the last one stopped. A
 * chunk read and not committed is read again.
 *
 * <p>Record layout: length (4), CRC32C of the rest (4), accepted-at epoch ms (8), event count
 * (4), payload. A record cut short by a crash fails its length or CRC and ends its segment.
 */
public final class BatchSpool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchSpool.class);
    private static final int HEADER = 20;
    private static final String SUFFIX = ".spool";
    private static final String OFFSETS = "consumed.offsets";

    /** Records read from the spool but not yet committed. */
    public record Chunk(List<byte[]> payloads, int events, long oldestAcceptedMillis, long segment, long endOffset) {
    }

    private final Path directory;
    private final long budgetBytes;
    private final long segmentBytes;
    /** Segment number to its size in bytes, oldest first. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    /** Segment number to how many of its bytes are consumed; absent means none. */
    private final Map<Long, Long> consumed = new HashMap<>();
    private FileChannel tail;
    private long tailSegment;
    private long unreadBytes;

    private BatchSpool(Path directory, long budgetBytes, long segmentBytes) {
        this.directory = directory;
        this.budgetBytes = budgetBytes;
        this.segmentBytes = segmentBytes;
    }

    public static BatchSpool open(Path directory, long budgetBytes, long segmentBytes) throws IOException {
        OwnerOnlyFiles.directory(directory);
        BatchSpool spool = new BatchSpool(directory, budgetBytes, segmentBytes);
        spool.recover();
        return spool;
    }

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    long seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                    segments.put(seq, validLength(f));
                }
            }
        }
        Path offsets = directory.resolve(OFFSETS);
        if (Files.exists(offsets)) {
            for (String line : Files.readAllLines(offsets, StandardCharsets.US_ASCII)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && segments.containsKey(Long.parseLong(parts[0]))) {
                    consumed.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            }
        }
        for (Map.Entry<Long, Long> s : segments.entrySet()) {
            unreadBytes += s.getValue() - consumed.getOrDefault(s.getKey(), 0L);
        }
        tailSegment = segments.isEmpty() ? 0 : segments.lastKey();
        if (!segments.isEmpty()) {
            log.atInfo().addKeyValue("event", "spool_recovered").addKeyValue("segments", segments.size())
                    .addKeyValue("bytes", unreadBytes).log("route history spool holds unwritten events");
        }
    }

    /** The length of the segment's intact records; a torn tail record is cut off. */
    private long validLength(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= size) {
                header.clear();
                ch.read(header, pos);
                int length = header.getInt(0);
                if (length < HEADER || pos + length > size || !crcMatches(ch, pos, length, header.getInt(4))) {
                    break;
                }
                pos += length;
            }
            if (pos < size) {
                log.atWarn().addKeyValue("event", "spool_truncated").addKeyValue("segment", file.getFileName())
                        .addKeyValue("bytes_dropped", size - pos).log("cut an incomplete record off a spool segment");
                ch.truncate(pos);
            }
            return pos;
        }
    }

    private static boolean crcMatches(FileChannel ch, long pos, int length, int expected) throws IOException {
        ByteBuffer body = ByteBuffer.allocate(length - 8);
        ch.read(body, pos + 8);
        CRC32C crc = new CRC32C();
        crc.update(body.flip());
        return (int) crc.getValue() == expected;
    }

    private static ByteBuffer record(byte[] payload, int events, long acceptedMillis) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(HEADER + payload.length).putInt(0).putLong(acceptedMillis).putInt(events).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, b.capacity() - 8);
        b.putInt(4, (int) crc.getValue());
        return b.flip();
    }

    /** Appends a batch at the end; false when that would exceed the disk budget. */
    public synchronized boolean append(byte[] payload, int events, long acceptedMillis) throws IOException {
        if (unreadBytes + HEADER + payload.length > budgetBytes) {
            return false;
        }
        if (tail == null || segments.getOrDefault(tailSegment, 0L) >= segmentBytes) {
            openTail(segments.isEmpty() ? tailSegment : segments.lastKey() + 1);
        }
        ByteBuffer r = record(payload, events, acceptedMillis);
        int length = r.remaining();
        while (r.hasRemaining()) {
            tail.write(r);
        }
        segments.merge(tailSegment, (long) length, Long::sum);
        unreadBytes += length;
        return true;
    }

    private void openTail(long seq) throws IOException {
        if (tail != null) {
            tail.close();
        }
        tailSegment = seq;
        tail = OwnerOnlyFiles.open(segmentPath(seq), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        segments.putIfAbsent(seq, tail.size());
    }

    /**
     * Puts batches ahead of everything spooled, in the given order: used at shutdown for
     * events that were accepted before the spooled ones but are still in memory. Ignores the
     * budget, since refusing would lose them.
     */
    public synchronized void prepend(List<byte[]> payloads, List<Integer> eventCounts, long acceptedMillis)
            throws IOException {
        if (payloads.isEmpty()) {
            return;
        }
        long seq = segments.isEmpty() ? tailSegment - 1 : segments.firstKey() - 1;
        Path tmp = directory.resolve(seq + SUFFIX + ".tmp");
        long size = 0;
        try (FileChannel ch = OwnerOnlyFiles.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < payloads.size(); i++) {
                ByteBuffer r = record(payloads.get(i), eventCounts.get(i), acceptedMillis);
                size += r.remaining();
                while (r.hasRemaining()) {
                    ch.write(r);
                }
            }
            ch.force(true);
        }
        Files.move(tmp, segmentPath(seq), StandardCopyOption.ATOMIC_MOVE);
        segments.put(seq, size);
        unreadBytes += size;
    }

    /** Reads records from the front, at least one, until {@code maxEvents} would be passed; null when empty. */
    public synchronized Chunk read(int maxEvents) throws IOException {
        while (!segments.isEmpty()) {
            long seq = segments.firstKey();
            long size = segments.get(seq);
            long offset = consumed.getOrDefault(seq, 0L);
            if (offset >= size) {
                if (seq == tailSegment && tail != null) {
                    return null; // the tail is read out; keep it for appends
                }
                dropSegment(seq);
                continue;
            }
            List<byte[]> payloads = new ArrayList<>();
            int events = 0;
            long oldest = Long.MAX_VALUE;
            try (FileChannel ch = FileChannel.open(segmentPath(seq), StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (offset < size) {
                    header.clear();
                    ch.read(header, offset);
                    int length = header.getInt(0);
                    int count = header.getInt(16);
                    if (!payloads.isEmpty() && events + count > maxEvents) {
                        break;
                    }
                    ByteBuffer payload = ByteBuffer.allocate(length - HEADER);
                    while (payload.hasRemaining()) {
                        if (ch.read(payload, offset + HEADER + payload.position()) < 0) {
                            throw new IOException("spool segment " + seq + " ends inside a record");
                        }
                    }
                    payloads.add(payload.array());
                    events += count;
                    oldest = Math.min(oldest, header.getLong(8));
                    offset += length;
                }
            }
            return new Chunk(payloads, events, oldest, seq, offset);
        }
        return null;
    }

    /** Marks a chunk from {@link #read} as consumed; frees segments that are wholly written. */
    public synchronized void commit(Chunk chunk) throws IOException {
        long before = consumed.getOrDefault(chunk.segment(), 0L);
        consumed.put(chunk.segment(), chunk.endOffset());
        unreadBytes -= chunk.endOffset() - before;
        Long size = segments.get(chunk.segment());
        if (size != null && chunk.endOffset() >= size && !(chunk.segment() == tailSegment && tail != null)) {
            dropSegment(chunk.segment());
        }
        saveOffsets();
    }

    private void dropSegment(long seq) throws IOException {
        segments.remove(seq);
        consumed.remove(seq);
        Files.deleteIfExists(segmentPath(seq));
    }

    private void saveOffsets() throws IOException {
        StringBuilder sb = new StringBuilder();
        consumed.forEach((seq, off) -> sb.append(seq).append(' ').append(off).append('\n'));
        Path tmp = directory.resolve(OFFSETS + ".tmp");
        OwnerOnlyFiles.writeAscii(tmp, sb);
        Files.move(tmp, directory.resolve(OFFSETS), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** True when every spooled record has been consumed. */
    public synchronized boolean isEmpty() {
        return unreadBytes == 0;
    }

    /** Bytes of records not yet consumed. */
    public synchronized long bytes() {
        return unreadBytes;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    private Path segmentPath(long seq) {
        return directory.resolve(seq + SUFFIX);
    }

    @Override
    public synchronized void close() throws IOException {
        if (tail != null) {
            tail.force(false);
            tail.close();
            tail = null;
        }
        // A wholly written tail is no longer needed.
        for (Long seq : new ArrayList<>(segments.keySet())) {
            if (consumed.getOrDefault(seq, 0L) >= segments.get(seq)) {
                dropSegment(seq);
            }
        }
        saveOffsets();
    }
}

package net.rampart.bench.rib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import net.rampart.collector.history.HistoryRecorder;
import net.rampart.collector.history.HistorySettings;
import net.rampart.collector.history.OwnerOnlyFiles;
import net.rampart.collector.history.RouteHistoryWriter;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteEventListener;

/**
 * Several {@link HistoryRecorder}s side by side, each with its own writer (its own database
 * connection) and spool, so the database works on more than one batch at a time. A route
 * always goes to the same lane — chosen by a hash of router, peer, view, family and route
 * key that is the same in every run — so the events of one route stay in order, including
 * events left in a lane's spool across a restart. The lane count is recorded in the spool
 * directory and cannot change while a spool still holds events.
 *
 * <p>A load-test experiment ({@code RibLoad --database --lanes N}, see docs/benchmarks.md),
 * not part of the service, which records history through one {@link HistoryRecorder}.
 */
public final class HistoryLanes implements RouteEventListener, AutoCloseable {
    private static final String LANES_FILE = "lanes";

    private final HistoryRecorder[] lanes;

    private HistoryLanes(HistoryRecorder[] lanes) {
        this.lanes = lanes;
    }

    /**
     * Starts {@code count} lanes, lane i spooling under {@code spoolDirectory/lane-i}.
     *
     * @param writers a fresh writer for each lane (writers are used by one thread each)
     * @throws IllegalStateException when the spool holds events written with another lane count
     */
    public static HistoryLanes start(int count, IntFunction<RouteHistoryWriter> writers, HistorySettings settings,
                                     Consumer<String> askResend) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one lane");
        }
        Path root = settings.spoolDirectory();
        OwnerOnlyFiles.directory(root);
        Path lanesFile = root.resolve(LANES_FILE);
        if (Files.exists(lanesFile)) {
            int previous = Integer.parseInt(Files.readString(lanesFile, StandardCharsets.US_ASCII).trim());
            if (previous != count && holdsSpooledEvents(root)) {
                throw new IllegalStateException("the route history spool in " + root + " was written with "
                        + previous + " lanes and still holds events; start with " + previous
                        + " lanes until it is drained");
            }
        }
        OwnerOnlyFiles.writeAscii(lanesFile, Integer.toString(count));
        HistoryRecorder[] lanes = new HistoryRecorder[count];
        try {
            for (int i = 0; i < count; i++) {
                lanes[i] = HistoryRecorder.start(writers.apply(i),
                        settings.withSpoolDirectory(root.resolve("lane-" + i)), askResend);
            }
        } catch (IOException | RuntimeException e) {
            for (HistoryRecorder r : lanes) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
        return new HistoryLanes(lanes);
    }

    private static boolean holdsSpooledEvents(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".spool") && f.toFile().length() > 0);
        }
    }

    /** The lane of an event's route; stable across runs (no identity hash codes). */
    static int laneOf(RouteEvent e, int count) {
        int h = e.router().name().hashCode();
        h = h * 31 + e.peer().address().hashCode();
        h = h * 31 + Long.hashCode(e.peer().distinguisher());
        h = h * 31 + e.peer().type().code();
        h = h * 31 + e.view().ordinal();
        h = h * 31 + e.family().hashCode();
        h = h * 31 + e.key().hashCode();
        h ^= h >>> 16;
        return Math.floorMod(h * 0x9E3779B9, count);
    }

    @Override
    public void onRouteEvents(List<RouteEvent> events) {
        if (lanes.length == 1) {
            lanes[0].onRouteEvents(events);
            return;
        }
        List<List<RouteEvent>> parts = new ArrayList<>(lanes.length);
        for (int i = 0; i < lanes.length; i++) {
            parts.add(new ArrayList<>(events.size() / lanes.length + 8));
        }
        for (RouteEvent e : events) {
            parts.get(laneOf(e, lanes.length)).add(e);
        }
        for (int i = 0; i < lanes.length; i++) {
            if (!parts.get(i).isEmpty()) {
                lanes[i].onRouteEvents(parts.get(i));
            }
        }
    }

    /** Stops every lane gracefully; see {@link HistoryRecorder#close()}. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (HistoryRecorder lane : lanes) {
            try {
                lane.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Age of the oldest event not yet stored, over all lanes. */
    public long lagMillis() {
        return stat(HistoryRecorder::lagMillis, true);
    }

    public long spoolBytes() {
        return stat(HistoryRecorder::spoolBytes, false);
    }

    public long queuedEvents() {
        return stat(HistoryRecorder::queuedEvents, false);
    }

    public long acceptedEvents() {
        return stat(HistoryRecorder::acceptedEvents, false);
    }

    public long writtenEvents() {
        return stat(HistoryRecorder::writtenEvents, false);
    }

    public long spooledEvents() {
        return stat(HistoryRecorder::spooledEvents, false);
    }

    public long rejectedEvents() {
        return stat(HistoryRecorder::rejectedEvents, false);
    }

    public long droppedEvents() {
        return stat(HistoryRecorder::droppedEvents, false);
    }

    /** True when every lane's last write succeeded. */
    public boolean storeAvailable() {
        for (HistoryRecorder lane : lanes) {
            if (!lane.storeAvailable()) {
                return false;
            }
        }
        return true;
    }

    private long stat(ToLongFunction<HistoryRecorder> f, boolean max) {
        long v = 0;
        for (HistoryRecorder lane : lanes) {
            long x = f.applyAsLong(lane);
            v = max ? Math.max(v, x) : v + x;
        }
        return v;
    }
}

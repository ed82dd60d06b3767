package net.rampart.store.route;

import net.rampart.collector.inventory.PeerRecord;
import net.rampart.collector.inventory.RouterRecord;
import net.rampart.collector.inventory.SessionEvents;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.RouterId;
import net.rampart.store.RefusedRows;
import net.rampart.store.WriteProgress;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bmp.Statistic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Routers, peers, peer up/down events and statistics in PostgreSQL. Writes happen in order on
 * one thread of their own, so a router's event loop never waits for the database. A write that
 * fails is retried with backoff (the database may be restarting), holding up the ones behind it
 * so that they stay in order; a write PostgreSQL refuses for its content (a NUL in a router's
 * sysName) is set aside by {@link RefusedRows} and the next one goes on. When the queue is full
 * new writes are dropped and counted: these rows describe sessions, the routes themselves go
 * through route history and its spool.
 */
public final class PostgresSessionEvents implements SessionEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresSessionEvents.class);
    private static final int QUEUE_CAPACITY = 100_000;
    private static final String WRITER = "sessions";
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private interface Sql {
        void run(Connection c) throws SQLException;
    }

    /**
     * One write; its text is what {@code refused_row} keeps when PostgreSQL refuses it, made only
     * then, so that the router's event loop does not pay for it.
     */
    private record Write(String table, Supplier<String> row, Sql sql) {
        @Override
        public String toString() {
            return table + ": " + row.get();
        }
    }

    private final DataSource dataSource;
    private final TimePartitions partitions;
    private final RefusedRows refused;
    private final PeerDirectory directory = new PeerDirectory();
    private final ThreadPoolExecutor writer;
    private final AtomicLong dropped = new AtomicLong();
    private final WriteProgress progress = new WriteProgress();

    public PostgresSessionEvents(DataSource dataSource, TimePartitions partitions, RefusedRows refused) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.refused = refused;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE_CAPACITY),
                Thread.ofPlatform().name("session-events-writer").factory(), (task, pool) -> dropped.incrementAndGet());
    }

    @Override
    public void routerChanged(RouterRecord router) {
        submit("router", router::toString, c -> {
            int id = directory.routerId(c, new RouterId(router.id()));
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE router SET address = ?::inet, sys_name = ?, sys_descr = ?, last_seen = ?, active = ?,
                           termination_reason = ?
                    WHERE id = ?""")) {
                s.setString(1, router.address());
                s.setString(2, router.sysName());
                s.setString(3, router.sysDescr());
                s.setTimestamp(4, Timestamp.from(router.lastSeen()));
                s.setBoolean(5, router.connected());
                s.setString(6, router.terminationReason());
                s.setInt(7, id);
                s.executeUpdate();
            }
        });
    }

    @Override
    public void peerChanged(PeerKey key, PeerRecord peer) {
        submit("peer", () -> key + " " + peer, c -> {
            int id = directory.peerId(c, new RouterId(peer.router()), key);
            try (PreparedStatement s = c.prepareStatement("""
                    UPDATE peer SET asn = ?, bgp_id = ?::inet, local_address = ?::inet, local_port = ?, remote_port = ?,
                           local_asn = ?, local_bgp_id = ?::inet, hold_time = ?, capabilities = ?::jsonb,
                           table_name = ?, last_seen = ?, active = ?
                    WHERE id = ?""")) {
                s.setLong(1, peer.asn());
                s.setString(2, peer.bgpId());
                s.setString(3, peer.localAddress());
                s.setInt(4, peer.localPort());
                s.setInt(5, peer.remotePort());
                s.setLong(6, peer.localAsn());
                s.setString(7, peer.localBgpId());
                s.setInt(8, peer.holdTime());
                s.setString(9, peer.capabilities().stream().map(PostgresSessionEvents::jsonString)
                        .collect(Collectors.joining(",", "[", "]")));
                s.setString(10, peer.tableName());
                s.setTimestamp(11, Timestamp.from(peer.lastSeen()));
                s.setBoolean(12, peer.up());
                s.setInt(13, id);
                s.executeUpdate();
            }
        });
    }

    @Override
    public void peerSession(PeerKey key, PeerRecord peer, Instant time, boolean up, int reason,
                            NotificationMessage notification) {
        submit("peer_event", () -> key + " of " + peer.router() + " " + (up ? "up" : "down") + " at " + time
                + " reason " + reason + " notification " + notification, c -> {
            int id = directory.peerId(c, new RouterId(peer.router()), key);
            partitions.ensureCovered(c, "peer_event", new long[] {time.toEpochMilli()}, 1);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO peer_event (time, peer_id, event, reason, notification_code, notification_subcode,
                                            notification_data)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                s.setTimestamp(1, Timestamp.from(time));
                s.setInt(2, id);
                s.setString(3, up ? "up" : "down");
                if (reason < 0) {
                    s.setNull(4, Types.SMALLINT);
                } else {
                    s.setShort(4, (short) reason);
                }
                if (notification == null) {
                    s.setNull(5, Types.SMALLINT);
                    s.setNull(6, Types.SMALLINT);
                    s.setNull(7, Types.BINARY);
                } else {
                    s.setShort(5, (short) notification.code());
                    s.setShort(6, (short) notification.subcode());
                    s.setBytes(7, notification.data());
                }
                s.executeUpdate();
            }
        });
    }

    @Override
    public void statistics(String router, PeerKey key, Instant time, List<Statistic> statistics) {
        submit("peer_statistic", () -> key + " of " + router + " at " + time + " " + statistics, c -> {
            int id = directory.peerId(c, new RouterId(router), key);
            partitions.ensureCovered(c, "peer_statistic", new long[] {time.toEpochMilli()}, 1);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO peer_statistic (time, peer_id, stat_type, afi, safi, value) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Statistic statistic : statistics) {
                    if (statistic.raw() != null) {
                        continue;
                    }
                    s.setTimestamp(1, Timestamp.from(time));
                    s.setInt(2, id);
                    s.setInt(3, statistic.type());
                    if (statistic.afi() < 0) {
                        s.setNull(4, Types.SMALLINT);
                        s.setNull(5, Types.SMALLINT);
                    } else {
                        s.setShort(4, (short) statistic.afi());
                        s.setShort(5, (short) statistic.safi());
                    }
                    s.setLong(6, statistic.value());
                    s.addBatch();
                }
                s.executeBatch();
            }
        });
    }

    private void submit(String table, Supplier<String> row, Sql sql) {
        Write write = new Write(table, row, sql);
        writer.execute(() -> writeUntilDone(write));
    }

    /**
     * Retries {@code write} with backoff until it is stored or set aside, or the writer is stopped.
     * Only database failures are retried: a runtime exception is a fault in this code that a
     * retry would only repeat, so it ends the write.
     */
    private void writeUntilDone(Write write) {
        long backoffMillis = 100;
        while (true) {
            try {
                refused.write(WRITER, List.of(write), this::writeOnce);
                if (progress.succeeded()) {
                    log.atInfo().addKeyValue("event", "session_event_write_recovered")
                            .log("session events stored again");
                }
                return;
            } catch (SQLException e) {
                progress.failed(log, e).addKeyValue("event", "session_event_write_failed").addKeyValue("table", write.table())
                        .addKeyValue("queued", writer.getQueue().size()).addKeyValue("retry_in_ms", backoffMillis)
                        .log("session event not stored; retrying");
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                // close() gave up waiting: this write and the queued ones are abandoned, as it logs.
                Thread.currentThread().interrupt();
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        }
    }

    /** In auto-commit, as {@link PeerDirectory} requires; {@link #writeUntilDone} hands over one write at a time. */
    private void writeOnce(List<Write> writes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (Write w : writes) {
                w.sql().run(c);
            }
        }
    }

    /**
     * See {@link WriteProgress#makingProgress}: while it is false, session events only queue. A
     * refused row is no failure.
     */
    public boolean makingProgress() {
        return progress.makingProgress();
    }

    /** Events dropped because the queue was full (the database fell far behind). */
    public long droppedEvents() {
        return dropped.get();
    }

    /** Writes what is queued, waiting up to {@code drain}. */
    public void close(Duration drain) throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
            log.atWarn().addKeyValue("event", "session_events_abandoned").addKeyValue("queued", writer.getQueue().size())
                    .log("session events still queued at stop were not stored");
            writer.shutdownNow();
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(10));
    }

    private static String jsonString(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}

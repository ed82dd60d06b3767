package net.rampart.store.mitigation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.store.RefusedRows;
import net.rampart.store.WriteProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mitigation audit log in the {@code mitigation_audit} table, with its schema version per row.
 *
 * <p>Entries are written in batches by one writer thread, so an event does not pay for its own
 * audit transaction; the JSON Lines copy is written synchronously beside it. When the queue is
 * full the caller writes its entry itself, so no entry is ever dropped; reads ({@link #recent})
 * first wait for everything recorded before them.
 */
public final class PostgresAuditLog implements AuditLog, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger log = LoggerFactory.getLogger(PostgresAuditLog.class);
    private static final int QUEUE = 100_000;
    private static final int BATCH = 1000;

    private static final String WRITER = "audit";
    private static final String COLUMNS = "time, pop, actor, action, mitigation_id, event_id, details::text";

    private final DataSource dataSource;
    private final RefusedRows refused;
    private final LinkedBlockingQueue<AuditEntry> queue = new LinkedBlockingQueue<>(QUEUE);
    /** Recorded and not yet committed, queued or in the batch being written. */
    private final AtomicLong unwritten = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private final WriteProgress progress = new WriteProgress();

    public PostgresAuditLog(DataSource dataSource, RefusedRows refused) {
        this.dataSource = dataSource;
        this.refused = refused;
        this.writer = Thread.ofPlatform().daemon().name("mitigation-audit-writer").start(this::writeLoop);
    }

    @Override
    public void record(AuditEntry e) {
        if (closed) {
            write(List.of(e));
            return;
        }
        unwritten.incrementAndGet();
        if (!queue.offer(e)) {
            unwritten.decrementAndGet();
            write(List.of(e));
        }
    }

    private void writeLoop() {
        List<AuditEntry> batch = new ArrayList<>(BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                writeUntilDone(batch);
                unwritten.addAndGet(-batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Retries a failed batch (the database may be restarting) rather than lose it; an entry the
     * database refuses for its content is set aside, never retried.
     */
    private void writeUntilDone(List<AuditEntry> batch) throws InterruptedException {
        while (true) {
            try {
                write(batch);
                if (progress.succeeded()) {
                    log.atInfo().addKeyValue("event", "audit_write_recovered").log("Audit entries stored again");
                }
                return;
            } catch (MitigationStoreException e) {
                progress.failed(log, e).addKeyValue("event", "audit_write_failed").addKeyValue("entries", batch.size())
                        .log("Audit batch not written; retrying");
                Thread.sleep(1000);
            }
        }
    }

    /** See {@link WriteProgress#makingProgress}. */
    public boolean makingProgress() {
        return progress.makingProgress();
    }

    private void write(List<AuditEntry> entries) {
        try {
            refused.write(WRITER, entries, this::writeOnce);
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot write the audit log", e);
        }
    }

    private void writeOnce(List<AuditEntry> entries) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            AsynchronousCommit.enable(c);
            for (AuditEntry e : entries) {
                insert(c, e);
            }
            c.commit();
        }
    }

    /** Waits until every entry recorded so far is in the table (bounded: 30 s). */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (unwritten.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO mitigation_audit (schema_version, time, pop, "
                     + "actor, action, mitigation_id, event_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            s.setInt(1, AuditEntry.SCHEMA_VERSION);
            s.setTimestamp(2, Timestamp.from(e.time()));
            s.setString(3, e.pop());
            s.setString(4, e.actor());
            s.setString(5, e.action());
            s.setObject(6, e.mitigationId() == null ? null : UUID.fromString(e.mitigationId()));
            s.setString(7, e.eventId());
            s.setString(8, details(e));
            s.executeUpdate();
        }
    }

    private static String details(AuditEntry e) {
        try {
            return JSON.writeValueAsString(e.details());
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("audit details are a map of strings and always serialise", ex);
        }
    }

    /**
     * Entries newest first.
     *
     * @param mitigationId only this mitigation's, or null for all
     */
    public List<AuditEntry> recent(String mitigationId, int limit) {
        flush();
        String sql = "SELECT " + COLUMNS + " FROM mitigation_audit"
                + (mitigationId == null ? "" : " WHERE mitigation_id = ?") + " ORDER BY id DESC LIMIT ?";
        List<AuditEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (mitigationId != null) {
                s.setObject(i++, UUID.fromString(mitigationId));
            }
            s.setInt(i, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new MitigationStoreException("cannot read the audit log", ex);
        }
        return entries;
    }

    /**
     * Which entries a read of the whole log keeps; a null part keeps every entry.
     *
     * @param actor  text the actor contains, in any case: an operator's name, {@code token:noc}, a detector
     * @param action one action, such as {@code mitigation_withdrawn}
     * @param since  entries from this time on
     */
    public record AuditFilter(String actor, String action, Instant since) {
    }

    /** An entry with the id the table orders the log by, which pages it. */
    public record StoredAuditEntry(long id, AuditEntry entry) {
    }

    /**
     * The entries {@code filter} keeps, newest first, after the one with id {@code afterId} (null:
     * from the newest), at most {@code limit}.
     */
    public List<StoredAuditEntry> page(AuditFilter filter, Long afterId, int limit) {
        flush();
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        if (afterId != null) {
            where += (where.isEmpty() ? " WHERE" : " AND") + " id < ?";
            args.add(afterId);
        }
        args.add(limit);
        List<StoredAuditEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + ", id FROM mitigation_audit" + where + " ORDER BY id DESC LIMIT ?")) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new StoredAuditEntry(rs.getLong(8), entry(rs)));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new MitigationStoreException("cannot read the audit log", ex);
        }
        return entries;
    }

    /** How many entries {@code filter} keeps. */
    public long count(AuditFilter filter) {
        flush();
        List<Object> args = new ArrayList<>();
        String where = where(filter, args);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM mitigation_audit" + where)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException ex) {
            throw new MitigationStoreException("cannot count the audit log", ex);
        }
    }

    private static String where(AuditFilter filter, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        if (filter.actor() != null) {
            // strpos, not LIKE: an actor's text may hold % or _, which are not patterns here.
            conditions.add("strpos(lower(actor), lower(?)) > 0");
            args.add(filter.actor());
        }
        if (filter.action() != null) {
            conditions.add("action = ?");
            args.add(filter.action());
        }
        if (filter.since() != null) {
            conditions.add("time >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException, com.fasterxml.jackson.core.JsonProcessingException {
        @SuppressWarnings("unchecked")
        Map<String, String> details = JSON.readValue(rs.getString(7), LinkedHashMap.class);
        Object mid = rs.getObject(5);
        return new AuditEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                rs.getString(4), mid == null ? null : mid.toString(), rs.getString(6), details);
    }
}

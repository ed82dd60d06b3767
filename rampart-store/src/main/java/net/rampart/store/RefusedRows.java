package net.rampart.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows a writer's database refused for what they hold: a NUL in a text column, a value out of
 * range, a broken constraint. Retrying cannot store them, and they must not hold up the rows
 * behind them. A writer hands each batch to {@link #write}: when PostgreSQL refuses it for its
 * content, the batch is written in halves until every refused row is alone; those rows are kept
 * in {@code refused_row} with the reason, counted per writer, and the first of each writer is
 * logged; every other row is written. A failure that is not about the content (the database
 * down or restarting) is thrown on, for the writer to retry with backoff.
 */
public final class RefusedRows {

    private static final Logger log = LoggerFactory.getLogger(RefusedRows.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ROW_TEXT = 16 * 1024;

    private final DataSource dataSource;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public RefusedRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes one batch of rows in one transaction of its own; called again on parts of the batch. */
    @FunctionalInterface
    public interface BatchWrite<T> {
        void write(List<T> rows) throws SQLException;
    }

    /**
     * Writes {@code rows} through {@code batch}, setting aside the rows the database refuses for
     * their content as described above. The order of the rows written is kept.
     *
     * @throws SQLException when the database fails for another reason; nothing is set aside then
     */
    public <T> void write(String writer, List<T> rows, BatchWrite<T> batch) throws SQLException {
        try {
            batch.write(rows);
        } catch (SQLException | RuntimeException e) {
            SQLException refusal = contentRefusal(e);
            if (refusal == null) {
                throw e;
            }
            if (rows.size() == 1) {
                keep(writer, rows.get(0), refusal);
                return;
            }
            int half = rows.size() / 2;
            write(writer, rows.subList(0, half), batch);
            write(writer, rows.subList(half, rows.size()), batch);
        }
    }

    /**
     * The SQL error in {@code e}'s causes when it refuses the data itself: SQL state class 22
     * (data exception, e.g. 22021 invalid byte sequence) or 23 (integrity constraint violation).
     * Anything else, connection failures among them, may heal and is not a refusal.
     */
    static SQLException contentRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return sql;
            }
        }
        return null;
    }

    /** Rows refused so far, by writer. */
    public long refused(String writer) {
        AtomicLong n = counts.get(writer);
        return n == null ? 0 : n.get();
    }

    private void keep(String writer, Object row, SQLException refusal) {
        long n = counts.computeIfAbsent(writer, w -> new AtomicLong()).incrementAndGet();
        String text = escaped(row);
        var line = n == 1 ? log.atError() : log.atDebug();
        line.addKeyValue("event", "store_row_refused").addKeyValue("writer", writer)
                .addKeyValue("sql_state", refusal.getSQLState()).addKeyValue("reason", refusal.getMessage())
                .addKeyValue("row", text)
                .log("the database refused a row for its content; kept in refused_row, the rest written"
                        + (n == 1 ? " (further refusals of this writer are counted, logged at DEBUG)" : ""));
        store(writer, text, refusal);
    }

    /**
     * Keeps in {@code refused_row} a row that a writer isolated itself: route history splits its
     * batches in the collector, which retries and spools them and cannot see this class, and so
     * also counts and logs its own refusals. Only a failure to keep the row is logged here.
     */
    public void keepIsolated(String writer, Object row, SQLException refusal) {
        store(writer, escaped(row), refusal);
    }

    private void store(String writer, String text, SQLException refusal) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "INSERT INTO refused_row (writer, sql_state, reason, row_text) VALUES (?, ?, ?, ?)")) {
            s.setString(1, writer);
            s.setString(2, refusal.getSQLState());
            s.setString(3, escaped(refusal.getMessage()));
            s.setString(4, text);
            s.executeUpdate();
        } catch (SQLException e) {
            log.atError().addKeyValue("event", "store_row_refused_unkept").addKeyValue("writer", writer)
                    .addKeyValue("row", text).addKeyValue("error", e.getMessage())
                    .log("a refused row could not be kept in refused_row; it is in this line only");
        }
    }

    /**
     * The row's text as a JSON string body: every control character escaped, so that the text
     * itself can be stored and logged whatever the row held. Bounded in length.
     */
    static String escaped(Object row) {
        String text = String.valueOf(row);
        if (text.length() > MAX_ROW_TEXT) {
            text = text.substring(0, MAX_ROW_TEXT) + "…";
        }
        try {
            String quoted = JSON.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }
}

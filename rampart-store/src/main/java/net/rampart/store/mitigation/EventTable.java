package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.wire.ip.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL on the {@code mitigation_event} table: the insert of a write batch, which keeps the
 * first of two events with one id, and the latest ids, which a starting engine remembers.
 */
final class EventTable {

    private static final String INSERT = """
            INSERT INTO mitigation_event (event_id, event_time, source, pop, victim, vector, action, bps, pps,
                confidence, protocol, top_dst_ports, mitigation_ids, raw_details)
            VALUES (?, ?, ?, ?, ?::inet, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (event_id) DO NOTHING
            """;

    // The repository's logger: its warning stays under the name it has always been logged with.
    private static final Logger log = LoggerFactory.getLogger(PostgresMitigationRepository.class);

    private final DataSource dataSource;

    EventTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the writes' events, in the writer's transaction on {@code c}. */
    void insert(Connection c, List<MitigationWriter.Write> events) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (MitigationWriter.Write w : events) {
                bind(c, s, w.event(), w.pop(), w.changed());
                s.addBatch();
            }
            int[] inserted = s.executeBatch();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i] == 0) {
                    log.atWarn().addKeyValue("event", "mitigation_event_duplicate")
                            .addKeyValue("event_id", events.get(i).event().eventId())
                            .log("An event id older than the engine remembers was received again; the first"
                                    + " event is kept");
                }
            }
        }
    }

    private static void bind(Connection c, PreparedStatement s, AttackEvent event, String pop,
                             List<Mitigation> changed) throws SQLException {
        s.setString(1, event.eventId());
        s.setTimestamp(2, Timestamp.from(event.timestamp()));
        s.setString(3, event.source());
        s.setString(4, pop);
        s.setString(5, AddressText.of(event.victimIp()));
        s.setString(6, event.vector().wireName());
        s.setString(7, event.action().name().toLowerCase(Locale.ROOT));
        SqlParameters.setLong(s, 8, event.bps().isPresent() ? event.bps().getAsLong() : null);
        SqlParameters.setLong(s, 9, event.pps().isPresent() ? event.pps().getAsLong() : null);
        SqlParameters.setDouble(s, 10, event.confidence());
        SqlParameters.setShort(s, 11, event.protocol());
        s.setArray(12, c.createArrayOf("integer", event.topDstPorts().toArray()));
        s.setArray(13, c.createArrayOf("uuid", changed.stream().map(m -> UUID.fromString(m.id())).toArray()));
        s.setString(14, event.rawDetails());
    }

    /** The ids of the latest events received, newest first, at most {@code limit}. */
    List<String> recentIds(int limit) {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT event_id FROM mitigation_event ORDER BY received_at DESC LIMIT ?")) {
            s.setInt(1, limit);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read recent event ids", e);
        }
        return ids;
    }

    private static final String EVENT_COLUMNS = "event_id, received_at, event_time, source, pop, host(victim), vector, "
            + "action, bps, pps, confidence, protocol, top_dst_ports, mitigation_ids";

    /**
     * The events {@code filter} keeps, newest received first, after the event {@code afterId} (null:
     * from the newest), at most {@code limit}; empty when no event has the id {@code afterId}.
     */
    Optional<List<ReceivedEvent>> page(EventFilter filter, String afterId, int limit) {
        List<Object> args = new ArrayList<>();
        List<String> conditions = conditions(filter, args);
        try (Connection c = dataSource.getConnection()) {
            if (afterId != null) {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT received_at FROM mitigation_event WHERE event_id = ?")) {
                    s.setString(1, afterId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        // Events received in one instant are ordered by id, so the key is both.
                        conditions.add("(received_at, event_id) < (?, ?)");
                        args.add(rs.getTimestamp(1));
                        args.add(afterId);
                    }
                }
            }
            args.add(limit);
            List<ReceivedEvent> events = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM mitigation_event"
                    + where(conditions) + " ORDER BY received_at DESC, event_id DESC LIMIT ?")) {
                bind(s, args);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events.add(event(rs));
                    }
                }
            }
            return Optional.of(events);
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read events", e);
        }
    }

    /** How many events {@code filter} keeps. */
    long count(EventFilter filter) {
        List<Object> args = new ArrayList<>();
        String where = where(conditions(filter, args));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM mitigation_event" + where)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot count events", e);
        }
    }

    private static List<String> conditions(EventFilter filter, List<Object> args) {
        List<String> conditions = new ArrayList<>();
        if (filter.victim() != null) {
            conditions.add("victim = ?::inet");
            args.add(AddressText.of(filter.victim()));
        }
        if (filter.source() != null) {
            conditions.add("source = ?");
            args.add(filter.source());
        }
        if (filter.since() != null) {
            conditions.add("received_at >= ?");
            args.add(Timestamp.from(filter.since()));
        }
        return conditions;
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static void bind(PreparedStatement s, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setObject(i + 1, args.get(i));
        }
    }

    private static ReceivedEvent event(ResultSet rs) throws SQLException {
        List<Integer> ports = new ArrayList<>();
        for (Object port : (Object[]) rs.getArray(13).getArray()) {
            ports.add(((Number) port).intValue());
        }
        List<String> mitigations = new ArrayList<>();
        for (Object id : (Object[]) rs.getArray(14).getArray()) {
            mitigations.add(id.toString());
        }
        return new ReceivedEvent(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                (Long) rs.getObject(9), (Long) rs.getObject(10), (Double) rs.getObject(11),
                rs.getObject(12) == null ? null : rs.getInt(12), ports, mitigations);
    }
}

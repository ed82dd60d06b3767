package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
}

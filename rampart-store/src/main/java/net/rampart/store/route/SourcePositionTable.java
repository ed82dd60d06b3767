package net.rampart.store.route;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.rampart.collector.history.SourcePosition;

/**
 * The {@code source_position} table: where each re-readable source of route events had been read
 * when route history held everything before. {@link PostgresRouteHistory} stores positions in
 * the transaction of the rows they follow; a source reads them back to resume.
 */
public final class SourcePositionTable {

    private final DataSource dataSource;

    public SourcePositionTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the positions on {@code c}, in its transaction. */
    static void store(Connection c, List<SourcePosition> positions) throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("""
                INSERT INTO source_position (source, part, next_offset, next_stored) VALUES (?, ?, ?, ?)
                ON CONFLICT (source, part) DO UPDATE
                SET next_offset = EXCLUDED.next_offset, next_stored = EXCLUDED.next_stored, updated_at = now()""")) {
            for (SourcePosition position : positions) {
                upsert.setString(1, position.source());
                upsert.setInt(2, position.partition());
                upsert.setLong(3, position.next());
                upsert.setLong(4, position.stored());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** The positions stored for {@code source}, by partition. */
    public Map<Integer, SourcePosition> read(String source) throws SQLException {
        Map<Integer, SourcePosition> positions = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "SELECT part, next_offset, next_stored FROM source_position WHERE source = ?")) {
            select.setString(1, source);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    positions.put(rows.getInt(1), new SourcePosition(source, rows.getInt(1), rows.getLong(2),
                            rows.getLong(3)));
                }
            }
        }
        return positions;
    }
}

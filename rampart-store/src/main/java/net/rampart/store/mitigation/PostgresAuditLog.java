package net.rampart.store.mitigation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;

/** The mitigation audit log in the {@code mitigation_audit} table, with its schema version per row. */
public final class PostgresAuditLog implements AuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public PostgresAuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(AuditEntry e) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // The JSON Lines copy is flushed synchronously; this one may trail it by a moment.
            PostgresMitigationRepository.relaxCommit(c);
            insert(c, e);
            c.commit();
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new MitigationStoreException("cannot write the audit log", ex);
        }
    }

    private static void insert(Connection c, AuditEntry e) throws SQLException,
            com.fasterxml.jackson.core.JsonProcessingException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO mitigation_audit (schema_version, time, pop, "
                     + "actor, action, mitigation_id, event_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            s.setInt(1, AuditEntry.SCHEMA_VERSION);
            s.setTimestamp(2, Timestamp.from(e.time()));
            s.setString(3, e.pop());
            s.setString(4, e.actor());
            s.setString(5, e.action());
            s.setObject(6, e.mitigationId() == null ? null : UUID.fromString(e.mitigationId()));
            s.setString(7, e.eventId());
            s.setString(8, JSON.writeValueAsString(e.details()));
            s.executeUpdate();
        }
    }

    /**
     * Entries newest first.
     *
     * @param mitigationId only this mitigation's, or null for all
     */
    public List<AuditEntry> recent(String mitigationId, int limit) {
        String sql = "SELECT time, pop, actor, action, mitigation_id, event_id, details::text FROM mitigation_audit"
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
                    @SuppressWarnings("unchecked")
                    Map<String, String> details = JSON.readValue(rs.getString(7), LinkedHashMap.class);
                    Object mid = rs.getObject(5);
                    entries.add(new AuditEntry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), mid == null ? null : mid.toString(), rs.getString(6), details));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new MitigationStoreException("cannot read the audit log", ex);
        }
        return entries;
    }
}

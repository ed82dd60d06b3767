package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import net.rampart.mitigation.lifecycle.ActiveElsewhere;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.store.mitigation.PostgresMitigationRepository.PopSummary;

/**
 * The SQL on the {@code mitigation} table: the upsert of a write batch and the reads. Every POP
 * sharing the database sees every row; queries filter by POP where the caller asks.
 */
final class MitigationTable {

    private final DataSource dataSource;

    MitigationTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores each mitigation's state, in the writer's transaction on {@code c}. */
    void upsert(Connection c, List<Mitigation> latest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(MitigationRow.UPSERT)) {
            for (Mitigation m : latest) {
                MitigationRow.bind(c, s, m);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    Optional<Mitigation> find(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Mitigation> rows = query("SELECT " + MitigationRow.COLUMNS + " FROM mitigation WHERE id = ?", uuid);
        return rows.stream().findFirst();
    }

    List<Mitigation> active(String pop) {
        return pop == null
                ? query("SELECT " + MitigationRow.COLUMNS + " FROM mitigation WHERE status = 'active'")
                : query("SELECT " + MitigationRow.COLUMNS + " FROM mitigation WHERE status = 'active' AND pop = ?",
                        pop);
    }

    List<Mitigation> list(String pop, MitigationStatus status, String before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + MitigationRow.COLUMNS + " FROM mitigation WHERE true");
        List<Object> args = new ArrayList<>();
        filters(sql, args, pop, status);
        if (before != null) {
            UUID cursor;
            try {
                cursor = UUID.fromString(before);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            sql.append(" AND (created_at, id) < (SELECT created_at, id FROM mitigation WHERE id = ?)");
            args.add(cursor);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args.toArray());
    }

    int count(String pop, MitigationStatus status) {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM mitigation WHERE true");
        List<Object> args = new ArrayList<>();
        filters(sql, args, pop, status);
        return countQuery(sql.toString(), args.toArray());
    }

    private static void filters(StringBuilder sql, List<Object> args, String pop, MitigationStatus status) {
        if (pop != null) {
            sql.append(" AND pop = ?");
            args.add(pop);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name().toLowerCase(Locale.ROOT));
        }
    }

    int activeCount(String pop) {
        return countQuery("SELECT count(*) FROM mitigation WHERE status = 'active' AND pop = ?", pop);
    }

    ActiveElsewhere activeElsewhere(String pop) {
        int total = 0;
        Map<String, Integer> byCustomer = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT customer_id, count(*) FROM mitigation"
                     + " WHERE status = 'active' AND pop <> ? GROUP BY customer_id")) {
            s.setString(1, pop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    total += rs.getInt(2);
                    if (rs.getString(1) != null) {
                        byCustomer.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot count other POPs' mitigations", e);
        }
        return new ActiveElsewhere(total, byCustomer);
    }

    List<PopSummary> pops() {
        List<PopSummary> pops = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pop, count(*) FILTER (WHERE status = 'active'), "
                     + "count(*), max(updated_at) FROM mitigation GROUP BY pop ORDER BY pop");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                pops.add(new PopSummary(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant()));
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read POPs", e);
        }
        return pops;
    }

    private List<Mitigation> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            SqlParameters.bind(s, args);
            List<Mitigation> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(MitigationRow.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read mitigations", e);
        }
    }

    private int countQuery(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            SqlParameters.bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot count mitigations", e);
        }
    }
}

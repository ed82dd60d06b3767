package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.wire.ip.IpPrefix;

/**
 * The SQL on the {@code mitigation_safelist} table: the prefixes the API puts out of mitigation's
 * reach. A change is one statement of its own, not queued behind the writer.
 */
final class SafelistTable {

    private final DataSource dataSource;

    SafelistTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<SafelistEntry> entries() {
        List<SafelistEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT prefix::text, reason, origin FROM mitigation_safelist ORDER BY prefix");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                entries.add(new SafelistEntry(IpPrefix.parse(rs.getString(1)), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read the safelist", e);
        }
        return entries;
    }

    /** Adds the entry, or replaces the reason and origin of the one with its prefix. */
    void add(SafelistEntry entry) {
        update("INSERT INTO mitigation_safelist (prefix, reason, origin) VALUES (?::cidr, ?, ?) ON CONFLICT (prefix)"
                + " DO UPDATE SET reason = EXCLUDED.reason, origin = EXCLUDED.origin, added_at = now()",
                entry.prefix().toString(), entry.reason(), entry.origin());
    }

    /** False when no entry had the prefix. */
    boolean remove(IpPrefix prefix) {
        return update("DELETE FROM mitigation_safelist WHERE prefix = ?::cidr", prefix.toString()) > 0;
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            SqlParameters.bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot update the safelist", e);
        }
    }
}

package net.rampart.store.auth;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code api_token} table: API tokens by the SHA-256 hash of their secret, never the secret itself. */
public final class PostgresApiTokens {

    /** A token as stored; {@code revokedAt} is null while it is active. */
    public record StoredToken(String id, String name, String scope, Instant createdAt, String createdBy,
                              Instant lastUsedAt, Instant revokedAt, String revokedBy) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    private static final String COLUMNS =
            "id, name, scope, created_at, created_by, last_used_at, revoked_at, revoked_by";

    private final DataSource dataSource;

    public PostgresApiTokens(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(String id, String name, String scope, byte[] hash, String createdBy) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "INSERT INTO api_token (id, name, scope, token_hash, created_by) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, name);
            statement.setString(3, scope);
            statement.setBytes(4, hash);
            statement.setString(5, createdBy);
            statement.executeUpdate();
        }
    }

    /** The active token whose secret hashes to {@code hash}. */
    public Optional<StoredToken> findActive(byte[] hash) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM api_token WHERE token_hash = ? AND revoked_at IS NULL")) {
            statement.setBytes(1, hash);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
        }
    }

    /** Every token, revoked ones included, oldest first. */
    public List<StoredToken> list() throws SQLException {
        try (var connection = dataSource.getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT " + COLUMNS + " FROM api_token ORDER BY created_at, id")) {
            List<StoredToken> tokens = new ArrayList<>();
            while (rows.next()) {
                tokens.add(token(rows));
            }
            return tokens;
        }
    }

    /** Revokes an active token; false when there is no active token with that id. */
    public boolean revoke(String id, String revokedBy) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "UPDATE api_token SET revoked_at = now(), revoked_by = ? WHERE id = ? AND revoked_at IS NULL")) {
            statement.setString(1, revokedBy);
            statement.setString(2, id);
            return statement.executeUpdate() == 1;
        }
    }

    public void markUsed(String id, Instant when) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE id = ?")) {
            statement.setTimestamp(1, Timestamp.from(when));
            statement.setString(2, id);
            statement.executeUpdate();
        }
    }

    public boolean hasActive(String scope) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "SELECT EXISTS (SELECT 1 FROM api_token WHERE scope = ? AND revoked_at IS NULL)")) {
            statement.setString(1, scope);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static StoredToken token(ResultSet rows) throws SQLException {
        return new StoredToken(rows.getString(1), rows.getString(2), rows.getString(3), instant(rows, 4),
                rows.getString(5), instant(rows, 6), instant(rows, 7), rows.getString(8));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp t = rows.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

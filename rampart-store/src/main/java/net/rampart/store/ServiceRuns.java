package net.rampart.store;

import javax.sql.DataSource;
import java.sql.SQLException;

/** The {@code service_run} table: a row per start of the service, closed on a clean stop. */
public final class ServiceRuns {

    private final DataSource dataSource;

    public ServiceRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a start and returns its id. */
    public long begin(String version, String host) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement(
                     "INSERT INTO service_run (version, host) VALUES (?, ?) RETURNING id")) {
            statement.setString(1, version);
            statement.setString(2, host);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Marks the run as stopped cleanly. */
    public void end(long id) throws SQLException {
        try (var connection = dataSource.getConnection();
             var statement = connection.prepareStatement("UPDATE service_run SET stopped_at = now() WHERE id = ?")) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    /** How many starts the database has seen. */
    public long count() throws SQLException {
        try (var connection = dataSource.getConnection();
             var rows = connection.createStatement().executeQuery("SELECT count(*) FROM service_run")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

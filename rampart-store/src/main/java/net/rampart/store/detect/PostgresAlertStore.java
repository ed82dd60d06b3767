package net.rampart.store.detect;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertStore;
import net.rampart.detect.alert.Alerts;
import net.rampart.detect.alert.InMemoryAlertStore;
import net.rampart.store.RefusedRows;

/**
 * Alerts in PostgreSQL (table {@code alert}, {@code V400__detect_alerts.sql}), surviving
 * restarts. Every alert is loaded at start into memory, which answers every read, and each
 * change is written behind by an {@link AlertWriter}: the detector calls {@link #put} under the
 * lock of {@link Alerts} and must never wait for the database.
 *
 * <p>Loaded active alerts are active again with their ids and keys, so a condition the detector
 * finds again after a restart adds evidence to its alert rather than opening a new one. New ids
 * follow the highest stored. The {@link DataSource} stays its owner's: {@link #close} stops the
 * writer only.
 */
public final class PostgresAlertStore implements AlertStore, AutoCloseable {

    private final InMemoryAlertStore memory;
    private final AlertWriter writer;

    /**
     * Loads the stored alerts.
     *
     * @throws SQLException when they cannot be read
     */
    public PostgresAlertStore(DataSource dataSource, RefusedRows refused) throws SQLException {
        AlertTable table = new AlertTable(dataSource);
        this.memory = new InMemoryAlertStore(table.all());
        this.writer = new AlertWriter(dataSource, refused, table);
    }

    @Override
    public long nextId() {
        return memory.nextId();
    }

    @Override
    public void put(Alert alert) {
        writer.submit(alert);
        memory.put(alert);
    }

    @Override
    public Optional<Alert> byId(long id) {
        return memory.byId(id);
    }

    @Override
    public Optional<Alert> active(String key) {
        return memory.active(key);
    }

    @Override
    public List<Alert> all() {
        return memory.all();
    }

    /** Waits until every change put before this call is stored; false when {@code timeout} passed first. */
    public boolean flush(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    /** False once writes have been failing for a while: changes are then in memory only. */
    public boolean makingProgress() {
        return writer.makingProgress();
    }

    /** Stores what is queued (at most 30 s), then stops writing. */
    @Override
    public void close() {
        writer.close();
    }
}

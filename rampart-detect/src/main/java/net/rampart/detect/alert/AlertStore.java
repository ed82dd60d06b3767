package net.rampart.detect.alert;

import java.util.List;
import java.util.Optional;

/**
 * Where alerts are kept: in memory ({@link InMemoryAlertStore}), or in PostgreSQL by the store
 * module. Only {@link Alerts} writes, one change at a time, under its lock and on the detector's
 * thread among others: {@link #put} must not wait for a database.
 */
public interface AlertStore {

    /** A new alert id, never handed out before. */
    long nextId();

    /** Adds the alert or replaces the one with its id. */
    void put(Alert alert);

    Optional<Alert> byId(long id);

    /** The alert with this key that is not resolved yet, if any: at most one per key. */
    Optional<Alert> active(String key);

    /** Every alert, oldest first. */
    List<Alert> all();
}

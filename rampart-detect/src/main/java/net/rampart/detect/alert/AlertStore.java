package net.rampart.detect.alert;

import java.util.List;
import java.util.Optional;

/**
 * Where alerts are kept. In memory in this slice ({@link InMemoryAlertStore}); the store module
 * will persist them behind the same interface. Only {@link Alerts} writes, one change at a time.
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

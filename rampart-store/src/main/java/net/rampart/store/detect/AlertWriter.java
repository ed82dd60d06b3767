package net.rampart.store.detect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.Alerts;
import net.rampart.store.RefusedRows;
import net.rampart.store.WriteProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alert changes behind {@link Alerts}, on one thread, so that
 * the detector never waits for the database. What waits is each changed alert's latest state,
 * not every change: an alert is stored whole, so a burst of sightings of one alert costs one row
 * write, and the queue can grow no larger than the alerts held in memory anyway. Nothing is
 * dropped; a failed write is retried with backoff (the database may be restarting), and an alert
 * the database refuses for its content is set aside ({@link RefusedRows}) so that it never holds
 * up the others.
 *
 * <p>Alerts are written in the order of their last change: an alert resolved before another of
 * the same key opened is stored resolved first, as the one-active-alert-per-key index wants.
 */
final class AlertWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertWriter.class);
    private static final String WRITER = "alert";
    /** Alerts per transaction: bounds a transaction after a replay changed thousands at once. */
    private static final int BATCH = 1000;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final RefusedRows refused;
    private final AlertTable table;
    private final WriteProgress progress = new WriteProgress();
    private final Object lock = new Object();
    /** Guarded by lock: the latest state of each alert changed since the last write began, in order of last change. */
    private LinkedHashMap<Long, Alert> pending = new LinkedHashMap<>();
    /** Guarded by lock: changes submitted, and how many of them are stored (or set aside as refused). */
    private long submitted;
    private long written;
    private boolean closed;
    private final Thread thread;

    AlertWriter(DataSource dataSource, RefusedRows refused, AlertTable table) {
        this.dataSource = dataSource;
        this.refused = refused;
        this.table = table;
        this.thread = Thread.ofPlatform().daemon().name("alert-writer").start(this::run);
    }

    /** Queues the alert's new state; returns at once. */
    void submit(Alert alert) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the alert store is closed");
            }
            // Moved to the end: the order of last changes is the order of writes.
            pending.remove(alert.id());
            pending.put(alert.id(), alert);
            submitted++;
            lock.notifyAll();
        }
    }

    /** Waits until every change submitted before this call is written; false when {@code timeout} passed first. */
    boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = submitted;
            while (written < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /** See {@link WriteProgress#makingProgress}: while it is false, alert changes are only in memory. */
    boolean makingProgress() {
        return progress.makingProgress();
    }

    private void run() {
        try {
            while (true) {
                List<Alert> alerts;
                long upTo;
                synchronized (lock) {
                    while (pending.isEmpty() && !closed) {
                        lock.wait();
                    }
                    if (pending.isEmpty()) {
                        return;
                    }
                    alerts = List.copyOf(pending.values());
                    pending = new LinkedHashMap<>();
                    upTo = submitted;
                }
                for (int from = 0; from < alerts.size(); from += BATCH) {
                    writeUntilDone(alerts.subList(from, Math.min(from + BATCH, alerts.size())));
                }
                synchronized (lock) {
                    written = upTo;
                    lock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUntilDone(List<Alert> alerts) throws InterruptedException {
        long backoffMillis = 100;
        while (true) {
            try {
                refused.write(WRITER, alerts, this::writeOnce);
                if (progress.succeeded()) {
                    log.atInfo().addKeyValue("event", "alert_write_recovered").log("Alert changes stored again");
                }
                return;
            } catch (SQLException | RuntimeException e) {
                progress.failed(log, e).addKeyValue("event", "alert_write_failed").addKeyValue("alerts", alerts.size())
                        .addKeyValue("retry_in_ms", backoffMillis).log("Alert changes not stored; retrying");
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
        }
    }

    private void writeOnce(List<Alert> alerts) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                table.upsert(c, alerts);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Writes what is queued (at most 30 s), then stops. A writer still retrying then is stopped
     * too: the database is about to close, and the alerts it holds are logged as lost.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            long unwritten;
            synchronized (lock) {
                unwritten = submitted - written;
            }
            log.atError().addKeyValue("event", "alert_writes_lost").addKeyValue("changes", unwritten)
                    .log("Alert changes still unwritten at shutdown were not stored");
        }
    }
}

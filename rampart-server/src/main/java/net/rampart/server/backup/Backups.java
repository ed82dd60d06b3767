package net.rampart.server.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.rampart.server.Component;
import net.rampart.server.config.BackupConfig;
import net.rampart.store.backup.BackupException;
import net.rampart.store.backup.DatabaseBackups;
import net.rampart.store.backup.PgTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's backups: taken on request ({@code POST /api/v1/backups}) and, with
 * {@code RAMPART_BACKUP_SCHEDULE}, by themselves; after each one only the newest
 * {@code RAMPART_BACKUP_KEEP} stay. The schedule counts from the newest backup in the directory,
 * so a restart neither skips one nor takes an extra one; one overdue at start is taken at once.
 */
public final class Backups implements Component {

    private static final Logger log = LoggerFactory.getLogger(Backups.class);

    private final DatabaseBackups store;
    private final BackupConfig config;
    private final Clock clock;
    private final Counter created;
    private final Counter failed;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong lastBytes = new AtomicLong();
    private ScheduledExecutorService scheduler;

    public Backups(DatabaseBackups store, BackupConfig config, MeterRegistry metrics, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.created = Counter.builder("rampart_backups_total").tag("outcome", "created")
                .description("Database backups taken, on request or on schedule").register(metrics);
        this.failed = Counter.builder("rampart_backups_total").tag("outcome", "failed")
                .description("Database backups taken, on request or on schedule").register(metrics);
        Gauge.builder("rampart_backup_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
                .description("When the newest backup in the directory was taken (Unix seconds); 0 while there is none")
                .register(metrics);
        Gauge.builder("rampart_backup_last_bytes", lastBytes, AtomicLong::get)
                .description("The size of the newest backup in the directory").register(metrics);
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public void start() throws IOException {
        Optional<DatabaseBackups.Backup> newest = store.list().stream().findFirst();
        newest.ifPresent(this::noteNewest);
        if (config.schedule().isEmpty()) {
            return;
        }
        Duration every = config.schedule().get();
        Duration first = firstDelay(newest.map(DatabaseBackups.Backup::createdAt), clock.instant(), every);
        scheduler = Component.scheduler("backup");
        scheduler.scheduleWithFixedDelay(this::scheduled, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("event", "backup_scheduled").addKeyValue("every", every.toString())
                .addKeyValue("first_in_s", first.toSeconds()).addKeyValue("directory", store.directory().toString())
                .log("backups are taken on schedule");
    }

    /** How long until the next backup is due: {@code every} after the newest, at once when that is past or none exists. */
    static Duration firstDelay(Optional<Instant> newest, Instant now, Duration every) {
        if (newest.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, newest.get().plus(every));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void scheduled() {
        try {
            take();
        } catch (BackupException e) {
            // Logged in take(); the next one is tried on schedule.
        } catch (RuntimeException e) {
            log.atError().addKeyValue("event", "backup_failed").setCause(e).log("the scheduled backup failed");
        }
    }

    /** Takes a backup now, then deletes all but the newest {@code RAMPART_BACKUP_KEEP}. */
    public DatabaseBackups.Backup take() throws BackupException {
        DatabaseBackups.Backup backup;
        try {
            backup = store.create(PgTools.locate(config.pgBin(), BackupConfig.PG_BIN));
        } catch (BackupException e) {
            failed.increment();
            log.atError().addKeyValue("event", "backup_failed").addKeyValue("directory", store.directory().toString())
                    .log("database backup failed: {}", e.getMessage());
            throw e;
        }
        created.increment();
        noteNewest(backup);
        try {
            store.prune(config.keep());
        } catch (IOException e) {
            log.atWarn().addKeyValue("event", "backup_prune_failed").addKeyValue("keep", config.keep())
                    .log("old backups could not be deleted: {}", e.getMessage());
        }
        return backup;
    }

    private void noteNewest(DatabaseBackups.Backup backup) {
        lastSuccess.set(backup.createdAt().getEpochSecond());
        lastBytes.set(backup.bytes());
    }

    public List<DatabaseBackups.Backup> list() throws IOException {
        return store.list();
    }

    public DatabaseBackups store() {
        return store;
    }

    @Override
    public void stop(Duration drain) throws InterruptedException {
        if (scheduler != null) {
            // A dump under way is stopped; its unfinished file is deleted, and no backup is lost.
            scheduler.shutdownNow();
            scheduler.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isReady() {
        return true;
    }
}

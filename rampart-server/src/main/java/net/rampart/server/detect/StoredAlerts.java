package net.rampart.server.detect;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import net.rampart.server.Component;
import net.rampart.store.RefusedRows;
import net.rampart.store.detect.PostgresAlertStore;

/**
 * The alerts in PostgreSQL, as a component: added before {@link Detection}, it stops after it,
 * so the changes of the detector's last moments are written before the database closes. Not
 * ready while alert changes are failing to reach the database (they are then in memory only).
 */
public final class StoredAlerts implements Component {

    private static final String WRITER = "alert";

    private final PostgresAlertStore store;

    /** Loads the stored alerts. */
    public StoredAlerts(DataSource dataSource, MeterRegistry metrics) throws SQLException {
        RefusedRows refused = new RefusedRows(dataSource);
        this.store = new PostgresAlertStore(dataSource, refused);
        FunctionCounter.builder("rampart.store.rows.refused", refused, r -> r.refused(WRITER)).tag("writer", WRITER)
                .description("Rows the database refused for their content, kept in refused_row").register(metrics);
    }

    public PostgresAlertStore store() {
        return store;
    }

    @Override
    public String name() {
        return "alert_store";
    }

    @Override
    public void start() {
        // Loaded when made, so that the detector starts from the stored alerts; the writer runs from then on.
    }

    /** Writes what is queued (at most 30 s), then stops writing. */
    @Override
    public void stop(Duration drain) {
        store.close();
    }

    @Override
    public boolean isReady() {
        return store.makingProgress();
    }
}

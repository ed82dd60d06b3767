package net.rampart.server.mitigation;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.store.RefusedRows;
import net.rampart.store.mitigation.PostgresAuditLog;
import net.rampart.store.mitigation.PostgresMitigationRepository;
import net.rampart.store.mitigation.EventFilter;
import net.rampart.store.mitigation.PostgresAuditLog.AuditFilter;
import net.rampart.store.mitigation.PostgresAuditLog.StoredAuditEntry;
import net.rampart.store.mitigation.PostgresMitigationRepository.PopSummary;
import net.rampart.store.mitigation.ReceivedEvent;

/** The service's mitigation store: PostgreSQL, shared by every POP, written behind by batching writers. */
public final class PostgresMitigationStore implements MitigationStore {

    private final PostgresMitigationRepository repository;
    private final PostgresAuditLog audit;

    public PostgresMitigationStore(DataSource dataSource, MeterRegistry metrics) {
        this(dataSource, metrics, PostgresMitigationRepository.WRITE_QUEUE);
    }

    /** With {@code writeQueue} mitigation writes waiting for the database before events are refused (503). */
    public PostgresMitigationStore(DataSource dataSource, MeterRegistry metrics, int writeQueue) {
        RefusedRows refused = new RefusedRows(dataSource);
        this.repository = new PostgresMitigationRepository(dataSource, refused, writeQueue);
        this.audit = new PostgresAuditLog(dataSource, refused);
        for (String writer : List.of("mitigation", "audit")) {
            FunctionCounter.builder("rampart.store.rows.refused", refused, r -> r.refused(writer)).tag("writer", writer)
                    .description("Rows the database refused for their content, kept in refused_row").register(metrics);
        }
    }

    @Override
    public MitigationRepository repository() {
        return repository;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public List<AuditEntry> auditTrail(String mitigationId, int limit) {
        return audit.recent(mitigationId, limit);
    }

    @Override
    public List<StoredAuditEntry> auditLog(AuditFilter filter, Long afterId, int limit) {
        return audit.page(filter, afterId, limit);
    }

    @Override
    public long auditCount(AuditFilter filter) {
        return audit.count(filter);
    }

    @Override
    public Optional<List<ReceivedEvent>> events(EventFilter filter, String afterId, int limit) {
        return repository.events(filter, afterId, limit);
    }

    @Override
    public long eventCount(EventFilter filter) {
        return repository.countEvents(filter);
    }

    @Override
    public List<PopSummary> pops() {
        return repository.pops();
    }

    @Override
    public boolean makingProgress() {
        return repository.makingProgress() && audit.makingProgress();
    }

    @Override
    public int unwritten() {
        return repository.unwritten();
    }

    @Override
    public void close() {
        audit.close();
        repository.close();
    }
}

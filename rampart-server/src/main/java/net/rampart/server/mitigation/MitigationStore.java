package net.rampart.server.mitigation;

import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.audit.AuditEntry;
import net.rampart.mitigation.audit.AuditLog;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.store.mitigation.EventFilter;
import net.rampart.store.mitigation.PostgresAuditLog.AuditFilter;
import net.rampart.store.mitigation.PostgresAuditLog.StoredAuditEntry;
import net.rampart.store.mitigation.PostgresMitigationRepository.PopSummary;
import net.rampart.store.mitigation.ReceivedEvent;

/**
 * Where the mitigation service keeps what it decides: mitigations, events and the API's safelist
 * entries, the audit trail, and the reads only the API makes (the POPs, the audit log, the
 * received events). The service keeps them in PostgreSQL, shared by every POP
 * ({@link PostgresMitigationStore}); the handler tests keep them in memory, so the routes run
 * without a database.
 */
public interface MitigationStore extends AutoCloseable {

    /** Mitigations, events and the API's safelist entries. */
    MitigationRepository repository();

    /** Where audit entries go, besides the JSON Lines file. */
    AuditLog audit();

    /** One mitigation's audit entries, newest first, at most {@code limit}; they include every one recorded before. */
    List<AuditEntry> auditTrail(String mitigationId, int limit);

    /** The whole audit log as {@code filter} keeps it, newest first, after the entry {@code afterId} (null: from the newest); it includes every entry recorded before. */
    List<StoredAuditEntry> auditLog(AuditFilter filter, Long afterId, int limit);

    /** How many audit entries {@code filter} keeps. */
    long auditCount(AuditFilter filter);

    /** Received events as {@code filter} keeps them, newest first, at most {@code limit}; empty when no event has the id {@code afterId}. */
    Optional<List<ReceivedEvent>> events(EventFilter filter, String afterId, int limit);

    /** How many received events {@code filter} keeps. */
    long eventCount(EventFilter filter);

    /** The POPs that have written mitigations, by name, with how many of each are active. */
    List<PopSummary> pops();

    /** False while writes keep failing: a store that refuses every write shows in readiness. */
    boolean makingProgress();

    /** Events and mitigation changes decided and not yet written. */
    int unwritten();

    /** Writes what is queued, then stops writing. */
    @Override
    void close();
}

package net.rampart.mitigation.audit;

/** Where audit entries go. Implementations must not lose an entry they accepted without saying so in the log. */
public interface AuditLog {

    void record(AuditEntry entry);

    static AuditLog of(AuditLog... logs) {
        return entry -> {
            for (AuditLog log : logs) {
                log.record(entry);
            }
        };
    }
}

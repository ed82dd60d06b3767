package net.rampart.mitigation.reconcile;

import java.util.Collection;
import java.util.Set;
import net.rampart.mitigation.rule.FlowSpecRule;

/**
 * One BGP session that carries FlowSpec rules to a router; the BGP speaker implements it.
 * Implementations are thread-safe: the reconciler and the immediate push both call them.
 */
public interface AnnouncementSession {

    /** The router, as {@code address:port/asn}. */
    String peer();

    /** True while the session can send UPDATEs. */
    boolean established();

    /** False for a rule of a family the router did not negotiate (IPv6 FlowSpec, say). */
    default boolean carries(FlowSpecRule rule) {
        return true;
    }

    /** The rules this session has announced and not withdrawn since it was established. */
    Set<FlowSpecRule> announced();

    /** Sends the rules; a rule whose match was announced before replaces it. */
    void announce(Collection<FlowSpecRule> rules);

    /** Withdraws the rules' matches; matches never announced are ignored. */
    void withdraw(Collection<FlowSpecRule> rules);
}

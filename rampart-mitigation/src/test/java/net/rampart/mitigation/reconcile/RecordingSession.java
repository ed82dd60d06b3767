package net.rampart.mitigation.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;

/**
 * A session that behaves as a router's Adj-RIB-In would: one route per match, a new
 * announcement of a match replaces the old one. For reconciler unit tests; the real speaker is
 * tested against real routers.
 */
final class RecordingSession implements AnnouncementSession {

    private final String peer;
    private final Map<FlowMatch, FlowSpecRule> routes = new LinkedHashMap<>();
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    volatile boolean established = true;

    RecordingSession(String peer) {
        this.peer = peer;
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public synchronized Set<FlowSpecRule> announced() {
        return new HashSet<>(routes.values());
    }

    @Override
    public synchronized void announce(Collection<FlowSpecRule> rules) {
        for (FlowSpecRule r : rules) {
            routes.put(r.match(), r);
            log.add("announce " + r.match() + " " + r.action().kind());
        }
    }

    @Override
    public synchronized void withdraw(Collection<FlowSpecRule> rules) {
        for (FlowSpecRule r : rules) {
            if (routes.remove(r.match()) != null) {
                log.add("withdraw " + r.match());
            }
        }
    }

    /** What happens to a session that went down and came back: the router forgot everything. */
    synchronized void flap() {
        routes.clear();
    }
}

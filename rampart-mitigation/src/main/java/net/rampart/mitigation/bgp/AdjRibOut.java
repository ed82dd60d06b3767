package net.rampart.mitigation.bgp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;

/**
 * The rules a session has announced and not withdrawn (its Adj-RIB-Out, RFC 4271 section 3.2),
 * one per match: the match is the NLRI, so announcing it again with another action replaces the
 * rule on the router too. Not thread-safe: the session guards it with its own lock.
 */
final class AdjRibOut {

    private final Map<FlowMatch, FlowSpecRule> rules = new LinkedHashMap<>();

    Set<FlowSpecRule> rules() {
        return Set.copyOf(rules.values());
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Records rules just sent; each replaces the rule announced before with the same match. */
    void announced(Collection<FlowSpecRule> sent) {
        sent.forEach(r -> rules.put(r.match(), r));
    }

    /**
     * Forgets the rules' matches and returns those that were announced, in the order given: only
     * they need withdrawing, since the router never had the others.
     */
    List<FlowMatch> withdraw(Collection<FlowSpecRule> withdrawn) {
        List<FlowMatch> matches = new ArrayList<>();
        for (FlowSpecRule r : withdrawn) {
            if (rules.remove(r.match()) != null) {
                matches.add(r.match());
            }
        }
        return matches;
    }

    /** Empties it and returns what it held, for a route refresh that announces everything again. */
    List<FlowSpecRule> takeAll() {
        List<FlowSpecRule> all = List.copyOf(rules.values());
        rules.clear();
        return all;
    }

    /** The session went down: the next one starts with nothing announced. */
    void clear() {
        rules.clear();
    }
}

package net.rampart.mitigation.guardrail;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * A router tears a session down when a peer sends more FlowSpec routes than its limit, which
 * would drop every rule at once; so no peer is sent more than N. Every peer of a POP carries
 * all of that POP's rules, so the count is the larger of the POP's active mitigations and
 * what the busiest session has announced right now.
 */
public final class PeerAnnouncementGuardrail implements Guardrail {

    private final ActiveMitigationCounts counts;
    private final IntSupplier busiestSessionAnnounced;
    private final int maxPerPeer;

    public PeerAnnouncementGuardrail(ActiveMitigationCounts counts, IntSupplier busiestSessionAnnounced,
                                     int maxPerPeer) {
        this.counts = counts;
        this.busiestSessionAnnounced = busiestSessionAnnounced;
        this.maxPerPeer = maxPerPeer;
    }

    @Override
    public String name() {
        return "peer_announcements";
    }

    @Override
    public Optional<String> refuse(RuleProposal p) {
        if (!p.newRule()) {
            return Optional.empty();
        }
        int announced = Math.max(counts.forPop(p.pop()), busiestSessionAnnounced.getAsInt());
        return announced >= maxPerPeer
                ? Optional.of("a BGP peer would carry more than " + maxPerPeer + " rules")
                : Optional.empty();
    }
}

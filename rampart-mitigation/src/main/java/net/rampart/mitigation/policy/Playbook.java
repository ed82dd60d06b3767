package net.rampart.mitigation.policy;

import java.util.List;
import java.util.Set;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;

/**
 * What to do about one kind of attack: which events it applies to, and the steps from the
 * first response to the strongest one.
 *
 * @param protocols empty: any protocol
 * @param dstPorts  empty: any ports; else at least one of the event's ports must be listed
 * @param profiles  empty: every policy profile
 */
public record Playbook(String name, Set<AttackVector> vectors, Set<Integer> protocols, Set<Integer> dstPorts,
                       Set<PolicyProfile> profiles, List<PlaybookStep> steps) {

    public Playbook {
        vectors = Set.copyOf(vectors);
        protocols = Set.copyOf(protocols);
        dstPorts = Set.copyOf(dstPorts);
        profiles = Set.copyOf(profiles);
        steps = List.copyOf(steps);
    }

    public boolean matches(AttackEvent event, PolicyProfile profile) {
        if (!vectors.contains(event.vector())) {
            return false;
        }
        if (!profiles.isEmpty() && !profiles.contains(profile)) {
            return false;
        }
        if (!protocols.isEmpty()) {
            var p = event.effectiveProtocol();
            if (p.isEmpty() || !protocols.contains(p.getAsInt())) {
                return false;
            }
        }
        return dstPorts.isEmpty() || event.topDstPorts().stream().anyMatch(dstPorts::contains);
    }
}

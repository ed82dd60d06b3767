package net.rampart.mitigation.policy;

import java.util.List;
import java.util.Optional;
import net.rampart.mitigation.event.AttackEvent;

/** The inventory and the playbooks in force together; replaced whole on reload. */
public record Policy(Inventory inventory, List<Playbook> playbooks) {

    public Policy {
        playbooks = List.copyOf(playbooks);
    }

    /** The first playbook, in file order, that applies to the event. */
    public Optional<Playbook> playbookFor(AttackEvent event, PolicyProfile profile) {
        return playbooks.stream().filter(p -> p.matches(event, profile)).findFirst();
    }

    public Optional<Playbook> playbook(String name) {
        return playbooks.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

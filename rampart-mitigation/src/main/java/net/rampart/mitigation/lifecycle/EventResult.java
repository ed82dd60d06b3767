package net.rampart.mitigation.lifecycle;

import java.util.List;

/**
 * The answer to one event.
 *
 * @param mitigationIds the mitigations the event created, changed or ended (empty for no playbook)
 * @param dryRun        true when the service runs in dry-run mode: recorded, never announced
 */
public record EventResult(String eventId, List<String> mitigationIds, Outcome outcome, boolean dryRun) {

    public EventResult {
        mitigationIds = List.copyOf(mitigationIds);
    }
}

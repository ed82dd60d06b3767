package net.rampart.mitigation.lifecycle;

import java.util.Locale;

/** What an event did, as reported in the 202 answer to the detector. */
public enum Outcome {
    /** A new mitigation was started. */
    CREATED,
    /** An active mitigation was kept: TTL renewed, ports possibly widened. */
    EXTENDED,
    /** An active mitigation moved on to its playbook's next step. */
    ESCALATED,
    /** An unban ended the victim's active mitigations. */
    WITHDRAWN,
    /** No playbook applies to the event; nothing was done. */
    NO_PLAYBOOK,
    /** An unban found nothing active for the victim. */
    NOTHING_TO_WITHDRAW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

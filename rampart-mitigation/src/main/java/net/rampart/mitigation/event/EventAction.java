package net.rampart.mitigation.event;

/** What a detector asks for: start (or keep) mitigating, or stop. */
public enum EventAction {
    BAN,
    UNBAN
}

package net.rampart.mitigation.lifecycle;

/** An event id that was seen before; the API answers 409. */
public final class DuplicateEventException extends Exception {

    private final String eventId;

    public DuplicateEventException(String eventId) {
        super("event " + eventId + " was already received");
        this.eventId = eventId;
    }

    public String eventId() {
        return eventId;
    }
}

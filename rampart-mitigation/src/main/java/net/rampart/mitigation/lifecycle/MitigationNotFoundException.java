package net.rampart.mitigation.lifecycle;

/** No mitigation with that id, or none still active when one had to be. */
public final class MitigationNotFoundException extends Exception {

    public MitigationNotFoundException(String message) {
        super(message);
    }
}

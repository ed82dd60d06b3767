package net.rampart.store.mitigation;

/** The database failed under a mitigation read or write; the API answers 503. */
public final class MitigationStoreException extends RuntimeException {

    public MitigationStoreException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    public MitigationStoreException(String message) {
        super(message);
    }
}

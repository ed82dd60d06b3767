package net.rampart.store.backup;

/** A backup or restore that could not be made; the message says why and, where it can, what to do. */
public final class BackupException extends Exception {

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}

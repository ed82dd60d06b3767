package net.rampart.cli;

/**
 * Why a command cannot go on, as the one line {@code rampart: <message>} that the command
 * line's execution exception handler prints, and the exit code it returns.
 */
final class Failure extends RuntimeException {

    private final int exitCode;

    Failure(int exitCode, String message) {
        // Never shown as a stack trace, so none is recorded.
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}

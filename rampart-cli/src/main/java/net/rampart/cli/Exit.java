package net.rampart.cli;

/**
 * The exit codes of every command, one table for all of them; README.md's "Command line"
 * section and {@code ./rampart --help} show the same table.
 */
final class Exit {

    static final int OK = 0;
    /** The service answered with an error (4xx other than 401/403, 5xx), or the command failed otherwise. */
    static final int SERVICE_ERROR = 1;
    /** A bad option or argument: nothing was sent. */
    static final int USAGE = 2;
    /** The service cannot be reached: a bad URL, connection refused, unknown host, timeout, not a Rampart service. */
    static final int UNREACHABLE = 3;
    /** No API token was found and the service wants one (401), or the token is refused (401, 403). */
    static final int AUTHENTICATION = 4;

    private Exit() {
    }
}

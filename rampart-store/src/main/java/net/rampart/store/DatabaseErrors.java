package net.rampart.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/** What a failed database call says about the database: away (retry later) or not. */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * Whether {@code e} (or a cause) says the database cannot be reached or cannot serve now: no
     * connection (SQL state class 08, or the pool's timeout), the server shutting down or out of
     * resources (57, 53, 58), a transient failure. A statement the server refuses for its content
     * or its SQL is not: that is a bug or bad data, which a retry does not mend.
     */
    public static boolean unavailable(Throwable e) {
        Optional<SQLException> sql = sqlException(e);
        if (sql.isEmpty()) {
            return false;
        }
        if (sql.get() instanceof SQLTransientException || sql.get() instanceof SQLRecoverableException) {
            return true;
        }
        String state = sql.get().getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58"));
    }

    private static Optional<SQLException> sqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }
}

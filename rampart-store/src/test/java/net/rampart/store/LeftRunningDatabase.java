package net.rampart.store;

import java.nio.file.Path;

/**
 * Run in a JVM of its own by {@link LeftoverServerIT}: opens the embedded database on the
 * directory given, records a service run, and halts without closing the database, as a forced
 * exit of Rampart did before it stopped the server first. The server keeps running.
 */
public final class LeftRunningDatabase {

    private LeftRunningDatabase() {
    }

    public static void main(String[] args) throws Exception {
        var database = Database.open(DatabaseSettings.embedded(Path.of(args[0])));
        new ServiceRuns(database.dataSource()).begin("left running", "child");
        // halt skips shutdown hooks, the builder's own stop of the server among them.
        Runtime.getRuntime().halt(0);
    }
}

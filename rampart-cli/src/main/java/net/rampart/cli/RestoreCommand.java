package net.rampart.cli;

import picocli.CommandLine.Command;

/**
 * {@code rampart restore} as the help shows it. Restoring works on the database itself with the
 * service stopped, so the launcher runs it from the service's code (rampart-server) and sends
 * only {@code restore --help} here.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = {"Restore a backup into the database the service's settings name, with the service stopped:",
                "./rampart restore FILE [--force]. A database that holds tables is refused unless --force,",
                "which drops them first. The next ./rampart serve migrates the restored schema."})
final class RestoreCommand implements Runnable {

    @Override
    public void run() {
        // Reached only when this client's main class is run without the launcher.
        throw new Failure(Exit.USAGE, "a restore is run by the launcher: ./rampart restore FILE");
    }
}

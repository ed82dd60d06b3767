package net.rampart.cli;

import picocli.CommandLine.Command;

/**
 * {@code rampart serve} as the help shows it. The launcher starts the service (rampart-server)
 * itself and sends {@code serve --help} here, so this class gives {@code serve} its place in the
 * command list and its usage; the service has no options of its own, only settings.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = RampartCli.Version.class,
        description = {"Start the service in the foreground; it stops gracefully on Ctrl-C or SIGTERM.",
                "Settings come from environment variables or a .env file (docs/configuration.md).",
                "Exit codes: 0 clean stop, 1 failed start or forced stop, 2 configuration error."})
final class ServeCommand implements Runnable {

    @Override
    public void run() {
        // Reached only when this client's main class is run without the launcher.
        throw new Failure(Exit.USAGE, "the service is started by the launcher: ./rampart serve");
    }
}

package net.rampart.server;

import net.rampart.server.config.ConfigException;
import net.rampart.server.config.ServerConfig;
import net.rampart.server.config.Settings;
import net.rampart.server.logging.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code rampart serve}: reads the configuration, starts the service, and stops it gracefully on
 * SIGTERM or SIGINT. Exit codes: 0 after a graceful stop, 2 for a configuration error (one line
 * on stderr naming the setting), 1 when the start failed otherwise or the stop overran its cap.
 */
public final class Main {

    static final int EXIT_CONFIG = 2;
    private static final Duration SHUTDOWN_CAP = Duration.ofSeconds(60);
    /** pg_ctl gives up stopping the server after 5 s; this bounds the rest of the forced stop. */
    private static final Duration FORCED_DATABASE_STOP_CAP = Duration.ofSeconds(10);

    private static final AtomicBoolean stopping = new AtomicBoolean();

    private Main() {
    }

    public static void main(String[] args) {
        String version = version();
        RampartService service;
        try {
            Settings settings = Settings.load(System.getenv(), Path.of(".env"));
            ServerConfig config = ServerConfig.from(settings);
            Logging.configure(config.logLevel(), config.sentryDsn(), version);
            service = new RampartService(config, settings, version);
        } catch (ConfigException e) {
            exitWithConfigError(e);
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);

        Signal.handle(new Signal("TERM"), signal -> shutdown(service, signal.getName()));
        Signal.handle(new Signal("INT"), signal -> shutdown(service, signal.getName()));
        try {
            service.start();
        } catch (ConfigException e) {
            log.atError().addKeyValue("event", "config_error").addKeyValue("setting", e.setting())
                    .log(e.getMessage());
            service.stop();
            exitWithConfigError(e);
        } catch (Exception | Error e) {
            // An Error too (a class missing from the class path, say): the threads already started
            // would otherwise keep a service that never became ready running.
            log.atError().addKeyValue("event", "start_failed").setCause(e).log("Rampart failed to start");
            service.stop();
            Logging.flush();
            System.exit(1);
        }
    }

    private static void exitWithConfigError(ConfigException e) {
        System.err.println("rampart: configuration error: " + e.getMessage());
        Logging.flush();
        System.exit(EXIT_CONFIG);
    }

    /** Runs on its own thread so that the signal handler returns at once. */
    private static void shutdown(RampartService service, String signal) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.atInfo().addKeyValue("event", "shutdown_requested").addKeyValue("signal", signal)
                .log("shutting down on SIG" + signal);
        Thread.ofPlatform().daemon().name("shutdown-cap").start(() -> {
            try {
                Thread.sleep(SHUTDOWN_CAP);
            } catch (InterruptedException e) {
                return;
            }
            log.atWarn().addKeyValue("event", "shutdown_forced").addKeyValue("cap_seconds", SHUTDOWN_CAP.toSeconds())
                    .log("graceful shutdown took too long; stopping the embedded PostgreSQL and forcing exit");
            // halt skips shutdown hooks: the embedded PostgreSQL, a process of its own, would keep
            // running and hold the data directory against the next start.
            Thread stopper = Thread.ofPlatform().daemon().name("forced-database-stop").start(service::stopDatabaseNow);
            try {
                stopper.join(FORCED_DATABASE_STOP_CAP);
            } catch (InterruptedException e) {
                // Nothing is left to do but halt.
            }
            Runtime.getRuntime().halt(1);
        });
        Thread.ofPlatform().name("shutdown").start(() -> {
            service.stop();
            Logging.flush();
            System.exit(0);
        });
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}

package net.rampart.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A part of the service with its own start and stop: a listener (BMP, RTR, BGP) or a worker.
 * Components start in the order they are added, after the database and before HTTP, and stop
 * in reverse order, after HTTP and before the database.
 */
public interface Component {

    /** Short name used in logs and in the readiness checks ({@code bmp}, {@code rtr}, ...). */
    String name();

    void start() throws Exception;

    /** Stops taking new work and finishes what was accepted, within {@code drain}. */
    void stop(Duration drain) throws Exception;

    /** True while it does its job, e.g. its listener is bound. */
    boolean isReady();

    /**
     * One daemon thread named {@code threadName} for a component's periodic work: it never keeps
     * the JVM from exiting, and the component shuts it down in {@link #stop}.
     */
    static ScheduledExecutorService scheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}

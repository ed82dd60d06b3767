package net.rampart.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads on SIGHUP, the signal operators and init systems send to mean "read your
 * configuration again": every area that registered a reload runs it, each on its own virtual
 * thread. The JVM keeps one handler per signal, so the areas share this one. Where the JVM cannot
 * take the signal (it is reserved or the platform has none), reloading stays available through
 * file changes (and the API where an area offers it).
 */
public final class SighupReload {

    private static final Logger log = LoggerFactory.getLogger(SighupReload.class);
    private static final List<Runnable> reloads = new CopyOnWriteArrayList<>();

    private SighupReload() {
    }

    /** Adds {@code reload} to what SIGHUP runs; the first call installs the handler. */
    public static synchronized void install(Runnable reload) {
        reloads.add(reload);
        if (reloads.size() > 1) {
            return;
        }
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                for (Runnable r : reloads) {
                    Thread.ofVirtual().name("sighup-reload").start(r);
                }
            });
            // A signal the parent ignored (nohup does that to SIGHUP) stays ignored: the JVM does
            // not install the handler and says so only through this return value.
            if (previous == sun.misc.SignalHandler.SIG_IGN) {
                unavailable("SIGHUP is ignored by the parent process (started under nohup?)");
            }
        } catch (IllegalArgumentException e) {
            unavailable(e.getMessage());
        }
    }

    /**
     * Takes {@code reload} out of what SIGHUP runs: a stopped area is not reloaded, and what its
     * reload refers to (a detector's RIB, say) is no longer kept reachable by the handler.
     */
    public static synchronized void remove(Runnable reload) {
        reloads.remove(reload);
    }

    private static void unavailable(String reason) {
        log.atWarn().addKeyValue("event", "sighup_unavailable").addKeyValue("reason", reason)
                .log("SIGHUP cannot be handled here; reload through the API or by changing the files");
    }
}

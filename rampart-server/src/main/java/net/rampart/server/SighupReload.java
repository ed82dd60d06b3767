package net.rampart.server.mitigation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads on SIGHUP, the signal operators and init systems send to mean "read your
 * configuration again". Where the JVM cannot take the signal (it is reserved or the platform
 * has none), reloading stays available through the API and file changes.
 */
final class SighupReload {

    private static final Logger log = LoggerFactory.getLogger(SighupReload.class);

    private SighupReload() {
    }

    @SuppressWarnings("sunapi")
    static void install(Runnable reload) {
        try {
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread.ofVirtual().name("sighup-reload").start(reload);
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

    private static void unavailable(String reason) {
        log.atWarn().addKeyValue("event", "sighup_unavailable").addKeyValue("reason", reason)
                .log("SIGHUP cannot be handled here; reload through the API or by changing the files");
    }
}

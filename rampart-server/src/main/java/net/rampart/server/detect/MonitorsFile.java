package net.rampart.server.detect;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.rampart.detect.monitor.Monitors;
import net.rampart.detect.monitor.MonitorsException;
import net.rampart.detect.monitor.MonitorsLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitors file in force: the last good version read and when, and how the last reload went.
 * A reload that finds problems keeps the running version, as the inventory's reload does.
 */
public final class MonitorsFile {

    private static final Logger log = LoggerFactory.getLogger(MonitorsFile.class);

    /** A version of the file in force, read at {@code at}. */
    public record Loaded(Monitors monitors, Instant at) {
    }

    /** One reload: put in force, or refused with every problem found. */
    public record ReloadResult(boolean applied, List<String> problems, Instant at) {
    }

    private final Path path;
    private final MonitorsLoader loader = new MonitorsLoader();
    private final Clock clock;
    private volatile Loaded current;
    private volatile ReloadResult lastReload;

    private MonitorsFile(Path path, Clock clock, Loaded current) {
        this.path = path;
        this.clock = clock;
        this.current = current;
    }

    /**
     * Reads the file for the start: with nothing running to fall back on, a bad file is fatal.
     *
     * @throws MonitorsException with every problem of the file
     */
    public static MonitorsFile open(Path path, Clock clock) throws MonitorsException {
        Monitors monitors = new MonitorsLoader().load(path);
        return new MonitorsFile(path, clock, new Loaded(monitors, clock.instant()));
    }

    public Path path() {
        return path;
    }

    public Loaded current() {
        return current;
    }

    /** The last reload, if there was one since the start. */
    public Optional<ReloadResult> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    /**
     * Reads the file again and puts it in force when it is valid.
     *
     * @param trigger what asked for it ({@code sighup}, {@code file_change}), for the log
     */
    public synchronized ReloadResult reload(String trigger) {
        Instant at = clock.instant();
        ReloadResult result;
        try {
            current = new Loaded(loader.load(path), at);
            result = new ReloadResult(true, List.of(), at);
            log.atInfo().addKeyValue("event", "monitors_reloaded").addKeyValue("trigger", trigger)
                    .addKeyValue("prefixes", current.monitors().prefixes().size())
                    .addKeyValue("asns", current.monitors().asns().size()).log("Monitors reloaded");
        } catch (MonitorsException e) {
            result = new ReloadResult(false, e.problems(), at);
            log.atWarn().addKeyValue("event", "monitors_reload_refused").addKeyValue("trigger", trigger)
                    .addKeyValue("problems", e.problems())
                    .log("Monitors reload refused; the running monitors stay");
        }
        lastReload = result;
        return result;
    }
}

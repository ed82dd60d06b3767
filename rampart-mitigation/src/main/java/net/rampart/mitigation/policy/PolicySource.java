package net.rampart.mitigation.policy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force and where it came from. A reload reads both files again; when either is
 * bad, the running policy stays and the result says why.
 */
public final class PolicySource implements Supplier<Policy> {

    private static final Logger log = LoggerFactory.getLogger(PolicySource.class);

    /** The outcome of a reload: {@code problems} is empty when the new policy is in force. */
    public record ReloadResult(boolean applied, List<String> problems, Instant at, int customers, int playbooks) {
    }

    private final PolicyLoader loader;
    private final Path inventoryFile;
    private final Path playbooksFile;
    private final Clock clock;
    private final AtomicReference<Policy> current = new AtomicReference<>();
    private volatile ReloadResult lastReload;

    /**
     * Loads the files once; a bad file at start is fatal (the caller stops the service).
     *
     * @param inventoryFile null for an empty inventory
     * @param playbooksFile null for no playbooks
     */
    public PolicySource(PolicyLoader loader, Path inventoryFile, Path playbooksFile, Clock clock)
            throws PolicyException {
        this.loader = loader;
        this.inventoryFile = inventoryFile;
        this.playbooksFile = playbooksFile;
        this.clock = clock;
        Policy initial = loader.load(inventoryFile, playbooksFile);
        current.set(initial);
        lastReload = new ReloadResult(true, List.of(), clock.instant(), initial.inventory().customers().size(),
                initial.playbooks().size());
    }

    @Override
    public Policy get() {
        return current.get();
    }

    public ReloadResult lastReload() {
        return lastReload;
    }

    /** The files being watched, for the file watcher; absent ones are left out. */
    public List<Path> files() {
        return java.util.stream.Stream.of(inventoryFile, playbooksFile).filter(Objects::nonNull).toList();
    }

    /**
     * Reads the files again and puts them in force when valid.
     *
     * @param trigger what asked for it ({@code api}, {@code sighup}, {@code file_change}), for the log
     */
    public synchronized ReloadResult reload(String trigger) {
        ReloadResult result;
        try {
            Policy next = loader.load(inventoryFile, playbooksFile);
            current.set(next);
            result = new ReloadResult(true, List.of(), clock.instant(), next.inventory().customers().size(),
                    next.playbooks().size());
            log.atInfo().addKeyValue("event", "policy_reloaded").addKeyValue("trigger", trigger)
                    .addKeyValue("customers", result.customers()).addKeyValue("playbooks", result.playbooks())
                    .log("Policy reloaded");
        } catch (PolicyException e) {
            Policy running = current.get();
            result = new ReloadResult(false, e.problems(), clock.instant(), running.inventory().customers().size(),
                    running.playbooks().size());
            log.atWarn().addKeyValue("event", "policy_reload_refused").addKeyValue("trigger", trigger)
                    .addKeyValue("problems", e.problems()).log("Policy reload refused; the running policy stays");
        }
        lastReload = result;
        return result;
    }
}

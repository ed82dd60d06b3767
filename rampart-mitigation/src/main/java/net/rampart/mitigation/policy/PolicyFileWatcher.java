package net.rampart.mitigation.policy;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the policy when one of its files changes. Watches the files' directories, because
 * editors and configuration tools replace a file (rename over it) rather than write into it.
 */
public final class PolicyFileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PolicyFileWatcher.class);

    private static final java.time.Duration QUIET = java.time.Duration.ofMillis(300);

    private final WatchService watcher;
    private final Thread thread;

    /** @param onReload told of every reload the watcher triggered, e.g. to audit it */
    public PolicyFileWatcher(PolicySource source, Consumer<PolicySource.ReloadResult> onReload) throws IOException {
        List<Path> files = source.files().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.watcher = FileSystems.getDefault().newWatchService();
        Set<Path> dirs = new HashSet<>();
        for (Path f : files) {
            if (f.getParent() != null && dirs.add(f.getParent())) {
                f.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            }
        }
        Set<Path> names = new HashSet<>();
        files.forEach(f -> names.add(f.getFileName()));
        this.thread = Thread.ofPlatform().daemon().name("policy-file-watcher").unstarted(() -> {
            try {
                while (true) {
                    boolean ours = concerns(watcher.take(), names);
                    if (!ours) {
                        continue;
                    }
                    // Let the writer finish: reload once the files have been quiet for a moment.
                    WatchKey more;
                    while ((more = watcher.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                        concerns(more, names);
                    }
                    onReload.accept(source.reload("file_change"));
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                log.atDebug().addKeyValue("event", "policy_watch_stopped").log("Policy file watcher stopped");
            }
        });
        thread.start();
    }

    private static boolean concerns(WatchKey key, Set<Path> names) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p && names.contains(p.getFileName())) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}

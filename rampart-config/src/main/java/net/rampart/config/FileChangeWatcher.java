package net.rampart.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when one of an operator's files changes: the one watcher of every file the
 * service reloads (the mitigation policy, the monitors). Watches the files' directories, because
 * editors and configuration tools replace a file (rename over it) rather than write into it, and
 * waits until the directories have been quiet for a moment, so that a file written in steps is
 * read once, whole.
 */
public final class FileChangeWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileChangeWatcher.class);
    private static final Duration QUIET = Duration.ofMillis(300);

    private final WatchService watcher;
    private final Thread thread;

    /**
     * @param files      the files to watch (their directories must exist)
     * @param threadName the watching thread's name, which says what it reloads
     * @param onChange   run on the watching thread after each quiet change
     */
    public FileChangeWatcher(List<Path> files, String threadName, Runnable onChange) throws IOException {
        List<Path> absolute = files.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.watcher = FileSystems.getDefault().newWatchService();
        Set<Path> directories = new HashSet<>();
        Set<Path> names = new HashSet<>();
        for (Path file : absolute) {
            names.add(file.getFileName());
            if (file.getParent() != null && directories.add(file.getParent())) {
                file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
            }
        }
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> {
            try {
                while (true) {
                    if (!concerns(watcher.take(), names)) {
                        continue;
                    }
                    WatchKey more;
                    while ((more = watcher.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                        concerns(more, names);
                    }
                    onChange.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                log.atDebug().addKeyValue("event", "file_watch_stopped").addKeyValue("files", absolute.toString())
                        .log("File watcher stopped");
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

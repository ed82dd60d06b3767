package net.rampart.server;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action when a file changes. Watches the file's directory, because editors and
 * configuration tools replace a file (rename over it) rather than write into it, and waits until
 * the directory has been quiet for a moment, so that a file written in steps is read once, whole.
 */
public final class FileChangeWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileChangeWatcher.class);
    private static final Duration QUIET = Duration.ofMillis(300);

    private final WatchService watcher;
    private final Thread thread;

    public FileChangeWatcher(Path file, String name, Runnable onChange) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path fileName = absolute.getFileName();
        this.watcher = FileSystems.getDefault().newWatchService();
        absolute.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                while (true) {
                    if (!concerns(watcher.take(), fileName)) {
                        continue;
                    }
                    WatchKey more;
                    while ((more = watcher.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                        concerns(more, fileName);
                    }
                    onChange.run();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                log.atDebug().addKeyValue("event", "file_watch_stopped").addKeyValue("file", absolute.toString())
                        .log("File watcher stopped");
            }
        });
        thread.start();
    }

    private static boolean concerns(WatchKey key, Path fileName) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            if (e.context() instanceof Path p && p.getFileName().equals(fileName)) {
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

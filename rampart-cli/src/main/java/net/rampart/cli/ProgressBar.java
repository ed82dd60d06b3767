package net.rampart.cli;

/** A one-line progress bar on stderr, redrawn at most every 200 ms; plain lines when stderr is not a terminal. */
final class ProgressBar {

    private static final int WIDTH = 40;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final long total;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long done;
    private long lastDrawn;
    private int lastDecile = -1;

    ProgressBar(long total) {
        this.total = Math.max(1, total);
    }

    synchronized void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (terminal && now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            draw(now);
        } else if (!terminal && decile() != lastDecile) {
            lastDecile = decile();
            System.err.printf("%d%%%n", lastDecile * 10);
        }
    }

    synchronized void finish() {
        if (terminal) {
            draw(System.nanoTime());
            System.err.println();
        }
    }

    private int decile() {
        return (int) Math.min(10, done * 10 / total);
    }

    private void draw(long now) {
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        double seconds = Math.max(1e-3, (now - started) / 1e9);
        System.err.printf("\r[%s%s] %3d%% %,d MB/s", "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.min(100, done * 100 / total), Math.round(done / seconds / 1e6));
    }
}

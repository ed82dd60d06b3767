package net.rampart.collector.history;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the route events a recorder accepted, each counted where its fate is decided:
 * on a router's thread (accepted, spooled, dropped) or the writer thread (written, refused, lost
 * in an unreadable spool record). Read at any time, by metrics.
 */
final class HistoryCounts {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();

    void countAccepted(int events) {
        accepted.addAndGet(events);
    }

    void countWritten(int events) {
        written.addAndGet(events);
    }

    void countSpooled(int events) {
        spooled.addAndGet(events);
    }

    /** An event the store refused, or a spool record that could not be read back: one each. */
    void countRejected() {
        rejected.incrementAndGet();
    }

    void countDropped(int events) {
        dropped.addAndGet(events);
    }

    /** Events of a batch taken from the memory queue, all stored or refused now. */
    void countSettled(int events) {
        settled.addAndGet(events);
    }

    long settled() {
        return settled.get();
    }

    long accepted() {
        return accepted.get();
    }

    long written() {
        return written.get();
    }

    long spooled() {
        return spooled.get();
    }

    long rejected() {
        return rejected.get();
    }

    long dropped() {
        return dropped.get();
    }
}

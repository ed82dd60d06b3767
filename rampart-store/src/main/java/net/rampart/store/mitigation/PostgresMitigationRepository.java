package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.lifecycle.ActiveElsewhere;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.store.RefusedRows;
import net.rampart.wire.ip.IpPrefix;

/**
 * Mitigations, events and the API's safelist in PostgreSQL (tables from {@code V300__mitigation.sql}).
 * Every POP sharing the database sees every row; queries filter by POP where the caller asks.
 * Events and mitigation changes are written behind the engine by a {@link MitigationWriter};
 * every read here first waits for the writes made before it.
 *
 * <p>The SQL is per table, in {@link MitigationTable}, {@link EventTable} and {@link SafelistTable};
 * this class decides what one write transaction holds and which reads wait for the writer.
 */
public final class PostgresMitigationRepository implements MitigationRepository, AutoCloseable {

    /** Writes waiting for the database before new events are refused with 503. */
    public static final int WRITE_QUEUE = 100_000;

    private final MitigationTable mitigations;
    private final EventTable events;
    private final SafelistTable safelist;
    private final MitigationWriter writer;

    public PostgresMitigationRepository(DataSource dataSource, RefusedRows refused) {
        this(dataSource, refused, WRITE_QUEUE);
    }

    /** With {@code writeQueue} writes waiting for the database before new events are refused. */
    public PostgresMitigationRepository(DataSource dataSource, RefusedRows refused, int writeQueue) {
        this.mitigations = new MitigationTable(dataSource);
        this.events = new EventTable(dataSource);
        this.safelist = new SafelistTable(dataSource);
        this.writer = new MitigationWriter(dataSource, refused, writeQueue, this::writeBatch);
    }

    /** False once writes have been failing for a while (see {@link MitigationWriter#makingProgress}). */
    public boolean makingProgress() {
        return writer.makingProgress();
    }

    @Override
    public void recordEvent(AttackEvent event, String pop, List<Mitigation> changed) {
        writer.submit(new MitigationWriter.Write(event, pop, changed));
    }

    @Override
    public void save(Mitigation mitigation) {
        writer.submit(new MitigationWriter.Write(null, mitigation.pop(), List.of(mitigation)));
    }

    /** Writes still waiting for the database. */
    public int unwritten() {
        return writer.waiting();
    }

    /** Stores what is queued, then stops writing. */
    @Override
    public void close() {
        writer.close();
    }

    /** One transaction of the writer: the events first, then the latest state of each mitigation. */
    private void writeBatch(Connection c, List<MitigationWriter.Write> eventWrites, List<Mitigation> latest)
            throws SQLException {
        if (!eventWrites.isEmpty()) {
            events.insert(c, eventWrites);
        }
        if (!latest.isEmpty()) {
            mitigations.upsert(c, latest);
        }
    }

    @Override
    public Optional<Mitigation> find(String id) {
        writer.awaitWritten();
        return mitigations.find(id);
    }

    @Override
    public List<Mitigation> active(String pop) {
        writer.awaitWritten();
        return mitigations.active(pop);
    }

    @Override
    public List<Mitigation> list(String pop, MitigationStatus status, String before, int limit) {
        writer.awaitWritten();
        return mitigations.list(pop, status, before, limit);
    }

    @Override
    public int count(String pop, MitigationStatus status) {
        writer.awaitWritten();
        return mitigations.count(pop, status);
    }

    @Override
    public List<SafelistEntry> safelist() {
        return safelist.entries();
    }

    @Override
    public void addSafelistEntry(SafelistEntry entry) {
        safelist.add(entry);
    }

    @Override
    public boolean removeSafelistEntry(IpPrefix prefix) {
        return safelist.remove(prefix);
    }

    @Override
    public int activeCount(String pop) {
        writer.awaitWritten();
        return mitigations.activeCount(pop);
    }

    @Override
    public ActiveElsewhere activeElsewhere(String pop) {
        writer.awaitWritten();
        return mitigations.activeElsewhere(pop);
    }

    @Override
    public List<String> recentEventIds(int limit) {
        writer.awaitWritten();
        return events.recentIds(limit);
    }

    /** The POP names that have written mitigations, with how many of each are active. */
    public List<PopSummary> pops() {
        writer.awaitWritten();
        return mitigations.pops();
    }

    /**
     * Received events, newest first, for the API: those {@code filter} keeps after the event
     * {@code afterId} (null: from the newest), at most {@code limit}; empty when no event has that id.
     */
    public Optional<List<ReceivedEvent>> events(EventFilter filter, String afterId, int limit) {
        writer.awaitWritten();
        return events.page(filter, afterId, limit);
    }

    /** How many received events {@code filter} keeps. */
    public long countEvents(EventFilter filter) {
        writer.awaitWritten();
        return events.count(filter);
    }

    /** One POP as the shared database sees it. */
    public record PopSummary(String pop, int active, int total, Instant lastChange) {
    }
}

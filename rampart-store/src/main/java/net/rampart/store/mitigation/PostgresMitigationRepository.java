package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import javax.sql.DataSource;
import net.rampart.mitigation.event.AttackEvent;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.lifecycle.ActiveElsewhere;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationRepository;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.policy.SafelistEntry;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.store.RefusedRows;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mitigations, events and the API's safelist in PostgreSQL (tables from {@code V300__mitigation.sql}).
 * Every POP sharing the database sees every row; queries filter by POP where the caller asks.
 * Events and mitigation changes are written behind the engine by a {@link MitigationWriter};
 * every read here first waits for the writes made before it.
 */
public final class PostgresMitigationRepository implements MitigationRepository, AutoCloseable {

    private static final String COLUMNS = "id, pop, customer_id, host(victim) AS victim, vector, playbook, "
            + "step_index, match_destination::text AS match_destination, match_protocol, match_dst_ports, "
            + "match_tcp_syn, action_kind, action_rate_bytes, action_route_target, action_dscp, status, created_at, "
            + "updated_at, expires_at, first_event_at, last_event_at, event_count, last_confidence, dry_run, "
            + "ended_at, ended_by, end_reason";

    private static final String UPSERT = """
            INSERT INTO mitigation (id, pop, customer_id, victim, vector, playbook, step_index, match_destination,
                match_protocol, match_dst_ports, match_tcp_syn, action_kind, action_rate_bytes, action_route_target,
                action_dscp, status, created_at, updated_at, expires_at, first_event_at, last_event_at, event_count,
                last_confidence, dry_run, ended_at, ended_by, end_reason)
            VALUES (?, ?, ?, ?::inet, ?, ?, ?, ?::cidr, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET step_index = EXCLUDED.step_index,
                match_destination = EXCLUDED.match_destination, match_protocol = EXCLUDED.match_protocol,
                match_dst_ports = EXCLUDED.match_dst_ports, match_tcp_syn = EXCLUDED.match_tcp_syn,
                action_kind = EXCLUDED.action_kind, action_rate_bytes = EXCLUDED.action_rate_bytes,
                action_route_target = EXCLUDED.action_route_target, action_dscp = EXCLUDED.action_dscp,
                status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at,
                first_event_at = EXCLUDED.first_event_at, last_event_at = EXCLUDED.last_event_at,
                event_count = EXCLUDED.event_count, last_confidence = EXCLUDED.last_confidence,
                ended_at = EXCLUDED.ended_at, ended_by = EXCLUDED.ended_by, end_reason = EXCLUDED.end_reason
            """;

    private static final String INSERT_EVENT = """
            INSERT INTO mitigation_event (event_id, event_time, source, pop, victim, vector, action, bps, pps,
                confidence, protocol, top_dst_ports, mitigation_ids, raw_details)
            VALUES (?, ?, ?, ?, ?::inet, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (event_id) DO NOTHING
            """;

    private static final Logger log = LoggerFactory.getLogger(PostgresMitigationRepository.class);
    /** Writes waiting for the database before new events are refused with 503. */
    private static final int WRITE_QUEUE = 100_000;

    private final DataSource dataSource;
    private final MitigationWriter writer;

    public PostgresMitigationRepository(DataSource dataSource, RefusedRows refused) {
        this.dataSource = dataSource;
        this.writer = new MitigationWriter(dataSource, refused, WRITE_QUEUE, this::writeBatch);
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

    private void writeBatch(Connection c, List<MitigationWriter.Write> events, List<Mitigation> latest)
            throws SQLException {
        if (!events.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_EVENT)) {
                for (MitigationWriter.Write w : events) {
                    bindEvent(c, s, w.event(), w.pop(), w.changed());
                    s.addBatch();
                }
                int[] inserted = s.executeBatch();
                for (int i = 0; i < inserted.length; i++) {
                    if (inserted[i] == 0) {
                        log.atWarn().addKeyValue("event", "mitigation_event_duplicate")
                                .addKeyValue("event_id", events.get(i).event().eventId())
                                .log("An event id older than the engine remembers was received again; the first"
                                        + " event is kept");
                    }
                }
            }
        }
        if (!latest.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
                for (Mitigation m : latest) {
                    bindMitigation(c, s, m);
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    private static void bindEvent(Connection c, PreparedStatement s, AttackEvent event, String pop,
                                  List<Mitigation> changed) throws SQLException {
        s.setString(1, event.eventId());
        s.setTimestamp(2, Timestamp.from(event.timestamp()));
        s.setString(3, event.source());
        s.setString(4, pop);
        s.setString(5, AddressText.of(event.victimIp()));
        s.setString(6, event.vector().wireName());
        s.setString(7, event.action().name().toLowerCase(Locale.ROOT));
        setLong(s, 8, event.bps().isPresent() ? event.bps().getAsLong() : null);
        setLong(s, 9, event.pps().isPresent() ? event.pps().getAsLong() : null);
        setDouble(s, 10, event.confidence());
        setShort(s, 11, event.protocol());
        s.setArray(12, c.createArrayOf("integer", event.topDstPorts().toArray()));
        s.setArray(13, c.createArrayOf("uuid", changed.stream().map(m -> UUID.fromString(m.id())).toArray()));
        s.setString(14, event.rawDetails());
    }

    /**
     * Event transactions do not wait for their WAL flush: a crash may lose the last fraction of a
     * second of events, which detectors repeat anyway, and in return the commit no longer waits
     * for the disk on every event. Consistency is unaffected (PostgreSQL's asynchronous commit).
     */
    static void relaxCommit(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }

    private static void bindMitigation(Connection c, PreparedStatement s, Mitigation m) throws SQLException {
        FlowMatch match = m.rule().match();
        s.setObject(1, UUID.fromString(m.id()));
        s.setString(2, m.pop());
        s.setString(3, m.customerId());
        s.setString(4, AddressText.of(m.victim()));
        s.setString(5, m.vector().wireName());
        s.setString(6, m.playbook());
        s.setInt(7, m.stepIndex());
        s.setString(8, match.destination().toString());
        setShort(s, 9, match.ipProtocol());
        s.setArray(10, c.createArrayOf("integer", match.destinationPorts().toArray()));
        s.setBoolean(11, match.tcpFlagsSyn());
        FlowAction action = m.rule().action();
        s.setString(12, action.kind());
        if (action instanceof FlowAction.TrafficRate rate) {
            s.setFloat(13, rate.bytesPerSecond());
        } else {
            s.setNull(13, Types.REAL);
        }
        s.setString(14, action instanceof FlowAction.Redirect r ? r.routeTarget() : null);
        if (action instanceof FlowAction.MarkDscp mark) {
            s.setShort(15, (short) mark.dscp());
        } else {
            s.setNull(15, Types.SMALLINT);
        }
        s.setString(16, m.status().name().toLowerCase(Locale.ROOT));
        s.setTimestamp(17, Timestamp.from(m.createdAt()));
        s.setTimestamp(18, Timestamp.from(m.updatedAt()));
        s.setTimestamp(19, Timestamp.from(m.expiresAt()));
        s.setTimestamp(20, Timestamp.from(m.firstEventAt()));
        s.setTimestamp(21, Timestamp.from(m.lastEventAt()));
        s.setInt(22, m.eventCount());
        setDouble(s, 23, m.lastConfidence());
        s.setBoolean(24, m.dryRun());
        s.setTimestamp(25, m.endedAt() == null ? null : Timestamp.from(m.endedAt()));
        s.setString(26, m.endedBy());
        s.setString(27, m.endReason());
    }

    @Override
    public Optional<Mitigation> find(String id) {
        writer.awaitWritten();
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Mitigation> rows = query("SELECT " + COLUMNS + " FROM mitigation WHERE id = ?", uuid);
        return rows.stream().findFirst();
    }

    @Override
    public List<Mitigation> active(String pop) {
        writer.awaitWritten();
        return pop == null
                ? query("SELECT " + COLUMNS + " FROM mitigation WHERE status = 'active'")
                : query("SELECT " + COLUMNS + " FROM mitigation WHERE status = 'active' AND pop = ?", pop);
    }

    /** The match from four columns starting at {@code at}: destination, protocol, ports, SYN flag. */
    private static FlowMatch match(ResultSet rs, int at) throws SQLException {
        int protocol = rs.getInt(at + 1);
        OptionalInt p = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(protocol);
        List<Integer> ports = Arrays.asList((Integer[]) rs.getArray(at + 2).getArray());
        return new FlowMatch(IpPrefix.parse(rs.getString(at)), p, ports, rs.getBoolean(at + 3));
    }

    /** The action from four columns starting at {@code at}: kind, rate, route target, DSCP. */
    private static FlowAction action(ResultSet rs, int at) throws SQLException {
        return switch (rs.getString(at)) {
            case "police" -> new FlowAction.TrafficRate(rs.getFloat(at + 1));
            case "discard" -> new FlowAction.Discard();
            case "redirect" -> new FlowAction.Redirect(rs.getString(at + 2));
            default -> new FlowAction.MarkDscp(rs.getShort(at + 3));
        };
    }

    @Override
    public List<Mitigation> list(String pop, MitigationStatus status, String before, int limit) {
        writer.awaitWritten();
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM mitigation WHERE true");
        List<Object> args = new ArrayList<>();
        filters(sql, args, pop, status);
        if (before != null) {
            UUID cursor;
            try {
                cursor = UUID.fromString(before);
            } catch (IllegalArgumentException e) {
                return List.of();
            }
            sql.append(" AND (created_at, id) < (SELECT created_at, id FROM mitigation WHERE id = ?)");
            args.add(cursor);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args.toArray());
    }

    @Override
    public int count(String pop, MitigationStatus status) {
        writer.awaitWritten();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM mitigation WHERE true");
        List<Object> args = new ArrayList<>();
        filters(sql, args, pop, status);
        return countQuery(sql.toString(), args.toArray());
    }

    private static void filters(StringBuilder sql, List<Object> args, String pop, MitigationStatus status) {
        if (pop != null) {
            sql.append(" AND pop = ?");
            args.add(pop);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public List<SafelistEntry> safelist() {
        List<SafelistEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT prefix::text, reason, origin FROM mitigation_safelist ORDER BY prefix");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                entries.add(new SafelistEntry(IpPrefix.parse(rs.getString(1)), rs.getString(2), rs.getString(3)));
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read the safelist", e);
        }
        return entries;
    }

    @Override
    public void addSafelistEntry(SafelistEntry entry) {
        update("INSERT INTO mitigation_safelist (prefix, reason, origin) VALUES (?::cidr, ?, ?) ON CONFLICT (prefix)"
                + " DO UPDATE SET reason = EXCLUDED.reason, origin = EXCLUDED.origin, added_at = now()",
                entry.prefix().toString(), entry.reason(), entry.origin());
    }

    @Override
    public boolean removeSafelistEntry(IpPrefix prefix) {
        return update("DELETE FROM mitigation_safelist WHERE prefix = ?::cidr", prefix.toString()) > 0;
    }

    @Override
    public int activeCount(String pop) {
        writer.awaitWritten();
        return countQuery("SELECT count(*) FROM mitigation WHERE status = 'active' AND pop = ?", pop);
    }

    @Override
    public ActiveElsewhere activeElsewhere(String pop) {
        writer.awaitWritten();
        int total = 0;
        Map<String, Integer> byCustomer = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT customer_id, count(*) FROM mitigation"
                     + " WHERE status = 'active' AND pop <> ? GROUP BY customer_id")) {
            s.setString(1, pop);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    total += rs.getInt(2);
                    if (rs.getString(1) != null) {
                        byCustomer.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot count other POPs' mitigations", e);
        }
        return new ActiveElsewhere(total, byCustomer);
    }

    @Override
    public List<String> recentEventIds(int limit) {
        writer.awaitWritten();
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT event_id FROM mitigation_event ORDER BY received_at DESC LIMIT ?")) {
            s.setInt(1, limit);
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read recent event ids", e);
        }
        return ids;
    }

    /** The POP names that have written mitigations, with how many of each are active. */
    public List<PopSummary> pops() {
        writer.awaitWritten();
        List<PopSummary> pops = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT pop, count(*) FILTER (WHERE status = 'active'), "
                     + "count(*), max(updated_at) FROM mitigation GROUP BY pop ORDER BY pop");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                pops.add(new PopSummary(rs.getString(1), rs.getInt(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant()));
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read POPs", e);
        }
        return pops;
    }

    /** One POP as the shared database sees it. */
    public record PopSummary(String pop, int active, int total, Instant lastChange) {
    }

    private List<Mitigation> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<Mitigation> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot read mitigations", e);
        }
    }

    private int countQuery(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot count mitigations", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new MitigationStoreException("cannot update the safelist", e);
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    private static Mitigation read(ResultSet rs) throws SQLException {
        // Columns 8-11 of COLUMNS are the match, 12-15 the action.
        FlowMatch match = match(rs, 8);
        FlowAction action = action(rs, 12);
        double confidence = rs.getDouble("last_confidence");
        OptionalDouble lastConfidence = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(confidence);
        return new Mitigation(rs.getObject("id").toString(), rs.getString("pop"), rs.getString("customer_id"),
                AddressText.parse(rs.getString("victim")),
                AttackVector.fromWireName(rs.getString("vector")).orElse(AttackVector.UNKNOWN),
                rs.getString("playbook"), rs.getInt("step_index"), new FlowSpecRule(match, action),
                MitigationStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "expires_at"),
                instant(rs, "first_event_at"), instant(rs, "last_event_at"), rs.getInt("event_count"),
                lastConfidence, rs.getBoolean("dry_run"), instant(rs, "ended_at"), rs.getString("ended_by"),
                rs.getString("end_reason"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.BIGINT);
        } else {
            s.setLong(i, v);
        }
    }

    private static void setDouble(PreparedStatement s, int i, OptionalDouble v) throws SQLException {
        if (v.isPresent()) {
            s.setDouble(i, v.getAsDouble());
        } else {
            s.setNull(i, Types.DOUBLE);
        }
    }

    private static void setShort(PreparedStatement s, int i, OptionalInt v) throws SQLException {
        if (v.isPresent()) {
            s.setShort(i, (short) v.getAsInt());
        } else {
            s.setNull(i, Types.SMALLINT);
        }
    }
}

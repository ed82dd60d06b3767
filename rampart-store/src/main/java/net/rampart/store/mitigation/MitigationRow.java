package net.rampart.store.mitigation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import net.rampart.mitigation.event.AttackVector;
import net.rampart.mitigation.lifecycle.Mitigation;
import net.rampart.mitigation.lifecycle.MitigationStatus;
import net.rampart.mitigation.rule.FlowAction;
import net.rampart.mitigation.rule.FlowSpecRule;
import net.rampart.mitigation.rule.FlowSpecRule.FlowMatch;
import net.rampart.wire.ip.AddressText;
import net.rampart.wire.ip.IpPrefix;

/**
 * A {@link Mitigation} as a row of the {@code mitigation} table, both ways: the upsert that writes
 * one with its parameters bound in column order, and the select list a row is read back from.
 */
final class MitigationRow {

    /** The select list {@link #read} reads. */
    static final String COLUMNS = "id, pop, customer_id, host(victim) AS victim, vector, playbook, "
            + "step_index, match_destination::text AS match_destination, match_protocol, match_dst_ports, "
            + "match_tcp_syn, action_kind, action_rate_bytes, action_route_target, action_dscp, status, created_at, "
            + "updated_at, expires_at, first_event_at, last_event_at, event_count, last_confidence, dry_run, "
            + "ended_at, ended_by, end_reason";

    /** Inserts a mitigation or, when its id is stored already, replaces every column that can change. */
    static final String UPSERT = """
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

    private MitigationRow() {
    }

    /** Binds the parameters of {@link #UPSERT}; {@code c} makes the array parameters. */
    static void bind(Connection c, PreparedStatement s, Mitigation m) throws SQLException {
        FlowMatch match = m.rule().match();
        s.setObject(1, UUID.fromString(m.id()));
        s.setString(2, m.pop());
        s.setString(3, m.customerId());
        s.setString(4, AddressText.of(m.victim()));
        s.setString(5, m.vector().wireName());
        s.setString(6, m.playbook());
        s.setInt(7, m.stepIndex());
        s.setString(8, match.destination().toString());
        SqlParameters.setShort(s, 9, match.ipProtocol());
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
        SqlParameters.setDouble(s, 23, m.lastConfidence());
        s.setBoolean(24, m.dryRun());
        s.setTimestamp(25, m.endedAt() == null ? null : Timestamp.from(m.endedAt()));
        s.setString(26, m.endedBy());
        s.setString(27, m.endReason());
    }

    /** The mitigation in the current row of a query that selects {@link #COLUMNS}. */
    static Mitigation read(ResultSet rs) throws SQLException {
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

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

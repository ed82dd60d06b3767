package net.rampart.store.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import net.rampart.detect.alert.Alert;
import net.rampart.detect.alert.AlertChange;
import net.rampart.detect.alert.AlertState;
import net.rampart.detect.alert.AlertType;
import net.rampart.detect.alert.Evidence;
import net.rampart.detect.alert.Finding;
import net.rampart.detect.alert.Taxonomy;
import net.rampart.wire.ip.IpPrefix;

/** The SQL of the {@code alert} table ({@code V400__detect_alerts.sql}): each alert whole, in its latest state. */
final class AlertTable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, key, type, prefix::text AS prefix, "
            + "monitored_prefix::text AS monitored_prefix, asn, taxonomy, group_name, summary, state, "
            + "acknowledged_by, opened_at, changed_at, sightings, evidence::text AS evidence, timeline::text AS timeline";
    // What an alert found never changes; only its life does.
    private static final String UPSERT = """
            INSERT INTO alert (id, key, type, prefix, monitored_prefix, asn, taxonomy, group_name, summary, state,
                               acknowledged_by, opened_at, changed_at, resolved_at, notice, sightings, evidence, timeline)
            VALUES (?, ?, ?, ?::cidr, ?::cidr, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)
            ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, acknowledged_by = EXCLUDED.acknowledged_by,
                changed_at = EXCLUDED.changed_at, resolved_at = EXCLUDED.resolved_at, notice = EXCLUDED.notice,
                sightings = EXCLUDED.sightings, evidence = EXCLUDED.evidence, timeline = EXCLUDED.timeline
            """;

    private final DataSource dataSource;

    AlertTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every stored alert, oldest first. */
    List<Alert> all() throws SQLException {
        List<Alert> alerts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM alert ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                alerts.add(read(rs));
            }
        }
        return alerts;
    }

    /** Stores each alert as it stands, in the order given, on {@code c}'s transaction. */
    void upsert(Connection c, List<Alert> alerts) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (Alert a : alerts) {
                Finding f = a.finding();
                AlertChange last = a.timeline().getLast();
                boolean resolved = a.state() == AlertState.RESOLVED;
                s.setLong(1, a.id());
                s.setString(2, a.key());
                s.setString(3, a.type().wireName());
                s.setString(4, f.prefix().toString());
                s.setString(5, f.monitoredPrefix() == null ? null : f.monitoredPrefix().toString());
                if (f.asn() < 0) {
                    s.setNull(6, Types.BIGINT);
                } else {
                    s.setLong(6, f.asn());
                }
                s.setString(7, f.taxonomy() == null ? null : f.taxonomy().toString());
                s.setString(8, f.group());
                s.setString(9, f.summary());
                s.setString(10, a.state().name().toLowerCase(Locale.ROOT));
                s.setString(11, a.acknowledgedBy());
                s.setObject(12, time(a.openedAt()));
                s.setObject(13, time(a.updatedAt()));
                s.setObject(14, resolved ? time(last.timeMillis()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                s.setString(15, resolved ? last.note() : null);
                s.setLong(16, a.sightings());
                s.setString(17, evidenceJson(a.evidence()));
                s.setString(18, timelineJson(a.timeline()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static Alert read(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        String type = rs.getString("type");
        String monitored = rs.getString("monitored_prefix");
        long asn = rs.getLong("asn");
        if (rs.wasNull()) {
            asn = -1;
        }
        String taxonomy = rs.getString("taxonomy");
        Finding finding = new Finding(AlertType.fromWireName(type).orElseThrow(() -> new SQLException(
                "alert " + id + " has a type this version does not know: " + type)),
                rs.getString("key"), IpPrefix.parse(rs.getString("prefix")),
                monitored == null ? null : IpPrefix.parse(monitored), asn,
                taxonomy == null ? null : new Taxonomy(taxonomy.charAt(0), taxonomy.charAt(2), taxonomy.charAt(4)),
                rs.getString("group_name"), rs.getString("summary"));
        try {
            return new Alert(id, finding, AlertState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                    rs.getString("acknowledged_by"), millis(rs, "opened_at"), millis(rs, "changed_at"),
                    rs.getLong("sightings"), evidence(JSON.readTree(rs.getString("evidence"))),
                    timeline(JSON.readTree(rs.getString("timeline"))));
        } catch (JsonProcessingException e) {
            throw new SQLException("alert " + id + " has evidence or a timeline that is not JSON", e);
        }
    }

    private static String evidenceJson(List<Evidence> evidence) {
        List<Map<String, Object>> out = new ArrayList<>(evidence.size());
        for (Evidence e : evidence) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", Instant.ofEpochMilli(e.timeMillis()).toString());
            entry.put("vantage_point", e.vantagePoint());
            entry.put("prefix", e.prefix().toString());
            entry.put("as_path", e.asPath());
            out.add(entry);
        }
        return json(out);
    }

    private static List<Evidence> evidence(JsonNode array) {
        List<Evidence> evidence = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            evidence.add(new Evidence(Instant.parse(e.get("at").asText()).toEpochMilli(),
                    text(e, "vantage_point"), IpPrefix.parse(e.get("prefix").asText()), text(e, "as_path")));
        }
        return evidence;
    }

    private static String timelineJson(List<AlertChange> timeline) {
        List<Map<String, Object>> out = new ArrayList<>(timeline.size());
        for (AlertChange change : timeline) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", Instant.ofEpochMilli(change.timeMillis()).toString());
            entry.put("state", change.state().name().toLowerCase(Locale.ROOT));
            entry.put("by", change.by());
            entry.put("note", change.note());
            out.add(entry);
        }
        return json(out);
    }

    private static List<AlertChange> timeline(JsonNode array) {
        List<AlertChange> timeline = new ArrayList<>(array.size());
        for (JsonNode c : array) {
            timeline.add(new AlertChange(Instant.parse(c.get("at").asText()).toEpochMilli(),
                    AlertState.valueOf(c.get("state").asText().toUpperCase(Locale.ROOT)), text(c, "by"),
                    text(c, "note")));
        }
        return timeline;
    }

    /** The field's text, or null where it was written as null (asText would say "null"). */
    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists of strings always serialise", e);
        }
    }

    private static OffsetDateTime time(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
    }

    private static long millis(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant().toEpochMilli();
    }
}

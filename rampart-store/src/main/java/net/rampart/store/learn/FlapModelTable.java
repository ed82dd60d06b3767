package net.rampart.store.learn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import net.rampart.learn.flap.FlapModel;

/** Flap prediction models in PostgreSQL ({@code flap_model}, V500): each training's model, newest served. */
public final class FlapModelTable {

    /** What a model predicts the flaps of. */
    public static final Set<String> KINDS = Set.of("route", "session");

    /**
     * One stored model.
     *
     * @param historyFrom  the start of the history replayed for its rows
     * @param historyTo    the end of it
     * @param testFrom     where its held-out test period starts
     * @param minChanges   the state changes within the model's horizon that make a flap
     * @param trainingRows rows it was trained on (validation period included)
     * @param testRows     rows it was evaluated on
     */
    public record StoredModel(int version, String kind, Instant trainedAt, Instant historyFrom, Instant historyTo,
                              Instant testFrom, int minChanges, long trainingRows, long testRows, FlapModel model) {
        public StoredSummary summarized() {
            return new StoredSummary(version, kind, trainedAt, historyFrom, historyTo, testFrom, minChanges,
                    trainingRows, testRows, model.summary());
        }
    }

    /** A stored model as a list shows it: what {@link StoredModel} holds, but the trees. */
    public record StoredSummary(int version, String kind, Instant trainedAt, Instant historyFrom, Instant historyTo,
                                Instant testFrom, int minChanges, long trainingRows, long testRows,
                                FlapModel.Summary summary) {
    }

    private static final String COLUMNS = "version, kind, trained_at, history_from, history_to, test_from,"
            + " min_changes, training_rows, test_rows, model";

    private final DataSource dataSource;

    public FlapModelTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a newly trained model; returns its version. */
    public int insert(String kind, Instant trainedAt, Instant historyFrom, Instant historyTo, Instant testFrom,
                      int minChanges, long trainingRows, long testRows, FlapModel model) throws SQLException {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("not a model kind: " + kind);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO flap_model (kind, trained_at, history_from, history_to, test_from, min_changes,
                                        training_rows, test_rows, auc, baseline_auc, model)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING version""")) {
            s.setString(1, kind);
            s.setTimestamp(2, Timestamp.from(trainedAt));
            s.setTimestamp(3, Timestamp.from(historyFrom));
            s.setTimestamp(4, Timestamp.from(historyTo));
            s.setTimestamp(5, Timestamp.from(testFrom));
            s.setInt(6, minChanges);
            s.setLong(7, trainingRows);
            s.setLong(8, testRows);
            setDouble(s, 9, model.evaluation().model().auc());
            setDouble(s, 10, model.evaluation().baseline().auc());
            s.setBytes(11, model.toBytes());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void setDouble(PreparedStatement s, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            s.setNull(index, Types.DOUBLE);
        } else {
            s.setDouble(index, value);
        }
    }

    /** The newest model of {@code kind}. */
    public Optional<StoredModel> newest(String kind) throws SQLException {
        List<StoredModel> found = select("WHERE kind = ? ORDER BY version DESC LIMIT 1", kind);
        return found.stream().findFirst();
    }

    /** One model by its version. */
    public Optional<StoredModel> version(int version) throws SQLException {
        return select("WHERE version = ?", version).stream().findFirst();
    }

    /** How many models are stored. */
    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM flap_model"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A page of the models, newest first, without their trees: only the start of each stored
     * model is read, where its summary is.
     */
    public List<StoredSummary> page(int offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS.replace("model", "substring(model FROM 1 FOR " + FlapModel.SUMMARY_BYTES + ")")
                        + " FROM flap_model ORDER BY version DESC OFFSET ? LIMIT ?")) {
            s.setInt(1, offset);
            s.setInt(2, limit);
            List<StoredSummary> page = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(new StoredSummary(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                            rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getLong(8), rs.getLong(9),
                            FlapModel.summaryOf(rs.getBytes(10))));
                }
            }
            return page;
        }
    }

    private List<StoredModel> select(String where, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM flap_model " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<StoredModel> models = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    models.add(new StoredModel(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                            rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getLong(8), rs.getLong(9),
                            FlapModel.fromBytes(rs.getBytes(10))));
                }
            }
            return models;
        }
    }
}

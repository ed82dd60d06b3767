-- Flap prediction models (rampart-learn's FlapModel), one row per training: the model as
-- FlapModel.toBytes() writes it (features, parameters, training period, threshold, held-out
-- evaluation and the XGBoost trees), and the figures people ask for as columns. The newest model of
-- a kind is the one served; older ones stay for comparison.

CREATE TABLE flap_model (
    version         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('route', 'session')),
    trained_at      TIMESTAMPTZ NOT NULL,
    history_from    TIMESTAMPTZ NOT NULL,       -- the history replayed to make its rows
    history_to      TIMESTAMPTZ NOT NULL,
    test_from       TIMESTAMPTZ NOT NULL,       -- the cut: rows from here on are the held-out test
    min_changes     INTEGER NOT NULL,           -- a flap: this many state changes within the model's horizon
    training_rows   BIGINT NOT NULL,
    test_rows       BIGINT NOT NULL,
    auc             DOUBLE PRECISION,           -- on the test rows; NULL when undefined (one class)
    baseline_auc    DOUBLE PRECISION,           -- the RFC 2439 figure of merit alone, on the same rows
    model           BYTEA NOT NULL
);
CREATE INDEX flap_model_kind ON flap_model (kind, version DESC);

-- Churn anomalies (rampart-learn's ChurnAnomalyDetector): minutes whose update count left the
-- usual daily and weekly shape of one scope's series. A scope is a router, a peer of a router
-- (router/peer) or a prefix group. One row per scope and minute: a minute judged again on a
-- later run is not stored twice.

CREATE TABLE churn_anomaly (
    id          BIGSERIAL PRIMARY KEY,        -- insertion order
    scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('router', 'peer', 'prefix_group')),
    scope_name  TEXT NOT NULL,                -- router name, router/peer, or the group's name
    minute      TIMESTAMPTZ NOT NULL,         -- the start of the anomalous minute
    expected    DOUBLE PRECISION NOT NULL,    -- updates the seasonal shape expected in it
    observed    DOUBLE PRECISION NOT NULL,    -- effective updates counted (duplicates apart)
    score       DOUBLE PRECISION NOT NULL,    -- residual in MAD-sigmas; negative for a drop
    detected_at TIMESTAMPTZ NOT NULL,
    UNIQUE (scope_kind, scope_name, minute)
);

-- The API lists anomalies since a time, newest minute first, optionally of one scope kind.
CREATE INDEX churn_anomaly_minute ON churn_anomaly (minute DESC, id DESC);

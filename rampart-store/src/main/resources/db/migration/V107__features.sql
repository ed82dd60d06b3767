-- Features of every route and BGP session, learned from route history and peer events, that
-- flap prediction trains on and serves (rampart-learn). A refresh every few minutes brings
-- route_feature up to date from the history rows written since the last one (by seq), and from
-- the rows whose window counts have changed since with the passing of time (next_expiry); each row
-- keeps the state the next refresh continues from (state: rampart-learn's own encoding) and its
-- features as of computed_at. Session features are few, and taken again whole from peer_event.

CREATE TABLE feature_refresh (
    singleton     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    route_seq     BIGINT NOT NULL,          -- route history rows up to this seq are in route_feature
    refreshed_at  TIMESTAMPTZ
);
INSERT INTO feature_refresh (route_seq) VALUES (0);

CREATE TABLE route_feature (
    peer_id               INTEGER NOT NULL,
    view                  SMALLINT NOT NULL,
    afi                   SMALLINT NOT NULL,
    safi                  SMALLINT NOT NULL,
    route_key             TEXT COLLATE "C" NOT NULL,
    path_id               BIGINT NOT NULL,
    router_id             INTEGER NOT NULL,
    prefix                CIDR,
    computed_at           TIMESTAMPTZ NOT NULL,
    next_expiry           TIMESTAMPTZ,      -- when a window count next changes without a new event
    state                 BYTEA NOT NULL,
    announcements_5m      INTEGER NOT NULL,
    announcements_1h      INTEGER NOT NULL,
    announcements_24h     INTEGER NOT NULL,
    withdrawals_5m        INTEGER NOT NULL,
    withdrawals_1h        INTEGER NOT NULL,
    withdrawals_24h       INTEGER NOT NULL,
    path_changes_5m       INTEGER NOT NULL,
    path_changes_1h       INTEGER NOT NULL,
    path_changes_24h      INTEGER NOT NULL,
    state_changes_5m      INTEGER NOT NULL,
    state_changes_1h      INTEGER NOT NULL,
    state_changes_24h     INTEGER NOT NULL,
    path_length           INTEGER,          -- NULL: never seen announced
    path_length_variance  DOUBLE PRECISION NOT NULL,
    next_hops_24h         INTEGER NOT NULL,
    withdrawn             BOOLEAN NOT NULL,
    seconds_since_change  DOUBLE PRECISION NOT NULL,
    age_seconds           DOUBLE PRECISION NOT NULL,
    failures              INTEGER NOT NULL,
    mtbf_seconds          DOUBLE PRECISION, -- NULL: never withdrawn
    figure_of_merit       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (peer_id, view, afi, safi, route_key, path_id)
);
CREATE INDEX route_feature_next_expiry ON route_feature (next_expiry) WHERE next_expiry IS NOT NULL;
CREATE INDEX route_feature_prefix ON route_feature (prefix);

CREATE TABLE session_feature (
    peer_id               INTEGER PRIMARY KEY,
    router_id             INTEGER NOT NULL,
    computed_at           TIMESTAMPTZ NOT NULL,
    ups_5m                INTEGER NOT NULL,
    ups_1h                INTEGER NOT NULL,
    ups_24h               INTEGER NOT NULL,
    downs_5m              INTEGER NOT NULL,
    downs_1h              INTEGER NOT NULL,
    downs_24h             INTEGER NOT NULL,
    state_changes_5m      INTEGER NOT NULL,
    state_changes_1h      INTEGER NOT NULL,
    state_changes_24h     INTEGER NOT NULL,
    up                    BOOLEAN NOT NULL,
    uptime_seconds        DOUBLE PRECISION NOT NULL,
    seconds_since_change  DOUBLE PRECISION NOT NULL,
    age_seconds           DOUBLE PRECISION NOT NULL,
    downs                 INTEGER NOT NULL,
    mtbf_seconds          DOUBLE PRECISION, -- NULL: never down
    figure_of_merit       DOUBLE PRECISION NOT NULL
);

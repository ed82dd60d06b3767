-- Route history (every announcement and withdrawal), current routes, peer events and
-- statistics. The time-series tables are TimescaleDB hypertables when that extension can be
-- loaded, natively range-partitioned tables otherwise; time_series records which, and the
-- retention the service applies (TimescaleDB policies, or dropping native partitions).

CREATE TABLE time_series (
    table_name          TEXT PRIMARY KEY,
    partitioning        TEXT NOT NULL CHECK (partitioning IN ('timescaledb', 'native')),
    partition_interval  INTERVAL NOT NULL,
    retention           INTERVAL NOT NULL
);

DO $$
DECLARE
    timescale BOOLEAN := EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
        AND current_setting('shared_preload_libraries') LIKE '%timescaledb%';
    suffix TEXT;
BEGIN
    IF timescale THEN
        CREATE EXTENSION IF NOT EXISTS timescaledb;
        suffix := '';
    ELSE
        suffix := ' PARTITION BY RANGE (time)';
    END IF;

    EXECUTE $t$
    CREATE TABLE route_history (
        time                  TIMESTAMPTZ NOT NULL,
        router_id             INTEGER NOT NULL,
        peer_id               INTEGER NOT NULL,
        view                  SMALLINT NOT NULL,      -- rib_view.code
        afi                   SMALLINT NOT NULL,
        safi                  SMALLINT NOT NULL,
        prefix                CIDR,                   -- IP prefix; EVPN type 5 IP prefix
        route_key             TEXT COLLATE "C" NOT NULL, -- canonical NLRI key, as in current_route
        path_id               BIGINT NOT NULL,
        is_withdrawn          BOOLEAN NOT NULL,
        next_hop              INET,
        as_path               BIGINT[],
        origin_asn            BIGINT,
        origin                SMALLINT,               -- 0 IGP, 1 EGP, 2 INCOMPLETE
        med                   BIGINT,
        local_pref            BIGINT,
        communities           TEXT[],                 -- 'asn:value'
        extended_communities  BIGINT[],               -- the 8 bytes of each, as a signed 64-bit value
        large_communities     TEXT[],                 -- 'global:data1:data2'
        evpn_route_type       SMALLINT,
        rd                    TEXT,
        esi                   TEXT,
        mac                   MACADDR,
        ip                    INET,                   -- EVPN MAC/IP address or originating router
        labels                INTEGER[]
    )$t$ || suffix;

    EXECUTE $t$
    CREATE TABLE peer_event (
        time                  TIMESTAMPTZ NOT NULL,
        peer_id               INTEGER NOT NULL,
        event                 TEXT NOT NULL CHECK (event IN ('up', 'down')),
        reason                SMALLINT,               -- BMP Peer Down reason
        notification_code     SMALLINT,
        notification_subcode  SMALLINT,
        notification_data     BYTEA,
        detail                JSONB
    )$t$ || suffix;

    EXECUTE $t$
    CREATE TABLE peer_statistic (
        time       TIMESTAMPTZ NOT NULL,
        peer_id    INTEGER NOT NULL,
        stat_type  INTEGER NOT NULL,                  -- BMP Statistics Report type
        afi        SMALLINT,
        safi       SMALLINT,
        value      BIGINT NOT NULL
    )$t$ || suffix;

    IF timescale THEN
        PERFORM create_hypertable('route_history', 'time', chunk_time_interval => INTERVAL '1 day');
        PERFORM create_hypertable('peer_event', 'time', chunk_time_interval => INTERVAL '7 days');
        PERFORM create_hypertable('peer_statistic', 'time', chunk_time_interval => INTERVAL '1 day');
        ALTER TABLE route_history SET (timescaledb.compress, timescaledb.compress_segmentby = 'peer_id');
        PERFORM add_compression_policy('route_history', INTERVAL '7 days');
        INSERT INTO time_series VALUES
            ('route_history', 'timescaledb', INTERVAL '1 day', INTERVAL '5 years'),
            ('peer_event', 'timescaledb', INTERVAL '7 days', INTERVAL '6 months'),
            ('peer_statistic', 'timescaledb', INTERVAL '1 day', INTERVAL '6 months');
    ELSE
        INSERT INTO time_series VALUES
            ('route_history', 'native', INTERVAL '7 days', INTERVAL '5 years'),
            ('peer_event', 'native', INTERVAL '1 month', INTERVAL '6 months'),
            ('peer_statistic', 'native', INTERVAL '7 days', INTERVAL '6 months');
    END IF;
END
$$;

-- Churn in the last hour (rows arrive in time order, so a BRIN index is small and cheap to
-- keep), history of one prefix, EVPN MAC lookup.
CREATE INDEX route_history_time ON route_history USING BRIN (time) WITH (pages_per_range = 32);
CREATE INDEX route_history_prefix ON route_history (prefix, time);
CREATE INDEX route_history_mac ON route_history (mac, time) WHERE mac IS NOT NULL;
CREATE INDEX peer_event_peer ON peer_event (peer_id, time);
CREATE INDEX peer_statistic_peer ON peer_statistic (peer_id, time);

-- The latest state of every route ever seen, with churn counters.
CREATE TABLE current_route (
    peer_id               INTEGER NOT NULL,
    view                  SMALLINT NOT NULL,
    afi                   SMALLINT NOT NULL,
    safi                  SMALLINT NOT NULL,
    route_key             TEXT COLLATE "C" NOT NULL, -- byte order: cheaper to index than a locale's
    path_id               BIGINT NOT NULL,
    router_id             INTEGER NOT NULL,
    prefix                CIDR,
    withdrawn             BOOLEAN NOT NULL,
    first_seen            TIMESTAMPTZ NOT NULL,
    last_change           TIMESTAMPTZ NOT NULL,
    update_count          BIGINT NOT NULL,
    next_hop              INET,
    as_path               BIGINT[],
    origin_asn            BIGINT,
    origin                SMALLINT,
    med                   BIGINT,
    local_pref            BIGINT,
    communities           TEXT[],
    extended_communities  BIGINT[],
    large_communities     TEXT[],
    evpn_route_type       SMALLINT,
    rd                    TEXT,
    esi                   TEXT,
    mac                   MACADDR,
    ip                    INET,
    labels                INTEGER[],
    -- Current routes by peer are a prefix scan of the key.
    PRIMARY KEY (peer_id, view, afi, safi, route_key, path_id)
);
-- A large pending list lets a full-table load add to the GIN index in bulk.
CREATE INDEX current_route_as_path ON current_route USING GIN (as_path)
    WITH (fastupdate = on, gin_pending_list_limit = 16384);
CREATE INDEX current_route_mac ON current_route (mac) WHERE mac IS NOT NULL;
CREATE INDEX current_route_last_change ON current_route (last_change);
CREATE INDEX current_route_origin_asn ON current_route (origin_asn);

-- Route history at line rate: each distinct set of path attributes is stored once, in
-- path_attributes, and history rows carry its id; history rows are only appended (each with a
-- seq, its batch's number shifted left 16 bits plus its place in the batch), and current_route
-- becomes a checkpoint the service merges from history periodically, up to the seq recorded in
-- route_checkpoint.

CREATE TABLE path_attributes (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- SHA-256 of the set's full encoding (written by the service); for sets migrated from
    -- rows of before this version, SHA-256 of their text under a 'v103' tag.
    digest                BYTEA NOT NULL UNIQUE,
    encoded               BYTEA,                  -- every attribute; NULL for migrated sets
    next_hop              INET,
    as_path               BIGINT[],
    origin_asn            BIGINT,
    origin                SMALLINT,
    med                   BIGINT,
    local_pref            BIGINT,
    communities           TEXT[],
    extended_communities  BIGINT[],
    large_communities     TEXT[],
    first_seen            TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The digest migrated sets get: their columns as text, tagged so that it never equals the
-- digest of an encoding. A set written again by the service gets a row of its own, which is
-- harmless: both rows hold the same columns.
CREATE FUNCTION pg_temp.v103_digest(next_hop INET, as_path BIGINT[], origin_asn BIGINT, origin SMALLINT,
                                    med BIGINT, local_pref BIGINT, communities TEXT[],
                                    extended_communities BIGINT[], large_communities TEXT[])
RETURNS BYTEA LANGUAGE sql IMMUTABLE AS $f$
    SELECT sha256(convert_to(concat_ws('|', 'v103', coalesce(next_hop::text, '-'), coalesce(as_path::text, '-'),
        coalesce(origin_asn::text, '-'), coalesce(origin::text, '-'), coalesce(med::text, '-'),
        coalesce(local_pref::text, '-'), coalesce(communities::text, '-'),
        coalesce(extended_communities::text, '-'), coalesce(large_communities::text, '-')), 'UTF8'))
$f$;

DO $$
BEGIN
    -- Compressed chunks cannot be updated in place: decompress them for the migration (the
    -- compression policy compresses them again).
    IF (SELECT partitioning FROM time_series WHERE table_name = 'route_history') = 'timescaledb' THEN
        EXECUTE 'SELECT decompress_chunk(c, true) FROM show_chunks(''route_history'') c';
    END IF;
END
$$;

INSERT INTO path_attributes (digest, next_hop, as_path, origin_asn, origin, med, local_pref, communities,
                             extended_communities, large_communities, first_seen)
SELECT DISTINCT ON (digest) digest, next_hop, as_path, origin_asn, origin, med, local_pref, communities,
       extended_communities, large_communities, seen
FROM (
    SELECT pg_temp.v103_digest(next_hop, as_path, origin_asn, origin, med, local_pref, communities,
               extended_communities, large_communities) AS digest,
           next_hop, as_path, origin_asn, origin, med, local_pref, communities, extended_communities,
           large_communities, time AS seen
    FROM route_history WHERE NOT is_withdrawn
    UNION ALL
    SELECT pg_temp.v103_digest(next_hop, as_path, origin_asn, origin, med, local_pref, communities,
               extended_communities, large_communities),
           next_hop, as_path, origin_asn, origin, med, local_pref, communities, extended_communities,
           large_communities, first_seen
    FROM current_route WHERE as_path IS NOT NULL
) sets
ORDER BY digest, seen;

CREATE INDEX path_attributes_as_path ON path_attributes USING GIN (as_path);
CREATE INDEX path_attributes_communities ON path_attributes USING GIN (communities);
CREATE INDEX path_attributes_origin_asn ON path_attributes (origin_asn);

-- One column per statement: TimescaleDB alters a hypertable with compression one column at a time.
ALTER TABLE route_history ADD COLUMN attrs_id BIGINT;
ALTER TABLE route_history ADD COLUMN seq BIGINT;
UPDATE route_history h SET attrs_id = a.id
FROM path_attributes a
WHERE NOT h.is_withdrawn AND a.digest = pg_temp.v103_digest(h.next_hop, h.as_path, h.origin_asn, h.origin, h.med,
    h.local_pref, h.communities, h.extended_communities, h.large_communities);
ALTER TABLE route_history DROP COLUMN next_hop;
ALTER TABLE route_history DROP COLUMN as_path;
ALTER TABLE route_history DROP COLUMN origin_asn;
ALTER TABLE route_history DROP COLUMN origin;
ALTER TABLE route_history DROP COLUMN med;
ALTER TABLE route_history DROP COLUMN local_pref;
ALTER TABLE route_history DROP COLUMN communities;
ALTER TABLE route_history DROP COLUMN extended_communities;
ALTER TABLE route_history DROP COLUMN large_communities;
-- Rows are appended in seq order, so a BRIN index finds a checkpoint's range cheaply.
CREATE INDEX route_history_seq ON route_history USING BRIN (seq) WITH (pages_per_range = 32);

ALTER TABLE current_route ADD COLUMN attrs_id BIGINT;
UPDATE current_route c SET attrs_id = a.id
FROM path_attributes a
WHERE c.as_path IS NOT NULL AND a.digest = pg_temp.v103_digest(c.next_hop, c.as_path, c.origin_asn, c.origin,
    c.med, c.local_pref, c.communities, c.extended_communities, c.large_communities);
DROP INDEX IF EXISTS current_route_as_path;
DROP INDEX IF EXISTS current_route_origin_asn;
ALTER TABLE current_route
    DROP COLUMN next_hop, DROP COLUMN as_path, DROP COLUMN origin_asn, DROP COLUMN origin, DROP COLUMN med,
    DROP COLUMN local_pref, DROP COLUMN communities, DROP COLUMN extended_communities,
    DROP COLUMN large_communities;
-- Routes by attribute set: the join from a set found by AS path or community.
CREATE INDEX current_route_attrs ON current_route (attrs_id);

-- Batch numbers of history writes: a row's seq is its batch's number << 16 plus its index.
CREATE SEQUENCE route_history_batch;

-- How far current_route is merged from route_history: every row with a seq up to merged_seq.
-- Rows from before this version have no seq; they were merged as they were written.
CREATE TABLE route_checkpoint (
    one         BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    merged_seq  BIGINT NOT NULL,
    merged_at   TIMESTAMPTZ NOT NULL
);
INSERT INTO route_checkpoint VALUES (true, 0, now());

DROP FUNCTION pg_temp.v103_digest(INET, BIGINT[], BIGINT, SMALLINT, BIGINT, BIGINT, TEXT[], BIGINT[], TEXT[]);

-- How far each source of route events that can be read again (a Kafka topic read in a consumer
-- group) had been read when route history held everything before: written in the same
-- transaction as the history rows, so that a reader resumes exactly where history ends, after a
-- crash too, and writes no row twice.
CREATE TABLE source_position (
    source      TEXT NOT NULL,          -- 'kafka:<group>/<topic>'
    part        INTEGER NOT NULL,       -- the topic's partition
    next_offset BIGINT NOT NULL,        -- the first offset whose events history does not all hold
    next_stored BIGINT NOT NULL,        -- how many of that message's events it holds (the first ones)
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (source, part)
);

-- The RPKI serial history: the current session, serial and payload (one row), and every
-- retained delta. Payloads are runs of RTR version 2 PDUs (see PayloadCodec), so a stored
-- blob is readable with any RTR tool. Serials are unsigned 32-bit values and wrap, so
-- deltas are ordered by seq, not by serial.
CREATE TABLE rpki_state (
    singleton   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    session_id  INTEGER NOT NULL CHECK (session_id BETWEEN 0 AND 65535),
    serial      BIGINT NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
    updated_at  TIMESTAMPTZ NOT NULL,
    hash        TEXT NOT NULL,
    vrp_count   INTEGER NOT NULL,
    payload     BYTEA NOT NULL
);

CREATE TABLE rpki_delta (
    seq         BIGSERIAL PRIMARY KEY,
    session_id  INTEGER NOT NULL,
    serial      BIGINT NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
    created_at  TIMESTAMPTZ NOT NULL,
    announced   INTEGER NOT NULL,
    withdrawn   INTEGER NOT NULL,
    payload     BYTEA NOT NULL
);
CREATE INDEX rpki_delta_session_serial ON rpki_delta (session_id, serial);

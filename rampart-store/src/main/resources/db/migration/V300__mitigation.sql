-- FlowSpec mitigation: events from detectors, the mitigations they produced, the safelist
-- entries added through the API, and the audit log of every change and refusal.
-- Shared by every POP: each row names the POP that wrote it.

CREATE TABLE mitigation (
    id                  UUID PRIMARY KEY,
    pop                 TEXT NOT NULL,
    customer_id         TEXT,
    victim              INET NOT NULL,
    vector              TEXT NOT NULL,
    playbook            TEXT NOT NULL,
    step_index          INTEGER NOT NULL,
    -- The FlowSpec match (the NLRI) ...
    match_destination   CIDR NOT NULL,
    match_protocol      SMALLINT,
    match_dst_ports     INTEGER[] NOT NULL,
    match_tcp_syn       BOOLEAN NOT NULL,
    -- ... and the action (the extended community).
    action_kind         TEXT NOT NULL CHECK (action_kind IN ('police', 'discard', 'redirect', 'mark')),
    action_rate_bytes   REAL,
    action_route_target TEXT,
    action_dscp         SMALLINT,
    status              TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'expired')),
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    expires_at          TIMESTAMPTZ NOT NULL,
    first_event_at      TIMESTAMPTZ NOT NULL,
    last_event_at       TIMESTAMPTZ NOT NULL,
    event_count         INTEGER NOT NULL,
    last_confidence     DOUBLE PRECISION,
    dry_run             BOOLEAN NOT NULL,
    ended_at            TIMESTAMPTZ,
    ended_by            TEXT,
    end_reason          TEXT
);

-- Correlation relies on one active mitigation per POP, victim and vector.
CREATE UNIQUE INDEX mitigation_active_victim ON mitigation (pop, victim, vector) WHERE status = 'active';
CREATE INDEX mitigation_active_customer ON mitigation (customer_id) WHERE status = 'active';
CREATE INDEX mitigation_active_expiry ON mitigation (pop, expires_at) WHERE status = 'active';
CREATE INDEX mitigation_newest ON mitigation (created_at DESC, id DESC);

CREATE TABLE mitigation_event (
    event_id        TEXT PRIMARY KEY,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    event_time      TIMESTAMPTZ NOT NULL,
    source          TEXT NOT NULL,
    pop             TEXT NOT NULL,
    victim          INET NOT NULL,
    vector          TEXT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('ban', 'unban')),
    bps             BIGINT,
    pps             BIGINT,
    confidence      DOUBLE PRECISION,
    protocol        SMALLINT,
    top_dst_ports   INTEGER[] NOT NULL,
    mitigation_ids  UUID[] NOT NULL,
    raw_details     JSONB
);

CREATE INDEX mitigation_event_victim ON mitigation_event (victim, received_at DESC);

CREATE TABLE mitigation_safelist (
    prefix      CIDR PRIMARY KEY,
    reason      TEXT NOT NULL,
    origin      TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE mitigation_audit (
    id              BIGSERIAL PRIMARY KEY,
    schema_version  INTEGER NOT NULL,
    time            TIMESTAMPTZ NOT NULL,
    pop             TEXT,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    mitigation_id   UUID,
    event_id        TEXT,
    details         JSONB NOT NULL
);

CREATE INDEX mitigation_audit_mitigation ON mitigation_audit (mitigation_id, time);
CREATE INDEX mitigation_audit_time ON mitigation_audit (time DESC);

-- Bearer tokens of the REST API. Only a SHA-256 hash of each token is kept: the token itself
-- is shown once, when it is created, and cannot be read back from the database.
CREATE TABLE api_token (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'operator', 'admin')),
    token_hash   BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by   TEXT NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    revoked_by   TEXT
);

CREATE INDEX api_token_active_scope ON api_token (scope) WHERE revoked_at IS NULL;

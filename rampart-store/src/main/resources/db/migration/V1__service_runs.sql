-- One row per start of the service: when it ran, which version, and whether it stopped cleanly.
-- Operators read it to see restarts; the lifecycle writes it.
CREATE TABLE service_run (
    id          BIGSERIAL PRIMARY KEY,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    stopped_at  TIMESTAMPTZ,
    version     TEXT NOT NULL,
    host        TEXT NOT NULL
);

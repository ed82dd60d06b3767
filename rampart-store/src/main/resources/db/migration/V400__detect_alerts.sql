-- Detection alerts (rampart-detect's Alert), one row per alert in its latest state. The
-- evidence (the latest routes that showed it, bounded) and the timeline are JSONB arrays in the
-- row: an alert is always read and written whole, both by the service (which keeps the alerts in
-- memory and writes each change as one upsert) and by the API, which shows an alert with both.
-- Child tables would turn every sighting into a diff of the evidence list for no reader's gain.

CREATE TABLE alert (
    id               BIGINT PRIMARY KEY,       -- handed out by the service, increasing across restarts
    key              TEXT NOT NULL,            -- origin_hijack|192.0.2.0/24|AS64666: the condition
    type             TEXT NOT NULL,            -- the key's first part, e.g. origin_hijack
    prefix           CIDR NOT NULL,            -- as announced
    monitored_prefix CIDR,                     -- the monitored prefix covering it; null for unlisted_prefix
    asn              BIGINT,                   -- the AS it is about; null for none
    taxonomy         TEXT,                     -- ARTEMIS label (E|0|-) of hijack alerts, null for the others
    group_name       TEXT NOT NULL,            -- the monitors group whose channels hear of it
    summary          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'ignored', 'resolved')),
    acknowledged_by  TEXT,
    opened_at        TIMESTAMPTZ NOT NULL,
    changed_at       TIMESTAMPTZ NOT NULL,     -- the last sighting or change of state
    resolved_at      TIMESTAMPTZ,
    notice           TEXT,                     -- the restoration notice, once resolved
    sightings        BIGINT NOT NULL,          -- every route that showed it, of which evidence keeps the latest
    evidence         JSONB NOT NULL,           -- [{at, vantage_point, prefix, as_path}], oldest first
    timeline         JSONB NOT NULL,           -- [{at, state, by, note}], oldest first
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);

-- One alert per condition until it is resolved: a condition seen again adds evidence to it.
CREATE UNIQUE INDEX alert_active_key ON alert (key) WHERE state <> 'resolved';
-- The API's filters (state, type, prefix or a more-specific of it, changed since), newest first.
CREATE INDEX alert_changed ON alert (changed_at DESC, id DESC);
CREATE INDEX alert_state_changed ON alert (state, changed_at DESC);
CREATE INDEX alert_type_changed ON alert (type, changed_at DESC);
CREATE INDEX alert_prefix ON alert USING gist (prefix inet_ops);

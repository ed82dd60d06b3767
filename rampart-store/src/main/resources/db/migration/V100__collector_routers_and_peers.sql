-- Routers that sent BMP (or named MRT sources) and the BGP peers they report.
CREATE TABLE router (
    id                  INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,      -- the collector's RouterId: BMP source address or MRT source name
    address             INET,
    sys_name            TEXT,
    sys_descr           TEXT,
    first_seen          TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen           TIMESTAMPTZ NOT NULL DEFAULT now(),
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    termination_reason  TEXT
);

-- The RIB views as stored in route tables (smallint column "view").
CREATE TABLE rib_view (
    code  SMALLINT PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);
INSERT INTO rib_view (code, name) VALUES
    (0, 'adj-rib-in-pre'), (1, 'adj-rib-in-post'), (2, 'adj-rib-out-pre'), (3, 'adj-rib-out-post'), (4, 'loc-rib');

-- One BGP peer of one router, identified as BMP identifies it: type, distinguisher, address.
CREATE TABLE peer (
    id              INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    router_id       INTEGER NOT NULL REFERENCES router (id),
    peer_type       SMALLINT NOT NULL,             -- 0 global, 1 RD, 2 local, 3 Loc-RIB instance
    distinguisher   BIGINT NOT NULL,
    address         INET NOT NULL,
    asn             BIGINT,
    bgp_id          INET,
    local_address   INET,
    local_port      INTEGER,
    remote_port     INTEGER,
    local_asn       BIGINT,
    local_bgp_id    INET,
    hold_time       INTEGER,
    capabilities    JSONB,
    table_name      TEXT,
    first_seen      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen       TIMESTAMPTZ NOT NULL DEFAULT now(),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (router_id, peer_type, distinguisher, address)
);

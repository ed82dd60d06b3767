-- Rows a writer's database refused for what they hold (a NUL in a text column, a value out of
-- range, a broken constraint). Retrying cannot store them and they must not hold up the rows
-- behind them, so they are kept here, as text with every control character escaped, with the
-- reason PostgreSQL gave.
CREATE TABLE refused_row (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time      TIMESTAMPTZ NOT NULL DEFAULT now(),
    writer    TEXT NOT NULL,        -- mitigation, audit, ...
    sql_state TEXT,
    reason    TEXT NOT NULL,
    row_text  TEXT NOT NULL         -- the row as the writer describes it, JSON-escaped
);

-- The BMP session that delivered each change (or whose end withdrew the route): a router may
-- have several sessions at once, and each one's end withdraws only its own routes. The id is
-- the session's start in microseconds since the epoch, unique per session; NULL for MRT imports.
ALTER TABLE route_history ADD COLUMN session_id BIGINT;

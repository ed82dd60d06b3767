-- Room on each page of current_route lets an update that leaves the indexed columns alone
-- (a withdrawal, a re-announcement with the same path) stay on its page without touching
-- the indexes (a HOT update); last_change is therefore not indexed: churn questions go to
-- route_history, whose time index serves them.
ALTER TABLE current_route SET (fillfactor = 80);
DROP INDEX IF EXISTS current_route_last_change;

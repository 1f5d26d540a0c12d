-- The root of the log at its stored size, written with the size. A writer
-- that kept the right edge of the log in memory uses it only when both
-- match: a size alone cannot tell its own edge from one of the same size
-- that another transaction wrote after this one's was rolled back.
ALTER TABLE ledger_state ADD COLUMN root TEXT;

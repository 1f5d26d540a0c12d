-- The reviewer's queue reads tasks through tasks_open (department, state,
-- region, deadline); a queue without a state filter names every state
-- (queries.rs), so tasks_queue (department, region, state) is not needed.
-- Each task's change of state rewrote an entry in both (measured: 4.5 of a
-- commit's 49 SQLite pages were tasks_queue's).
DROP INDEX tasks_queue

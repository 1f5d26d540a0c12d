-- Indexes the reviewers' queues and the clerks' lists can seek in: equality
-- columns first, then the region range, then the sort.
CREATE INDEX tasks_open ON tasks (department, state, region, deadline);
CREATE INDEX cases_by_region ON cases (region, created_ms);

-- A message whose webhook kept failing is set aside (a dead letter) after
-- the worker's last attempt, instead of being retried forever. An admin
-- looks at it and sends it again once the department's system is fixed.
ALTER TABLE outbox ADD COLUMN dead_ms BIGINT;
ALTER TABLE outbox ADD COLUMN retried_by TEXT;
ALTER TABLE outbox ADD COLUMN retried_ms BIGINT;
CREATE INDEX outbox_by_created ON outbox (created_ms);

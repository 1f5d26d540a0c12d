-- The next free index of each department's status list, reserved before a
-- certificate is signed (the index is part of what is signed).
CREATE TABLE status_counters (
    department TEXT PRIMARY KEY,
    next_idx BIGINT NOT NULL
);

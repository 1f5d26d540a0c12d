-- When a closed case's documents may be deleted (issue 17): the retention
-- worker writes one row per closed case that has files, from the longest
-- retention its matters declare, counted from when the case closed. A
-- NULL `delete_after_ms` keeps the documents permanently (永久).

CREATE TABLE case_retention (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    closed_ms BIGINT NOT NULL,
    retention_years BIGINT,
    delete_after_ms BIGINT
);
CREATE INDEX case_retention_due ON case_retention (delete_after_ms);
CREATE INDEX material_files_live ON material_files (deleted_ms, case_id);

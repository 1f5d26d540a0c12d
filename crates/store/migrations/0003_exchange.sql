-- The public data exchange: records of shared data sets, the applicants'
-- consents, and every read of their data.

CREATE TABLE dataset_records (
    dataset TEXT NOT NULL,
    subject TEXT NOT NULL,
    fields TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (dataset, subject)
);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    subject TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX consents_by_case ON consents (case_id);

CREATE TABLE data_reads (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    subject TEXT NOT NULL,
    dataset TEXT NOT NULL,
    fields TEXT NOT NULL,
    matter TEXT NOT NULL,
    department TEXT NOT NULL,
    consent_id TEXT NOT NULL REFERENCES consents (id),
    actor TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX data_reads_by_subject ON data_reads (subject, at_ms);

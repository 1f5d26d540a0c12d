-- The files a case's materials are given as (issue 17). The files
-- themselves are kept sealed in a blob store under their SHA-256; these
-- rows say which case and material each belongs to, who gave it, and who
-- opened it. A file deleted when its retention ended keeps its row and its
-- hash, with `deleted_ms` set.

CREATE TABLE material_files (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    material TEXT NOT NULL,
    subject TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    name TEXT NOT NULL,
    given_by TEXT NOT NULL,
    given_ms BIGINT NOT NULL,
    reused_from TEXT,
    original_seen_by TEXT,
    original_seen_ms BIGINT,
    deleted_ms BIGINT
);
CREATE INDEX material_files_by_case ON material_files (case_id, material);
CREATE INDEX material_files_by_subject ON material_files (subject, material);
CREATE INDEX material_files_by_hash ON material_files (sha256);

CREATE TABLE material_views (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES material_files (id),
    case_id TEXT NOT NULL REFERENCES cases (id),
    subject TEXT NOT NULL,
    viewer TEXT NOT NULL,
    role TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX material_views_by_subject ON material_views (subject, at_ms);

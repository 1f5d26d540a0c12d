-- E-certificates: departments' sealing keys and every certificate issued,
-- with its place in the department's status list.

CREATE TABLE seal_keys (
    department TEXT NOT NULL,
    kid TEXT NOT NULL,
    seed TEXT,
    public_key TEXT NOT NULL,
    is_current BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (department, kid)
);

CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    department TEXT NOT NULL,
    matter TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    holder TEXT NOT NULL,
    vct TEXT NOT NULL,
    status_idx BIGINT NOT NULL,
    status_value BIGINT NOT NULL,
    issued_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    sd_jwt TEXT NOT NULL,
    UNIQUE (department, status_idx)
);
CREATE INDEX certificates_by_holder ON certificates (holder, issued_ms);

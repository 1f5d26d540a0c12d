-- yici schema, version 1. Written in the subset of SQL that SQLite and
-- PostgreSQL share (TEXT, BIGINT), so one file serves both backends.
-- Timestamps are milliseconds since the Unix epoch (UTC), dates are
-- 'YYYY-MM-DD' text, JSON is text: ids and times come from the application.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    subject TEXT,
    window_code TEXT,
    department TEXT,
    region TEXT,
    created_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    target TEXT NOT NULL,
    owner TEXT NOT NULL,
    subject TEXT NOT NULL,
    region TEXT NOT NULL,
    window_code TEXT,
    channel TEXT NOT NULL,
    planned_trips BIGINT NOT NULL,
    trips BIGINT NOT NULL,
    submitted_on TEXT NOT NULL,
    deadline TEXT,
    rating BIGINT,
    snapshot TEXT NOT NULL,
    checked_on TEXT,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX cases_by_owner ON cases (owner, created_ms);
CREATE INDEX cases_by_state ON cases (state);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    matter TEXT NOT NULL,
    department TEXT NOT NULL,
    region TEXT NOT NULL,
    state TEXT NOT NULL,
    stage BIGINT NOT NULL,
    flag TEXT NOT NULL,
    opened_on TEXT,
    deadline TEXT,
    decided_on TEXT,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX tasks_queue ON tasks (department, region, state);
CREATE INDEX tasks_by_case ON tasks (case_id);

CREATE TABLE case_events (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq BIGINT NOT NULL,
    idx BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    on_date TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (case_id, seq, idx)
);

CREATE TABLE idempotency (
    owner TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases (id),
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (owner, idem_key)
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    destination TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    delivered_ms BIGINT,
    last_error TEXT,
    created_ms BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (delivered_ms, next_attempt_ms);

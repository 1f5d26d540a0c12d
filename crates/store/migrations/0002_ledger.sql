-- The tamper-evident ledger (RFC 6962 Merkle log): one leaf per event,
-- appended in the transaction of the change it records.

CREATE TABLE ledger_state (
    id BIGINT PRIMARY KEY,
    size BIGINT NOT NULL
);
INSERT INTO ledger_state (id, size) VALUES (1, 0);

-- One row per leaf: which event it records and its hash. The leaf's data
-- is recomputed from the event row by `yici ledger verify`, never stored.
CREATE TABLE ledger_leaves (
    idx BIGINT PRIMARY KEY,
    leaf_hash TEXT NOT NULL,
    case_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event_idx BIGINT NOT NULL
);
CREATE INDEX ledger_leaves_by_event ON ledger_leaves (case_id, seq, event_idx);

-- Perfect-subtree hashes: (level, idx) is the subtree of 2^level leaves
-- starting at leaf idx * 2^level. Insert-only.
CREATE TABLE ledger_nodes (
    level BIGINT NOT NULL,
    idx BIGINT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (level, idx)
);

CREATE TABLE ledger_heads (
    tree_size BIGINT PRIMARY KEY,
    root_hash TEXT NOT NULL,
    timestamp_ms BIGINT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
);

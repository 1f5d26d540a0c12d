-- Two-way delivery (双向寄递, issue 18 §3): the applicant's address book,
-- the address a case's result goes to, the parcels (results sent out,
-- originals fetched and sent back) with each state the carrier reported,
-- the carrier's callbacks (nonces against replay, a log of every one,
-- applied or refused), and the sandbox carrier's own books.

CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    recipient TEXT NOT NULL,
    phone TEXT NOT NULL,
    region TEXT NOT NULL,
    line TEXT NOT NULL,
    postcode TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    removed_ms BIGINT
);
CREATE INDEX addresses_by_owner ON addresses (owner, created_ms);

CREATE TABLE delivery_choices (
    case_id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    chosen_by TEXT NOT NULL,
    chosen_ms BIGINT NOT NULL
);

CREATE TABLE parcels (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    material TEXT,
    carrier TEXT NOT NULL,
    waybill TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    address TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    received_by TEXT,
    received_ms BIGINT,
    back_parcel TEXT
);
CREATE INDEX parcels_by_case ON parcels (case_id, created_ms);
CREATE INDEX parcels_by_region ON parcels (region, updated_ms);

CREATE TABLE parcel_events (
    parcel_id TEXT NOT NULL REFERENCES parcels (id),
    state TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (parcel_id, state)
);

CREATE TABLE carrier_nonces (
    nonce TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL
);

CREATE TABLE carrier_callbacks (
    id TEXT PRIMARY KEY,
    waybill TEXT,
    outcome TEXT NOT NULL,
    rule TEXT,
    detail TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE INDEX carrier_callbacks_by_time ON carrier_callbacks (received_ms);

CREATE TABLE sandbox_parcels (
    waybill TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    deliverable BIGINT NOT NULL,
    next_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX sandbox_parcels_due ON sandbox_parcels (next_ms);

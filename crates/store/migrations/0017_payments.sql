-- 统一支付 (issue 18): orders for the fees a case owes, each naming its
-- fee items; the fees of a case that are paid (one row per fee, so a
-- second order paying the same fee finds it taken and is refunded); the
-- provider's nonces already heard (a replayed notice is refused); every
-- notice received, applied or refused (the log an auditor reads); and
-- refunds, requested in the transaction that finds them owed and
-- submitted to the provider by the worker.
--
-- The sandbox provider's own books follow (`sandbox_*`): it stands for a
-- payment company's system, so it keeps its orders and its outgoing
-- notices apart from yici's and talks to yici only through the provider
-- interface and signed HTTP notices.

CREATE TABLE payment_orders (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    department TEXT NOT NULL,
    region TEXT NOT NULL,
    payer TEXT NOT NULL,
    subject TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    provider TEXT NOT NULL,
    state TEXT NOT NULL,
    transaction_id TEXT UNIQUE,
    created_ms BIGINT NOT NULL,
    paid_ms BIGINT,
    closed_ms BIGINT,
    refunded_ms BIGINT,
    receipt TEXT,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX payment_orders_by_case ON payment_orders (case_id, created_ms);
CREATE INDEX payment_orders_by_payer ON payment_orders (payer, created_ms);
CREATE INDEX payment_orders_by_state ON payment_orders (state, created_ms);
CREATE INDEX payment_orders_by_region ON payment_orders (region, created_ms);

CREATE TABLE payment_items (
    order_id TEXT NOT NULL REFERENCES payment_orders (id),
    fee TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    units BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL,
    PRIMARY KEY (order_id, fee)
);

CREATE TABLE paid_fees (
    case_id TEXT NOT NULL,
    fee TEXT NOT NULL,
    order_id TEXT NOT NULL REFERENCES payment_orders (id),
    PRIMARY KEY (case_id, fee)
);

CREATE TABLE payment_nonces (
    nonce TEXT PRIMARY KEY,
    received_ms BIGINT NOT NULL
);

CREATE TABLE payment_callbacks (
    id TEXT PRIMARY KEY,
    received_ms BIGINT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    rule TEXT,
    order_id TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX payment_callbacks_by_time ON payment_callbacks (received_ms, id);

CREATE TABLE refunds (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE REFERENCES payment_orders (id),
    amount_fen BIGINT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_ms BIGINT NOT NULL,
    submitted_ms BIGINT,
    done_ms BIGINT
);
CREATE INDEX refunds_by_state ON refunds (state, requested_ms);

CREATE TABLE sandbox_orders (
    transaction_id TEXT PRIMARY KEY,
    merchant_order TEXT NOT NULL UNIQUE,
    amount_fen BIGINT NOT NULL,
    description TEXT NOT NULL,
    state TEXT NOT NULL,
    return_url TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    paid_ms BIGINT,
    refund_id TEXT,
    refunded_ms BIGINT
);

CREATE TABLE sandbox_notices (
    id TEXT PRIMARY KEY,
    transaction_id TEXT NOT NULL REFERENCES sandbox_orders (transaction_id),
    body TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_ms BIGINT NOT NULL,
    delivered_ms BIGINT,
    last_error TEXT
);
CREATE INDEX sandbox_notices_due ON sandbox_notices (delivered_ms, next_ms);

-- Notifications (issue 18 §5): the applicant's message centre (我的消息)
-- and the outbox of its e-mails and text messages. A message's id names
-- what it is about (a case's version and kind, a booking's reminder, a
-- follow-up's reply), so the same news is never written twice; it is
-- written in the transaction of the change it tells of, with one delivery
-- row per channel that the worker sends (retried, never dropped) to the
-- address the applicant's account holds when it sends.

ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_id TEXT,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    link TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    read_ms BIGINT
);
CREATE INDEX messages_by_subject ON messages (subject, created_ms, id);

CREATE TABLE message_deliveries (
    message_id TEXT NOT NULL REFERENCES messages (id),
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_ms BIGINT NOT NULL,
    address TEXT,
    sent_ms BIGINT,
    last_error TEXT,
    PRIMARY KEY (message_id, channel)
);
CREATE INDEX message_deliveries_due ON message_deliveries (state, next_ms);

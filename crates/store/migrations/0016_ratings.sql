-- 好差评 (issue 18): the public register of ratings, one per case online
-- (一事一评) and one per visit at the window (一次一评); the follow-up a
-- bad rating (差评) opens for its unit (a department, or a window area for
-- a visit); and each unit's running figures, kept in the transactions that
-- change them so that the public page answers without counting a million
-- rows. `comment` is what the applicant wrote; `public_comment` what the
-- register shows (numbers like IDs and telephones masked); the rater's
-- account never leaves the store through the public reads.

CREATE TABLE ratings (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    case_id TEXT UNIQUE,
    ticket_id TEXT UNIQUE,
    unit TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    score BIGINT NOT NULL,
    bad BIGINT NOT NULL,
    comment TEXT NOT NULL,
    public_comment TEXT NOT NULL,
    rater TEXT NOT NULL,
    rated_ms BIGINT NOT NULL,
    day TEXT NOT NULL,
    second_score BIGINT,
    second_comment TEXT,
    second_ms BIGINT
);
CREATE INDEX ratings_newest ON ratings (rated_ms, id);
CREATE INDEX ratings_by_unit ON ratings (unit, rated_ms, id);
CREATE INDEX ratings_by_rater ON ratings (rater, rated_ms);

CREATE TABLE follow_ups (
    rating_id TEXT PRIMARY KEY REFERENCES ratings (id),
    unit TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    opened_ms BIGINT NOT NULL,
    contact_by TEXT NOT NULL,
    reply_by TEXT NOT NULL,
    contacted_ms BIGINT,
    contacted_on TEXT,
    contacted_by TEXT,
    contact_note TEXT,
    replied_ms BIGINT,
    replied_on TEXT,
    replied_by TEXT,
    reply TEXT,
    on_time BIGINT
);
CREATE INDEX follow_ups_open ON follow_ups (unit, replied_ms, opened_ms);
CREATE INDEX follow_ups_late ON follow_ups (replied_ms, reply_by, contact_by);

-- Open steps of follow-ups, counted by unit and due day in the
-- transactions that open and close them, so that a unit's late follow-ups
-- are a sum over a few rows: `contact` steps not done (by `due`, the
-- contact day, with the follow-up's reply day), `reply` steps not done (by
-- `due`, the reply day).
CREATE TABLE follow_up_counts (
    unit TEXT NOT NULL,
    step TEXT NOT NULL,
    due TEXT NOT NULL,
    reply_by TEXT NOT NULL,
    open BIGINT NOT NULL,
    PRIMARY KEY (unit, step, due, reply_by)
);

CREATE TABLE rating_units (
    unit TEXT PRIMARY KEY,
    unit_kind TEXT NOT NULL,
    ratings BIGINT NOT NULL,
    bad BIGINT NOT NULL,
    score_sum BIGINT NOT NULL,
    replied BIGINT NOT NULL,
    replied_on_time BIGINT NOT NULL
)

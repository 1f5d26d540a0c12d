-- Appointments at the window areas and the queue at the window (issue 18).
-- A slot's bookings are counted in `slot_counts`, which a booking takes a
-- place of only while the count is below the slot's capacity: two
-- applicants taking the last place at once cannot both win. A booking's
-- history (booked, moved, cancelled, checked in, missed) is kept row by row.

CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    window_code TEXT NOT NULL,
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    starts_ms BIGINT NOT NULL,
    ends_ms BIGINT NOT NULL,
    subject TEXT NOT NULL,
    user_id TEXT NOT NULL,
    case_id TEXT,
    matter TEXT,
    code TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
-- The same applicant cannot hold one slot twice.
CREATE UNIQUE INDEX bookings_one_per_slot ON bookings (subject, window_code, day, slot) WHERE state = 'booked';
CREATE INDEX bookings_by_subject ON bookings (subject, starts_ms);
CREATE INDEX bookings_by_user ON bookings (user_id, starts_ms);
CREATE INDEX bookings_due ON bookings (state, ends_ms);
CREATE INDEX bookings_by_window ON bookings (window_code, day, slot);

CREATE TABLE slot_counts (
    window_code TEXT NOT NULL,
    day TEXT NOT NULL,
    slot TEXT NOT NULL,
    taken BIGINT NOT NULL,
    PRIMARY KEY (window_code, day, slot)
);

CREATE TABLE booking_history (
    booking_id TEXT NOT NULL REFERENCES bookings (id),
    seq BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (booking_id, seq)
);

CREATE TABLE queue_tickets (
    id TEXT PRIMARY KEY,
    window_code TEXT NOT NULL,
    day TEXT NOT NULL,
    number BIGINT NOT NULL,
    arrival TEXT NOT NULL,
    priority BIGINT NOT NULL,
    booking_id TEXT REFERENCES bookings (id),
    issued_ms BIGINT NOT NULL,
    issued_by TEXT NOT NULL,
    state TEXT NOT NULL,
    called_ms BIGINT,
    called_by TEXT,
    counter TEXT,
    finished_ms BIGINT,
    UNIQUE (window_code, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets (window_code, day, state, priority, number);
CREATE UNIQUE INDEX queue_tickets_one_per_booking ON queue_tickets (booking_id);

CREATE TABLE queue_counters (
    window_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (window_code, day)
);

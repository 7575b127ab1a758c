-- On-demand readings: the reading itself with its billing state, every state
-- transition, the chat transcript, notes, reviews, satisfaction claims and
-- the queue for busy readers. Reader presence is kept on the profile.

ALTER TABLE reader_profiles ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reader_profiles ADD COLUMN simulated_presence BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE readings (
    id                    INTEGER PRIMARY KEY,
    client_id             BIGINT NOT NULL REFERENCES users(id),
    reader_id             BIGINT NOT NULL REFERENCES users(id),
    modality              TEXT NOT NULL CHECK (modality IN ('text', 'voice', 'video')),
    rate_cents            BIGINT NOT NULL CHECK (rate_cents > 0),
    platform_share_pct    INTEGER NOT NULL CHECK (platform_share_pct BETWEEN 0 AND 100),
    period_ms             BIGINT NOT NULL CHECK (period_ms > 0),
    state                 TEXT NOT NULL CHECK (state IN ('created', 'waiting', 'active', 'paused', 'reconnecting', 'ended', 'finalized')),
    pause_reason          TEXT NOT NULL DEFAULT '',
    end_reason            TEXT NOT NULL DEFAULT '',
    ended_by              BIGINT,
    expires_at            BIGINT,
    activated_at          BIGINT,
    ended_at              BIGINT,
    finalized_at          BIGINT,
    active_ms             BIGINT NOT NULL DEFAULT 0,
    active_since          BIGINT,
    billed_minutes        BIGINT NOT NULL DEFAULT 0,
    next_charge_at        BIGINT,
    total_cents           BIGINT NOT NULL DEFAULT 0,
    reader_earnings_cents BIGINT NOT NULL DEFAULT 0,
    credited_cents        BIGINT NOT NULL DEFAULT 0,
    grace_until           BIGINT,
    client_seen_at        BIGINT NOT NULL DEFAULT 0,
    reader_seen_at        BIGINT NOT NULL DEFAULT 0,
    gone_party            TEXT NOT NULL DEFAULT '',
    reconnects            INTEGER NOT NULL DEFAULT 0,
    warned_minute         BIGINT NOT NULL DEFAULT -1,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
-- The billing sweep finds due readings among the active ones by scanning
-- them; no index covers next_charge_at or the other billing columns, so the
-- per-minute update of a reading touches no index (on PostgreSQL a
-- heap-only update, with the room fillfactor leaves on each page).
CREATE INDEX readings_billing_idx ON readings (state, id);
CREATE INDEX readings_client_idx ON readings (client_id, id);
-- A client has at most one reading going on, and a reader at most one
-- running, even when two requests or two accepts race.
CREATE UNIQUE INDEX readings_one_open_per_client ON readings (client_id)
    WHERE state IN ('created', 'waiting', 'active', 'paused', 'reconnecting');
CREATE UNIQUE INDEX readings_one_live_per_reader ON readings (reader_id)
    WHERE state IN ('active', 'paused', 'reconnecting');
CREATE INDEX readings_reader_idx ON readings (reader_id, state, id);

CREATE TABLE reading_transitions (
    id         INTEGER PRIMARY KEY,
    reading_id BIGINT NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    event      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX reading_transitions_reading_idx ON reading_transitions (reading_id, id);
CREATE INDEX reading_transitions_event_idx ON reading_transitions (reading_id, event, at);

CREATE TABLE reading_messages (
    id         INTEGER PRIMARY KEY,
    reading_id BIGINT NOT NULL REFERENCES readings(id) ON DELETE CASCADE,
    sender_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX reading_messages_reading_idx ON reading_messages (reading_id, id);

CREATE TABLE reading_notes (
    reading_id BIGINT PRIMARY KEY REFERENCES readings(id) ON DELETE CASCADE,
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE client_notes (
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (reader_id, client_id)
);

CREATE TABLE reviews (
    reading_id BIGINT PRIMARY KEY REFERENCES readings(id) ON DELETE CASCADE,
    client_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX reviews_reader_idx ON reviews (reader_id, created_at);

CREATE TABLE satisfaction_claims (
    id          INTEGER PRIMARY KEY,
    reading_id  BIGINT NOT NULL UNIQUE REFERENCES readings(id) ON DELETE CASCADE,
    client_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    resolved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE INDEX satisfaction_claims_status_idx ON satisfaction_claims (status, created_at);

CREATE TABLE reading_queue (
    id         INTEGER PRIMARY KEY,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    modality   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (reader_id, client_id)
);
CREATE INDEX reading_queue_reader_idx ON reading_queue (reader_id, id);

-- Livestreams, first stage (LIV-1 … LIV-7, LIV-9): streams, who may watch
-- them, paid gifts and chat.
--
-- streams: a reader's livestream (LIV-1, LIV-2). visibility is public,
-- private (only the users in stream_invites, the reader and admins) or
-- premium (a ticket at ticket_price_cents, which only premium streams
-- have). platform_share_pct is the platform's share of its tickets and
-- gifts, fixed when the stream starts. A reader has at most one live
-- stream: the partial unique index streams_one_live holds that whatever
-- the application does. reader_seen_at is the last time the reader was
-- known to be connected (users.last_seen_at, copied by the stream sweep);
-- a stream whose reader stays away longer than the presence timeout and
-- the grace ends with end_reason 'gone'. Ended streams stay, listed on
-- the reader's profile; ended_by is the reader or admin who ended it
-- (none when it ended by itself).
--
-- stream_invites: the users a private stream's reader invited.
--
-- stream_tickets: one ticket per user and premium stream (LIV-3), bought
-- from the wallet while the stream is live. The service is delivered as
-- it is paid for, so the price goes straight to the reader's earnings and
-- the platform (an 'order' transfer keyed by the ticket), not through
-- escrow.
--
-- gifts: the gift catalog admins manage (LIV-4): name, price, the
-- animation viewers see, whether it is offered, and its place in the
-- tray. A handful are seeded, from $1 to $50.
--
-- stream_gifts: every gift sent to a stream (LIV-5, LIV-9): quantity times
-- the unit price paid from the sender's wallet in one 'gift' transfer
-- keyed by the row, split into the reader's earnings and the platform's
-- revenue (the reader gets their share rounded down, the odd cent goes to
-- the platform). request_key is the sender's idempotency key: one gift
-- per key and sender, so a double tap sends one gift.
--
-- stream_messages: a stream's live chat (LIV-7). A message keeps its text
-- when its sender's account goes.

CREATE TABLE streams (
    id                 INTEGER PRIMARY KEY,
    reader_id          BIGINT NOT NULL REFERENCES users(id),
    title              TEXT NOT NULL CHECK (title <> ''),
    visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'premium')),
    ticket_price_cents BIGINT NOT NULL DEFAULT 0 CHECK (ticket_price_cents >= 0),
    platform_share_pct INTEGER NOT NULL CHECK (platform_share_pct BETWEEN 0 AND 100),
    state              TEXT NOT NULL CHECK (state IN ('live', 'ended')),
    started_at         BIGINT NOT NULL,
    reader_seen_at     BIGINT NOT NULL,
    ended_at           BIGINT,
    ended_by           BIGINT REFERENCES users(id),
    end_reason         TEXT NOT NULL DEFAULT '' CHECK (end_reason IN ('', 'reader', 'admin', 'gone')),
    CHECK ((visibility = 'premium') = (ticket_price_cents > 0)),
    CHECK ((state = 'ended') = (ended_at IS NOT NULL)),
    CHECK ((state = 'ended') = (end_reason <> ''))
);
CREATE UNIQUE INDEX streams_one_live ON streams (reader_id) WHERE state = 'live';
CREATE INDEX streams_reader_idx ON streams (reader_id, started_at);
-- "live now" and the stream sweep look only at live streams
CREATE INDEX streams_live_idx ON streams (started_at) WHERE state = 'live';

CREATE TABLE stream_invites (
    stream_id BIGINT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (stream_id, user_id)
);
CREATE INDEX stream_invites_user_idx ON stream_invites (user_id);

CREATE TABLE stream_tickets (
    id             INTEGER PRIMARY KEY,
    stream_id      BIGINT NOT NULL REFERENCES streams(id),
    user_id        BIGINT NOT NULL REFERENCES users(id),
    price_cents    BIGINT NOT NULL CHECK (price_cents > 0),
    reader_cents   BIGINT NOT NULL CHECK (reader_cents >= 0),
    platform_cents BIGINT NOT NULL CHECK (platform_cents >= 0),
    created_at     BIGINT NOT NULL,
    CHECK (reader_cents + platform_cents = price_cents),
    UNIQUE (stream_id, user_id)
);
CREATE INDEX stream_tickets_user_idx ON stream_tickets (user_id);

CREATE TABLE gifts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    price_cents BIGINT NOT NULL CHECK (price_cents > 0),
    animation   TEXT NOT NULL CHECK (animation <> ''),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
INSERT INTO gifts (name, price_cents, animation, active, sort_order, created_at, updated_at) VALUES
    ('Sparkle', 100, 'sparkle', TRUE, 1, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('Rose', 200, 'rose', TRUE, 2, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('Crystal ball', 500, 'crystal', TRUE, 3, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('Full moon', 1000, 'moon', TRUE, 4, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('Shooting star', 2000, 'star', TRUE, 5, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('Golden crown', 5000, 'crown', TRUE, 6, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000);

CREATE TABLE stream_gifts (
    id               INTEGER PRIMARY KEY,
    stream_id        BIGINT NOT NULL REFERENCES streams(id),
    sender_id        BIGINT NOT NULL REFERENCES users(id),
    gift_id          BIGINT NOT NULL REFERENCES gifts(id),
    quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents > 0),
    amount_cents     BIGINT NOT NULL,
    reader_cents     BIGINT NOT NULL CHECK (reader_cents >= 0),
    platform_cents   BIGINT NOT NULL CHECK (platform_cents >= 0),
    request_key      TEXT NOT NULL CHECK (request_key <> ''),
    created_at       BIGINT NOT NULL,
    CHECK (amount_cents = unit_price_cents * quantity),
    CHECK (reader_cents + platform_cents = amount_cents),
    UNIQUE (sender_id, request_key)
);
-- top gifters add up a stream's gifts per sender
CREATE INDEX stream_gifts_stream_idx ON stream_gifts (stream_id, sender_id);

CREATE TABLE stream_messages (
    id         INTEGER PRIMARY KEY,
    stream_id  BIGINT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    sender_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (body <> ''),
    created_at BIGINT NOT NULL
);
CREATE INDEX stream_messages_stream_idx ON stream_messages (stream_id, id);

-- Scheduled readings, second stage: bookings (SCH-4 … SCH-7).
--
-- Money paid for a booking waits in the escrow system account until the
-- reading has happened (fulfilled: the reader's share to their earnings,
-- the rest to the platform) or is refunded out of it (cancellation, reader
-- no-show).
--
-- A booking occupies its reader from starts_at to busy_until: its end plus
-- the reader's buffer when it was booked. Two bookings of one reader that
-- are not cancelled never occupy the same instant; the triggers bookings_no_overlap
-- and its UPDATE partner hold that whatever the application does (ranges are half-open, so one
-- booking may start exactly where another's buffer ends). request_key is
-- the client's idempotency key: one booking per key and client.
-- reader_joined_at and client_joined_at are when each first opened the
-- booking's room; settled_at is when its escrow was released or refunded;
-- reminded_day and reminded_soon mark the reminders 24 hours and 15 minutes
-- before the start as sent; sequence counts the changes calendar
-- applications must pick up (RFC 5545 SEQUENCE).

-- SQLite changes a CHECK only by rebuilding the table; nothing references
-- ledger_accounts, and every other column and constraint is as in 0005.

CREATE TABLE ledger_accounts_new (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('wallet', 'earnings', 'hold',
                       'platform_revenue', 'stripe_clearing', 'adjustments', 'payouts', 'escrow')),
    user_id        BIGINT NOT NULL DEFAULT 0, -- 0 for system accounts
    balance        BIGINT NOT NULL DEFAULT 0,
    allow_negative BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (kind, user_id),
    -- the last line of defence behind the check Post makes under a row lock
    CONSTRAINT ledger_accounts_nonnegative CHECK (allow_negative OR balance >= 0),
    CONSTRAINT ledger_accounts_max_balance
        CHECK (balance <= 9000000000000000000 AND (kind NOT IN ('wallet', 'earnings', 'hold') OR balance <= 9999999999)),
    -- a floor far below any real balance, so no sum of a balance and an amount overflows
    CONSTRAINT ledger_accounts_min_balance CHECK (balance >= -9000000000000000000),
    -- user accounts belong to a user and never go negative; system accounts
    -- belong to nobody and may
    CONSTRAINT ledger_accounts_owner CHECK ((kind IN ('wallet', 'earnings', 'hold')) = (user_id > 0)),
    CONSTRAINT ledger_accounts_negative_by_kind CHECK (allow_negative = (kind NOT IN ('wallet', 'earnings', 'hold')))
);
INSERT INTO ledger_accounts_new (id, kind, user_id, balance, allow_negative, created_at)
    SELECT id, kind, user_id, balance, allow_negative, created_at FROM ledger_accounts;
DROP TABLE ledger_accounts;
ALTER TABLE ledger_accounts_new RENAME TO ledger_accounts;

CREATE TABLE bookings (
    id                 INTEGER PRIMARY KEY,
    client_id          BIGINT NOT NULL REFERENCES users(id),
    reader_id          BIGINT NOT NULL REFERENCES users(id),
    modality           TEXT NOT NULL CHECK (modality IN ('text', 'voice', 'video')),
    duration_minutes   INTEGER NOT NULL CHECK (duration_minutes IN (15, 30, 45, 60)),
    starts_at          BIGINT NOT NULL,
    ends_at            BIGINT NOT NULL,
    busy_until         BIGINT NOT NULL,
    price_cents        BIGINT NOT NULL CHECK (price_cents > 0),
    platform_share_pct INTEGER NOT NULL CHECK (platform_share_pct BETWEEN 0 AND 100),
    state              TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'fulfilled', 'reader_no_show')),
    request_key        TEXT NOT NULL CHECK (request_key <> ''),
    cancelled_by       BIGINT,
    cancelled_at       BIGINT,
    refund_cents       BIGINT NOT NULL DEFAULT 0 CHECK (refund_cents >= 0),
    reader_joined_at   BIGINT,
    client_joined_at   BIGINT,
    settled_at         BIGINT,
    reminded_day       BOOLEAN NOT NULL DEFAULT FALSE,
    reminded_soon      BOOLEAN NOT NULL DEFAULT FALSE,
    sequence           INTEGER NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    CHECK (client_id <> reader_id),
    CHECK (ends_at > starts_at AND busy_until >= ends_at),
    UNIQUE (client_id, request_key)
);
CREATE INDEX bookings_reader_idx ON bookings (reader_id, starts_at);
CREATE INDEX bookings_client_idx ON bookings (client_id, starts_at);
-- the settlement and reminder sweeps look only at open bookings
CREATE INDEX bookings_open_idx ON bookings (starts_at) WHERE state = 'booked';

CREATE TRIGGER bookings_no_overlap BEFORE INSERT ON bookings
WHEN NEW.state <> 'cancelled' AND EXISTS (SELECT 1 FROM bookings b WHERE b.reader_id = NEW.reader_id
    AND b.state <> 'cancelled' AND b.starts_at < NEW.busy_until AND NEW.starts_at < b.busy_until)
BEGIN SELECT RAISE(ABORT, 'bookings_no_overlap'); END;
CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF reader_id, starts_at, busy_until, state ON bookings
WHEN NEW.state <> 'cancelled' AND EXISTS (SELECT 1 FROM bookings b WHERE b.reader_id = NEW.reader_id AND b.id <> NEW.id
    AND b.state <> 'cancelled' AND b.starts_at < NEW.busy_until AND NEW.starts_at < b.busy_until)
BEGIN SELECT RAISE(ABORT, 'bookings_no_overlap'); END;

-- Money whose fate is uncertain waits instead of being guessed.
--
-- A card refund Stripe neither confirmed nor refused (timeouts, outages)
-- stays in 'review' for an admin instead of being credited back to the
-- wallet (it may have reached the card). A Stripe event about an object
-- SoulSeer does not know yet (a dispute closed before it was opened, a
-- refund before the top-up's completion) is 'parked' with the id it waits
-- for in object_id, and applied when that object arrives. The test-mode
-- gateway keeps its refunds by idempotency key, as Stripe does. SQLite
-- changes a CHECK only by rebuilding the table; nothing references these
-- two tables, and every other column and index is as in 0003.

CREATE TABLE stripe_events_new (
    id          TEXT NOT NULL PRIMARY KEY,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'processed', 'ignored', 'mismatch', 'parked')),
    note        TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    livemode    BOOLEAN NOT NULL DEFAULT FALSE,
    payload     TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
INSERT INTO stripe_events_new SELECT id, type, status, note, object_id, livemode, payload, received_at FROM stripe_events;
DROP TABLE stripe_events;
ALTER TABLE stripe_events_new RENAME TO stripe_events;
CREATE INDEX stripe_events_received_idx ON stripe_events (received_at);
CREATE INDEX stripe_events_parked_idx ON stripe_events (object_id) WHERE status = 'parked';

CREATE TABLE refunds_new (
    id                   INTEGER PRIMARY KEY,
    idempotency_key      TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('card', 'wallet')),
    user_id              BIGINT REFERENCES users(id) ON DELETE SET NULL,
    topup_id             BIGINT REFERENCES topups(id),
    original_transfer_id BIGINT,
    amount_cents         BIGINT NOT NULL CHECK (amount_cents > 0),
    reason               TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'review')),
    stripe_refund_id     TEXT NOT NULL DEFAULT '',
    failure              TEXT NOT NULL DEFAULT '',
    admin_id             BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
INSERT INTO refunds_new SELECT id, idempotency_key, kind, user_id, topup_id, original_transfer_id, amount_cents, reason, status,
    stripe_refund_id, failure, admin_id, created_at, updated_at FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_new RENAME TO refunds;
CREATE INDEX refunds_created_idx ON refunds (created_at);
CREATE INDEX refunds_original_idx ON refunds (original_transfer_id);
CREATE INDEX refunds_review_idx ON refunds (status) WHERE status IN ('pending', 'review');

CREATE TABLE test_refunds (
    id                TEXT NOT NULL PRIMARY KEY,
    payment_intent_id TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL UNIQUE,
    amount_cents      BIGINT NOT NULL CHECK (amount_cents > 0),
    created_at        BIGINT NOT NULL
);

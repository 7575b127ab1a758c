-- Wallet top-ups through Stripe Checkout (or the built-in test checkout),
-- every Stripe event received, refunds, disputes, and the test-mode charge
-- records reconciliation reads when no Stripe account is configured.

CREATE TABLE topups (
    id                  INTEGER PRIMARY KEY,
    user_id             BIGINT REFERENCES users(id) ON DELETE SET NULL,
    amount_cents        BIGINT NOT NULL CHECK (amount_cents > 0),
    currency            TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'processing', 'paid', 'failed', 'expired')),
    mode                TEXT NOT NULL CHECK (mode IN ('stripe', 'test')),
    checkout_session_id TEXT UNIQUE,
    checkout_url        TEXT NOT NULL DEFAULT '',
    return_path         TEXT NOT NULL DEFAULT '/wallet',
    payment_intent_id   TEXT,
    credited_cents      BIGINT NOT NULL DEFAULT 0,
    refunded_cents      BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    paid_at             BIGINT,
    CHECK (refunded_cents >= 0 AND refunded_cents <= credited_cents)
);
CREATE INDEX topups_user_idx ON topups (user_id, id);
CREATE INDEX topups_payment_intent_idx ON topups (payment_intent_id);

CREATE TABLE stripe_events (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'received'
                CHECK (status IN ('received', 'processed', 'ignored', 'mismatch')),
    note        TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    livemode    BOOLEAN NOT NULL DEFAULT FALSE,
    payload     TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX stripe_events_received_idx ON stripe_events (received_at);

CREATE TABLE refunds (
    id                   INTEGER PRIMARY KEY,
    idempotency_key      TEXT NOT NULL UNIQUE,
    kind                 TEXT NOT NULL CHECK (kind IN ('card', 'wallet')),
    user_id              BIGINT REFERENCES users(id) ON DELETE SET NULL,
    topup_id             BIGINT REFERENCES topups(id),
    original_transfer_id BIGINT,
    amount_cents         BIGINT NOT NULL CHECK (amount_cents > 0),
    reason               TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    stripe_refund_id     TEXT NOT NULL DEFAULT '',
    failure              TEXT NOT NULL DEFAULT '',
    admin_id             BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX refunds_created_idx ON refunds (created_at);
CREATE INDEX refunds_original_idx ON refunds (original_transfer_id);

CREATE TABLE disputes (
    id           TEXT PRIMARY KEY,
    topup_id     BIGINT REFERENCES topups(id),
    user_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    amount_cents BIGINT NOT NULL,
    held_cents   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE test_charges (
    id                TEXT PRIMARY KEY,
    payment_intent_id TEXT NOT NULL UNIQUE,
    amount_cents      BIGINT NOT NULL,
    refunded_cents    BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);
CREATE INDEX test_charges_created_idx ON test_charges (created_at);

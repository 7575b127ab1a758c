-- Reader payouts through Stripe Connect (EXT-3). payout_accounts: a
-- reader's Express account (mode test: the built-in test onboarding) and
-- what Stripe last said of it: whether it takes payouts, and what it still
-- needs (requirements, space-separated currently_due fields).
CREATE TABLE payout_accounts (
    user_id           BIGINT NOT NULL PRIMARY KEY REFERENCES users(id),
    stripe_account_id TEXT NOT NULL UNIQUE,
    mode              TEXT NOT NULL CHECK (mode IN ('stripe', 'test')),
    details_submitted BOOLEAN NOT NULL DEFAULT FALSE,
    payouts_enabled   BOOLEAN NOT NULL DEFAULT FALSE,
    requirements      TEXT NOT NULL DEFAULT '',
    disabled_reason   TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

-- payout_holds: readers an admin stopped paying out, and why (SEC-4).
CREATE TABLE payout_holds (
    user_id    BIGINT NOT NULL PRIMARY KEY REFERENCES users(id),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    admin_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- payouts: money moved from a reader's earnings to their connected
-- account. pending: taken from earnings (ledger key payout:{id}) and not
-- yet confirmed by Stripe; paid: Stripe made the transfer; failed: Stripe
-- refused or reversed it and the money went back to earnings (ledger key
-- payout-return:{id}). A reader has at most one pending payout. retry_of
-- names the failed payout an admin retried.
CREATE TABLE payouts (
    id                 INTEGER PRIMARY KEY,
    user_id            BIGINT NOT NULL REFERENCES users(id),
    amount_cents       BIGINT NOT NULL CHECK (amount_cents > 0),
    state              TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'failed')),
    stripe_account_id  TEXT NOT NULL,
    stripe_transfer_id TEXT NOT NULL DEFAULT '',
    failure            TEXT NOT NULL DEFAULT '',
    attempts           INTEGER NOT NULL DEFAULT 0,
    admin_id           BIGINT REFERENCES users(id) ON DELETE SET NULL,
    retry_of           BIGINT REFERENCES payouts(id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX payouts_user_idx ON payouts (user_id, id);
CREATE INDEX payouts_state_idx ON payouts (state, id);
CREATE UNIQUE INDEX payouts_one_pending_idx ON payouts (user_id) WHERE state = 'pending';
CREATE UNIQUE INDEX payouts_retry_idx ON payouts (retry_of) WHERE retry_of IS NOT NULL;

-- test_transfers: the transfers the built-in test mode "makes", once per
-- idempotency key as Stripe does.
CREATE TABLE test_transfers (
    id              TEXT NOT NULL PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    destination     TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);

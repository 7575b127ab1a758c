-- The double-entry ledger (WAL-1, WAL-2, WAL-3, WAL-5). Every movement of money
-- is a transfer whose postings sum to zero; an account's balance is the cached
-- sum of its postings, and each posting records the balance after it.
-- Amounts are cents; 9999999999 is ledger.MaxAmount (99,999,999.99).

CREATE TABLE ledger_accounts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('wallet', 'earnings', 'hold',
                       'platform_revenue', 'stripe_clearing', 'adjustments', 'payouts')),
    user_id        BIGINT NOT NULL DEFAULT 0, -- 0 for system accounts
    balance        BIGINT NOT NULL DEFAULT 0,
    allow_negative BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (kind, user_id),
    -- the last line of defence behind the check Post makes under a row lock
    CONSTRAINT ledger_accounts_nonnegative CHECK (allow_negative OR balance >= 0),
    CONSTRAINT ledger_accounts_max_balance CHECK (balance <= 9999999999),
    -- a floor far below any real balance, so no sum of a balance and an amount overflows
    CONSTRAINT ledger_accounts_min_balance CHECK (balance >= -9000000000000000000),
    -- user accounts belong to a user and never go negative; system accounts
    -- belong to nobody and may
    CONSTRAINT ledger_accounts_owner CHECK ((kind IN ('wallet', 'earnings', 'hold')) = (user_id > 0)),
    CONSTRAINT ledger_accounts_negative_by_kind CHECK (allow_negative = (kind NOT IN ('wallet', 'earnings', 'hold')))
);

CREATE TABLE ledger_transfers (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE CHECK (idempotency_key <> ''),
    type            TEXT NOT NULL CHECK (type IN ('top_up', 'reading_charge', 'booking_charge',
                        'gift', 'commission', 'paid_reply', 'order', 'refund', 'adjustment',
                        'payout', 'dispute_hold', 'dispute_release')),
    cause_type      TEXT NOT NULL DEFAULT '',
    cause_id        TEXT NOT NULL DEFAULT '',
    stripe_event_id TEXT NOT NULL DEFAULT '',
    memo            TEXT NOT NULL DEFAULT '',
    actor_id        BIGINT NOT NULL DEFAULT 0, -- 0 when the system acted
    fingerprint     TEXT NOT NULL,             -- hash of type and postings: a reused key must match it
    created_at      BIGINT NOT NULL
);
CREATE INDEX ledger_transfers_cause_idx ON ledger_transfers (cause_type, cause_id);
CREATE INDEX ledger_transfers_stripe_event_idx ON ledger_transfers (stripe_event_id) WHERE stripe_event_id <> '';

-- Postings carry no foreign keys: only internal/ledger writes these tables,
-- always inserting postings for the transfer it just claimed and accounts it
-- holds locked, and the referential checks cost a fifth of the server's time
-- per transfer. ledger.Verify reports any posting without its transfer or
-- account.
-- A posting's id orders its account's balance_after chain and pages
-- statements; (transfer_id, account_id) is unique: an account has at most one
-- posting per transfer.
CREATE TABLE ledger_postings (
    id            INTEGER PRIMARY KEY,
    transfer_id   BIGINT NOT NULL,
    account_id    BIGINT NOT NULL,
    amount        BIGINT NOT NULL CHECK (amount <> 0 AND amount BETWEEN -9999999999 AND 9999999999),
    balance_after BIGINT NOT NULL CHECK (balance_after <= 9999999999),
    created_at    BIGINT NOT NULL,
    UNIQUE (transfer_id, account_id)
);
CREATE INDEX ledger_postings_account_idx ON ledger_postings (account_id, id);

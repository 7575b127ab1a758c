-- Billing that one reading cannot stop (OD-5).
--
-- System accounts (platform revenue shards, Stripe clearing, adjustments,
-- payouts) add up the whole platform's money for ever, so only user accounts
-- keep the ceiling of 9999999999 (ledger.MaxAmount); every balance stays
-- within ±9000000000000000000, far from BIGINT overflow. A posting does not
-- know its account's kind, so balance_after has no upper bound of its own:
-- the account's check bounds it, and ledger.Verify checks user accounts'
-- postings against MaxAmount. SQLite changes a CHECK only by rebuilding the
-- table; nothing references these tables, and every other column, index and
-- constraint is as in 0002.

CREATE TABLE ledger_accounts_new (
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

CREATE TABLE ledger_postings_new (
    id            INTEGER PRIMARY KEY,
    transfer_id   BIGINT NOT NULL,
    account_id    BIGINT NOT NULL,
    amount        BIGINT NOT NULL CHECK (amount <> 0 AND amount BETWEEN -9999999999 AND 9999999999),
    balance_after BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    UNIQUE (transfer_id, account_id)
);
INSERT INTO ledger_postings_new (id, transfer_id, account_id, amount, balance_after, created_at)
    SELECT id, transfer_id, account_id, amount, balance_after, created_at FROM ledger_postings;
DROP TABLE ledger_postings;
ALTER TABLE ledger_postings_new RENAME TO ledger_postings;
CREATE INDEX ledger_postings_account_idx ON ledger_postings (account_id, id);

-- A reading whose minute the ledger refuses for a reason other than funds is
-- skipped by the sweep and flagged here for admins until a minute bills
-- again. Few readings are ever flagged; the partial index finds them without
-- covering any column the per-minute billing update writes.
ALTER TABLE readings ADD COLUMN billing_problem TEXT NOT NULL DEFAULT '';
ALTER TABLE readings ADD COLUMN billing_problem_at BIGINT;
CREATE INDEX readings_billing_problem_idx ON readings (billing_problem_at) WHERE billing_problem <> '';

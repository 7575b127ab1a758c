-- Billing that one reading cannot stop (OD-5).
--
-- System accounts (platform revenue shards, Stripe clearing, adjustments,
-- payouts) add up the whole platform's money for ever, so only user accounts
-- keep the ceiling of 9999999999 (ledger.MaxAmount); every balance stays
-- within ±9000000000000000000, far from BIGINT overflow. A posting does not
-- know its account's kind, so balance_after has no upper bound of its own:
-- the account's check bounds it, and ledger.Verify checks user accounts'
-- postings against MaxAmount.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_max_balance;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_max_balance
    CHECK (balance <= 9000000000000000000 AND (kind NOT IN ('wallet', 'earnings', 'hold') OR balance <= 9999999999));
ALTER TABLE ledger_postings DROP CONSTRAINT ledger_postings_balance_after_check;

-- A reading whose minute the ledger refuses for a reason other than funds is
-- skipped by the sweep and flagged here for admins until a minute bills
-- again. Few readings are ever flagged; the partial index finds them without
-- covering any column the per-minute billing update writes.
ALTER TABLE readings ADD COLUMN billing_problem TEXT NOT NULL DEFAULT '';
ALTER TABLE readings ADD COLUMN billing_problem_at BIGINT;
CREATE INDEX readings_billing_problem_idx ON readings (billing_problem_at) WHERE billing_problem <> '';

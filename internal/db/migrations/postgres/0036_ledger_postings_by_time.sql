-- The dashboards (DASH-C, DASH-R, DASH-A) add up an account's postings over
-- a time range — earnings today, this month, per day; the platform's
-- revenue per day — so postings are also indexed by account and time,
-- carrying the amount so those sums read the index alone.
CREATE INDEX ledger_postings_account_time_idx ON ledger_postings (account_id, created_at, amount);

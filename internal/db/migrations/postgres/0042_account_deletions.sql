-- Account deletion (SEC-2). account_deletions holds the link emailed to
-- confirm a deletion, valid for a day; users.deleted_at marks an account
-- erased: its row stays, anonymised, so the records others keep (readings,
-- the ledger) still point somewhere, shown as "Deleted user".
CREATE TABLE account_deletions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX account_deletions_user ON account_deletions (user_id);

ALTER TABLE users ADD COLUMN deleted_at BIGINT;

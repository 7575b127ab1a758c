-- API tokens expire and are named by a public id (ACC-10).
--
-- expires_at is when a token stops working (Unix milliseconds); a token
-- made before this migration gets the default lifetime, 90 days
-- (7,776,000,000 ms), counted from its creation, so tokens older than that
-- stop working now.
-- public_id names a token to its owner in the token list and in
-- DELETE /api/v1/auth/tokens/{id}: random, so it says nothing about how
-- many tokens exist and is never mistaken for another object's number.
-- SQLite adds a NOT NULL column only with a default; every row gets its
-- real value at once, and SoulSeer always writes both columns.

ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET expires_at = created_at + 7776000000, public_id = lower(hex(randomblob(8)));
CREATE UNIQUE INDEX api_tokens_public_id_key ON api_tokens (public_id);
CREATE INDEX api_tokens_expires_idx ON api_tokens (expires_at);

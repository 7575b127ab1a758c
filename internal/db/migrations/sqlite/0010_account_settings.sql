-- Account settings and applications to become a reader (ACC-8, ACC-9).
--
-- A person's photo belongs to their account, so clients and admins have one
-- too: users.avatar_key takes over reader_profiles.avatar_key, and a
-- reader's profile shows their account's photo. time_zone is an IANA name
-- ('' until the user chooses one; pages then show UTC).
-- Sessions get a public id, which names one in the user's session list and
-- in the request that ends it (random, as API tokens' are), and the time it
-- was last used (at most a minute out of date; its start before this
-- migration).
-- email_changes holds a requested change of address until the link sent to
-- the new address is used; only the token's hash is kept.
-- reader_applications holds what a client sends to become a reader. At
-- most one is pending per user; a rejected applicant may apply again.
-- specialties are comma-separated slugs of the fixed catalog;
-- kyc_consent_at is when the applicant agreed to an identity check.

ALTER TABLE users ADD COLUMN avatar_key TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
UPDATE users SET avatar_key = (SELECT p.avatar_key FROM reader_profiles p WHERE p.user_id = users.id)
    WHERE EXISTS (SELECT 1 FROM reader_profiles p WHERE p.user_id = users.id);
ALTER TABLE reader_profiles DROP COLUMN avatar_key;

ALTER TABLE sessions ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET public_id = lower(hex(randomblob(8))), last_seen_at = created_at;
CREATE UNIQUE INDEX sessions_public_id_key ON sessions (public_id);

CREATE TABLE email_changes (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    new_email  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX email_changes_user_idx ON email_changes (user_id);
CREATE INDEX email_changes_expires_idx ON email_changes (expires_at);

CREATE TABLE reader_applications (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    display_name     TEXT NOT NULL,
    specialties      TEXT NOT NULL,
    years_experience INTEGER NOT NULL CHECK (years_experience >= 0),
    languages        TEXT NOT NULL,
    bio              TEXT NOT NULL,
    sample_reading   TEXT NOT NULL,
    kyc_consent_at   BIGINT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason           TEXT NOT NULL DEFAULT '',
    decided_by       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at       BIGINT,
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX reader_applications_one_pending ON reader_applications (user_id) WHERE status = 'pending';
CREATE INDEX reader_applications_user_idx ON reader_applications (user_id, id);
CREATE INDEX reader_applications_status_idx ON reader_applications (status, created_at);

-- Every primary key refuses NULL, as on PostgreSQL.
--
-- SQLite lets NULL into a PRIMARY KEY column that is neither INTEGER PRIMARY
-- KEY nor declared NOT NULL (https://sqlite.org/lang_createtable.html), so
-- these keys from 0001, 0003 and 0004 took a NULL that PostgreSQL refuses.
-- SQLite adds NOT NULL only by rebuilding the table: each table below is
-- copied into a new one that differs only by NOT NULL on its key, with its
-- columns in the same order (reader_profiles keeps the two columns 0004
-- appended at the end), the same defaults, CHECKs and foreign keys, the same
-- rowids, and its indexes made again. None of these tables has a trigger.
--
-- A row whose key is already NULL stops this migration (NOT NULL constraint
-- failed: <table>_new.<column>) and the whole migration is rolled back;
-- such a row cannot be found by its key, so look at it and delete it, then
-- migrate again.
--
-- Migrations run in a transaction with foreign keys on, where
-- PRAGMA foreign_keys cannot be turned off. Dropping a table then deletes
-- its rows first, and that delete fires the ON DELETE actions of the tables
-- that reference it. Only reader_specialties references one of these tables
-- (reader_profiles, ON DELETE CASCADE), so its rows are kept in a temporary
-- table across the rebuild of reader_profiles and put back afterwards. The
-- other tables are referenced by nothing, and copying rows into a new table
-- checks each row's own foreign keys as it is inserted.

CREATE TABLE sessions_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
INSERT INTO sessions_new (rowid, token_hash, user_id, created_at, expires_at, ip, user_agent)
    SELECT rowid, token_hash, user_id, created_at, expires_at, ip, user_agent FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE password_resets_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
INSERT INTO password_resets_new (rowid, token_hash, user_id, created_at, expires_at, used_at)
    SELECT rowid, token_hash, user_id, created_at, expires_at, used_at FROM password_resets;
DROP TABLE password_resets;
ALTER TABLE password_resets_new RENAME TO password_resets;
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);

CREATE TABLE rate_limit_buckets_new (
    key        TEXT NOT NULL PRIMARY KEY,
    updated_at BIGINT NOT NULL
);
INSERT INTO rate_limit_buckets_new (rowid, key, updated_at)
    SELECT rowid, key, updated_at FROM rate_limit_buckets;
DROP TABLE rate_limit_buckets;
ALTER TABLE rate_limit_buckets_new RENAME TO rate_limit_buckets;

CREATE TEMP TABLE reader_specialties_kept AS
    SELECT rowid AS kept_rowid, reader_id, specialty FROM reader_specialties;
CREATE TABLE reader_profiles_new (
    user_id            BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    tagline            TEXT NOT NULL DEFAULT '',
    bio                TEXT NOT NULL DEFAULT '',
    years_experience   INTEGER NOT NULL DEFAULT 0,
    languages          TEXT NOT NULL DEFAULT 'English',
    avatar_key         TEXT NOT NULL DEFAULT '',
    is_verified        BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at        BIGINT,
    kyc_status         TEXT NOT NULL DEFAULT 'not_started'
                       CHECK (kyc_status IN ('not_started', 'pending', 'approved', 'rejected')),
    status             TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
    status_changed_at  BIGINT NOT NULL,
    rate_text_cents    BIGINT CHECK (rate_text_cents > 0),
    rate_voice_cents   BIGINT CHECK (rate_voice_cents > 0),
    rate_video_cents   BIGINT CHECK (rate_video_cents > 0),
    min_rate_cents     BIGINT,
    rating_sum         BIGINT NOT NULL DEFAULT 0,
    rating_count       BIGINT NOT NULL DEFAULT 0,
    readings_count     BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    last_seen_at       BIGINT NOT NULL DEFAULT 0,
    simulated_presence BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO reader_profiles_new (rowid, user_id, tagline, bio, years_experience, languages, avatar_key,
        is_verified, verified_at, kyc_status, status, status_changed_at, rate_text_cents, rate_voice_cents,
        rate_video_cents, min_rate_cents, rating_sum, rating_count, readings_count, created_at, updated_at,
        last_seen_at, simulated_presence)
    SELECT rowid, user_id, tagline, bio, years_experience, languages, avatar_key,
        is_verified, verified_at, kyc_status, status, status_changed_at, rate_text_cents, rate_voice_cents,
        rate_video_cents, min_rate_cents, rating_sum, rating_count, readings_count, created_at, updated_at,
        last_seen_at, simulated_presence FROM reader_profiles;
-- cascades to reader_specialties, whose rows were kept above
DROP TABLE reader_profiles;
ALTER TABLE reader_profiles_new RENAME TO reader_profiles;
CREATE INDEX reader_profiles_listing_idx ON reader_profiles (is_verified, status);
INSERT INTO reader_specialties (rowid, reader_id, specialty)
    SELECT kept_rowid, reader_id, specialty FROM temp.reader_specialties_kept;
DROP TABLE temp.reader_specialties_kept;

CREATE TABLE reading_notes_new (
    reading_id BIGINT NOT NULL PRIMARY KEY REFERENCES readings(id) ON DELETE CASCADE,
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO reading_notes_new (rowid, reading_id, client_id, body, updated_at)
    SELECT rowid, reading_id, client_id, body, updated_at FROM reading_notes;
DROP TABLE reading_notes;
ALTER TABLE reading_notes_new RENAME TO reading_notes;

CREATE TABLE reviews_new (
    reading_id BIGINT NOT NULL PRIMARY KEY REFERENCES readings(id) ON DELETE CASCADE,
    client_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
INSERT INTO reviews_new (rowid, reading_id, client_id, reader_id, rating, body, created_at)
    SELECT rowid, reading_id, client_id, reader_id, rating, body, created_at FROM reviews;
DROP TABLE reviews;
ALTER TABLE reviews_new RENAME TO reviews;
CREATE INDEX reviews_reader_idx ON reviews (reader_id, created_at);

CREATE TABLE disputes_new (
    id           TEXT NOT NULL PRIMARY KEY,
    topup_id     BIGINT REFERENCES topups(id),
    user_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    amount_cents BIGINT NOT NULL,
    held_cents   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
INSERT INTO disputes_new (rowid, id, topup_id, user_id, amount_cents, held_cents, status, created_at, updated_at)
    SELECT rowid, id, topup_id, user_id, amount_cents, held_cents, status, created_at, updated_at FROM disputes;
DROP TABLE disputes;
ALTER TABLE disputes_new RENAME TO disputes;

CREATE TABLE test_charges_new (
    id                TEXT NOT NULL PRIMARY KEY,
    payment_intent_id TEXT NOT NULL UNIQUE,
    amount_cents      BIGINT NOT NULL,
    refunded_cents    BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);
INSERT INTO test_charges_new (rowid, id, payment_intent_id, amount_cents, refunded_cents, created_at)
    SELECT rowid, id, payment_intent_id, amount_cents, refunded_cents, created_at FROM test_charges;
DROP TABLE test_charges;
ALTER TABLE test_charges_new RENAME TO test_charges;
CREATE INDEX test_charges_created_idx ON test_charges (created_at);

-- Accounts, sessions, API tokens, password resets, rate limits, reader
-- profiles, favourites, the email outbox and the audit log.
-- Every *_at column holds Unix milliseconds (BIGINT), the same on both engines.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'client' CHECK (role IN ('client', 'reader', 'admin')),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    last_login_at BIGINT
);

CREATE TABLE oidc_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX password_resets_expires_idx ON password_resets (expires_at);

CREATE TABLE rate_limit_buckets (
    key        TEXT PRIMARY KEY,
    updated_at BIGINT NOT NULL
);

CREATE TABLE rate_limit_hits (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX rate_limit_hits_key_at_idx ON rate_limit_hits (key, at);
CREATE INDEX rate_limit_hits_at_idx ON rate_limit_hits (at);

CREATE TABLE reader_profiles (
    user_id           BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    tagline           TEXT NOT NULL DEFAULT '',
    bio               TEXT NOT NULL DEFAULT '',
    years_experience  INTEGER NOT NULL DEFAULT 0,
    languages         TEXT NOT NULL DEFAULT 'English',
    avatar_key        TEXT NOT NULL DEFAULT '',
    is_verified       BOOLEAN NOT NULL DEFAULT FALSE,
    verified_at       BIGINT,
    kyc_status        TEXT NOT NULL DEFAULT 'not_started'
                      CHECK (kyc_status IN ('not_started', 'pending', 'approved', 'rejected')),
    status            TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
    status_changed_at BIGINT NOT NULL,
    rate_text_cents   BIGINT CHECK (rate_text_cents > 0),
    rate_voice_cents  BIGINT CHECK (rate_voice_cents > 0),
    rate_video_cents  BIGINT CHECK (rate_video_cents > 0),
    min_rate_cents    BIGINT,
    rating_sum        BIGINT NOT NULL DEFAULT 0,
    rating_count      BIGINT NOT NULL DEFAULT 0,
    readings_count    BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX reader_profiles_listing_idx ON reader_profiles (is_verified, status);

CREATE TABLE reader_specialties (
    reader_id BIGINT NOT NULL REFERENCES reader_profiles(user_id) ON DELETE CASCADE,
    specialty TEXT NOT NULL,
    PRIMARY KEY (reader_id, specialty)
);
CREATE INDEX reader_specialties_specialty_idx ON reader_specialties (specialty, reader_id);

CREATE TABLE favorites (
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, reader_id)
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_unsent_idx ON outbox (sent_at, id);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action     TEXT NOT NULL,
    model      TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    details    TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);
CREATE INDEX audit_log_action_idx ON audit_log (action, created_at);

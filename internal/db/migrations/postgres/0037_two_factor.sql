-- Two-factor sign-in (ACC-7). two_factor: a user's TOTP secret (base32);
-- confirmed_at is NULL while enrolment waits for the first code. last_step
-- is the 30-second step of the last code accepted: a code of that step or
-- an earlier one is refused, so a code works once.
CREATE TABLE two_factor (
    user_id      BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT NOT NULL DEFAULT 0
);

-- users.two_factor_at: when the user's two-factor sign-in was confirmed,
-- NULL without it; kept with the user so every request knows it.
ALTER TABLE users ADD COLUMN two_factor_at BIGINT;

-- two_factor_recovery_codes: ten one-time codes per user, kept by hash;
-- used_at is set when one is spent.
CREATE TABLE two_factor_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- two_factor_challenges: sign-ins that passed the password (or the OIDC
-- provider) and wait for the code, by the hash of the browser's token;
-- next is where the sign-in goes afterwards.
CREATE TABLE two_factor_challenges (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    next       TEXT NOT NULL DEFAULT '',
    expires_at BIGINT NOT NULL
);
CREATE INDEX two_factor_challenges_user_idx ON two_factor_challenges (user_id);

-- two_factor_devices: browsers a user chose to remember for 30 days, by
-- the hash of their cookie; they skip the code until expires_at.
CREATE TABLE two_factor_devices (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
);
CREATE INDEX two_factor_devices_user_idx ON two_factor_devices (user_id);

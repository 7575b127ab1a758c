-- Auto-reload (WAL-12). payment_customers is each user's Stripe Customer,
-- created once and reused, to which their saved cards belong.
CREATE TABLE payment_customers (
    user_id     BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

-- auto_reloads is a client's automatic reload: when enabled and a card is
-- saved (payment_method_id), a spend that leaves the wallet under
-- threshold_cents charges amount_cents to the card. setup_session_id is the
-- card-saving page last opened (a Checkout Session in setup mode) and
-- setup_intent_id its completed SetupIntent while the card's details are
-- fetched. off_reason says why a failed charge switched it off.
CREATE TABLE auto_reloads (
    user_id           BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL DEFAULT FALSE,
    threshold_cents   BIGINT NOT NULL CHECK (threshold_cents > 0),
    amount_cents      BIGINT NOT NULL CHECK (amount_cents > 0),
    payment_method_id TEXT NOT NULL DEFAULT '',
    card_brand        TEXT NOT NULL DEFAULT '',
    card_last4        TEXT NOT NULL DEFAULT '',
    setup_session_id  TEXT UNIQUE,
    setup_intent_id   TEXT,
    off_reason        TEXT NOT NULL DEFAULT '',
    updated_at        BIGINT NOT NULL
);

-- auto_reload_attempts is each reload: the top-up that charges the saved
-- card, and the spend (the wallet's posting) it answers, so one spend is
-- answered by one reload however often it is looked at.
CREATE TABLE auto_reload_attempts (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topup_id         BIGINT NOT NULL UNIQUE REFERENCES topups(id),
    spend_posting_id BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (user_id, spend_posting_id)
);
CREATE INDEX auto_reload_attempts_user_time_idx ON auto_reload_attempts (user_id, created_at);

-- test_card_setups are the card-saving pages of the built-in test mode,
-- where the browser goes after them, and the cards saved on them; a card
-- that declines is saved but refused when charged, like Stripe's test card
-- 4000 0000 0000 0341.
CREATE TABLE test_card_setups (
    session_id        TEXT NOT NULL PRIMARY KEY,
    user_id           BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    customer_id       TEXT NOT NULL,
    setup_intent_id   TEXT UNIQUE,
    payment_method_id TEXT UNIQUE,
    card_last4        TEXT NOT NULL DEFAULT '',
    declines          BOOLEAN NOT NULL DEFAULT FALSE,
    success_path      TEXT NOT NULL,
    cancel_path       TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);

-- A test-mode charge of a saved card is made once per idempotency key, as
-- Stripe makes a PaymentIntent once per key.
ALTER TABLE test_charges ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX test_charges_idempotency_key_idx ON test_charges (idempotency_key);

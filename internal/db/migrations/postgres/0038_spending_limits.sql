-- Client spending limits (WAL-11): caps in cents per reading, per day and
-- per month of the client's time zone (NULL: no cap), and a cooling-off
-- pause until paused_until. A change that loosens them (a higher cap, none,
-- a pause ended early) waits 24 hours: the pending_ columns hold the whole
-- settings asked for, taking effect at pending_at (NULL: nothing waits).
CREATE TABLE spending_limits (
    user_id                   BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    per_reading_cents         BIGINT CHECK (per_reading_cents > 0),
    daily_cents               BIGINT CHECK (daily_cents > 0),
    monthly_cents             BIGINT CHECK (monthly_cents > 0),
    paused_until              BIGINT,
    pending_per_reading_cents BIGINT,
    pending_daily_cents       BIGINT,
    pending_monthly_cents     BIGINT,
    pending_paused_until      BIGINT,
    pending_at                BIGINT,
    updated_at                BIGINT NOT NULL
);

-- Monthly subscriptions to a reader (LIV-3).
--
-- reader_profiles.subscription_price_cents: what a month of the reader's
-- premium streams costs; 0 means the reader offers no subscription.
--
-- stream_subscriptions: a subscriber's subscriptions to a reader, at
-- most one of them active (stream_subscriptions_one_active). An active
-- subscription admits its holder to the reader's premium streams until
-- period_end. Each period is paid from the wallet in advance, in one
-- 'order' transfer keyed 'sub:<id>:<period start>' (the reader's share to
-- their earnings, the rest to the platform), so a period is paid once
-- however often the renewal job runs. cancel_at_period_end stops the
-- renewal: the subscription ends ('cancelled') when the period does. A
-- renewal the wallet cannot pay ends it as 'lapsed'. Subscribing again
-- after it ended adds a new row.

ALTER TABLE reader_profiles ADD COLUMN subscription_price_cents BIGINT NOT NULL DEFAULT 0 CHECK (subscription_price_cents >= 0);

CREATE TABLE stream_subscriptions (
    id                   INTEGER PRIMARY KEY,
    subscriber_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reader_id            BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    price_cents          BIGINT NOT NULL CHECK (price_cents > 0),
    state                TEXT NOT NULL CHECK (state IN ('active', 'cancelled', 'lapsed')),
    period_start         BIGINT NOT NULL,
    period_end           BIGINT NOT NULL,
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    CHECK (period_end > period_start),
    CHECK (subscriber_id <> reader_id)
);
CREATE UNIQUE INDEX stream_subscriptions_one_active ON stream_subscriptions (subscriber_id, reader_id) WHERE state = 'active';
CREATE INDEX stream_subscriptions_subscriber_idx ON stream_subscriptions (subscriber_id, reader_id);
CREATE INDEX stream_subscriptions_reader_idx ON stream_subscriptions (reader_id);
-- the renewal job looks only at active subscriptions that are due
CREATE INDEX stream_subscriptions_due_idx ON stream_subscriptions (period_end) WHERE state = 'active';

-- Money whose fate is uncertain waits instead of being guessed.
--
-- A card refund Stripe neither confirmed nor refused (timeouts, outages)
-- stays in 'review' for an admin instead of being credited back to the
-- wallet (it may have reached the card). A Stripe event about an object
-- SoulSeer does not know yet (a dispute closed before it was opened, a
-- refund before the top-up's completion) is 'parked' with the id it waits
-- for in object_id, and applied when that object arrives. The test-mode
-- gateway keeps its refunds by idempotency key, as Stripe does.

ALTER TABLE stripe_events DROP CONSTRAINT stripe_events_status_check;
ALTER TABLE stripe_events ADD CONSTRAINT stripe_events_status_check
    CHECK (status IN ('received', 'processed', 'ignored', 'mismatch', 'parked'));
CREATE INDEX stripe_events_parked_idx ON stripe_events (object_id) WHERE status = 'parked';

ALTER TABLE refunds DROP CONSTRAINT refunds_status_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'review'));
CREATE INDEX refunds_review_idx ON refunds (status) WHERE status IN ('pending', 'review');

CREATE TABLE test_refunds (
    id                TEXT PRIMARY KEY,
    payment_intent_id TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL UNIQUE,
    amount_cents      BIGINT NOT NULL CHECK (amount_cents > 0),
    created_at        BIGINT NOT NULL
);

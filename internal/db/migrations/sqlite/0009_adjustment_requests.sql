-- A credit an admin makes to their own wallet needs a second admin (WAL-8,
-- SEC-4). It is kept here as a request, moving no money, until another
-- admin approves it (its ledger transfer is then posted, once) or rejects
-- it. requested_by is both the admin who asked and the wallet credited;
-- the idempotency key is the requester's, as for adjustments posted at
-- once, so a retried request records one request.

CREATE TABLE adjustment_requests (
    id              INTEGER PRIMARY KEY,
    requested_by    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    amount_cents    BIGINT NOT NULL CHECK (amount_cents > 0),
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at      BIGINT,
    transfer_id     BIGINT REFERENCES ledger_transfers(id),
    created_at      BIGINT NOT NULL,
    UNIQUE (requested_by, idempotency_key),
    CHECK (decided_by <> requested_by)
);
CREATE INDEX adjustment_requests_pending_idx ON adjustment_requests (created_at) WHERE status = 'pending';

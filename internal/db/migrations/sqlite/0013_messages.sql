-- Messages between clients and readers, with paid replies (MSG-1 … MSG-6).
--
-- A conversation is the one thread of a client–reader pair. It keeps each
-- side's count of unread messages (from the other side, not yet read) and
-- the time of its last message, so the inbox and the header's unread count
-- read one row per conversation, never the messages.
-- A message is plain text of 1 to 4,000 characters; chars is its length,
-- which a locked paid reply shows instead of its text. A paid reply has a
-- price (the reader's paid-reply price when it was sent); the client
-- unlocks it by paying that price once, and the unlock records the ledger
-- transfer that moved the money (MSG-6), when it happened and what the
-- reader earned from it.
-- reader_profiles.paid_reply_cents is what a reader's paid replies cost.

ALTER TABLE reader_profiles ADD COLUMN paid_reply_cents BIGINT NOT NULL DEFAULT 100 CHECK (paid_reply_cents BETWEEN 100 AND 5000);

CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY,
    client_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reader_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_unread   INTEGER NOT NULL DEFAULT 0 CHECK (client_unread >= 0),
    reader_unread   INTEGER NOT NULL DEFAULT 0 CHECK (reader_unread >= 0),
    last_message_at BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (client_id, reader_id),
    CHECK (client_id <> reader_id)
);
CREATE INDEX conversations_reader_idx ON conversations (reader_id, last_message_at);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    sender_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body            TEXT NOT NULL,
    chars           INTEGER NOT NULL CHECK (chars BETWEEN 1 AND 4000),
    price_cents     BIGINT NOT NULL DEFAULT 0 CHECK (price_cents = 0 OR price_cents BETWEEN 100 AND 5000),
    transfer_id     BIGINT REFERENCES ledger_transfers(id),
    earnings_cents  BIGINT NOT NULL DEFAULT 0 CHECK (earnings_cents >= 0),
    unlocked_at     BIGINT,
    created_at      BIGINT NOT NULL,
    CHECK (transfer_id IS NULL OR (price_cents > 0 AND unlocked_at IS NOT NULL))
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);

-- Flags and moderation (COM-4 … COM-7, SEC-3).
--
-- flags: a user's report of an item — a forum post or thread, a reader's
-- review, a stream chat message or a profile — with a reason from a fixed
-- list and, for 'other', a note (COM-4). One flag per user and item.
-- author_id is whose the item was when flagged. A flag is pending until an
-- admin decides on its item: dismissed (nothing wrong), or resolved by
-- hiding or deleting the item, warning its author or suspending them
-- (COM-5, COM-6); every pending flag of the item gets the decision.
--
-- users.suspended_until: a suspended user cannot log in, use a session or
-- post until then (9223372036854775807: for good); their sessions are
-- deleted when suspended.
--
-- hidden_at on forum posts and threads and on reviews: hidden by a
-- moderator; the item stays for the record but is shown to no one but
-- admins. An item with pending flags shows behind a warning, and with
-- enough of them (SOULSEER_FLAG_HIDE_AFTER) is hidden until decided
-- (COM-7): that is read from flags, not stored.

CREATE TABLE flags (
    id            INTEGER PRIMARY KEY,
    target_type   TEXT NOT NULL CHECK (target_type IN ('post', 'thread', 'review', 'stream_message', 'profile')),
    target_id     BIGINT NOT NULL,
    author_id     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reporter_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason        TEXT NOT NULL CHECK (reason IN ('spam', 'harassment', 'inappropriate', 'scam', 'off_topic', 'other')),
    note          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'resolved', 'dismissed')),
    action        TEXT NOT NULL DEFAULT '' CHECK (action IN ('', 'dismiss', 'hide', 'delete', 'warn', 'suspend')),
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at    BIGINT,
    created_at    BIGINT NOT NULL,
    UNIQUE (target_type, target_id, reporter_id),
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK ((status = 'dismissed') = (action = 'dismiss'))
);
CREATE INDEX flags_pending_idx ON flags (created_at) WHERE status = 'pending';
CREATE INDEX flags_target_idx ON flags (target_type, target_id);
CREATE INDEX flags_author_idx ON flags (author_id);

ALTER TABLE users ADD COLUMN suspended_until BIGINT;
ALTER TABLE forum_posts ADD COLUMN hidden_at BIGINT;
ALTER TABLE forum_threads ADD COLUMN hidden_at BIGINT;
ALTER TABLE reviews ADD COLUMN hidden_at BIGINT;

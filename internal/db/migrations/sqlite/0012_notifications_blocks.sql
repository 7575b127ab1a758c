-- The notification centre, blocking and "notify me when online" (MSG-2,
-- ACC-6, RDR-7).
--
-- users.last_seen_at is when the user last held a live connection (the
-- user WebSocket) on any instance, refreshed by each instance's presence
-- heartbeat and set to 0 when their last connection there closes; an email
-- about a notification goes out only to someone not seen within the
-- presence timeout. (reader_profiles.last_seen_at stays what the directory
-- shows a reader's presence by, which the demo's automated readers keep
-- current without a connection.)
--
-- notifications are what a person was told: shown in the list and bell when
-- in_app, and email_pending until the email batch of their group (grp) has
-- either mailed them or found them read or the person present.
-- notification_email_batches keeps, per person and group, when the next
-- email is due (0: none) and when the last one went out, so a group mails
-- at most once per window.
-- notification_preferences holds a person's choices per kind; a kind
-- without a row has its defaults.
-- notification_unsubscribes are the one-time links in emails that turn
-- email off for one kind without signing in; only the token's hash is kept.
--
-- blocks: blocker_id blocked blocked_id; either direction keeps the two
-- apart (messages, readings, queues, bookings).
-- online_watches: client_id asked to be told when reader_id next comes
-- online; the row is used up when they are told.

ALTER TABLE users ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    grp           TEXT NOT NULL,
    in_app        BOOLEAN NOT NULL,
    email_pending BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL,
    read_at       BIGINT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id) WHERE in_app;
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE in_app AND read_at IS NULL;
CREATE INDEX notifications_email_idx ON notifications (user_id, grp) WHERE email_pending;

CREATE TABLE notification_email_batches (
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    grp          TEXT NOT NULL,
    due_at       BIGINT NOT NULL DEFAULT 0,
    last_sent_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, grp)
);
CREATE INDEX notification_email_batches_due_idx ON notification_email_batches (due_at) WHERE due_at > 0;

CREATE TABLE notification_preferences (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    in_app     BOOLEAN NOT NULL,
    email      BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notification_unsubscribes (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notification_unsubscribes_created_idx ON notification_unsubscribes (created_at);

CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked_idx ON blocks (blocked_id, blocker_id);

CREATE TABLE online_watches (
    client_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, reader_id)
);
CREATE INDEX online_watches_reader_idx ON online_watches (reader_id);

-- Stream moderation (LIV-8).
--
-- stream_moderators: the users a reader appoints to moderate every one of
-- their streams. The reader and admins moderate without a row.
--
-- stream_bans: viewers banned from a reader's streams. A ban keeps the
-- viewer out of every stream of that reader until it is lifted; their
-- messages in the stream they were banned from are hidden.
--
-- stream_mutes: viewers who may not chat in a reader's streams until
-- muted_until (gifts are still taken). Lifting a mute deletes the row; an
-- expired row is simply not in force.
--
-- stream_messages.hidden_at, hidden_by: a message a moderator hid (or
-- whose sender was banned); transcripts leave hidden messages out.

CREATE TABLE stream_moderators (
    reader_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    moderator_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (reader_id, moderator_id),
    CHECK (reader_id <> moderator_id)
);
CREATE INDEX stream_moderators_moderator_idx ON stream_moderators (moderator_id);

CREATE TABLE stream_bans (
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    banned_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (reader_id, user_id)
);

CREATE TABLE stream_mutes (
    reader_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    muted_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    muted_until BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (reader_id, user_id)
);

ALTER TABLE stream_messages ADD COLUMN hidden_at BIGINT;
ALTER TABLE stream_messages ADD COLUMN hidden_by BIGINT REFERENCES users(id) ON DELETE SET NULL;

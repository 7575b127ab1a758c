-- forum_reads: how far each user has read each forum thread (COM-2: unread
-- markers) — the last post id they have seen; it only moves forward. A
-- thread with no row is new to the user; one with posts after last_post_id
-- has that many new posts. Writing a post counts as reading to it.

CREATE TABLE forum_reads (
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id    BIGINT NOT NULL REFERENCES forum_threads(id),
    last_post_id BIGINT NOT NULL,
    read_at      BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);

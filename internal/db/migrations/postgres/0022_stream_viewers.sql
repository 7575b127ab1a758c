-- Who watches each stream, across every instance (LIV-7).
--
-- live_instances: the running instances, each refreshing seen_at while it
-- runs; an instance not seen for the presence timeout has stopped, and the
-- next instance to notice deletes it with its viewers.
--
-- stream_viewers: the users with at least one open connection to a stream
-- through an instance. Instances write their changes in batches, so a
-- thousand viewers joining at once cost a few statements.
--
-- streams.viewer_count: the distinct users in stream_viewers, other than
-- the reader, as of the last change; the viewer count everyone sees.

CREATE TABLE live_instances (
    id      TEXT NOT NULL PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
CREATE INDEX live_instances_seen_idx ON live_instances (seen_at);

CREATE TABLE stream_viewers (
    stream_id   BIGINT NOT NULL REFERENCES streams(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    instance_id TEXT NOT NULL REFERENCES live_instances(id) ON DELETE CASCADE,
    PRIMARY KEY (stream_id, user_id, instance_id)
);
CREATE INDEX stream_viewers_instance_idx ON stream_viewers (instance_id);

ALTER TABLE streams ADD COLUMN viewer_count INTEGER NOT NULL DEFAULT 0;

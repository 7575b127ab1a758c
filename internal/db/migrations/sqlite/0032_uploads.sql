-- Uploads (COM-3): files users attach to what they write, kept in the
-- file store under key (thumb_key: a picture's thumbnail). content_type is
-- what the bytes are, decided on upload; bytes counts against the owner's
-- quota. attached_at is set once the upload is part of something posted;
-- uploads left unattached are removed by the cleanup job after a day.
-- What an upload is attached to links to it (forum_post_uploads).

CREATE TABLE uploads (
    id           INTEGER PRIMARY KEY,
    owner_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (name <> ''),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf')),
    bytes        BIGINT NOT NULL CHECK (bytes > 0),
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    file_key     TEXT NOT NULL UNIQUE,
    thumb_key    TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    attached_at  BIGINT
);
CREATE INDEX uploads_owner_idx ON uploads (owner_id);
-- the cleanup job looks only at uploads never attached
CREATE INDEX uploads_orphan_idx ON uploads (created_at) WHERE attached_at IS NULL;

-- forum_post_uploads: the uploads attached to a forum post, in order.
CREATE TABLE forum_post_uploads (
    post_id   BIGINT NOT NULL REFERENCES forum_posts(id),
    upload_id BIGINT NOT NULL UNIQUE REFERENCES uploads(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (post_id, upload_id)
);

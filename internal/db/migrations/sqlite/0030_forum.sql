-- Community forums, first stage (COM-1, COM-2): categories, threads, posts
-- and search.
--
-- forum_categories: what admins arrange the forum into (COM-1): a name, a
-- slug for addresses, a description and a place in the index. readers_only
-- lets only readers (and admins) start threads and reply there; an
-- archived category stays readable but takes no new threads or posts and
-- leaves the index.
--
-- forum_threads: a conversation in a category (COM-2), started by its
-- author with its first post. pinned threads come first in their
-- category; a locked thread takes no replies. post_count and
-- last_post_at (the thread's visible posts) order threads by activity;
-- they change with every post, in the same transaction. A thread deleted
-- (by its author before anyone replied, or by an admin) keeps its row
-- with deleted_at set and is shown to no one.
--
-- forum_posts: the posts of a thread, the first one its opening. body is
-- what the author wrote (Markdown), body_html its rendering through the
-- sanitiser (internal/markup), kept so a page never renders twice;
-- edited_at marks an edited post. A deleted post keeps its row, without
-- its text, so replies quoting it and the thread's numbering stay.
--
-- forum_post_revisions: every earlier text of an edited post, for
-- moderators (COM-2: edits keep their history).
--
-- Search (COM-2) uses an FTS5 index, forum_search, one row per post (its
-- thread's title and its text, Porter-stemmed), kept by triggers.

CREATE TABLE forum_categories (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name         TEXT NOT NULL CHECK (name <> ''),
    description  TEXT NOT NULL DEFAULT '',
    readers_only BOOLEAN NOT NULL DEFAULT FALSE,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    archived_at  BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE forum_threads (
    id           INTEGER PRIMARY KEY,
    category_id  BIGINT NOT NULL REFERENCES forum_categories(id),
    author_id    BIGINT NOT NULL REFERENCES users(id),
    title        TEXT NOT NULL CHECK (title <> ''),
    pinned       BOOLEAN NOT NULL DEFAULT FALSE,
    locked       BOOLEAN NOT NULL DEFAULT FALSE,
    post_count   INTEGER NOT NULL DEFAULT 0 CHECK (post_count >= 0),
    last_post_at BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX forum_threads_active_idx ON forum_threads (category_id, pinned, last_post_at) WHERE deleted_at IS NULL;
CREATE INDEX forum_threads_author_idx ON forum_threads (author_id);

CREATE TABLE forum_posts (
    id         INTEGER PRIMARY KEY,
    thread_id  BIGINT NOT NULL REFERENCES forum_threads(id),
    author_id  BIGINT NOT NULL REFERENCES users(id),
    body       TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at  BIGINT,
    deleted_at BIGINT,
    CHECK ((deleted_at IS NULL) = (body <> ''))
);
CREATE INDEX forum_posts_thread_idx ON forum_posts (thread_id, id);
CREATE INDEX forum_posts_author_idx ON forum_posts (author_id);

CREATE TABLE forum_post_revisions (
    id        INTEGER PRIMARY KEY,
    post_id   BIGINT NOT NULL REFERENCES forum_posts(id),
    body      TEXT NOT NULL,
    edited_by BIGINT NOT NULL REFERENCES users(id),
    edited_at BIGINT NOT NULL
);
CREATE INDEX forum_post_revisions_post_idx ON forum_post_revisions (post_id, id);

CREATE VIRTUAL TABLE forum_search USING fts5(title, body, tokenize = 'porter unicode61');
-- a post is searchable while it and its thread stand; its rowid is the post's id
CREATE TRIGGER forum_posts_search_insert AFTER INSERT ON forum_posts WHEN NEW.deleted_at IS NULL BEGIN
    INSERT INTO forum_search (rowid, title, body) SELECT NEW.id, t.title, NEW.body FROM forum_threads t WHERE t.id = NEW.thread_id;
END;
CREATE TRIGGER forum_posts_search_update AFTER UPDATE OF body, deleted_at ON forum_posts BEGIN
    DELETE FROM forum_search WHERE rowid = OLD.id;
    INSERT INTO forum_search (rowid, title, body) SELECT NEW.id, t.title, NEW.body FROM forum_threads t
        WHERE t.id = NEW.thread_id AND NEW.deleted_at IS NULL AND t.deleted_at IS NULL;
END;
CREATE TRIGGER forum_threads_search_update AFTER UPDATE OF title, deleted_at ON forum_threads BEGIN
    DELETE FROM forum_search WHERE rowid IN (SELECT id FROM forum_posts WHERE thread_id = OLD.id);
    INSERT INTO forum_search (rowid, title, body) SELECT p.id, NEW.title, p.body FROM forum_posts p
        WHERE p.thread_id = NEW.id AND p.deleted_at IS NULL AND NEW.deleted_at IS NULL;
END;

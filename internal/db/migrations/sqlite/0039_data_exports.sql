-- Data exports (SEC-1): a person's copy of their data, a ZIP of JSON files
-- built by a background job and kept in the file store under file_key.
-- building: asked for, the job has not finished; ready: downloadable until
-- expires_at; failed: the job gave up (the person may ask again at once);
-- expired: past expires_at, its file removed by the cleanup job. A person
-- asks for at most one export a day: the latest one not failed decides
-- when the next may start.
CREATE TABLE data_exports (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('building', 'ready', 'failed', 'expired')),
    file_key   TEXT NOT NULL DEFAULT '',
    bytes      BIGINT NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    created_at BIGINT NOT NULL,
    ready_at   BIGINT,
    expires_at BIGINT,
    CHECK ((state = 'ready') = (file_key <> '')),
    CHECK ((state IN ('ready', 'expired')) = (expires_at IS NOT NULL))
);
CREATE INDEX data_exports_user_idx ON data_exports (user_id, id);
-- the cleanup job looks only at downloadable exports
CREATE INDEX data_exports_expiry_idx ON data_exports (expires_at) WHERE state = 'ready';

-- Scheduled readings, first stage: when a reader can be booked (SCH-1) and
-- the openings they add by hand (SCH-2).
--
-- reader_availability holds one reader's settings: the IANA time zone their
-- weekly ranges are in, the gap kept free after each booking
-- (buffer_minutes), how soon before its start a time may be booked
-- (min_notice_minutes) and how many days ahead (max_days_ahead).
-- availability_durations are the lengths offered (15, 30, 45 or 60
-- minutes), each with an optional flat price in cents that replaces
-- duration × the per-minute rate.
-- availability_weekly are the weekly ranges: weekday 0 = Sunday … 6 =
-- Saturday, start_minute and end_minute local wall-clock minutes since
-- midnight in the reader's zone, several a day, never overlapping.
-- availability_openings are one-off start times a reader added by hand, as
-- instants (Unix milliseconds) with their length.
-- availability_time_off are instants [starts_at, ends_at) in which nothing
-- may start or run.

CREATE TABLE reader_availability (
    reader_id          BIGINT NOT NULL PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    time_zone          TEXT NOT NULL,
    buffer_minutes     INTEGER NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 120),
    min_notice_minutes INTEGER NOT NULL CHECK (min_notice_minutes BETWEEN 0 AND 10080),
    max_days_ahead     INTEGER NOT NULL CHECK (max_days_ahead BETWEEN 1 AND 90),
    updated_at         BIGINT NOT NULL
);

CREATE TABLE availability_durations (
    reader_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    minutes     INTEGER NOT NULL CHECK (minutes IN (15, 30, 45, 60)),
    price_cents BIGINT CHECK (price_cents >= 0),
    PRIMARY KEY (reader_id, minutes)
);

CREATE TABLE availability_weekly (
    reader_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    PRIMARY KEY (reader_id, weekday, start_minute),
    CHECK (start_minute < end_minute)
);

CREATE TABLE availability_openings (
    id               INTEGER PRIMARY KEY,
    reader_id        BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_at        BIGINT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes IN (15, 30, 45, 60)),
    created_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX availability_openings_reader_idx ON availability_openings (reader_id, starts_at, duration_minutes);

CREATE TABLE availability_time_off (
    id         INTEGER PRIMARY KEY,
    reader_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX availability_time_off_reader_idx ON availability_time_off (reader_id, ends_at);

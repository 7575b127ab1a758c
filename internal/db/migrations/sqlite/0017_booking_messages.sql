-- The chat of a booked reading's room (SCH-6): from 10 minutes before the
-- start until the end, the booking's client and reader write to each
-- other in its room, as in a reading's room (0004 reading_messages), with
-- no per-minute billing. A message keeps its text when its sender's
-- account goes; it goes with its booking.

CREATE TABLE booking_messages (
    id         INTEGER PRIMARY KEY,
    booking_id BIGINT NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    sender_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (body <> ''),
    created_at BIGINT NOT NULL
);
CREATE INDEX booking_messages_booking_idx ON booking_messages (booking_id, id);

-- Automated demo readers and readers' replies to reviews (RDR-3, RDR-5).
--
-- reader_profiles.automated marks a demo persona: a reader of the demo
-- marketplace whom the app itself plays, accepting requests, chatting from
-- a script and ending the reading through the ordinary reading service.
-- Only the demo loader sets it; no form or API can, so a real reader is
-- never automated. Such a reader shows online only while an instance runs
-- the persona worker, which keeps last_seen_at current as a connection
-- would.
-- A reader answers each review of theirs once: reply is '' until then;
-- replied_at is when the reply was last written (it may be edited).

ALTER TABLE reader_profiles ADD COLUMN automated BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE reviews ADD COLUMN reply TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN replied_at BIGINT;

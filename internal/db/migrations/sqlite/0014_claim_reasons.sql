-- A satisfaction claim names its reason from a short list (OD-14) and may
-- say more in the client's own words.
--
-- reason is now one of SoulSeer's claim reasons (internal/reading,
-- ClaimReasons); details holds the client's optional explanation. A claim
-- filed before this migration kept whatever text it was given as its
-- reason: that text becomes its details and its reason "other" ("Not
-- satisfied", the old one-tap claim's words, says nothing more and is
-- dropped).

ALTER TABLE satisfaction_claims ADD COLUMN details TEXT NOT NULL DEFAULT '';
UPDATE satisfaction_claims SET details = CASE WHEN reason = 'Not satisfied' THEN '' ELSE reason END, reason = 'other';

-- How a checkpoint was done: a short optional note beside its confirmation
-- ("how you would go about completing this", Appendix 1 of the CommCare
-- guide), shown on the checkpoint form, the review, the snapshot and every
-- export. The handlers refuse longer notes with a message; the CHECK is the
-- last line of defence.
ALTER TABLE confirmations ADD COLUMN note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000);

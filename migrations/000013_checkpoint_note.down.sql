ALTER TABLE confirmations DROP COLUMN note;

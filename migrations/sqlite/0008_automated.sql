-- Messages sent by machines (auto-replies, bounces, mailing lists): kept, never answered by
-- the gateway or its bot.
ALTER TABLE messages ADD COLUMN automated INTEGER NOT NULL DEFAULT 0;

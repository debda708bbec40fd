-- Messages sent by machines (auto-replies, bounces, mailing lists): kept, never answered by
-- the gateway or its bot.
ALTER TABLE messages ADD COLUMN automated BIGINT NOT NULL DEFAULT 0;

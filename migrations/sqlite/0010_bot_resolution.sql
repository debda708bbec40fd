-- Why a conversation went to people (asked, upset, account, secret, not_sure, topic, agent) and
-- whether that was outside business hours, shown to agents while it is handed off.
-- Who resolved a conversation ('agent' or 'bot': reports tell the bot's resolutions apart),
-- and since when the bot's answer waits on the customer (such a conversation is not waiting for
-- an agent; it is resolved on its own after a while of silence).
ALTER TABLE conversations ADD COLUMN resolved_by TEXT;
ALTER TABLE conversations ADD COLUMN bot_answered_at INTEGER;
ALTER TABLE conversations ADD COLUMN handoff_reason TEXT;
ALTER TABLE conversations ADD COLUMN handoff_off_hours INTEGER NOT NULL DEFAULT 0;

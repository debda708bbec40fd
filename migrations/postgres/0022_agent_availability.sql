-- Whether an agent is taking conversations, as they set it (online, away, offline) and since
-- when; shown to the team.
ALTER TABLE agents ADD COLUMN availability TEXT NOT NULL DEFAULT 'offline';
ALTER TABLE agents ADD COLUMN availability_at BIGINT;

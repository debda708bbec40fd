-- Choices offered with a reply (inline keyboards): kept with the outbox entry so that a restart
-- sends them too. A JSON array of {"id", "label"}.
ALTER TABLE outbox ADD COLUMN buttons TEXT;

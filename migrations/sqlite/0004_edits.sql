-- Customers edit messages on some platforms: the message shows the latest text, the earlier
-- versions are kept.

ALTER TABLE messages ADD COLUMN edited_at INTEGER;

CREATE TABLE message_edits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES messages(id),
    body       TEXT    NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX message_edits_message ON message_edits(message_id);

-- A recipient who blocked us or vanished; cleared when they write again.
ALTER TABLE identities ADD COLUMN unreachable_at INTEGER;

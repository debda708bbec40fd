-- Where a channel stands in its source (an IMAP mailbox's UIDVALIDITY and last UID), written
-- only after what came before it is durable.
CREATE TABLE channel_cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit trail of deletions of personal data: what was removed, when and by whom (an admin
-- for a contact's erasure, none for the retention sweep), never whose it was.
CREATE TABLE erasures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL,
    agent_id      INTEGER REFERENCES agents(id),
    erased_at     INTEGER NOT NULL,
    contacts      INTEGER NOT NULL,
    identities    INTEGER NOT NULL,
    conversations INTEGER NOT NULL,
    messages      INTEGER NOT NULL,
    attachments   INTEGER NOT NULL
);
-- The retention sweep finds old messages by their time.
CREATE INDEX messages_created ON messages(created_at);

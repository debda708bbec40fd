-- Crypto safety: recognised transaction hashes and addresses; staff handles customers can verify.

CREATE TABLE entities (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      INTEGER NOT NULL REFERENCES messages(id),
    conversation_id INTEGER REFERENCES conversations(id),
    kind            TEXT    NOT NULL,
    chain           TEXT    NOT NULL,
    value           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX entities_message ON entities(message_id);
CREATE INDEX entities_conversation ON entities(conversation_id);

CREATE TABLE staff_handles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id   INTEGER NOT NULL REFERENCES agents(id),
    channel    TEXT    NOT NULL,
    handle     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (channel, handle)
);

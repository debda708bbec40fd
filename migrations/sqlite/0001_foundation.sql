-- The conversation core. Times are Unix milliseconds (INTEGER) so that one set of
-- queries serves SQLite and PostgreSQL.

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    locale      TEXT,
    created_at  INTEGER NOT NULL,
    merged_into INTEGER REFERENCES contacts(id)
);

CREATE TABLE identities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id),
    channel      TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    lang_hint    TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (channel, external_id)
);
CREATE INDEX identities_contact ON identities(contact_id);

CREATE TABLE agents (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    locale        TEXT,
    created_at    INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    reference       TEXT    NOT NULL DEFAULT '',
    contact_id      INTEGER NOT NULL REFERENCES contacts(id),
    status          TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    assignee_id     INTEGER REFERENCES agents(id),
    priority        TEXT    NOT NULL DEFAULT 'normal',
    category        TEXT,
    locale          TEXT,
    tags            TEXT    NOT NULL DEFAULT '[]',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_message_at INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at     INTEGER,
    handoff_at      INTEGER
);
CREATE INDEX conversations_contact ON conversations(contact_id, id);
CREATE INDEX conversations_status ON conversations(status, last_message_at);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER REFERENCES conversations(id),
    contact_id      INTEGER NOT NULL REFERENCES contacts(id),
    identity_id     INTEGER REFERENCES identities(id),
    direction       TEXT    NOT NULL,
    author          TEXT    NOT NULL,
    agent_id        INTEGER REFERENCES agents(id),
    channel         TEXT,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    redactions      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE INDEX messages_identity ON messages(identity_id, id);
CREATE INDEX messages_contact ON messages(contact_id, id);

-- Platform ids of stored messages: inbound dedupe key, reply targets, edits, threads.
CREATE TABLE message_links (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id    INTEGER NOT NULL REFERENCES messages(id),
    channel       TEXT    NOT NULL,
    external_id   TEXT    NOT NULL,
    external_chat TEXT    NOT NULL,
    thread        TEXT,
    UNIQUE (channel, external_id)
);
CREATE INDEX message_links_message ON message_links(message_id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id   INTEGER NOT NULL REFERENCES messages(id),
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_message ON attachments(message_id);

-- The delivery state of an outbound message lives here alone (queued = pending).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      INTEGER NOT NULL REFERENCES messages(id),
    channel         TEXT    NOT NULL,
    dest_chat       TEXT    NOT NULL,
    dest_thread     TEXT,
    reply_to        TEXT,
    idempotency_key TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox(state, id);
CREATE UNIQUE INDEX outbox_message ON outbox(message_id);

-- Bearer tokens (web-chat sessions, agent sessions): only a SHA-256 of the token is kept.
CREATE TABLE auth_tokens (
    token_hash TEXT    PRIMARY KEY,
    kind       TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    data       TEXT    NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

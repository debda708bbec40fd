-- Incidents (suggested by a surge or opened by an admin) and the conversations linked to them;
-- complaints and their stages; customers who stopped announcements; announcements and each
-- recipient's send; peak-load notices of a place in the queue.

-- `messages`: a JSON object of locale → public text; `keywords`, `examples`: JSON arrays;
-- `topic`: the surge's key (an article id or a cluster's words), so one surge is one suggestion;
-- `version`: raised by every change customers are told of.
CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    keywords    TEXT NOT NULL DEFAULT '[]',
    messages    TEXT NOT NULL DEFAULT '{}',
    topic       TEXT,
    examples    TEXT NOT NULL DEFAULT '[]',
    requesters  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX incidents_status ON incidents(status);
-- `told_version`: the incident's version the customer was last told (0: not yet).
CREATE TABLE incident_links (
    incident_id     INTEGER NOT NULL REFERENCES incidents(id),
    conversation_id INTEGER NOT NULL,
    linked_at       INTEGER NOT NULL,
    linked_by       TEXT NOT NULL,
    told_version    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, conversation_id)
);
CREATE INDEX incident_links_conversation ON incident_links(conversation_id);

-- A complaint on a conversation: received → investigating → proposed → closed; at most one
-- open per conversation. `told_stage`: the stage the customer was last told.
CREATE TABLE complaints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL,
    stage           TEXT NOT NULL,
    owner_id        INTEGER REFERENCES agents(id),
    due_at          INTEGER NOT NULL,
    opened_at       INTEGER NOT NULL,
    closed_at       INTEGER,
    source          TEXT NOT NULL
);
CREATE UNIQUE INDEX complaints_open ON complaints(conversation_id) WHERE closed_at IS NULL;
CREATE INDEX complaints_opened ON complaints(opened_at);

-- `/stop`: no more announcements to this contact.
ALTER TABLE contacts ADD COLUMN announcements_stopped_at INTEGER;

-- An announcement to a segment (channel, language, wrote within the last days; none: any).
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    body        TEXT NOT NULL,
    channel     TEXT,
    language    TEXT,
    within_days INTEGER,
    agent_id    INTEGER,
    created_at  INTEGER NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0
);
-- One recipient: the identity it goes to and the message that carries it (its delivery is the
-- send's progress).
CREATE TABLE announcement_sends (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    identity_id     INTEGER NOT NULL,
    contact_id      INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    message_id      INTEGER,
    PRIMARY KEY (announcement_id, identity_id)
);
CREATE INDEX announcement_sends_pending ON announcement_sends(announcement_id, message_id);

-- Peak-load notices: the place and wait a conversation's customer was last told, and when.
CREATE TABLE queue_notices (
    conversation_id INTEGER PRIMARY KEY,
    cycle           INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    wait_s          INTEGER NOT NULL,
    told_at         INTEGER NOT NULL
);
-- Peak-load mode as switched by hand ('on', 'off'; none: automatic).
CREATE TABLE desk_switches (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Surge detection reads the customers' messages of the last day.
CREATE INDEX messages_inbound_created ON messages(created_at) WHERE direction = 'inbound';

-- What agents know of a contact beyond their identities: attributes ("UID", "VIP", "KYC
-- level"; searchable with the contact's name) and notes about the contact (not about one
-- conversation). Both move to the surviving contact on a merge and go with an erasure.
CREATE TABLE contact_attributes (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (contact_id, key)
);
CREATE TABLE contact_notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    agent_id   INTEGER REFERENCES agents(id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes(contact_id, id);

-- Full-text search: the words of messages, of contacts' names (and attributes) and of
-- identities' names and handles, as `search::stored` cuts them (Chinese, Japanese and Korean
-- as character pairs), under the id of what they belong to. Contentless: the index holds words,
-- not the text, and a row is deleted with what it belongs to.
CREATE VIRTUAL TABLE message_search USING fts5(terms, content='', contentless_delete=1);
CREATE VIRTUAL TABLE contact_search USING fts5(terms, content='', contentless_delete=1);
CREATE VIRTUAL TABLE identity_search USING fts5(terms, content='', contentless_delete=1);

-- What was stored before the indexes existed, still to be indexed: the ids below `below`
-- (new rows are indexed as they are written).
CREATE TABLE search_backfill (
    source TEXT PRIMARY KEY,
    below  INTEGER NOT NULL
);
INSERT INTO search_backfill (source, below) SELECT 'messages', COALESCE(MAX(id), 0) + 1 FROM messages;
INSERT INTO search_backfill (source, below) SELECT 'contacts', COALESCE(MAX(id), 0) + 1 FROM contacts;
INSERT INTO search_backfill (source, below) SELECT 'identities', COALESCE(MAX(id), 0) + 1 FROM identities;

-- Full-text search: the words of messages, of contacts' names (and attributes) and of
-- identities' names and handles, as `search::stored` cuts them (Chinese, Japanese and Korean
-- as character pairs) into `tsvector` literals, so the server's locale never decides what a
-- word is, under the id of what they belong to. A row is deleted with what it belongs to.
CREATE TABLE message_search (rowid BIGINT PRIMARY KEY, terms TSVECTOR NOT NULL);
CREATE TABLE contact_search (rowid BIGINT PRIMARY KEY, terms TSVECTOR NOT NULL);
CREATE TABLE identity_search (rowid BIGINT PRIMARY KEY, terms TSVECTOR NOT NULL);
CREATE INDEX message_search_terms ON message_search USING gin (terms);
CREATE INDEX contact_search_terms ON contact_search USING gin (terms);
CREATE INDEX identity_search_terms ON identity_search USING gin (terms);

-- What was stored before the indexes existed, still to be indexed: the ids below `below`
-- (new rows are indexed as they are written).
CREATE TABLE search_backfill (
    source TEXT PRIMARY KEY,
    below  BIGINT NOT NULL
);
INSERT INTO search_backfill (source, below) SELECT 'messages', COALESCE(MAX(id), 0) + 1 FROM messages;
INSERT INTO search_backfill (source, below) SELECT 'contacts', COALESCE(MAX(id), 0) + 1 FROM contacts;
INSERT INTO search_backfill (source, below) SELECT 'identities', COALESCE(MAX(id), 0) + 1 FROM identities;

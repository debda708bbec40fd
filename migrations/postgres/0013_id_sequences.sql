-- The writer now reserves the ids of its rows from each table's identity sequence (any number of
-- instances may write). Until now it chose them itself and the sequences never moved: move each
-- past the rows already stored.
SELECT setval(pg_get_serial_sequence('contacts', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM contacts;
SELECT setval(pg_get_serial_sequence('identities', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM identities;
SELECT setval(pg_get_serial_sequence('conversations', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM conversations;
SELECT setval(pg_get_serial_sequence('messages', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM messages;
SELECT setval(pg_get_serial_sequence('outbox', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM outbox;

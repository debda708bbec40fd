-- The operator's lexicon groups (the knowledge-base folder's lexicon.txt), one line each, in
-- file order: words customers use for one thing, read by the bot as the group's first.
CREATE TABLE kb_lexicon (
    position BIGINT PRIMARY KEY,
    line TEXT NOT NULL
);

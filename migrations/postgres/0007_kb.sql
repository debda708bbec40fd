-- The knowledge base the bot answers from (`switchboard kb import`); the search index is
-- built from it at start.
CREATE TABLE kb_articles (
    id          TEXT PRIMARY KEY,
    topic       TEXT NOT NULL,
    locale      TEXT NOT NULL,
    title       TEXT NOT NULL,
    tags        TEXT NOT NULL DEFAULT '[]',
    questions   TEXT NOT NULL DEFAULT '[]',
    body        TEXT NOT NULL,
    retired     INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);

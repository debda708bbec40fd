-- Knowledge-base topics that always go to a person (a stolen account, a refund): the
-- bot recognises them and hands off, and the article's body is guidance for the agents.
ALTER TABLE kb_articles ADD COLUMN handoff INTEGER NOT NULL DEFAULT 0;

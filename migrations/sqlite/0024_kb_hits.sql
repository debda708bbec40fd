-- Which customer question each article answered or was offered for: the editor shows an
-- article's last questions. Deleted with the question (erasure, retention).
CREATE TABLE kb_hits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX kb_hits_article ON kb_hits(article_id, id);
CREATE INDEX kb_hits_message ON kb_hits(message_id);

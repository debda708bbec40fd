-- Canned responses get a shortcut (typed as /shortcut in the composer) and files sent with
-- them (kept in the attachment store like any message's).
ALTER TABLE canned_responses ADD COLUMN shortcut TEXT;
CREATE TABLE canned_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    canned_id    INTEGER NOT NULL REFERENCES canned_responses(id),
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    storage_key  TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX canned_attachments_canned ON canned_attachments(canned_id);

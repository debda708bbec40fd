-- Inbox: waiting time, canned responses.

-- When the customer's oldest unanswered message arrived; NULL when nothing waits for an answer.
ALTER TABLE conversations ADD COLUMN waiting_since INTEGER;
UPDATE conversations SET waiting_since = last_message_at WHERE status <> 'resolved';
CREATE INDEX conversations_waiting ON conversations(status, waiting_since);
CREATE INDEX conversations_assignee ON conversations(assignee_id);

CREATE TABLE canned_responses (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL,
    locale     TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (title, locale)
);

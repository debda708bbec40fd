-- When the conversation's current cycle began: its opening, or its latest reopening. A
-- resolution ends the cycle; reports and surveys count per cycle.
ALTER TABLE conversations ADD COLUMN cycle_started_at INTEGER;
UPDATE conversations SET cycle_started_at = created_at;

-- Satisfaction surveys, one per cycle an agent resolved: due after the delay (cancelled when
-- the customer writes first), asked (the question with its buttons, message `ask_message_id`),
-- rated (1-5, with an optional comment after it), or skipped (the customer could not be
-- reached). The agents credited are those who replied between `cycle_started_at` and
-- `resolved_at`.
CREATE TABLE surveys (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    state            TEXT NOT NULL,
    cycle_started_at INTEGER NOT NULL,
    resolved_at      INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    asked_at         INTEGER,
    ask_message_id   INTEGER,
    channel          TEXT,
    rating           INTEGER,
    rated_at         INTEGER,
    comment          TEXT,
    commented_at     INTEGER
);
CREATE INDEX surveys_due ON surveys(state, due_at);
CREATE INDEX surveys_conversation ON surveys(conversation_id, id);
CREATE INDEX surveys_rated ON surveys(rated_at) WHERE rating IS NOT NULL;

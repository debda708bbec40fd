-- Quality reviews: a lead scores a resolved conversation's cycle against the rubric's
-- criteria (1-5 each, `scores` a JSON object), with a comment; `score` is their mean on a
-- 0-100 scale. The agent reviewed is the one the review names.
CREATE TABLE reviews (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    cycle_started_at INTEGER NOT NULL,
    agent_id         INTEGER NOT NULL REFERENCES agents(id),
    reviewer_id      INTEGER NOT NULL REFERENCES agents(id),
    scores           TEXT NOT NULL,
    score            REAL NOT NULL,
    comment          TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);
CREATE INDEX reviews_agent ON reviews(agent_id, created_at);
CREATE INDEX reviews_created ON reviews(created_at);

-- The rubric's criteria, a JSON array of names; the row with no team is everyone's.
CREATE TABLE review_rubrics (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id    INTEGER,
    criteria   TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO review_rubrics (team_id, criteria, updated_at) VALUES (NULL, '["accuracy","tone","safety","resolution"]', 0);

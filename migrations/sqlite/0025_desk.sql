-- The desk: teams, availability's presence, capacity, routing, SLA policies and clocks,
-- automation rules and their runs.

-- A team: members, one lead, the languages and bot categories it takes (JSON arrays).
-- `rotation` is round robin's place: the member last given a conversation.
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    lead_id    INTEGER REFERENCES agents(id),
    languages  TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    rotation   INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams(id),
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    PRIMARY KEY (team_id, agent_id)
);
CREATE INDEX team_members_agent ON team_members(agent_id);
-- Round robin's place among all agents, for conversations of no team.
CREATE TABLE desk_rotation (
    id       INTEGER PRIMARY KEY,
    agent_id INTEGER
);

-- A conversation's team, and the cycle its routing was decided for (its cycle_started_at).
ALTER TABLE conversations ADD COLUMN team_id INTEGER;
ALTER TABLE conversations ADD COLUMN routed_cycle INTEGER;
-- Who the desk assigned it to last, and when (for reassignment of an unanswered one).
ALTER TABLE conversations ADD COLUMN assigned_at INTEGER;
CREATE INDEX conversations_team ON conversations(team_id);

-- An agent's own limit of open conversations (none: the installation's), when their inbox was
-- last seen open, and which notifications they want (JSON object of switches).
ALTER TABLE agents ADD COLUMN capacity INTEGER;
ALTER TABLE agents ADD COLUMN seen_at INTEGER;
ALTER TABLE agents ADD COLUMN notify TEXT NOT NULL DEFAULT '{}';

-- Reports by team and within SLA: each cycle keeps its team (the ledger's `team` events), the
-- SLA policy it was held to and how many of its targets were missed.
ALTER TABLE cycles ADD COLUMN team_id INTEGER;
ALTER TABLE cycles ADD COLUMN sla_policy_id INTEGER;
ALTER TABLE cycles ADD COLUMN sla_breaches INTEGER NOT NULL DEFAULT 0;

-- Targets in milliseconds (none: not measured); a policy applies to conversations matching
-- every criterion it names; the most specific one wins.
CREATE TABLE sla_policies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE,
    first_response INTEGER,
    next_response  INTEGER,
    resolution     INTEGER,
    business_hours INTEGER NOT NULL DEFAULT 0,
    priority       TEXT,
    team_id        INTEGER,
    channel        TEXT,
    created_at     INTEGER NOT NULL
);

-- What the desk last made of each conversation it looked at: how far into its ledger it read
-- (`seen` events; `updated_at`: the conversation's as it was then), and the SLA clocks of its
-- current cycle (`breached`, `warned`: the targets already told, JSON arrays); `check_at`: the
-- next instant a warning or a deadline falls due.
CREATE TABLE desk_state (
    conversation_id        INTEGER PRIMARY KEY,
    updated_at             INTEGER NOT NULL,
    seen                   INTEGER NOT NULL,
    cycle                  INTEGER,
    policy_id              INTEGER,
    first_response_due_at  INTEGER,
    next_response_due_at   INTEGER,
    resolution_due_at      INTEGER,
    breached               TEXT NOT NULL DEFAULT '[]',
    warned                 TEXT NOT NULL DEFAULT '[]',
    paused                 INTEGER NOT NULL DEFAULT 0,
    check_at               INTEGER
);
CREATE INDEX desk_state_check ON desk_state(check_at);
CREATE INDEX conversations_updated ON conversations(updated_at);

-- When (an event, or idle for `idle_ms`) + conditions → actions (JSON).
CREATE TABLE automation_rules (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    event      TEXT NOT NULL,
    idle_ms    INTEGER,
    conditions TEXT NOT NULL DEFAULT '[]',
    actions    TEXT NOT NULL DEFAULT '[]',
    enabled    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

-- Every run of a rule on a conversation, once per occurrence (`occurrence`: what fired it,
-- e.g. a message id or a breach of one cycle), so a timer fires once across restarts and
-- instances.
CREATE TABLE rule_runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id         INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    occurrence      TEXT NOT NULL,
    at              INTEGER NOT NULL,
    outcome         TEXT NOT NULL,
    UNIQUE (rule_id, conversation_id, occurrence)
);
CREATE INDEX rule_runs_conversation ON rule_runs(conversation_id);

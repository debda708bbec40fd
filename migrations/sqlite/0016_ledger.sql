-- The reporting ledger: what happened to each conversation, appended by the writer in the
-- transaction that made it happen and never changed. `cycle` is the start of the cycle it
-- happened in (conversations.cycle_started_at). Kinds: opened, reopened, customer_message,
-- bot_reply, agent_reply, assigned, handed_off (detail: the reason), resolved (detail: agent,
-- bot or idle), rated (detail: the rating). docs/metrics.md defines every figure read from it.
CREATE TABLE ledger (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL,
    cycle           INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    at              INTEGER NOT NULL,
    agent_id        INTEGER,
    channel         TEXT,
    detail          TEXT
);
CREATE INDEX ledger_conversation ON ledger(conversation_id, cycle);
CREATE INDEX ledger_kind_at ON ledger(kind, at);
CREATE INDEX ledger_kind_cycle ON ledger(kind, cycle);

-- One row per conversation cycle (its opening or a reopening up to its resolution), kept by
-- the same writes as the ledger: what reports read, so that a period of a million
-- conversations is one indexed range.
CREATE TABLE cycles (
    conversation_id   INTEGER NOT NULL,
    started_at        INTEGER NOT NULL,
    reopened          INTEGER NOT NULL DEFAULT 0,
    channel           TEXT NOT NULL,
    locale            TEXT,
    reached_at        INTEGER,
    first_human_at    INTEGER,
    first_agent_id    INTEGER,
    assignee_id       INTEGER,
    handoff_reason    TEXT,
    customer_messages INTEGER NOT NULL DEFAULT 0,
    bot_replies       INTEGER NOT NULL DEFAULT 0,
    agent_replies     INTEGER NOT NULL DEFAULT 0,
    resolved_at       INTEGER,
    resolved_by       TEXT,
    resolver_id       INTEGER,
    PRIMARY KEY (conversation_id, started_at)
);
CREATE INDEX cycles_started ON cycles(started_at);

-- What happened before the ledger: each conversation's one cycle, as far as it is known.
INSERT INTO cycles (conversation_id, started_at, channel, locale, reached_at, first_human_at, assignee_id,
                    handoff_reason, resolved_at, resolved_by)
SELECT id, COALESCE(cycle_started_at, created_at), channel, locale,
       CASE WHEN first_response_at IS NOT NULL THEN COALESCE(handoff_at, created_at) ELSE handoff_at END,
       first_response_at, assignee_id, handoff_reason, resolved_at, resolved_by
FROM conversations;

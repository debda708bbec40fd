//! The statements that write a planned batch's rows: one multi-row statement per table,
//! whatever the batch size. Rows travel as one JSON parameter (`jsonb_each` on SQLite,
//! `json_to_recordset` on PostgreSQL), so each statement's text is fixed and prepared once; on
//! SQLite they all go as one multi-statement query, one round trip to the connection's thread.
//! (`jsonb_each`, not `json_each`: its `value` for a row is binary JSON, read by each column's
//! `json_extract` as it is; `json_each` turns every row back into JSON text, to be parsed again
//! once per column, which cost a third of the commit.)

use crate::error::Result;
use crate::plan::rows::{Rows, Single, WRITES};
use crate::store::Backend;
use serde::Serialize;
use sqlx::{AnyConnection, AssertSqlSafe};

/// The fixed statements, generated once per backend.
pub(crate) struct Statements {
    /// One per row kind, in `Rows::params` order, each taking its rows as `$1`.
    writes: [String; WRITES],
    /// SQLite: all of `writes` as one multi-statement query taking one parameter per row kind. Each statement
    /// is a round trip to the connection's worker thread, and a batch's commit waits for them
    /// in turn; one query makes it one. (PostgreSQL prepares one statement at a time.)
    combined: Option<String>,
    contact_merges: [String; 8],
    backend: Backend,
}

const CONTACTS: &[(&str, &str)] = &[("id", "bigint"), ("name", "text"), ("created_at", "bigint")];
const IDENTITIES: &[(&str, &str)] = &[
    ("id", "bigint"),
    ("contact_id", "bigint"),
    ("channel", "text"),
    ("external_id", "text"),
    ("display_name", "text"),
    ("lang_hint", "text"),
    ("created_at", "bigint"),
];
const CONVERSATIONS: &[(&str, &str)] = &[
    ("id", "bigint"),
    ("reference", "text"),
    ("contact_id", "bigint"),
    ("status", "text"),
    ("channel", "text"),
    ("priority", "text"),
    ("locale", "text"),
    ("tags", "text"),
    ("created_at", "bigint"),
    ("updated_at", "bigint"),
    ("last_message_at", "bigint"),
    ("waiting_since", "bigint"),
    ("cycle_started_at", "bigint"),
];
const MESSAGES: &[(&str, &str)] = &[
    ("id", "bigint"),
    ("conversation_id", "bigint"),
    ("contact_id", "bigint"),
    ("identity_id", "bigint"),
    ("direction", "text"),
    ("author", "text"),
    ("agent_id", "bigint"),
    ("channel", "text"),
    ("body", "text"),
    ("created_at", "bigint"),
    ("redactions", "bigint"),
    ("automated", "bigint"),
];
const LINKS: &[(&str, &str)] = &[
    ("message_id", "bigint"),
    ("channel", "text"),
    ("external_id", "text"),
    ("external_chat", "text"),
    ("thread", "text"),
];
const ATTACHMENTS: &[(&str, &str)] = &[
    ("message_id", "bigint"),
    ("filename", "text"),
    ("content_type", "text"),
    ("size", "bigint"),
    ("storage_key", "text"),
    ("created_at", "bigint"),
];
const ENTITIES: &[(&str, &str)] = &[
    ("message_id", "bigint"),
    ("conversation_id", "bigint"),
    ("kind", "text"),
    ("chain", "text"),
    ("value", "text"),
    ("created_at", "bigint"),
];
const OUTBOX: &[(&str, &str)] = &[
    ("id", "bigint"),
    ("message_id", "bigint"),
    ("channel", "text"),
    ("dest_chat", "text"),
    ("dest_thread", "text"),
    ("reply_to", "text"),
    ("idempotency_key", "text"),
    ("state", "text"),
    ("next_attempt_at", "bigint"),
    ("created_at", "bigint"),
    ("buttons", "text"),
    ("claim", "bigint"),
];
const CONVERSATION_PATCH: &[(&str, &str)] = &[
    ("id", "bigint"),
    ("updated_at", "bigint"),
    ("last_message_at", "bigint"),
    ("channel", "text"),
    ("reopen", "bigint"),
    ("customer_wrote", "bigint"),
    ("locale", "text"),
    ("handoff_at", "bigint"),
    ("handoff_reason", "text"),
    ("first_response_at", "bigint"),
    ("waiting_from", "bigint"),
    ("answered", "bigint"),
    ("bot_answered", "bigint"),
];
const IDENTITY_PATCH: &[(&str, &str)] = &[("id", "bigint"), ("display_name", "text"), ("lang_hint", "text")];
const CONTACT_PATCH: &[(&str, &str)] = &[("id", "bigint"), ("locale", "text")];
const CONTACT_MERGE: &[(&str, &str)] = &[("survivor", "bigint"), ("merged", "bigint")];
const TOKENS: &[(&str, &str)] = &[
    ("token_hash", "text"),
    ("kind", "text"),
    ("subject", "text"),
    ("data", "text"),
    ("created_at", "bigint"),
    ("expires_at", "bigint"),
];

/// `SELECT <columns> FROM <the JSON records in $1>`, as each backend spells it.
pub(crate) fn records(backend: Backend, columns: &[(&str, &str)], param: &str) -> String {
    match backend {
        Backend::Sqlite => {
            let fields: Vec<String> =
                columns.iter().map(|(c, _)| format!("json_extract(value, '$.{c}') AS {c}")).collect();
            format!("SELECT {} FROM jsonb_each({param})", fields.join(", "))
        }
        Backend::Postgres => {
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let types: Vec<String> = columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
            format!("SELECT {} FROM json_to_recordset({param}::json) AS r({})", names.join(", "), types.join(", "))
        }
    }
}

fn insert(backend: Backend, table: &str, columns: &[(&str, &str)], param: &str) -> String {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    // The WHERE lets SQLite parse a following ON CONFLICT unambiguously.
    format!(
        "INSERT INTO {table} ({}) SELECT * FROM ({}) AS batch_rows WHERE true",
        names.join(", "),
        records(backend, columns, param)
    )
}

/// The statement writing row kind `i` (in `Rows::params` order) from the parameter `param`.
fn write_statement(backend: Backend, i: usize, param: &str) -> String {
    let insert = |table: &str, columns: &[(&str, &str)]| insert(backend, table, columns, param);
    let patch = |table: &str, columns: &[(&str, &str)], set: &str| {
        format!("UPDATE {table} SET {set} FROM ({}) AS p WHERE {table}.id = p.id", records(backend, columns, param))
    };
    match i {
        0 => insert("contacts", CONTACTS),
        1 => insert("identities", IDENTITIES),
        2 => insert("conversations", CONVERSATIONS),
        3 => insert("messages", MESSAGES),
        4 => insert("message_links", LINKS),
        5 => insert("message_links", LINKS) + " ON CONFLICT DO NOTHING",
        6 => insert("attachments", ATTACHMENTS),
        7 => insert("entities", ENTITIES),
        8 => insert("outbox", OUTBOX),
        // A batch's own hand-off is only ever the customer's `/human` (reason `asked`) or
        // `/complaint`.
        9 => patch(
            "conversations",
            CONVERSATION_PATCH,
            "updated_at = p.updated_at, \
                 last_message_at = COALESCE(p.last_message_at, conversations.last_message_at), \
                 channel = COALESCE(p.channel, conversations.channel), \
                 status = CASE WHEN p.reopen = 1 THEN 'open' \
                               WHEN p.customer_wrote = 1 AND conversations.status = 'pending' THEN 'open' \
                               ELSE conversations.status END, \
                 resolved_at = CASE WHEN p.reopen = 1 THEN NULL ELSE conversations.resolved_at END, \
                 resolved_by = CASE WHEN p.reopen = 1 THEN NULL ELSE conversations.resolved_by END, \
                 cycle_started_at = CASE WHEN p.reopen = 1 THEN p.updated_at \
                                         ELSE conversations.cycle_started_at END, \
                 locale = COALESCE(p.locale, conversations.locale), \
                 handoff_at = COALESCE(p.handoff_at, conversations.handoff_at), \
                 handoff_reason = CASE WHEN conversations.handoff_at IS NULL AND p.handoff_at IS NOT NULL \
                                       THEN COALESCE(p.handoff_reason, 'asked') ELSE conversations.handoff_reason END, \
                 first_response_at = COALESCE(conversations.first_response_at, p.first_response_at), \
                 waiting_since = CASE WHEN p.answered = 1 OR p.bot_answered = 1 THEN NULL \
                                      ELSE COALESCE(conversations.waiting_since, p.waiting_from) END, \
                 bot_answered_at = CASE WHEN p.bot_answered = 1 THEN p.updated_at \
                                        WHEN p.answered = 1 OR p.waiting_from IS NOT NULL THEN NULL \
                                        ELSE conversations.bot_answered_at END",
        ),
        10 => patch("identities", IDENTITY_PATCH, "display_name = p.display_name, lang_hint = p.lang_hint"),
        11 => patch("contacts", CONTACT_PATCH, "locale = p.locale"),
        12 => insert("auth_tokens", TOKENS),
        13 => format!(
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = p.sent_at FROM ({}) AS p \
             WHERE outbox.id = p.id AND (outbox.claim IS NULL OR outbox.claim = p.claim)",
            records(backend, &[("id", "bigint"), ("sent_at", "bigint"), ("claim", "bigint")], param)
        ),
        14 => format!(
            "UPDATE identities SET unreachable_at = NULL FROM ({}) AS p \
             WHERE identities.id = p.id AND identities.unreachable_at IS NOT NULL",
            records(backend, &[("id", "bigint")], param)
        ),
        15..=18 => super::ledger::statement(backend, i - 15, param),
        19..=21 => crate::store::search::index_statement(
            backend,
            ["message_search", "contact_search", "identity_search"][i - 19],
            param,
        ),
        _ => unreachable!("{WRITES} row kinds"),
    }
}

impl Statements {
    pub fn new(backend: Backend) -> Statements {
        let combined = (backend == Backend::Sqlite).then(|| {
            (0..WRITES).map(|i| write_statement(backend, i, &format!("${}", i + 1))).collect::<Vec<_>>().join(";\n")
        });
        Statements {
            backend,
            writes: std::array::from_fn(|i| write_statement(backend, i, "$1")),
            combined,
            contact_merges: {
                let moved = |table: &str, column: &str| {
                    format!(
                        "UPDATE {table} SET {column} = p.survivor FROM ({}) AS p WHERE {table}.{column} = p.merged",
                        records(backend, CONTACT_MERGE, "$1")
                    )
                };
                let merges = records(backend, CONTACT_MERGE, "$1");
                [
                    moved("identities", "contact_id"),
                    moved("conversations", "contact_id"),
                    moved("messages", "contact_id"),
                    moved("contact_notes", "contact_id"),
                    // The survivor's own attributes win; the merged contact's others join them.
                    format!(
                        "UPDATE contact_attributes SET contact_id = p.survivor FROM ({merges}) AS p \
                         WHERE contact_attributes.contact_id = p.merged AND NOT EXISTS (SELECT 1 FROM \
                         contact_attributes o WHERE o.contact_id = p.survivor AND o.key = contact_attributes.key)"
                    ),
                    format!("DELETE FROM contact_attributes WHERE contact_id IN (SELECT merged FROM ({merges}) AS p)"),
                    moved("contacts", "merged_into"),
                    format!(
                        "UPDATE contacts SET merged_into = p.survivor FROM ({}) AS p WHERE contacts.id = p.merged",
                        records(backend, CONTACT_MERGE, "$1")
                    ),
                ]
            },
        }
    }
}

/// How the writer begins a transaction on SQLite. Taking the write lock up front: a deferred
/// transaction that reads first can fail to upgrade when another connection wrote in between.
pub(crate) const BEGIN_SQLITE: &str = "BEGIN IMMEDIATE";

/// What `Rows::flush` also does on SQLite, where the writer's BEGIN and COMMIT ride on the
/// batch's first and last statements.
#[derive(Clone, Copy)]
pub(crate) struct Finish {
    /// No statement of the batch ran yet: BEGIN first.
    pub begin: bool,
    /// COMMIT last.
    pub commit: bool,
}

impl Finish {
    /// Rows written midway through a batch, in its open transaction.
    pub const MIDWAY: Finish = Finish { begin: false, commit: false };
}

/// Writes and clears every row, parents before children.
pub(super) async fn flush(rows: &mut Rows, conn: &mut AnyConnection, sql: &Statements, finish: Finish) -> Result<()> {
    rows.heard_from.dedup();
    let mut finish = finish;
    if !rows.singles.is_empty() {
        if finish.begin {
            sqlx::query(BEGIN_SQLITE).execute(&mut *conn).await?;
            finish.begin = false;
        }
        for single in std::mem::take(&mut rows.singles) {
            write_single(conn, single).await?;
        }
    }
    let params = rows.params(sql.backend.into());
    // Merges run after the rows, so only without them can the COMMIT join the rows' query.
    let commit_with_rows = finish.commit && rows.contact_merges.is_empty();
    let mut open = !finish.begin;
    let mut committed = false;
    match &sql.combined {
        Some(combined) => {
            if params.iter().any(Option::is_some) {
                // The same text each time for the same case, so sqlx prepares each once.
                let mut text = String::new();
                if finish.begin {
                    text.push_str(BEGIN_SQLITE);
                    text.push_str(";\n");
                }
                text.push_str(combined);
                if commit_with_rows {
                    text.push_str(";\nCOMMIT");
                }
                let mut query = sqlx::query(AssertSqlSafe(text));
                for rows in params {
                    query = query.bind(rows.unwrap_or_else(|| "[]".to_owned()));
                }
                query.execute(&mut *conn).await?;
                (open, committed) = (true, commit_with_rows);
            }
        }
        None => {
            for (statement, rows) in sql.writes.iter().zip(params) {
                if let Some(rows) = rows {
                    sqlx::query(AssertSqlSafe(statement.clone())).bind(rows).execute(&mut *conn).await?;
                }
            }
        }
    }
    // Merges apply in order: a contact merged earlier in the batch may be merged again.
    for merge in std::mem::take(&mut rows.contact_merges) {
        for statement in &sql.contact_merges {
            write(conn, statement, &mut vec![&merge]).await?;
        }
    }
    if finish.commit && open && !committed {
        sqlx::query("COMMIT").execute(&mut *conn).await?;
    }
    Ok(())
}

/// One rare write (`Single`), with its own statement.
async fn write_single(conn: &mut AnyConnection, single: Single) -> Result<()> {
    let query = match single {
        Single::Update(u) => conversation_update(u),
        Single::Edit(e) => {
            sqlx::query("INSERT INTO message_edits (message_id, body, replaced_at) VALUES ($1, $2, $3)")
                .bind(e.message_id)
                .bind(e.old_body)
                .bind(e.at)
                .execute(&mut *conn)
                .await?;
            sqlx::query("UPDATE messages SET body = $1, edited_at = $2, redactions = redactions + $3 WHERE id = $4")
                .bind(e.new_body)
                .bind(e.at)
                .bind(e.redactions)
                .bind(e.message_id)
        }
        // Fenced like the bulk `sent`: only the claim's holder records an attempt.
        Single::Retry { outbox_id, claim, attempts, next_attempt_at, error } => sqlx::query(
            "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 \
             WHERE id = $4 AND (claim IS NULL OR claim = $5)",
        )
        .bind(attempts)
        .bind(next_attempt_at)
        .bind(error)
        .bind(outbox_id)
        .bind(claim),
        Single::Failed { outbox_id, claim, attempts, error } => sqlx::query(
            "UPDATE outbox SET state = 'failed', attempts = $1, last_error = $2 \
             WHERE id = $3 AND (claim IS NULL OR claim = $4)",
        )
        .bind(attempts)
        .bind(error)
        .bind(outbox_id)
        .bind(claim),
        Single::Unreachable { identity_id, at } => {
            sqlx::query("UPDATE identities SET unreachable_at = $1 WHERE id = $2").bind(at).bind(identity_id)
        }
        Single::SpendToken { token_hash } => {
            sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1").bind(token_hash)
        }
        Single::Survey(survey) => return super::surveys::write(conn, survey).await,
        Single::Complaint(complaint) => return super::complaints::write(conn, complaint).await,
        Single::StopAnnouncements { contact_id, at } => sqlx::query(
            "UPDATE contacts SET announcements_stopped_at = $2 WHERE id = $1 AND announcements_stopped_at IS NULL",
        )
        .bind(contact_id)
        .bind(at),
    };
    query.execute(&mut *conn).await?;
    Ok(())
}

/// An agent's (or the bot's, or the desk's) change of a conversation.
fn conversation_update<'q>(
    u: crate::plan::rows::UpdateRow,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "UPDATE conversations SET updated_at = $1, status = COALESCE($2, status), \
             resolved_at = CASE WHEN $2 = 'resolved' THEN COALESCE(resolved_at, $1) \
                                WHEN $2 IS NULL THEN resolved_at ELSE NULL END, \
             waiting_since = CASE WHEN $2 = 'resolved' THEN NULL ELSE waiting_since END, \
             assignee_id = CASE WHEN $3 = 1 THEN $4 ELSE assignee_id END, \
             priority = COALESCE($5, priority), tags = COALESCE($6, tags), \
             handoff_at = CASE WHEN $2 = 'resolved' THEN NULL WHEN $8 = 1 THEN COALESCE(handoff_at, $1) \
                               WHEN $8 = 0 THEN NULL ELSE handoff_at END, \
             cycle_started_at = CASE WHEN status = 'resolved' AND $2 IS NOT NULL AND $2 <> 'resolved' THEN $1 \
                                     ELSE cycle_started_at END, \
             resolved_by = CASE WHEN $2 = 'resolved' THEN CASE WHEN status = 'resolved' THEN resolved_by ELSE $9 END \
                                WHEN $2 IS NULL THEN resolved_by ELSE NULL END, \
             handoff_reason = CASE WHEN $2 = 'resolved' OR $8 = 0 THEN NULL \
                                   WHEN $8 = 1 AND handoff_at IS NULL THEN $10 ELSE handoff_reason END, \
             handoff_off_hours = CASE WHEN $2 = 'resolved' OR $8 = 0 THEN 0 \
                                      WHEN $8 = 1 AND handoff_at IS NULL THEN $11 ELSE handoff_off_hours END, \
             team_id = CASE WHEN $12 = 1 THEN $13 ELSE team_id END, \
             routed_cycle = CASE WHEN $14 = 1 THEN COALESCE(cycle_started_at, created_at) ELSE routed_cycle END, \
             assigned_at = CASE WHEN $3 = 1 THEN $1 ELSE assigned_at END \
             WHERE id = $7",
    )
    .bind(u.now)
    .bind(u.status)
    .bind(i64::from(u.assign))
    .bind(u.assignee)
    .bind(u.priority)
    .bind(u.tags)
    .bind(u.id)
    .bind(u.handoff.map(i64::from))
    .bind(u.resolver)
    .bind(u.handoff_reason)
    .bind(i64::from(u.handoff_off_hours))
    .bind(i64::from(u.set_team))
    .bind(u.team)
    .bind(i64::from(u.route))
}

async fn write<T: Serialize>(conn: &mut AnyConnection, sql: &str, rows: &mut Vec<T>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(rows).expect("rows serialize");
    sqlx::query(AssertSqlSafe(sql.to_owned())).bind(json).execute(&mut *conn).await?;
    rows.clear();
    Ok(())
}

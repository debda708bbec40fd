//! The statements that write the reporting ledger's events (`Rows::ledger`) and keep the
//! `cycles` rollup with them: a cycle opened by `opened` or `reopened`, the events appended
//! (each stamped with its conversation's current cycle), and what the batch's events change in
//! each cycle, summed per conversation so that several events of one batch all count; and the
//! version of each day whose cycles changed raised (`store::report_days` works those days out again).

use super::flush::records;
use crate::store::Backend;

const LEDGER: &[(&str, &str)] = &[
    ("conversation_id", "bigint"),
    ("kind", "text"),
    ("at", "bigint"),
    ("agent_id", "bigint"),
    ("channel", "text"),
    ("detail", "text"),
];

/// The `n`-th of the four statements (open cycles, append events, update cycles, raise the
/// versions of their days' reports), reading the events from `param`.
pub(super) fn statement(backend: Backend, n: usize, param: &str) -> String {
    let events = records(backend, LEDGER, param);
    let cycle = "(SELECT cycle_started_at FROM conversations WHERE id = e.conversation_id)";
    match n {
        0 => format!(
            "INSERT INTO cycles (conversation_id, started_at, reopened, channel, locale) \
             SELECT e.conversation_id, e.at, CASE WHEN e.kind = 'reopened' THEN 1 ELSE 0 END, e.channel, \
             (SELECT locale FROM conversations WHERE id = e.conversation_id) \
             FROM ({events}) AS e WHERE e.kind IN ('opened', 'reopened') ON CONFLICT DO NOTHING"
        ),
        1 => format!(
            "INSERT INTO ledger (conversation_id, cycle, kind, at, agent_id, channel, detail) \
             SELECT e.conversation_id, COALESCE({cycle}, e.at), e.kind, e.at, e.agent_id, e.channel, e.detail \
             FROM ({events}) AS e"
        ),
        2 => {
            let count = |kind: &str| format!("SUM(CASE WHEN kind = '{kind}' THEN 1 ELSE 0 END) AS {kind}s");
            let first = |kind: &str, column: &str, name: &str| {
                format!("MIN(CASE WHEN kind = '{kind}' THEN {column} END) AS {name}")
            };
            let last = |kind: &str, column: &str, name: &str| {
                format!("MAX(CASE WHEN kind = '{kind}' THEN {column} END) AS {name}")
            };
            let changes = [
                count("customer_message"),
                count("bot_reply"),
                count("agent_reply"),
                first("agent_reply", "at", "first_human_at"),
                first("agent_reply", "agent_id", "first_agent_id"),
                first("handed_off", "at", "handed_off_at"),
                first("handed_off", "detail", "handoff_reason"),
                last("assigned", "agent_id", "assignee_id"),
                last("team", "CAST(detail AS BIGINT)", "team_id"),
                count("sla_breach"),
                last("sla_policy", "CAST(detail AS BIGINT)", "sla_policy_id"),
                last("resolved", "at", "resolved_at"),
                last("resolved", "detail", "resolved_by"),
                last("resolved", "agent_id", "resolver_id"),
            ]
            .join(", ");
            // People are reached at the hand-off; without one, at the first agent's reply when
            // the bot had answered (the agent took over), else when the cycle began.
            format!(
                "UPDATE cycles SET \
                 customer_messages = cycles.customer_messages + p.customer_messages, \
                 bot_replies = cycles.bot_replies + p.bot_replys, \
                 agent_replies = cycles.agent_replies + p.agent_replys, \
                 reached_at = COALESCE(cycles.reached_at, p.handed_off_at, \
                   CASE WHEN p.first_human_at IS NULL THEN NULL \
                        WHEN cycles.bot_replies + p.bot_replys > 0 THEN p.first_human_at \
                        ELSE cycles.started_at END), \
                 first_human_at = COALESCE(cycles.first_human_at, p.first_human_at), \
                 first_agent_id = COALESCE(cycles.first_agent_id, p.first_agent_id), \
                 handoff_reason = COALESCE(cycles.handoff_reason, p.handoff_reason), \
                 assignee_id = COALESCE(p.assignee_id, cycles.assignee_id), \
                 team_id = COALESCE(p.team_id, cycles.team_id), \
                 sla_breaches = cycles.sla_breaches + p.sla_breachs, \
                 sla_policy_id = COALESCE(p.sla_policy_id, cycles.sla_policy_id), \
                 resolved_at = COALESCE(p.resolved_at, cycles.resolved_at), \
                 resolved_by = COALESCE(p.resolved_by, cycles.resolved_by), \
                 resolver_id = CASE WHEN p.resolved_at IS NULL THEN cycles.resolver_id ELSE p.resolver_id END \
                 FROM (SELECT conversation_id, {changes} FROM ({events}) AS e GROUP BY conversation_id) AS p \
                 WHERE cycles.conversation_id = p.conversation_id \
                   AND cycles.started_at = (SELECT cycle_started_at FROM conversations WHERE id = p.conversation_id)"
            )
        }
        3 => crate::store::reports::raise_versions(&format!(
            "SELECT COALESCE({cycle}, e.at) AS start FROM ({events}) AS e"
        )),
        _ => unreachable!("four ledger statements"),
    }
}

//! Automation rules run on a conversation: each enabled rule of the event whose conditions hold
//! runs once per occurrence (recorded in `rule_runs` before it acts), its actions applied as one
//! change with a note saying what it did; a rule that keeps running on one conversation (rules
//! feeding each other, a mail auto-responder answering a canned reply) is stopped.

use super::rules::{Action, Facts, Rule, Trigger, matches};
use crate::Core;
use crate::changes::Change;
use crate::error::Result;
use crate::events::Event;
use crate::model::*;
use crate::post::{ConversationUpdate, Post, PostKind};
use crate::store::rules::RuleRun;
use crate::store::teams::Team;

/// A rule runs at most this many times on one conversation within `LOOP_WINDOW_MS`; then it is
/// stopped there (and says so once).
pub const LOOP_LIMIT: i64 = 5;
const LOOP_WINDOW_MS: i64 = 60 * 60 * 1000;

impl Core {
    /// What the conditions look at, of conversation `id` (none once it is gone).
    pub async fn rule_facts(&self, id: ConversationId) -> Result<Option<(Conversation, Facts)>> {
        let Some(conversation) = self.store().conversation(id).await? else { return Ok(None) };
        let facts = Facts {
            channel: Some(conversation.channel),
            locale: conversation.locale.clone(),
            category: conversation.category.clone(),
            tags: conversation.tags.clone(),
            priority: Some(conversation.priority),
            team_id: conversation.team_id,
            attributes: self.store().contact_attributes(conversation.contact_id).await?,
            text: self.store().latest_customer_text(id).await?.unwrap_or_default(),
        };
        Ok(Some((conversation, facts)))
    }

    /// Runs the enabled rules of `trigger` on conversation `id` for `occurrence` (what fired
    /// them, unique per conversation); returns how many ran.
    pub(super) async fn run_rules(
        &self,
        rules: &[Rule],
        teams: &[Team],
        trigger: Trigger,
        id: ConversationId,
        occurrence: &str,
        now: Millis,
    ) -> Result<usize> {
        let mut ran = 0;
        for rule in rules.iter().filter(|r| r.enabled && r.event == trigger) {
            // Read again for each rule: the one before may have changed the conversation.
            let Some((conversation, facts)) = self.rule_facts(id).await? else { return Ok(ran) };
            if !matches(&rule.conditions, &facts) {
                continue;
            }
            let mut run = RuleRun {
                rule_id: rule.id,
                conversation_id: id,
                occurrence: occurrence.to_owned(),
                at: now,
                outcome: String::new(),
            };
            let recent = self.store().rule_runs_since(rule.id, id, now - LOOP_WINDOW_MS).await?;
            if recent >= LOOP_LIMIT {
                run.outcome = self.localizer().text(
                    "",
                    "desk-rule-stopped",
                    &[("rule", &rule.name), ("times", &recent.to_string())],
                );
                // Said once, at the first run refused (the refusals are recorded too).
                if self.store().record_rule_run(&run).await? && recent == LOOP_LIMIT {
                    self.post(Post::new(id, Author::System, None, run.outcome.clone(), PostKind::Note)).await?;
                }
                continue;
            }
            if !self.store().record_rule_run(&run).await? {
                continue;
            }
            run.outcome = self.apply_rule(rule, trigger, &conversation, teams).await?;
            self.store().set_rule_outcome(&run).await?;
            ran += 1;
        }
        Ok(ran)
    }

    /// A rule's actions on `conversation`, as one change; what it did, in words.
    async fn apply_rule(
        &self,
        rule: &Rule,
        trigger: Trigger,
        conversation: &Conversation,
        teams: &[Team],
    ) -> Result<String> {
        let l10n = self.localizer();
        let id = conversation.id;
        let mut update = ConversationUpdate { id, ..Default::default() };
        let mut posts = Vec::new();
        let mut done = Vec::new();
        let mut notify = Vec::new();
        for action in &rule.actions {
            let said = match action {
                Action::AssignTeam { team_id } => match teams.iter().find(|t| t.id == *team_id) {
                    Some(team) => {
                        update.team = Some(Some(team.id));
                        l10n.text("", "desk-action-team", &[("team", &team.name)])
                    }
                    None => l10n.text("", "desk-action-missing", &[("what", &format!("team {team_id}"))]),
                },
                Action::AssignAgent { agent_id } => match self.store().agent(*agent_id).await? {
                    Some(agent) => {
                        update.assignee = Some(Some(agent.id));
                        l10n.text("", "desk-action-agent", &[("agent", &agent.name)])
                    }
                    None => l10n.text("", "desk-action-missing", &[("what", &format!("agent {agent_id}"))]),
                },
                Action::SetPriority { priority } => {
                    update.priority = Some(*priority);
                    l10n.text("", "desk-action-priority", &[("priority", priority.as_str())])
                }
                Action::SetStatus { status } => {
                    update.status = Some(*status);
                    l10n.text("", "desk-action-status", &[("status", status.as_str())])
                }
                Action::AddTag { tag } => {
                    let tags = update.tags.get_or_insert_with(|| conversation.tags.clone());
                    if !tags.iter().any(|t| t == tag.trim()) {
                        tags.push(tag.trim().to_owned());
                    }
                    l10n.text("", "desk-action-tag", &[("tag", tag.trim())])
                }
                Action::AddNote { body } => {
                    posts.push(Post::new(id, Author::System, None, body.clone(), PostKind::Note));
                    l10n.text("", "desk-action-note", &[])
                }
                Action::SendCanned { canned_id } => match self.canned_for(*canned_id, conversation).await? {
                    Some((title, body)) => {
                        posts.push(Post::new(id, Author::System, None, body, PostKind::Reply { channel: None }));
                        l10n.text("", "desk-action-canned", &[("title", &title)])
                    }
                    None => l10n.text("", "desk-action-missing", &[("what", &format!("canned response {canned_id}"))]),
                },
                Action::Notify { agent_ids, assignee, lead } => {
                    let lead_id =
                        conversation.team_id.and_then(|t| teams.iter().find(|x| x.id == t)).and_then(|t| t.lead_id);
                    let told: Vec<AgentId> = agent_ids
                        .iter()
                        .copied()
                        .chain(conversation.assignee_id.filter(|_| *assignee))
                        .chain(lead_id.filter(|_| *lead))
                        .collect();
                    notify.extend(told.iter().copied());
                    l10n.text("", "desk-action-notify", &[("count", &told.len().to_string())])
                }
            };
            done.push(said);
        }
        let outcome = l10n.text(
            "",
            "desk-rule-ran",
            &[("rule", &rule.name), ("event", trigger.as_str()), ("actions", &done.join("; "))],
        );
        update.note = Some(outcome.clone());
        let mut changes = vec![Change::Update(update)];
        changes.extend(posts.into_iter().map(Change::Post));
        for result in self.apply_together(changes).await {
            if let Err(error) = result {
                tracing::warn!(rule = rule.id, conversation = id, %error, "a rule's action was refused");
            }
        }
        notify.sort_unstable();
        notify.dedup();
        if !notify.is_empty() {
            self.events().publish(Event::Notified { conversation_id: id, rule_id: rule.id, agents: notify });
        }
        Ok(outcome)
    }

    /// A canned response's title and text for `conversation`: in its language where one
    /// exists, else en-US, else any; `{name}` and `{reference}` filled in.
    async fn canned_for(&self, canned_id: i64, conversation: &Conversation) -> Result<Option<(String, String)>> {
        let all = self.store().canned_responses().await?;
        let Some(title) = all.iter().find(|c| c.id == canned_id).map(|c| c.title.clone()) else { return Ok(None) };
        let locale = conversation.locale.as_deref().and_then(|l| self.localizer().negotiate(l));
        let name = self.store().contact(conversation.contact_id).await?.map(|c| c.name).unwrap_or_default();
        let variables =
            [("{name}", name.as_str()), ("{reference}", &Reference(conversation.id).to_string()), ("{agent}", "")];
        let chosen = crate::store::canned::in_language(&all, locale.unwrap_or(crate::l10n::FALLBACK), &variables);
        Ok(chosen.into_iter().find(|c| c.title == title).map(|c| (c.title, c.body)))
    }
}

/// A rule tried on one conversation without acting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tried {
    pub conversation_id: ConversationId,
    pub reference: String,
    /// Its conditions hold on the conversation as it is now.
    pub matches: bool,
}

/// How many of the latest conversations a dry run tries a rule on.
pub const DRY_RUN_SAMPLE: i64 = 100;

impl Core {
    /// A dry run: whether `rule`'s conditions hold on each of the latest conversations, the
    /// newest first; nothing is changed or recorded.
    pub async fn try_rule(&self, rule: &Rule) -> Result<Vec<Tried>> {
        let mut tried = Vec::new();
        for id in self.store().latest_conversation_ids(DRY_RUN_SAMPLE).await? {
            if let Some((conversation, facts)) = self.rule_facts(id).await? {
                let matches = matches(&rule.conditions, &facts);
                tried.push(Tried { conversation_id: id, reference: conversation.reference, matches });
            }
        }
        Ok(tried)
    }
}

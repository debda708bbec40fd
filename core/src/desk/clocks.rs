//! The SLA clocks kept: each changed or due conversation's clocks worked out from its ledger,
//! kept in `desk_state`, and each new warning or breach told once — recorded in the ledger,
//! the priority raised, a note, and the assignee and the team's lead notified.

use super::Desk;
use super::rules::Rule;
use super::sla::{self, Clocks, Policy};
use crate::Core;
use crate::error::Result;
use crate::model::*;
use crate::post::{ConversationUpdate, SlaMark};
use crate::store::desk::{DeskState, KeptState, steps};
use crate::store::teams::Team;

/// How long after its last change a resolved conversation is still looked at (its rules).
const RECENT_MS: i64 = 60 * 60 * 1000;
/// A conversation the desk has never looked at fires rules only for its latest events.
const FIRST_LOOK_MS: i64 = 10 * 60 * 1000;

/// What one look at the changed conversations works with.
struct Looking<'a> {
    desk: &'a Desk,
    teams: &'a [Team],
    policies: Vec<Policy>,
    rules: &'a [Rule],
    now: Millis,
}

/// One conversation looked at.
struct LookedAt {
    state: KeptState,
    update: Option<ConversationUpdate>,
    warnings: usize,
    breaches: usize,
    rules: usize,
}

/// What keeping the clocks told and ran.
#[derive(Debug, Default)]
pub(super) struct Kept {
    pub warnings: usize,
    pub breaches: usize,
    pub rules: usize,
}

impl Core {
    /// Looks at every conversation changed since the last look or with a clock due at `now`;
    /// returns the warnings and breaches told.
    pub(super) async fn keep_clocks(&self, desk: &Desk, teams: &[Team], rules: &[Rule], now: Millis) -> Result<Kept> {
        let policies = self.store().sla_policies().await?;
        if policies.is_empty() && rules.is_empty() {
            // Nothing to keep: a conversation is looked at once there is a policy or a rule
            // (one never looked at counts as changed).
            return Ok(Kept::default());
        }
        let mut ids = self.store().desk_changed(crate::clock::now_ms() - RECENT_MS).await?;
        ids.extend(self.store().desk_due(now).await?);
        ids.sort_unstable();
        ids.dedup();
        let looking = Looking { desk, teams, policies, rules, now };
        let mut kept = Kept::default();
        let (mut states, mut updates) = (Vec::new(), Vec::new());
        for id in ids {
            let Some(one) = self.look_at(&looking, id).await? else { continue };
            kept.warnings += one.warnings;
            kept.breaches += one.breaches;
            kept.rules += one.rules;
            states.push(one.state);
            updates.extend(one.update);
        }
        // What is told is written before it is kept as told: a failure tells it again later,
        // never not at all.
        self.apply_updates(updates).await?;
        self.store().put_desk_states(&states).await?;
        Ok(kept)
    }

    /// A conversation's clocks worked out, the rules its new events fire run; what to keep of
    /// it and the change that tells new warnings and breaches.
    async fn look_at(&self, looking: &Looking<'_>, id: ConversationId) -> Result<Option<LookedAt>> {
        let Looking { desk, teams, now, .. } = *looking;
        let policies = &looking.policies;
        let (state, updated_at) = self.store().desk_state(id).await?;
        let (Some(updated_at), Some(conversation)) = (updated_at, self.store().conversation(id).await?) else {
            return Ok(None);
        };
        let events = self.store().ledger_of(id, 0).await?;
        let rules = self.rules_on_new_events(looking, id, &events, state.as_ref().map(|s| s.seen)).await?;
        let cycle = events.last().map(|e| e.cycle);
        let state = state.unwrap_or_default();
        // What was told belongs to its cycle: a reopened conversation starts afresh.
        let told = match state.cycle == cycle {
            true => state.clone(),
            false => DeskState { cycle, ..DeskState::default() },
        };
        let policy = sla::choose(policies, conversation.priority, conversation.team_id, conversation.channel);
        let clocks = match (policy, cycle) {
            (Some(policy), Some(cycle)) => {
                sla::clocks(&steps(&events, cycle), policy, desk.hours.as_ref(), desk.settings.sla_warning, now)
            }
            _ => Clocks::default(),
        };
        let new_breaches: Vec<SlaTarget> =
            clocks.breached.iter().copied().filter(|t| !told.breached.contains(t)).collect();
        let new_warnings: Vec<SlaTarget> =
            clocks.warned.iter().copied().filter(|t| !told.warned.contains(t) && !told.breached.contains(t)).collect();
        let policy_id = policy.filter(|_| clocks != Clocks::default()).map(|p| p.id);
        let mut marks: Vec<SlaMark> = Vec::new();
        if let Some(policy) = policy_id.filter(|p| Some(*p) != told.policy_id) {
            marks.push(SlaMark::Policy(policy));
        }
        marks.extend(new_warnings.iter().map(|t| SlaMark::Warning(*t)));
        marks.extend(new_breaches.iter().map(|t| SlaMark::Breach(*t)));
        let kept = DeskState {
            seen: events.len() as i64,
            cycle,
            policy_id: policy_id.or(told.policy_id),
            breached: told.breached.iter().chain(&new_breaches).copied().collect(),
            warned: told.warned.iter().chain(&new_warnings).copied().collect(),
        };
        let update = (!marks.is_empty()).then(|| self.sla_update(desk, teams, &conversation, marks, &clocks));
        Ok(Some(LookedAt {
            state: KeptState { id, updated_at, state: kept, clocks },
            update,
            warnings: new_warnings.len(),
            breaches: new_breaches.len(),
            rules,
        }))
    }

    /// The rules the ledger's events since the last look fire (a conversation seen for the
    /// first time: only its events of the last minutes, not a history from before the desk).
    async fn rules_on_new_events(
        &self,
        looking: &Looking<'_>,
        id: ConversationId,
        events: &[crate::store::desk::LedgerEvent],
        seen: Option<i64>,
    ) -> Result<usize> {
        if looking.rules.is_empty() {
            return Ok(0);
        }
        let fresh = crate::clock::now_ms() - FIRST_LOOK_MS;
        let new = match seen {
            Some(seen) => &events[(seen.max(0) as usize).min(events.len())..],
            None => events,
        };
        let mut ran = 0;
        for event in new.iter().filter(|e| seen.is_some() || e.at >= fresh) {
            let Some(trigger) = super::rules::Trigger::of_ledger(&event.kind) else { continue };
            let occurrence = format!("ledger:{}", event.id);
            ran += self.run_rules(looking.rules, looking.teams, trigger, id, &occurrence, looking.now).await?;
        }
        Ok(ran)
    }

    /// The change that tells new warnings and breaches: ledger marks, the priority raised
    /// (a breach makes it urgent), a note, the assignee and the team's lead notified.
    fn sla_update(
        &self,
        desk: &Desk,
        teams: &[Team],
        conversation: &Conversation,
        marks: Vec<SlaMark>,
        clocks: &Clocks,
    ) -> ConversationUpdate {
        let l10n = self.localizer();
        let mut priority = conversation.priority;
        let mut notes = Vec::new();
        for mark in &marks {
            let (target, breached) = match mark {
                SlaMark::Warning(t) => (*t, false),
                SlaMark::Breach(t) => (*t, true),
                SlaMark::Policy(_) => continue,
            };
            priority = if breached { Priority::Urgent } else { priority.raised() };
            let due = match target {
                SlaTarget::FirstResponse => clocks.first_response_due_at,
                SlaTarget::NextResponse => clocks.next_response_due_at,
                SlaTarget::Resolution => clocks.resolution_due_at,
            };
            let due = due.map(|d| self.when(desk, d)).unwrap_or_default();
            let what = l10n.text("", &format!("desk-sla-{}", target.as_str().replace('_', "-")), &[]);
            let key = if breached { "desk-sla-breach" } else { "desk-sla-warning" };
            let share = format!("{:.0}%", desk.settings.sla_warning * 100.0);
            notes.push(l10n.text("", key, &[("target", &what), ("due", &due), ("share", &share)]));
        }
        let lead = conversation.team_id.and_then(|t| teams.iter().find(|team| team.id == t)).and_then(|t| t.lead_id);
        let mut notify: Vec<AgentId> = conversation.assignee_id.into_iter().chain(lead).collect();
        notify.dedup();
        ConversationUpdate {
            id: conversation.id,
            priority: (priority != conversation.priority).then_some(priority),
            sla: marks,
            note: (!notes.is_empty()).then(|| notes.join("\n")),
            notify,
            ..Default::default()
        }
    }

    /// An instant as agents read it: in the business hours' zone when there is one.
    fn when(&self, desk: &Desk, at: Millis) -> String {
        let Ok(at) = jiff::Timestamp::from_millisecond(at) else { return String::new() };
        match &desk.hours {
            Some(hours) => hours.describe(&at.to_zoned(hours.zone().clone())),
            None => at.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

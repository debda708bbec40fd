//! One look of the desk at `now`: availability lapsed, new hand-offs routed to teams, SLA
//! clocks kept and their warnings and breaches told, conversations taken from agents who left
//! and the queue assigned. Every decision goes through the writer with its guard and its note.

use super::assign::{self, Candidate, Mode, Why};
use super::{Desk, route};
use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::*;
use crate::post::ConversationUpdate;
use crate::store::agents::Role;
use crate::store::desk::{Queued, Staffed};
use crate::store::teams::Team;
use std::collections::HashMap;

/// The tag of conversations in the priority lane.
pub const DANGER_TAG: &str = "danger";

/// What one look did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Looked {
    pub lapsed: u64,
    pub routed: usize,
    pub assigned: usize,
    pub reassigned: usize,
    pub warnings: usize,
    pub breaches: usize,
    pub rules: usize,
    /// Waiting customers told their place in peak-load mode.
    pub told_places: usize,
}

impl Core {
    /// The desk's look at `now` (the timers' leader runs it; tests run it on a fake clock).
    pub async fn desk_step(&self, desk: &Desk, now: Millis) -> Result<Looked> {
        let idle = desk.settings.availability_idle.as_millis() as i64;
        let mut looked =
            Looked { lapsed: self.store().lapse_availability(now - idle, now).await?, ..Looked::default() };
        let (teams, rules) = (self.store().teams().await?, self.store().rules().await?);
        // Rules first: a rule's team for a hand-off wins over the teams' own routing.
        let kept = self.keep_clocks(desk, &teams, &rules, now).await?;
        (looked.warnings, looked.breaches, looked.rules) = (kept.warnings, kept.breaches, kept.rules);
        looked.rules += self.idle_rules(&rules, &teams, now).await?;
        looked.routed = self.route_handoffs(&teams).await?;
        if desk.settings.assignment != Mode::Off {
            let grace = desk.settings.availability_grace.as_millis() as i64;
            let staff = self.store().desk_staff(now - grace).await?;
            let loads = Loads::of(desk, &staff);
            let mut queue =
                Assigning { core: self, desk, teams: &teams, loads, staff: &staff, rotations: HashMap::new() };
            looked.reassigned = queue.reassign(now).await?;
            looked.assigned = queue.backlog().await?;
            for (team, last) in queue.rotations {
                if let Some(agent) = last {
                    self.store().set_rotation(team, agent).await?;
                }
            }
        }
        looked.told_places = self.tell_queue_places(desk, now).await?;
        Ok(looked)
    }

    /// Routes what reached people since the last look: the rules' team, else the team whose
    /// languages and categories fit (a note says which and why). A danger to the customer's
    /// funds goes ahead of the queue (urgent, tagged `danger`), its team's lead (else the
    /// admins) told.
    async fn route_handoffs(&self, teams: &[Team]) -> Result<usize> {
        let mut routed = 0;
        let admins: Vec<AgentId> = self
            .store()
            .agents()
            .await?
            .iter()
            .filter(|a| a.role == Role::Admin && !a.disabled)
            .map(|a| a.id)
            .collect();
        // A page at a time, until none is left (a page whose every update was refused ends it).
        loop {
            let page = self.store().desk_unrouted().await?;
            let full = page.len() == crate::store::desk::UNROUTED_PAGE;
            // Without teams there is nothing to route to: what reaches people meanwhile is
            // routed once the first team exists; only the priority lane acts now.
            let danger = |q: &&Queued| q.handoff_reason.is_some_and(|r| r.is_danger());
            let updates = page.iter().filter(|q| !teams.is_empty() || danger(q)).map(|queued| {
                let mut update = ConversationUpdate { id: queued.id, route: true, ..Default::default() };
                let fitting = route::team_for(teams, queued.locale.as_deref(), queued.category.as_deref());
                let mut notes = Vec::new();
                if let Some(team) = fitting.filter(|_| queued.team_id.is_none()) {
                    update.team = Some(Some(team.id));
                    notes.push(self.routing_note(team, queued));
                }
                if let Some(reason) = queued.handoff_reason.filter(|r| r.is_danger()) {
                    let team =
                        update.team.flatten().or(queued.team_id).and_then(|id| teams.iter().find(|t| t.id == id));
                    update.notify = match team.and_then(|t| t.lead_id) {
                        Some(lead) => vec![lead],
                        None => admins.clone(),
                    };
                    update.danger = Some(reason);
                    update.priority = Some(Priority::Urgent);
                    if !queued.tags.iter().any(|t| t == DANGER_TAG) {
                        update.tags = Some(queued.tags.iter().cloned().chain([DANGER_TAG.to_owned()]).collect());
                    }
                    let why = self.localizer().text("", &format!("inbox-handoff-reason-{}", reason.as_str()), &[]);
                    notes.push(self.localizer().text("", "desk-danger", &[("why", &why)]));
                }
                update.note = (!notes.is_empty()).then(|| notes.join("\n"));
                update
            });
            let made = self.apply_updates(updates.collect()).await?;
            routed += made;
            if !full || made == 0 {
                return Ok(routed);
            }
        }
    }

    /// Applies the desk's updates, several hundred to a commit; how many were made (one a guard
    /// refused, or whose conversation is gone, leaves the others).
    pub(super) async fn apply_updates(&self, updates: Vec<ConversationUpdate>) -> Result<usize> {
        const PER_COMMIT: usize = 500;
        let mut made = 0;
        let mut updates = updates.into_iter().peekable();
        while updates.peek().is_some() {
            let chunk: Vec<crate::Change> = updates.by_ref().take(PER_COMMIT).map(crate::Change::Update).collect();
            for result in self.apply_together(chunk).await {
                match result {
                    Ok(_) => made += 1,
                    Err(CoreError::Invalid(_) | CoreError::NotFound(_)) => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(made)
    }

    /// Rules on conversations quiet for their `idle_for`, once per quiet spell.
    async fn idle_rules(&self, rules: &[super::rules::Rule], teams: &[Team], now: Millis) -> Result<usize> {
        let mut ran = 0;
        for rule in rules.iter().filter(|r| r.enabled && r.event == super::rules::Trigger::Idle) {
            let Some(idle) = rule.idle_ms() else { continue };
            for (id, last) in self.store().idle_for_rule(rule.id, now - idle).await? {
                let occurrence = format!("idle:{last}");
                let one = self.run_rules(std::slice::from_ref(rule), teams, rule.event, id, &occurrence, now).await?;
                if one == 0 {
                    // Its conditions did not hold for this quiet spell: not asked again until
                    // the next one (kept without an outcome, which no log shows).
                    let run = crate::store::rules::RuleRun {
                        rule_id: rule.id,
                        conversation_id: id,
                        occurrence,
                        at: now,
                        outcome: String::new(),
                    };
                    self.store().record_rule_run(&run).await?;
                }
                ran += one;
            }
        }
        Ok(ran)
    }

    fn routing_note(&self, team: &Team, queued: &Queued) -> String {
        let l10n = self.localizer();
        let why = match (&queued.category, &queued.locale) {
            (Some(category), _) if team.categories.iter().any(|c| c.eq_ignore_ascii_case(category)) => {
                l10n.text("", "desk-why-category", &[("category", category)])
            }
            (_, Some(locale)) if team.languages.iter().any(|l| route::takes_language(l, locale)) => {
                l10n.text("", "desk-why-language", &[("language", locale)])
            }
            _ => l10n.text("", "desk-why-any", &[]),
        };
        l10n.text("", "desk-routed", &[("team", &team.name), ("why", &why)])
    }
}

/// Each present agent's open conversations and weighted load, kept as the look assigns.
struct Loads(HashMap<AgentId, (u32, f64)>);

impl Loads {
    fn of(desk: &Desk, staff: &[Staffed]) -> Loads {
        let loads = staff.iter().map(|s| {
            let open = s.open.iter().map(|(_, n)| n).sum();
            let load = s.open.iter().map(|(c, n)| desk.settings.weight(*c) * f64::from(*n)).sum();
            (s.id, (open, load))
        });
        Loads(loads.collect())
    }
}

/// One look's assignments.
struct Assigning<'a> {
    core: &'a Core,
    desk: &'a Desk,
    teams: &'a [Team],
    staff: &'a [Staffed],
    loads: Loads,
    /// Round robin's place per team (none: no team) as this look moved it, kept at its end.
    rotations: HashMap<Option<i64>, Option<AgentId>>,
}

impl Assigning<'_> {
    /// Who could take a conversation of `team`: its present members (everyone present when it
    /// has no team).
    fn candidates(&self, team: Option<&Team>) -> Vec<Candidate> {
        let members = |id: AgentId| team.is_none_or(|t| t.member_ids.contains(&id));
        self.staff
            .iter()
            .filter(|s| s.present && members(s.id))
            .map(|s| {
                let (open, load) = self.loads.0.get(&s.id).copied().unwrap_or_default();
                Candidate { id: s.id, open, load, capacity: s.capacity.unwrap_or(self.desk.settings.capacity) }
            })
            .collect()
    }

    /// The agent for `queued` (other than `not`), the rotation moved on; with the note's text.
    async fn pick(&mut self, queued: &Queued, not: Option<AgentId>) -> Result<Option<(AgentId, String)>> {
        let team = queued.team_id.and_then(|id| self.teams.iter().find(|t| t.id == id));
        let candidates = self.candidates(team);
        if candidates.iter().all(|c| Some(c.id) == not || c.open >= c.capacity) {
            return Ok(None);
        }
        let mode = self.desk.settings.assignment;
        let last = match mode {
            Mode::RoundRobin => match self.rotations.get(&team.map(|t| t.id)) {
                Some(last) => *last,
                None => self.core.store().rotation(team.map(|t| t.id)).await?,
            },
            _ => None,
        };
        let Some((agent, why)) = assign::choose(mode, &candidates, last, not) else { return Ok(None) };
        if mode == Mode::RoundRobin {
            self.rotations.insert(team.map(|t| t.id), Some(agent));
        }
        let entry = self.loads.0.entry(agent).or_default();
        entry.0 += 1;
        entry.1 += self.desk.settings.weight(queued.channel);
        let l10n = self.core.localizer();
        let name = self.staff.iter().find(|s| s.id == agent).map(|s| s.name.clone()).unwrap_or_default();
        let team = team.map_or_else(|| l10n.text("", "desk-everyone", &[]), |t| t.name.clone());
        let note = match why {
            Why::RoundRobin => l10n.text("", "desk-assigned-round-robin", &[("agent", &name), ("team", &team)]),
            Why::Balanced { open } => l10n.text(
                "",
                "desk-assigned-balanced",
                &[("agent", &name), ("team", &team), ("open", &open.to_string())],
            ),
        };
        Ok(Some((agent, note)))
    }

    /// An assignment (to `agent`, or back to the queue), made only if the assignee is still
    /// `before`.
    fn assignment(
        id: ConversationId,
        before: Option<AgentId>,
        agent: Option<AgentId>,
        note: String,
    ) -> ConversationUpdate {
        ConversationUpdate {
            id,
            assignee: Some(agent),
            if_assignee: Some(before),
            note: Some(note),
            ..Default::default()
        }
    }

    /// Conversations of agents who went offline, or who left a waiting customer unanswered too
    /// long, go to someone else (or, from an offline agent with nobody free, back to the queue).
    async fn reassign(&mut self, now: Millis) -> Result<usize> {
        let after = self.desk.settings.reassign_after.map(|d| d.as_millis() as i64);
        let mut moves = Vec::new();
        for queued in self.core.store().desk_to_reassign(now, after).await? {
            let Some(previous) = queued.assignee_id else { continue };
            let gone = self.staff.iter().find(|s| s.id == previous);
            let offline = gone.is_none_or(|s| s.availability == crate::store::agents::Availability::Offline);
            let l10n = self.core.localizer();
            let name = gone.map(|s| s.name.clone()).unwrap_or_default();
            let why = match offline {
                true => l10n.text("", "desk-why-offline", &[("agent", &name)]),
                false => {
                    let after = crate::l10n::duration_words(
                        l10n,
                        "",
                        std::time::Duration::from_millis(after.unwrap_or(0) as u64),
                    );
                    l10n.text("", "desk-why-unanswered", &[("agent", &name), ("after", &after)])
                }
            };
            let (agent, how) = match self.pick(&queued, Some(previous)).await? {
                Some((agent, how)) => (Some(agent), how),
                None if offline => (None, l10n.text("", "desk-back-in-queue", &[])),
                None => continue,
            };
            let note = l10n.text("", "desk-reassigned", &[("why", &why), ("how", &how)]);
            if let Some(entry) = self.loads.0.get_mut(&previous) {
                entry.0 = entry.0.saturating_sub(1);
                entry.1 = (entry.1 - self.desk.settings.weight(queued.channel)).max(0.0);
            }
            moves.push(Self::assignment(queued.id, Some(previous), agent, note));
        }
        self.core.apply_updates(moves).await
    }

    /// The queue, most urgent and longest waiting first, to whoever may take it.
    async fn backlog(&mut self) -> Result<usize> {
        let mut assignments = Vec::new();
        for queued in self.core.store().desk_backlog().await? {
            let Some((agent, note)) = self.pick(&queued, None).await? else { continue };
            assignments.push(Self::assignment(queued.id, None, Some(agent), note));
        }
        self.core.apply_updates(assignments).await
    }
}

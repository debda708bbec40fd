//! Auto-assignment, pure: who of a team's agents takes the next conversation, and why.

use crate::model::AgentId;

/// `SWITCHBOARD_ASSIGNMENT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Off,
    /// In turn, after the one who took the team's last conversation.
    RoundRobin,
    /// To whoever has the least open work, each channel's conversations weighted.
    Balanced,
}

/// An agent who could take it: online, inbox seen lately, with their open conversations.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: AgentId,
    /// Open conversations assigned to them.
    pub open: u32,
    /// The same weighted by channel (mail weighs less than a live chat).
    pub load: f64,
    pub capacity: u32,
}

/// Why an agent was chosen, as the thread's note tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    RoundRobin,
    /// With this many open conversations, the fewest.
    Balanced {
        open: u32,
    },
}

/// The agent `mode` gives the next conversation to, among `candidates` under their capacity and
/// other than `not` (the assignee it is taken from); `last`: the team's last in turn.
pub fn choose(
    mode: Mode,
    candidates: &[Candidate],
    last: Option<AgentId>,
    not: Option<AgentId>,
) -> Option<(AgentId, Why)> {
    let mut free: Vec<&Candidate> = candidates.iter().filter(|c| c.open < c.capacity && Some(c.id) != not).collect();
    free.sort_by_key(|c| c.id);
    match mode {
        Mode::Off => None,
        Mode::RoundRobin => {
            let next = free.iter().find(|c| last.is_some_and(|l| c.id > l)).or(free.first())?;
            Some((next.id, Why::RoundRobin))
        }
        Mode::Balanced => {
            let least = free.iter().min_by(|a, b| a.load.total_cmp(&b.load).then(a.open.cmp(&b.open)))?;
            Some((least.id, Why::Balanced { open: least.open }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: AgentId, open: u32, load: f64, capacity: u32) -> Candidate {
        Candidate { id, open, load, capacity }
    }

    #[test]
    fn round_robin_goes_in_turn_skipping_the_full_and_wrapping_around() {
        let team = [agent(1, 0, 0.0, 2), agent(2, 2, 2.0, 2), agent(3, 1, 1.0, 2)];
        assert_eq!(choose(Mode::RoundRobin, &team, None, None), Some((1, Why::RoundRobin)));
        assert_eq!(choose(Mode::RoundRobin, &team, Some(1), None), Some((3, Why::RoundRobin)), "2 is full");
        assert_eq!(choose(Mode::RoundRobin, &team, Some(3), None), Some((1, Why::RoundRobin)));
        assert_eq!(choose(Mode::RoundRobin, &team, Some(3), Some(1)), Some((3, Why::RoundRobin)));
    }

    #[test]
    fn balanced_takes_the_least_weighted_load_under_capacity() {
        let team = [agent(1, 3, 1.5, 10), agent(2, 2, 2.0, 10), agent(3, 0, 0.0, 0)];
        // Agent 1 has three mail conversations (weighing half), agent 2 two chats; 3 takes none.
        assert_eq!(choose(Mode::Balanced, &team, None, None), Some((1, Why::Balanced { open: 3 })));
        assert_eq!(choose(Mode::Balanced, &team, None, Some(1)), Some((2, Why::Balanced { open: 2 })));
        assert_eq!(choose(Mode::Off, &team, None, None), None);
        assert_eq!(choose(Mode::Balanced, &[agent(1, 10, 10.0, 10)], None, None), None, "nobody under capacity");
    }
}

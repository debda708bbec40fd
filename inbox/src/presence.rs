//! Agents' presence from their use of the API: an agent with the inbox's live stream open, or
//! working through the API (a script, an integration), counts as present, recorded at most
//! twice a minute per agent so that requests do not turn into writes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use switchboard_core::model::AgentId;
use switchboard_core::store::Store;

/// How often one agent's presence is written at most.
const EVERY: Duration = Duration::from_secs(30);

#[derive(Clone, Default)]
pub struct Presence {
    written: Arc<Mutex<HashMap<AgentId, Instant>>>,
}

impl Presence {
    /// Records that `agent` is here, unless that was done lately.
    pub fn seen(&self, store: &Store, agent: AgentId) {
        let now = Instant::now();
        {
            let mut written = self.written.lock().expect("presence lock");
            if written.get(&agent).is_some_and(|at| now.duration_since(*at) < EVERY) {
                return;
            }
            written.insert(agent, now);
        }
        let store = store.clone();
        tokio::spawn(async move {
            if let Err(error) = store.agent_seen(agent, switchboard_core::clock::now_ms()).await {
                tracing::debug!(%error, "an agent's presence was not recorded this time");
            }
        });
    }
}

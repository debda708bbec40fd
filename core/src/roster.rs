//! Agents' public handles, as the writer reads them at every batch (what `/verify` confirms):
//! kept in memory, replaced whole when an admin adds or removes one.

use crate::Core;
use crate::error::{CoreError, Result};
use crate::model::{AgentId, ChannelKind};
use crate::safety::staff::StaffHandle;
use crate::store::Store;
use crate::{safety, storable};
use std::sync::{Arc, RwLock};

/// The staff handles as the writer sees them: replaced whole when they change.
pub(crate) type StaffCache = Arc<RwLock<Arc<Vec<StaffHandle>>>>;

/// The handles as stored now.
pub(crate) async fn load(store: &Store) -> Result<StaffCache> {
    let handles = store.staff_handles().await?.into_iter().map(|(_, _, h)| h).collect();
    Ok(Arc::new(RwLock::new(Arc::new(handles))))
}

impl Core {
    /// Records an agent's public handle on a channel (what `/verify` confirms).
    pub async fn add_staff_handle(&self, agent_id: AgentId, channel: ChannelKind, handle: &str) -> Result<i64> {
        let handle = &*storable::clean(handle);
        let canonical = safety::staff::canonical(handle);
        if canonical.is_empty() || canonical.chars().count() > 64 || canonical.chars().any(|c| c.is_whitespace()) {
            return Err(CoreError::Invalid("a handle is 1 to 64 characters without spaces".into()));
        }
        let id = self.inner.store.add_staff_handle(agent_id, channel, handle.trim()).await?;
        self.reload_staff().await?;
        Ok(id)
    }

    pub async fn remove_staff_handle(&self, id: i64) -> Result<()> {
        self.inner.store.remove_staff_handle(id).await?;
        self.reload_staff().await
    }

    async fn reload_staff(&self) -> Result<()> {
        let handles = self.inner.store.staff_handles().await?.into_iter().map(|(_, _, h)| h).collect();
        *self.inner.staff.write().expect("staff lock") = Arc::new(handles);
        Ok(())
    }
}

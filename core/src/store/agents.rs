//! Agents: who may sign in to the inbox, with which role and interface language.

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use crate::model::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Option<String>,
    /// `online`, `away` or `offline`, as the agent set it.
    pub availability: Availability,
    /// Deactivated: cannot sign in, sessions ended (kept for the history they wrote).
    pub disabled: bool,
    /// Open conversations auto-assignment gives them at most (none: the installation's limit).
    pub capacity: Option<i64>,
    /// What they are told of, and how.
    pub notify: Notify,
    #[serde(skip)]
    pub password_hash: String,
}

/// Whether an agent is taking conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Availability {
    Online,
    Away,
    Offline,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Online => "online",
            Availability::Away => "away",
            Availability::Offline => "offline",
        }
    }
}

impl std::str::FromStr for Availability {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Availability> {
        match s {
            "online" => Ok(Availability::Online),
            "away" => Ok(Availability::Away),
            "offline" => Ok(Availability::Offline),
            other => Err(CoreError::Invalid(format!("availability {other:?}: expected online, away or offline"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "admin" => Ok(Role::Admin),
            "agent" => Ok(Role::Agent),
            other => Err(CoreError::Invalid(format!("role {other:?}: expected admin or agent"))),
        }
    }
}

fn agent_row(row: &AnyRow) -> Result<Agent> {
    Ok(Agent {
        id: row.try_get(0)?,
        email: row.try_get(1)?,
        name: row.try_get(2)?,
        role: row.try_get::<String, _>(3)?.parse()?,
        locale: row.try_get(4)?,
        password_hash: row.try_get(5)?,
        availability: row.try_get::<String, _>(6)?.parse()?,
        disabled: row.try_get::<i64, _>(7)? != 0,
        capacity: row.try_get(8)?,
        notify: serde_json::from_str(&row.try_get::<String, _>(9)?).unwrap_or_default(),
    })
}

/// The columns `agent_row` reads.
const AGENT_COLUMNS: &str = "id, email, name, role, locale, password_hash, availability, disabled, capacity, notify";

/// An agent's notifications, each switchable: in the inbox (live, and by the browser when the
/// page is in the background) and by e-mail, for conversations assigned to them, SLA warnings
/// and breaches of theirs (or their team's, as its lead), mentions, and rules that ask for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Notify {
    pub assigned: bool,
    pub sla: bool,
    pub mentions: bool,
    pub rules: bool,
    /// A conversation in the priority lane (as its team's lead, or an admin when it has none).
    pub danger: bool,
    /// An incident suggested by a surge (admins).
    pub incidents: bool,
    pub email_assigned: bool,
    pub email_sla: bool,
    pub email_mentions: bool,
    pub email_danger: bool,
    pub email_incidents: bool,
}

impl Default for Notify {
    fn default() -> Self {
        Notify {
            assigned: true,
            sla: true,
            mentions: true,
            rules: true,
            danger: true,
            incidents: true,
            email_assigned: false,
            email_sla: false,
            email_mentions: false,
            email_danger: false,
            email_incidents: false,
        }
    }
}

impl Store {
    pub async fn create_agent(&self, email: &str, name: &str, role: Role, password_hash: &str) -> Result<AgentId> {
        let email = email.trim().to_lowercase();
        if !email.contains('@') || name.trim().is_empty() {
            return Err(CoreError::Invalid("an agent needs an email address and a name".into()));
        }
        let exists =
            sqlx::query("SELECT id FROM agents WHERE email = $1").bind(&email).fetch_optional(self.pool()).await?;
        if exists.is_some() {
            return Err(CoreError::Invalid(format!("an agent with email {email} exists")));
        }
        let row = sqlx::query(
            "INSERT INTO agents (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&email)
        .bind(name.trim())
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now_ms())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn agent_by_email(&self, email: &str) -> Result<Option<Agent>> {
        let row =
            sqlx::query(AssertSqlSafe(format!("SELECT {AGENT_COLUMNS} FROM agents WHERE email = $1 AND disabled = 0")))
                .bind(email.trim().to_lowercase())
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        let row =
            sqlx::query(AssertSqlSafe(format!("SELECT {AGENT_COLUMNS} FROM agents WHERE id = $1 AND disabled = 0")))
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agents(&self) -> Result<Vec<Agent>> {
        let rows =
            sqlx::query(AssertSqlSafe(format!("SELECT {AGENT_COLUMNS} FROM agents WHERE disabled = 0 ORDER BY name")))
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(agent_row).collect()
    }

    /// Every agent, the deactivated too (for the admins' page).
    pub async fn all_agents(&self) -> Result<Vec<Agent>> {
        let sql = format!("SELECT {AGENT_COLUMNS} FROM agents ORDER BY disabled, name");
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(agent_row).collect()
    }

    /// Applies an agent's or an admin's change. A deactivation or a new password set by an
    /// admin ends the agent's sessions at once; the last active admin is neither demoted nor
    /// deactivated (someone must be able to administer).
    pub async fn change_agent(&self, id: AgentId, change: &AgentChange) -> Result<()> {
        if let Some(name) = &change.name
            && (name.trim().is_empty() || name.chars().count() > 100)
        {
            return Err(CoreError::Invalid("name: 1 to 100 characters".into()));
        }
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT role, disabled FROM agents WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some(row) = row else { return Err(CoreError::NotFound(format!("agent {id}"))) };
        let admin_now = row.try_get::<String, _>(0)? == "admin" && row.try_get::<i64, _>(1)? == 0;
        let stays_admin = change.role.is_none_or(|r| r == Role::Admin) && change.disabled != Some(true);
        if admin_now && !stays_admin {
            let others: i64 =
                sqlx::query("SELECT COUNT(*) FROM agents WHERE role = 'admin' AND disabled = 0 AND id <> $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get(0)?;
            if others == 0 {
                return Err(CoreError::Refused("the last admin cannot be demoted or deactivated".into()));
            }
        }
        let set = |column: &str, value: Option<String>| value.map(|v| (column.to_owned(), v));
        let now = now_ms();
        let changes = [
            set("name", change.name.as_ref().map(|n| n.trim().to_owned())),
            set("role", change.role.map(|r| r.as_str().to_owned())),
            set("password_hash", change.password_hash.clone()),
            set("locale", change.locale.clone()),
            set("availability", change.availability.map(|a| a.as_str().to_owned())),
            set("notify", change.notify.map(|n| serde_json::to_string(&n).expect("switches serialize"))),
        ];
        for (column, value) in changes.into_iter().flatten() {
            sqlx::query(AssertSqlSafe(format!("UPDATE agents SET {column} = $1 WHERE id = $2")))
                .bind(value)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if change.availability.is_some() {
            sqlx::query("UPDATE agents SET availability_at = $1, seen_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(capacity) = change.capacity {
            if capacity.is_some_and(|c| !(0..=10_000).contains(&c)) {
                return Err(CoreError::Invalid("capacity: 0 to 10000 open conversations, or null".into()));
            }
            sqlx::query("UPDATE agents SET capacity = $1 WHERE id = $2")
                .bind(capacity)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(disabled) = change.disabled {
            let sql = "UPDATE agents SET disabled = $1, availability = CASE WHEN $1 = 1 THEN 'offline' ELSE availability END \
                       WHERE id = $2";
            sqlx::query(sql).bind(i64::from(disabled)).bind(id).execute(&mut *tx).await?;
        }
        if change.disabled == Some(true) || change.end_sessions {
            sqlx::query("DELETE FROM auth_tokens WHERE kind = 'agent' AND subject = $1")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A change to an agent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AgentChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    /// An already hashed password.
    pub password_hash: Option<String>,
    pub locale: Option<String>,
    pub availability: Option<Availability>,
    pub disabled: Option<bool>,
    /// `Some(None)`: the installation's limit.
    pub capacity: Option<Option<i64>>,
    pub notify: Option<Notify>,
    /// End every session of the agent (an admin reset their password).
    pub end_sessions: bool,
}

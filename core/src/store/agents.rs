//! Agents: who may sign in to the inbox, with which role and interface language.

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use crate::model::*;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: AgentId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
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
    })
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
        let row = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE email = $1 AND disabled = 0",
        )
        .bind(email.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agent(&self, id: AgentId) -> Result<Option<Agent>> {
        let row = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE id = $1 AND disabled = 0",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(agent_row).transpose()
    }

    pub async fn agents(&self) -> Result<Vec<Agent>> {
        let rows = sqlx::query(
            "SELECT id, email, name, role, locale, password_hash FROM agents WHERE disabled = 0 ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(agent_row).collect()
    }

    pub async fn set_agent_locale(&self, id: AgentId, locale: &str) -> Result<()> {
        sqlx::query("UPDATE agents SET locale = $1 WHERE id = $2").bind(locale).bind(id).execute(self.pool()).await?;
        Ok(())
    }
}

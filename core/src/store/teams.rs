//! Teams: named groups of agents with a lead, and the languages and bot categories they take.
//! A conversation belongs to at most one team (`conversations.team_id`).

use super::Store;
use crate::clock::now_ms;
use crate::error::{CoreError, Result};
use crate::model::AgentId;
use serde::Serialize;
use sqlx::Row;

pub type TeamId = i64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub member_ids: Vec<AgentId>,
    pub lead_id: Option<AgentId>,
    /// Customer languages it takes (`zh` takes every Chinese locale, `zh-TW` only that one).
    pub languages: Vec<String>,
    /// The bot's categories it takes.
    pub categories: Vec<String>,
}

/// A team as created, or changed (`None` leaves a field as it is).
#[derive(Debug, Clone, Default)]
pub struct TeamChange {
    pub name: Option<String>,
    pub member_ids: Option<Vec<AgentId>>,
    /// `Some(None)`: no lead.
    pub lead_id: Option<Option<AgentId>>,
    pub languages: Option<Vec<String>>,
    pub categories: Option<Vec<String>>,
}

/// The most members a team may have, and languages or categories it may list.
const MAX_MEMBERS: usize = 500;
const MAX_LIST: usize = 50;

impl TeamChange {
    /// The change made tidy (names trimmed, lists without blanks or repeats), or why not.
    fn checked(mut self) -> Result<TeamChange> {
        if let Some(name) = &mut self.name {
            *name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(CoreError::Invalid("name: 1 to 100 characters".into()));
            }
        }
        for (what, list) in [("languages", &mut self.languages), ("categories", &mut self.categories)] {
            if let Some(list) = list {
                let mut tidy: Vec<String> = Vec::new();
                for item in list.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
                    if item.chars().count() > 100 {
                        return Err(CoreError::Invalid(format!("{what}: each at most 100 characters")));
                    }
                    if !tidy.iter().any(|t| t.eq_ignore_ascii_case(item)) {
                        tidy.push(item.to_owned());
                    }
                }
                if tidy.len() > MAX_LIST {
                    return Err(CoreError::Invalid(format!("{what}: at most {MAX_LIST}")));
                }
                *list = tidy;
            }
        }
        if let Some(members) = &mut self.member_ids {
            members.sort_unstable();
            members.dedup();
            if members.len() > MAX_MEMBERS {
                return Err(CoreError::Invalid(format!("member_ids: at most {MAX_MEMBERS}")));
            }
        }
        Ok(self)
    }
}

impl Store {
    /// Every team, by name, with its members.
    pub async fn teams(&self) -> Result<Vec<Team>> {
        let rows = sqlx::query("SELECT id, name, lead_id, languages, categories FROM teams ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        let mut teams = rows
            .iter()
            .map(|r| {
                Ok(Team {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    member_ids: Vec::new(),
                    lead_id: r.try_get(2)?,
                    languages: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
                    categories: serde_json::from_str(&r.try_get::<String, _>(4)?).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let members = sqlx::query(
            "SELECT m.team_id, m.agent_id FROM team_members m JOIN agents a ON a.id = m.agent_id \
             WHERE a.disabled = 0 ORDER BY m.agent_id",
        )
        .fetch_all(self.pool())
        .await?;
        for row in members {
            let team: TeamId = row.try_get(0)?;
            if let Some(t) = teams.iter_mut().find(|t| t.id == team) {
                t.member_ids.push(row.try_get(1)?);
            }
        }
        Ok(teams)
    }

    pub async fn team(&self, id: TeamId) -> Result<Option<Team>> {
        Ok(self.teams().await?.into_iter().find(|t| t.id == id))
    }

    /// Creates a team; its name is required and unique.
    pub async fn create_team(&self, team: TeamChange) -> Result<TeamId> {
        let team = team.checked()?;
        let Some(name) = team.name.clone() else { return Err(CoreError::Invalid("a team needs a name".into())) };
        let mut tx = self.begin_write().await?;
        let inserted =
            sqlx::query("INSERT INTO teams (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id")
                .bind(&name)
                .bind(now_ms())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(inserted) = inserted else { return Err(CoreError::Invalid(format!("a team named {name:?} exists"))) };
        let id: TeamId = inserted.try_get(0)?;
        write_team(&mut tx, id, &team).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a team: what the change names is replaced whole.
    pub async fn change_team(&self, id: TeamId, change: TeamChange) -> Result<()> {
        let change = change.checked()?;
        let mut tx = self.begin_write().await?;
        let found = sqlx::query("UPDATE teams SET id = id WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("team {id}")));
        }
        if let Some(name) = &change.name {
            let taken = sqlx::query("SELECT id FROM teams WHERE name = $1 AND id <> $2")
                .bind(name)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(CoreError::Invalid(format!("a team named {name:?} exists")));
            }
            sqlx::query("UPDATE teams SET name = $1 WHERE id = $2").bind(name).bind(id).execute(&mut *tx).await?;
        }
        write_team(&mut tx, id, &change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a team: its conversations keep their agents and lose the team; SLA policies
    /// that named it name no team.
    pub async fn delete_team(&self, id: TeamId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found = sqlx::query("DELETE FROM teams WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(CoreError::NotFound(format!("team {id}")));
        }
        for sql in [
            "DELETE FROM team_members WHERE team_id = $1",
            "UPDATE conversations SET team_id = NULL WHERE team_id = $1",
            "UPDATE sla_policies SET team_id = NULL WHERE team_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The change's lead, members and lists, in the team's transaction; every agent named must
/// exist and be active.
async fn write_team(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: TeamId, change: &TeamChange) -> Result<()> {
    let named = change.member_ids.iter().flatten().chain(change.lead_id.iter().flatten());
    for agent in named {
        let active = sqlx::query("SELECT id FROM agents WHERE id = $1 AND disabled = 0")
            .bind(agent)
            .fetch_optional(&mut **tx)
            .await?;
        if active.is_none() {
            return Err(CoreError::Invalid(format!("agent {agent} does not exist or is deactivated")));
        }
    }
    if let Some(lead) = change.lead_id {
        sqlx::query("UPDATE teams SET lead_id = $1 WHERE id = $2").bind(lead).bind(id).execute(&mut **tx).await?;
    }
    for (column, list) in [("languages", &change.languages), ("categories", &change.categories)] {
        if let Some(list) = list {
            let json = serde_json::to_string(list).expect("strings serialize");
            sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE teams SET {column} = $1 WHERE id = $2")))
                .bind(json)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    if let Some(members) = &change.member_ids {
        sqlx::query("DELETE FROM team_members WHERE team_id = $1").bind(id).execute(&mut **tx).await?;
        for agent in members {
            sqlx::query("INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)")
                .bind(id)
                .bind(agent)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

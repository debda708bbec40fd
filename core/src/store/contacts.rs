//! A contact as agents see them (identities, locale), their whole history, and an attachment's
//! metadata for download.

use super::Store;
use crate::error::{CoreError, Result};
use crate::model::*;
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: ContactId,
    pub name: String,
    pub locale: Option<String>,
    pub created_at: Millis,
    pub identities: Vec<IdentityView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentityView {
    pub id: IdentityId,
    pub channel: ChannelKind,
    pub external_id: String,
    pub display_name: String,
    /// The platform said this recipient cannot be reached (blocked us, left); cleared when
    /// they write again.
    pub unreachable: bool,
}

impl Store {
    /// A contact with its identities; a merged contact answers as the one it was merged into.
    pub async fn contact(&self, id: ContactId) -> Result<Option<ContactView>> {
        let mut id = id;
        for _ in 0..16 {
            let Some(row) = sqlx::query("SELECT id, name, locale, created_at, merged_into FROM contacts WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?
            else {
                return Ok(None);
            };
            if let Some(survivor) = row.try_get::<Option<i64>, _>(4)? {
                id = survivor;
                continue;
            }
            let identities = sqlx::query(
                "SELECT channel, external_id, display_name, unreachable_at, id FROM identities WHERE contact_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| {
                Ok(IdentityView {
                    id: r.try_get(4)?,
                    channel: r.try_get::<String, _>(0)?.parse()?,
                    external_id: r.try_get(1)?,
                    display_name: r.try_get(2)?,
                    unreachable: r.try_get::<Option<i64>, _>(3)?.is_some(),
                })
            })
            .collect::<Result<_>>()?;
            return Ok(Some(ContactView {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                locale: row.try_get(2)?,
                created_at: row.try_get(3)?,
                identities,
            }));
        }
        Err(CoreError::Invalid(format!("contact {id}: merge chain too long")))
    }

    /// Every message of a contact across channels and conversations, oldest first.
    pub async fn contact_messages(&self, contact_id: ContactId, after: MessageId) -> Result<Vec<Message>> {
        self.messages_where("m.contact_id = $1 AND m.id > $2", contact_id, after).await
    }

    /// One attachment's metadata (for download).
    pub async fn attachment(&self, id: i64) -> Result<Option<Attachment>> {
        let row = sqlx::query(
            "SELECT id, message_id, filename, content_type, size, storage_key FROM attachments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Attachment {
                id: r.try_get(0)?,
                message_id: r.try_get(1)?,
                filename: r.try_get(2)?,
                content_type: r.try_get(3)?,
                size: r.try_get(4)?,
                storage_key: r.try_get(5)?,
            })
        })
        .transpose()
    }
}

//! `/link`: the one-time code a contact asks for on one channel, and `/link CODE` on another,
//! which joins that identity's contact to the one that asked.

use super::Prepared;
use super::bulk;
use super::lookup::Found;
use super::plan::Planner;
use crate::error::Result;
use crate::model::*;
use sqlx::{AnyConnection, Row};

const LINK_TOKEN: &str = "link";
const LINK_CODE_LIFETIME_MS: i64 = 15 * 60 * 1000;

impl Planner<'_> {
    /// A one-time code that joins another channel's identity to this contact (`/link CODE`).
    pub(super) fn link_code(&mut self, contact_id: ContactId) -> String {
        use rand::Rng;
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let code: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
        self.rows.tokens.push(bulk::TokenRow {
            token_hash: crate::store::tokens::hash(&code),
            kind: LINK_TOKEN,
            subject: contact_id.to_string(),
            data: "{}",
            created_at: self.cx.now,
            expires_at: self.cx.now + LINK_CODE_LIFETIME_MS,
        });
        format!("{}-{}", &code[..4], &code[4..])
    }

    /// `/link CODE`: joins the sender's contact to the contact that asked for the code. Runs
    /// before the message is planned, so the message itself lands with the joined contact.
    pub async fn link(&mut self, conn: &mut AnyConnection, p: &Prepared, found: &Found, code: &str) -> Result<bool> {
        let normalized: String =
            code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
        let hash = crate::store::tokens::hash(&normalized);
        let row =
            sqlx::query("SELECT subject FROM auth_tokens WHERE token_hash = $1 AND kind = $2 AND expires_at > $3")
                .bind(&hash)
                .bind(LINK_TOKEN)
                .bind(self.cx.now)
                .fetch_optional(&mut *conn)
                .await?;
        let Some(target) = row.and_then(|r| r.try_get::<String, _>(0).ok()?.parse::<ContactId>().ok()) else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1").bind(&hash).execute(&mut *conn).await?;
        if found.duplicate.is_some() {
            return Ok(true);
        }
        let identity = self.identity(p.inbound.channel, &p.inbound.sender);
        if identity.contact_id == target {
            return Ok(true);
        }
        match self.merge(conn, target, identity.contact_id).await {
            Ok(()) => Ok(true),
            Err(error @ crate::error::CoreError::Database(_)) => Err(error),
            // The contact behind the code was merged away meanwhile: the code is spent.
            Err(_) => Ok(false),
        }
    }
}

//! Opaque bearer tokens (web-chat sessions; agent sessions later). The token is shown once; the
//! store keeps only its SHA-256, so a copy of the database grants nothing.

use super::Store;
use crate::clock::now_ms;
use crate::error::Result;
use base64::Engine;
use rand::RngCore;
use sqlx::Row;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub subject: String,
    pub data: serde_json::Value,
}

impl Store {
    pub async fn issue_token(
        &self,
        kind: &str,
        subject: &str,
        data: &serde_json::Value,
        lifetime: Duration,
    ) -> Result<String> {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let now = now_ms();
        sqlx::query(
            "INSERT INTO auth_tokens (token_hash, kind, subject, data, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(hash(&token))
        .bind(kind)
        .bind(subject)
        .bind(data.to_string())
        .bind(now)
        .bind(now + lifetime.as_millis() as i64)
        .execute(self.pool())
        .await?;
        Ok(token)
    }

    /// The grant behind a token of `kind`, unless unknown or expired.
    pub async fn check_token(&self, kind: &str, token: &str) -> Result<Option<TokenGrant>> {
        let row = sqlx::query(
            "SELECT subject, data FROM auth_tokens WHERE token_hash = $1 AND kind = $2 AND expires_at > $3",
        )
        .bind(hash(token))
        .bind(kind)
        .bind(now_ms())
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            let data: String = row.try_get(1)?;
            Ok(TokenGrant { subject: row.try_get(0)?, data: serde_json::from_str(&data).unwrap_or_default() })
        })
        .transpose()
    }
}

impl Store {
    pub async fn revoke_token(&self, kind: &str, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM auth_tokens WHERE token_hash = $1 AND kind = $2")
            .bind(hash(token))
            .bind(kind)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

pub use crate::storable::hash;

//! `/link`: the one-time code a contact asks for on one channel, and `/link CODE` on another,
//! which joins that identity's contact to the one that asked.

use super::Planner;
use super::known::{Found, LinkAt};
use super::rows::{self, Single};
use crate::model::*;
use crate::prepare::Prepared;

pub(crate) const LINK_TOKEN: &str = "link";
const LINK_CODE_LIFETIME_MS: i64 = 15 * 60 * 1000;

impl Planner<'_> {
    /// A one-time code that joins another channel's identity to this contact (`/link CODE`).
    pub(super) fn link_code(&mut self, contact_id: ContactId) -> String {
        use rand::Rng;
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rng();
        let code: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
        self.rows.tokens.push(rows::TokenRow {
            token_hash: crate::storable::hash(&code),
            kind: LINK_TOKEN,
            subject: contact_id.to_string(),
            data: "{}",
            created_at: self.cx.now,
            expires_at: self.cx.now + LINK_CODE_LIFETIME_MS,
        });
        format!("{}-{}", &code[..4], &code[4..])
    }

    /// `/link CODE`: joins the sender's contact to the contact that asked for the code, as `at`
    /// found them. Planned before the message itself, so the message lands with the joined
    /// contact.
    pub fn link(&mut self, p: &Prepared, found: &Found, code: &str, at: &LinkAt) -> bool {
        let Some(target) = at.target else { return false };
        self.rows.singles.push(Single::SpendToken { token_hash: link_hash(code) });
        if found.duplicate.is_some() {
            return true;
        }
        let identity = self.identity(p.inbound.channel, &p.inbound.sender);
        if identity.contact_id == target {
            return true;
        }
        let mut merge = at.merge.clone();
        // A sender first heard from in this batch: their contact is not stored yet.
        if self.rows.contacts.iter().any(|c| c.id == identity.contact_id) {
            merge.alive.push((identity.contact_id, None));
        }
        // The contact behind the code was merged away meanwhile: the code is spent.
        self.merge(target, identity.contact_id, &merge).is_ok()
    }

    /// The contact of a sender this batch already knows (from the lookup or a message before).
    pub fn known_contact(&self, channel: ChannelKind, sender: &str) -> Option<ContactId> {
        self.identities.get(&(channel, sender.to_owned())).map(|k| k.contact_id)
    }
}

/// What a code is stored as: its hash, whatever its spelling (`abcd-2345` is `ABCD2345`).
pub(crate) fn link_hash(code: &str) -> String {
    let normalized: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    crate::storable::hash(&normalized)
}

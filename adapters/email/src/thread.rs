//! What a mail conversation's replies need to thread, kept with each inbound message's link
//! (`Destination::thread`), so that a reply written days later, after restarts, threads
//! correctly in the customer's mail program.

use serde::{Deserialize, Serialize};

/// Longest References chain kept: RFC 5322 allows trimming the middle; the first and the
/// latest ids are what mail programs thread on.
const MAX_REFERENCES: usize = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailThread {
    pub subject: String,
    /// Message ids, oldest first, the customer's latest mail last.
    pub references: Vec<String>,
}

impl MailThread {
    pub fn encode(mut self) -> String {
        if self.references.len() > MAX_REFERENCES {
            let cut = self.references.len() - (MAX_REFERENCES - 1);
            self.references.drain(1..cut);
        }
        serde_json::to_string(&self).expect("a thread serializes")
    }

    /// An unreadable value (from another version, or hand-edited) threads as a new mail.
    pub fn decode(text: &str) -> MailThread {
        serde_json::from_str(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_chains_keep_the_first_and_the_latest() {
        let references: Vec<String> = (0..30).map(|i| format!("m{i}@x")).collect();
        let thread = MailThread::decode(&MailThread { subject: "s".into(), references }.encode());
        assert_eq!(thread.references.len(), MAX_REFERENCES);
        assert_eq!(thread.references[0], "m0@x");
        assert_eq!(thread.references.last().unwrap(), "m29@x");
        assert_eq!(thread.references[1], "m11@x");
    }
}

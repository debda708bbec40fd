//! Signed links for channels without buttons (mail): each offered choice becomes a link that
//! opens a page where the press is confirmed with a click. The link names the message and the
//! button and carries an HMAC of both under the installation's key, so it cannot be made up
//! or pointed at another message; the press itself is recorded only by the page's POST (mail
//! scanners follow links), once per message (its platform id is the message's).

use crate::model::MessageId;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use std::path::Path;

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// Where the key lives, under the data directory (shared by the instances, like the files).
const KEY_FILE: &str = "choice-links.key";
const KEY_BYTES: usize = 32;
/// The signature's length: 144 bits, 24 characters in the link.
const SIGNATURE_BYTES: usize = 18;

/// The path under which the confirmation page is served.
pub const PATH: &str = "/choice";

/// Makes and checks choice links.
#[derive(Clone)]
pub struct ChoiceLinks {
    key: [u8; KEY_BYTES],
    /// The public origin the links point at, without a trailing `/`.
    base: String,
}

impl std::fmt::Debug for ChoiceLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChoiceLinks").field("base", &self.base).finish_non_exhaustive()
    }
}

impl ChoiceLinks {
    /// The public origin links point at (`https://support.example.com`).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn new(key: [u8; KEY_BYTES], base: &str) -> ChoiceLinks {
        ChoiceLinks { key, base: base.trim_end_matches('/').to_owned() }
    }

    /// The installation's key from `<data_dir>/choice-links.key`, made on first use (instances
    /// starting together agree on the first one written), and links to `base`.
    pub fn load(data_dir: &Path, base: &str) -> std::io::Result<ChoiceLinks> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(KEY_FILE);
        if !path.exists() {
            // Written whole under a name of its own, then linked into place: a reader never
            // sees half a key, and a key another instance placed first wins.
            let staged = data_dir.join(format!("{KEY_FILE}.{:016x}", rand::random::<u64>()));
            write_private(&staged, &rand::random::<[u8; KEY_BYTES]>())?;
            let placed = std::fs::hard_link(&staged, &path);
            std::fs::remove_file(&staged)?;
            match placed {
                Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => return Err(error),
                _ => {}
            }
        }
        let bytes = std::fs::read(&path)?;
        let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not a key", path.display()))
        })?;
        Ok(ChoiceLinks::new(key, base))
    }

    fn signature(&self, message: MessageId, button: usize) -> [u8; SIGNATURE_BYTES] {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length");
        mac.update(format!("choice:{message}:{button}").as_bytes());
        let full = mac.finalize().into_bytes();
        let mut signature = [0; SIGNATURE_BYTES];
        signature.copy_from_slice(&full[..SIGNATURE_BYTES]);
        signature
    }

    /// The token naming button `button` (its position) of message `message`.
    pub fn token(&self, message: MessageId, button: usize) -> String {
        format!("{message}.{button}.{}", URL_SAFE_NO_PAD.encode(self.signature(message, button)))
    }

    /// The link to the confirmation page of that press.
    pub fn url(&self, message: MessageId, button: usize) -> String {
        format!("{}{PATH}/{}", self.base, self.token(message, button))
    }

    /// The message and button a token names, if it is ours, whole and unaltered.
    pub fn verify(&self, token: &str) -> Option<(MessageId, usize)> {
        let mut parts = token.split('.');
        let message: MessageId = parts.next()?.parse().ok()?;
        let button: usize = parts.next()?.parse().ok()?;
        let signature = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        if parts.next().is_some() || signature.len() != SIGNATURE_BYTES {
            return None;
        }
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("any key length");
        mac.update(format!("choice:{message}:{button}").as_bytes());
        // Compared in constant time.
        mac.verify_truncated_left(&signature).ok()?;
        Some((message, button))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_verifies_only_whole_and_unaltered() {
        let links = ChoiceLinks::new([7; KEY_BYTES], "https://help.example.com/");
        let url = links.url(1042, 3);
        assert!(url.starts_with("https://help.example.com/choice/1042.3."), "{url}");
        let token = links.token(1042, 3);
        assert_eq!(links.verify(&token), Some((1042, 3)));
        assert_eq!(links.verify(&token.replacen("1042.3", "1042.4", 1)), None, "another button");
        assert_eq!(links.verify(&token.replacen("1042.", "1043.", 1)), None, "another message");
        assert_eq!(links.verify(&token[..token.len() - 2]), None, "cut short");
        assert_eq!(links.verify(&format!("{token}.x")), None);
        assert_eq!(links.verify("1042.3"), None);
        let other = ChoiceLinks::new([8; KEY_BYTES], "https://help.example.com");
        assert_eq!(other.verify(&token), None, "another installation's key");
    }

    #[test]
    fn the_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = ChoiceLinks::load(dir.path(), "http://127.0.0.1:8080").unwrap();
        let again = ChoiceLinks::load(dir.path(), "http://127.0.0.1:8080").unwrap();
        assert_eq!(first.key, again.key);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing staged is left");
    }
}

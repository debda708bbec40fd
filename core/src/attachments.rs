//! Attachment bytes live on disk under the data directory, named by their SHA-256, and are
//! written (and fsynced) before the message that references them is committed.

use crate::error::Result;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A file as stored: its cleaned name and type, its size, and the key of its bytes.
#[derive(Debug, Clone)]
pub struct Stored {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub storage_key: String,
}

#[derive(Debug, Clone)]
pub struct AttachmentStore {
    root: PathBuf,
}

impl AttachmentStore {
    pub fn new(data_dir: &Path) -> Self {
        AttachmentStore { root: data_dir.join("attachments") }
    }

    pub async fn put(&self, filename: &str, content_type: &str, bytes: &[u8]) -> Result<Stored> {
        let digest = hex(&Sha256::digest(bytes));
        let key = format!("{}/{}", &digest[..2], digest);
        let path = self.root.join(&key);
        if tokio::fs::metadata(&path).await.is_err() {
            tokio::fs::create_dir_all(path.parent().expect("key has a folder")).await?;
            // Two messages may carry the same file at once: each writes its own partial file,
            // and the rename (atomic, same bytes) lets either win.
            static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let partial = path.with_extension(format!("{}-{n}.partial", std::process::id()));
            let mut file = tokio::fs::File::create(&partial).await?;
            tokio::io::AsyncWriteExt::write_all(&mut file, bytes).await?;
            file.sync_all().await?;
            tokio::fs::rename(&partial, &path).await?;
        }
        Ok(Stored {
            // A file's name is the customer's text like any other: a recovery phrase typed as
            // a name must not be stored either.
            filename: crate::safety::redact(&sanitize_filename(filename)).text,
            content_type: crate::storable::clean(content_type).into_owned(),
            size: bytes.len() as i64,
            storage_key: key,
        })
    }

    /// The path of stored bytes; `None` for a key that does not name a stored file.
    pub fn path_of(&self, storage_key: &str) -> Option<PathBuf> {
        let valid = storage_key.len() == 67
            && storage_key.as_bytes()[2] == b'/'
            && storage_key.chars().filter(|c| *c != '/').all(|c| c.is_ascii_hexdigit());
        valid.then(|| self.root.join(storage_key))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keeps the name a customer gave, minus anything that could act as a path.
fn sanitize_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." { "attachment".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_cannot_escape() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\x\\report.pdf"), "report.pdf");
        assert_eq!(sanitize_filename(".."), "attachment");
    }

    #[tokio::test]
    async fn bytes_are_stored_once_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = AttachmentStore::new(dir.path());
        let a = store.put("a.txt", "text/plain", b"hello").await.unwrap();
        let b = store.put("b.txt", "text/plain", b"hello").await.unwrap();
        assert_eq!(a.storage_key, b.storage_key);
        assert_eq!(std::fs::read(store.path_of(&a.storage_key).unwrap()).unwrap(), b"hello");
        assert!(store.path_of("../../x").is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_file_stored_by_many_messages_at_once_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(AttachmentStore::new(dir.path()));
        let bytes = vec![7u8; 64 * 1024];
        let puts = (0..32).map(|i| {
            let (store, bytes) = (store.clone(), bytes.clone());
            tokio::spawn(async move { store.put(&format!("{i}.bin"), "application/octet-stream", &bytes).await })
        });
        for put in puts {
            let stored = put.await.unwrap().expect("every concurrent put succeeds");
            assert_eq!(std::fs::read(store.path_of(&stored.storage_key).unwrap()).unwrap().len(), bytes.len());
        }
    }
}

//! One `serve` per SQLite file: a lock beside the database, held for the life of the process.
//!
//! SQLite has one writer, and each instance runs its own writer task and outbox; two instances
//! on one file would each hand out the same ids and send the same outbox entries. Several
//! instances share a PostgreSQL database instead. The lock is the operating system's (`flock`),
//! so it is released when the process ends, however it ends; the file itself stays.

use super::{Backend, Store};
use crate::error::{CoreError, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

/// Held while this process serves its SQLite database; dropping it releases the database.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// The lock file of a SQLite database URL; none for PostgreSQL or an in-memory database.
pub fn lock_path(url: &str) -> Result<Option<PathBuf>> {
    if Store::backend_of(url)? != Backend::Sqlite || url.contains(":memory:") {
        return Ok(None);
    }
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    Ok(Some(PathBuf::from(format!("{path}-instance"))))
}

/// Claims the database for this process, or says which database is served already.
pub fn claim(url: &str) -> Result<Option<InstanceLock>> {
    let Some(path) = lock_path(url)? else { return Ok(None) };
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(InstanceLock { _file: file })),
        Err(TryLockError::WouldBlock) => Err(CoreError::AlreadyServed(super::redact_url(url))),
        Err(TryLockError::Error(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_one_file_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("sb.db").display());
        let first = claim(&url).unwrap().expect("a lock for a file");
        let second = claim(&url).unwrap_err();
        assert!(matches!(second, CoreError::AlreadyServed(_)), "{second}");
        assert!(second.to_string().contains("PostgreSQL"), "{second}");
        drop(first);
        assert!(claim(&url).unwrap().is_some());
    }

    #[test]
    fn postgres_and_memory_need_no_lock() {
        assert!(claim("sqlite::memory:").unwrap().is_none());
        assert!(lock_path("postgres://u@127.0.0.1/sb").unwrap().is_none());
        assert_eq!(lock_path("sqlite://a/b.db?mode=rwc").unwrap(), Some(PathBuf::from("a/b.db-instance")));
    }
}

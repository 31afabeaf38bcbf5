//! The lock on an embedded data directory: one server at a time. Two servers on one directory
//! would each miss the other's writes in their read models. (The vault has a lock of its own,
//! shared by servers and taken alone by key rotation and rewriting.) The lock is an advisory, exclusive file lock on
//! `<dir>/traject.lock`, held as long as the returned [`Slot`] lives and released by the
//! operating system when the process ends, also after `kill -9`.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// A held lock on a data directory.
#[derive(Debug)]
pub struct Slot {
    _bestand: File,
    /// The lock file.
    pub pad: PathBuf,
}

/// The lock on data directory `dir` if no server holds it (`None` if one does).
pub fn try_acquire(dir: &Path) -> anyhow::Result<Option<Slot>> {
    let pad = dir.join("traject.lock");
    let bestand = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&pad)
        .map_err(|e| anyhow::anyhow!("{}: kan het slot niet openen: {e}", pad.display()))?;
    match bestand.try_lock() {
        Ok(()) => Ok(Some(Slot {
            _bestand: bestand,
            pad,
        })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => {
            anyhow::bail!("{}: kan het slot niet nemen: {e}", pad.display())
        }
    }
}

/// Takes the lock on data directory `dir` (which must exist), or says who may hold it.
pub fn acquire(dir: &Path) -> anyhow::Result<Slot> {
    try_acquire(dir)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{}: deze map is in gebruik door een andere traject-server of een opdracht (import, toegangslog); stop die eerst of wacht tot hij klaar is",
            dir.display()
        )
    })
}

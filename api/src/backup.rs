//! Backup and restore of an embedded store: `traject backup` copies each database file of a data
//! directory while a server may run on it (SQLite's `VACUUM INTO`: one read transaction per file,
//! so each copy is consistent, compacted, and every commit acknowledged before it began is in
//! it); `traject restore` puts a backup in place in a directory that holds no store yet. Both
//! check what they wrote with `PRAGMA quick_check`.
//!
//! The files: `events.sqlite` (the events and the vault of personal data),
//! `toegangslog.sqlite` (the access log) and its journal `toegangslog.journaal` (entries
//! acknowledged and not yet in the log's tables: copied before the log, its whole batches only;
//! the server chains what the log's copy lacks when it first starts on the restored store). Not
//! copied: the key files, which are kept apart from
//! the data and its backups by design, and the projections' snapshot, which the server rebuilds
//! from the events. PostgreSQL has its own tools (`pg_dump`, or `pg_basebackup` with WAL
//! archiving for a point in time).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rusqlite::Connection;

/// The database files of an embedded data directory, in the order they are copied: the access
/// log first (a write's entry travels with its event in the events file's inbox), the events
/// last, so a restore cut short leaves no `events.sqlite` that looks like a store.
pub const BESTANDEN: [&str; 2] = ["toegangslog.sqlite", "events.sqlite"];

/// What a backup or restore wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Verslag {
    /// Per file: its path and size in bytes.
    pub bestanden: Vec<(PathBuf, u64)>,
    /// The number of events in the copy.
    pub events: u64,
}

fn heeft_store(dir: &Path) -> bool {
    dir.join("events.sqlite").is_file()
}

/// Checks `pad` with the store's own page check ([`traject_store::quick_check`]).
fn controleer(pad: &Path) -> anyhow::Result<()> {
    traject_store::quick_check(pad)?;
    Ok(())
}

/// Refuses a directory without a store, naming `veld` and the path: a mistyped path is never
/// taken for an empty store.
pub fn require_store(veld: &str, dir: &Path) -> anyhow::Result<()> {
    if !heeft_store(dir) {
        bail!(
            "{veld}: {} bevat geen store (events.sqlite ontbreekt); controleer het pad",
            dir.display()
        );
    }
    Ok(())
}

fn verslag(dir: &Path) -> anyhow::Result<Verslag> {
    let mut bestanden = Vec::new();
    for naam in BESTANDEN {
        let pad = dir.join(naam);
        if pad.is_file() {
            controleer(&pad)?;
            bestanden.push((pad.clone(), std::fs::metadata(&pad)?.len()));
        }
    }
    let events_pad = dir.join("events.sqlite");
    let events: i64 = Connection::open(&events_pad)
        .and_then(|c| c.query_row("SELECT count(*) FROM events", [], |r| r.get(0)))
        .with_context(|| format!("{}: geen events te tellen", events_pad.display()))?;
    Ok(Verslag {
        bestanden,
        events: events.max(0) as u64,
    })
}

/// Lets only the owner read and write `pad` (it holds case data and sealed personal data).
fn alleen_eigenaar(pad: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(pad, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("{}: rechten niet te zetten", pad.display()))?;
    }
    Ok(())
}

/// Makes a directory only its owner can enter.
fn maak_map(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: map niet te maken", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("{}: rechten niet te zetten", dir.display()))?;
    }
    Ok(())
}

fn leeg(dir: &Path) -> anyhow::Result<bool> {
    Ok(!dir.exists()
        || std::fs::read_dir(dir)
            .with_context(|| format!("{}: niet te lezen", dir.display()))?
            .next()
            .is_none())
}

/// Backs up the store in `store` to the new or empty directory `to`, while a server may run.
pub fn create(store: &Path, to: &Path) -> anyhow::Result<Verslag> {
    require_store("store", store)?;
    if !leeg(to)? {
        bail!("to: {} is niet leeg; kies een nieuwe map", to.display());
    }
    maak_map(to)?;
    // The journal before the log: what it holds beyond the log's copy is chained on start.
    let log = store.join(BESTANDEN[0]);
    crate::toegangslog::copy_journal(
        &log,
        &crate::toegangslog::journal_path(&to.join(BESTANDEN[0])),
    )
    .with_context(|| format!("{}: journaal niet te kopiëren", store.display()))?;
    for naam in BESTANDEN {
        let van = store.join(naam);
        if !van.is_file() {
            continue;
        }
        let doel = to.join(naam);
        let conn =
            Connection::open(&van).with_context(|| format!("{}: niet te openen", van.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let doel_tekst = doel
            .to_str()
            .with_context(|| format!("{}: geen geldige naam", doel.display()))?;
        conn.execute("VACUUM INTO ?1", [doel_tekst])
            .with_context(|| {
                format!("{} naar {}: backup mislukt", van.display(), doel.display())
            })?;
        alleen_eigenaar(&doel)?;
    }
    verslag(to)
}

/// Restores the backup in `from` into `store`, a new or empty directory (never over a store:
/// move that aside first, so nothing is lost by a mistyped path).
pub fn restore(from: &Path, store: &Path) -> anyhow::Result<Verslag> {
    require_store("from", from)?;
    if !leeg(store)? {
        bail!(
            "store: {} is niet leeg; herstel alleen in een nieuwe of lege map (zet de oude store eerst opzij)",
            store.display()
        );
    }
    for naam in BESTANDEN {
        let bron = from.join(naam);
        if bron.is_file() {
            controleer(&bron)?;
        }
    }
    maak_map(store)?;
    let journaal = crate::toegangslog::journal_path(Path::new(BESTANDEN[0]));
    for naam in std::iter::once(journaal.as_path()).chain(BESTANDEN.iter().map(Path::new)) {
        let bron = from.join(naam);
        if !bron.is_file() {
            continue;
        }
        // Copied under a temporary name and renamed: a restore cut short leaves no half file
        // that looks like a store.
        let tijdelijk = store.join(format!("{}.restore", naam.display()));
        std::fs::copy(&bron, &tijdelijk).with_context(|| {
            format!(
                "{} naar {}: kopie mislukt",
                bron.display(),
                tijdelijk.display()
            )
        })?;
        alleen_eigenaar(&tijdelijk)?;
        std::fs::File::open(&tijdelijk)?.sync_all()?;
        std::fs::rename(&tijdelijk, store.join(naam))
            .with_context(|| format!("{}: niet te hernoemen", tijdelijk.display()))?;
    }
    verslag(store)
}

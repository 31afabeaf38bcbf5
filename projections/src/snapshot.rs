//! The read model saved with its checkpoint, so that a restarted process replays only the
//! events written since.
//!
//! A snapshot is a cache of the event log in a fast form, never a source of truth: it holds each
//! trajectory's events (current schema versions) and recording times, not derived state. Loading
//! applies the events again through the domain's rules and recomputes every fact, so a change of
//! the rules or the read models never meets stale derived state. It is used only when
//! - its format and the event schema versions it was written with are this build's,
//! - every section's checksum is right, and
//! - the store still holds the event it ends with, at the same position (so a snapshot of another
//!   or a reset store is never resumed from).
//!
//! Otherwise the projections rebuild from zero and the reason is logged; a snapshot is only ever
//! a shortcut. Files are written to a temporary name, synced, and renamed into place.
//!
//! Layout: a magic line, a length-prefixed header (MessagePack), then per shard a length, a CRC-32
//! and a MessagePack list of trajectories. Shards are encoded and decoded on every core.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use traject_domain::DuurzaamBeleid;
use traject_domain::event::Event;
use traject_domain::stored::VERSIONS;
use traject_domain::value::TrajectId;
use traject_store::{EventStore, Position, StreamFilter};

use crate::model::{HersteldTraject, ReadModel, SHARDS};
use crate::parallel::{cores, spread};

const MAGIC: &[u8] = b"traject-projecties-snapshot\n";
const FORMAT: u32 = 1;
/// Why a snapshot was not written or not used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Reading or writing the file failed.
    #[error("snapshot {pad}: {bron}")]
    Io {
        /// The file.
        pad: PathBuf,
        /// The error.
        bron: std::io::Error,
    },
    /// The file is not a usable snapshot for this build and store.
    #[error("snapshot {pad} is unusable: {reden}")]
    Onbruikbaar {
        /// The file.
        pad: PathBuf,
        /// Why (never data from the file).
        reden: String,
    },
    /// The store could not be asked whether the snapshot belongs to it.
    #[error(transparent)]
    Store(#[from] traject_store::StoreError),
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Kop {
    formaat: u32,
    versies: Vec<(String, u32)>,
    shards: u32,
    checkpoint: u64,
    laatste_event: uuid::Uuid,
}

fn versies() -> Vec<(String, u32)> {
    VERSIONS
        .iter()
        .map(|(t, v)| ((*t).to_owned(), *v))
        .collect()
}

#[derive(Serialize)]
struct TrajectRef<'a> {
    id: TrajectId,
    events: &'a [Event],
    opgenomen: Vec<(i64, u32)>,
}

/// One trajectory as a snapshot takes it: its events and recording times, shared with the model.
type Gedeeld = (
    TrajectId,
    Arc<Vec<Event>>,
    Arc<Vec<chrono::DateTime<chrono::Utc>>>,
);

/// What a snapshot writes, taken from the model in milliseconds: per shard each trajectory's
/// events and recording times, shared with the model rather than copied. The model goes on
/// applying events meanwhile; a trajectory that gets one copies its own lists (copy on write),
/// so the snapshot stays the model as it was when taken.
pub struct Capture {
    checkpoint: Position,
    laatste_event: uuid::Uuid,
    shards: Vec<Vec<Gedeeld>>,
}

/// Takes `model` for a snapshot; `None` when it has applied no event yet. Hold the model's read
/// lock only for this, not for [`Capture::save`].
pub fn take(model: &ReadModel) -> Option<Capture> {
    let (Some(checkpoint), Some(laatste_event)) = (model.checkpoint(), model.laatste_event())
    else {
        return None;
    };
    let shards = (0..SHARDS)
        .map(|shard| {
            model
                .shard_trajecten(shard)
                .map(|(id, entry)| {
                    (
                        *id,
                        entry.traject.events_gedeeld(),
                        Arc::clone(&entry.opgenomen),
                    )
                })
                .collect()
        })
        .collect();
    Some(Capture {
        checkpoint,
        laatste_event,
        shards,
    })
}

/// Writes `model` to `pad`. Returns the checkpoint written, or `None` when the model has applied
/// no event yet (nothing is written then).
pub fn save(model: &ReadModel, pad: &Path) -> Result<Option<Position>, SnapshotError> {
    take(model).map(|o| o.save(pad)).transpose()
}

impl Capture {
    /// The checkpoint the snapshot ends at.
    pub fn checkpoint(&self) -> Position {
        self.checkpoint
    }

    /// Encodes and writes the snapshot to `pad` (on every core; no lock needed). Returns its
    /// checkpoint.
    pub fn save(&self, pad: &Path) -> Result<Position, SnapshotError> {
        let io = |bron| SnapshotError::Io {
            pad: pad.to_owned(),
            bron,
        };
        let kop = rmp_serde::to_vec_named(&Kop {
            formaat: FORMAT,
            versies: versies(),
            shards: SHARDS as u32,
            checkpoint: self.checkpoint.0,
            laatste_event: self.laatste_event,
        })
        .expect("a header always encodes");
        let secties = per_shard(SHARDS, |shard| {
            let trajecten: Vec<TrajectRef<'_>> = self.shards[shard]
                .iter()
                .map(|(id, events, opgenomen)| TrajectRef {
                    id: *id,
                    events: events.as_slice(),
                    opgenomen: opgenomen
                        .iter()
                        .map(|t| (t.timestamp(), t.timestamp_subsec_nanos()))
                        .collect(),
                })
                .collect();
            rmp_serde::to_vec(&trajecten).expect("events always encode")
        });

        let tijdelijk = pad.with_extension("tmp");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tijdelijk).map_err(io)?);
        file.write_all(MAGIC).map_err(io)?;
        file.write_all(&(kop.len() as u64).to_le_bytes())
            .map_err(io)?;
        file.write_all(&kop).map_err(io)?;
        for sectie in &secties {
            file.write_all(&(sectie.len() as u64).to_le_bytes())
                .map_err(io)?;
            file.write_all(&crc32fast::hash(sectie).to_le_bytes())
                .map_err(io)?;
            file.write_all(sectie).map_err(io)?;
        }
        let file = file.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tijdelijk, pad).map_err(io)?;
        if let Some(dir) = pad.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(io)?;
        }
        Ok(self.checkpoint)
    }
}

/// Reads the snapshot at `pad` and checks it against `store`. `Ok(None)` when there is no file;
/// an error when there is one that cannot be used (the caller then rebuilds from zero).
pub async fn load(
    pad: &Path,
    store: &dyn EventStore,
    beleid: DuurzaamBeleid,
) -> Result<Option<ReadModel>, SnapshotError> {
    let onbruikbaar = |reden: &str| SnapshotError::Onbruikbaar {
        pad: pad.to_owned(),
        reden: reden.to_owned(),
    };
    let bytes = match std::fs::read(pad) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(bron) => {
            return Err(SnapshotError::Io {
                pad: pad.to_owned(),
                bron,
            });
        }
    };
    let mut rest = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| onbruikbaar("not a traject snapshot"))?;
    let kop_bytes = take_sized(&mut rest).ok_or_else(|| onbruikbaar("header truncated"))?;
    let kop: Kop =
        rmp_serde::from_slice(kop_bytes).map_err(|_| onbruikbaar("header unreadable"))?;
    if kop.formaat != FORMAT || kop.versies != versies() || kop.shards != SHARDS as u32 {
        return Err(onbruikbaar(
            "written by a version of traject with another format or other schema versions",
        ));
    }
    let mut secties = Vec::with_capacity(SHARDS);
    for _ in 0..SHARDS {
        let mut crc = [0u8; 4];
        let lengte = take_u64(&mut rest).ok_or_else(|| onbruikbaar("truncated"))?;
        (&mut rest)
            .read_exact(&mut crc)
            .map_err(|_| onbruikbaar("truncated"))?;
        let lengte = usize::try_from(lengte).map_err(|_| onbruikbaar("truncated"))?;
        if rest.len() < lengte {
            return Err(onbruikbaar("truncated"));
        }
        let (sectie, verder) = rest.split_at(lengte);
        if crc32fast::hash(sectie) != u32::from_le_bytes(crc) {
            return Err(onbruikbaar("checksum does not match"));
        }
        secties.push(sectie);
        rest = verder;
    }
    if !rest.is_empty() {
        return Err(onbruikbaar("unexpected data after the end"));
    }

    // The store must still hold the last event at the same position.
    let checkpoint = Position(kop.checkpoint);
    let after = kop.checkpoint.checked_sub(1).map(Position);
    let bij = store.read_all(after, &StreamFilter::all(), 1).await?;
    if !bij
        .first()
        .is_some_and(|e| e.position == checkpoint && e.id == kop.laatste_event)
    {
        return Err(onbruikbaar(
            "the event store does not hold the snapshot's last event at that position",
        ));
    }

    let shards = per_shard(SHARDS, |i| {
        rmp_serde::from_slice::<Vec<HersteldTraject>>(secties[i])
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()
    .map_err(|_| onbruikbaar("trajectories unreadable"))?;
    let model = ReadModel::restore(beleid, checkpoint, kop.laatste_event, shards)
        .map_err(|reden| onbruikbaar(&format!("events do not fit: {reden}")))?;
    Ok(Some(model))
}

fn take_u64(rest: &mut &[u8]) -> Option<u64> {
    let mut buf = [0u8; 8];
    rest.read_exact(&mut buf).ok()?;
    Some(u64::from_le_bytes(buf))
}

fn take_sized<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let lengte = usize::try_from(take_u64(rest)?).ok()?;
    if rest.len() < lengte {
        return None;
    }
    let (genomen, verder) = rest.split_at(lengte);
    *rest = verder;
    Some(genomen)
}

/// `f` for every shard index, on every core; results in shard order.
fn per_shard<T: Send>(shards: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let mut results: Vec<(usize, T)> = spread(0..shards, cores(shards), |group| {
        group
            .into_iter()
            .map(|(i, _)| (i, f(i)))
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

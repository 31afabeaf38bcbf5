//! The journal of the log on the embedded backend: the file that makes a read's entry durable
//! before its data leaves, so that the log's indexed tables need not be flushed in every
//! request's path.
//!
//! The writer appends a batch of entries to the journal with one write and one flush, then
//! answers its callers; a task of the log (the mover) chains the batches into the SQLite tables
//! in larger transactions and records in the same transaction how far it got (meta
//! `journaal`: generation and end of the last batch moved). Queries wait until every batch
//! acknowledged before they began is moved.
//!
//! # The file
//! A ring of 64 MiB (sparse: blocks are allocated as they are first written). The first block
//! (4 KiB) holds the header: a magic, the generation, its CRC-32, within the first 512 bytes so
//! that a sector's write holds it whole. From the second block on come the batches, each
//! starting on a block of its own (padded), so that a write never touches a block of a batch
//! acknowledged before it: `magic | generation | payload length | CRC-32 of generation,
//! length and payload | payload`, the payload being the entries' canonical bytes ([`crate::vorm::canoniek`]), each
//! preceded by its length. Reading stops at the first block that is not a whole batch of the
//! header's generation: a torn write (never acknowledged), zeros, or a batch of an earlier
//! generation. A header that is not whole (a crash while a new generation began) is read past:
//! the first batch names the generation.
//!
//! Every open moves what the journal holds beyond the recorded progress and then starts a new
//! generation, so no batch of an earlier run is ever read as one of this run. When the ring is
//! full, the writer waits until the mover has moved everything (its commits are flushed) and
//! starts a new generation at the first batch block.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::toegang::Toegang;
use crate::vorm;

/// The size of a block: the header's, and the unit a batch is padded to.
pub(crate) const BLOK: u64 = 4096;
/// The size of the ring.
pub(crate) const RING: u64 = 64 << 20;
/// The name of the progress in the log's meta table.
pub(crate) const META: &str = "journaal";
/// The name of the last generation begun, in the log's meta table (written in the flushed commit
/// before a generation begins).
pub(crate) const META_BEGONNEN: &str = "journaal-begonnen";

const KOP_MAGIE: &[u8; 8] = b"TLJRNL01";
const BATCH_MAGIE: &[u8; 4] = b"TLJB";
/// Magic, generation, payload length, CRC.
const BATCH_KOP: usize = 4 + 8 + 4 + 4;

/// Where the journal of the log in the SQLite file at `log` is.
pub(crate) fn pad_naast(log: &Path) -> PathBuf {
    log.with_extension("journaal")
}

/// How far the mover got: the generation and the end of the last batch moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stand {
    pub generatie: u64,
    pub eind: u64,
}

impl Stand {
    pub(crate) fn als_bytes(self) -> [u8; 16] {
        let mut b = [0; 16];
        b[..8].copy_from_slice(&self.generatie.to_be_bytes());
        b[8..].copy_from_slice(&self.eind.to_be_bytes());
        b
    }

    pub(crate) fn uit_bytes(b: &[u8]) -> Option<Self> {
        let b: [u8; 16] = b.try_into().ok()?;
        Some(Self {
            generatie: u64::from_be_bytes(b[..8].try_into().ok()?),
            eind: u64::from_be_bytes(b[8..].try_into().ok()?),
        })
    }
}

/// A batch read back: where it ends and its entries.
pub(crate) struct Batch {
    pub eind: u64,
    pub toegangen: Vec<Toegang>,
}

/// What an open found in the file.
pub(crate) struct Inhoud {
    /// The header's generation (0 for a new or empty file).
    pub generatie: u64,
    /// The whole batches of that generation, in order.
    pub batches: Vec<Batch>,
}

impl Inhoud {
    /// The batches the mover has not moved, given its progress `stand`.
    pub(crate) fn na(self, stand: Option<Stand>) -> Vec<Batch> {
        match stand {
            // No journal (a store restored without it): nothing to move.
            _ if self.generatie == 0 => Vec::new(),
            // Every batch of a generation was moved before the next began (a journal copied
            // before its log, as a backup does).
            Some(s) if s.generatie > self.generatie => Vec::new(),
            Some(s) if s.generatie == self.generatie => self
                .batches
                .into_iter()
                .filter(|b| b.eind > s.eind)
                .collect(),
            _ => self.batches,
        }
    }
}

fn kop_bytes(generatie: u64) -> Vec<u8> {
    let mut b = vec![0u8; BLOK as usize];
    b[..8].copy_from_slice(KOP_MAGIE);
    b[8..16].copy_from_slice(&generatie.to_be_bytes());
    let crc = crc32fast::hash(&b[..16]);
    b[16..20].copy_from_slice(&crc.to_be_bytes());
    b
}

fn lees_kop(b: &[u8]) -> Option<u64> {
    if b.len() < 20 || &b[..8] != KOP_MAGIE {
        return None;
    }
    let crc = u32::from_be_bytes(b[16..20].try_into().ok()?);
    let generatie = u64::from_be_bytes(b[8..16].try_into().ok()?);
    (crc == crc32fast::hash(&b[..16])).then_some(generatie)
}

/// The bytes of a batch of `toegangen` (each [`vorm::genormaliseerd`]) in generation
/// `generatie`, padded to whole blocks.
pub(crate) fn batch_bytes(generatie: u64, toegangen: &[Toegang]) -> Vec<u8> {
    let mut b = Vec::with_capacity(BLOK as usize * 2);
    b.extend_from_slice(BATCH_MAGIE);
    b.extend_from_slice(&generatie.to_be_bytes());
    b.extend_from_slice(&[0; 8]); // length and CRC, below
    for t in toegangen {
        let c = vorm::canoniek(t);
        b.extend_from_slice(&(c.len() as u32).to_be_bytes());
        b.extend_from_slice(&c);
    }
    let lengte = (b.len() - BATCH_KOP) as u32;
    b[12..16].copy_from_slice(&lengte.to_be_bytes());
    let mut h = crc32fast::Hasher::new();
    h.update(&b[4..16]);
    h.update(&b[BATCH_KOP..]);
    let crc = h.finalize();
    b[16..20].copy_from_slice(&crc.to_be_bytes());
    b.resize(b.len().div_ceil(BLOK as usize) * BLOK as usize, 0);
    b
}

/// The entries of a whole batch of `generatie` at the start of `b`, and its padded length; `None`
/// if there is none.
fn lees_batch(b: &[u8], generatie: u64) -> Option<(Vec<Toegang>, u64)> {
    if b.len() < BATCH_KOP || &b[..4] != BATCH_MAGIE {
        return None;
    }
    if u64::from_be_bytes(b[4..12].try_into().ok()?) != generatie {
        return None;
    }
    let lengte = u32::from_be_bytes(b[12..16].try_into().ok()?) as usize;
    let payload = b.get(BATCH_KOP..BATCH_KOP + lengte)?;
    let mut h = crc32fast::Hasher::new();
    h.update(&b[4..16]);
    h.update(payload);
    if h.finalize() != u32::from_be_bytes(b[16..20].try_into().ok()?) {
        return None;
    }
    let mut toegangen = Vec::new();
    let mut rest = payload;
    while !rest.is_empty() {
        let n = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let c = rest.get(4..4 + n)?;
        toegangen.push(vorm::uit_canoniek(c).ok()?);
        rest = &rest[4 + n..];
    }
    let totaal = (BATCH_KOP + lengte).div_ceil(BLOK as usize) as u64 * BLOK;
    Some((toegangen, totaal))
}

/// Reads what the journal at `pad` holds (nothing if there is no file).
pub(crate) fn lees(pad: &Path) -> io::Result<Inhoud> {
    Ok(lees_bytes(&lees_bestand(pad)?))
}

fn lees_bestand(pad: &Path) -> io::Result<Vec<u8>> {
    match std::fs::read(pad) {
        Ok(b) => Ok(b),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Copies the header and the whole batches of the journal at `van` to the new file `naar`
/// (a backup's copy: what a torn write left behind them stays out); whether there was any.
pub(crate) fn kopieer(van: &Path, naar: &Path) -> io::Result<bool> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let bytes = lees_bestand(van)?;
    let inhoud = lees_bytes(&bytes);
    if inhoud.generatie == 0 {
        return Ok(false);
    }
    let eind = inhoud.batches.last().map_or(BLOK, |b| b.eind) as usize;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(naar)?;
    f.write_all(&bytes[..eind])?;
    f.sync_all()?;
    Ok(true)
}

fn lees_bytes(bytes: &[u8]) -> Inhoud {
    // A header not whole (a crash while a new generation began, when everything before it was
    // moved) is read past: the first batch names its generation.
    let eerste_batch = || {
        let b = bytes.get(BLOK as usize..)?;
        let generatie = u64::from_be_bytes(b.get(4..12)?.try_into().ok()?);
        lees_batch(b, generatie).map(|_| generatie)
    };
    let Some(generatie) = lees_kop(bytes).or_else(eerste_batch) else {
        return Inhoud {
            generatie: 0,
            batches: Vec::new(),
        };
    };
    let mut batches = Vec::new();
    let mut positie = BLOK;
    while let Some((toegangen, lengte)) = bytes
        .get(positie as usize..)
        .and_then(|b| lees_batch(b, generatie))
    {
        positie += lengte;
        batches.push(Batch {
            eind: positie,
            toegangen,
        });
    }
    Inhoud { generatie, batches }
}

/// The journal open for writing.
pub(crate) struct Journaal {
    bestand: File,
    generatie: u64,
    positie: u64,
    /// A new generation's header failed: the disk may hold it or not, so no batch is written
    /// until one succeeds.
    onzeker: bool,
}

impl Journaal {
    /// Opens (or creates) the journal at `pad` and starts generation `generatie` in it: its
    /// earlier batches are no longer read. Only once they are moved.
    pub(crate) fn begin(pad: &Path, generatie: u64) -> io::Result<Self> {
        use std::os::unix::fs::OpenOptionsExt;
        let nieuw = !pad.exists();
        let bestand = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            // Every write is on the disk when it returns: one call, not a write and a flush.
            .custom_flags(libc::O_DSYNC)
            .open(pad)?;
        if bestand.metadata()?.len() < RING {
            bestand.set_len(RING)?;
        }
        let mut j = Self {
            bestand,
            generatie: generatie.saturating_sub(1),
            positie: 0,
            onzeker: false,
        };
        j.nieuwe_generatie()?;
        if nieuw && let Some(map) = pad.parent() {
            // The file's name must survive a crash too.
            File::open(map)?.sync_all()?;
        }
        Ok(j)
    }

    /// The generation being written.
    pub(crate) fn generatie(&self) -> u64 {
        self.generatie
    }

    /// Starts the next generation at the first batch block.
    pub(crate) fn nieuwe_generatie(&mut self) -> io::Result<()> {
        // Numbered past any header that may have reached the disk before a failure.
        let generatie = self.generatie + 1;
        self.onzeker = true;
        self.generatie = generatie;
        self.bestand.write_all_at(&kop_bytes(generatie), 0)?;
        self.bestand.sync_all()?;
        self.positie = BLOK;
        self.onzeker = false;
        Ok(())
    }

    /// Whether a batch of `lengte` bytes can be written behind the batches written in this
    /// generation (not after a new generation failed to begin: then one must begin first).
    pub(crate) fn past(&self, lengte: u64) -> bool {
        !self.onzeker && self.positie + lengte <= RING
    }

    /// Whether a batch of `lengte` bytes fits in an empty generation.
    pub(crate) fn past_ooit(lengte: u64) -> bool {
        BLOK + lengte <= RING
    }

    /// Writes `batch` (from [`batch_bytes`] of this generation) behind the batches before it,
    /// durably; returns where it ends. Nothing moves on if this fails: the next batch is
    /// written in its place (this one was never acknowledged).
    pub(crate) fn schrijf(&mut self, batch: &[u8]) -> io::Result<u64> {
        if self.onzeker {
            return Err(io::Error::other("a new generation did not begin"));
        }
        self.bestand.write_all_at(batch, self.positie)?;
        self.positie += batch.len() as u64;
        Ok(self.positie)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toegang::{Actie, Resultaat};
    use traject_domain::value::ClientId;

    fn toegang(i: u32) -> Toegang {
        vorm::genormaliseerd(Toegang {
            gebeurteniscode: "caseload.lezen".into(),
            actie: Actie::R,
            tijd: chrono::Utc::now(),
            resultaat: Resultaat::Gelukt,
            gebruiker: format!("coach-{i}"),
            rol: "coach".into(),
            organisatie: Some("org".into()),
            clients: (0..i % 60)
                .map(|_| ClientId::new(uuid::Uuid::now_v7()).unwrap())
                .collect(),
            traject: None,
            regel: "coach-eigen-client".into(),
            bron: "test".into(),
            correlatie: uuid::Uuid::now_v7(),
        })
    }

    #[test]
    fn batches_are_read_back_up_to_the_first_that_is_not_whole() {
        let dir = tempfile::tempdir().unwrap();
        let pad = dir.path().join("log.journaal");
        let mut j = Journaal::begin(&pad, 1).unwrap();
        let a: Vec<_> = (0..3).map(toegang).collect();
        let b: Vec<_> = (50..120).map(toegang).collect();
        let eind_a = j.schrijf(&batch_bytes(1, &a)).unwrap();
        let eind_b = j.schrijf(&batch_bytes(1, &b)).unwrap();
        assert_eq!(eind_a % BLOK, 0);
        assert!(
            eind_b > eind_a + BLOK,
            "seventy entries take more than a block"
        );
        let inhoud = lees(&pad).unwrap();
        assert_eq!(inhoud.generatie, 1);
        let eindes: Vec<_> = inhoud.batches.iter().map(|b| b.eind).collect();
        assert_eq!(eindes, [eind_a, eind_b]);
        assert_eq!(inhoud.batches[0].toegangen, a);
        assert_eq!(inhoud.batches[1].toegangen, b);

        // A backup's copy holds the header and the whole batches.
        let kopie = dir.path().join("kopie.journaal");
        assert!(kopieer(&pad, &kopie).unwrap());
        assert_eq!(std::fs::metadata(&kopie).unwrap().len(), eind_b);
        assert_eq!(lees(&kopie).unwrap().batches.len(), 2);
        assert!(!kopieer(&dir.path().join("geen"), &dir.path().join("niets")).unwrap());

        // A torn second batch: its last block never reached the disk.
        j.bestand
            .write_all_at(&[0; BLOK as usize], eind_b - BLOK)
            .unwrap();
        let inhoud = lees(&pad).unwrap();
        assert_eq!(inhoud.batches.len(), 1);
        assert_eq!(inhoud.batches[0].toegangen, a);

        // A new generation: the batches of the one before are not read again.
        j.nieuwe_generatie().unwrap();
        let inhoud = lees(&pad).unwrap();
        assert_eq!((inhoud.generatie, inhoud.batches.len()), (2, 0));
        let c = vec![toegang(7)];
        let eind_c = j.schrijf(&batch_bytes(2, &c)).unwrap();
        let inhoud = lees(&pad).unwrap();
        assert_eq!(inhoud.batches.len(), 1);
        assert_eq!(
            (inhoud.batches[0].eind, &inhoud.batches[0].toegangen),
            (eind_c, &c)
        );
    }

    #[test]
    fn after_a_header_that_failed_nothing_is_written_until_a_new_one_succeeds() {
        let dir = tempfile::tempdir().unwrap();
        let pad = dir.path().join("log.journaal");
        let mut j = Journaal::begin(&pad, 1).unwrap();
        // What a failed write of generation 2's header leaves: it may or may not be on the disk.
        j.generatie = 2;
        j.onzeker = true;
        assert!(!j.past(BLOK));
        assert!(j.schrijf(&batch_bytes(2, &[toegang(1)])).is_err());
        j.nieuwe_generatie().unwrap();
        assert_eq!(j.generatie(), 3, "past the header that may be on the disk");
        let a = [toegang(2)];
        j.schrijf(&batch_bytes(3, &a)).unwrap();
        let inhoud = lees(&pad).unwrap();
        assert_eq!((inhoud.generatie, inhoud.batches.len()), (3, 1));
    }

    #[test]
    fn what_is_moved_is_not_moved_again() {
        let dir = tempfile::tempdir().unwrap();
        let pad = dir.path().join("log.journaal");
        let mut j = Journaal::begin(&pad, 4).unwrap();
        let eind_a = j.schrijf(&batch_bytes(4, &[toegang(1)])).unwrap();
        let b = [toegang(2)];
        j.schrijf(&batch_bytes(4, &b)).unwrap();
        let na = |stand| lees(&pad).unwrap().na(stand);
        assert_eq!(na(None).len(), 2);
        assert_eq!(
            na(Some(Stand {
                generatie: 3,
                eind: 9 * BLOK
            }))
            .len(),
            2
        );
        let rest = na(Some(Stand {
            generatie: 4,
            eind: eind_a,
        }));
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].toegangen, b);
        // A later generation moved: every batch of this one was moved before it began.
        assert!(
            na(Some(Stand {
                generatie: 5,
                eind: BLOK
            }))
            .is_empty()
        );
        let stand = Stand {
            generatie: 4,
            eind: eind_a,
        };
        assert_eq!(Stand::uit_bytes(&stand.als_bytes()), Some(stand));
    }

    #[test]
    fn a_header_that_is_not_whole_is_read_past() {
        let dir = tempfile::tempdir().unwrap();
        let pad = dir.path().join("log.journaal");
        let mut j = Journaal::begin(&pad, 3).unwrap();
        let a = [toegang(1)];
        let eind = j.schrijf(&batch_bytes(3, &a)).unwrap();
        j.bestand.write_all_at(&[0xFF], 9).unwrap();
        let inhoud = lees(&pad).unwrap();
        assert_eq!(inhoud.generatie, 3, "the first batch's generation");
        assert_eq!(inhoud.batches.len(), 1);
        let stand = Stand { generatie: 3, eind };
        assert!(lees(&pad).unwrap().na(Some(stand)).is_empty());
        assert_eq!(lees(&pad).unwrap().na(None)[0].toegangen, a);
    }
}

//! Archiving: entries older than the retention period (NEN 7513 practice: at least five years,
//! a setting of the CLI) move to a file and leave the live log, without breaking verification.
//!
//! The file holds the entries in canonical form with their MACs, the place the chain continued
//! from and a tag under the log's key over all of it:
//!
//! ```text
//! "traject-toegangslog-archief v1\n"
//! key id (16 ASCII hex digits) | number before the first entry (u64) | its MAC (16)
//! per entry: number (u64) | length (u32) | canonical bytes | MAC (16)
//! 0 (u64) | number of entries (u64) | tag (16)
//! ```
//!
//! The live log then starts after the last archived entry: its number and MAC are stored as a
//! tagged anchor ([`crate::keten::BEGIN_LIVE`]), so the next entry still checks out, and an
//! archive checks out on its own ([`verify`]) and joins the next one or the live log.

use std::future::Future;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::keten::{self, Anker, LogKey, Mac, Volger};
use crate::storage::{self, Sql};
use crate::{LogError, vorm};

const KOP: &[u8] = b"traject-toegangslog-archief v1\n";
const PAGINA: usize = 5_000;

/// What an archiving did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gearchiveerd {
    /// How many entries moved to the file.
    pub regels: u64,
    /// The last of them, as the live log's new start.
    pub tot: Option<Anker>,
}

/// What a verified archive holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archief {
    /// The number before its first entry and that entry's MAC.
    pub na: (u64, Mac),
    /// Its last entry's number and MAC.
    pub tot: (u64, Mac),
    /// How many entries.
    pub regels: u64,
    /// The first and last entry's time.
    pub periode: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The number of the last live entry before `tot`, if any.
pub(crate) fn laatste_voor(sql: &mut dyn Sql, tot: DateTime<Utc>) -> Result<Option<u64>, LogError> {
    let Some((kop, _, _)) = sql.kop()? else {
        return Ok(None);
    };
    Ok(storage::nummers(sql, None, Some(tot), kop)?.map(|(_, laatste)| laatste))
}

fn io(e: std::io::Error) -> LogError {
    LogError::Database(format!("archief: {e}"))
}

/// Writes the live entries up to number `laatste` to a new file at `naar` (never overwriting
/// one), read with `lees(na, aantal)` a page at a time, and syncs it. Returns how many and the
/// last entry as an anchor; `None` if there was nothing to archive.
pub(crate) async fn write<F, Fut>(
    naar: &Path,
    sleutel: &LogKey,
    begin: (u64, Mac),
    laatste: u64,
    lees: F,
) -> Result<Option<(u64, Anker)>, LogError>
where
    F: Fn(u64, usize) -> Fut,
    Fut: Future<Output = Result<Vec<(u64, Vec<u8>, Mac)>, LogError>>,
{
    let mut inhoud = Vec::from(KOP);
    inhoud.extend_from_slice(sleutel.id().as_bytes());
    // The place before the first live entry: where the chain continues from.
    inhoud.extend_from_slice(&begin.0.to_be_bytes());
    inhoud.extend_from_slice(&begin.1);
    let mut aantal = 0u64;
    let mut na = begin.0;
    let mut laatste_regel = None;
    while na < laatste {
        let regels = lees(na, PAGINA).await?;
        if regels.is_empty() {
            break;
        }
        for (nr, canoniek, mac) in regels.into_iter().filter(|(nr, _, _)| *nr <= laatste) {
            inhoud.extend_from_slice(&nr.to_be_bytes());
            inhoud.extend_from_slice(&(canoniek.len() as u32).to_be_bytes());
            inhoud.extend_from_slice(&canoniek);
            inhoud.extend_from_slice(&mac);
            aantal += 1;
            laatste_regel = Some((nr, canoniek, mac));
        }
        na = laatste_regel.as_ref().map_or(laatste, |r| r.0);
    }
    let Some((nr, canoniek, mac)) = laatste_regel else {
        return Ok(None);
    };
    inhoud.extend_from_slice(&0u64.to_be_bytes());
    inhoud.extend_from_slice(&aantal.to_be_bytes());
    let tag = sleutel.archief_tag(&inhoud);
    inhoud.extend_from_slice(&tag);
    let mut bestand = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(naar)
        .map_err(io)?;
    bestand.write_all(&inhoud).map_err(io)?;
    bestand.sync_all().map_err(io)?;
    let tijd = vorm::uit_canoniek(&canoniek)
        .map_err(|_| LogError::Onleesbaar("archief"))?
        .tijd;
    Ok(Some((
        aantal,
        sleutel.anker(keten::BEGIN_LIVE, nr, tijd, mac),
    )))
}

/// Verifies an archive file: its tag, and its chain from the place before its first entry
/// ([`Archief::na`], where it joins the archive before it) to its last.
pub fn verify(pad: &Path, sleutel: &LogKey) -> Result<Archief, LogError> {
    let mut inhoud = Vec::new();
    std::fs::File::open(pad)
        .and_then(|mut f| f.read_to_end(&mut inhoud))
        .map_err(io)?;
    let fout = |reden: &'static str| LogError::Onleesbaar(reden);
    if inhoud.len() < KOP.len() + 16 + 24 + 16 || !inhoud.starts_with(KOP) {
        return Err(fout("geen archief van de toegangslog"));
    }
    let (romp, tag) = inhoud.split_at(inhoud.len() - 16);
    if !keten::hmac_gelijk(
        &sleutel.archief_tag(romp),
        tag.try_into().expect("16 bytes"),
    ) {
        return Err(fout(
            "archief is gewijzigd of met een andere sleutel geschreven",
        ));
    }
    let mut l = &romp[KOP.len() + 16..];
    let mut neem = |n: usize| -> Result<&[u8], LogError> {
        if l.len() < n {
            return Err(fout("archief is afgebroken"));
        }
        let (kop, rest) = l.split_at(n);
        l = rest;
        Ok(kop)
    };
    let u64_van = |b: &[u8]| u64::from_be_bytes(b.try_into().expect("8 bytes"));
    let voor = u64_van(neem(8)?);
    let vorige: Mac = neem(16)?.try_into().expect("16 bytes");
    let mut volger = Volger {
        nr: voor,
        mac: vorige,
        tijd: DateTime::<Utc>::MIN_UTC,
    };
    let mut periode = None::<(DateTime<Utc>, DateTime<Utc>)>;
    let mut aantal = 0u64;
    loop {
        let nr = u64_van(neem(8)?);
        if nr == 0 {
            break;
        }
        let lengte = u32::from_be_bytes(neem(4)?.try_into().expect("4 bytes")) as usize;
        let canoniek = neem(lengte)?.to_vec();
        let mac: Mac = neem(16)?.try_into().expect("16 bytes");
        let t = vorm::uit_canoniek(&canoniek).map_err(|_| fout("archiefregel onleesbaar"))?;
        volger
            .volg(sleutel, nr, t.tijd, &canoniek, &mac)
            .map_err(|b| fout(b.reden))?;
        periode = Some((periode.map_or(t.tijd, |p| p.0), t.tijd));
        aantal += 1;
    }
    if u64_van(neem(8)?) != aantal || !l.is_empty() {
        return Err(fout("archief telt niet wat het bevat"));
    }
    if aantal == 0 {
        return Err(fout("leeg archief"));
    }
    Ok(Archief {
        na: (voor, vorige),
        tot: (volger.nr, volger.mac),
        regels: aantal,
        periode,
    })
}

/// Whether the live log (its stored start) continues where the archive `a` ends.
pub(crate) fn continues_from(
    sql: &mut dyn Sql,
    sleutel: &LogKey,
    a: &Archief,
) -> Result<bool, LogError> {
    let begin = storage::begin(sql, sleutel)?;
    Ok(begin.nr == a.tot.0 && begin.mac == a.tot.1)
}

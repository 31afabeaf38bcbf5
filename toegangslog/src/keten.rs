//! The keyed chain: each entry's MAC is HMAC-SHA-256 (truncated to 128 bits) under the log's key
//! over the previous entry's MAC, the entry's number and its canonical bytes. Without the key,
//! which lives in a file outside the database like the vault's master key, nobody can change,
//! insert, remove or reorder an entry and make the chain hold again.
//!
//! What a chain cannot show on its own is that its newest entries were cut off. For that the
//! writer stores a **checkpoint** of the head every [`CHECKPOINT_ELKE`] entries (and at least
//! once per [`CHECKPOINT_MINSTENS`]): the entry's number, time and MAC with a tag under the key.
//! The beheerder exports one now and then and keeps it outside the system; checked later, it
//! shows whether the log still reaches that entry with that MAC. The same kind of tag protects
//! the last verified place ([`Anker`]) and the start of the live log after archiving, so neither
//! can be moved by someone who edits the database.

use std::path::Path;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac as _};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::vorm;

/// A MAC in the chain.
pub type Mac = [u8; 16];
/// The "previous MAC" of the very first entry.
pub const BEGIN: Mac = [0; 16];
/// A checkpoint is stored after this many entries ...
pub const CHECKPOINT_ELKE: u64 = 10_000;
/// ... and at least this often while entries are written.
pub const CHECKPOINT_MINSTENS: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// The log's key. `Debug` shows only its id.
pub struct LogKey {
    sleutel: Zeroizing<[u8; 32]>,
    id: String,
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Why the key could not be loaded.
pub type KeyError = traject_kluis::key::KeyError;

impl LogKey {
    fn uit(sleutel: Zeroizing<[u8; 32]>) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"traject/toegangslog/sleutel-id/v1:");
        hasher.update(sleutel.as_ref());
        let id = hex::encode(&hasher.finalize()[..8]);
        Self { sleutel, id }
    }

    /// A new random key (tests, and the first start in development mode).
    pub fn random() -> Self {
        Self::uit(traject_kluis::key::random_key())
    }

    /// Reads the key file at `pad` (64 hex digits).
    pub fn load(pad: &Path) -> Result<Self, KeyError> {
        traject_kluis::key::read_key_file(pad).map(Self::uit)
    }

    /// The key in the file at `pad`, or a new one written there, readable by its owner only, if
    /// the file does not exist (development mode).
    pub fn load_or_create(pad: &Path) -> Result<Self, KeyError> {
        if pad.exists() {
            return Self::load(pad);
        }
        let sleutel = Self::random();
        traject_kluis::key::save_key_file(pad, &sleutel.sleutel)?;
        tracing::info!(path = %pad.display(), id = %sleutel.id, "new toegangslog key created");
        Ok(sleutel)
    }

    /// The key's id, stored in the log so that a server started with another key refuses.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn tag(&self, label: &[u8], delen: &[&[u8]]) -> [u8; 16] {
        let mut mac = <Hmac<Sha256>>::new_from_slice(self.sleutel.as_ref())
            .expect("HMAC takes a key of any length");
        mac.update(label);
        for deel in delen {
            mac.update(&(deel.len() as u64).to_be_bytes());
            mac.update(deel);
        }
        let mut uit = [0u8; 16];
        uit.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        uit
    }

    /// The MAC of entry `nr` with canonical bytes `canoniek` after an entry with MAC `vorige`.
    pub fn mac(&self, vorige: &Mac, nr: u64, canoniek: &[u8]) -> Mac {
        self.tag(
            b"traject/toegangslog/regel/v1",
            &[vorige, &nr.to_be_bytes(), canoniek],
        )
    }

    /// The tag of a place in the chain of kind `soort` ([`Anker`]).
    fn anker_tag(&self, soort: &str, nr: u64, tijd: i64, mac: &Mac) -> [u8; 16] {
        self.tag(
            b"traject/toegangslog/anker/v1",
            &[
                soort.as_bytes(),
                &nr.to_be_bytes(),
                &tijd.to_be_bytes(),
                mac,
            ],
        )
    }

    /// A tagged place in the chain.
    pub fn anker(&self, soort: &'static str, nr: u64, tijd: DateTime<Utc>, mac: Mac) -> Anker {
        let micros = vorm::microseconden(tijd);
        Anker {
            soort,
            nr,
            tijd: vorm::tijd_van(micros),
            mac,
            tag: self.anker_tag(soort, nr, micros, &mac),
        }
    }

    /// Whether `anker` was made with this key.
    pub fn echt(&self, anker: &Anker) -> bool {
        let verwacht = self.anker_tag(
            anker.soort,
            anker.nr,
            vorm::microseconden(anker.tijd),
            &anker.mac,
        );
        // Constant-time comparison through the MAC's own verification.
        hmac_gelijk(&verwacht, &anker.tag)
    }

    /// The tag over a whole archive file's bytes.
    pub fn archief_tag(&self, inhoud: &[u8]) -> [u8; 16] {
        self.tag(
            b"traject/toegangslog/archief/v1",
            &[&Sha256::digest(inhoud)],
        )
    }
}

/// Whether two tags are equal, in time that does not depend on where they differ.
pub fn hmac_gelijk(a: &[u8; 16], b: &[u8; 16]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A tagged place in the chain: a checkpoint, the last verified entry or the start of the live
/// log after archiving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anker {
    /// What kind of place ([`CHECKPOINT`], [`GECONTROLEERD`], [`BEGIN_LIVE`]).
    pub soort: &'static str,
    /// The entry's number (0: before the first entry).
    pub nr: u64,
    /// The entry's time.
    pub tijd: DateTime<Utc>,
    /// The entry's MAC.
    pub mac: Mac,
    /// The tag under the log's key.
    pub tag: [u8; 16],
}

/// A checkpoint of the head.
pub const CHECKPOINT: &str = "checkpoint";
/// The last entry the chain was verified up to.
pub const GECONTROLEERD: &str = "gecontroleerd";
/// The entry before the first live one (the last archived), or 0 with [`BEGIN`].
pub const BEGIN_LIVE: &str = "begin";

impl Anker {
    /// The text form a beheerder exports and hands back later:
    /// `traject-toegangslog:<soort>:<nr>:<microseconds>:<mac>:<tag>`.
    pub fn als_tekst(&self) -> String {
        format!(
            "traject-toegangslog:{}:{}:{}:{}:{}",
            self.soort,
            self.nr,
            vorm::microseconden(self.tijd),
            hex::encode(self.mac),
            hex::encode(self.tag)
        )
    }

    /// Reads [`Self::als_tekst`]'s form; `None` if it is not one.
    pub fn uit_tekst(tekst: &str) -> Option<Self> {
        let delen: Vec<&str> = tekst.trim().split(':').collect();
        let [voor, soort, nr, tijd, mac, tag] = delen.as_slice() else {
            return None;
        };
        if *voor != "traject-toegangslog" {
            return None;
        }
        let soort = [CHECKPOINT, GECONTROLEERD, BEGIN_LIVE]
            .into_iter()
            .find(|s| s == soort)?;
        let mut m = [0u8; 16];
        let mut t = [0u8; 16];
        hex::decode_to_slice(mac, &mut m).ok()?;
        hex::decode_to_slice(tag, &mut t).ok()?;
        Some(Anker {
            soort,
            nr: nr.parse().ok()?,
            tijd: vorm::tijd_van(tijd.parse().ok()?),
            mac: m,
            tag: t,
        })
    }

    /// The stored bytes: number, time, MAC and tag.
    pub fn als_bytes(&self) -> Vec<u8> {
        [
            &self.nr.to_be_bytes()[..],
            &vorm::microseconden(self.tijd).to_be_bytes(),
            &self.mac,
            &self.tag,
        ]
        .concat()
    }

    /// Reads [`Self::als_bytes`] for a place of kind `soort`.
    pub fn uit_bytes(soort: &'static str, b: &[u8]) -> Option<Self> {
        if b.len() != 48 {
            return None;
        }
        Some(Anker {
            soort,
            nr: u64::from_be_bytes(b[..8].try_into().ok()?),
            tijd: vorm::tijd_van(i64::from_be_bytes(b[8..16].try_into().ok()?)),
            mac: b[16..32].try_into().ok()?,
            tag: b[32..48].try_into().ok()?,
        })
    }
}

/// Follows the chain entry by entry from a verified place.
#[derive(Debug, Clone)]
pub struct Volger {
    /// The number of the last entry that checked out.
    pub nr: u64,
    pub mac: Mac,
    /// Its time.
    pub tijd: DateTime<Utc>,
}

/// Every reason a check can give, in a fixed order: a break is stored by its index.
pub const REDENEN: [&str; 9] = [
    "regels ontbreken",
    "volgorde gewijzigd",
    "regel gewijzigd of verplaatst",
    "regel onleesbaar",
    "de nieuwste regels zijn verwijderd",
    "checkpoint niet door deze log getekend",
    "regel van een checkpoint gewijzigd",
    "de laatst gecontroleerde plaats is gewijzigd",
    "het overzicht per cliënt week af van de regels en is opnieuw opgebouwd",
];

/// Where and why the chain broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breuk {
    /// The first entry that does not check out (or, for a gap, the number expected there).
    pub nr: u64,
    /// Its time, if the entry is there.
    pub tijd: Option<DateTime<Utc>>,
    /// What is wrong.
    pub reden: &'static str,
}

impl Breuk {
    /// The stored form: number, time (microseconds, or `i64::MIN`) and the reason's index.
    pub fn als_bytes(&self) -> Vec<u8> {
        let reden = REDENEN.iter().position(|r| *r == self.reden).unwrap_or(0) as u8;
        [
            &self.nr.to_be_bytes()[..],
            &self
                .tijd
                .map_or(i64::MIN, vorm::microseconden)
                .to_be_bytes(),
            &[reden],
        ]
        .concat()
    }

    /// Reads [`Self::als_bytes`].
    pub fn uit_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 17 {
            return None;
        }
        let tijd = i64::from_be_bytes(b[8..16].try_into().ok()?);
        Some(Breuk {
            nr: u64::from_be_bytes(b[..8].try_into().ok()?),
            tijd: (tijd != i64::MIN).then(|| vorm::tijd_van(tijd)),
            reden: REDENEN.get(usize::from(b[16]))?,
        })
    }
}

impl Volger {
    /// Checks the entry `nr` with MAC `mac` and canonical bytes `canoniek` against the last one.
    pub fn volg(
        &mut self,
        sleutel: &LogKey,
        nr: u64,
        tijd: DateTime<Utc>,
        canoniek: &[u8],
        mac: &Mac,
    ) -> Result<(), Breuk> {
        if nr != self.nr + 1 {
            return Err(Breuk {
                nr: self.nr + 1,
                tijd: None,
                reden: if nr > self.nr + 1 {
                    "regels ontbreken"
                } else {
                    "volgorde gewijzigd"
                },
            });
        }
        if !hmac_gelijk(&sleutel.mac(&self.mac, nr, canoniek), mac) {
            return Err(Breuk {
                nr,
                tijd: Some(tijd),
                reden: "regel gewijzigd of verplaatst",
            });
        }
        self.nr = nr;
        self.mac = *mac;
        self.tijd = tijd;
        Ok(())
    }
}

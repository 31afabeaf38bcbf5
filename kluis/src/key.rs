//! The master key and the sealing of one client's personal data and free text.
//!
//! Each client has a data key of their own ([`ClientKey`], 256 bits, random), made once and
//! kept until erasure. Their personal data and the free text in their events (an employer's
//! name, a job title) are encrypted with it, and the data key is encrypted ("wrapped") with the
//! master key; all with XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`), a random 192-bit
//! nonce per encryption and the client's id in the associated data (and for free text the
//! field's name), so that a record or a sealed text moved to another client or field does not
//! open. Destroying a client's wrapped key makes all of it unreadable for good, wherever copies
//! of the events went.
//!
//! The master key lives in a file of 64 hex digits, outside the database. Its id (16 hex digits
//! of a SHA-256 over a label and the key) is stored with every record, so that a server started
//! with another key refuses to start instead of failing on every read.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::storage::Sealed;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};
use traject_domain::value::Persoonsgegevens;
use uuid::Uuid;
use zeroize::Zeroizing;

const NONCE: usize = 24;
const AAD_SLEUTEL: &[u8] = b"traject/kluis/sleutel/v1:";
const AAD_GEGEVENS: &[u8] = b"traject/kluis/gegevens/v1:";
const AAD_TEKST: &[u8] = b"traject/kluis/tekst/v1:";
/// Free text is padded to a multiple of this many bytes before it is sealed.
pub const BLOK: usize = 32;

/// A client's data key, unwrapped. `Debug` shows nothing of it; zeroed when dropped.
pub struct ClientKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientKey(..)")
    }
}

impl ClientKey {
    /// A new random data key.
    pub fn random() -> Self {
        Self(willekeurig::<32>())
    }

    /// `gegevens` sealed for `client`.
    pub fn seal_gegevens(&self, client: Uuid, gegevens: &Persoonsgegevens) -> Vec<u8> {
        let json = Zeroizing::new(serde_json::to_vec(gegevens).expect("personal data serialises"));
        versleutel(&self.0, &aad(AAD_GEGEVENS, client), &json)
    }

    /// `client`'s sealed personal data, opened.
    pub fn open_gegevens(&self, client: Uuid, bytes: &[u8]) -> Result<Persoonsgegevens, KeyError> {
        let json = ontsleutel(&self.0, &aad(AAD_GEGEVENS, client), bytes)
            .ok_or(KeyError::Onleesbaar(client))?;
        serde_json::from_slice(&json).map_err(|_| KeyError::Onleesbaar(client))
    }

    /// The free text `tekst` of field `veld` of `client`'s event `event`, sealed: the
    /// ciphertext with its tag, without the nonce, which follows from the event and the field
    /// (and so costs no stored bytes). The same event sealed twice (a retried command, from
    /// another request) gives the same bytes and the store recognises the retry; texts of
    /// different events never share a nonce, so equal texts are not linkable. One (event, field)
    /// is stored once: an event id used again for other content is refused before it is stored.
    ///
    /// The text is padded to a multiple of [`BLOK`] bytes first, so that its length shows only
    /// roughly: a short list of employers is not told apart by the length of their names.
    pub fn seal_text(&self, client: Uuid, event: Uuid, veld: &str, tekst: &str) -> Vec<u8> {
        let mut opgevuld = Zeroizing::new(tekst.as_bytes().to_vec());
        opgevuld.push(0x80);
        let lengte = opgevuld.len().div_ceil(BLOK) * BLOK;
        opgevuld.resize(lengte, 0);
        XChaCha20Poly1305::new((&*self.0).into())
            .encrypt(
                &XNonce::from(tekst_nonce(client, event, veld)),
                Payload {
                    msg: &opgevuld,
                    aad: &tekst_aad(client, veld),
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any message of this size")
    }

    /// What [`Self::seal_text`] sealed; `None` if it does not open (another client, event,
    /// field or key, or damaged).
    pub fn open_text(&self, client: Uuid, event: Uuid, veld: &str, bytes: &[u8]) -> Option<String> {
        let tekst = XChaCha20Poly1305::new((&*self.0).into())
            .decrypt(
                &XNonce::from(tekst_nonce(client, event, veld)),
                Payload {
                    msg: bytes,
                    aad: &tekst_aad(client, veld),
                },
            )
            .ok()
            .map(Zeroizing::new)?;
        // The padding: 0x80, then zeros.
        let einde = tekst.iter().rposition(|b| *b != 0)?;
        if tekst[einde] != 0x80 {
            return None;
        }
        String::from_utf8(tekst[..einde].to_vec()).ok()
    }
}

fn tekst_aad(client: Uuid, veld: &str) -> Vec<u8> {
    [AAD_TEKST, client.as_bytes(), b":", veld.as_bytes()].concat()
}

fn tekst_nonce(client: Uuid, event: Uuid, veld: &str) -> [u8; NONCE] {
    let mut hasher = Sha256::new();
    hasher.update(b"traject/kluis/tekst-nonce/v1:");
    hasher.update(client.as_bytes());
    hasher.update(event.as_bytes());
    hasher.update(veld.as_bytes());
    let mut nonce = [0u8; NONCE];
    nonce.copy_from_slice(&hasher.finalize()[..NONCE]);
    nonce
}

/// Why a key could not be loaded or a record not be opened. Never carries key material or
/// personal data.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("sleutelbestand {pad}: {fout}")]
    Bestand {
        /// The file.
        pad: PathBuf,
        /// What went wrong.
        fout: std::io::Error,
    },
    /// The key file does not hold 64 hex digits.
    #[error("sleutelbestand {0}: het bestand moet precies 64 hexadecimale tekens bevatten")]
    Formaat(PathBuf),
    /// A record does not open with this master key (another key, or damaged).
    #[error("kluisrecord van client {0} opent niet met deze hoofdsleutel")]
    Onleesbaar(Uuid),
}

/// The master key. `Debug` shows only its id.
pub struct MasterKey {
    sleutel: Zeroizing<[u8; 32]>,
    id: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn willekeurig<const N: usize>() -> Zeroizing<[u8; N]> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).expect("the operating system's random source");
    bytes
}

/// A new random 256-bit key.
pub fn random_key() -> Zeroizing<[u8; 32]> {
    willekeurig::<32>()
}

/// Reads a key file: 64 hex digits (and white space around them). The master key and the access
/// log's chain key are both kept this way, outside the database.
pub fn read_key_file(pad: &Path) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let tekst = Zeroizing::new(
        std::fs::read_to_string(pad).map_err(|fout| KeyError::Bestand {
            pad: pad.to_owned(),
            fout,
        })?,
    );
    let mut sleutel = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(tekst.trim(), sleutel.as_mut())
        .map_err(|_| KeyError::Formaat(pad.to_owned()))?;
    Ok(sleutel)
}

/// Writes `sleutel` to a new key file at `pad`, readable by its owner only; an existing file is
/// never overwritten.
pub fn save_key_file(pad: &Path, sleutel: &[u8; 32]) -> Result<(), KeyError> {
    let fout = |fout| KeyError::Bestand {
        pad: pad.to_owned(),
        fout,
    };
    let mut opties = std::fs::OpenOptions::new();
    opties.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opties, 0o600);
    let mut bestand = opties.open(pad).map_err(fout)?;
    let tekst = Zeroizing::new(format!("{}\n", hex::encode(sleutel)));
    bestand.write_all(tekst.as_bytes()).map_err(fout)?;
    bestand.sync_all().map_err(fout)
}

fn aad(label: &[u8], client: Uuid) -> Vec<u8> {
    [label, client.as_bytes()].concat()
}

fn versleutel(sleutel: &[u8; 32], aad: &[u8], inhoud: &[u8]) -> Vec<u8> {
    let nonce = willekeurig::<NONCE>();
    let versleuteld = XChaCha20Poly1305::new(sleutel.into())
        .encrypt(&XNonce::from(*nonce), Payload { msg: inhoud, aad })
        .expect("XChaCha20-Poly1305 encrypts any message of this size");
    [nonce.as_ref(), &versleuteld].concat()
}

fn ontsleutel(sleutel: &[u8; 32], aad: &[u8], bytes: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if bytes.len() < NONCE {
        return None;
    }
    let (nonce, versleuteld) = bytes.split_at(NONCE);
    let nonce: [u8; NONCE] = nonce.try_into().ok()?;
    XChaCha20Poly1305::new(sleutel.into())
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: versleuteld,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

impl MasterKey {
    /// A new random master key.
    pub fn random() -> Self {
        Self::uit(willekeurig::<32>())
    }

    fn uit(sleutel: Zeroizing<[u8; 32]>) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"traject/kluis/hoofdsleutel-id/v1:");
        hasher.update(sleutel.as_ref());
        let id = hex::encode(&hasher.finalize()[..8]);
        Self { sleutel, id }
    }

    /// Reads the key file at `pad`.
    pub fn load(pad: &Path) -> Result<Self, KeyError> {
        read_key_file(pad).map(Self::uit)
    }

    /// Writes this key to a new file at `pad`, readable by its owner only; an existing file is
    /// never overwritten.
    pub fn save(&self, pad: &Path) -> Result<(), KeyError> {
        save_key_file(pad, &self.sleutel)
    }

    /// The key in the file at `pad`, or a new one written there if the file does not exist
    /// (development and demo mode only).
    pub fn load_or_create(pad: &Path) -> Result<Self, KeyError> {
        if pad.exists() {
            return Self::load(pad);
        }
        let sleutel = Self::random();
        sleutel.save(pad)?;
        tracing::info!(path = %pad.display(), id = %sleutel.id, "new kluis master key created");
        Ok(sleutel)
    }

    /// Destroys the key file at `pad`: overwrites its bytes with random ones, syncs, and removes
    /// it. After a rotation no record of the vault needs the old key any more; only copies made
    /// before (backups, PostgreSQL's old row versions) do, and destroying it is what makes an
    /// erasure reach them.
    pub fn destroy_file(pad: &Path) -> Result<(), KeyError> {
        let fout = |fout| KeyError::Bestand {
            pad: pad.to_owned(),
            fout,
        };
        let lengte = std::fs::metadata(pad).map_err(fout)?.len() as usize;
        let mut bestand = std::fs::OpenOptions::new()
            .write(true)
            .open(pad)
            .map_err(fout)?;
        let mut ruis = vec![0u8; lengte];
        getrandom::fill(&mut ruis).map_err(|e| fout(std::io::Error::other(e.to_string())))?;
        bestand.write_all(&ruis).map_err(fout)?;
        bestand.sync_all().map_err(fout)?;
        drop(bestand);
        std::fs::remove_file(pad).map_err(fout)?;
        if let Some(map) = pad.parent().filter(|m| !m.as_os_str().is_empty())
            && let Ok(map) = std::fs::File::open(map)
        {
            let _ = map.sync_all(); // the removal itself made durable where the OS allows
        }
        Ok(())
    }

    /// The key's id, as stored with every record it wraps.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `client`'s data key wrapped by this key, as a record without personal data yet.
    pub fn wrap(&self, client: Uuid, sleutel: &ClientKey) -> Sealed {
        Sealed {
            sleutel_id: self.id.clone(),
            sleutel: versleutel(&self.sleutel, &aad(AAD_SLEUTEL, client), sleutel.0.as_ref()),
            gegevens: None,
        }
    }

    /// Seals `gegevens` for a new `client` under a new data key.
    pub fn seal(&self, client: Uuid, gegevens: &Persoonsgegevens) -> Sealed {
        let sleutel = ClientKey::random();
        Sealed {
            gegevens: Some(sleutel.seal_gegevens(client, gegevens)),
            ..self.wrap(client, &sleutel)
        }
    }

    /// The record's data key, unwrapped.
    pub fn unwrap_key(&self, client: Uuid, verzegeld: &Sealed) -> Result<ClientKey, KeyError> {
        let bytes = ontsleutel(&self.sleutel, &aad(AAD_SLEUTEL, client), &verzegeld.sleutel)
            .filter(|b| b.len() == 32)
            .ok_or(KeyError::Onleesbaar(client))?;
        let mut sleutel = Zeroizing::new([0u8; 32]);
        sleutel.copy_from_slice(&bytes);
        Ok(ClientKey(sleutel))
    }

    /// Opens `client`'s sealed personal data; `None` if the record holds none yet.
    pub fn open(
        &self,
        client: Uuid,
        verzegeld: &Sealed,
    ) -> Result<Option<Persoonsgegevens>, KeyError> {
        let Some(gegevens) = &verzegeld.gegevens else {
            return Ok(None);
        };
        self.unwrap_key(client, verzegeld)?
            .open_gegevens(client, gegevens)
            .map(Some)
    }

    /// The record's data key wrapped by `nieuw` instead of this key (key rotation).
    pub fn rewrap(
        &self,
        nieuw: &MasterKey,
        client: Uuid,
        verzegeld: &Sealed,
    ) -> Result<Vec<u8>, KeyError> {
        let sleutel = self.unwrap_key(client, verzegeld)?;
        Ok(nieuw.wrap(client, &sleutel).sleutel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use traject_domain::value::{Geboortedatum, Naam};

    fn gegevens() -> Persoonsgegevens {
        let vandaag = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Persoonsgegevens {
            naam: Naam::parse("Wilhelmina Zwartkruis").unwrap(),
            geboortedatum: Geboortedatum::parse("1979-04-02", vandaag).unwrap(),
            telefoon: None,
            email: None,
            bsn: None,
        }
    }

    #[test]
    fn sealed_data_opens_only_with_its_key_and_for_its_client() {
        let sleutel = MasterKey::random();
        let client = Uuid::now_v7();
        let verzegeld = sleutel.seal(client, &gegevens());
        assert!(sleutel.open(client, &verzegeld).unwrap() == Some(gegevens()));
        let zichtbaar = [
            verzegeld.sleutel.as_slice(),
            verzegeld.gegevens.as_ref().unwrap(),
        ]
        .concat();
        assert!(!zichtbaar.windows(10).any(|w| w == b"Zwartkruis"));
        assert!(matches!(
            MasterKey::random().open(client, &verzegeld),
            Err(KeyError::Onleesbaar(_))
        ));
        assert!(matches!(
            sleutel.open(Uuid::now_v7(), &verzegeld),
            Err(KeyError::Onleesbaar(_))
        ));
        let mut beschadigd = verzegeld.clone();
        *beschadigd.gegevens.as_mut().unwrap().last_mut().unwrap() ^= 1;
        assert!(sleutel.open(client, &beschadigd).is_err());
    }

    #[test]
    fn a_rewrapped_record_opens_with_the_new_key_only() {
        let (oud, nieuw) = (MasterKey::random(), MasterKey::random());
        let client = Uuid::now_v7();
        let mut verzegeld = oud.seal(client, &gegevens());
        verzegeld.sleutel = oud.rewrap(&nieuw, client, &verzegeld).unwrap();
        verzegeld.sleutel_id = nieuw.id().to_owned();
        assert!(nieuw.open(client, &verzegeld).unwrap() == Some(gegevens()));
        assert!(oud.open(client, &verzegeld).is_err());
    }

    #[test]
    fn free_text_opens_only_for_its_client_and_field() {
        let sleutel = ClientKey::random();
        let client = Uuid::now_v7();
        let event = Uuid::now_v7();
        let dicht = sleutel.seal_text(client, event, "werkgever", "Klusbedrijf Xylofoonmeester");
        assert!(!dicht.windows(8).any(|w| w == b"Xylofoon"));
        assert_eq!(
            sleutel
                .open_text(client, event, "werkgever", &dicht)
                .as_deref(),
            Some("Klusbedrijf Xylofoonmeester")
        );
        assert_eq!(sleutel.open_text(client, event, "functie", &dicht), None);
        assert_eq!(
            sleutel.open_text(client, Uuid::now_v7(), "werkgever", &dicht),
            None
        );
        // Only the padded ciphertext and its tag are stored: the nonce follows from the event,
        // and names of different lengths within a block look alike.
        assert_eq!(dicht.len(), 32 + 16);
        assert_eq!(
            sleutel
                .seal_text(client, event, "werkgever", "Albert Heijn")
                .len(),
            dicht.len()
        );
        let lang = "x".repeat(120);
        let dicht_lang = sleutel.seal_text(client, event, "functie", &lang);
        assert_eq!(dicht_lang.len(), 128 + 16);
        assert_eq!(
            sleutel.open_text(client, event, "functie", &dicht_lang),
            Some(lang)
        );
        assert_eq!(
            sleutel
                .open_text(
                    client,
                    event,
                    "functie",
                    &sleutel.seal_text(client, event, "functie", "")
                )
                .as_deref(),
            Some("")
        );
        assert_eq!(
            sleutel.open_text(Uuid::now_v7(), event, "werkgever", &dicht),
            None
        );
        assert_eq!(
            ClientKey::random().open_text(client, event, "werkgever", &dicht),
            None
        );
        // One event sealed again gives the same bytes (a retry); the same text in another
        // event gives other bytes, so equal texts are not linkable.
        assert_eq!(
            dicht,
            sleutel.seal_text(client, event, "werkgever", "Klusbedrijf Xylofoonmeester")
        );
        assert_ne!(
            dicht,
            sleutel.seal_text(
                client,
                Uuid::now_v7(),
                "werkgever",
                "Klusbedrijf Xylofoonmeester"
            )
        );
    }

    #[test]
    fn a_key_file_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let pad = dir.path().join("kluis.sleutel");
        let gemaakt = MasterKey::load_or_create(&pad).unwrap();
        let gelezen = MasterKey::load_or_create(&pad).unwrap();
        assert_eq!(gemaakt.id(), gelezen.id());
        assert!(
            gemaakt.save(&pad).is_err(),
            "an existing key file is never overwritten"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let modus = std::fs::metadata(&pad).unwrap().permissions().mode();
            assert_eq!(modus & 0o777, 0o600);
        }
        std::fs::write(&pad, "geen sleutel").unwrap();
        assert!(matches!(MasterKey::load(&pad), Err(KeyError::Formaat(_))));
        assert!(!format!("{gemaakt:?}").contains(&hex::encode(gemaakt.sleutel.as_ref())));
    }
}

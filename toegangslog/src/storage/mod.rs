//! Where the log is kept: tables in SQLite (a file of its own beside the embedded store) or in
//! PostgreSQL (beside the events). Both backends implement the small `Sql` trait, one
//! transaction's operations; everything else (chaining, numbering, searching, verifying) is
//! written once here against it.
//!
//! # The tables (`toegangslog_*`)
//! - `regel`: one row per entry, numbered in chain order. Texts are numbers into `woord` (a
//!   dictionary per kind: users, roles, event codes, rules, organisations, sources), the clients
//!   a number into `groep`, and the MAC is 16 bytes: about 70 bytes a row.
//! - `groep`: a set of clients shown together (a caseload page), stored once as delta-coded
//!   client numbers; `client` numbers the client ids; `client_groep` indexes which groups hold a
//!   client. A coach who opens the same caseload page a hundred times stores its fifty clients
//!   once, not a hundred times.
//! - `inzage`: per group, user and role, how many accesses were allowed and refused, the first
//!   and last, and the event codes as a bit set: the per-client overview sums a client's groups
//!   without reading entries.
//! - `checkpoint`: the tagged checkpoints of the head ([`crate::keten`]); `meta`: the key's id,
//!   the inbox's progress, the start of the live log and the last verified place.
//!
//! Indexes: entries by (user, number) and by (group, number). A search walks numbers downwards
//! (newest first); a period becomes a range of numbers, because the writer never gives an entry
//! an earlier time than the one before it.

pub mod postgres;
pub mod sqlite;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use traject_domain::value::{ClientId, TrajectId};

use crate::keten::{self, Anker, Breuk, LogKey, Mac, Volger};
use crate::toegang::{Actie, Logregel, Resultaat, Toegang};
use crate::vorm;
use crate::{Controle, Inzager, LogError, Pagina, Zoekopdracht};

/// The kinds of word in the dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub(crate) enum Soort {
    Gebruiker = 1,
    Rol = 2,
    Code = 3,
    Regel = 4,
    Organisatie = 5,
    Bron = 6,
}

/// An entry as a row: texts as dictionary numbers, clients as a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rij {
    pub nr: u64,
    pub tijd: i64,
    pub gebruiker: i64,
    pub code: i64,
    pub actie: u8,
    pub resultaat: u8,
    pub rol: i64,
    pub organisatie: Option<i64>,
    pub regel: i64,
    pub bron: i64,
    pub groep: Option<i64>,
    pub traject: Option<[u8; 16]>,
    pub correlatie: [u8; 16],
    pub mac: Mac,
}

/// What a search asks of the rows, in numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub gebruiker: Option<i64>,
    pub rol: Option<i64>,
    pub actie: Option<u8>,
    pub resultaat: Option<u8>,
    pub groep: Option<i64>,
    /// The lowest and highest number to look at.
    pub van: u64,
    pub tot: u64,
}

/// One row of the `inzage` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InzageRij {
    pub groep: i64,
    pub gebruiker: i64,
    pub rol: i64,
    pub gelukt: i64,
    pub geweigerd: i64,
    pub eerste: i64,
    pub laatste: i64,
    pub codes: i64,
}

/// One transaction's operations on the log's tables.
pub(crate) trait Sql {
    /// Takes the log's write lock for the rest of the transaction (several servers on one
    /// database chain one after another).
    fn vergrendel(&mut self) -> Result<(), LogError>;
    /// The newest entry: number, time and MAC.
    fn kop(&mut self) -> Result<Option<(u64, i64, Mac)>, LogError>;
    /// The lowest number still in the log.
    fn eerste_nr(&mut self) -> Result<Option<u64>, LogError>;
    /// The number and time of the first entry numbered `nr` or higher.
    fn vanaf_nr(&mut self, nr: u64) -> Result<Option<(u64, i64)>, LogError>;
    fn zoek_woord(&mut self, soort: Soort, tekst: &str) -> Result<Option<i64>, LogError>;
    fn nieuw_woord(&mut self, soort: Soort, tekst: &str) -> Result<i64, LogError>;
    fn woord(&mut self, soort: Soort, nr: i64) -> Result<Option<String>, LogError>;
    fn zoek_client(&mut self, id: &uuid::Uuid) -> Result<Option<i64>, LogError>;
    fn nieuwe_client(&mut self, id: &uuid::Uuid) -> Result<i64, LogError>;
    fn client(&mut self, nr: i64) -> Result<Option<uuid::Uuid>, LogError>;
    fn zoek_groep(&mut self, sleutel: &[u8; 16]) -> Result<Option<i64>, LogError>;
    /// A new group with its index rows.
    fn nieuwe_groep(
        &mut self,
        sleutel: &[u8; 16],
        inhoud: &[u8],
        clients: &[i64],
    ) -> Result<i64, LogError>;
    fn groep(&mut self, nr: i64) -> Result<Option<Vec<u8>>, LogError>;
    fn groepen_van(&mut self, client: i64) -> Result<Vec<i64>, LogError>;
    fn schrijf_rij(&mut self, rij: &Rij) -> Result<(), LogError>;
    /// Adds to the counts of one group, user and role.
    fn tel_inzage(&mut self, rij: &InzageRij) -> Result<(), LogError>;
    fn inzage(&mut self, groepen: &[i64]) -> Result<Vec<InzageRij>, LogError>;
    /// Every row of the per-client counts.
    fn inzage_alle(&mut self) -> Result<Vec<InzageRij>, LogError>;
    /// Empties the per-client counts (before they are built again from the entries).
    fn wis_inzage(&mut self) -> Result<(), LogError>;
    /// Up to `aantal` rows that `filter` lets through, highest number first.
    fn rijen_af(&mut self, filter: &Filter, aantal: usize) -> Result<Vec<Rij>, LogError>;
    /// Up to `aantal` rows numbered above `na`, lowest first.
    fn rijen_op(&mut self, na: u64, aantal: usize) -> Result<Vec<Rij>, LogError>;
    fn meta(&mut self, naam: &str) -> Result<Option<Vec<u8>>, LogError>;
    fn zet_meta(&mut self, naam: &str, waarde: &[u8]) -> Result<(), LogError>;
    fn schrijf_checkpoint(&mut self, anker: &Anker) -> Result<(), LogError>;
    /// The newest `aantal` checkpoints, newest first.
    fn checkpoints(&mut self, aantal: usize) -> Result<Vec<Anker>, LogError>;
    fn checkpoint(&mut self, nr: u64) -> Result<Option<Anker>, LogError>;
    /// The bytes the log's tables and indexes take (SQLite: the file's pages, WAL excluded).
    fn omvang(&mut self) -> Result<u64, LogError>;
    /// Removes the entries numbered up to `nr` and the checkpoints before it.
    fn verwijder_tot(&mut self, nr: u64) -> Result<(), LogError>;
}

const META_SLEUTEL: &str = "sleutel-id";
const META_INBOX: &str = "inbox";
const META_BEGIN: &str = "begin";
const META_GECONTROLEERD: &str = "gecontroleerd";
const META_BREUK: &str = "breuk";

/// The dictionary's, clients' and groups' numbers this process has seen. Numbers never change
/// once given, so what is here stays true; a transaction that is rolled back clears it.
#[derive(Default)]
pub(crate) struct Cache {
    nrs: HashMap<(Soort, String), i64>,
    woorden: HashMap<(Soort, i64), String>,
    client_nrs: HashMap<uuid::Uuid, i64>,
    client_ids: HashMap<i64, uuid::Uuid>,
    groep_nrs: HashMap<[u8; 16], i64>,
    groepen: HashMap<i64, std::sync::Arc<Vec<i64>>>,
    /// The last checkpoint written: when, and at which number.
    pub laatste_checkpoint: Option<(u64, DateTime<Utc>)>,
    /// The highest number this server wrote or saw at the head: a head below it means entries
    /// were cut away under the running server.
    hoogste: Option<u64>,
}

/// Beyond this many items a map of the cache starts again empty.
const CACHE_MAX: usize = 500_000;

fn begrens<K, V>(map: &mut HashMap<K, V>) {
    if map.len() > CACHE_MAX {
        map.clear();
    }
}

impl Cache {
    pub fn clear(&mut self) {
        *self = Cache::default();
    }

    fn nr(&mut self, sql: &mut dyn Sql, soort: Soort, tekst: &str) -> Result<i64, LogError> {
        if let Some(nr) = self.nrs.get(&(soort, tekst.to_owned())) {
            return Ok(*nr);
        }
        let nr = match sql.zoek_woord(soort, tekst)? {
            Some(nr) => nr,
            None => sql.nieuw_woord(soort, tekst)?,
        };
        begrens(&mut self.nrs);
        self.nrs.insert((soort, tekst.to_owned()), nr);
        Ok(nr)
    }

    /// A word's number if it has one (a search for a word never written finds nothing).
    fn bestaand_nr(
        &mut self,
        sql: &mut dyn Sql,
        soort: Soort,
        tekst: &str,
    ) -> Result<Option<i64>, LogError> {
        if let Some(nr) = self.nrs.get(&(soort, tekst.to_owned())) {
            return Ok(Some(*nr));
        }
        sql.zoek_woord(soort, tekst)
    }

    fn woord(&mut self, sql: &mut dyn Sql, soort: Soort, nr: i64) -> Result<String, LogError> {
        if let Some(t) = self.woorden.get(&(soort, nr)) {
            return Ok(t.clone());
        }
        let tekst = sql
            .woord(soort, nr)?
            .ok_or(LogError::Onleesbaar("woord ontbreekt"))?;
        begrens(&mut self.woorden);
        self.woorden.insert((soort, nr), tekst.clone());
        Ok(tekst)
    }

    fn client_nr(&mut self, sql: &mut dyn Sql, id: &uuid::Uuid) -> Result<i64, LogError> {
        if let Some(nr) = self.client_nrs.get(id) {
            return Ok(*nr);
        }
        let nr = match sql.zoek_client(id)? {
            Some(nr) => nr,
            None => sql.nieuwe_client(id)?,
        };
        begrens(&mut self.client_nrs);
        self.client_nrs.insert(*id, nr);
        Ok(nr)
    }

    fn client_id(&mut self, sql: &mut dyn Sql, nr: i64) -> Result<uuid::Uuid, LogError> {
        if let Some(id) = self.client_ids.get(&nr) {
            return Ok(*id);
        }
        let id = sql
            .client(nr)?
            .ok_or(LogError::Onleesbaar("client ontbreekt"))?;
        begrens(&mut self.client_ids);
        self.client_ids.insert(nr, id);
        Ok(id)
    }

    fn groep_nr(&mut self, sql: &mut dyn Sql, clients: &[i64]) -> Result<i64, LogError> {
        let sleutel = groep_sleutel(clients);
        if let Some(nr) = self.groep_nrs.get(&sleutel) {
            return Ok(*nr);
        }
        let nr = match sql.zoek_groep(&sleutel)? {
            Some(nr) => nr,
            None => sql.nieuwe_groep(&sleutel, &groep_inhoud(clients), clients)?,
        };
        begrens(&mut self.groep_nrs);
        self.groep_nrs.insert(sleutel, nr);
        Ok(nr)
    }

    fn groep(&mut self, sql: &mut dyn Sql, nr: i64) -> Result<std::sync::Arc<Vec<i64>>, LogError> {
        if let Some(g) = self.groepen.get(&nr) {
            return Ok(std::sync::Arc::clone(g));
        }
        let inhoud = sql
            .groep(nr)?
            .ok_or(LogError::Onleesbaar("groep ontbreekt"))?;
        let clients =
            std::sync::Arc::new(uit_groep_inhoud(&inhoud).ok_or(LogError::Onleesbaar("groep"))?);
        begrens(&mut self.groepen);
        self.groepen.insert(nr, std::sync::Arc::clone(&clients));
        Ok(clients)
    }
}

/// A group's key: 128 bits of SHA-256 over its sorted client numbers.
fn groep_sleutel(clients: &[i64]) -> [u8; 16] {
    let mut h = Sha256::new();
    for c in clients {
        h.update(c.to_be_bytes());
    }
    let mut uit = [0u8; 16];
    uit.copy_from_slice(&h.finalize()[..16]);
    uit
}

/// Sorted client numbers as LEB128 varints of their differences.
fn groep_inhoud(clients: &[i64]) -> Vec<u8> {
    let mut uit = Vec::with_capacity(clients.len() * 3);
    let mut vorige = 0u64;
    for &c in clients {
        let mut v = (c as u64).wrapping_sub(vorige);
        vorige = c as u64;
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                uit.push(b);
                break;
            }
            uit.push(b | 0x80);
        }
    }
    uit
}

fn uit_groep_inhoud(bytes: &[u8]) -> Option<Vec<i64>> {
    let mut uit = Vec::new();
    let mut vorige = 0u64;
    let mut v = 0u64;
    let mut schuif = 0;
    for &b in bytes {
        if schuif > 63 {
            return None;
        }
        v |= u64::from(b & 0x7f) << schuif;
        schuif += 7;
        if b & 0x80 == 0 {
            vorige = vorige.wrapping_add(v);
            uit.push(vorige as i64);
            v = 0;
            schuif = 0;
        }
    }
    (schuif == 0).then_some(uit)
}

/// A code's bit in the `inzage` bit set (codes numbered 63 and up share the last bit).
fn codebit(code: i64) -> i64 {
    1i64 << code.clamp(0, 63)
}

/// The key's id stored in the log, or stored now for a new log. A log written with another key
/// refuses (every MAC would be wrong).
pub(crate) fn controleer_sleutel(sql: &mut dyn Sql, sleutel: &LogKey) -> Result<(), LogError> {
    match sql.meta(META_SLEUTEL)? {
        None => sql.zet_meta(META_SLEUTEL, sleutel.id().as_bytes()),
        Some(id) if id == sleutel.id().as_bytes() => Ok(()),
        Some(id) => Err(LogError::AndereSleutel {
            verwacht: String::from_utf8_lossy(&id).into_owned(),
        }),
    }
}

/// Like [`controleer_sleutel`], but a log without a key id is taken as is (nothing written).
pub(crate) fn controleer_sleutel_zonder_schrijven(
    sql: &mut dyn Sql,
    sleutel: &LogKey,
) -> Result<(), LogError> {
    controleer_id_zonder_schrijven(sql, sleutel.id())
}

/// Whether the log's stored key id is `sleutel_id` (or none); writes nothing.
pub(crate) fn controleer_id_zonder_schrijven(
    sql: &mut dyn Sql,
    sleutel_id: &str,
) -> Result<(), LogError> {
    match sql.meta(META_SLEUTEL)? {
        Some(id) if id != sleutel_id.as_bytes() => Err(LogError::AndereSleutel {
            verwacht: String::from_utf8_lossy(&id).into_owned(),
        }),
        _ => Ok(()),
    }
}

/// What a copy of the log takes along besides its entries: the start of the live log and the
/// inbox's progress.
pub(crate) fn meta_voor_kopie(sql: &mut dyn Sql) -> Result<Vec<(String, Vec<u8>)>, LogError> {
    let mut uit = Vec::new();
    for naam in [META_BEGIN, META_INBOX] {
        if let Some(w) = sql.meta(naam)? {
            uit.push((naam.to_owned(), w));
        }
    }
    Ok(uit)
}

/// Stores what [`meta_voor_kopie`] took.
pub(crate) fn zet_meta_na_kopie(
    sql: &mut dyn Sql,
    meta: &[(String, Vec<u8>)],
) -> Result<(), LogError> {
    for (naam, waarde) in meta {
        sql.zet_meta(naam, waarde)?;
    }
    Ok(())
}

/// The entries numbered above `na`, oldest first.
pub(crate) fn zoek_op(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    na: u64,
    aantal: usize,
) -> Result<Vec<Logregel>, LogError> {
    sql.rijen_op(na, aantal)?
        .iter()
        .map(|rij| {
            Ok(Logregel {
                nr: rij.nr,
                toegang: toegang(sql, cache, rij)?,
            })
        })
        .collect()
}

/// The place the live log starts after: the last archived entry, or the beginning.
pub(crate) fn begin(sql: &mut dyn Sql, sleutel: &LogKey) -> Result<Volger, LogError> {
    match sql.meta(META_BEGIN)? {
        None => Ok(Volger {
            nr: 0,
            mac: keten::BEGIN,
            tijd: DateTime::<Utc>::MIN_UTC,
        }),
        Some(b) => {
            let anker = Anker::uit_bytes(keten::BEGIN_LIVE, &b)
                .filter(|a| sleutel.echt(a))
                .ok_or(LogError::Onleesbaar("het begin van de log is gewijzigd"))?;
            Ok(Volger {
                nr: anker.nr,
                mac: anker.mac,
                tijd: anker.tijd,
            })
        }
    }
}

/// Chains `toegangen` onto the log in the current transaction; moves the inbox's progress to
/// `inbox` if given; stores a checkpoint when one is due. Returns the entries as written
/// (normalised, with their numbers).
pub(crate) fn voeg_toe(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    sleutel: &LogKey,
    toegangen: Vec<Toegang>,
    inbox: Option<u64>,
) -> Result<Vec<Logregel>, LogError> {
    sql.vergrendel()?;
    let kop = sql.kop()?;
    let kop_nr = kop.as_ref().map_or(0, |k| k.0);
    if let Some(hoogste) = cache.hoogste
        && kop_nr < hoogste
        && sql.meta(META_BREUK)?.is_none_or(|b| b.is_empty())
    {
        let b = Breuk {
            nr: kop_nr + 1,
            tijd: None,
            reden: keten::REDENEN[4],
        };
        tracing::error!(
            head = kop_nr,
            highest = hoogste,
            "toegangslog: the newest entries were removed under the running server"
        );
        sql.zet_meta(META_BREUK, &b.als_bytes())?;
    }
    let mut volger = match kop {
        Some((nr, tijd, mac)) => Volger {
            nr,
            mac,
            tijd: vorm::tijd_van(tijd),
        },
        None => begin(sql, sleutel)?,
    };
    let mut sommen = Sommen::new();
    let mut uit = Vec::with_capacity(toegangen.len());
    for t in toegangen {
        let mut t = vorm::genormaliseerd(t);
        // Never earlier than the entry before: a period is then a range of numbers.
        if t.tijd < volger.tijd {
            t.tijd = volger.tijd;
        }
        let nr = volger.nr + 1;
        let canoniek = vorm::canoniek(&t);
        let mac = sleutel.mac(&volger.mac, nr, &canoniek);
        let clients = t
            .clients
            .iter()
            .map(|c| cache.client_nr(sql, &c.as_uuid()))
            .collect::<Result<Vec<_>, _>>()?;
        let mut gesorteerd = clients.clone();
        gesorteerd.sort_unstable();
        let groep = if gesorteerd.is_empty() {
            None
        } else {
            Some(cache.groep_nr(sql, &gesorteerd)?)
        };
        let rij = Rij {
            nr,
            tijd: vorm::microseconden(t.tijd),
            gebruiker: cache.nr(sql, Soort::Gebruiker, &t.gebruiker)?,
            code: cache.nr(sql, Soort::Code, &t.gebeurteniscode)?,
            actie: t.actie.code(),
            resultaat: t.resultaat.code(),
            rol: cache.nr(sql, Soort::Rol, &t.rol)?,
            organisatie: t
                .organisatie
                .as_deref()
                .map(|o| cache.nr(sql, Soort::Organisatie, o))
                .transpose()?,
            regel: cache.nr(sql, Soort::Regel, &t.regel)?,
            bron: cache.nr(sql, Soort::Bron, &t.bron)?,
            groep,
            traject: t.traject.map(|tr| *tr.as_uuid().as_bytes()),
            correlatie: *t.correlatie.as_bytes(),
            mac,
        };
        sql.schrijf_rij(&rij)?;
        tel_in(&mut sommen, &rij);
        volger.nr = nr;
        volger.mac = mac;
        volger.tijd = t.tijd;
        uit.push(Logregel { nr, toegang: t });
    }
    for som in sommen.values() {
        sql.tel_inzage(som)?;
    }
    cache.hoogste = Some(volger.nr);
    if let Some(revisie) = inbox {
        sql.zet_meta(META_INBOX, &revisie.to_be_bytes())?;
    }
    if !uit.is_empty() {
        let laatste = match cache.laatste_checkpoint {
            Some(l) => Some(l),
            None => sql.checkpoints(1)?.first().map(|a| (a.nr, a.tijd)),
        };
        let nu = Utc::now();
        let verschuldigd = laatste.is_none_or(|(nr, tijd)| {
            volger.nr >= nr + keten::CHECKPOINT_ELKE || nu - tijd >= keten::CHECKPOINT_MINSTENS
        });
        if verschuldigd {
            sql.schrijf_checkpoint(&sleutel.anker(
                keten::CHECKPOINT,
                volger.nr,
                volger.tijd,
                volger.mac,
            ))?;
            cache.laatste_checkpoint = Some((volger.nr, nu));
        } else if cache.laatste_checkpoint.is_none() {
            cache.laatste_checkpoint = laatste;
        }
    }
    Ok(uit)
}

/// How far the inbox has been moved into the log: the last revision moved.
pub(crate) fn inbox(sql: &mut dyn Sql) -> Result<Option<u64>, LogError> {
    Ok(sql
        .meta(META_INBOX)?
        .and_then(|b| b.try_into().ok().map(u64::from_be_bytes)))
}

/// The entry a row holds.
fn toegang(sql: &mut dyn Sql, cache: &mut Cache, rij: &Rij) -> Result<Toegang, LogError> {
    let clients = match rij.groep {
        None => Vec::new(),
        Some(g) => {
            let mut ids = cache
                .groep(sql, g)?
                .iter()
                .map(|&c| {
                    cache.client_id(sql, c).and_then(|id| {
                        ClientId::new(id).map_err(|_| LogError::Onleesbaar("client"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            ids.sort_by_key(|c| *c.as_uuid().as_bytes());
            ids
        }
    };
    Ok(Toegang {
        gebeurteniscode: cache.woord(sql, Soort::Code, rij.code)?,
        actie: Actie::van_code(rij.actie).ok_or(LogError::Onleesbaar("actie"))?,
        tijd: vorm::tijd_van(rij.tijd),
        resultaat: Resultaat::van_code(rij.resultaat).ok_or(LogError::Onleesbaar("resultaat"))?,
        gebruiker: cache.woord(sql, Soort::Gebruiker, rij.gebruiker)?,
        rol: cache.woord(sql, Soort::Rol, rij.rol)?,
        organisatie: rij
            .organisatie
            .map(|o| cache.woord(sql, Soort::Organisatie, o))
            .transpose()?,
        clients,
        traject: rij
            .traject
            .map(|b| TrajectId::new(uuid::Uuid::from_bytes(b)))
            .transpose()
            .map_err(|_| LogError::Onleesbaar("traject"))?,
        regel: cache.woord(sql, Soort::Regel, rij.regel)?,
        bron: cache.woord(sql, Soort::Bron, rij.bron)?,
        correlatie: uuid::Uuid::from_bytes(rij.correlatie),
    })
}

/// The number range of a period: the first entry at or after `van`, the last before `tot`.
pub(crate) fn nummers(
    sql: &mut dyn Sql,
    van: Option<DateTime<Utc>>,
    tot: Option<DateTime<Utc>>,
    hoogste: u64,
) -> Result<Option<(u64, u64)>, LogError> {
    let Some(laagste) = sql.eerste_nr()? else {
        return Ok(None);
    };
    // The first number whose entry's time is at least `t` (hoogste + 1 if none).
    let mut eerste_vanaf = |t: i64| -> Result<u64, LogError> {
        let (mut lo, mut hi) = (laagste, hoogste + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match sql.vanaf_nr(mid)? {
                Some((nr, tijd)) if nr <= hoogste && tijd < t => lo = nr + 1,
                _ => hi = mid,
            }
        }
        Ok(lo)
    };
    let lo = match van {
        Some(v) => eerste_vanaf(vorm::microseconden(v))?,
        None => laagste,
    };
    let hi = match tot {
        Some(t) => eerste_vanaf(vorm::microseconden(t))?.saturating_sub(1),
        None => hoogste,
    };
    Ok((lo <= hi).then_some((lo, hi)))
}

/// The page of entries `z` asks for, newest first.
pub(crate) fn zoek(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    z: &Zoekopdracht,
) -> Result<Pagina, LogError> {
    let leeg = Pagina {
        regels: Vec::new(),
        volgende: None,
    };
    let Some((kop, _, _)) = sql.kop()? else {
        return Ok(leeg);
    };
    let hoogste = z.voor.map_or(kop, |v| v.saturating_sub(1).min(kop));
    let Some((van, tot)) = nummers(sql, z.van, z.tot, hoogste)? else {
        return Ok(leeg);
    };
    // A filter on a word never written finds nothing.
    let mut woord = |soort, tekst: &Option<String>| -> Result<Option<Option<i64>>, LogError> {
        match tekst {
            None => Ok(Some(None)),
            Some(t) => Ok(cache.bestaand_nr(sql, soort, t)?.map(Some)),
        }
    };
    let (Some(gebruiker), Some(rol)) = (
        woord(Soort::Gebruiker, &z.gebruiker)?,
        woord(Soort::Rol, &z.rol)?,
    ) else {
        return Ok(leeg);
    };
    let filter = Filter {
        gebruiker,
        rol,
        actie: z.actie.map(Actie::code),
        resultaat: z.resultaat.map(Resultaat::code),
        groep: None,
        van,
        tot,
    };
    let meer = z.aantal + 1;
    let mut rijen = match z.client {
        None => sql.rijen_af(&filter, meer)?,
        Some(client) => {
            let Some(cnr) = sql.zoek_client(&client.as_uuid())? else {
                return Ok(leeg);
            };
            // Each group of the client's, newest first, merged.
            let mut alle = Vec::new();
            for groep in sql.groepen_van(cnr)? {
                let f = Filter {
                    groep: Some(groep),
                    ..filter.clone()
                };
                alle.extend(sql.rijen_af(&f, meer)?);
            }
            alle.sort_unstable_by_key(|r| std::cmp::Reverse(r.nr));
            alle.truncate(meer);
            alle
        }
    };
    let volgende = if rijen.len() > z.aantal {
        rijen.truncate(z.aantal);
        rijen.last().map(|r| r.nr)
    } else {
        None
    };
    let regels = rijen
        .iter()
        .map(|rij| {
            Ok(Logregel {
                nr: rij.nr,
                toegang: toegang(sql, cache, rij)?,
            })
        })
        .collect::<Result<Vec<_>, LogError>>()?;
    Ok(Pagina { regels, volgende })
}

/// Who accessed `client`'s file: the counts of the client's groups, summed per user and role.
pub(crate) fn inzagers(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    client: ClientId,
) -> Result<Vec<Inzager>, LogError> {
    let Some(cnr) = sql.zoek_client(&client.as_uuid())? else {
        return Ok(Vec::new());
    };
    let groepen = sql.groepen_van(cnr)?;
    let mut per: HashMap<(i64, i64), InzageRij> = HashMap::new();
    for deel in groepen.chunks(500) {
        for r in sql.inzage(deel)? {
            per.entry((r.gebruiker, r.rol))
                .and_modify(|s| {
                    s.gelukt += r.gelukt;
                    s.geweigerd += r.geweigerd;
                    s.eerste = s.eerste.min(r.eerste);
                    s.laatste = s.laatste.max(r.laatste);
                    s.codes |= r.codes;
                })
                .or_insert(r);
        }
    }
    let mut lijst = per
        .into_values()
        .map(|s| {
            let codes = (0..64)
                .filter(|bit| s.codes & (1i64 << bit) != 0)
                .map(|bit| cache.woord(sql, Soort::Code, bit))
                .collect::<Result<Vec<_>, _>>()?;
            let mut codes = codes;
            codes.sort();
            Ok(Inzager {
                gebruiker: cache.woord(sql, Soort::Gebruiker, s.gebruiker)?,
                rol: cache.woord(sql, Soort::Rol, s.rol)?,
                gelukt: s.gelukt as u64,
                geweigerd: s.geweigerd as u64,
                eerste: vorm::tijd_van(s.eerste),
                laatste: vorm::tijd_van(s.laatste),
                codes,
            })
        })
        .collect::<Result<Vec<_>, LogError>>()?;
    lijst.sort_by(|a, b| {
        b.laatste
            .cmp(&a.laatste)
            .then(a.gebruiker.cmp(&b.gebruiker))
            .then(a.rol.cmp(&b.rol))
    });
    Ok(lijst)
}

/// How many rows verification reads at a time.
const CONTROLE_PAGINA: usize = 5_000;

/// Where a check starts: the start of the live log, the place it continues from (the last
/// verified place, or the start for a full check), or a break stored by an earlier check or by
/// the writer (which stands until a full check finds the chain whole again).
pub(crate) struct ControleBegin {
    pub start: Volger,
    pub volger: Volger,
    pub breuk: Option<Breuk>,
}

/// Reads where a check of the chain starts ([`ControleBegin`]).
pub(crate) fn controle_begin(
    sql: &mut dyn Sql,
    sleutel: &LogKey,
    volledig: bool,
) -> Result<ControleBegin, LogError> {
    let start = begin(sql, sleutel)?;
    let mut volger = start.clone();
    let mut breuk = if volledig {
        None
    } else {
        sql.meta(META_BREUK)?.and_then(|b| Breuk::uit_bytes(&b))
    };
    if !volledig
        && let Some(b) = sql.meta(META_GECONTROLEERD)?
        && let Some(a) = Anker::uit_bytes(keten::GECONTROLEERD, &b)
    {
        if !sleutel.echt(&a) {
            breuk.get_or_insert(Breuk {
                nr: a.nr,
                tijd: Some(a.tijd),
                reden: keten::REDENEN[7],
            });
        } else if a.nr >= volger.nr {
            volger = Volger {
                nr: a.nr,
                mac: a.mac,
                tijd: a.tijd,
            };
        }
    }
    Ok(ControleBegin {
        start,
        volger,
        breuk,
    })
}

/// The per-client counts as the entries give them, built up while a full check reads them.
pub(crate) type Sommen = HashMap<(i64, i64, i64), InzageRij>;

fn tel_in(sommen: &mut Sommen, rij: &Rij) {
    let Some(groep) = rij.groep else { return };
    let gelukt = i64::from(rij.resultaat == Resultaat::Gelukt.code());
    let som = sommen
        .entry((groep, rij.gebruiker, rij.rol))
        .or_insert(InzageRij {
            groep,
            gebruiker: rij.gebruiker,
            rol: rij.rol,
            gelukt: 0,
            geweigerd: 0,
            eerste: rij.tijd,
            laatste: rij.tijd,
            codes: 0,
        });
    som.gelukt += gelukt;
    som.geweigerd += 1 - gelukt;
    som.eerste = som.eerste.min(rij.tijd);
    som.laatste = som.laatste.max(rij.tijd);
    som.codes |= codebit(rij.code);
}

/// Checks up to `aantal` entries after `volger` (one read transaction); the break, if one, and
/// whether the log has more.
pub(crate) fn controleer_pagina(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    sleutel: &LogKey,
    volger: &mut Volger,
    mut sommen: Option<&mut Sommen>,
    aantal: usize,
) -> Result<(Option<Breuk>, bool), LogError> {
    let rijen = sql.rijen_op(volger.nr, aantal)?;
    for rij in &rijen {
        let Ok(t) = toegang(sql, cache, rij) else {
            return Ok((
                Some(Breuk {
                    nr: rij.nr,
                    tijd: Some(vorm::tijd_van(rij.tijd)),
                    reden: keten::REDENEN[3],
                }),
                false,
            ));
        };
        if let Err(b) = volger.volg(
            sleutel,
            rij.nr,
            vorm::tijd_van(rij.tijd),
            &vorm::canoniek(&t),
            &rij.mac,
        ) {
            return Ok((Some(b), false));
        }
        if let Some(s) = sommen.as_deref_mut() {
            tel_in(s, rij);
        }
    }
    Ok((None, rijen.len() == aantal))
}

/// The end of a check, in one write transaction: the entries written since the last page, the
/// head against where the check started, the stored and exported checkpoints, for a full check
/// the per-client counts (rebuilt from the entries when they differ); stores the verified place,
/// or the break.
#[allow(clippy::too_many_arguments)]
pub(crate) fn controle_slot(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    sleutel: &LogKey,
    begin: &ControleBegin,
    mut volger: Volger,
    mut sommen: Option<Sommen>,
    mut breuk: Option<Breuk>,
    extra: &[Anker],
) -> Result<Controle, LogError> {
    sql.vergrendel()?;
    while breuk.is_none() {
        let (b, meer) = controleer_pagina(
            sql,
            cache,
            sleutel,
            &mut volger,
            sommen.as_mut(),
            CONTROLE_PAGINA,
        )?;
        breuk = b;
        if !meer {
            break;
        }
    }
    let vanaf = begin.volger.nr;
    let kop = sql.kop()?.map_or(begin.start.nr, |k| k.0);
    if breuk.is_none() && vanaf > begin.start.nr && kop < vanaf {
        breuk = Some(Breuk {
            nr: kop + 1,
            tijd: None,
            reden: keten::REDENEN[4],
        });
    }
    let mut checkpoints = sql.checkpoints(1)?;
    checkpoints.extend_from_slice(extra);
    for a in &checkpoints {
        if breuk.is_some() {
            break;
        }
        if !sleutel.echt(a) {
            breuk = Some(Breuk {
                nr: a.nr,
                tijd: Some(a.tijd),
                reden: keten::REDENEN[5],
            });
        } else if a.nr <= begin.start.nr {
            // Archived: the archive file answers for it.
        } else if a.nr > volger.nr {
            breuk = Some(Breuk {
                nr: volger.nr + 1,
                tijd: None,
                reden: keten::REDENEN[4],
            });
        } else {
            let nu = sql.rijen_op(a.nr - 1, 1)?;
            if nu.first().is_none_or(|r| r.nr != a.nr || r.mac != a.mac) {
                breuk = Some(Breuk {
                    nr: a.nr,
                    tijd: Some(a.tijd),
                    reden: keten::REDENEN[6],
                });
            }
        }
    }
    if let Some(b) = breuk {
        sql.zet_meta(META_BREUK, &b.als_bytes())?;
        tracing::error!(number = b.nr, time = ?b.tijd, reason = b.reden, "toegangslog: chain broken");
        return Ok(Controle::gebroken(begin.start.nr, volger.nr, b));
    }
    // The chain holds. A full check knows what the per-client counts must be.
    let mut overzicht_hersteld = false;
    if let Some(sommen) = sommen {
        let mut opgeslagen = sql.inzage_alle()?;
        opgeslagen.sort_unstable_by_key(|r| (r.groep, r.gebruiker, r.rol));
        let mut verwacht: Vec<InzageRij> = sommen.into_values().collect();
        verwacht.sort_unstable_by_key(|r| (r.groep, r.gebruiker, r.rol));
        if opgeslagen != verwacht {
            tracing::error!(
                "toegangslog: the per-client counts differed from the entries; rebuilt"
            );
            sql.wis_inzage()?;
            for r in &verwacht {
                sql.tel_inzage(r)?;
            }
            overzicht_hersteld = true;
        }
        sql.zet_meta(META_BREUK, &[])?;
    }
    if volger.nr > begin.start.nr {
        let a = sleutel.anker(keten::GECONTROLEERD, volger.nr, volger.tijd, volger.mac);
        sql.zet_meta(META_GECONTROLEERD, &a.als_bytes())?;
    }
    Ok(Controle {
        intact: true,
        klaar: true,
        van: begin.start.nr,
        tot: volger.nr,
        nieuw_gecontroleerd: volger.nr - vanaf,
        breuk: None,
        overzicht_hersteld,
    })
}

/// The newest checkpoint, written now for the head if there is none at the head yet.
pub(crate) fn checkpoint_nu(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    sleutel: &LogKey,
) -> Result<Option<Anker>, LogError> {
    sql.vergrendel()?;
    let Some((nr, tijd, mac)) = sql.kop()? else {
        return Ok(None);
    };
    if let Some(a) = sql.checkpoint(nr)? {
        return Ok(Some(a));
    }
    let a = sleutel.anker(keten::CHECKPOINT, nr, vorm::tijd_van(tijd), mac);
    sql.schrijf_checkpoint(&a)?;
    cache.laatste_checkpoint = Some((nr, Utc::now()));
    Ok(Some(a))
}

/// Entries numbered above `na`, oldest first, with their MACs and canonical bytes (archiving).
pub(crate) fn regels_op(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    na: u64,
    aantal: usize,
) -> Result<Vec<(u64, Vec<u8>, Mac)>, LogError> {
    sql.rijen_op(na, aantal)?
        .iter()
        .map(|rij| Ok((rij.nr, vorm::canoniek(&toegang(sql, cache, rij)?), rij.mac)))
        .collect()
}

/// Removes the entries up to `tot` (which an archive file now holds) and records the new start
/// of the live log.
pub(crate) fn knip_af(sql: &mut dyn Sql, sleutel: &LogKey, tot: &Anker) -> Result<(), LogError> {
    sql.vergrendel()?;
    let nu = sql.rijen_op(tot.nr - 1, 1)?;
    if nu
        .first()
        .is_none_or(|r| r.nr != tot.nr || r.mac != tot.mac)
    {
        return Err(LogError::Onleesbaar(
            "de log is veranderd sinds het archief werd geschreven",
        ));
    }
    sql.verwijder_tot(tot.nr)?;
    // The per-client counts cover the live log: built again from what is left.
    sql.wis_inzage()?;
    let mut sommen = Sommen::new();
    let mut na = tot.nr;
    loop {
        let rijen = sql.rijen_op(na, CONTROLE_PAGINA)?;
        for rij in &rijen {
            tel_in(&mut sommen, rij);
        }
        match rijen.last() {
            Some(r) if rijen.len() == CONTROLE_PAGINA => na = r.nr,
            _ => break,
        }
    }
    for r in sommen.values() {
        sql.tel_inzage(r)?;
    }
    let begin = sleutel.anker(keten::BEGIN_LIVE, tot.nr, tot.tijd, tot.mac);
    sql.zet_meta(META_BEGIN, &begin.als_bytes())
}

/// The entries of a period with their groups' clients, oldest first, a page at a time.
pub(crate) fn per_regel(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    van: Option<DateTime<Utc>>,
    tot: Option<DateTime<Utc>>,
    mut elk: impl FnMut(&Rij, &[i64]),
) -> Result<(), LogError> {
    let Some((kop, _, _)) = sql.kop()? else {
        return Ok(());
    };
    let Some((lo, hi)) = nummers(sql, van, tot, kop)? else {
        return Ok(());
    };
    let mut na = lo - 1;
    while na < hi {
        let rijen = sql.rijen_op(na, CONTROLE_PAGINA)?;
        if rijen.is_empty() {
            break;
        }
        for rij in rijen.iter().filter(|r| r.nr <= hi) {
            match rij.groep {
                Some(g) => elk(rij, &cache.groep(sql, g)?),
                None => elk(rij, &[]),
            }
        }
        na = rijen.last().map_or(hi, |r| r.nr);
    }
    Ok(())
}

/// The word of a number, for callers outside this module.
pub(crate) fn woord(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    soort: Soort,
    nr: i64,
) -> Result<String, LogError> {
    cache.woord(sql, soort, nr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_reads_back_as_its_clients() {
        for clients in [vec![], vec![1], vec![1, 2, 300, 70_000, 1 << 40]] {
            let bytes = groep_inhoud(&clients);
            assert_eq!(uit_groep_inhoud(&bytes).unwrap(), clients);
        }
        assert_eq!(
            groep_inhoud(&[1, 2, 3, 4]).len(),
            4,
            "a byte per close client"
        );
        assert!(uit_groep_inhoud(&[0x80]).is_none(), "a cut varint");
    }
}

//! The two layouts of an import file, and how their rows become trajectories.
//!
//! - **One row per trajectory** (`PerTraject`): the key dates in columns (`aanmelddatum`,
//!   `intakedatum`, `werkgeverscontact`, `plaatsing_start` ... `plaatsing3_einde`, `waakvlam`,
//!   `afsluitdatum`) with the fields that go with them.
//! - **One row per event** (`PerGebeurtenis`): `clientnummer`, `gebeurtenis`, `datum` and the
//!   event's fields; a client's rows belong to the trajectory of their latest aanmelding. The
//!   optional column `plaatsing` numbers a trajectory's placements (1 = the first started): on a
//!   `plaatsing` row it is that placement's number, on a `plaatsing_einde` or `uren` row it
//!   names the placement the row concerns; without it such a row concerns the placement running
//!   (the last started that has not ended), which is ambiguous when placements overlap, as when
//!   one ends on the day the next starts.
//!
//! A file with a column `gebeurtenis` is of the second layout. The rows of a trajectory are put
//! in order of date (and, on one day, in the order of the trajectory's course), so a file sorted
//! any other way imports the same. Every cell that does not read is reported with its row and
//! column, and its trajectory is not imported (a trajectory is imported whole or not at all).
//!
//! Ids follow from the content, never from personal data in clear: the client's from the
//! organisation and its own client number, the trajectory's from those and the aanmelding's
//! date, each later event's from the trajectory and what the row records. The same rows give
//! the same ids in any file, so importing them again changes nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use traject_dienst::import::{ImportAanmelding, ImportOpdracht, ImportRij, ImportTraject};
use traject_dienst::traject::{NieuwePlaatsing, Opdracht};
use traject_domain::event::{Contract, Opgeschaald, TrajectAfgesloten, WerkgeverContactGelegd};
use traject_domain::value::{
    Afgeschermd, AfsluitingsReden, BeeindigingsReden, Bsn, ClientId, CoachId, Datum, Email,
    EventId, Financier, Functie, Geboortedatum, Methode, Naam, OpschalingsReden, OrganisatieId,
    Persoonsgegevens, Regio, Telefoon, Uitkering, Verwijzer, Werkgever,
};

use crate::bestand::{Cel, Tabel};
use crate::waarde::{self, Ongeldig, genormaliseerd};

/// The layout of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indeling {
    PerTraject,
    PerGebeurtenis,
}

/// A cell or row that cannot be imported: the row as the spreadsheet numbers it (the header
/// is row 1), the column as the file names it, the rule and a message in Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RijFout {
    pub rij: usize,
    pub kolom: String,
    pub regel: &'static str,
    pub bericht: String,
}

/// What a file holds, read and checked cell by cell (not yet by the domain's rules).
#[derive(Debug, Clone)]
pub struct Opzet {
    pub indeling: Indeling,
    /// The trajectories whose rows all read.
    pub trajecten: Vec<ImportTraject>,
    /// The rows that did not read; their trajectories are not in `trajecten`.
    pub fouten: Vec<RijFout>,
    /// Columns the layout does not know (a typo, or something traject does not keep).
    pub onbekende_kolommen: Vec<String>,
    /// Data rows in the file (empty rows aside).
    pub rijen: usize,
}

/// Why the file as a whole cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndelingFout {
    #[error("kolom {0} ontbreekt")]
    KolomOntbreekt(&'static str),
    #[error("kolom {0} staat er twee keer in")]
    KolomDubbel(String),
}

/// What the import is for.
#[derive(Debug, Clone)]
pub struct Doel {
    pub organisatie: OrganisatieId,
    /// The region of rows without a column `regio`.
    pub regio: Option<Regio>,
    /// Today, for dates of birth.
    pub vandaag: NaiveDate,
}

const PLAATSINGEN: usize = 9;

fn plaatsing_kolom(n: usize, veld: &str) -> String {
    if n == 1 {
        format!("plaatsing_{veld}")
    } else {
        format!("plaatsing{n}_{veld}")
    }
}

/// Every column of the layout, normalised ([`genormaliseerd`]).
fn bekende_kolommen(indeling: Indeling) -> Vec<String> {
    let mut k: Vec<String> = [
        "clientnummer",
        "regio",
        "methode",
        "verwijzer",
        "financier",
        "coach",
        "uitkering",
        "ggzbehandeling",
        "naam",
        "geboortedatum",
        "telefoon",
        "email",
        "bsn",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    match indeling {
        Indeling::PerGebeurtenis => k.extend(
            [
                "gebeurtenis",
                "datum",
                "plaatsing",
                "werkgever",
                "functie",
                "persoonlijk",
                "uren",
                "contract",
                "contracteinddatum",
                "betaald",
                "regulier",
                "reden",
            ]
            .iter()
            .map(|s| (*s).to_owned()),
        ),
        Indeling::PerTraject => {
            k.extend(
                [
                    "aanmelddatum",
                    "intakedatum",
                    "werkgeverscontact",
                    "werkgeverscontactwerkgever",
                    "werkgeverscontactpersoonlijk",
                    "waakvlam",
                    "afsluitdatum",
                    "afsluitreden",
                ]
                .iter()
                .map(|s| (*s).to_owned()),
            );
            for n in 1..=PLAATSINGEN {
                for veld in PLAATSING_VELDEN {
                    k.push(genormaliseerd(&plaatsing_kolom(n, veld)));
                }
            }
        }
    }
    k
}

const PLAATSING_VELDEN: [&str; 10] = [
    "start",
    "einde",
    "uren",
    "contract",
    "contract_einddatum",
    "betaald",
    "regulier",
    "werkgever",
    "functie",
    "reden_einde",
];

/// One data row with its columns looked up by name.
struct Rij<'a> {
    nummer: usize,
    cellen: &'a [Cel],
    kolommen: &'a HashMap<String, usize>,
    kopjes: &'a [String],
}

impl Rij<'_> {
    fn cel(&self, kolom: &str) -> Option<&Cel> {
        let i = *self.kolommen.get(&genormaliseerd(kolom))?;
        self.cellen.get(i).filter(|c| !c.is_leeg())
    }

    fn kop(&self, kolom: &str) -> String {
        self.kolommen
            .get(&genormaliseerd(kolom))
            .and_then(|i| self.kopjes.get(*i).cloned())
            .unwrap_or_else(|| kolom.to_owned())
    }

    fn fout(&self, kolom: &str, o: Ongeldig) -> RijFout {
        RijFout {
            rij: self.nummer,
            kolom: self.kop(kolom),
            regel: o.regel,
            bericht: o.bericht,
        }
    }

    fn verplicht(&self, kolom: &str) -> Result<&Cel, RijFout> {
        self.cel(kolom)
            .ok_or_else(|| self.fout(kolom, Ongeldig::new("verplicht", "is verplicht")))
    }

    fn met<T>(
        &self,
        kolom: &str,
        lees: impl Fn(&Cel) -> Result<T, Ongeldig>,
    ) -> Result<Option<T>, RijFout> {
        self.cel(kolom)
            .map(|c| lees(c).map_err(|o| self.fout(kolom, o)))
            .transpose()
    }

    fn moet<T>(
        &self,
        kolom: &str,
        lees: impl Fn(&Cel) -> Result<T, Ongeldig>,
    ) -> Result<T, RijFout> {
        let cel = self.verplicht(kolom)?;
        lees(cel).map_err(|o| self.fout(kolom, o))
    }

    fn datum(&self, kolom: &str) -> Result<Option<NaiveDate>, RijFout> {
        self.met(kolom, waarde::datum)
    }

    fn tekst<T>(
        &self,
        kolom: &str,
        parse: impl Fn(&str) -> Result<T, traject_domain::value::ValueError>,
    ) -> Result<T, RijFout> {
        self.moet(kolom, |c| {
            parse(&waarde::tekst(c)).map_err(|e| Ongeldig::new("ongeldige_waarde", e.to_string()))
        })
    }
}

/// Reads the table as trajectories of `doel.organisatie`.
pub fn opzet(tabel: &Tabel, doel: &Doel) -> Result<Opzet, IndelingFout> {
    let mut kolommen = HashMap::new();
    for (i, kop) in tabel.kopjes.iter().enumerate() {
        let naam = genormaliseerd(kop);
        if naam.is_empty() {
            continue;
        }
        if kolommen.insert(naam, i).is_some() {
            return Err(IndelingFout::KolomDubbel(kop.clone()));
        }
    }
    let indeling = if kolommen.contains_key("gebeurtenis") {
        Indeling::PerGebeurtenis
    } else {
        Indeling::PerTraject
    };
    let verplicht: &[&'static str] = match indeling {
        Indeling::PerTraject => &[
            "clientnummer",
            "aanmelddatum",
            "methode",
            "verwijzer",
            "financier",
        ],
        Indeling::PerGebeurtenis => &["clientnummer", "gebeurtenis", "datum"],
    };
    for k in verplicht {
        if !kolommen.contains_key(*k) {
            return Err(IndelingFout::KolomOntbreekt(k));
        }
    }
    if doel.regio.is_none() && !kolommen.contains_key("regio") {
        return Err(IndelingFout::KolomOntbreekt("regio"));
    }
    let bekend = bekende_kolommen(indeling);
    let onbekende_kolommen = tabel
        .kopjes
        .iter()
        .filter(|k| {
            let n = genormaliseerd(k);
            !n.is_empty() && !bekend.contains(&n)
        })
        .cloned()
        .collect();
    let rijen: Vec<Rij<'_>> = tabel
        .rijen
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().all(Cel::is_leeg))
        .map(|(i, cellen)| Rij {
            nummer: tabel.kopregel + 1 + i,
            cellen,
            kolommen: &kolommen,
            kopjes: &tabel.kopjes,
        })
        .collect();
    let aantal = rijen.len();
    let (trajecten, fouten) = match indeling {
        Indeling::PerTraject => per_traject(&rijen, doel),
        Indeling::PerGebeurtenis => per_gebeurtenis(&rijen, doel),
    };
    Ok(Opzet {
        indeling,
        trajecten,
        fouten,
        onbekende_kolommen,
        rijen: aantal,
    })
}

/// The client of `clientnummer` at `organisatie`.
fn client_id(organisatie: &OrganisatieId, clientnummer: &str) -> ClientId {
    let id = uuid::Uuid::new_v5(
        &NS_IMPORT,
        format!("client\u{0}{}\u{0}{clientnummer}", organisatie.as_str()).as_bytes(),
    );
    ClientId::new(id).expect("a version 5 id is a valid client id")
}

/// The aanmelding's event id: time-ordered on its date, the rest from the client and date.
fn eerste_id(organisatie: &OrganisatieId, clientnummer: &str, datum: NaiveDate) -> EventId {
    let hash = Sha256::digest(
        format!(
            "traject\u{0}{}\u{0}{clientnummer}\u{0}{datum}",
            organisatie.as_str()
        )
        .as_bytes(),
    );
    let ms = datum
        .and_hms_opt(0, 0, 0)
        .map_or(0, |d| d.and_utc().timestamp_millis().max(0) as u64);
    let random: [u8; 10] = hash[..10].try_into().expect("10 bytes");
    EventId::new(uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid())
        .expect("a version 7 id is a valid event id")
}

const NS_IMPORT: uuid::Uuid = uuid::Uuid::from_u128(0x7a1e_c7a0_0000_4000_8000_0000_0000_0010);

/// The order of a trajectory's events on one day.
fn rang(o: &ImportOpdracht) -> u8 {
    match o {
        ImportOpdracht::Opdracht(o) => match o {
            Opdracht::IntakeAfronden { .. } => 1,
            Opdracht::CoachToewijzen(_) => 2,
            Opdracht::Werkgeverscontact(_) => 3,
            Opdracht::PlaatsingStarten(_) => 4,
            Opdracht::WaakvlamInzetten => 7,
            Opdracht::Opschalen(_) => 8,
            Opdracht::Afsluiten { .. } => 9,
            _ => 6,
        },
        ImportOpdracht::UrenWijzigen { .. } => 5,
        ImportOpdracht::PlaatsingBeeindigen { .. } => 6,
    }
}

/// A trajectory being read: its aanmelding, its rows and the first error, if any.
struct Bouw {
    clientnummer: String,
    /// The header of the column `clientnummer`, as the file writes it.
    clientkolom: String,
    traject: ImportTraject,
    /// The last day it is open (its closing), if closed.
    einde: Option<NaiveDate>,
    fout: Option<RijFout>,
}

fn aanmelding(
    rij: &Rij<'_>,
    datumkolom: &str,
    doel: &Doel,
) -> Result<(String, ImportTraject), RijFout> {
    let clientnummer = waarde::tekst(rij.verplicht("clientnummer")?);
    let datum = rij.moet(datumkolom, waarde::datum)?;
    let regio = match rij.cel("regio") {
        Some(_) => rij.tekst("regio", Regio::parse)?,
        None => doel
            .regio
            .ok_or_else(|| rij.fout("regio", Ongeldig::new("verplicht", "is verplicht")))?,
    };
    let methode = rij.moet("methode", |c| {
        waarde::keuze(c, Methode::ALL, Methode::as_str)
    })?;
    let verwijzer = rij.moet("verwijzer", |c| {
        waarde::keuze(c, Verwijzer::ALL, Verwijzer::as_str)
    })?;
    let financier = rij.moet("financier", |c| {
        waarde::keuze(c, Financier::ALL, Financier::as_str)
    })?;
    let persoon = persoonsgegevens(rij, doel.vandaag)?.map(|p| (rij.nummer, p));
    Ok((
        clientnummer.clone(),
        ImportTraject {
            organisatie: doel.organisatie.clone(),
            regio,
            client_id: client_id(&doel.organisatie, &clientnummer),
            eerste_id: eerste_id(&doel.organisatie, &clientnummer, datum),
            aanmelding: ImportAanmelding {
                rij: rij.nummer,
                datum,
                methode,
                verwijzer,
                financier,
            },
            rijen: Vec::new(),
            persoon,
        },
    ))
}

/// The personal data of a row: none without a name; a name needs a date of birth.
fn persoonsgegevens(
    rij: &Rij<'_>,
    vandaag: NaiveDate,
) -> Result<Option<Persoonsgegevens>, RijFout> {
    if rij.cel("naam").is_none() {
        for k in ["geboortedatum", "telefoon", "email", "bsn"] {
            if rij.cel(k).is_some() {
                return Err(rij.fout(
                    "naam",
                    Ongeldig::new("verplicht", "is verplicht naast andere persoonsgegevens"),
                ));
            }
        }
        return Ok(None);
    }
    let naam = rij.tekst("naam", Naam::parse)?;
    let geboren = rij.moet("geboortedatum", waarde::datum)?;
    let geboortedatum = Geboortedatum::new(geboren, vandaag).map_err(|e| {
        rij.fout(
            "geboortedatum",
            Ongeldig::new("ongeldige_waarde", e.to_string()),
        )
    })?;
    let optie = |k: &str| rij.cel(k).is_some();
    Ok(Some(Persoonsgegevens {
        naam,
        geboortedatum,
        telefoon: if optie("telefoon") {
            Some(rij.tekst("telefoon", Telefoon::parse)?)
        } else {
            None
        },
        email: if optie("email") {
            Some(rij.tekst("email", Email::parse)?)
        } else {
            None
        },
        bsn: if optie("bsn") {
            Some(rij.tekst("bsn", Bsn::parse)?)
        } else {
            None
        },
    }))
}

fn intake(rij: &Rij<'_>) -> Result<Opdracht, RijFout> {
    Ok(Opdracht::IntakeAfronden {
        coach: Some(rij.tekst("coach", CoachId::parse)?),
        uitkering: rij.moet("uitkering", |c| {
            waarde::keuze(c, Uitkering::ALL, Uitkering::as_str)
        })?,
        in_ggz_behandeling: rij.moet("ggz_behandeling", waarde::ja_nee)?,
    })
}

fn contract(rij: &Rij<'_>, vorm: &str, einddatum: &str) -> Result<Contract, RijFout> {
    let naam = rij.moet(vorm, |c| waarde::keuze(c, &Contract::VORMEN, |v| v))?;
    Ok(match naam {
        "Vast" => Contract::Vast,
        "Uitzend" => Contract::Uitzend,
        "Oproep" => Contract::Oproep,
        "Zelfstandig" => Contract::Zelfstandig,
        _ => {
            let eind = rij.moet(einddatum, waarde::datum)?;
            Contract::Tijdelijk {
                einddatum: Datum::new(eind).map_err(|e| {
                    rij.fout(einddatum, Ongeldig::new("ongeldige_waarde", e.to_string()))
                })?,
            }
        }
    })
}

fn plaatsing(rij: &Rij<'_>, kolom: impl Fn(&str) -> String) -> Result<Opdracht, RijFout> {
    Ok(Opdracht::PlaatsingStarten(NieuwePlaatsing {
        werkgever: rij.tekst(&kolom("werkgever"), Werkgever::parse)?,
        functie: rij.tekst(&kolom("functie"), Functie::parse)?,
        uren_per_week: rij.moet(&kolom("uren"), waarde::uren)?,
        contract: contract(rij, &kolom("contract"), &kolom("contract_einddatum"))?,
        betaald: rij.moet(&kolom("betaald"), waarde::ja_nee)?,
        regulier: rij.moet(&kolom("regulier"), waarde::ja_nee)?,
    }))
}

fn werkgeverscontact(
    rij: &Rij<'_>,
    werkgever: &str,
    persoonlijk: &str,
) -> Result<Opdracht, RijFout> {
    Ok(Opdracht::Werkgeverscontact(WerkgeverContactGelegd {
        werkgever: Afgeschermd::Open(rij.tekst(werkgever, Werkgever::parse)?),
        persoonlijk: rij.met(persoonlijk, waarde::ja_nee)?.unwrap_or(false),
    }))
}

fn afsluiting(rij: &Rij<'_>, reden: &str) -> Result<Opdracht, RijFout> {
    Ok(Opdracht::Afsluiten {
        afsluiting: TrajectAfgesloten {
            reden: rij.moet(reden, |c| {
                waarde::keuze(c, AfsluitingsReden::ALL, AfsluitingsReden::as_str)
            })?,
        },
        // A closing in a file was confirmed by whoever recorded it.
        bevestigd: true,
    })
}

fn rij_van(
    nummer: usize,
    datum: NaiveDate,
    sleutel: String,
    opdracht: ImportOpdracht,
) -> ImportRij {
    ImportRij {
        rij: nummer,
        datum,
        sleutel,
        opdracht,
    }
}

fn per_traject(rijen: &[Rij<'_>], doel: &Doel) -> (Vec<ImportTraject>, Vec<RijFout>) {
    let mut bouw: Vec<Bouw> = Vec::new();
    let mut fouten = Vec::new();
    for rij in rijen {
        let (clientnummer, mut traject) = match aanmelding(rij, "aanmelddatum", doel) {
            Ok(t) => t,
            Err(f) => {
                fouten.push(f);
                continue;
            }
        };
        let mut einde = None;
        let uitkomst = (|| -> Result<(), RijFout> {
            let n = rij.nummer;
            let mut regels = Vec::new();
            if let Some(d) = rij.datum("intakedatum")? {
                regels.push(rij_van(
                    n,
                    d,
                    "intake".into(),
                    ImportOpdracht::Opdracht(intake(rij)?),
                ));
            }
            if let Some(d) = rij.datum("werkgeverscontact")? {
                let o = werkgeverscontact(
                    rij,
                    "werkgeverscontact_werkgever",
                    "werkgeverscontact_persoonlijk",
                )?;
                regels.push(rij_van(
                    n,
                    d,
                    "werkgeverscontact".into(),
                    ImportOpdracht::Opdracht(o),
                ));
            }
            for p in 1..=PLAATSINGEN {
                let kolom = |veld: &str| plaatsing_kolom(p, veld);
                let Some(start) = rij.datum(&kolom("start"))? else {
                    if rij.cel(&kolom("einde")).is_some() {
                        return Err(rij.fout(
                            &kolom("start"),
                            Ongeldig::new("verplicht", "is verplicht bij een einde"),
                        ));
                    }
                    continue;
                };
                let sleutel = format!("plaatsing{p}");
                regels.push(rij_van(
                    n,
                    start,
                    sleutel.clone(),
                    ImportOpdracht::Opdracht(plaatsing(rij, kolom)?),
                ));
                if let Some(eind) = rij.datum(&kolom("einde"))? {
                    // Sorted by date, an end before its start would come first and read as
                    // the end of a placement the trajectory does not have.
                    if eind < start {
                        return Err(rij.fout(
                            &kolom("einde"),
                            Ongeldig::new(
                                "einde_voor_start",
                                "ligt voor de start van deze plaatsing",
                            ),
                        ));
                    }
                    let reden = rij.moet(&kolom("reden_einde"), |c| {
                        waarde::keuze(c, BeeindigingsReden::ALL, BeeindigingsReden::as_str)
                    })?;
                    regels.push(rij_van(
                        n,
                        eind,
                        format!("{sleutel}-einde"),
                        ImportOpdracht::PlaatsingBeeindigen {
                            start: Some(sleutel),
                            reden,
                        },
                    ));
                }
            }
            if let Some(d) = rij.datum("waakvlam")? {
                regels.push(rij_van(
                    n,
                    d,
                    "waakvlam".into(),
                    ImportOpdracht::Opdracht(Opdracht::WaakvlamInzetten),
                ));
            }
            if let Some(d) = rij.datum("afsluitdatum")? {
                einde = Some(d);
                regels.push(rij_van(
                    n,
                    d,
                    "afsluiting".into(),
                    ImportOpdracht::Opdracht(afsluiting(rij, "afsluitreden")?),
                ));
            }
            regels.sort_by_key(|r| (r.datum, rang(&r.opdracht)));
            traject.rijen = regels;
            Ok(())
        })();
        let fout = uitkomst.err();
        bouw.push(Bouw {
            clientnummer,
            clientkolom: rij.kop("clientnummer"),
            traject,
            einde,
            fout,
        });
    }
    klaar(bouw, fouten)
}

/// Checks that no client has two trajectories open at once in the file, then splits the
/// trajectories that read from the errors.
fn klaar(mut bouw: Vec<Bouw>, mut fouten: Vec<RijFout>) -> (Vec<ImportTraject>, Vec<RijFout>) {
    let mut per_client: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, b) in bouw.iter().enumerate() {
        per_client
            .entry(b.clientnummer.clone())
            .or_default()
            .push(i);
    }
    for indices in per_client.values() {
        let mut op_datum = indices.clone();
        op_datum.sort_by_key(|i| {
            (
                bouw[*i].traject.aanmelding.datum,
                bouw[*i].traject.aanmelding.rij,
            )
        });
        for paar in op_datum.windows(2) {
            let (a, b) = (paar[0], paar[1]);
            let b_start = bouw[b].traject.aanmelding.datum;
            let overlapt = bouw[a].einde.is_none_or(|e| e > b_start);
            if overlapt && bouw[b].fout.is_none() {
                let eerder = bouw[a].traject.aanmelding.rij;
                bouw[b].fout = Some(RijFout {
                    rij: bouw[b].traject.aanmelding.rij,
                    kolom: bouw[b].clientkolom.clone(),
                    regel: "client_dubbel",
                    bericht: format!(
                        "deze client heeft in rij {eerder} al een traject dat op deze aanmelddatum nog loopt"
                    ),
                });
            }
        }
    }
    let mut trajecten = Vec::new();
    for b in bouw {
        match b.fout {
            Some(f) => fouten.push(f),
            None => trajecten.push(b.traject),
        }
    }
    fouten.sort_by_key(|f| f.rij);
    (trajecten, fouten)
}

/// The kinds of row of the per-event layout, by their name in the column `gebeurtenis`.
pub(crate) const GEBEURTENISSEN: [&str; 10] = [
    "aanmelding",
    "intake",
    "coach",
    "werkgeverscontact",
    "plaatsing",
    "plaatsing_einde",
    "uren",
    "waakvlam",
    "opschaling",
    "afsluiting",
];

/// The number of a placement within its trajectory (column `plaatsing`): 1 or more.
fn plaatsingnummer(cel: &Cel) -> Result<usize, Ongeldig> {
    waarde::tekst(cel)
        .parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            Ongeldig::new(
                "geen_plaatsingnummer",
                "moet het volgnummer van een plaatsing in het traject zijn (1 = de eerste)",
            )
        })
}

/// A row of the per-event layout as its client's rows are sorted: its date, its place in a
/// day's course, its placement number (a plaatsing row's, else 0), its index and its kind.
type Regel = (NaiveDate, u8, usize, usize, &'static str);

fn per_gebeurtenis(rijen: &[Rij<'_>], doel: &Doel) -> (Vec<ImportTraject>, Vec<RijFout>) {
    let mut fouten = Vec::new();
    // Each client's rows, in order of date and course; placements starting on one day in the
    // order of their numbers, if the file numbers them (a number that does not read is
    // reported with its trajectory, below).
    let mut per_client: BTreeMap<String, Vec<Regel>> = BTreeMap::new();
    for (i, rij) in rijen.iter().enumerate() {
        let gelezen = (|| -> Result<(String, NaiveDate, &'static str), RijFout> {
            let clientnummer = waarde::tekst(rij.verplicht("clientnummer")?);
            let soort = rij.moet("gebeurtenis", |c| waarde::keuze(c, &GEBEURTENISSEN, |g| g))?;
            let datum = rij.moet("datum", waarde::datum)?;
            Ok((clientnummer, datum, soort))
        })();
        match gelezen {
            Ok((client, datum, soort)) => {
                let r = match soort {
                    "aanmelding" => 0,
                    "intake" => 1,
                    "coach" => 2,
                    "werkgeverscontact" => 3,
                    "plaatsing" => 4,
                    "uren" => 5,
                    "plaatsing_einde" => 6,
                    "waakvlam" => 7,
                    "opschaling" => 8,
                    _ => 9,
                };
                let nummer = match soort {
                    "plaatsing" => rij
                        .met("plaatsing", plaatsingnummer)
                        .ok()
                        .flatten()
                        .unwrap_or(0),
                    _ => 0,
                };
                per_client
                    .entry(client)
                    .or_default()
                    .push((datum, r, nummer, i, soort));
            }
            Err(f) => fouten.push(f),
        }
    }
    let mut bouw: Vec<Bouw> = Vec::new();
    for (clientnummer, mut regels) in per_client {
        regels.sort();
        let mut huidig: Option<usize> = None;
        let mut volgnummers: HashMap<(String, NaiveDate), usize> = HashMap::new();
        // The keys of the current trajectory's plaatsing rows so far, in order.
        let mut plaatsingen: Vec<String> = Vec::new();
        for (datum, _, _, i, soort) in regels {
            let rij = &rijen[i];
            if soort == "aanmelding" {
                plaatsingen.clear();
                match aanmelding(rij, "datum", doel) {
                    Ok((_, t)) => {
                        bouw.push(Bouw {
                            clientnummer: clientnummer.clone(),
                            clientkolom: rij.kop("clientnummer"),
                            traject: t,
                            einde: None,
                            fout: None,
                        });
                        huidig = Some(bouw.len() - 1);
                    }
                    Err(f) => {
                        fouten.push(f);
                        huidig = None;
                    }
                }
                continue;
            }
            let Some(b) = huidig else {
                fouten.push(RijFout {
                    rij: rij.nummer,
                    kolom: rij.kop("gebeurtenis"),
                    regel: "geen_aanmelding",
                    bericht: "deze client heeft op of voor deze datum geen aanmelding (of die rij is niet gelezen)".into(),
                });
                continue;
            };
            let volgnummer = volgnummers.entry((soort.to_owned(), datum)).or_insert(0);
            *volgnummer += 1;
            let sleutel = format!("{soort}-{datum}-{volgnummer}");
            if soort == "plaatsing" {
                plaatsingen.push(sleutel.clone());
            }
            let opdracht = (|| -> Result<ImportOpdracht, RijFout> {
                // The placement a row names: on its own row, its number must be its place; on
                // an end or a change of hours, one started on or before the row's date.
                let genoemd = match soort {
                    "plaatsing" | "plaatsing_einde" | "uren" => {
                        rij.met("plaatsing", plaatsingnummer)?
                    }
                    _ => None,
                };
                let start = match (soort, genoemd) {
                    (_, None) => None,
                    ("plaatsing", Some(n)) => {
                        if n != plaatsingen.len() {
                            return Err(rij.fout(
                                "plaatsing",
                                Ongeldig::new(
                                    "plaatsingnummer_onjuist",
                                    format!(
                                        "deze plaatsing is de {}e van het traject (op volgorde van startdatum)",
                                        plaatsingen.len()
                                    ),
                                ),
                            ));
                        }
                        None
                    }
                    (_, Some(n)) => Some(plaatsingen.get(n - 1).cloned().ok_or_else(|| {
                        rij.fout(
                            "plaatsing",
                            Ongeldig::new(
                                "plaatsing_onbekend",
                                "het traject heeft op of voor deze datum geen plaatsing met dit nummer",
                            ),
                        )
                    })?),
                };
                Ok(match soort {
                    "intake" => ImportOpdracht::Opdracht(intake(rij)?),
                    "coach" => ImportOpdracht::Opdracht(Opdracht::CoachToewijzen(
                        rij.tekst("coach", CoachId::parse)?,
                    )),
                    "werkgeverscontact" => ImportOpdracht::Opdracht(werkgeverscontact(
                        rij,
                        "werkgever",
                        "persoonlijk",
                    )?),
                    "plaatsing" => ImportOpdracht::Opdracht(plaatsing(rij, |veld| match veld {
                        "contract_einddatum" => "contract_einddatum".to_owned(),
                        v => v.to_owned(),
                    })?),
                    "uren" => ImportOpdracht::UrenWijzigen {
                        start,
                        uren: rij.moet("uren", waarde::uren)?,
                    },
                    "plaatsing_einde" => ImportOpdracht::PlaatsingBeeindigen {
                        start,
                        reden: rij.moet("reden", |c| {
                            waarde::keuze(c, BeeindigingsReden::ALL, BeeindigingsReden::as_str)
                        })?,
                    },
                    "waakvlam" => ImportOpdracht::Opdracht(Opdracht::WaakvlamInzetten),
                    "opschaling" => ImportOpdracht::Opdracht(Opdracht::Opschalen(Opgeschaald {
                        reden: rij.moet("reden", |c| {
                            waarde::keuze(c, OpschalingsReden::ALL, OpschalingsReden::as_str)
                        })?,
                    })),
                    _ => ImportOpdracht::Opdracht(afsluiting(rij, "reden")?),
                })
            })();
            match opdracht {
                Ok(o) => {
                    if soort == "afsluiting" {
                        bouw[b].einde = Some(datum);
                    }
                    bouw[b]
                        .traject
                        .rijen
                        .push(rij_van(rij.nummer, datum, sleutel, o));
                }
                Err(f) => {
                    if bouw[b].fout.is_none() {
                        bouw[b].fout = Some(f);
                    } else {
                        fouten.push(f);
                    }
                }
            }
        }
    }
    klaar(bouw, fouten)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KOP: [&str; 17] = [
        "clientnummer",
        "gebeurtenis",
        "datum",
        "methode",
        "verwijzer",
        "financier",
        "coach",
        "uitkering",
        "ggz_behandeling",
        "werkgever",
        "functie",
        "uren",
        "contract",
        "betaald",
        "regulier",
        "reden",
        "plaatsing",
    ];

    /// A per-event table of `rijen`, each cell put under its column by name.
    fn tabel(rijen: &[&[(&str, &str)]]) -> Tabel {
        Tabel {
            kopregel: 1,
            kopjes: KOP.iter().map(|k| (*k).to_owned()).collect(),
            rijen: rijen
                .iter()
                .map(|r| {
                    KOP.iter()
                        .map(|k| {
                            r.iter()
                                .find(|(kolom, _)| kolom == k)
                                .map_or(Cel::Leeg, |(_, w)| Cel::Tekst((*w).to_owned()))
                        })
                        .collect()
                })
                .collect(),
            vorm: "test".to_owned(),
        }
    }

    fn doel() -> Doel {
        Doel {
            organisatie: OrganisatieId::parse("org-a").unwrap(),
            regio: Some(Regio::Am13),
            vandaag: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        }
    }

    fn aanmelding(client: &'static str) -> Vec<(&'static str, &'static str)> {
        vec![
            ("clientnummer", client),
            ("gebeurtenis", "aanmelding"),
            ("datum", "2024-01-08"),
            ("methode", "IPS"),
            ("verwijzer", "GGZ"),
            ("financier", "Gemeente"),
        ]
    }

    fn intake(client: &'static str) -> Vec<(&'static str, &'static str)> {
        vec![
            ("clientnummer", client),
            ("gebeurtenis", "intake"),
            ("datum", "2024-01-15"),
            ("coach", "coach-a1"),
            ("uitkering", "WW"),
            ("ggz_behandeling", "ja"),
        ]
    }

    fn plaatsing(
        client: &'static str,
        datum: &'static str,
        nummer: &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        vec![
            ("clientnummer", client),
            ("gebeurtenis", "plaatsing"),
            ("datum", datum),
            ("werkgever", "Garage Jansen"),
            ("functie", "Monteur"),
            ("uren", "24"),
            ("contract", "Vast"),
            ("betaald", "ja"),
            ("regulier", "ja"),
            ("plaatsing", nummer),
        ]
    }

    fn einde(
        client: &'static str,
        datum: &'static str,
        nummer: &'static str,
    ) -> Vec<(&'static str, &'static str)> {
        vec![
            ("clientnummer", client),
            ("gebeurtenis", "plaatsing_einde"),
            ("datum", datum),
            ("reden", "OntslagWerknemer"),
            ("plaatsing", nummer),
        ]
    }

    /// The key of the plaatsing row an end or a change of hours names, with its date.
    fn genoemd(t: &ImportTraject) -> Vec<(NaiveDate, &str, Option<&str>)> {
        t.rijen
            .iter()
            .filter_map(|r| match &r.opdracht {
                ImportOpdracht::PlaatsingBeeindigen { start, .. } => {
                    Some((r.datum, "einde", start.as_deref()))
                }
                ImportOpdracht::UrenWijzigen { start, .. } => {
                    Some((r.datum, "uren", start.as_deref()))
                }
                _ => None,
            })
            .collect()
    }

    /// A placement that ends on the day the next starts: sorted by date and course the next
    /// one's start comes first, so "the running placement" would be the wrong one. The column
    /// `plaatsing` names the placement an end or a change of hours concerns; without it the row
    /// concerns the running one, as before.
    #[test]
    fn plaatsing_noemt_welke_plaatsing_een_einde_of_uren_betreft() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let uren = [
            ("clientnummer", "1"),
            ("gebeurtenis", "uren"),
            ("datum", "2024-08-01"),
            ("uren", "32"),
            ("plaatsing", "2"),
        ];
        // Out of order on purpose; the second placement's rows first.
        let rijen: Vec<Vec<(&str, &str)>> = vec![
            einde("1", "2024-09-30", ""),
            uren.to_vec(),
            plaatsing("1", "2024-06-30", "2"),
            einde("1", "2024-06-30", "1"),
            plaatsing("1", "2024-02-01", "1"),
            intake("1"),
            aanmelding("1"),
        ];
        let rijen: Vec<&[(&str, &str)]> = rijen.iter().map(Vec::as_slice).collect();
        let opzet = opzet(&tabel(&rijen), &doel()).unwrap();
        assert!(opzet.fouten.is_empty(), "{:?}", opzet.fouten);
        let t = &opzet.trajecten[0];
        let soorten: Vec<&str> = t
            .rijen
            .iter()
            .map(|r| r.sleutel.split('-').next().unwrap())
            .collect();
        assert_eq!(
            soorten,
            [
                "intake",
                "plaatsing",
                "plaatsing",
                "plaatsing_einde",
                "uren",
                "plaatsing_einde"
            ],
            "on 30 June the second placement starts before the first ends"
        );
        assert_eq!(
            genoemd(t),
            [
                (d("2024-06-30"), "einde", Some("plaatsing-2024-02-01-1")),
                (d("2024-08-01"), "uren", Some("plaatsing-2024-06-30-1")),
                (d("2024-09-30"), "einde", None),
            ]
        );
    }

    /// Placements starting on the same day are put in the order of their numbers, whatever the
    /// file's order, so they get the same keys in any file.
    #[test]
    fn plaatsingen_op_een_dag_op_volgorde_van_hun_nummer() {
        let mut tweede = plaatsing("1", "2024-02-01", "2");
        tweede.push(("functie", "Chauffeur"));
        tweede.retain(|(k, v)| *k != "functie" || *v == "Chauffeur");
        let rijen: Vec<Vec<(&str, &str)>> = vec![
            aanmelding("1"),
            intake("1"),
            tweede,
            plaatsing("1", "2024-02-01", "1"),
            einde("1", "2024-03-01", "2"),
        ];
        let rijen: Vec<&[(&str, &str)]> = rijen.iter().map(Vec::as_slice).collect();
        let opzet = opzet(&tabel(&rijen), &doel()).unwrap();
        assert!(opzet.fouten.is_empty(), "{:?}", opzet.fouten);
        let t = &opzet.trajecten[0];
        let rij_van = |sleutel: &str| t.rijen.iter().find(|r| r.sleutel == sleutel).unwrap().rij;
        // Rows 2 to 6: the second placement is on row 4, the first on row 5.
        assert_eq!(rij_van("plaatsing-2024-02-01-1"), 5);
        assert_eq!(rij_van("plaatsing-2024-02-01-2"), 4);
        assert_eq!(
            genoemd(t)[0].2,
            Some("plaatsing-2024-02-01-2"),
            "the end names the second"
        );
    }

    /// A number that is not a placement's place, a placement the trajectory does not have (yet),
    /// or no number at all: the trajectory is refused with the row, the column and the rule.
    #[test]
    fn een_onjuist_plaatsingnummer_wordt_geweigerd() {
        let rijen: Vec<Vec<(&str, &str)>> = vec![
            // Client 1: its first placement numbered 2.
            aanmelding("1"),
            intake("1"),
            plaatsing("1", "2024-02-01", "2"),
            // Client 2: an end of placement 2 while only one has started.
            aanmelding("2"),
            intake("2"),
            plaatsing("2", "2024-02-01", "1"),
            einde("2", "2024-03-01", "2"),
            // Client 3: no number.
            aanmelding("3"),
            intake("3"),
            plaatsing("3", "2024-02-01", "de eerste"),
            // Client 4: numbered 0.
            aanmelding("4"),
            intake("4"),
            plaatsing("4", "2024-02-01", ""),
            einde("4", "2024-03-01", "0"),
        ];
        let rijen: Vec<&[(&str, &str)]> = rijen.iter().map(Vec::as_slice).collect();
        let opzet = opzet(&tabel(&rijen), &doel()).unwrap();
        assert!(opzet.trajecten.is_empty(), "{:?}", opzet.trajecten);
        let fouten: Vec<(usize, &str, &str)> = opzet
            .fouten
            .iter()
            .map(|f| (f.rij, f.kolom.as_str(), f.regel))
            .collect();
        assert_eq!(
            fouten,
            [
                (4, "plaatsing", "plaatsingnummer_onjuist"),
                (8, "plaatsing", "plaatsing_onbekend"),
                (11, "plaatsing", "geen_plaatsingnummer"),
                (15, "plaatsing", "geen_plaatsingnummer"),
            ]
        );
    }
}

//! Import of an organisation's existing caseload from a spreadsheet (XLSX, or CSV as Dutch
//! Excel writes it), through the command path: every row is decided by the domain's rules
//! as if a teamleider recorded it by hand, each trajectory is written whole or not at all, and
//! importing the same rows again changes nothing.
//!
//! - [`bestand`]: the file as a table of cells (encodings, separators, XLSX sheets).
//! - [`waarde`]: a cell as a date, yes/no, hours or one of a closed list.
//! - [`sjabloon`]: the XLSX template of each layout, with its instructions and drop-down lists.
//! - [`indeling`]: the two layouts (a row per trajectory, a row per event) and how rows become
//!   [`ImportTraject`]s with ids derived from their content.
//! - this module: [`importeer`] runs them through [`Dienst::importeer`] and makes the
//!   [`Verslag`], the report per row in Dutch, with a dry run that writes nothing.
//!
//! Personal data columns (name, date of birth, phone, e-mail, BSN) go into the vault; the
//! report names rows, columns and rules, never a cell's content.

pub mod bestand;
pub mod indeling;
pub mod sjabloon;
pub mod waarde;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use traject_dienst::import::{ImportFout, ImportTraject, ImportUitkomst};
use traject_dienst::{Dienst, DienstError, Verzoeker};
use traject_domain::value::{ClientId, OrganisatieId, Regio};
use traject_store::Position;

pub use bestand::{BestandFout, Cel, Tabel};
pub use indeling::{Doel, Indeling, IndelingFout, RijFout};

/// How many clients' trajectories are imported side by side.
const TEGELIJK: usize = 16;

/// Files are read one at a time, each on a blocking thread ([`lees_en_zet_op`]): reading a large
/// sheet takes a core for seconds and hundreds of megabytes, and on the server's own threads two
/// uploads at once held every other request for seconds. A second upload waits for the first's
/// reading (not its writing, which waits on the store).
static LEZEN: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// What to import into, and whether only to try.
#[derive(Debug, Clone)]
pub struct Opties {
    pub organisatie: OrganisatieId,
    /// The region of rows without a column `regio`.
    pub regio: Option<Regio>,
    /// A dry run: decide every row, write nothing.
    pub proef: bool,
}

/// Why nothing (more) could be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Bestand(#[from] BestandFout),
    #[error("{0}")]
    Indeling(#[from] IndelingFout),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn een_weigering_noemt_de_kolom_van_het_bestand() {
        let t = Indeling::PerTraject;
        assert_eq!(kolom(t, None, "datum"), "aanmelddatum");
        assert_eq!(kolom(t, Some("intake"), "datum"), "intakedatum");
        assert_eq!(kolom(t, Some("intake"), "coach"), "coach");
        assert_eq!(kolom(t, Some("plaatsing1"), "datum"), "plaatsing_start");
        assert_eq!(
            kolom(t, Some("plaatsing2"), "uren_per_week"),
            "plaatsing2_uren"
        );
        assert_eq!(
            kolom(t, Some("plaatsing3-einde"), "datum"),
            "plaatsing3_einde"
        );
        assert_eq!(
            kolom(t, Some("plaatsing1-einde"), "reden"),
            "plaatsing_reden_einde"
        );
        assert_eq!(kolom(t, Some("afsluiting"), "datum"), "afsluitdatum");
        assert_eq!(
            kolom(t, Some("werkgeverscontact"), "werkgever"),
            "werkgeverscontact_werkgever"
        );
        let g = Indeling::PerGebeurtenis;
        assert_eq!(kolom(g, Some("intake-2026-01-05-1"), "datum"), "datum");
        assert_eq!(kolom(g, Some("uren-2026-01-05-1"), "uren_per_week"), "uren");
        assert_eq!(
            kolom(g, Some("waakvlam-2026-01-05-1"), "traject"),
            "gebeurtenis"
        );
        assert_eq!(kolom(t, Some("waakvlam"), "traject"), "waakvlam");
    }
}

/// The outcome of one trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectVerslag {
    /// The row of its aanmelding.
    pub rij: usize,
    pub uitkomst: Result<ImportUitkomst, ImportFout>,
}

/// The report of an import: how the file was read, and per trajectory what was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Verslag {
    pub vorm: String,
    pub indeling: Indeling,
    pub proef: bool,
    /// Data rows in the file.
    pub rijen: usize,
    pub onbekende_kolommen: Vec<String>,
    /// Rows whose cells did not read (their trajectories were not imported).
    pub rijfouten: Vec<RijFout>,
    pub trajecten: Vec<TrajectVerslag>,
    /// Set when the import stopped on a failure that was not the file's (the store or the
    /// vault): the trajectories in `trajecten` were decided (and written, or not, as each
    /// says); the rest were not read.
    pub afgebroken: Option<String>,
}

impl Verslag {
    /// The position of the last write, to wait for the read models.
    pub fn laatste_positie(&self) -> Option<Position> {
        self.trajecten
            .iter()
            .filter_map(|t| match t.uitkomst {
                Ok(ImportUitkomst::Vastgelegd { positie, .. })
                | Ok(ImportUitkomst::Aangevuld { positie, .. }) => Some(positie),
                _ => None,
            })
            .max()
    }

    /// How many trajectories ended each way: written (or would be, in a dry run), completed,
    /// unchanged, refused.
    pub fn tellingen(&self) -> Tellingen {
        let mut t = Tellingen::default();
        for v in &self.trajecten {
            match &v.uitkomst {
                Ok(ImportUitkomst::Vastgelegd { events, .. })
                | Ok(ImportUitkomst::Proef { events }) => {
                    t.vastgelegd += 1;
                    t.events += events;
                }
                Ok(ImportUitkomst::Aangevuld { events, .. }) => {
                    t.aangevuld += 1;
                    t.events += events;
                }
                Ok(ImportUitkomst::Ongewijzigd) => t.ongewijzigd += 1,
                Err(_) => t.geweigerd += 1,
            }
        }
        t.geweigerd += self.rijfouten_trajecten();
        t
    }

    /// Trajectories left out because a row did not read (one per aanmelding row among them,
    /// at least one per error).
    fn rijfouten_trajecten(&self) -> usize {
        self.rijfouten.len()
    }

    /// Whether nothing was refused and nothing failed.
    pub fn is_schoon(&self) -> bool {
        self.afgebroken.is_none()
            && self.rijfouten.is_empty()
            && self.trajecten.iter().all(|t| t.uitkomst.is_ok())
    }
}

/// The counts of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tellingen {
    pub vastgelegd: usize,
    pub aangevuld: usize,
    pub ongewijzigd: usize,
    pub geweigerd: usize,
    /// Events written (or, in a dry run, to be written).
    pub events: usize,
}

/// Reads `bytes` and imports its trajectories for `wie` (a teamleider of the organisation).
/// A file that cannot be read at all, or lacks a required column, imports nothing.
pub async fn importeer(
    dienst: &Dienst,
    wie: &Verzoeker<'_>,
    bytes: &[u8],
    opties: &Opties,
) -> Result<Verslag, ImportError> {
    let doel = Doel {
        organisatie: opties.organisatie.clone(),
        regio: opties.regio,
        vandaag: (dienst.vandaag)(),
    };
    let (vorm, opzet) = lees_en_zet_op(bytes, doel).await?;
    let mut verslag = Verslag {
        vorm,
        indeling: opzet.indeling,
        proef: opties.proef,
        rijen: opzet.rijen,
        onbekende_kolommen: opzet.onbekende_kolommen,
        rijfouten: opzet.fouten,
        trajecten: Vec::with_capacity(opzet.trajecten.len()),
        afgebroken: None,
    };
    // The trajectories of one client one after another (they share the client's stream), those
    // of different clients side by side, so that the store commits several in one go.
    let mut ketens: BTreeMap<ClientId, Vec<&ImportTraject>> = BTreeMap::new();
    for t in &opzet.trajecten {
        ketens.entry(t.client_id).or_default().push(t);
    }
    let mut ketens: Vec<Vec<&ImportTraject>> = ketens.into_values().collect();
    for k in &mut ketens {
        k.sort_by_key(|t| t.aanmelding.rij);
    }
    ketens.sort_by_key(|k| k.first().map(|t| t.aanmelding.rij));
    let gestopt = AtomicBool::new(false);
    // Without a stream combinator's closure: its future could not be sent to another task
    // (the upload runs the import in a task of its own).
    let mut wachtrij = ketens.into_iter();
    let mut lopend = FuturesUnordered::new();
    for keten in wachtrij.by_ref().take(TEGELIJK) {
        lopend.push(keten_importeren(dienst, wie, keten, opties.proef, &gestopt));
    }
    let mut uitkomsten: Vec<TrajectVerslag> = Vec::new();
    while let Some(uit) = lopend.next().await {
        uitkomsten.extend(uit);
        if let Some(keten) = wachtrij.next() {
            lopend.push(keten_importeren(dienst, wie, keten, opties.proef, &gestopt));
        }
    }
    uitkomsten.sort_by_key(|t| t.rij);
    verslag.afgebroken = uitkomsten.iter().find_map(|t| match &t.uitkomst {
        Err(f) if !f.fout.is_weigering() => Some(format!("rij {}: {}", f.rij, publiek(&f.fout))),
        _ => None,
    });
    verslag.trajecten = uitkomsten;
    Ok(verslag)
}

/// Reads the file and sets out its trajectories ([`bestand::lees`], [`indeling::opzet`]) on a
/// blocking thread, one file at a time ([`LEZEN`]); returns how the file was read and the
/// trajectories. The table of cells is freed here, before the trajectories are written.
async fn lees_en_zet_op(
    bytes: &[u8],
    doel: Doel,
) -> Result<(String, indeling::Opzet), ImportError> {
    let _beurt = LEZEN
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let bytes = bytes.to_vec();
    let gelezen = tokio::task::spawn_blocking(move || {
        let tabel = bestand::lees(&bytes)?;
        drop(bytes);
        let opzet = indeling::opzet(&tabel, &doel)?;
        Ok::<_, ImportError>((tabel.vorm, opzet))
    })
    .await;
    match gelezen {
        Ok(uitkomst) => uitkomst,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("reading the file was cancelled: {e}"),
    }
}

/// `n gebeurtenissen`, or one.
fn gebeurtenissen(n: usize) -> String {
    if n == 1 {
        "1 gebeurtenis".to_owned()
    } else {
        format!("{n} gebeurtenissen")
    }
}

/// Imports one client's trajectories one after another, until `gestopt` (a failure elsewhere
/// that was not the file's).
async fn keten_importeren<'a>(
    dienst: &'a Dienst,
    wie: &'a Verzoeker<'a>,
    keten: Vec<&'a ImportTraject>,
    proef: bool,
    gestopt: &'a AtomicBool,
) -> Vec<TrajectVerslag> {
    let mut uit = Vec::with_capacity(keten.len());
    for t in keten {
        if gestopt.load(Ordering::Relaxed) {
            break;
        }
        let uitkomst = dienst.importeer(wie, t, proef).await;
        if let Err(f) = &uitkomst
            && !f.fout.is_weigering()
        {
            gestopt.store(true, Ordering::Relaxed);
        }
        uit.push(TrajectVerslag {
            rij: t.aanmelding.rij,
            uitkomst,
        });
    }
    uit
}

/// A failure as a report may say it: an internal detail stays in the server's log.
fn publiek(fout: &DienstError) -> String {
    match fout {
        DienstError::Intern(_) => "interne fout; zie het log van de server".to_owned(),
        other => other.to_string(),
    }
}

/// The column of the file that a refusal by the rules concerns, as the layout names it: the
/// domain names a field (`datum`, `uren_per_week`), a row of the per-trajectory layout holds
/// several events, and the event's key (`intake`, `plaatsing2-einde`) says which.
pub fn kolom(indeling: Indeling, sleutel: Option<&str>, veld: &str) -> String {
    let veld = match veld {
        "uren_per_week" => "uren",
        "in_ggz_behandeling" => "ggz_behandeling",
        // A rule of the trajectory as a whole (no placement running, a closed trajectory):
        // the row's event is what does not fit.
        "traject" => match indeling {
            Indeling::PerGebeurtenis => "gebeurtenis",
            Indeling::PerTraject => "datum",
        },
        v => v,
    };
    if indeling == Indeling::PerGebeurtenis {
        return veld.to_owned();
    }
    let sleutel = sleutel.unwrap_or("aanmelding");
    let plaatsing = |s: &str| -> Option<(String, bool)> {
        let (nr, einde) = match s.strip_suffix("-einde") {
            Some(n) => (n, true),
            None => (s, false),
        };
        let nr = nr.strip_prefix("plaatsing")?;
        let voorvoegsel = if nr == "1" {
            "plaatsing".to_owned()
        } else {
            format!("plaatsing{nr}")
        };
        Some((voorvoegsel, einde))
    };
    match (sleutel, veld) {
        ("aanmelding", "datum") => "aanmelddatum".to_owned(),
        ("intake", "datum") => "intakedatum".to_owned(),
        ("werkgeverscontact", "datum") => "werkgeverscontact".to_owned(),
        ("werkgeverscontact", v) => format!("werkgeverscontact_{v}"),
        ("waakvlam", "datum") => "waakvlam".to_owned(),
        ("afsluiting", "datum") => "afsluitdatum".to_owned(),
        ("afsluiting", "reden") => "afsluitreden".to_owned(),
        (s, v) => match plaatsing(s) {
            Some((p, true)) if v == "datum" => format!("{p}_einde"),
            Some((p, true)) if v == "reden" => format!("{p}_reden_einde"),
            Some((p, false)) if v == "datum" => format!("{p}_start"),
            Some((p, _)) => format!("{p}_{v}"),
            None => v.to_owned(),
        },
    }
}

fn regel_van(fout: &DienstError) -> (&str, &'static str, String) {
    match fout {
        DienstError::Invoer {
            veld,
            regel,
            bericht,
        } => (veld.as_str(), regel, bericht.clone()),
        DienstError::Conflict { .. } => ("traject", "conflict", fout.to_string()),
        DienstError::Verboden(regel) => ("organisatie", regel, "geen toegang".to_owned()),
        other => ("", "fout", publiek(other)),
    }
}

impl fmt::Display for Verslag {
    /// The report in Dutch: one line per trajectory and per row that did not read, then the
    /// counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let indeling = match self.indeling {
            Indeling::PerTraject => "één rij per traject",
            Indeling::PerGebeurtenis => "één rij per gebeurtenis",
        };
        writeln!(
            f,
            "bestand: {}; {indeling}; {} rijen",
            self.vorm, self.rijen
        )?;
        if self.proef {
            writeln!(f, "proef: er is niets vastgelegd")?;
        }
        if !self.onbekende_kolommen.is_empty() {
            writeln!(
                f,
                "niet gebruikt (onbekende kolommen): {}",
                self.onbekende_kolommen.join(", ")
            )?;
        }
        let mut regels: Vec<(usize, String)> = Vec::new();
        for r in &self.rijfouten {
            regels.push((
                r.rij,
                format!(
                    "rij {}, kolom {}: geweigerd ({}): {}",
                    r.rij, r.kolom, r.regel, r.bericht
                ),
            ));
        }
        for t in &self.trajecten {
            let mut s = String::new();
            match &t.uitkomst {
                Ok(ImportUitkomst::Vastgelegd { events, .. }) => {
                    let _ = write!(s, "rij {}: vastgelegd ({})", t.rij, gebeurtenissen(*events));
                }
                Ok(ImportUitkomst::Proef { events }) => {
                    let _ = write!(
                        s,
                        "rij {}: wordt vastgelegd ({})",
                        t.rij,
                        gebeurtenissen(*events)
                    );
                }
                Ok(ImportUitkomst::Aangevuld { events, .. }) => {
                    let _ = write!(
                        s,
                        "rij {}: aangevuld ({} erbij)",
                        t.rij,
                        gebeurtenissen(*events)
                    );
                }
                Ok(ImportUitkomst::Ongewijzigd) => {
                    let _ = write!(s, "rij {}: ongewijzigd (eerder geïmporteerd)", t.rij);
                }
                Err(e) => {
                    let (veld, regel, bericht) = regel_van(&e.fout);
                    let _ = write!(s, "rij {}", e.rij);
                    if !veld.is_empty() {
                        let k = kolom(self.indeling, e.sleutel.as_deref(), veld);
                        let _ = write!(s, ", kolom {k}");
                    }
                    let _ = write!(s, ": geweigerd ({regel}): {bericht}");
                    if e.rij != t.rij {
                        let _ = write!(
                            s,
                            " (traject van rij {}; niets van dit traject vastgelegd)",
                            t.rij
                        );
                    }
                }
            }
            regels.push((t.rij, s));
        }
        regels.sort_by_key(|(rij, _)| *rij);
        for (_, r) in regels {
            writeln!(f, "{r}")?;
        }
        if let Some(a) = &self.afgebroken {
            writeln!(
                f,
                "afgebroken bij {a}; trajecten die hier niet staan zijn niet ingelezen (opnieuw importeren gaat verder)"
            )?;
        }
        let t = self.tellingen();
        let werkwoord = if self.proef {
            "worden vastgelegd"
        } else {
            "vastgelegd"
        };
        writeln!(
            f,
            "samen: {} trajecten {werkwoord} ({}), {} aangevuld, {} ongewijzigd, {} geweigerd",
            t.vastgelegd,
            gebeurtenissen(t.events),
            t.aangevuld,
            t.ongewijzigd,
            t.geweigerd
        )
    }
}

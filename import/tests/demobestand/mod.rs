//! The national demo data as import files, shared by the test `landelijk` and the benchmark
//! `import`: which generated trajectories the per-event layout can express, each organisation's
//! trajectories as a per-event CSV, and an application layer on a temporary SQLite store with
//! the demo's teams to import them into, through a teamleider of each organisation.

#[path = "../omgeving/mod.rs"]
mod omgeving;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use traject_demo::{DemoOpties, DemoTraject};
use traject_dienst::{Dienst, Gebruiker, Rol, Verzoeker};
use traject_domain::event::{Contract, Event, EventData};
use traject_domain::value::{OrganisatieId, PlaatsingId, Regio};
use traject_import::{Opties, Verslag, importeer};

/// The last day of the data: the fixed "today" of the generator and of the import.
pub fn vandaag() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date")
}

/// The national demo data set of `trajecten` trajectories up to [`vandaag`].
pub fn opties(trajecten: usize) -> DemoOpties {
    DemoOpties {
        trajecten,
        ..DemoOpties::landelijk(vandaag())
    }
}

/// The columns of the per-event layout, as the files here write them.
pub const KOLOMMEN: [&str; 20] = [
    "clientnummer",
    "gebeurtenis",
    "datum",
    "methode",
    "verwijzer",
    "financier",
    "regio",
    "coach",
    "uitkering",
    "ggz_behandeling",
    "werkgever",
    "functie",
    "persoonlijk",
    "uren",
    "contract",
    "contract_einddatum",
    "betaald",
    "regulier",
    "reden",
    "plaatsing",
];

/// Why a generated trajectory is left out of the import files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Overgeslagen {
    /// Reopened: the per-event layout has no row for a reopening.
    Heropend,
    /// An event retracted: a file holds what happened, not a mistake and its correction.
    Ingetrokken,
    /// Personal data erased: not something to import.
    Gewist,
}

/// The trajectory as the per-event layout can express it: without its planned actions (they
/// touch neither status nor figures), or why it cannot be.
pub fn uitdrukbaar(mut t: DemoTraject) -> Result<DemoTraject, Overgeslagen> {
    for e in &t.events {
        match e.data {
            EventData::TrajectHeropend(_) => return Err(Overgeslagen::Heropend),
            EventData::GebeurtenisIngetrokken(_) => return Err(Overgeslagen::Ingetrokken),
            EventData::PersoonsgegevensGewist(_) => return Err(Overgeslagen::Gewist),
            _ => {}
        }
    }
    t.events
        .retain(|e| !matches!(e.data, EventData::ActieGepland(_)));
    Ok(t)
}

/// The organisation of a generated trajectory (of its aanmelding).
pub fn organisatie(t: &DemoTraject) -> OrganisatieId {
    match t.events.first().map(|e| &e.data) {
        Some(EventData::TrajectAangemeld(a)) => a.organisatie.clone(),
        other => panic!("a generated trajectory starts with its aanmelding, not {other:?}"),
    }
}

/// The data set's trajectories that the layout can express, per organisation, and how many
/// were left out for each reason.
pub struct Uitsnede {
    pub per_organisatie: BTreeMap<OrganisatieId, Vec<DemoTraject>>,
    pub overgeslagen: BTreeMap<Overgeslagen, usize>,
}

impl Uitsnede {
    pub fn van(opties: &DemoOpties) -> Self {
        let mut per_organisatie: BTreeMap<OrganisatieId, Vec<DemoTraject>> = BTreeMap::new();
        let mut overgeslagen = BTreeMap::new();
        for t in traject_demo::generate(opties) {
            match uitdrukbaar(t) {
                Ok(t) => per_organisatie.entry(organisatie(&t)).or_default().push(t),
                Err(reden) => *overgeslagen.entry(reden).or_default() += 1,
            }
        }
        Self {
            per_organisatie,
            overgeslagen,
        }
    }

    /// The trajectories kept.
    pub fn trajecten(&self) -> impl Iterator<Item = &DemoTraject> {
        self.per_organisatie.values().flatten()
    }

    /// How many were left out.
    pub fn aantal_overgeslagen(&self) -> usize {
        self.overgeslagen.values().sum()
    }
}

fn ja_nee(b: bool) -> &'static str {
    if b { "ja" } else { "nee" }
}

/// The per-event rows of one trajectory, in its stream order, under `clientnummer`. Its
/// placements are numbered in the order they started (column `plaatsing`), so an end on the
/// day the next placement starts names the placement it ends.
pub fn rijen(t: &DemoTraject, clientnummer: &str) -> Vec<[String; KOLOMMEN.len()]> {
    let mut plaatsingen: Vec<PlaatsingId> = Vec::new();
    let mut nummer = |id: PlaatsingId, nieuw: bool| {
        if nieuw {
            plaatsingen.push(id);
        }
        let n = plaatsingen
            .iter()
            .position(|p| *p == id)
            .expect("an end or change of a placement that started")
            + 1;
        n.to_string()
    };
    t.events
        .iter()
        .map(|e: &Event| {
            let mut rij: [String; KOLOMMEN.len()] = Default::default();
            let mut zet = |kolom: &str, waarde: String| {
                let i = KOLOMMEN
                    .iter()
                    .position(|k| *k == kolom)
                    .expect("a column of the layout");
                rij[i] = waarde;
            };
            zet("clientnummer", clientnummer.to_owned());
            zet("datum", e.datum.date().format("%Y-%m-%d").to_string());
            let soort = match &e.data {
                EventData::TrajectAangemeld(a) => {
                    zet("methode", a.methode.as_str().to_owned());
                    zet("verwijzer", a.verwijzer.as_str().to_owned());
                    zet("financier", a.financier.as_str().to_owned());
                    zet("regio", a.regio.code().to_owned());
                    "aanmelding"
                }
                EventData::IntakeAfgerond(i) => {
                    zet("coach", i.coach.as_str().to_owned());
                    zet("uitkering", i.uitkering.as_str().to_owned());
                    zet("ggz_behandeling", ja_nee(i.in_ggz_behandeling).to_owned());
                    "intake"
                }
                EventData::CoachToegewezen(c) => {
                    zet("coach", c.coach.as_str().to_owned());
                    "coach"
                }
                EventData::WerkgeverContactGelegd(w) => {
                    let werkgever = w.werkgever.open().expect("generated in clear");
                    zet("werkgever", werkgever.as_str().to_owned());
                    zet("persoonlijk", ja_nee(w.persoonlijk).to_owned());
                    "werkgeverscontact"
                }
                EventData::PlaatsingGestart(p) => {
                    let werkgever = p.werkgever.open().expect("generated in clear");
                    let functie = p.functie.open().expect("generated in clear");
                    zet("werkgever", werkgever.as_str().to_owned());
                    zet("functie", functie.as_str().to_owned());
                    zet("uren", p.uren_per_week.hours().to_string());
                    zet("contract", p.contract.vorm().to_owned());
                    if let Contract::Tijdelijk { einddatum } = p.contract {
                        zet(
                            "contract_einddatum",
                            einddatum.date().format("%Y-%m-%d").to_string(),
                        );
                    }
                    zet("betaald", ja_nee(p.betaald).to_owned());
                    zet("regulier", ja_nee(p.regulier).to_owned());
                    zet("plaatsing", nummer(p.plaatsing_id, true));
                    "plaatsing"
                }
                EventData::PlaatsingBeeindigd(b) => {
                    zet("reden", b.reden.as_str().to_owned());
                    zet("plaatsing", nummer(b.plaatsing_id, false));
                    "plaatsing_einde"
                }
                EventData::UrenGewijzigd(u) => {
                    zet("uren", u.uren_per_week.hours().to_string());
                    zet("plaatsing", nummer(u.plaatsing_id, false));
                    "uren"
                }
                EventData::WaakvlamIngezet(_) => "waakvlam",
                EventData::Opgeschaald(o) => {
                    zet("reden", o.reden.as_str().to_owned());
                    "opschaling"
                }
                EventData::TrajectAfgesloten(a) => {
                    zet("reden", a.reden.as_str().to_owned());
                    "afsluiting"
                }
                other => panic!("the per-event layout has no row for {other:?}"),
            };
            zet("gebeurtenis", soort.to_owned());
            rij
        })
        .collect()
}

/// The per-event CSV of `trajecten` (`,` between fields, as the `csv` crate writes), each under
/// its client's id as its client number. Returns the file and its number of data rows.
pub fn csv(trajecten: &[DemoTraject]) -> (Vec<u8>, usize) {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(KOLOMMEN).expect("write to memory");
    let mut aantal = 0;
    for t in trajecten {
        let clientnummer = match t.events.first().map(|e| &e.data) {
            Some(EventData::TrajectAangemeld(a)) => a.client_id.to_string(),
            _ => unreachable!("a generated trajectory starts with its aanmelding"),
        };
        for rij in rijen(t, &clientnummer) {
            w.write_record(&rij).expect("write to memory");
            aantal += 1;
        }
    }
    (w.into_inner().expect("write to memory"), aantal)
}

/// The region of a demo organisation.
pub fn regio_van(organisatie: &OrganisatieId) -> Regio {
    *Regio::ALL
        .iter()
        .find(|r| traject_demo::organisaties(**r).contains(organisatie))
        .expect("a demo organisation")
}

/// The teamleider of a demo organisation.
pub fn teamleider(organisatie: &OrganisatieId) -> Gebruiker {
    Gebruiker {
        id: format!("tl-{organisatie}"),
        naam: format!("Teamleider {organisatie}"),
        rollen: vec![Rol::Teamleider],
        organisatie: Some(organisatie.clone()),
        regio: Some(regio_van(organisatie)),
    }
}

/// An application layer on its own temporary directory (an SQLite event store, vault and
/// access log) holding the demo's teams of `opties`. Its read models do not follow the store
/// (an import does not wait for them). The directory goes last, after the stores on it.
pub struct Omgeving {
    pub dienst: Dienst,
    pub map: tempfile::TempDir,
}

impl Omgeving {
    pub async fn nieuw(opties: &DemoOpties) -> Self {
        let map = tempfile::tempdir().expect("a temporary directory");
        let dienst = omgeving::dienst_in(map.path(), vandaag, false).await;
        dienst
            .store
            .append_atomic(traject_demo::teams(opties))
            .await
            .expect("the teams are written");
        Self { dienst, map }
    }

    /// Imports each organisation's file as its teamleider. Returns the reports.
    pub async fn importeer(
        &self,
        bestanden: &[(OrganisatieId, Vec<u8>)],
    ) -> Vec<(OrganisatieId, Verslag)> {
        let mut verslagen = Vec::with_capacity(bestanden.len());
        for (organisatie, bytes) in bestanden {
            let tl = teamleider(organisatie);
            let wie = Verzoeker {
                gebruiker: &tl,
                correlatie: uuid::Uuid::now_v7(),
            };
            let opties = Opties {
                organisatie: organisatie.clone(),
                regio: None,
                proef: false,
            };
            let verslag = importeer(&self.dienst, &wie, bytes, &opties)
                .await
                .unwrap_or_else(|e| panic!("{organisatie}: the file does not read: {e}"));
            verslagen.push((organisatie.clone(), verslag));
        }
        verslagen
    }
}

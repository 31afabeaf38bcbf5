//! The national demo data: a realistic set of trajectories for all 35 regions, made through the
//! domain's own commands so that every event is valid, deterministic for a seed.
//!
//! Each trajectory is simulated from its own seed (the data set's seed and its index), so a data
//! set can be made in any order or in parallel and is the same every time. Proportions follow
//! what regions report of IPS: most clients start, about 40% reach paid work, many of those go
//! to waakvlam; there is drop-out, job loss and opschaling, coach changes, some reopened
//! trajectories and some retracted mistakes. On the last day it looks like a programme in use:
//! a coach carries about 20 open trajectories, none older than three years or silent for
//! months, most with a next action planned (some due).
//!
//! [`load`] writes a data set in bulk: every organisation's team, then each trajectory together
//! with its client's registration, the same streams the application layer (`traject-dienst`)
//! writes. It bypasses the command path's per-command access-log entries and read-your-writes,
//! which 2.5 million generated events do not need; what it writes is generated through the
//! domain's `decide`, so every event is one the command path would accept.

use chrono::{Datelike, Days, Months, NaiveDate};
use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{Command, CommandKind, Event, Traject, apply, decide};

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoOpties {
    /// The seed; the same seed gives the same data.
    pub seed: u64,
    /// How many trajectories.
    pub trajecten: usize,
    /// Over how many years up to `vandaag`.
    pub jaren: u32,
    /// The last day of the data.
    pub vandaag: NaiveDate,
}

impl DemoOpties {
    /// The national data set: 100,000 trajectories over 10 years.
    pub fn landelijk(vandaag: NaiveDate) -> Self {
        Self {
            seed: 2017,
            trajecten: 100_000,
            jaren: 10,
            vandaag,
        }
    }
}

/// One generated trajectory.
#[derive(Debug, Clone)]
pub struct DemoTraject {
    pub id: TrajectId,
    /// Its events, in stream order.
    pub events: Vec<Event>,
    /// Commands the domain refused while simulating (a correct generator has none).
    pub geweigerd: usize,
}

/// The organisations of a region: 2 to 4, named after the region.
pub fn organisaties(regio: Regio) -> Vec<OrganisatieId> {
    let n = 2 + (regio as usize % 3);
    (1..=n)
        .map(|i| {
            OrganisatieId::parse(&format!("org-{}-{i}", regio.code().to_lowercase()))
                .expect("valid id")
        })
        .collect()
}

/// The coaches of an organisation in a data set of `trajecten`, so that a coach's open caseload
/// is around 20.
pub fn coaches(organisatie: &OrganisatieId, opties: &DemoOpties) -> Vec<CoachId> {
    // About one in seven trajectories is open on the last day (most are closed within a year or
    // two, none runs longer than three years); a coach carries ~20. Regions get the same share
    // of trajectories and split it among their organisations.
    let orgs_in_regio = Regio::ALL
        .iter()
        .map(|r| organisaties(*r))
        .find(|orgs| orgs.contains(organisatie))
        .map_or(3, |orgs| orgs.len());
    let per_org = opties.trajecten as f64 / 35.0 / orgs_in_regio as f64;
    // A team has two coaches at least (a small data set has small caseloads).
    let n = ((per_org / 7.0 / 20.0).round() as usize).max(2);
    (1..=n)
        .map(|i| CoachId::parse(&format!("{}-coach-{i}", organisatie.as_str())).expect("valid id"))
        .collect()
}

/// The recording time of the data set's first id: midnight before `vandaag`, less one 256 ms
/// slot per trajectory.
fn opties_base_ms(opties: &DemoOpties) -> u64 {
    let midnight = opties
        .vandaag
        .and_hms_opt(0, 0, 0)
        .expect("valid time")
        .and_utc();
    (midnight.timestamp_millis() as u64).saturating_sub(opties.trajecten as u64 * 256)
}

/// Every trajectory of the data set, in order.
pub fn generate(opties: &DemoOpties) -> impl Iterator<Item = DemoTraject> + '_ {
    (0..opties.trajecten).map(|i| traject(opties, i))
}

/// Trajectory number `index` of the data set.
pub fn traject(opties: &DemoOpties, index: usize) -> DemoTraject {
    let mut rng =
        fastrand::Rng::with_seed(opties.seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    // Ids carry a recording time that rises with the index, as ids minted while recording do,
    // so the store's indexes on event id and stream take their inserts in order.
    let recorded_ms = opties_base_ms(opties) + index as u64 * 256;
    let random: [u8; 10] = rng.u128(..).to_le_bytes()[..10]
        .try_into()
        .expect("10 bytes");
    let id =
        TrajectId::new(uuid::Builder::from_unix_timestamp_millis(recorded_ms, &random).into_uuid())
            .expect("a v7 id is not nil");
    let span = u64::from(opties.jaren) * 365;
    let start = opties.vandaag - Days::new(rng.u64(0..span));
    let mut sim = Sim {
        rng,
        recorded_ms,
        opties,
        traject: Traject::default(),
        events: Vec::new(),
        geweigerd: 0,
        dag: start,
    };
    sim.leef();
    sim.rond_af();
    DemoTraject {
        id,
        events: sim.events,
        geweigerd: sim.geweigerd,
    }
}

struct Sim<'a> {
    rng: fastrand::Rng,
    /// The recording time of the next event's id, in ms since the Unix epoch.
    recorded_ms: u64,
    opties: &'a DemoOpties,
    traject: Traject,
    events: Vec<Event>,
    geweigerd: usize,
    dag: NaiveDate,
}

impl Sim<'_> {
    /// Records `kind` on the current day, if that day is not after `vandaag`.
    fn doe(&mut self, kind: CommandKind) -> Option<EventId> {
        if self.dag > self.opties.vandaag {
            return None;
        }
        let random: [u8; 10] = self.rng.u128(..).to_le_bytes()[..10].try_into().ok()?;
        self.recorded_ms += 1;
        let id = EventId::new(
            uuid::Builder::from_unix_timestamp_millis(self.recorded_ms, &random).into_uuid(),
        )
        .ok()?;
        let command = Command {
            event_id: id,
            revisie: self.traject.revisie(),
            datum: Datum::new(self.dag).ok()?,
            kind,
        };
        match decide(&self.traject, command, self.opties.vandaag) {
            Ok(events) => {
                for event in events {
                    apply(&mut self.traject, event.clone()).expect("a decided event applies");
                    self.events.push(event);
                }
                Some(id)
            }
            Err(_) => {
                self.geweigerd += 1;
                None
            }
        }
    }

    fn wacht(&mut self, van: u64, tot: u64) {
        self.dag = self.dag + Days::new(self.rng.u64(van..=tot));
    }

    fn kans(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    fn kies<T: Copy>(&mut self, opties: &[(T, u32)]) -> T {
        let totaal: u32 = opties.iter().map(|(_, w)| w).sum();
        let mut r = self.rng.u32(0..totaal);
        for (v, w) in opties {
            if r < *w {
                return *v;
            }
            r -= w;
        }
        opties[0].0
    }

    /// Open, on or before `vandaag`, and not longer than a trajectory's story runs.
    fn open(&self) -> bool {
        self.traject.toestand().is_some_and(|t| {
            t.is_open() && self.dag <= t.aanmelding.date() + Days::new(MAX_DUUR_DAGEN)
        }) && self.dag <= self.opties.vandaag
    }

    fn leef(&mut self) {
        let regio = Regio::ALL[self.rng.usize(..35)];
        let organisatie = {
            let orgs = organisaties(regio);
            orgs[self.rng.usize(..orgs.len())].clone()
        };
        let coaches = coaches(&organisatie, self.opties);
        let methode = self.kies(&[
            (Methode::Ips, 5),
            (Methode::Jobcoaching, 3),
            (Methode::WerkAlsBesteZorg, 2),
        ]);
        let client_id = ClientId::new(
            uuid::Builder::from_random_bytes(self.rng.u128(..).to_le_bytes()).into_uuid(),
        )
        .expect("random id is not nil");
        let verwijzer = self.kies(&[
            (Verwijzer::Ggz, 6),
            (Verwijzer::Gemeente, 2),
            (Verwijzer::Uwv, 1),
            (Verwijzer::Client, 1),
        ]);
        let financier = match methode {
            Methode::WerkAlsBesteZorg => Financier::Zorgverzekeraar,
            _ => self.kies(&[
                (Financier::Gemeente, 6),
                (Financier::Uwv, 3),
                (Financier::Ggz, 1),
            ]),
        };
        self.doe(CommandKind::Aanmelden(TrajectAangemeld {
            client_id,
            methode,
            regio,
            organisatie,
            verwijzer,
            financier,
        }));
        self.wacht(3, 30);
        if self.kans(0.08) {
            self.wacht(20, 90);
            let reden = self.kies(&[
                (AfsluitingsReden::GeenWerkwens, 3),
                (AfsluitingsReden::Uitval, 2),
            ]);
            self.doe(CommandKind::Afsluiten(TrajectAfgesloten { reden }));
            return;
        }
        let coach = coaches[self.rng.usize(..coaches.len())].clone();
        let uitkering = self.kies(&[
            (Uitkering::Participatiewet, 5),
            (Uitkering::Wia, 2),
            (Uitkering::Wajong, 2),
            (Uitkering::Ww, 1),
            (Uitkering::Geen, 1),
        ]);
        let ggz = self.kans(0.8);
        self.doe(CommandKind::IntakeAfronden(IntakeAfgerond {
            coach: coach.clone(),
            uitkering,
            in_ggz_behandeling: ggz,
        }));
        let mut rondes = 0;
        while self.open() && rondes < 4 {
            rondes += 1;
            if !self.zoek(methode, &coaches) {
                return;
            }
            if !self.werk() {
                return;
            }
        }
    }

    /// What a coach does with a trajectory the simulation leaves open. One whose story ended
    /// before `vandaag` without a closing is closed a few weeks after its last event (as
    /// duurzaam when it is), so no trajectory stays open for years with nothing recorded; one
    /// still going on gets a next action, planned in the last weeks, due now or soon.
    fn rond_af(&mut self) {
        let vandaag = self.opties.vandaag;
        let Some((aanmelding, laatste)) = self
            .traject
            .toestand()
            .filter(|t| t.is_open())
            .map(|t| (t.aanmelding.date(), t.laatste_datum.date()))
        else {
            return;
        };
        // Its story ended: by the simulation before today, or by the longest a trajectory runs.
        let te_oud = aanmelding + Days::new(MAX_DUUR_DAGEN);
        let verhaal_uit = if self.dag <= vandaag {
            Some(self.dag)
        } else {
            (te_oud <= vandaag).then_some(te_oud)
        };
        if let Some(uit) = verhaal_uit {
            self.dag = uit.max(laatste) + Days::new(self.rng.u64(14..=90));
            if te_oud <= vandaag {
                self.dag = self.dag.min(vandaag);
            }
            if self.dag <= vandaag {
                let duurzaam = traject_domain::status(
                    &self.traject,
                    self.dag,
                    &traject_domain::DuurzaamBeleid::default(),
                )
                .is_some_and(|s| s.duurzaam_bereikt_op.is_some());
                let reden = if duurzaam {
                    AfsluitingsReden::DuurzaamAanHetWerk
                } else {
                    self.kies(&[(AfsluitingsReden::Uitval, 3), (AfsluitingsReden::Anders, 1)])
                };
                self.doe(CommandKind::Afsluiten(TrajectAfgesloten { reden }));
                return;
            }
        }
        if self.kans(0.85) {
            let gepland = (vandaag - Days::new(self.rng.u64(0..=20))).max(laatste);
            self.dag = gepland;
            let actie = self.kies(&[
                (ActieSoort::Gesprek, 5),
                (ActieSoort::Werkgeverscontact, 4),
                (ActieSoort::Werkplekbezoek, 2),
                (ActieSoort::AfstemmingBehandelaar, 2),
                (ActieSoort::AfstemmingFinancier, 1),
                (ActieSoort::Evaluatie, 1),
            ]);
            // Coaches plan on working days: a Saturday or Sunday moves to the Monday after.
            let mut dag = gepland + Days::new(self.rng.u64(1..=28));
            while matches!(dag.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                dag = dag + Days::new(1);
            }
            if let Ok(op) = Datum::new(dag) {
                self.doe(CommandKind::ActiePlannen(ActieGepland { actie, op }));
            }
        }
    }

    /// Job search until a placement starts; false when the trajectory ends meanwhile.
    fn zoek(&mut self, methode: Methode, coaches: &[CoachId]) -> bool {
        let eerste = if methode == Methode::Ips {
            (3, 35)
        } else {
            (7, 70)
        };
        self.wacht(eerste.0, eerste.1);
        let gevonden = self.kans(0.46);
        let contacten = if gevonden {
            self.rng.u64(4..18)
        } else {
            self.rng.u64(6..26)
        };
        for n in 0..contacten {
            if n > 0 {
                self.wacht(6, 24);
            }
            let werkgever =
                Werkgever::parse(WERKGEVERS[self.rng.usize(..WERKGEVERS.len())]).expect("valid");
            let persoonlijk = self.kans(0.7);
            let contact = self.doe(CommandKind::WerkgeverContactLeggen(
                WerkgeverContactGelegd {
                    werkgever: werkgever.into(),
                    persoonlijk,
                },
            ));
            if let Some(id) = contact.filter(|_| self.kans(0.004)) {
                // A contact recorded on the wrong trajectory, retracted a few days later.
                self.wacht(1, 5);
                self.doe(CommandKind::Intrekken(GebeurtenisIngetrokken {
                    event_id: id,
                    reden: IntrekkingsReden::VerkeerdTraject,
                }));
            }
            if self.kans(0.03) {
                let huidige = self.traject.toestand().and_then(|t| t.coach.clone());
                let nieuwe = coaches[self.rng.usize(..coaches.len())].clone();
                if huidige.as_ref() != Some(&nieuwe) {
                    self.doe(CommandKind::CoachToewijzen(CoachToegewezen {
                        coach: nieuwe,
                    }));
                }
            }
            if !self.open() {
                return false;
            }
        }
        if gevonden {
            return true;
        }
        self.wacht(10, 60);
        let reden = self.kies(&[
            (AfsluitingsReden::Uitval, 8),
            (AfsluitingsReden::Verhuisd, 1),
            (AfsluitingsReden::GeenWerkwens, 2),
            (AfsluitingsReden::Anders, 1),
        ]);
        self.doe(CommandKind::Afsluiten(TrajectAfgesloten { reden }));
        if self.kans(0.05) {
            self.wacht(30, 200);
            self.doe(CommandKind::Heropenen(TrajectHeropend {
                reden: HeropeningsReden::NieuweHulpvraag,
            }));
            return self.open();
        }
        false
    }

    /// Placements, one after another when a job leads straight to the next; true when the
    /// client searches again, false when the trajectory ends.
    fn werk(&mut self) -> bool {
        let mut waakvlam = self.traject.toestand().is_some_and(|t| {
            matches!(
                t.ondersteuning,
                traject_domain::traject::Ondersteuning::Waakvlam { .. }
            )
        });
        for _ in 0..3 {
            match self.plaatsing(&mut waakvlam) {
                Na::Afgesloten => return false,
                Na::VolgendeBaan => self.wacht(0, 20),
                Na::Zoeken => {
                    if waakvlam {
                        self.wacht(1, 10);
                        self.doe(CommandKind::Opschalen(Opgeschaald {
                            reden: OpschalingsReden::Baanverlies,
                        }));
                    }
                    return self.open();
                }
            }
            if !self.open() {
                return false;
            }
        }
        self.open()
    }

    /// One placement from its start to its end.
    fn plaatsing(&mut self, waakvlam: &mut bool) -> Na {
        let plaatsing_id = PlaatsingId::new(
            uuid::Builder::from_random_bytes(self.rng.u128(..).to_le_bytes()).into_uuid(),
        )
        .expect("random id is not nil");
        let uren = self.kies(&[
            (8.0, 1),
            (12.0, 1),
            (16.0, 2),
            (20.0, 2),
            (24.0, 3),
            (32.0, 2),
            (36.0, 1),
        ]);
        let start = self.dag;
        let contract_einde = self
            .kans(0.45)
            .then(|| {
                let maanden = self.kies(&[(6, 1), (12, 1)]);
                start
                    .checked_add_months(Months::new(maanden))
                    .and_then(|d| d.pred_opt())
            })
            .flatten();
        let contract = match contract_einde.and_then(|d| Datum::new(d).ok()) {
            Some(einddatum) => Contract::Tijdelijk { einddatum },
            None => self.kies(&[
                (Contract::Vast, 5),
                (Contract::Uitzend, 3),
                (Contract::Oproep, 2),
                (Contract::Zelfstandig, 1),
            ]),
        };
        let werkgever =
            Werkgever::parse(WERKGEVERS[self.rng.usize(..WERKGEVERS.len())]).expect("valid");
        let functie = Functie::parse(FUNCTIES[self.rng.usize(..FUNCTIES.len())]).expect("valid");
        let (betaald, regulier) = (self.kans(0.93), self.kans(0.9));
        self.doe(CommandKind::PlaatsingStarten(PlaatsingGestart {
            plaatsing_id,
            werkgever: werkgever.clone().into(),
            functie: functie.into(),
            uren_per_week: UrenPerWeek::from_hours(uren).expect("valid hours"),
            contract,
            betaald,
            regulier,
        }));
        let blijft = self.kans(0.6);
        let duur = if blijft {
            self.rng.u64(200..900)
        } else {
            self.rng.u64(20..330)
        };
        let mut einde = start + Days::new(duur);
        if let Some(contract_einde) = contract_einde {
            einde = einde.min(contract_einde);
        }
        let waakvlam_vanaf = start + Days::new(self.rng.u64(45..=150));
        loop {
            // The coach keeps in touch with the employer while the client works.
            self.wacht(25, 70);
            if self.dag >= einde || !self.open() {
                break;
            }
            if !*waakvlam && self.dag >= waakvlam_vanaf && self.kans(0.7) {
                *waakvlam = self.doe(CommandKind::WaakvlamInzetten).is_some();
            } else if *waakvlam && self.kans(0.04) {
                self.doe(CommandKind::Opschalen(Opgeschaald {
                    reden: OpschalingsReden::PsychischeKlachten,
                }));
                *waakvlam = false;
            } else {
                let persoonlijk = self.kans(0.5);
                self.doe(CommandKind::WerkgeverContactLeggen(
                    WerkgeverContactGelegd {
                        werkgever: werkgever.clone().into(),
                        persoonlijk,
                    },
                ));
            }
        }
        self.dag = einde;
        if blijft && contract_einde.is_none() {
            if self.kans(0.7) {
                self.doe(CommandKind::Afsluiten(TrajectAfgesloten {
                    reden: AfsluitingsReden::DuurzaamAanHetWerk,
                }));
            }
            return Na::Afgesloten;
        }
        let reden = match contract {
            Contract::Tijdelijk { .. } if self.dag == contract_einde.unwrap_or(self.dag) => {
                BeeindigingsReden::ContractAfgelopen
            }
            _ => self.kies(&[
                (BeeindigingsReden::OntslagWerkgever, 2),
                (BeeindigingsReden::OntslagWerknemer, 2),
                (BeeindigingsReden::Ziekte, 1),
            ]),
        };
        self.doe(CommandKind::PlaatsingBeeindigen(PlaatsingBeeindigd {
            plaatsing_id,
            reden,
        }));
        if blijft || (contract_einde.is_some() && self.kans(0.4)) {
            Na::VolgendeBaan
        } else {
            Na::Zoeken
        }
    }
}

/// The longest a trajectory's story runs (three years) before the coach closes it.
const MAX_DUUR_DAGEN: u64 = 3 * 365;

/// What follows the end of a placement.
enum Na {
    /// The trajectory closed.
    Afgesloten,
    /// The next job starts within days.
    VolgendeBaan,
    /// Back to job search.
    Zoeken,
}

const WERKGEVERS: &[&str] = &[
    "Bakkerij De Korenschoof",
    "Gemeente Werkbedrijf",
    "Albert Heijn",
    "Jumbo Supermarkten",
    "PostNL Sorteercentrum",
    "Zorggroep De Linde",
    "Hoveniersbedrijf Groen",
    "Fietsenmaker Van Dam",
    "Hotel De Gouden Leeuw",
    "Kringloop De Ruil",
    "Logistiek Centrum Noord",
    "Installatiebedrijf Jansen",
    "Schoonmaakbedrijf Helder",
    "Kinderopvang Het Nest",
    "Bibliotheek Midden",
    "Drukkerij Vermeer",
];

const FUNCTIES: &[&str] = &[
    "Medewerker productie",
    "Magazijnmedewerker",
    "Vakkenvuller",
    "Administratief medewerker",
    "Hovenier",
    "Kok",
    "Schoonmaker",
    "Medewerker klantenservice",
    "Fietstechnicus",
    "Chauffeur",
];

/// How far loading has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voortgang {
    /// Trajectories written.
    pub trajecten: usize,
    /// Of how many.
    pub van: usize,
    /// Events written.
    pub events: usize,
}

/// Trajectories generated together and handed to the store at once.
const CHUNK: usize = 512;

/// Generates the data set and appends it to `store`: every organisation's team, then one append
/// per trajectory (with its client's registration). Trajectories are
/// generated in chunks on a blocking thread, the next chunk while the store writes the current
/// one, and a chunk's appends are submitted together so the store commits them as one batch.
/// Free text is sealed with `verzegelaar` ([`Sealer`]). Calls `voortgang` after every
/// chunk. Returns the last position written.
pub async fn load(
    store: &dyn traject_store::EventStore,
    opties: &DemoOpties,
    verzegelaar: Option<Sealer>,
    mut voortgang: impl FnMut(Voortgang),
) -> Result<Option<traject_store::Position>, traject_store::StoreError> {
    // A chunk is generated as two halves on two blocking threads.
    let genereer_chunk = |van: usize| {
        let tot = (van + CHUNK).min(opties.trajecten);
        let midden = van + (tot - van) / 2;
        let half = |a: usize, b: usize| {
            let opties = opties.clone();
            let verzegelaar = verzegelaar.clone();
            tokio::task::spawn_blocking(move || {
                (a..b)
                    .map(|i| appends(&traject(&opties, i), verzegelaar.as_ref()))
                    .collect::<Vec<_>>()
            })
        };
        let (eerste, tweede) = (half(van, midden), half(midden, tot));
        async move {
            let mut chunk = eerste.await?;
            chunk.extend(tweede.await?);
            Ok::<_, tokio::task::JoinError>(chunk)
        }
    };
    // The teams first, as an organisation has its coaches before their trajectories; appended
    // one coach at a time, so loading the same data again changes nothing.
    for team in teams(opties) {
        for event in team.events {
            store
                .append(
                    &team.stream,
                    traject_store::ExpectedRevision::Any,
                    vec![event],
                )
                .await?;
        }
    }
    let mut stand = Voortgang {
        trajecten: 0,
        van: opties.trajecten,
        events: 0,
    };
    let mut last = None;
    let mut volgende = (opties.trajecten > 0).then(|| tokio::spawn(genereer_chunk(0)));
    let mut van = 0;
    while let Some(chunk) = volgende.take() {
        let generator_fout = |e: tokio::task::JoinError| {
            traject_store::StoreError::Database(format!("demo generator: {e}"))
        };
        let chunk = chunk
            .await
            .map_err(generator_fout)?
            .map_err(generator_fout)?;
        van += CHUNK;
        if van < opties.trajecten {
            volgende = Some(tokio::spawn(genereer_chunk(van)));
        }
        let results = futures::future::join_all(chunk.into_iter().map(|delen| async move {
            let n = delen[0].events.len();
            store.append_atomic(delen).await.map(|r| (n, r[0].position))
        }))
        .await;
        for result in results {
            let (n, position) = result?;
            last = last.max(Some(position));
            stand.trajecten += 1;
            stand.events += n;
        }
        voortgang(stand);
    }
    Ok(last)
}

/// What to append for one generated trajectory: its stream, and its client's registration
/// ([`traject_domain::client`]), written together.
/// What seals a client's free text (client, event, field, text) before it is stored: the vault's client keys,
/// as the command path seals it. Without one (benchmarks, the `traject-demo` tool, which have no
/// vault) the generated employer names and job titles stay in clear, as events of earlier
/// versions held them; they are made up, never a person's.
pub type Sealer =
    std::sync::Arc<dyn Fn(ClientId, EventId, &'static str, &str) -> Verzegeling + Send + Sync>;

fn appends(t: &DemoTraject, verzegelaar: Option<&Sealer>) -> Vec<traject_store::StreamAppend> {
    let stream = traject_store::StreamName::new(t.id.stream_name())
        .expect("a trajectory stream name is valid");
    let client = match t.events.first().map(|e| &e.data) {
        Some(EventData::TrajectAangemeld(a)) => Some(a.client_id),
        _ => None,
    };
    let events = t
        .events
        .iter()
        .map(|e| match (verzegelaar, client) {
            (Some(seal), Some(client)) => {
                let mut e = e.clone();
                let id = e.id;
                e.data.seal(|veld, tekst| seal(client, id, veld, tekst));
                new_event(traject_domain::stored::encode(&e))
            }
            _ => new_event(traject_domain::stored::encode(e)),
        })
        .collect();
    let mut delen = vec![traject_store::StreamAppend {
        stream,
        expected: traject_store::ExpectedRevision::NoStream,
        events,
    }];
    if let Some(EventData::TrajectAangemeld(a)) = t.events.first().map(|e| &e.data) {
        let registratie = traject_domain::client::ClientAangemeld {
            organisatie: a.organisatie.clone(),
            traject_id: t.id,
        };
        // The registration's id follows from the trajectory's first event, so it is as
        // deterministic as the data set.
        let id = t.events[0].id.afgeleid("ClientAangemeld");
        delen.push(traject_store::StreamAppend {
            stream: traject_store::StreamName::new(traject_domain::client::stream_name(
                &a.client_id,
            ))
            .expect("a client stream name is valid"),
            expected: traject_store::ExpectedRevision::Any,
            events: vec![new_event(traject_domain::client::encode(id, &registratie))],
        });
    }
    delen
}

/// The recording time of the teams' events: 2017-01-01, when the regions' programme started.
const TEAM_MS: u64 = 1_483_228_800_000;

/// Every organisation's team of the data set: its coaches joined.
pub fn teams(opties: &DemoOpties) -> Vec<traject_store::StreamAppend> {
    Regio::ALL
        .iter()
        .flat_map(|regio| organisaties(*regio))
        .map(|organisatie| {
            // One id per organisation and coach, the same in every data set: loading the demo data
            // again, or another data set into the same store, adds a coach once.
            let basis = EventId::new(
                uuid::Builder::from_unix_timestamp_millis(TEAM_MS, &[0; 10]).into_uuid(),
            )
            .expect("not nil");
            let events = coaches(&organisatie, opties)
                .into_iter()
                .map(|coach| {
                    let id = basis.afgeleid(&format!("{organisatie}/{coach}"));
                    let event = traject_domain::team::TeamEvent::CoachToegetreden { coach };
                    new_event(traject_domain::team::encode(id, &event))
                })
                .collect();
            traject_store::StreamAppend {
                stream: traject_store::StreamName::new(traject_domain::team::stream_name(
                    &organisatie,
                ))
                .expect("a team stream name is valid"),
                expected: traject_store::ExpectedRevision::NoStream,
                events,
            }
        })
        .collect()
}

/// A stored event of the demo's actor.
fn new_event(stored: traject_domain::stored::StoredEvent) -> traject_store::NewEvent {
    traject_store::NewEvent {
        id: stored.id.as_uuid(),
        event_type: stored.event_type,
        schema_version: stored.schema_version,
        data: stored.data,
        metadata: traject_store::Metadata {
            actor: Some("demo".to_owned()),
            ..traject_store::Metadata::default()
        },
        recorded_at: None,
    }
}

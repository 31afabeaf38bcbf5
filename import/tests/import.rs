//! The import of a spreadsheet against a real application layer (an SQLite event store, vault
//! and access log in a temporary directory, the read models following the store): both layouts
//! (a row per trajectory, a row per event, in any order), CSV in Windows-1252 and XLSX with every
//! kind of date cell, importing the same file again (nothing changes) and a file with rows added
//! (the rest is written), the dry run (nothing written, not even in the vault), a trajectory
//! written whole or not at all, the refusals of the file and of the domain's rules with their
//! row, column and rule, a teamleider of another organisation, and personal data kept in the
//! vault and out of every event, free text sealed, and the report free of any cell's content.

mod omgeving;

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use traject_dienst::import::{ImportFout, ImportTraject, ImportUitkomst};
use traject_dienst::toegangslog::Resultaat;
use traject_dienst::{Dienst, DienstError, Gebruiker, Rol, Verzoeker};
use traject_domain::EventData;
use traject_domain::team::TeamCommand;
use traject_domain::value::{
    Afgeschermd, CoachId, EventId, Geboortedatum, Naam, OrganisatieId, Persoonsgegevens, Regio,
    TrajectId,
};
use traject_import::indeling::{self, Doel, Opzet};
use traject_import::{
    ImportError, Indeling, IndelingFout, Opties, RijFout, Tellingen, Verslag, bestand, importeer,
};
use traject_store::{Direction, Position, ReadFrom, RecordedEvent, StreamFilter, StreamName};

fn vandaag() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn dag(j: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(j, m, d).unwrap()
}

fn org_a() -> OrganisatieId {
    OrganisatieId::parse("org-a").unwrap()
}

fn gebruiker(id: &str, rol: Rol, org: &str) -> Gebruiker {
    Gebruiker {
        id: id.to_owned(),
        naam: id.to_owned(),
        rollen: vec![rol],
        organisatie: Some(OrganisatieId::parse(org).unwrap()),
        regio: Some(Regio::Am13),
    }
}

fn wie(g: &Gebruiker) -> Verzoeker<'_> {
    Verzoeker {
        gebruiker: g,
        correlatie: uuid::Uuid::now_v7(),
    }
}

/// A `Dienst` on its own temporary directory, with coach-a1 in org-a's team and org-a's
/// teamleider. The directory goes last, after the stores on it.
struct Omgeving {
    dienst: Dienst,
    teamleider: Gebruiker,
    map: tempfile::TempDir,
}

impl Omgeving {
    async fn nieuw() -> Self {
        let map = tempfile::tempdir().unwrap();
        let dienst = omgeving::dienst_in(map.path(), vandaag, true).await;
        let teamleider = gebruiker("tl-a", Rol::Teamleider, "org-a");
        dienst
            .team_wijzigen(
                &wie(&teamleider),
                &org_a(),
                TeamCommand::Toetreden(CoachId::parse("coach-a1").unwrap()),
            )
            .await
            .unwrap();
        Self {
            dienst,
            teamleider,
            map,
        }
    }

    async fn importeer(&self, bytes: &[u8], proef: bool) -> Result<Verslag, ImportError> {
        self.importeer_als(&self.teamleider, bytes, proef).await
    }

    async fn importeer_als(
        &self,
        g: &Gebruiker,
        bytes: &[u8],
        proef: bool,
    ) -> Result<Verslag, ImportError> {
        let opties = Opties {
            organisatie: org_a(),
            regio: Some(Regio::Am13),
            proef,
        };
        importeer(&self.dienst, &wie(g), bytes, &opties).await
    }

    async fn kop(&self) -> Option<Position> {
        self.dienst.store.head().await.unwrap()
    }

    /// The stream `traject-<id>`.
    async fn stroom(&self, t: TrajectId) -> Vec<RecordedEvent> {
        self.dienst
            .store
            .read_stream(
                &StreamName::new(t.stream_name()).unwrap(),
                ReadFrom::Start,
                Direction::Forwards,
                1_000,
            )
            .await
            .unwrap()
    }

    /// Every stored event, of every stream.
    async fn alles(&self) -> Vec<RecordedEvent> {
        self.dienst
            .store
            .read_all(None, &StreamFilter::all(), 100_000)
            .await
            .unwrap()
    }
}

/// What a file holds, read as the import reads it: for the ids of its trajectories.
fn opzet(bytes: &[u8]) -> Opzet {
    let doel = Doel {
        organisatie: org_a(),
        regio: Some(Regio::Am13),
        vandaag: vandaag(),
    };
    indeling::opzet(&bestand::lees(bytes).unwrap(), &doel).unwrap()
}

/// The id of the trajectory of `clientnummer` referred on `aanmelddatum`, as an import makes
/// it (for a trajectory whose row did not read).
fn traject_id(clientnummer: &str, aanmelddatum: &str) -> TrajectId {
    let bytes = format!(
        "clientnummer;aanmelddatum;methode;verwijzer;financier\n{clientnummer};{aanmelddatum};IPS;GGZ;Gemeente\n"
    );
    opzet(bytes.as_bytes()).trajecten[0].traject_id()
}

/// The trajectory whose aanmelding is on row `rij` of the file.
fn traject_van_rij(opzet: &Opzet, rij: usize) -> &ImportTraject {
    opzet
        .trajecten
        .iter()
        .find(|t| t.aanmelding.rij == rij)
        .unwrap_or_else(|| panic!("no trajectory with its aanmelding on row {rij}"))
}

fn soorten(events: &[RecordedEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event_type.as_str()).collect()
}

fn datums(events: &[RecordedEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            e.data.value().unwrap()["datum"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// Whether an event names `tekst` anywhere: its stream, its data or its metadata.
fn noemt(e: &RecordedEvent, tekst: &str) -> bool {
    e.stream.as_str().contains(tekst)
        || e.data.to_string().contains(tekst)
        || serde_json::to_string(&e.metadata).unwrap().contains(tekst)
}

/// A sheet being built: its header and its rows, each cell put under its column by name.
struct Blad {
    kop: Vec<&'static str>,
    rijen: Vec<Vec<String>>,
}

impl Blad {
    fn new(kop: &[&'static str]) -> Self {
        Self {
            kop: kop.to_vec(),
            rijen: Vec::new(),
        }
    }

    fn rij(&mut self, cellen: &[(&str, &str)]) -> &mut Self {
        let mut rij = vec![String::new(); self.kop.len()];
        for (kolom, waarde) in cellen {
            let i = self
                .kop
                .iter()
                .position(|k| k == kolom)
                .unwrap_or_else(|| panic!("no column {kolom}"));
            rij[i] = (*waarde).to_owned();
        }
        self.rijen.push(rij);
        self
    }

    /// The CSV text as a Dutch Excel writes it: `;` between fields, CRLF after each line.
    fn tekst(&self) -> String {
        let mut s = self.kop.join(";");
        s.push_str("\r\n");
        for r in &self.rijen {
            s.push_str(&r.join(";"));
            s.push_str("\r\n");
        }
        s
    }

    fn csv(&self) -> Vec<u8> {
        self.tekst().into_bytes()
    }
}

/// Windows-1252, as a Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)".
fn windows_1252(tekst: &str) -> Vec<u8> {
    let (bytes, _, onvertaalbaar) = encoding_rs::WINDOWS_1252.encode(tekst);
    assert!(!onvertaalbaar);
    bytes.into_owned()
}

const PER_TRAJECT: [&str; 24] = [
    "clientnummer",
    "aanmelddatum",
    "methode",
    "verwijzer",
    "financier",
    "naam",
    "geboortedatum",
    "email",
    "intakedatum",
    "coach",
    "uitkering",
    "ggz_behandeling",
    "plaatsing_start",
    "plaatsing_werkgever",
    "plaatsing_functie",
    "plaatsing_uren",
    "plaatsing_contract",
    "plaatsing_betaald",
    "plaatsing_regulier",
    "plaatsing_einde",
    "plaatsing_reden_einde",
    "afsluitdatum",
    "afsluitreden",
    "opmerking",
];

const PER_GEBEURTENIS: [&str; 18] = [
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
    "persoonlijk",
    "functie",
    "uren",
    "contract",
    "contract_einddatum",
    "betaald",
    "regulier",
    "reden",
];

/// An aanmelding and intake in the per-trajectory layout.
fn aangemeld<'a>(
    clientnummer: &'a str,
    aanmelddatum: &'a str,
    intakedatum: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("clientnummer", clientnummer),
        ("aanmelddatum", aanmelddatum),
        ("methode", "IPS"),
        ("verwijzer", "GGZ"),
        ("financier", "Gemeente"),
        ("intakedatum", intakedatum),
        ("coach", "coach-a1"),
        ("uitkering", "WW"),
        ("ggz_behandeling", "ja"),
    ]
}

/// Two trajectories in the per-trajectory layout, each with intake, a placement started and
/// ended, and its closing; the first's employer has a letter outside ASCII.
fn twee_trajecten() -> Blad {
    let mut blad = Blad::new(&PER_TRAJECT);
    blad.rij(&[
        ("clientnummer", "1001"),
        ("aanmelddatum", "10-01-2024"),
        ("methode", "IPS"),
        ("verwijzer", "GGZ"),
        ("financier", "Gemeente"),
        ("intakedatum", "24-01-2024"),
        ("coach", "coach-a1"),
        ("uitkering", "WW"),
        ("ggz_behandeling", "ja"),
        ("plaatsing_start", "01-03-2024"),
        ("plaatsing_werkgever", "Bakkerij Müller"),
        ("plaatsing_functie", "Verkoper"),
        ("plaatsing_uren", "24"),
        ("plaatsing_contract", "Vast"),
        ("plaatsing_betaald", "ja"),
        ("plaatsing_regulier", "ja"),
        ("plaatsing_einde", "31-08-2024"),
        ("plaatsing_reden_einde", "OntslagWerknemer"),
        ("afsluitdatum", "15-10-2024"),
        ("afsluitreden", "Uitval"),
    ])
    .rij(&[
        ("clientnummer", "1002"),
        ("aanmelddatum", "2024-02-05"),
        ("methode", "Jobcoaching"),
        ("verwijzer", "UWV"),
        ("financier", "UWV"),
        ("intakedatum", "19/02/2024"),
        ("coach", "coach-a1"),
        ("uitkering", "Participatiewet"),
        ("ggz_behandeling", "nee"),
        ("plaatsing_start", "4-4-2024"),
        ("plaatsing_werkgever", "Hoveniersbedrijf Groenewoud"),
        ("plaatsing_functie", "Hovenier"),
        ("plaatsing_uren", "16,5"),
        ("plaatsing_contract", "Uitzend"),
        ("plaatsing_betaald", "ja"),
        ("plaatsing_regulier", "ja"),
        ("plaatsing_einde", "30.09.2024"),
        ("plaatsing_reden_einde", "ContractAfgelopen"),
        ("afsluitdatum", "01-11-2024"),
        ("afsluitreden", "GeenWerkwens"),
    ]);
    blad
}

/// The events of a trajectory that went all the way: aanmelding to closing.
const VOLLEDIG: [&str; 5] = [
    "TrajectAangemeld",
    "IntakeAfgerond",
    "PlaatsingGestart",
    "PlaatsingBeeindigd",
    "TrajectAfgesloten",
];

/// A CSV as a Dutch Excel saves it (Windows-1252, `;`) in the per-trajectory layout: each
/// trajectory's events stored in the order of its course on the dates of the file, free text
/// sealed, and the employer's name decoded from Windows-1252 (it opens as written).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_per_traject_in_windows_1252() {
    let o = Omgeving::nieuw().await;
    let bytes = windows_1252(&twee_trajecten().tekst());
    // The premise: Windows-1252 (ü is the byte 0xFC), which is no UTF-8.
    assert!(bytes.windows(6).any(|w| w == b"M\xFCller"));
    assert!(std::str::from_utf8(&bytes).is_err());

    let verslag = o.importeer(&bytes, false).await.unwrap();
    assert_eq!(verslag.vorm, "CSV, Windows-1252, ;");
    assert_eq!(verslag.indeling, Indeling::PerTraject);
    assert_eq!(verslag.rijen, 2);
    assert_eq!(verslag.onbekende_kolommen, ["opmerking"]);
    assert!(verslag.is_schoon(), "{verslag}");
    assert_eq!(
        verslag.tellingen(),
        Tellingen {
            vastgelegd: 2,
            aangevuld: 0,
            ongewijzigd: 0,
            geweigerd: 0,
            events: 10,
        }
    );
    assert_eq!(
        verslag.trajecten.iter().map(|t| t.rij).collect::<Vec<_>>(),
        [2, 3]
    );
    assert!(verslag.laatste_positie().is_some());

    let opzet = opzet(&bytes);
    let eerste = traject_van_rij(&opzet, 2);
    let tweede = traject_van_rij(&opzet, 3);
    let a = o.stroom(eerste.traject_id()).await;
    let b = o.stroom(tweede.traject_id()).await;
    assert_eq!(soorten(&a), VOLLEDIG);
    assert_eq!(soorten(&b), VOLLEDIG);
    assert_eq!(
        datums(&a),
        [
            "2024-01-10",
            "2024-01-24",
            "2024-03-01",
            "2024-08-31",
            "2024-10-15"
        ]
    );
    assert_eq!(
        datums(&b),
        [
            "2024-02-05",
            "2024-02-19",
            "2024-04-04",
            "2024-09-30",
            "2024-11-01"
        ]
    );
    assert_eq!(a[0].id, eerste.eerste_id.as_uuid());
    assert_eq!(a[1].data.value().unwrap()["coach"], "coach-a1");

    // Free text is sealed: no employer or job title in clear in any stored event (where a
    // coach's id, no free text, is).
    let alles = o.alles().await;
    assert!(alles.iter().any(|e| noemt(e, "coach-a1")));
    for tekst in ["Müller", "Bakkerij", "Groenewoud", "Verkoper", "Hovenier"] {
        assert!(
            !alles.iter().any(|e| noemt(e, tekst)),
            "{tekst} in clear in the store"
        );
    }
    assert!(
        a[2].data.value().unwrap()["werkgever"]["verzegeld"].is_string(),
        "{}",
        a[2].data
    );
    // And it opens as the file wrote it: decoded from Windows-1252, not garbled.
    let client = eerste.client_id.as_uuid();
    let sleutel = o.dienst.kluis.sleutel_voor_tekst(client).await.unwrap();
    let mut plaatsing = traject_domain::stored::decode_json(
        EventId::new(a[2].id).unwrap(),
        &a[2].event_type,
        a[2].schema_version,
        a[2].data.as_str(),
    )
    .unwrap();
    let EventData::PlaatsingGestart(p) = &plaatsing.data else {
        panic!("{:?}", plaatsing.data)
    };
    assert!(matches!(p.werkgever, Afgeschermd::Sealed(_)));
    assert!(
        plaatsing
            .data
            .open(|veld, v| sleutel.open_text(client, a[2].id, veld, v.bytes()))
    );
    let EventData::PlaatsingGestart(p) = &plaatsing.data else {
        panic!("{:?}", plaatsing.data)
    };
    assert_eq!(
        p.werkgever.open().map(|w| w.as_str()),
        Some("Bakkerij Müller")
    );
}

/// One client's course in the per-event layout, in date order: its client number and rows.
fn verloop() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "aanmelding"),
            ("datum", "08-01-2024"),
            ("methode", "IPS"),
            ("verwijzer", "GGZ"),
            ("financier", "Gemeente"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "intake"),
            ("datum", "15-01-2024"),
            ("coach", "coach-a1"),
            ("uitkering", "WW"),
            ("ggz_behandeling", "ja"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "werkgeverscontact"),
            ("datum", "01-02-2024"),
            ("werkgever", "Garage Jansen"),
            ("persoonlijk", "ja"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "plaatsing"),
            ("datum", "01-03-2024"),
            ("werkgever", "Garage Jansen"),
            ("functie", "Monteur"),
            ("uren", "32"),
            ("contract", "Tijdelijk"),
            ("contract_einddatum", "28-02-2025"),
            ("betaald", "ja"),
            ("regulier", "ja"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "uren"),
            ("datum", "03-06-2024"),
            ("uren", "36"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "plaatsing_einde"),
            ("datum", "31-12-2024"),
            ("reden", "OntslagWerkgever"),
        ],
        vec![
            ("clientnummer", "2001"),
            ("gebeurtenis", "afsluiting"),
            ("datum", "31-01-2025"),
            ("reden", "Uitval"),
        ],
        vec![
            ("clientnummer", "2002"),
            ("gebeurtenis", "aanmelding"),
            ("datum", "12-02-2024"),
            ("methode", "Jobcoaching"),
            ("verwijzer", "Gemeente"),
            ("financier", "Gemeente"),
        ],
        vec![
            ("clientnummer", "2002"),
            ("gebeurtenis", "intake"),
            ("datum", "20-02-2024"),
            ("coach", "coach-a1"),
            ("uitkering", "Participatiewet"),
            ("ggz_behandeling", "nee"),
        ],
        vec![
            ("clientnummer", "2002"),
            ("gebeurtenis", "plaatsing"),
            ("datum", "06-05-2024"),
            ("werkgever", "Zorgcentrum De Linde"),
            ("functie", "Medewerker keuken"),
            ("uren", "20"),
            ("contract", "Vast"),
            ("betaald", "ja"),
            ("regulier", "ja"),
        ],
        vec![
            ("clientnummer", "2002"),
            ("gebeurtenis", "waakvlam"),
            ("datum", "04-11-2024"),
        ],
        vec![
            ("clientnummer", "2002"),
            ("gebeurtenis", "opschaling"),
            ("datum", "06-01-2025"),
            ("reden", "Werkproblemen"),
        ],
    ]
}

fn per_gebeurtenis(rijen: &[Vec<(&str, &str)>]) -> Blad {
    let mut blad = Blad::new(&PER_GEBEURTENIS);
    for r in rijen {
        blad.rij(r);
    }
    blad
}

fn datum_van(rij: &[(&str, &str)]) -> NaiveDate {
    let (_, d) = rij.iter().find(|(k, _)| *k == "datum").unwrap();
    NaiveDate::parse_from_str(d, "%d-%m-%Y").unwrap()
}

/// The per-event layout with its rows out of date order (and the clients mixed) imports as the
/// same rows sorted: the same event ids, types and dates, in the same order; and importing the
/// sorted file after the shuffled one changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_gebeurtenis_in_willekeurige_volgorde() {
    let gesorteerd = verloop();
    // Every third row from the back, then the rest backwards: the clients interleaved and the
    // afsluiting before the aanmelding.
    let mut geschud: Vec<_> = gesorteerd.iter().rev().step_by(3).cloned().collect();
    geschud.extend(
        gesorteerd
            .iter()
            .rev()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, r)| r.clone()),
    );
    assert_eq!(geschud.len(), gesorteerd.len());
    // The premise: the shuffled file is out of date order within a client.
    let eerste_client: Vec<NaiveDate> = geschud
        .iter()
        .filter(|r| r.contains(&("clientnummer", "2001")))
        .map(|r| datum_van(r))
        .collect();
    assert!(!eerste_client.is_sorted(), "{eerste_client:?}");

    let gesorteerd = per_gebeurtenis(&gesorteerd).csv();
    let geschud = per_gebeurtenis(&geschud).csv();
    let a = Omgeving::nieuw().await;
    let b = Omgeving::nieuw().await;
    let va = a.importeer(&geschud, false).await.unwrap();
    let vb = b.importeer(&gesorteerd, false).await.unwrap();
    assert_eq!(va.indeling, Indeling::PerGebeurtenis);
    assert!(va.is_schoon(), "{va}");
    assert!(vb.is_schoon(), "{vb}");
    assert_eq!(va.tellingen(), vb.tellingen());
    assert_eq!(va.tellingen().vastgelegd, 2);
    assert_eq!(va.tellingen().events, 12);

    let opzet_a = opzet(&geschud);
    let opzet_b = opzet(&gesorteerd);
    assert_eq!(opzet_a.trajecten.len(), 2);
    let ids = |o: &Opzet| {
        let mut ids: Vec<TrajectId> = o.trajecten.iter().map(|t| t.traject_id()).collect();
        ids.sort_by_key(|t| t.stream_name());
        ids
    };
    assert_eq!(ids(&opzet_a), ids(&opzet_b));
    for t in ids(&opzet_b) {
        let ea = a.stroom(t).await;
        let eb = b.stroom(t).await;
        assert!(!ea.is_empty());
        let vorm = |events: &[RecordedEvent]| -> Vec<(uuid::Uuid, String, String)> {
            events
                .iter()
                .map(|e| {
                    (
                        e.id,
                        e.event_type.clone(),
                        e.data.value().unwrap()["datum"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                    )
                })
                .collect()
        };
        assert_eq!(vorm(&ea), vorm(&eb));
    }
    let een = a.stroom(traject_van_rij(&opzet_b, 2).traject_id()).await;
    assert_eq!(
        soorten(&een),
        [
            "TrajectAangemeld",
            "IntakeAfgerond",
            "WerkgeverContactGelegd",
            "PlaatsingGestart",
            "UrenGewijzigd",
            "PlaatsingBeeindigd",
            "TrajectAfgesloten",
        ]
    );
    let twee = a.stroom(traject_van_rij(&opzet_b, 9).traject_id()).await;
    assert_eq!(
        soorten(&twee),
        [
            "TrajectAangemeld",
            "IntakeAfgerond",
            "PlaatsingGestart",
            "WaakvlamIngezet",
            "Opgeschaald",
        ]
    );

    // The sorted file into the store of the shuffled one: the same ids, so nothing new.
    let kop = a.kop().await;
    let opnieuw = a.importeer(&gesorteerd, false).await.unwrap();
    assert_eq!(opnieuw.tellingen().ongewijzigd, 2, "{opnieuw}");
    assert_eq!(a.kop().await, kop);
}

/// Excel's day number of `d` (day 0 is 1899-12-30).
fn serienummer(d: NaiveDate) -> f64 {
    (d - dag(1899, 12, 30)).num_days() as f64
}

/// An XLSX workbook as people make them: an explanation sheet first, the data on the sheet
/// `Trajecten`; a date as a date cell, one as Excel's day number, one as text; the client number
/// and hours as numbers and yes/no as a checkbox value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xlsx_met_datumcellen_getallen_en_tekst() {
    let mut boek = Workbook::new();
    let uitleg = boek.add_worksheet();
    uitleg.set_name("Toelichting").unwrap();
    uitleg
        .write_string(0, 0, "Vul het blad Trajecten in")
        .unwrap();
    let blad = boek.add_worksheet();
    blad.set_name("Trajecten").unwrap();
    let kop = [
        "Clientnummer",
        "Aanmelddatum",
        "Methode",
        "Verwijzer",
        "Financier",
        "Intakedatum",
        "Coach",
        "Uitkering",
        "GGZ-behandeling",
        "Plaatsing start",
        "Plaatsing werkgever",
        "Plaatsing functie",
        "Plaatsing uren",
        "Plaatsing contract",
        "Plaatsing betaald",
        "Plaatsing regulier",
    ];
    for (k, naam) in kop.iter().enumerate() {
        blad.write_string(0, k as u16, *naam).unwrap();
    }
    let datumopmaak = Format::new().set_num_format("dd-mm-yyyy");
    for (r, clientnummer) in [(1u32, 3001.0), (2, 3002.0)] {
        blad.write_number(r, 0, clientnummer).unwrap();
        // Aanmelddatum: a real date cell.
        blad.write_datetime_with_format(
            r,
            1,
            ExcelDateTime::from_ymd(2024, 2, 12).unwrap(),
            &datumopmaak,
        )
        .unwrap();
        blad.write_string(r, 2, "Werk als beste zorg").unwrap();
        blad.write_string(r, 3, "ggz").unwrap();
        blad.write_string(r, 4, "gemeente").unwrap();
        // Intakedatum: text as a Dutch user types it.
        blad.write_string(r, 5, "05-03-2024").unwrap();
        blad.write_string(r, 6, "coach-a1").unwrap();
        blad.write_string(r, 7, "ww").unwrap();
        blad.write_boolean(r, 8, r == 1).unwrap();
        // Plaatsing start: Excel's day number in a cell without a date format.
        blad.write_number(r, 9, serienummer(dag(2024, 5, 1)))
            .unwrap();
        blad.write_string(r, 10, "Drukkerij Zwart").unwrap();
        blad.write_string(r, 11, "Inpakker").unwrap();
        blad.write_number(r, 12, 28.0).unwrap();
        blad.write_string(r, 13, "Oproep").unwrap();
        blad.write_boolean(r, 14, true).unwrap();
        blad.write_boolean(r, 15, true).unwrap();
    }
    let bytes = boek.save_to_buffer().unwrap();

    let o = Omgeving::nieuw().await;
    let verslag = o.importeer(&bytes, false).await.unwrap();
    assert_eq!(verslag.vorm, "XLSX, blad Trajecten");
    assert_eq!(verslag.indeling, Indeling::PerTraject);
    assert!(verslag.is_schoon(), "{verslag}");
    assert!(verslag.onbekende_kolommen.is_empty());
    assert_eq!(verslag.tellingen().vastgelegd, 2);
    assert_eq!(verslag.tellingen().events, 6);
    let gelezen = opzet(&bytes);
    for rij in [2, 3] {
        let events = o.stroom(traject_van_rij(&gelezen, rij).traject_id()).await;
        assert_eq!(
            soorten(&events),
            ["TrajectAangemeld", "IntakeAfgerond", "PlaatsingGestart"]
        );
        assert_eq!(datums(&events), ["2024-02-12", "2024-03-05", "2024-05-01"]);
        assert_eq!(
            events[0].data.value().unwrap()["methode"],
            "WerkAlsBesteZorg"
        );
        assert_eq!(
            events[1].data.value().unwrap()["in_ggz_behandeling"],
            rij == 2
        );
    }
    // The client number read from a number cell as Excel shows it: 3001, not 3001.0. The
    // same number in a CSV gives the same client.
    let csv = opzet(b"clientnummer;aanmelddatum;methode;verwijzer;financier\n3001;12-02-2024;IPS;GGZ;Gemeente\n");
    assert_eq!(
        csv.trajecten[0].client_id,
        traject_van_rij(&gelezen, 2).client_id
    );
}

/// Importing the same file again changes nothing: every trajectory unchanged and the store's
/// head where it was. A file with a later row for a trajectory adds just that row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opnieuw_importeren_en_aanvullen() {
    let o = Omgeving::nieuw().await;
    let mut rijen = verloop();
    // Without the closing of 2001: that comes later.
    let afsluiting = rijen.remove(6);
    assert!(afsluiting.contains(&("gebeurtenis", "afsluiting")));
    let bytes = per_gebeurtenis(&rijen).csv();
    let eerste = o.importeer(&bytes, false).await.unwrap();
    assert_eq!(eerste.tellingen().vastgelegd, 2, "{eerste}");
    assert_eq!(eerste.tellingen().events, 11);
    let kop = o.kop().await;
    // The last trajectory's events; its client's registration, written with them, after.
    assert!(eerste.laatste_positie().is_some_and(|p| Some(p) <= kop));

    let tweede = o.importeer(&bytes, false).await.unwrap();
    assert_eq!(
        tweede.tellingen(),
        Tellingen {
            ongewijzigd: 2,
            ..Tellingen::default()
        }
    );
    assert!(
        tweede
            .trajecten
            .iter()
            .all(|t| t.uitkomst == Ok(ImportUitkomst::Ongewijzigd))
    );
    assert!(tweede.to_string().contains("ongewijzigd"), "{tweede}");
    assert_eq!(tweede.laatste_positie(), None);
    assert_eq!(o.kop().await, kop, "a second import writes nothing");

    // The file again with the closing added at the end.
    rijen.push(afsluiting);
    let aangevuld = per_gebeurtenis(&rijen).csv();
    let derde = o.importeer(&aangevuld, false).await.unwrap();
    let opzet = opzet(&aangevuld);
    let t2001 = traject_van_rij(&opzet, 2).traject_id();
    let per_rij = |rij: usize| {
        derde
            .trajecten
            .iter()
            .find(|t| t.rij == rij)
            .unwrap()
            .uitkomst
            .clone()
    };
    assert!(
        matches!(per_rij(2), Ok(ImportUitkomst::Aangevuld { events: 1, .. })),
        "{derde}"
    );
    assert_eq!(per_rij(8), Ok(ImportUitkomst::Ongewijzigd), "{derde}");
    assert_eq!(
        derde.tellingen(),
        Tellingen {
            aangevuld: 1,
            ongewijzigd: 1,
            events: 1,
            ..Tellingen::default()
        }
    );
    let events = o.stroom(t2001).await;
    assert_eq!(events.len(), 7);
    assert_eq!(events.last().unwrap().event_type, "TrajectAfgesloten");
    assert_eq!(
        events.last().unwrap().data.value().unwrap()["datum"],
        "2025-01-31"
    );
    assert!(o.kop().await > kop);
    // And that file once more: unchanged too.
    let vierde = o.importeer(&aangevuld, false).await.unwrap();
    assert_eq!(vierde.tellingen().ongewijzigd, 2, "{vierde}");
}

/// A dry run decides every row and says what would be written, and writes nothing: not in the
/// store, not in the vault (no personal data, no key for free text). The real import after it
/// writes what the dry run announced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proef_schrijft_niets() {
    let o = Omgeving::nieuw().await;
    let mut blad = twee_trajecten();
    blad.rij(&[
        ("clientnummer", "1003"),
        ("aanmelddatum", "01-03-2024"),
        ("methode", "IPS"),
        ("verwijzer", "GGZ"),
        ("financier", "Gemeente"),
        ("naam", "Wessel Proefmans"),
        ("geboortedatum", "02-02-1990"),
    ]);
    let bytes = blad.csv();
    let kop = o.kop().await;
    let events_voor = o.alles().await.len();

    let proef = o.importeer(&bytes, true).await.unwrap();
    assert!(proef.proef);
    assert!(proef.is_schoon(), "{proef}");
    assert_eq!(
        proef
            .trajecten
            .iter()
            .map(|t| t.uitkomst.clone())
            .collect::<Vec<_>>(),
        [
            Ok(ImportUitkomst::Proef { events: 5 }),
            Ok(ImportUitkomst::Proef { events: 5 }),
            Ok(ImportUitkomst::Proef { events: 1 }),
        ]
    );
    assert_eq!(proef.tellingen().vastgelegd, 3);
    assert_eq!(proef.tellingen().events, 11);
    assert_eq!(proef.laatste_positie(), None);
    let tekst = proef.to_string();
    assert!(tekst.contains("proef: er is niets vastgelegd"), "{tekst}");
    assert!(
        tekst.contains("rij 2: wordt vastgelegd (5 gebeurtenissen)"),
        "{tekst}"
    );
    assert!(
        tekst.contains("3 trajecten worden vastgelegd (11 gebeurtenissen)"),
        "{tekst}"
    );

    assert_eq!(o.kop().await, kop, "a dry run writes no event");
    assert_eq!(o.alles().await.len(), events_voor);
    let opzet = opzet(&bytes);
    for t in &opzet.trajecten {
        assert!(o.stroom(t.traject_id()).await.is_empty());
        let kluis = o.dienst.kluis.read(t.client_id.as_uuid()).await.unwrap();
        assert!(kluis.gegevens.is_none(), "rij {}", t.aanmelding.rij);
        assert_eq!(
            kluis.versie, None,
            "rij {}: no vault entry, no key",
            t.aanmelding.rij
        );
    }

    // The real import writes what the dry run said.
    let echt = o.importeer(&bytes, false).await.unwrap();
    assert!(!echt.proef);
    assert_eq!(echt.tellingen().vastgelegd, 3);
    assert_eq!(echt.tellingen().events, proef.tellingen().events);
    let persoon = o
        .dienst
        .kluis
        .read(traject_van_rij(&opzet, 4).client_id.as_uuid())
        .await
        .unwrap();
    assert!(persoon.gegevens.is_some());
}

/// A trajectory is imported whole or not at all (per-event layout): one whose placement end lies
/// before that placement's start is refused with the row of that end and the rule, nothing of it
/// is stored (not its aanmelding, not its client's registration), and the trajectories around
/// it in the file are written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atomair_per_traject() {
    let o = Omgeving::nieuw().await;
    let mut rijen = verloop();
    // Client 4002 between the two good ones (rows 9 to 12).
    let slecht = vec![
        vec![
            ("clientnummer", "4002"),
            ("gebeurtenis", "aanmelding"),
            ("datum", "08-01-2024"),
            ("methode", "IPS"),
            ("verwijzer", "GGZ"),
            ("financier", "Gemeente"),
        ],
        vec![
            ("clientnummer", "4002"),
            ("gebeurtenis", "intake"),
            ("datum", "15-01-2024"),
            ("coach", "coach-a1"),
            ("uitkering", "WW"),
            ("ggz_behandeling", "ja"),
        ],
        vec![
            ("clientnummer", "4002"),
            ("gebeurtenis", "plaatsing"),
            ("datum", "01-04-2024"),
            ("werkgever", "Garage Jansen"),
            ("functie", "Monteur"),
            ("uren", "32"),
            ("contract", "Vast"),
            ("betaald", "ja"),
            ("regulier", "ja"),
        ],
        // Its end before its start.
        vec![
            ("clientnummer", "4002"),
            ("gebeurtenis", "plaatsing_einde"),
            ("datum", "15-03-2024"),
            ("reden", "Ziekte"),
        ],
    ];
    let goed_tweede = rijen.split_off(7);
    rijen.extend(slecht);
    rijen.extend(goed_tweede);
    let bytes = per_gebeurtenis(&rijen).csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();

    assert_eq!(verslag.trajecten.len(), 3, "{verslag}");
    let fout = verslag
        .trajecten
        .iter()
        .find(|t| t.rij == 9)
        .unwrap()
        .uitkomst
        .clone()
        .unwrap_err();
    assert_eq!(fout.rij, 12, "the row of the end: {fout:?}");
    assert!(
        matches!(&fout.fout, DienstError::Invoer { regel, .. } if *regel == "geen_lopende_plaatsing"),
        "{fout:?}"
    );
    let tekst = verslag.to_string();
    assert!(
        tekst.contains("rij 12, kolom plaatsing: geweigerd (geen_lopende_plaatsing)"),
        "{tekst}"
    );
    assert!(
        tekst.contains("(traject van rij 9; niets van dit traject vastgelegd)"),
        "{tekst}"
    );
    assert_eq!(
        verslag.tellingen(),
        Tellingen {
            vastgelegd: 2,
            geweigerd: 1,
            events: 12,
            ..Tellingen::default()
        }
    );

    let opzet = opzet(&bytes);
    let geweigerd = traject_van_rij(&opzet, 9);
    let traject = geweigerd.traject_id();
    assert!(o.stroom(traject).await.is_empty());
    let alles = o.alles().await;
    for spoor in [
        traject.as_uuid().to_string(),
        geweigerd.client_id.as_uuid().to_string(),
        geweigerd.eerste_id.as_uuid().to_string(),
    ] {
        assert!(!alles.iter().any(|e| noemt(e, &spoor)), "{spoor} stored");
    }
    for rij in [2, 13] {
        let t = traject_van_rij(&opzet, rij);
        assert!(!o.stroom(t.traject_id()).await.is_empty(), "rij {rij}");
    }
}

/// The same in the per-trajectory layout, where all of a trajectory is one row: a closing dated
/// before the aanmelding (`datum_voor_begin`) and a placement's end before its start refuse
/// their row's trajectory only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atomair_per_traject_in_een_rij() {
    let o = Omgeving::nieuw().await;
    let mut blad = Blad::new(&PER_TRAJECT);
    blad.rij(&aangemeld("6001", "10-01-2024", "17-01-2024"));
    let mut afsluiting_te_vroeg = aangemeld("6002", "10-01-2024", "17-01-2024");
    afsluiting_te_vroeg.extend([("afsluitdatum", "09-01-2024"), ("afsluitreden", "Uitval")]);
    blad.rij(&afsluiting_te_vroeg);
    let mut einde_voor_start = aangemeld("6003", "10-01-2024", "17-01-2024");
    einde_voor_start.extend([
        ("plaatsing_start", "01-04-2024"),
        ("plaatsing_werkgever", "Garage Jansen"),
        ("plaatsing_functie", "Monteur"),
        ("plaatsing_uren", "32"),
        ("plaatsing_contract", "Vast"),
        ("plaatsing_betaald", "ja"),
        ("plaatsing_regulier", "ja"),
        ("plaatsing_einde", "01-03-2024"),
        ("plaatsing_reden_einde", "Ziekte"),
    ]);
    blad.rij(&einde_voor_start);
    blad.rij(&aangemeld("6004", "10-01-2024", "17-01-2024"));
    let bytes = blad.csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();

    let uitkomst = |rij: usize| {
        verslag
            .trajecten
            .iter()
            .find(|t| t.rij == rij)
            .unwrap()
            .uitkomst
            .clone()
    };
    let regel = |rij: usize| match uitkomst(rij) {
        Err(ImportFout {
            rij: r,
            fout: DienstError::Invoer { regel, .. },
            ..
        }) => (r, regel),
        other => panic!("rij {rij}: {other:?}"),
    };
    // The closing is decided by the domain, on the state the rows before it made.
    assert_eq!(regel(3), (3, "datum_voor_begin"), "{verslag}");
    // The end before its start is seen in the row itself (sorted by date, the end would come
    // first and read as the end of a placement the trajectory does not have).
    assert_eq!(verslag.rijfouten.len(), 1, "{verslag}");
    let f = &verslag.rijfouten[0];
    assert_eq!(
        (f.rij, f.kolom.as_str(), f.regel),
        (4, "plaatsing_einde", "einde_voor_start")
    );
    assert_eq!(
        verslag.trajecten.iter().map(|t| t.rij).collect::<Vec<_>>(),
        [2, 3, 5]
    );
    assert!(matches!(
        uitkomst(2),
        Ok(ImportUitkomst::Vastgelegd { events: 2, .. })
    ));
    assert!(matches!(
        uitkomst(5),
        Ok(ImportUitkomst::Vastgelegd { events: 2, .. })
    ));
    assert_eq!(verslag.tellingen().geweigerd, 2);
    for (client, rij, events) in [
        ("6001", 2, 2),
        ("6002", 3, 0),
        ("6003", 4, 0),
        ("6004", 5, 2),
    ] {
        let t = traject_id(client, "10-01-2024");
        assert_eq!(o.stroom(t).await.len(), events, "rij {rij}");
    }
}

/// A coach who is not in the organisation's team is refused with the team's rule, on the row
/// that names them; a row naming a coach of the team is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coach_buiten_het_team() {
    let o = Omgeving::nieuw().await;
    let mut blad = Blad::new(&PER_TRAJECT);
    blad.rij(&aangemeld("7001", "10-01-2024", "17-01-2024"));
    let mut vreemd = aangemeld("7002", "10-01-2024", "17-01-2024");
    vreemd.retain(|(k, _)| *k != "coach");
    vreemd.push(("coach", "coach-b1"));
    blad.rij(&vreemd);
    let bytes = blad.csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();
    assert!(matches!(
        verslag.trajecten[0].uitkomst,
        Ok(ImportUitkomst::Vastgelegd { .. })
    ));
    let fout = verslag.trajecten[1].uitkomst.clone().unwrap_err();
    assert_eq!(fout.rij, 3);
    assert!(
        matches!(&fout.fout, DienstError::Invoer { veld, regel, .. } if veld == "coach" && *regel == "coach_niet_in_team"),
        "{fout:?}"
    );
    assert!(
        verslag
            .to_string()
            .contains("rij 3, kolom coach: geweigerd (coach_niet_in_team)"),
        "{verslag}"
    );
    let t = traject_van_rij(&opzet(&bytes), 3).traject_id();
    assert!(o.stroom(t).await.is_empty());
}

/// A file without a required column imports nothing, in either layout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verplichte_kolom_ontbreekt() {
    let o = Omgeving::nieuw().await;
    let kop = o.kop().await;
    let zonder_financier =
        b"clientnummer;aanmelddatum;methode;verwijzer\n8001;10-01-2024;IPS;GGZ\n";
    assert_eq!(
        o.importeer(zonder_financier, false).await.unwrap_err(),
        ImportError::Indeling(IndelingFout::KolomOntbreekt("financier"))
    );
    let zonder_datum =
        b"clientnummer;gebeurtenis;methode;verwijzer;financier\n8001;aanmelding;IPS;GGZ;Gemeente\n";
    assert_eq!(
        o.importeer(zonder_datum, false).await.unwrap_err(),
        ImportError::Indeling(IndelingFout::KolomOntbreekt("datum"))
    );
    assert_eq!(o.kop().await, kop);
}

/// A cell that is no date is reported with its row, the column's header as the file writes it
/// and the rule `geen_datum`, without the cell's content; only that row's trajectory is left
/// out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onleesbare_datum() {
    let o = Omgeving::nieuw().await;
    let mut kop = PER_TRAJECT;
    kop[8] = "Intake Datum";
    assert_eq!(PER_TRAJECT[8], "intakedatum");
    let mut blad = Blad::new(&kop);
    let hernoemd = |mut r: Vec<(&'static str, &'static str)>| {
        for (k, _) in r.iter_mut() {
            if *k == "intakedatum" {
                *k = "Intake Datum";
            }
        }
        r
    };
    blad.rij(&hernoemd(aangemeld("9001", "10-01-2024", "17-01-2024")));
    blad.rij(&hernoemd(aangemeld("9002", "10-01-2024", "31-02-2024")));
    blad.rij(&hernoemd(aangemeld("9003", "10-01-2024", "17-01-2024")));
    let bytes = blad.csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();
    assert_eq!(verslag.rijfouten.len(), 1, "{verslag}");
    let RijFout {
        rij, kolom, regel, ..
    } = &verslag.rijfouten[0];
    assert_eq!(
        (*rij, kolom.as_str(), *regel),
        (3, "Intake Datum", "geen_datum")
    );
    assert_eq!(
        verslag.trajecten.iter().map(|t| t.rij).collect::<Vec<_>>(),
        [2, 4]
    );
    assert_eq!(verslag.tellingen().vastgelegd, 2);
    assert_eq!(verslag.tellingen().geweigerd, 1);
    let tekst = verslag.to_string();
    assert!(
        tekst.contains("rij 3, kolom Intake Datum: geweigerd (geen_datum)"),
        "{tekst}"
    );
    assert!(!tekst.contains("31-02-2024"), "{tekst}");
    assert!(o.stroom(traject_id("9002", "10-01-2024")).await.is_empty());
    assert!(!o.stroom(traject_id("9003", "10-01-2024")).await.is_empty());
}

/// One client with two trajectories open at once in the file: the later is refused
/// (`client_dubbel`, on the client number's column); a client whose first trajectory closed
/// before the second began has both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_dubbel() {
    let o = Omgeving::nieuw().await;
    let mut blad = Blad::new(&PER_TRAJECT);
    blad.rij(&aangemeld("5001", "10-01-2024", "17-01-2024"));
    blad.rij(&aangemeld("5001", "01-06-2024", "08-06-2024"));
    let mut gesloten = aangemeld("5002", "10-01-2024", "17-01-2024");
    gesloten.extend([("afsluitdatum", "01-03-2024"), ("afsluitreden", "Verhuisd")]);
    blad.rij(&gesloten);
    blad.rij(&aangemeld("5002", "01-09-2024", "08-09-2024"));
    let bytes = blad.csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();

    assert_eq!(verslag.rijfouten.len(), 1, "{verslag}");
    let f = &verslag.rijfouten[0];
    assert_eq!(
        (f.rij, f.kolom.as_str(), f.regel),
        (3, "clientnummer", "client_dubbel")
    );
    assert_eq!(
        verslag.trajecten.iter().map(|t| t.rij).collect::<Vec<_>>(),
        [2, 4, 5]
    );
    assert!(
        verslag.trajecten.iter().all(|t| t.uitkomst.is_ok()),
        "{verslag}"
    );
    assert_eq!(verslag.tellingen().geweigerd, 1);
    // Both trajectories of 5002 belong to one client.
    let opzet = opzet(&bytes);
    let (a, b) = (traject_van_rij(&opzet, 4), traject_van_rij(&opzet, 5));
    assert_eq!(a.client_id, b.client_id);
    let ea = o.stroom(a.traject_id()).await;
    let eb = o.stroom(b.traject_id()).await;
    assert_eq!(
        ea[0].data.value().unwrap()["client_id"],
        eb[0].data.value().unwrap()["client_id"]
    );
    assert_eq!(ea.last().unwrap().event_type, "TrajectAfgesloten");
    assert_eq!(soorten(&eb), ["TrajectAangemeld", "IntakeAfgerond"]);
}

/// A teamleider of another organisation imports nothing into org-a: every trajectory is refused
/// with FORBIDDEN, the refusals are in the access log, and no event is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teamleider_van_andere_organisatie() {
    let o = Omgeving::nieuw().await;
    let tl_b = gebruiker("tl-b", Rol::Teamleider, "org-b");
    let coach = gebruiker("coach-a1", Rol::Coach, "org-a");
    let bytes = twee_trajecten().csv();
    let kop = o.kop().await;
    for (g, regel) in [
        (&tl_b, "alleen-in-eigen-organisatie"),
        (&coach, "alleen-teamleider"),
    ] {
        let verslag = o.importeer_als(g, &bytes, false).await.unwrap();
        assert_eq!(verslag.trajecten.len(), 2, "{verslag}");
        for t in &verslag.trajecten {
            assert_eq!(
                t.uitkomst,
                Err(ImportFout {
                    rij: t.rij,
                    sleutel: None,
                    fout: DienstError::Verboden(regel)
                })
            );
        }
        assert_eq!(verslag.tellingen().geweigerd, 2);
        let laatste = o.dienst.log.alle().await.unwrap().pop().unwrap();
        assert_eq!(laatste.toegang.resultaat, Resultaat::Geweigerd);
    }
    assert_eq!(o.kop().await, kop, "nothing written");
    for t in &opzet(&bytes).trajecten {
        assert!(o.stroom(t.traject_id()).await.is_empty());
    }
}

/// A name and date of birth go into the vault, and the name is in no stored event (nor in
/// the store's files on disk) and not in the report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persoonsgegevens_alleen_in_de_kluis() {
    let o = Omgeving::nieuw().await;
    let naam = "Fenna Zuiderwijk-Oostveen";
    let mut blad = Blad::new(&PER_TRAJECT);
    let mut rij = aangemeld("1101", "10-01-2024", "17-01-2024");
    rij.extend([
        ("naam", naam),
        ("geboortedatum", "14-06-1987"),
        ("email", "fenna@voorbeeld.nl"),
    ]);
    blad.rij(&rij);
    let bytes = blad.csv();
    let verslag = o.importeer(&bytes, false).await.unwrap();
    assert!(verslag.is_schoon(), "{verslag}");

    let t = traject_van_rij(&opzet(&bytes), 2).clone();
    let persoon = o.dienst.kluis.read(t.client_id.as_uuid()).await.unwrap();
    let verwacht = Persoonsgegevens {
        naam: Naam::parse(naam).unwrap(),
        geboortedatum: Geboortedatum::new(dag(1987, 6, 14), vandaag()).unwrap(),
        telefoon: None,
        email: Some(traject_domain::value::Email::parse("fenna@voorbeeld.nl").unwrap()),
        bsn: None,
    };
    assert!(
        persoon.gegevens == Some(verwacht),
        "the vault holds the row's data"
    );

    let alles = o.alles().await;
    assert!(
        alles
            .iter()
            .any(|e| e.stream.as_str() == t.traject_id().stream_name())
    );
    for tekst in ["Zuiderwijk", "Fenna", "fenna@", "1987-06-14", "14-06-1987"] {
        assert!(
            !alles.iter().any(|e| noemt(e, tekst)),
            "{tekst} in an event"
        );
        assert!(
            !verslag.to_string().contains(tekst),
            "{tekst} in the report"
        );
    }
    // Nor in clear in any file of the store, the vault or the access log (where the coach's
    // id, in clear in an event, is found).
    let mut coach_gevonden = false;
    for bestand in std::fs::read_dir(o.map.path()).unwrap() {
        let pad = bestand.unwrap().path();
        let inhoud = std::fs::read(&pad).unwrap();
        assert!(
            !inhoud.windows(10).any(|w| w == b"Zuiderwijk"),
            "the name in clear in {}",
            pad.display()
        );
        coach_gevonden |= inhoud.windows(8).any(|w| w == b"coach-a1");
    }
    assert!(coach_gevonden);
}

//! The anonymised figures as releases: a landelijk user releases a closed quarter, every reader
//! then reads exactly that release (GraphQL and the CSV, JSON and XLSX exports), reading writes
//! nothing, a hidden cell says only that it is hidden, and a correction keeps hidden what an
//! earlier release hid and what would show the difference between them.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};
use traject_demo::{DemoOpties, load};

use crate::api::{CijferVraag, CijferVrijgave, Gebruiker, uitkomst};
use crate::helpers::{Server, code, token, vandaag};

/// Loads `trajecten` demo trajectories over two years and waits until the server shows them.
async fn met_demodata(server: &Server, seed: u64, trajecten: usize) -> u64 {
    let opties = DemoOpties {
        seed,
        trajecten,
        jaren: 2,
        vandaag: vandaag(),
    };
    let head = load(server.store.as_ref(), &opties, None, |_| {})
        .await
        .unwrap()
        .expect("events were written");
    server
        .projecties
        .wait_for(head, Duration::from_secs(60))
        .await
        .unwrap();
    head.0
}

struct Antwoord {
    status: u16,
    kop: BTreeMap<String, String>,
    body: Vec<u8>,
}

async fn export(server: &Server, token: Option<&str>, query: &str) -> Antwoord {
    let url = server
        .url
        .replace("/graphql", &format!("/export/cijfers?{query}"));
    let mut request = server.client.get(url);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kop = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = response.bytes().await.unwrap().to_vec();
    Antwoord { status, kop, body }
}

fn fout(antwoord: &Antwoord) -> Value {
    serde_json::from_slice(&antwoord.body).unwrap()
}

/// The CSV's data rows as (regio, periode, methode, maat) -> (waarde, verborgen), read as an
/// analysis tool would: `#` lines are comments, then a header.
fn csv_cellen(body: &[u8]) -> BTreeMap<(String, String, String, String), (String, String)> {
    let mut lezer = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(body);
    assert_eq!(
        lezer.headers().unwrap(),
        vec![
            "regio",
            "regionaam",
            "periode",
            "methode",
            "maat",
            "waarde",
            "verborgen"
        ]
    );
    let mut cellen = BTreeMap::new();
    for rij in lezer.records() {
        let rij = rij.unwrap();
        let veld = |n: usize| rij[n].to_owned();
        cellen.insert((veld(0), veld(2), veld(3), veld(4)), (veld(5), veld(6)));
    }
    cellen
}

const VRIJGEVEN: &str = r#"mutation($k: String!) {
  cijfersVrijgeven(kwartaal: $k) { kwartaal nummer peildatum storePositie drempel }
}"#;
const CIJFERS: &str = r#"query($van: String!, $tot: String!, $voorlopig: Boolean) {
  regioCijfers(van: $van, tot: $tot, voorlopig: $voorlopig) {
    bereik voorlopig nietVrijgegeven
    vrijgaven { kwartaal nummer peildatum storePositie }
    cellen { regio periode methode maten { maat waarde verborgen } }
    voortgang { regio jaar kwartalen gestart verborgen doel }
  }
}"#;

/// The words a reason for hiding would be written with; no file or answer may hold them.
const REDENEN: [&str; 5] = [
    "primair",
    "secundair",
    "eerder",
    "kleine_groep",
    "kleine groep",
];

/// Whether `tekst` holds `woord` as a word of its own (not inside `eerdere`).
fn heeft_woord(tekst: &str, woord: &str) -> bool {
    tekst.match_indices(woord).any(|(i, _)| {
        let voor = tekst[..i].chars().next_back();
        let na = tekst[i + woord.len()..].chars().next();
        !voor.is_some_and(char::is_alphanumeric) && !na.is_some_and(char::is_alphanumeric)
    })
}

async fn head(server: &Server) -> u64 {
    server.store.head().await.unwrap().map_or(0, |p| p.0)
}

/// Every file and answer a reader can get of `2026Q1`..`2026Q2`, by every role that may.
async fn alles_lezen(server: &Server) -> Vec<Vec<u8>> {
    let regio = token("analist-13", "regio", None);
    let landelijk = token("programma", "landelijk", None);
    let mut gelezen = Vec::new();
    for (wie, extra) in [
        (&regio, ""),
        (&landelijk, ""),
        (&landelijk, "&voorlopig=ja"),
    ] {
        for formaat in ["csv", "csv-nl", "json", "xlsx"] {
            let a = export(
                server,
                Some(wie),
                &format!("van=2026Q1&tot=2026Q2&formaat={formaat}{extra}"),
            )
            .await;
            assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
            gelezen.push(a.body);
        }
    }
    for (wie, voorlopig) in [(&regio, false), (&landelijk, false), (&landelijk, true)] {
        let r = server
            .gql(
                Some(wie),
                CIJFERS,
                json!({"van": "2026Q1", "tot": "2026Q2", "voorlopig": voorlopig}),
            )
            .await;
        assert!(r["errors"].is_null(), "{r}");
        gelezen.push(r.to_string().into_bytes());
    }
    gelezen
}

/// The values of the CSV of a release: (regio, periode, methode, maat) -> value or hidden.
fn waarden(body: &[u8]) -> BTreeMap<(String, String, String, String), Option<u64>> {
    csv_cellen(body)
        .into_iter()
        .map(|(k, (waarde, verborgen))| match waarde.parse::<f64>() {
            Ok(_) if k.3.starts_with("mediaan") => (k, Some(0)),
            Ok(n) => {
                assert_eq!(verborgen, "", "{k:?}: a value and a marker");
                (k, Some(n as u64))
            }
            Err(_) => {
                assert_eq!(verborgen, "verborgen", "{k:?}: one marker, nothing else");
                (k, None)
            }
        })
        .collect()
}

/// Releases `kwartaal` as `wie` and returns the release: straight from the answer, or, when the
/// answer says the release is still being made (UNAVAILABLE), from the list of releases once it
/// appears there.
async fn vrijgeven(server: &Server, wie: &Gebruiker<'_>, kwartaal: &str) -> CijferVrijgave {
    let landelijk = server.landelijk("programma");
    let vraag = CijferVraag::van_tot(kwartaal, kwartaal);
    let lijst = || async {
        let cijfers = landelijk.regio_cijfers(vraag).await;
        cijfers.map(|c| c.vrijgaven).unwrap_or_default()
    };
    // The list holds the latest release of the quarter: a new one has a higher number.
    let nummer = |lijst: &[CijferVrijgave]| lijst.iter().map(|v| v.nummer).max();
    let voor = nummer(&lijst().await);
    // Still being made: UNAVAILABLE (503); the request may also outlast the server's time
    // limit (408) on a busy machine while the release goes on.
    let antwoord = server
        .client
        .post(&server.url)
        .bearer_auth(wie.token())
        .json(&json!({"query": VRIJGEVEN, "variables": {"k": kwartaal}}))
        .send()
        .await
        .unwrap();
    let status = antwoord.status().as_u16();
    assert!([200, 503, 408].contains(&status), "{status}");
    let r: Value = if status != 408 {
        antwoord.json().await.unwrap()
    } else {
        json!({"errors": [{"extensions": {"code": "UNAVAILABLE"}}]})
    };
    if code(&r) != Some("UNAVAILABLE") {
        return uitkomst(r, "cijfersVrijgeven").unwrap();
    }
    for _ in 0..600 {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let nu = lijst().await;
        if nummer(&nu) > voor {
            return nu[nu.len() - 1].clone();
        }
    }
    panic!("the release of {kwartaal} never appeared");
}

async fn a_release_is_what_every_reader_reads_and_reading_writes_nothing(server: Server) {
    met_demodata(&server, 11, 2_000).await;
    let regio = server.regio("analist-13");
    let landelijk = server.landelijk("programma");
    let beheerder = server.beheerder("beheer");
    let kwartalen = CijferVraag::van_tot("2026Q1", "2026Q2");

    // Before any release: nothing for a regio user, provisional figures for landelijk only,
    // and no read of any kind writes anything.
    let voor = head(&server).await;
    let c = regio.regio_cijfers(kwartalen).await.unwrap();
    assert!(c.cellen.is_empty(), "{c:?}");
    assert_eq!(c.niet_vrijgegeven, ["2026Q1", "2026Q2"]);
    let f = regio
        .regio_cijfers(kwartalen.voorlopig())
        .await
        .unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    let a = export(
        &server,
        Some(regio.token()),
        "van=2026Q1&tot=2026Q2&voorlopig=ja",
    )
    .await;
    assert_eq!(a.status, 403);
    let c = landelijk
        .regio_cijfers(kwartalen.voorlopig())
        .await
        .unwrap();
    assert!(c.voorlopig, "{c:?}");
    assert!(!c.cellen.is_empty());
    alles_lezen(&server).await;
    assert_eq!(head(&server).await, voor, "reading wrote to the store");

    // Releasing: landelijk or beheerder only, a closed quarter plus the lag only.
    let f = regio.cijfers_vrijgeven("2026Q2").await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    for (kwartaal, waarom) in [("2026Q4", "vanaf"), ("2026Q5", "kwartaal")] {
        let f = landelijk.cijfers_vrijgeven(kwartaal).await.unwrap_err();
        assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
        assert_eq!(f.veld.as_deref(), Some("kwartaal"));
        assert!(f.bericht.contains(waarom), "{f}");
    }
    assert_eq!(head(&server).await, voor, "a refused release wrote");
    let v = vrijgeven(&server, &landelijk, "2026Q2").await;
    assert_eq!((v.kwartaal.as_str(), v.nummer), ("2026Q2", 1), "{v:?}");
    assert_eq!(v.peildatum, "2026-11-23");

    // Every reader reads that release, in every format the same values, hidden cells marked
    // and nothing more; the same release gives the same bytes.
    let csv = export(&server, Some(regio.token()), "van=2026Q1&tot=2026Q2").await;
    assert_eq!(csv.kop["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv.kop["content-disposition"],
        "attachment; filename=\"traject-cijfers-AM13-2026Q1-2026Q2.csv\""
    );
    let tekst = String::from_utf8(csv.body.clone()).unwrap();
    assert!(
        tekst.contains("# vrijgaven: 2026Q2 vrijgave 1 (peildatum 2026-11-23"),
        "{tekst}"
    );
    assert!(tekst.contains("# niet_vrijgegeven: 2026Q1"), "{tekst}");
    let eerste = waarden(&csv.body);
    // The same cells for Excel with Dutch settings: a byte-order mark, semicolons, a decimal
    // comma.
    let nl = export(
        &server,
        Some(regio.token()),
        "van=2026Q1&tot=2026Q2&formaat=csv-nl",
    )
    .await;
    assert_eq!(nl.status, 200);
    assert_eq!(nl.kop["content-type"], "text/csv; charset=utf-8");
    let zonder_bom = nl
        .body
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte-order mark first");
    let nl_tekst = String::from_utf8(zonder_bom.to_vec()).unwrap();
    assert!(
        nl_tekst.contains("\nregio;regionaam;periode;methode;maat;waarde;verborgen\n"),
        "{nl_tekst}"
    );
    let mut lezer = csv::ReaderBuilder::new()
        .delimiter(b';')
        .comment(Some(b'#'))
        .from_reader(zonder_bom);
    let nl_cellen: BTreeMap<_, _> = lezer
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert!(!r[5].contains('.'), "a decimal point: {r:?}");
            (
                (
                    r[0].to_owned(),
                    r[2].to_owned(),
                    r[3].to_owned(),
                    r[4].to_owned(),
                ),
                (r[5].replace(',', "."), r[6].to_owned()),
            )
        })
        .collect();
    assert_eq!(nl_cellen, csv_cellen(&csv.body));
    assert!(eerste.keys().all(|k| k.0 == "AM13" && k.1 == "2026Q2"));
    assert!(eerste.values().any(Option::is_none) && eerste.values().any(Option::is_some));
    for (k, w) in &eerste {
        if let Some(n) = w {
            assert!(*n == 0 || *n >= 10, "{k:?}: {n} below T published");
        }
    }
    let alles = alles_lezen(&server).await;
    for bestand in &alles {
        let tekst = String::from_utf8_lossy(bestand).to_lowercase();
        for reden in REDENEN {
            assert!(
                !heeft_woord(&tekst, reden),
                "a reason for hiding is published: {reden}"
            );
        }
    }
    assert_eq!(
        alles,
        alles_lezen(&server).await,
        "the same release, other bytes"
    );
    let json_bestand: Value = serde_json::from_slice(&alles[6]).unwrap();
    for cel in json_bestand["cellen"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["regio"] == "AM13")
    {
        for (maat, waarde) in cel["waarden"].as_object().unwrap() {
            let k = (
                "AM13".to_owned(),
                "2026Q2".to_owned(),
                cel["methode"].as_str().unwrap().to_owned(),
                maat.clone(),
            );
            assert_eq!(waarde.as_u64(), eerste[&k], "{k:?}");
        }
    }
    let boek: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(alles[3].clone())).unwrap();
    let mut boek = boek;
    let blad = boek.worksheet_range("Cijfers").unwrap();
    assert!(
        blad.rows()
            .any(|r| r.iter().any(|c| *c == Data::String("verborgen".into())))
    );

    // New registrations after the release change nothing a reader gets of it.
    met_demodata(&server, 12, 400).await;
    let na = head(&server).await;
    let opnieuw = export(&server, Some(regio.token()), "van=2026Q1&tot=2026Q2").await;
    assert_eq!(opnieuw.body, csv.body, "a release changed after new data");
    assert_eq!(head(&server).await, na);

    // A correction: hidden stays hidden, and no cell shows a difference below T with the first.
    let v = vrijgeven(&server, &beheerder, "2026Q2").await;
    assert_eq!(v.nummer, 2, "{v:?}");
    let tweede = waarden(
        &export(&server, Some(regio.token()), "van=2026Q2&tot=2026Q2")
            .await
            .body,
    );
    let mut veranderd = 0;
    for (k, oud) in &eerste {
        match (oud, tweede[k]) {
            (None, nieuw) => assert_eq!(nieuw, None, "{k:?} hidden in release 1, shown in 2"),
            (Some(a), Some(b)) if !k.3.starts_with("mediaan") => {
                let verschil = a.abs_diff(b);
                assert!(verschil == 0 || verschil >= 10, "{k:?}: {a} then {b}");
                veranderd += usize::from(verschil > 0);
            }
            _ => {}
        }
    }
    eprintln!("cells published in both releases with another value: {veranderd}");
    // A few corrections at most (three by default).
    for nummer in 3..=4 {
        let v = vrijgeven(&server, &landelijk, "2026Q2").await;
        assert_eq!(v.nummer, nummer, "{v:?}");
    }
    let f = landelijk.cijfers_vrijgeven("2026Q2").await.unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert!(f.bericht.contains("correcties"), "{f}");
}

/// A region without any trajectory: its released cells are all 0 (structural zeros), never
/// hidden to protect another region's cell.
async fn an_empty_region_shows_zeros(server: Server) {
    // So few trajectories that some regions have none at all.
    let opties = DemoOpties {
        seed: 13,
        trajecten: 40,
        jaren: 2,
        vandaag: vandaag(),
    };
    met_demodata(&server, opties.seed, opties.trajecten).await;
    let gebruikt: std::collections::BTreeSet<String> = traject_demo::generate(&opties)
        .filter_map(|t| match t.events.first().map(|e| &e.data) {
            Some(traject_domain::EventData::TrajectAangemeld(a)) => Some(a.regio.code().to_owned()),
            _ => None,
        })
        .collect();
    let landelijk = server.landelijk("programma");
    let v = vrijgeven(&server, &landelijk, "2026Q2").await;
    assert_eq!(v.nummer, 1, "{v:?}");
    let a = export(&server, Some(landelijk.token()), "van=2026Q2&tot=2026Q2").await;
    let cellen = waarden(&a.body);
    let leeg: Vec<&(String, String, String, String)> = cellen
        .keys()
        .filter(|k| k.0 != "NL" && !gebruikt.contains(&k.0) && !k.3.starts_with("mediaan"))
        .collect();
    assert!(
        !leeg.is_empty(),
        "the test needs a region without trajectories"
    );
    for k in leeg {
        assert_eq!(
            cellen[k],
            Some(0),
            "{k:?}: a structural zero is published as 0"
        );
    }
}

async fn each_reader_gets_only_their_scope_and_bad_requests_name_the_field(server: Server) {
    met_demodata(&server, 12, 300).await;
    let regio = token("analist-13", "regio", None);
    let landelijk = token("programma", "landelijk", None);
    let coach = token("coach-1", "coach", Some("org-1"));
    let bereik = "van=2025Q1&tot=2026Q4";

    let a = export(&server, None, bereik).await;
    assert_eq!((a.status, code(&fout(&a))), (401, Some("UNAUTHENTICATED")));
    let a = export(&server, Some(&coach), bereik).await;
    assert_eq!((a.status, code(&fout(&a))), (403, Some("FORBIDDEN")));
    let a = export(&server, Some(&regio), &format!("{bereik}&regio=AM14")).await;
    assert_eq!((a.status, code(&fout(&a))), (403, Some("FORBIDDEN")));
    assert_eq!(
        fout(&a)["errors"][0]["extensions"]["regel"],
        "regio-alleen-eigen-regio"
    );
    // The regio user may name their own region; the landelijk user any.
    let a = export(&server, Some(&regio), &format!("{bereik}&regio=AM13")).await;
    assert_eq!(a.status, 200);
    let a = export(
        &server,
        Some(&landelijk),
        &format!("{bereik}&regio=AM14&formaat=json"),
    )
    .await;
    assert_eq!(a.status, 200);
    let bestand: Value = serde_json::from_slice(&a.body).unwrap();
    assert!(
        bestand["cellen"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["regio"] == "AM14")
    );

    for (query, veld) in [
        ("van=2025Q5&tot=2026Q4", "van"),
        ("tot=2026Q4", "van"),
        ("van=2025Q1&tot=2024Q4", "tot"),
        ("van=2025Q1&tot=2026Q4&formaat=pdf", "formaat"),
        ("van=2025Q1&tot=2026Q4&regio=XX99", "regio"),
        ("van=2025Q1&tot=2026Q4&peildatum=2026-01-01", "parameters"),
        ("van=2025Q1&tot=2026Q4&voorlopig=misschien", "voorlopig"),
        ("van=2025Q1&tot=2026Q4&drempel=3", "parameters"),
    ] {
        let a = export(&server, Some(&landelijk), query).await;
        let f = fout(&a);
        assert_eq!(
            (a.status, code(&f)),
            (400, Some("BAD_USER_INPUT")),
            "{query}: {f}"
        );
        assert_eq!(f["errors"][0]["extensions"]["veld"], veld, "{query}: {f}");
    }
    // GraphQL: the same rules.
    let (coach, regio, landelijk) = (
        server.gebruiker(coach),
        server.gebruiker(regio),
        server.gebruiker(landelijk),
    );
    let vraag = CijferVraag::van_tot("2025Q1", "2026Q4");
    let f = coach.regio_cijfers(vraag).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN");
    assert!(f.zonder_data());
    let f = regio.regio_cijfers(vraag.regio("AM14")).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN");
    let vraag_fout = CijferVraag::van_tot("2025-1", "2026Q4");
    let f = regio.regio_cijfers(vraag_fout).await.unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT");
    assert_eq!(f.veld.as_deref(), Some("van"));
    let c = landelijk.regio_cijfers(vraag).await.unwrap();
    assert_eq!(c.bereik, "landelijk");
}

op_elke_store!(
    a_release_is_what_every_reader_reads_and_reading_writes_nothing,
    an_empty_region_shows_zeros,
    each_reader_gets_only_their_scope_and_bad_requests_name_the_field
);

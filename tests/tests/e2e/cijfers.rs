//! The anonymised figures: exports over HTTP and `regioCijfers`, for the regio and landelijk
//! roles, as parts of one protected table that keeps hidden what it once hid.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};
use traject_api::cijfers::{CijferConfig, Publicaties};
use traject_demo::{DemoOpties, laad};
use traject_domain::DuurzaamBeleid;
use traject_projections::Projecties;

use crate::helpers::{Server, code, token, vandaag};

/// Loads `trajecten` demo trajectories over two years and waits until the server shows them.
async fn met_demodata(server: &Server, seed: u64, trajecten: usize) -> u64 {
    let opties = DemoOpties {
        seed,
        trajecten,
        jaren: 2,
        vandaag: vandaag(),
    };
    let head = laad(server.store.as_ref(), &opties, None, |_| {})
        .await
        .unwrap()
        .expect("events were written");
    server
        .projecties
        .wacht_tot(head, Duration::from_secs(60))
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

async fn exports_show_each_reader_their_part_of_one_protected_table(server: Server) {
    let head = met_demodata(&server, 11, 2_000).await;
    let regio = token("analist-13", "regio", None); // region AM13
    let landelijk = token("programma", "landelijk", None);
    let bereik = "van=2025Q1&tot=2026Q4";

    // A regio user's CSV: their own region only, described, hidden cells never as numbers.
    let csv = export(&server, Some(&regio), &format!("{bereik}&formaat=csv")).await;
    assert_eq!(csv.status, 200, "{}", String::from_utf8_lossy(&csv.body));
    assert_eq!(csv.kop["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        csv.kop["content-disposition"],
        "attachment; filename=\"traject-cijfers-AM13-2025Q1-2026Q4.csv\""
    );
    let tekst = String::from_utf8(csv.body.clone()).unwrap();
    for regel in [
        "# bereik: AM13".to_owned(),
        "# peildatum: 2026-11-23".to_owned(),
        "# gemaakt_op: 2026-11-23".to_owned(),
        format!("# store_positie: {head}"),
        "# duurzaam_beleidsversie: duurzaam-v1".to_owned(),
        "# drempel_t: 10".to_owned(),
    ] {
        assert!(tekst.lines().any(|l| l == regel), "missing {regel}");
    }
    let cellen = csv_cellen(&csv.body);
    assert!(cellen.keys().all(|(regio, ..)| regio == "AM13"));
    let verborgen = cellen.values().filter(|(_, r)| !r.is_empty()).count();
    let gepubliceerd = cellen.values().filter(|(w, _)| !w.is_empty()).count();
    assert!(
        verborgen > 0 && gepubliceerd > 0,
        "{verborgen} hidden, {gepubliceerd} published"
    );
    for ((_, _, _, maat), (waarde, reden)) in &cellen {
        assert!(
            waarde.is_empty() != reden.is_empty(),
            "{maat}: a value or a reason, never both"
        );
        if let Ok(n) = waarde.parse::<u64>() {
            assert!(n == 0 || n >= 10, "{maat}: {n} is below T and published");
        }
    }
    for periode in ["2025Q1", "2025Q4", "2025", "2026Q4", "2026"] {
        assert!(
            cellen.contains_key(&(
                "AM13".into(),
                periode.into(),
                "totaal".into(),
                "gestart".into()
            )),
            "{periode}"
        );
    }
    // The same data gives the same bytes.
    let nogmaals = export(&server, Some(&regio), &format!("{bereik}&formaat=csv")).await;
    assert_eq!(nogmaals.body, csv.body);

    // A landelijk user's JSON holds every region and the nation, with the same values for AM13.
    let json_antwoord = export(&server, Some(&landelijk), &format!("{bereik}&formaat=json")).await;
    assert_eq!(json_antwoord.status, 200);
    let bestand: Value = serde_json::from_slice(&json_antwoord.body).unwrap();
    assert_eq!(bestand["bereik"], "landelijk");
    assert_eq!(bestand["drempel_t"], 10);
    assert_eq!(bestand["store_positie"], head);
    let json_cellen = bestand["cellen"].as_array().unwrap();
    let regios: std::collections::BTreeSet<&str> = json_cellen
        .iter()
        .map(|c| c["regio"].as_str().unwrap())
        .collect();
    assert_eq!(regios.len(), 36, "35 regions and NL");
    assert!(regios.contains("NL"));
    let mut vergeleken = 0;
    for cel in json_cellen.iter().filter(|c| c["regio"] == "AM13") {
        for (maat, waarde) in cel["waarden"].as_object().unwrap() {
            let sleutel = (
                "AM13".to_owned(),
                cel["periode"].as_str().unwrap().to_owned(),
                cel["methode"].as_str().unwrap().to_owned(),
                maat.clone(),
            );
            let (csv_waarde, csv_reden) = &cellen[&sleutel];
            match waarde {
                Value::Null => assert_eq!(&cel["verborgen"][maat], csv_reden.as_str()),
                n => assert_eq!(n.to_string(), *csv_waarde),
            }
            vergeleken += 1;
        }
    }
    assert!(vergeleken > 100);

    // regioCijfers gives the regio user the same values, and progress towards 100 a year.
    let antwoord = server
        .gql(
            Some(&regio),
            r#"query { regioCijfers(van: "2025Q1", tot: "2026Q4") {
                bereik drempel storePositie beleidsversie
                cellen { regio periode methode maten { maat waarde verborgen } }
                voortgang { regio jaar gestart verborgen doel aandeel }
            } }"#,
            json!({}),
        )
        .await;
    assert!(antwoord["errors"].is_null(), "{antwoord}");
    let cijfers = &antwoord["data"]["regioCijfers"];
    assert_eq!(cijfers["bereik"], "AM13");
    assert_eq!(cijfers["storePositie"], head);
    let mut gql_cellen = 0;
    for cel in cijfers["cellen"].as_array().unwrap() {
        for m in cel["maten"].as_array().unwrap() {
            let sleutel = (
                cel["regio"].as_str().unwrap().to_owned(),
                cel["periode"].as_str().unwrap().to_owned(),
                cel["methode"].as_str().unwrap().to_owned(),
                m["maat"].as_str().unwrap().to_owned(),
            );
            let (waarde, reden) = &cellen[&sleutel];
            assert_eq!(
                m["waarde"]
                    .as_u64()
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                *waarde
            );
            assert_eq!(
                m["verborgen"].as_str().unwrap_or_default().to_lowercase(),
                *reden,
                "{sleutel:?}"
            );
            gql_cellen += 1;
        }
    }
    assert_eq!(
        gql_cellen,
        cellen.len() - cellen.keys().filter(|k| k.3.starts_with("mediaan")).count()
    );
    let voortgang = cijfers["voortgang"].as_array().unwrap();
    assert_eq!(voortgang.len(), 2, "2025 and 2026: {voortgang:?}");
    for jaar in voortgang {
        assert_eq!(jaar["regio"], "AM13");
        assert_eq!(jaar["doel"], 100);
        let gestart = &cellen[&(
            "AM13".to_owned(),
            jaar["jaar"].to_string(),
            "totaal".to_owned(),
            "gestart".to_owned(),
        )];
        match jaar["gestart"].as_u64() {
            Some(n) => {
                assert_eq!(n.to_string(), gestart.0);
                assert_eq!(jaar["aandeel"].as_f64().unwrap(), n as f64 / 100.0);
            }
            None => assert!(jaar["aandeel"].is_null() && !gestart.1.is_empty()),
        }
    }

    // XLSX: a readable workbook, the same bytes twice, hidden cells as "verborgen".
    let xlsx = export(&server, Some(&regio), &format!("{bereik}&formaat=xlsx")).await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.kop["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let nogmaals = export(&server, Some(&regio), &format!("{bereik}&formaat=xlsx")).await;
    assert_eq!(nogmaals.body, xlsx.body, "the same bytes");
    let mut boek: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body)).unwrap();
    assert_eq!(boek.sheet_names(), vec!["Cijfers", "Toelichting"]);
    let blad = boek.worksheet_range("Cijfers").unwrap();
    let kop: Vec<String> = blad
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        kop[..5],
        ["regio", "regionaam", "periode", "methode", "aangemeld"]
    );
    let gestart_kolom = kop.iter().position(|k| k == "gestart").unwrap();
    for rij in blad.rows().skip(1) {
        let sleutel = (
            rij[0].to_string(),
            rij[2].to_string(),
            rij[3].to_string(),
            "gestart".to_owned(),
        );
        let (waarde, _) = &cellen[&sleutel];
        match &rij[gestart_kolom] {
            Data::Float(n) => assert_eq!((*n as u64).to_string(), *waarde),
            Data::String(s) => assert!(s == "verborgen" && waarde.is_empty()),
            other => panic!("unexpected cell {other:?}"),
        }
    }
    let toelichting = boek.worksheet_range("Toelichting").unwrap();
    assert!(
        toelichting
            .rows()
            .any(|r| r[0] == "drempel_t" && r[1] == "10")
    );
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
        ("van=2025Q1&tot=2026Q4&peildatum=2030-01-01", "peildatum"),
        ("van=2025Q1&tot=2026Q4&drempel=3", "drempel"),
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
    let q = r#"query($regio: String, $van: String!) { regioCijfers(van: $van, tot: "2026Q4", regio: $regio) { bereik } }"#;
    let r = server.gql(Some(&coach), q, json!({"van": "2025Q1"})).await;
    assert_eq!(code(&r), Some("FORBIDDEN"));
    assert!(r["data"].is_null());
    let r = server
        .gql(Some(&regio), q, json!({"van": "2025Q1", "regio": "AM14"}))
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"));
    let r = server.gql(Some(&regio), q, json!({"van": "2025-1"})).await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"));
    assert_eq!(r["errors"][0]["extensions"]["veld"], "van");
    let r = server
        .gql(Some(&landelijk), q, json!({"van": "2025Q1"}))
        .await;
    assert_eq!(r["data"]["regioCijfers"]["bereik"], "landelijk");
}

async fn what_a_publication_hid_stays_hidden_in_later_ones_of_any_instance(server: Server) {
    met_demodata(&server, 13, 600).await;
    let landelijk = token("programma", "landelijk", None);
    let query = "van=2025Q1&tot=2026Q4&formaat=json";
    let eerst: Value =
        serde_json::from_slice(&export(&server, Some(&landelijk), query).await.body).unwrap();
    let verborgen_eerst = verborgen(&eerst);
    assert!(!verborgen_eerst.is_empty());

    // Many more trajectories: counts grow past T, yet what was hidden stays hidden.
    met_demodata(&server, 14, 3_000).await;
    let later: Value =
        serde_json::from_slice(&export(&server, Some(&landelijk), query).await.body).unwrap();
    let verborgen_later = verborgen(&later);
    for sleutel in verborgen_eerst.keys() {
        assert!(
            verborgen_later.contains_key(sleutel),
            "{sleutel:?} revealed"
        );
    }
    assert!(
        verborgen_later.values().any(|r| r == "eerder"),
        "some cells are hidden only because they were hidden before"
    );

    // Another instance on the same store, with projections of its own, hides them too.
    let projecties = Projecties::tot_nu(server.store.as_ref(), DuurzaamBeleid::default())
        .await
        .unwrap();
    let andere = Publicaties::new(
        Arc::clone(&server.store),
        projecties,
        &CijferConfig::default(),
    )
    .unwrap();
    let uitgave = andere.publiceer(vandaag()).await.unwrap();
    let hidden = uitgave.publicatie.verborgen();
    for sleutel in verborgen_eerst.keys() {
        assert!(
            hidden.keys().any(|s| s.als_tekst() == *sleutel),
            "{sleutel} revealed by another instance"
        );
    }
}

/// `regio/periode/methode/maat` -> reason of every hidden count of a JSON export.
fn verborgen(bestand: &Value) -> BTreeMap<String, String> {
    let mut uit = BTreeMap::new();
    for cel in bestand["cellen"].as_array().unwrap() {
        for (maat, reden) in cel["verborgen"].as_object().unwrap() {
            uit.insert(
                format!(
                    "{}/{}/{}/{maat}",
                    cel["regio"].as_str().unwrap(),
                    cel["periode"].as_str().unwrap(),
                    cel["methode"].as_str().unwrap()
                ),
                reden.as_str().unwrap().to_owned(),
            );
        }
    }
    uit
}

op_elke_store!(
    exports_show_each_reader_their_part_of_one_protected_table,
    each_reader_gets_only_their_scope_and_bad_requests_name_the_field,
    what_a_publication_hid_stays_hidden_in_later_ones_of_any_instance,
);

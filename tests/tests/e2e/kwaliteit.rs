//! The quality report from outside, over HTTP, on both stores: refused until its cohorts' quarters
//! are released and for four quarters that are not a calendar year; then what every reader reads
//! (GraphQL, CSV and XLSX the same numbers, the same bytes twice), by role (a teamleider their own
//! organisation, a regio user their own region, landelijk any, a teamleider with a region their
//! choice); refused with the rule for everyone else and for bad input; and reading writes nothing.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::time::Duration;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};
use traject_demo::{DemoOpties, load};

use crate::helpers::{Server, code, token, token_rollen, vandaag};

const RAPPORT: &str = r#"query($k: String!, $r: String) {
  kwaliteitsrapport(kwartaal: $k, regio: $r) {
    onderwerp van tot eigenOrganisatie regels
    vrijgave { kwartaal nummer peildatum storePositie beleidsversie drempel }
    rijen { groep code omschrijving soort norm
            eigen { status waarde teller noemer }
            landelijk { status waarde teller noemer }
            mediaanRegios regiosMetWaarde }
  }
}"#;

async fn head(server: &Server) -> u64 {
    server.store.head().await.unwrap().map_or(0, |p| p.0)
}

/// A release (`mutatie` with `$k`), waiting for it when the answer says it is still being made;
/// `klaar` tells when it is there.
async fn vrijgeven<F, Fut>(server: &Server, mutatie: &str, k: &str, klaar: F) -> Value
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let landelijk = token("programma", "landelijk", None);
    let antwoord = server
        .client
        .post(&server.url)
        .bearer_auth(&landelijk)
        .json(&json!({"query": mutatie, "variables": {"k": k}}))
        .send()
        .await
        .unwrap();
    let status = antwoord.status().as_u16();
    assert!([200, 503, 408].contains(&status), "{status}");
    let r: Value = if status == 408 {
        json!({"errors": [{"extensions": {"code": "UNAVAILABLE"}}]})
    } else {
        antwoord.json().await.unwrap()
    };
    if code(&r) != Some("UNAVAILABLE") {
        return r;
    }
    for _ in 0..900 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if klaar().await {
            return json!({"data": "klaar"});
        }
    }
    panic!("the release of {k} never appeared");
}

async fn kwartaal_vrijgeven(server: &Server, k: &str) {
    let landelijk = token("programma", "landelijk", None);
    let r = vrijgeven(
        server,
        "mutation($k: String!) { cijfersVrijgeven(kwartaal: $k) { nummer } }",
        k,
        || async {
            let r = server
                .gql(
                    Some(&landelijk),
                    "query($k: String!) { regioCijfers(van: $k, tot: $k) { vrijgaven { nummer } } }",
                    json!({"k": k}),
                )
                .await;
            r["data"]["regioCijfers"]["vrijgaven"]
                .as_array()
                .is_some_and(|v| !v.is_empty())
        },
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
}

async fn rapport_vrijgeven(server: &Server, k: &str, nummer: u64) -> Value {
    let landelijk = token("programma", "landelijk", None);
    vrijgeven(
        server,
        "mutation($k: String!) { kwaliteitsrapportVrijgeven(kwartaal: $k) { kwartaal nummer } }",
        k,
        || async {
            let r = server.gql(Some(&landelijk), RAPPORT, json!({"k": k})).await;
            r["data"]["kwaliteitsrapport"]["vrijgave"]["nummer"].as_u64() == Some(nummer)
        },
    )
    .await
}

struct Bestand {
    status: u16,
    kop: BTreeMap<String, String>,
    body: Vec<u8>,
}

async fn export(server: &Server, token: Option<&str>, query: &str) -> Bestand {
    let url = server
        .url
        .replace("/graphql", &format!("/export/kwaliteit?{query}"));
    let mut request = server.client.get(url);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    Bestand {
        status: response.status().as_u16(),
        kop: response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// A value as the files write it: as few decimals as needed, up to 4.
fn als_tekst(v: &Value) -> String {
    match v.as_f64() {
        Some(n) => {
            let t = format!("{n:.4}");
            t.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        None => String::new(),
    }
}

/// The answer's rows as the CSV's: per row its fields in the CSV's column order.
fn als_csv_rijen(rapport: &Value) -> Vec<Vec<String>> {
    rapport["rijen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut rij: Vec<String> = ["groep", "code", "omschrijving", "soort"]
                .iter()
                .map(|k| r[k].as_str().unwrap().to_owned())
                .collect();
            rij.push(als_tekst(&r["norm"]));
            for kant in ["eigen", "landelijk"] {
                let c = &r[kant];
                rij.push(c["status"].as_str().unwrap().to_owned());
                rij.push(als_tekst(&c["waarde"]));
                rij.push(als_tekst(&c["teller"]));
                rij.push(als_tekst(&c["noemer"]));
            }
            rij.push(als_tekst(&r["mediaanRegios"]));
            rij.push(r["regiosMetWaarde"].to_string());
            rij
        })
        .collect()
}

fn csv_rijen(body: &[u8]) -> Vec<Vec<String>> {
    let mut lezer = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(body);
    assert_eq!(lezer.headers().unwrap().len(), 16);
    lezer
        .records()
        .map(|r| {
            // The last column (the unit) is the file's own.
            let r = r.unwrap();
            r.iter().take(15).map(str::to_owned).collect()
        })
        .collect()
}

async fn a_quality_report_is_released_and_read_the_same_by_everyone_who_may(server: Server) {
    let opties = DemoOpties {
        seed: 36,
        trajecten: 2_500,
        jaren: 3,
        vandaag: vandaag(),
    };
    let h = load(server.store.as_ref(), &opties, None, |_| {})
        .await
        .unwrap()
        .unwrap();
    server
        .projecties
        .wait_for(h, Duration::from_secs(60))
        .await
        .unwrap();
    let regio = token("analist-13", "regio", None);
    let landelijk = token("programma", "landelijk", None);
    let teamleider = token("tl-1", "teamleider", Some("org-am13-1"));

    // Not released: said so, with the rule; the release needs its cohorts' quarters first.
    let r = server
        .gql(Some(&regio), RAPPORT, json!({"k": "2025"}))
        .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["regel"],
        "kwaliteitsrapport_niet_vrijgegeven"
    );
    let r = rapport_vrijgeven(&server, "2025", 1).await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "kwartalen_niet_vrijgegeven",
        "{r}"
    );
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2024Q1, 2024Q2, 2024Q3, 2024Q4, 2025Q1, 2025Q2, 2025Q3, 2025Q4")
    );
    let r = server
        .gql(
            Some(&regio),
            "mutation { kwaliteitsrapportVrijgeven(kwartaal: \"2025\") { nummer } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    for k in [
        "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4",
    ] {
        kwartaal_vrijgeven(&server, k).await;
    }
    let r = rapport_vrijgeven(&server, "2025", 1).await;
    assert!(r["errors"].is_null(), "{r}");
    // Not over four quarters that overlap it: the two would differ by one quarter's counts.
    let voor_overlap = head(&server).await;
    let r = rapport_vrijgeven(&server, "2026Q2", 1).await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["regel"], "kalenderjaar", "{r}");
    assert_eq!(r["errors"][0]["extensions"]["veld"], "kwartaal", "{r}");
    assert_eq!(head(&server).await, voor_overlap, "a refused release wrote");

    // Reading, by everyone who may, in every form: the same numbers; nothing written.
    let voor = head(&server).await;
    let lijst = server
        .gql(Some(&regio), "{ kwaliteitsrapporten }", json!({}))
        .await;
    assert_eq!(lijst["data"]["kwaliteitsrapporten"], json!(["2025Q4"]));
    for (wie, regio_param, onderwerp, eigen) in [
        (&regio, None, "AM13 Midden-Utrecht", false),
        (&landelijk, Some("AM05"), "AM05 Twente", false),
        (&landelijk, None, "Nederland", false),
        (&teamleider, None, "organisatie org-am13-1", true),
    ] {
        let r = server
            .gql(Some(wie), RAPPORT, json!({"k": "2025", "r": regio_param}))
            .await;
        assert!(r["errors"].is_null(), "{r}");
        let rapport = &r["data"]["kwaliteitsrapport"];
        assert_eq!(rapport["onderwerp"], onderwerp);
        assert_eq!(rapport["van"], "2025Q1");
        assert_eq!(rapport["eigenOrganisatie"], eigen);
        assert_eq!(rapport["vrijgave"]["nummer"], 1);
        let extra = regio_param.map_or(String::new(), |r| format!("&regio={r}"));
        let csv = export(&server, Some(wie), &format!("kwartaal=2025{extra}")).await;
        assert_eq!(csv.status, 200, "{}", String::from_utf8_lossy(&csv.body));
        assert!(
            csv.kop["content-disposition"].contains("kwaliteitsrapport-"),
            "{:?}",
            csv.kop
        );
        assert_eq!(csv_rijen(&csv.body), als_csv_rijen(rapport), "{onderwerp}");
        let tekst = String::from_utf8(csv.body.clone()).unwrap();
        for staat in ["# regels:", "# duurzaam_beleid:", "vrijgave 1 (peildatum"] {
            assert!(tekst.contains(staat), "{staat} not stated");
        }
        let opnieuw = export(&server, Some(wie), &format!("kwartaal=2025{extra}")).await;
        assert_eq!(
            opnieuw.body, csv.body,
            "the same release gives the same bytes"
        );
        let xlsx = export(
            &server,
            Some(wie),
            &format!("kwartaal=2025&formaat=xlsx{extra}"),
        )
        .await;
        assert_eq!(xlsx.status, 200);
        let mut boek: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.body)).unwrap();
        let blad = boek.worksheet_range("Rapport").unwrap();
        let rijen = als_csv_rijen(rapport);
        assert_eq!(blad.height() - 1, rijen.len());
        for (n, rij) in rijen.iter().enumerate() {
            let cel = |k: u32| match blad.get_value((n as u32 + 1, k)) {
                Some(Data::Float(f)) => als_tekst(&json!(f)),
                Some(Data::Int(i)) => i.to_string(),
                Some(Data::String(s)) => s.clone(),
                _ => String::new(),
            };
            assert_eq!(cel(1), rij[1]);
            assert_eq!(cel(6), rij[6], "{}", rij[2]);
            assert_eq!(cel(10), rij[10], "{}", rij[2]);
        }
        assert!(boek.worksheet_range("Toelichting").is_ok());
    }
    // The national report shows its main figures (the regions of 2,500 trajectories are small,
    // so theirs are mostly hidden); a teamleider sees their own small counts.
    let r = server
        .gql(Some(&landelijk), RAPPORT, json!({"k": "2025"}))
        .await;
    let rijen = r["data"]["kwaliteitsrapport"]["rijen"].as_array().unwrap();
    for code in [
        "gestart",
        "gestart_IPS",
        "plaatsingen",
        "afgesloten",
        "coaches",
    ] {
        let rij = rijen.iter().find(|r| r["code"] == code).unwrap();
        assert_eq!(rij["landelijk"]["status"], "getoond", "{code}: {rij}");
    }
    assert!(
        rijen
            .iter()
            .any(|r| r["groep"].as_str().unwrap().starts_with("Cohort")
                && r["soort"] == "aandeel"
                && r["landelijk"]["status"] == "getoond"),
        "no cohort share shown nationally"
    );
    let r = server
        .gql(Some(&teamleider), RAPPORT, json!({"k": "2025"}))
        .await;
    let gestart = &r["data"]["kwaliteitsrapport"]["rijen"][0];
    assert_eq!(gestart["code"], "gestart");
    assert_eq!(gestart["eigen"]["status"], "getoond");
    assert!(
        gestart["norm"].is_null(),
        "an organisation has no yearly target"
    );
    // A teamleider who is also a regio user gets the region's report, or their organisation's
    // when they ask for it, on screen and in the file.
    let beide = token_rollen("tl-3", &["teamleider", "regio"], Some("org-am13-1"));
    let eigen_query = r#"query($k: String!, $e: Boolean) {
      kwaliteitsrapport(kwartaal: $k, eigenOrganisatie: $e) { onderwerp eigenOrganisatie } }"#;
    for (e, onderwerp) in [
        (json!(null), "AM13 Midden-Utrecht"),
        (json!(false), "AM13 Midden-Utrecht"),
        (json!(true), "organisatie org-am13-1"),
    ] {
        let r = server
            .gql(Some(&beide), eigen_query, json!({"k": "2025", "e": e}))
            .await;
        assert_eq!(
            r["data"]["kwaliteitsrapport"]["onderwerp"], onderwerp,
            "{r}"
        );
    }
    let als_teamleider = server
        .gql(Some(&teamleider), RAPPORT, json!({"k": "2025"}))
        .await;
    let csv = export(&server, Some(&beide), "kwartaal=2025&organisatie=eigen").await;
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv_rijen(&csv.body),
        als_csv_rijen(&als_teamleider["data"]["kwaliteitsrapport"]),
        "the organisation's report, as its teamleider reads it"
    );
    for (wie, query, status) in [
        (&regio, "kwartaal=2025&organisatie=eigen", 403),
        (&beide, "kwartaal=2025&organisatie=eigen&regio=AM13", 403),
        (&beide, "kwartaal=2025&organisatie=org-am13-2", 400),
    ] {
        assert_eq!(
            export(&server, Some(wie), query).await.status,
            status,
            "{query}"
        );
    }
    let r = server
        .gql(Some(&regio), eigen_query, json!({"k": "2025", "e": true}))
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["regel"],
        "alleen-teamleider-ziet-rapport-eigen-organisatie"
    );
    assert_eq!(head(&server).await, voor, "reading wrote to the store");

    // Refused, with the rule, for whoever may not.
    for (wie, vars, verwacht, regel) in [
        (
            token("c-1", "coach", Some("org-am13-1")),
            json!({"k": "2025"}),
            "FORBIDDEN",
            "alleen-teamleider-regio-of-landelijk-ziet-kwaliteitsrapport",
        ),
        (
            token("beheer", "beheerder", None),
            json!({"k": "2025"}),
            "FORBIDDEN",
            "alleen-teamleider-regio-of-landelijk-ziet-kwaliteitsrapport",
        ),
        (
            regio.clone(),
            json!({"k": "2025", "r": "AM01"}),
            "FORBIDDEN",
            "regio-alleen-eigen-regio",
        ),
        (
            teamleider.clone(),
            json!({"k": "2025", "r": "AM13"}),
            "FORBIDDEN",
            "teamleider-alleen-eigen-organisatie",
        ),
        (
            token("tl-2", "teamleider", None),
            json!({"k": "2025"}),
            "FORBIDDEN",
            "teamleider-zonder-organisatie-in-token",
        ),
        // Four quarters that are not a calendar year: overlapping reports could be subtracted.
        (
            regio.clone(),
            json!({"k": "2025Q3"}),
            "BAD_USER_INPUT",
            "kalenderjaar",
        ),
        (
            regio.clone(),
            json!({"k": "2026Q5"}),
            "BAD_USER_INPUT",
            "ongeldige_waarde",
        ),
        (
            regio.clone(),
            json!({"k": "volgend jaar"}),
            "BAD_USER_INPUT",
            "ongeldige_waarde",
        ),
    ] {
        let r = server.gql(Some(&wie), RAPPORT, vars.clone()).await;
        assert_eq!(code(&r), Some(verwacht), "{vars}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["regel"], regel, "{vars}: {r}");
        assert!(r["data"].is_null() || r["data"]["kwaliteitsrapport"].is_null());
    }
    let r = server.gql(None, RAPPORT, json!({"k": "2025"})).await;
    assert_eq!(code(&r), Some("UNAUTHENTICATED"));
    for (wie, query, status) in [
        (None, "kwartaal=2025", 401),
        // Who asks is known before the parameters are looked at.
        (None, "kwartaal=2025&kwartaal=2024", 401),
        (None, "kwartaal=2025&naam=x", 401),
        (
            Some(token("c-1", "coach", Some("org-am13-1"))),
            "kwartaal=2025",
            403,
        ),
        (Some(regio.clone()), "kwartaal=2025&regio=AM01", 403),
        (Some(regio.clone()), "kwartaal=2025&formaat=pdf", 400),
        // The figures' export has JSON; the report has no file in it.
        (Some(regio.clone()), "kwartaal=2025&formaat=json", 400),
        (Some(regio.clone()), "kwartaal=2025&naam=x", 400),
        (Some(regio.clone()), "formaat=csv", 400),
        (Some(regio.clone()), "kwartaal=2024", 400),
        (Some(regio.clone()), "kwartaal=2025Q3", 400),
        (Some(regio.clone()), "kwartaal=2025&kwartaal=2024", 400),
        (
            Some(regio.clone()),
            "kwartaal=2025&regio=AM13&regio=AM01",
            400,
        ),
    ] {
        let a = export(&server, wie.as_deref(), query).await;
        assert_eq!(
            a.status,
            status,
            "{query}: {}",
            String::from_utf8_lossy(&a.body)
        );
        assert!(!String::from_utf8_lossy(&a.body).contains("naam=x"));
    }
    assert_eq!(head(&server).await, voor, "refusals wrote to the store");

    // A correction keeps hidden what the first release hid.
    let eerste = server
        .gql(Some(&landelijk), RAPPORT, json!({"k": "2025", "r": "AM13"}))
        .await;
    let r = rapport_vrijgeven(&server, "2025", 2).await;
    assert!(r["errors"].is_null(), "{r}");
    let tweede = server
        .gql(Some(&landelijk), RAPPORT, json!({"k": "2025", "r": "AM13"}))
        .await;
    assert_eq!(
        tweede["data"]["kwaliteitsrapport"]["vrijgave"]["nummer"], 2,
        "{tweede}"
    );
    let rijen = |r: &Value| {
        r["data"]["kwaliteitsrapport"]["rijen"]
            .as_array()
            .unwrap()
            .clone()
    };
    for (a, b) in rijen(&eerste).iter().zip(rijen(&tweede).iter()) {
        if a["eigen"]["status"] == "verborgen" {
            assert_eq!(b["eigen"]["status"], "verborgen", "{}", a["omschrijving"]);
        }
    }
}

op_elke_store!(a_quality_report_is_released_and_read_the_same_by_everyone_who_may);

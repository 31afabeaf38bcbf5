//! The societal business case from outside, over HTTP: the counts behind it are released per
//! closed year by the landelijk role only; a regio user reads their own region's case with the
//! region's assumptions file (or, where its counts are withheld, the nation's counts with its
//! own assumptions); a what-if changes the numbers and writes nothing; the files state the
//! assumptions, the policy and the release; bad input is refused with the field and rule.

use std::io::Cursor;
use std::time::Duration;

use calamine::{Reader, Xlsx};
use serde_json::{Value, json};
use traject_demo::{DemoOpties, load};

use crate::helpers::{Server, code, start_met, token, vandaag};

const CASE: &str = r#"query($j: Int!, $r: String, $w: WatAlsInvoer) {
  businesscase(jaar: $j, regio: $r, watAls: $w) {
    onderwerp regio landelijkeTellingen schattingen aannamesVersie watAls regels
    vrijgave { jaar nummer peildatum storePositie beleidsversie drempel }
    trajecten { methode geteld berekend }
    uitkomsten { scenario horizonJaren
      partijen { partij kosten baten netto breakEvenMaand }
      totaal { kosten baten netto breakEvenMaand } cumulatiefNetto }
  }
}"#;

async fn head(server: &Server) -> u64 {
    server.store.head().await.unwrap().map_or(0, |p| p.0)
}

fn uitkomst<'a>(r: &'a Value, scenario: &str, horizon: u64) -> &'a Value {
    r["data"]["businesscase"]["uitkomsten"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["scenario"] == scenario && u["horizonJaren"] == horizon)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_case_is_read_from_its_release_and_a_what_if_writes_nothing() {
    let aannames = tempfile::tempdir().unwrap();
    std::fs::write(
        aannames.path().join("AM13.json"),
        r#"{"versie": "AM13-proef-1", "behoud_per_jaar": {"laag": 0.6, "midden": 0.75, "hoog": 0.9}}"#,
    )
    .unwrap();
    let map = aannames.path().to_owned();
    let server = start_met(move |c| c.cijfers.businesscase_aannames = Some(map)).await;
    let opties = DemoOpties {
        seed: 37,
        trajecten: 4_000,
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
    let vrijgeven = "mutation($j: Int!) { businesscaseVrijgeven(jaar: $j) { jaar nummer } }";

    // Not before it is released; released by landelijk only, for a closed year only.
    let r = server.gql(Some(&regio), CASE, json!({"j": 2025})).await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "businesscase_niet_vrijgegeven",
        "{r}"
    );
    let r = server
        .gql(Some(&regio), vrijgeven, json!({"j": 2025}))
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    let r = server
        .gql(Some(&landelijk), vrijgeven, json!({"j": 2026}))
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "jaar_nog_niet_vrij_te_geven",
        "{r}"
    );
    assert!(r.to_string().contains("de businesscase van 2026"), "{r}");
    let r = server
        .gql(Some(&landelijk), vrijgeven, json!({"j": 2025}))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(r["data"]["businesscaseVrijgeven"]["nummer"], 1);
    // Once: a correction would show the trajectories registered late by its difference.
    let r = server
        .gql(Some(&landelijk), vrijgeven, json!({"j": 2025}))
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "businesscase_al_vrijgegeven",
        "{r}"
    );
    let jaren = "{ businesscaseVrijgaven { jaar nummer } }";
    let r = server.gql(Some(&regio), jaren, json!({})).await;
    assert_eq!(
        r["data"]["businesscaseVrijgaven"],
        json!([{"jaar": 2025, "nummer": 1}]),
        "{r}"
    );
    let coach = token("coach-1", "coach", Some("org-1"));
    let r = server.gql(Some(&coach), jaren, json!({})).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");

    // Reading, and a what-if: the numbers change, the store does not.
    let voor = head(&server).await;
    let eigen = server.gql(Some(&regio), CASE, json!({"j": 2025})).await;
    assert!(eigen["errors"].is_null(), "{eigen}");
    let b = &eigen["data"]["businesscase"];
    assert_eq!(b["regio"], "AM13");
    assert_eq!(b["aannamesVersie"], "AM13-proef-1");
    assert_eq!(b["watAls"], false);
    assert_eq!(b["vrijgave"]["jaar"], 2025);
    let landelijke = b["landelijkeTellingen"].as_bool().unwrap();
    assert!(
        b["onderwerp"]
            .as_str()
            .unwrap()
            .contains("landelijke tellingen")
            == landelijke
    );
    // What is estimated is said: the region's own split replaced by the nation's, or (with
    // the nation's counts) the nation's small groups counted with others.
    let schattingen: Vec<&str> = b["schattingen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        schattingen.iter().all(|s| if landelijke {
            s.contains("bij de grootste geteld") || s.contains("niet meegeteld")
        } else {
            s.contains("landelijke verdeling")
        }),
        "{schattingen:?}"
    );
    let nl = server.gql(Some(&landelijk), CASE, json!({"j": 2025})).await;
    assert!(nl["errors"].is_null(), "{nl}");
    assert_eq!(nl["data"]["businesscase"]["aannamesVersie"], "standaard-1");
    let midden = uitkomst(&eigen, "midden", 1);
    let laag = uitkomst(&eigen, "laag", 1);
    let hoog = uitkomst(&eigen, "hoog", 1);
    let netto = |u: &Value| u["totaal"]["netto"].as_f64().unwrap();
    assert!(netto(laag) <= netto(midden) && netto(midden) <= netto(hoog));
    assert!(midden["totaal"]["kosten"].as_f64().unwrap() > 0.0);
    assert!(midden["totaal"]["baten"].as_f64().unwrap() > 0.0);
    assert_eq!(midden["cumulatiefNetto"].as_array().unwrap().len(), 12);
    assert_eq!(
        uitkomst(&eigen, "midden", 5)["cumulatiefNetto"]
            .as_array()
            .unwrap()
            .len(),
        60
    );
    let ips = b["trajecten"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["methode"] == "IPS")
        .unwrap()["geteld"]
        .as_i64()
        .unwrap();
    assert!(ips > 0);
    let wat_als = server
        .gql(
            Some(&regio),
            CASE,
            json!({"j": 2025, "w": {
                "trajecten": [{"methode": "IPS", "aantal": ips * 2}],
                "aannames": r#"{"zorgkosten_effect_werk": {"laag": 0.1, "midden": 0.1, "hoog": 0.1}}"#
            }}),
        )
        .await;
    assert!(wat_als["errors"].is_null(), "{wat_als}");
    let w = &wat_als["data"]["businesscase"];
    assert_eq!(w["watAls"], true);
    assert_eq!(w["aannamesVersie"], "AM13-proef-1 + wat-als");
    assert!(
        uitkomst(&wat_als, "midden", 1)["totaal"]["kosten"]
            .as_f64()
            .unwrap()
            > midden["totaal"]["kosten"].as_f64().unwrap()
    );
    let zorg = |r: &Value| {
        uitkomst(r, "midden", 1)["partijen"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["partij"] == "zorgverzekeraar")
            .unwrap()["baten"]
            .as_f64()
            .unwrap()
    };
    assert!(
        zorg(&wat_als) < zorg(&eigen),
        "a tenth of the care costs, not a half"
    );
    assert_eq!(head(&server).await, voor, "a what-if wrote to the store");

    // The files: the same case, stating the assumptions, the policy and the release.
    let url = server
        .url
        .replace("/graphql", "/export/businesscase?jaar=2025");
    let csv = server
        .client
        .get(&url)
        .bearer_auth(&regio)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    let tekst = csv.text().await.unwrap();
    for staat in [
        "# aannames_versie: AM13-proef-1",
        "duurzaam_beleid duurzaam-v2",
        "tellingen 2025 vrijgave 1",
        "# aanname behoud_per_jaar: 0.6 / 0.75 / 0.9",
        "# zorgkosten_bron: Erasmus",
        &format!(
            "schattingen: {}",
            if schattingen.is_empty() {
                "geen".to_owned()
            } else {
                schattingen.join("; ")
            }
        ),
    ] {
        assert!(tekst.contains(staat), "{staat} not in the file");
    }
    // Read as an analyst reads it (`comment='#'`): every line before the header is a comment
    // line, unquoted, and every row after it has the header's fields.
    let mut regels = tekst.lines();
    let kop = regels
        .by_ref()
        .find(|l| !l.starts_with('#'))
        .expect("a header");
    assert!(kop.starts_with("scenario,"), "{kop}");
    let velden = kop.split(',').count();
    let opmerkingen: Vec<&str> = tekst.lines().take_while(|l| l.starts_with('#')).collect();
    assert!(opmerkingen.len() > 3, "{tekst}");
    assert!(
        opmerkingen
            .iter()
            .all(|l| !l.contains(',') && !l.contains('"')),
        "{opmerkingen:?}"
    );
    for rij in regels {
        assert_eq!(rij.split(',').count(), velden, "{rij}");
    }
    let totaal_midden = tekst
        .lines()
        .find(|l| l.starts_with("midden,1,totaal,"))
        .unwrap();
    assert_eq!(
        totaal_midden.split(',').nth(5).unwrap(),
        format!("{:.0}", netto(midden))
    );
    let xlsx = server
        .client
        .get(format!("{url}&formaat=xlsx"))
        .bearer_auth(&regio)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let nog_eens = server
        .client
        .get(format!("{url}&formaat=xlsx"))
        .bearer_auth(&regio)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx == nog_eens, "the same release gave two workbooks");
    let boek: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.to_vec())).unwrap();
    assert_eq!(
        boek.sheet_names(),
        ["Businesscase", "Aannames", "Toelichting"]
    );
    assert_eq!(
        head(&server).await,
        voor,
        "reading a file wrote to the store"
    );

    // No month's own number leaves: with one price at 1 and every other 0, each month of the
    // first year costs the same, the year's whole trajectory-months over twelve.
    let mut kosten = serde_json::Map::new();
    for m in ["IPS", "Jobcoaching", "WerkAlsBesteZorg"] {
        let mut per = serde_json::Map::new();
        for f in ["Gemeente", "UWV", "Zorgverzekeraar", "GGZ", "Anders"] {
            let p = if (m, f) == ("IPS", "Gemeente") { 1 } else { 0 };
            per.insert(f.to_owned(), json!({"laag": p, "midden": p, "hoog": p}));
        }
        kosten.insert(m.to_owned(), Value::Object(per));
    }
    let nul = json!({"laag": 0, "midden": 0, "hoog": 0});
    let alleen_kosten = json!({
        "kosten_per_trajectmaand": kosten,
        "zorgkosten_per_maand": nul, "belasting_premies_per_uur": nul, "werkgever_per_uur": nul,
        "uitkering_per_maand": {"Participatiewet": nul, "WIA": nul, "Wajong": nul, "WW": nul, "ZW": nul},
    });
    let r = server
        .gql(
            Some(&regio),
            CASE,
            json!({"j": 2025, "w": {"aannames": alleen_kosten.to_string()}}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let reeks: Vec<f64> = uitkomst(&r, "midden", 1)["cumulatiefNetto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| -x.as_f64().unwrap())
        .collect();
    let jaar = reeks[11];
    assert!(jaar > 0.0 && (jaar - jaar.round()).abs() < 1e-6, "{jaar}");
    for (m, totaal) in reeks.iter().enumerate() {
        assert!(
            (totaal - jaar * (m + 1) as f64 / 12.0).abs() < 1e-6,
            "month {}: {reeks:?}",
            m + 1
        );
    }

    // Refused with the field and the rule.
    for (wie, vars, verwacht, veld) in [
        (
            token("c-1", "coach", Some("org-am13-1")),
            json!({"j": 2025}),
            "FORBIDDEN",
            None,
        ),
        (
            regio.clone(),
            json!({"j": 2025, "r": "AM01"}),
            "FORBIDDEN",
            None,
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"aannames": "geen json"}}),
            "BAD_USER_INPUT",
            Some("watAls.aannames.bestand"),
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"aannames": r#"{"behoud_per_jaar": {"laag": 2, "midden": 2, "hoog": 2}}"#}}),
            "BAD_USER_INPUT",
            Some("watAls.aannames.behoudPerJaar"),
        ),
        (
            regio.clone(),
            // A closed list: the engine refuses the value, naming the argument.
            json!({"j": 2025, "w": {"trajecten": [{"methode": "Yoga", "aantal": 3}]}}),
            "BAD_USER_INPUT",
            None,
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"trajecten": [{"methode": "IPS", "aantal": -1}]}}),
            "BAD_USER_INPUT",
            Some("watAls.trajecten.IPS"),
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"trajecten": [{"methode": "IPS", "aantal": 5}, {"methode": "IPS", "aantal": 500}]}}),
            "BAD_USER_INPUT",
            Some("watAls.trajecten.IPS"),
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"aannames": r#"{"zorgkosten_per_maand": {"laag": 1, "midden": 1, "hoog": 1e308}}"#}}),
            "BAD_USER_INPUT",
            Some("watAls.aannames.zorgkostenPerMaand"),
        ),
        (
            regio.clone(),
            json!({"j": 2025, "w": {"aannames": r#"{"horizonten": [10, 10, 10]}"#}}),
            "BAD_USER_INPUT",
            Some("watAls.aannames.horizonten"),
        ),
        (
            regio.clone(),
            json!({"j": 1999}),
            "BAD_USER_INPUT",
            Some("jaar"),
        ),
    ] {
        let r = server.gql(Some(&wie), CASE, vars.clone()).await;
        assert_eq!(code(&r), Some(verwacht), "{vars}: {r}");
        if let Some(veld) = veld {
            assert_eq!(r["errors"][0]["extensions"]["veld"], veld, "{vars}: {r}");
        }
        assert!(
            !r.to_string().contains("geen json") && !r.to_string().contains("Yoga"),
            "input echoed: {r}"
        );
    }
    assert_eq!(head(&server).await, voor, "a refusal wrote to the store");
}

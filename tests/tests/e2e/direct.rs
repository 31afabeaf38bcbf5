//! The caseload's direct path against the engine, over HTTP on national demo data: every
//! request the direct path answers gets the same status, the same bytes and the same
//! access-log entry as the engine gives the same request (sent again with a directive the
//! direct path leaves to the engine), and every other request is left to the engine.

use serde_json::{Value, json};

use traject_api::toegangslog::Resultaat;

use crate::helpers::{Server, start_demo, start_met, token};

/// The caseload screen's query as the web client sends it (with the `__typename` fields its
/// GraphQL client adds).
const SCHERM: &str = "query Caseload($organisatie: Boolean!, $fasen: [Fase!]!, $methode: Methode, $alleenAandacht: Boolean!, $sortering: CaseloadSortering!, $na: String, $zoek: String) {
  caseload(organisatie: $organisatie, fasen: $fasen, methode: $methode, alleenAandacht: $alleenAandacht, sortering: $sortering, na: $na, aantal: 50, zoek: $zoek) {
    totaal
    volgende
    items {
      trajectId
      clientId
      naam
      coach
      methode
      fase
      aanmelding
      laatsteGebeurtenis
      dagenWerk
      duurzaamBereiktOp
      aandacht {
        soort
        dagen
        sinds
        op
        actie
        __typename
      }
      cursor
      __typename
    }
    __typename
  }
}";

/// The start page's query (every page of the coach's own caseload), as the web client sends it.
const EIGEN: &str = "query EigenCaseload($na: String) {
  caseload(aantal: 100, na: $na) {
    volgende
    items {
      trajectId
      naam
      fase
      volgendeActie {
        actie
        op
        __typename
      }
      contractEindigtOp
      werkgeverscontactUiterlijk
      aandacht {
        soort
        dagen
        sinds
        op
        actie
        __typename
      }
      __typename
    }
    __typename
  }
}";

/// Every field, under other keys, with literals.
const ALLES: &str = "{
  pagina: caseload(organisatie: true, fasen: [Aangemeld, Zoekend, Geplaatst, Waakvlam, Afgesloten], methode: null, sortering: FASE, alleenAandacht: false, na: null, aantal: 200, zoek: null) {
    t: __typename n: totaal v: volgende p: positie
    rijen: items {
      __typename trajectId clientId naam coach methode fase aanmelding laatsteGebeurtenis dagenWerk
      dagenOnonderbrokenWerk duurzaamBereiktOp volgendeActie { __typename actie op gepland }
      contractEindigtOp werkgeverscontactUiterlijk aandacht { __typename soort dagen sinds op actie }
      c: cursor
    }
  }
}";

struct Antwoord {
    status: u16,
    body: String,
}

async fn post(server: &Server, token: Option<&str>, body: &Value) -> Antwoord {
    let mut request = server.client.post(&server.url).json(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    Antwoord {
        status: response.status().as_u16(),
        body: response.text().await.unwrap(),
    }
}

/// `query` with `@include(if: true)` on its `caseload` field: the same request for the
/// engine, which the direct path leaves alone.
fn via_engine(query: &str) -> String {
    let begin = query.find("caseload").expect("a caseload field") + "caseload".len();
    let eind = if query[begin..].starts_with('(') {
        begin + query[begin..].find(')').expect("closing parenthesis") + 1
    } else {
        begin
    };
    format!("{} @include(if: true){}", &query[..eind], &query[eind..])
}

/// Sends `body`, and asserts that the direct path answered it or not as `direct` says; what it
/// answered is then sent again for the engine, and both answers and their access-log entries
/// must be the same. The answer, parsed.
async fn vergelijk(server: &Server, token: Option<&str>, body: Value, direct: bool) -> Value {
    let query = body["query"].as_str().unwrap().to_owned();
    let mut engine = body.clone();
    engine["query"] = json!(via_engine(&query));
    let voor = server.direct.aantal();
    let log_voor = server.logregels().await.len();
    let a = post(server, token, &body).await;
    let tussen = server.direct.aantal();
    assert_eq!(
        tussen - voor,
        u64::from(direct),
        "direct path taken: {body}"
    );
    if !direct {
        // Answered by the engine, as it should be.
        return serde_json::from_str(&a.body).unwrap_or(Value::Null);
    }
    let b = post(server, token, &engine).await;
    assert_eq!(
        server.direct.aantal(),
        tussen,
        "the engine's document went direct"
    );
    assert_eq!(
        (a.status, &a.body),
        (b.status, &b.body),
        "direct path and engine differ for {body}"
    );
    // The same access-log entries (apart from their number and time), in the same order.
    let regels = server.logregels().await;
    let nieuw: Vec<_> = regels[log_voor..]
        .iter()
        .map(|r| {
            let t = &r.toegang;
            (
                t.gebeurteniscode.clone(),
                format!("{:?} {:?}", t.actie, t.resultaat),
                t.gebruiker.clone(),
                t.rol.clone(),
                t.regel.clone(),
                t.clients.clone(),
            )
        })
        .collect();
    assert_eq!(nieuw.len() % 2, 0, "{body}: {nieuw:?}");
    let (eerst, dan) = nieuw.split_at(nieuw.len() / 2);
    assert_eq!(eerst, dan, "access-log entries differ for {body}");
    serde_json::from_str(&a.body).unwrap_or(Value::Null)
}

fn scherm(variabelen: Value) -> Value {
    json!({ "query": SCHERM, "operationName": "Caseload", "variables": variabelen })
}

fn standaard() -> Value {
    json!({
        "organisatie": false, "fasen": [], "methode": null, "alleenAandacht": false,
        "sortering": "AANMELDING", "na": null, "zoek": null
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn de_directe_weg_antwoordt_als_de_engine() {
    let server = start_demo(10_000).await;
    let org = "org-am13-1";
    let teamleider = token("tl-direct", "teamleider", Some(org));

    // The organisation's caseload, closed trajectories too, gives coaches, names and a cursor
    // to ask with.
    let mut v = standaard();
    v["organisatie"] = json!(true);
    v["fasen"] = json!([
        "Aangemeld",
        "Zoekend",
        "Geplaatst",
        "Waakvlam",
        "Afgesloten"
    ]);
    let team = vergelijk(&server, Some(&teamleider), scherm(v.clone()), true).await;
    let rijen = team["data"]["caseload"]["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rijen.len(), 50, "{team}");
    let coach = rijen
        .iter()
        .find_map(|r| r["coach"].as_str())
        .expect("a row with a coach")
        .to_owned();
    let naam = rijen
        .iter()
        .find_map(|r| r["naam"].as_str())
        .expect("a row with a name")
        .to_owned();
    let volgende = team["data"]["caseload"]["volgende"]
        .as_str()
        .unwrap()
        .to_owned();
    let coach = token(&coach, "coach", Some(org));

    // The screen's own requests, coach and teamleider, with every filter and order.
    vergelijk(&server, Some(&coach), scherm(standaard()), true).await;
    let mut v = standaard();
    v["organisatie"] = json!(true);
    let open = vergelijk(&server, Some(&teamleider), scherm(v), true).await;
    let rijen = open["data"]["caseload"]["items"].as_array().unwrap();
    assert!(
        rijen
            .iter()
            .any(|r| !r["aandacht"].as_array().unwrap().is_empty()),
        "no row with signals: {open}"
    );
    for (sleutel, waarde) in [
        ("fasen", json!(["Zoekend", "Geplaatst"])),
        ("fasen", json!("Waakvlam")),
        ("fasen", json!(["Afgesloten"])),
        ("methode", json!("IPS")),
        ("methode", json!("WerkAlsBesteZorg")),
        ("alleenAandacht", json!(true)),
        ("sortering", json!("FASE")),
        ("sortering", json!("LAATSTE_GEBEURTENIS")),
        ("zoek", json!(naam.split(' ').next().unwrap())),
        ("zoek", json!(naam.to_lowercase())),
        ("zoek", json!("  ")),
        ("zoek", json!("niemand-heet-zo")),
    ] {
        let mut v = standaard();
        v["organisatie"] = json!(true);
        v[sleutel] = waarde;
        vergelijk(&server, Some(&teamleider), scherm(v), true).await;
    }
    // A cursor continues only the query that made it: the next page of the query with closed
    // trajectories too follows its first without a row twice, and its cursor sent with the open
    // phases only is refused with the field and the rule (both ways alike), not paged from its
    // place in another list.
    let mut v = standaard();
    v["organisatie"] = json!(true);
    v["fasen"] = json!([
        "Aangemeld",
        "Zoekend",
        "Geplaatst",
        "Waakvlam",
        "Afgesloten"
    ]);
    v["na"] = json!(volgende);
    let tweede = vergelijk(&server, Some(&teamleider), scherm(v), true).await;
    let ids = |p: &Value| -> Vec<String> {
        p["data"]["caseload"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["trajectId"].as_str().unwrap().to_owned())
            .collect()
    };
    let (eerste_ids, tweede_ids) = (ids(&team), ids(&tweede));
    assert!(!tweede_ids.is_empty(), "{tweede}");
    assert!(
        tweede_ids.iter().all(|t| !eerste_ids.contains(t)),
        "a row on both pages"
    );
    let mut v = standaard();
    v["organisatie"] = json!(true);
    v["na"] = json!(volgende);
    let geweigerd = vergelijk(&server, Some(&teamleider), scherm(v), true).await;
    let fout = &geweigerd["errors"][0]["extensions"];
    assert_eq!(
        (fout["veld"].as_str(), fout["regel"].as_str()),
        (Some("na"), Some("onbekende_cursor")),
        "{geweigerd}"
    );
    assert!(geweigerd["data"].is_null(), "{geweigerd}");

    // The start page, page after page.
    let mut na = Value::Null;
    for _ in 0..3 {
        let body =
            json!({ "query": EIGEN, "operationName": "EigenCaseload", "variables": { "na": na } });
        let pagina = vergelijk(&server, Some(&coach), body, true).await;
        na = pagina["data"]["caseload"]["volgende"].clone();
        if na.is_null() {
            break;
        }
    }
    vergelijk(&server, Some(&coach), json!({ "query": EIGEN }), true).await;
    // Variables that are no object are none (as the engine takes them).
    vergelijk(
        &server,
        Some(&coach),
        json!({ "query": EIGEN, "variables": "x" }),
        true,
    )
    .await;
    // A variable the document does not declare is ignored.
    vergelijk(
        &server,
        Some(&coach),
        json!({ "query": EIGEN, "variables": { "na": null, "ander": 1 } }),
        true,
    )
    .await;
    // Every field, under other keys, the largest page.
    vergelijk(&server, Some(&teamleider), json!({ "query": ALLES }), true).await;
    vergelijk(
        &server,
        Some(&coach),
        json!({ "query": "{ caseload(aantal: 50) { totaal volgende items { trajectId clientId coach methode fase aanmelding laatsteGebeurtenis dagenWerk duurzaamBereiktOp aandacht { soort dagen sinds } cursor } } }" }),
        true,
    )
    .await;
    vergelijk(
        &server,
        Some(&coach),
        json!({ "query": "{ caseload { totaal } }" }),
        true,
    )
    .await;
    vergelijk(
        &server,
        Some(&coach),
        json!({ "query": "{ caseload { totaal: volgende volgende: totaal } }" }),
        true,
    )
    .await;

    // Errors: the same message, code, position and path.
    let regio = token("regio-direct", "regio", None);
    for (token, body) in [
        (None, json!({ "query": "{ caseload { totaal } }" })),
        (
            Some(&regio),
            json!({ "query": "{ caseload { totaal items { naam } } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "{ caseload(aantal: 0) { totaal } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "{ caseload(aantal: 201) { totaal } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "{ caseload(aantal: -3) { totaal } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "{ caseload(na: \"onzin\") { totaal } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "{ caseload(organisatie: true) { totaal } }" }),
        ),
        (
            Some(&coach),
            json!({ "query": "query($p: NaiveDate) { caseload(peildatum: $p) { totaal } }", "variables": { "p": "2026-13-01" } }),
        ),
        (
            Some(&coach),
            json!({ "query": "query($p: NaiveDate) { caseload(peildatum: $p) { totaal } }", "variables": { "p": "1999-12-31" } }),
        ),
        (
            Some(&coach),
            json!({ "query": "query($p: NaiveDate) { caseload(peildatum: $p) { totaal items { fase } } }", "variables": { "p": "2026-06-30" } }),
        ),
    ] {
        vergelijk(&server, token.map(String::as_str), body, true).await;
    }

    // Left to the engine: what it must report, or a form the direct path does not take.
    for body in [
        json!({ "query": "query($a: Int!) { caseload(aantal: $a) { totaal } }", "variables": { "a": "tien" } }),
        json!({ "query": "query($a: Int!) { caseload(aantal: $a) { totaal } }", "variables": { "a": 2.5 } }),
        json!({ "query": "query($a: Int!) { caseload(aantal: $a) { totaal } }" }),
        json!({ "query": "query($a: Int) { caseload(aantal: $a) { totaal } }", "variables": { "a": 5 } }),
        json!({ "query": "query($a: Int!, $b: Int) { caseload(aantal: $a) { totaal } }", "variables": { "a": 5 } }),
        json!({ "query": "query Q { caseload { totaal } }", "operationName": "R" }),
        json!({ "query": "query Q { caseload { totaal } } query R { caseload { totaal } }", "operationName": "Q" }),
        json!({ "query": "{ caseload(sortering: \"FASE\") { totaal } }" }),
        json!({ "query": "{ caseload(aantal: 5, aantal: 6) { totaal } }" }),
        json!({ "query": "{ caseload(aantal: 3000000000) { totaal } }" }),
        json!({ "query": "{ caseload(onbekend: 1) { totaal } }" }),
        json!({ "query": "{ caseload { totaal onbekend } }" }),
        json!({ "query": "{ caseload { totaal totaal } }" }),
        json!({ "query": "{ caseload { a: totaal b: totaal } }" }),
        json!({ "query": "{ caseload { items } }" }),
        json!({ "query": "{ caseload { totaal(x: 1) } }" }),
        json!({ "query": "{ caseload { ...F } } fragment F on Caseload { totaal }" }),
        json!({ "query": "{ caseload { ... on Caseload { totaal } } }" }),
        json!({ "query": "{ caseload(peildatum: \"2026-06-30\") { totaal } }" }),
        json!({ "query": "{ caseload(fasen: [$f]) { totaal } }" }),
    ] {
        vergelijk(&server, Some(&coach), body, false).await;
    }
}

/// Over the quota of client records a minute the direct path refuses as the engine does:
/// TOO_MANY_REQUESTS, no row, and an entry refused under the quota's rule without clients. (It
/// writes its answer while the log makes the entry durable; none of it may leave.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_het_quotum_weigert_de_directe_weg_als_de_engine() {
    let org = "org-am13-1";
    let server = start_met(|c| c.inzage_quota = 3).await;
    let tl = server.teamleider("tl-quotum", org);
    for _ in 0..3 {
        tl.aanmelden(org, "2026-01-05").await.unwrap();
    }
    let teamleider = token("tl-quotum", "teamleider", Some(org));
    let mut v = standaard();
    v["organisatie"] = json!(true);
    // The first page shows the three clients: the quota is used up.
    let eerst = post(&server, Some(&teamleider), &scherm(v.clone())).await;
    let eerst: Value = serde_json::from_str(&eerst.body).unwrap();
    assert_eq!(
        eerst["data"]["caseload"]["items"].as_array().map(Vec::len),
        Some(3),
        "{eerst}"
    );
    let antwoord = vergelijk(&server, Some(&teamleider), scherm(v), true).await;
    assert_eq!(
        antwoord["errors"][0]["extensions"]["code"], "TOO_MANY_REQUESTS",
        "{antwoord}"
    );
    assert!(antwoord["data"]["caseload"].is_null(), "{antwoord}");
    assert!(!antwoord.to_string().contains("trajectId"), "{antwoord}");
    // The direct path's entry and the engine's: both refused, without clients.
    let regels = server.logregels().await;
    for regel in &regels[regels.len() - 2..] {
        let t = &regel.toegang;
        assert_eq!(t.resultaat, Resultaat::Geweigerd, "{t:?}");
        assert_eq!(t.regel, "inzagequotum");
        assert!(t.clients.is_empty(), "{t:?}");
    }
}

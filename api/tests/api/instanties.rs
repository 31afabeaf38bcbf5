//! Two instances on one PostgreSQL database, from outside: a coach who writes through one and
//! reads through the other right after, sending the position the write answered
//! (`Traject-Positie`), always reads the write; a position the instance cannot reach in time is
//! answered UNAVAILABLE with when to try again, never a stale answer; a header that is no
//! position is refused. A team change answers its position too, and a live caseload on the
//! other instance pushes the writes of the first in rising store position.

use serde_json::{Value, json};

use crate::binair::{EigenDatabase, klaar, start, vrije_poort};
use crate::crash::{AANMELDEN, SECRET, token};

const TRAJECT: &str = "query($id: ID!) { traject(id: $id) { id revisie } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_on_one_instance_is_read_on_the_other_with_its_position() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let db = EigenDatabase::maak(&url, "instanties").await;
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let client = reqwest::Client::new();
    let coach = token("coach-0");

    let (pa, pb) = (vrije_poort(), vrije_poort());
    let (a, b) = (
        format!("http://127.0.0.1:{pa}"),
        format!("http://127.0.0.1:{pb}"),
    );
    let mut server_a = start(&db.url, &sleutel, SECRET, pa);
    klaar(&client, &a).await;
    let mut server_b = start(&db.url, &sleutel, SECRET, pb);
    klaar(&client, &b).await;

    for i in 0..30 {
        let e = uuid::Uuid::now_v7().to_string();
        let r = client
            .post(format!("{a}/graphql"))
            .bearer_auth(&coach)
            .json(&json!({"query": AANMELDEN.replace("eventId traject { id }", "eventId positie traject { id }"), "variables": {"e": e, "d": "2026-01-07"}}))
            .send()
            .await
            .unwrap();
        let kop = r
            .headers()
            .get("traject-positie")
            .map(|v| v.to_str().unwrap().to_owned())
            .expect("a mutation answers its position in a header");
        let body: Value = r.json().await.unwrap();
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(body["data"]["aanmelden"]["positie"], kop.as_str());
        let id = body["data"]["aanmelden"]["traject"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Straight to the other instance, with the position.
        let r = client
            .post(format!("{b}/graphql"))
            .bearer_auth(&coach)
            .header("Traject-Positie", &kop)
            .json(&json!({"query": TRAJECT, "variables": {"id": id}}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        assert_eq!(status, 200, "try {i}: {body}");
        assert_eq!(
            body["data"]["traject"]["id"],
            id.as_str(),
            "try {i}: {body}"
        );
    }

    // A team change answers its position as well; the other instance reads with it.
    let teamleider = traject_api::auth::mint(
        SECRET,
        &traject_api::auth::Claims {
            roles: vec!["teamleider".to_owned()],
            sub: "tl-crash".to_owned(),
            ..crate::crash::claims("tl-crash")
        },
    );
    let r = client
        .post(format!("{a}/graphql"))
        .bearer_auth(&teamleider)
        .json(&json!({"query": "mutation { coachToevoegen(coach: \"coach-nieuw\") { coach } }"}))
        .send()
        .await
        .unwrap();
    let team_positie: u64 = r
        .headers()
        .get("traject-positie")
        .expect("a team change answers its position")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(body["errors"].is_null(), "{body}");
    let r = client
        .post(format!("{b}/graphql"))
        .bearer_auth(&teamleider)
        .header("Traject-Positie", team_positie.to_string())
        .json(&json!({"query": "{ caseload(organisatie: true) { totaal positie } }"}))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let gelezen: u64 = body["data"]["caseload"]["positie"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .parse()
        .unwrap();
    assert!(gelezen >= team_positie, "{body}");

    // A live caseload (the organisation's) on the other instance: every write of the first
    // arrives, in rising store
    // position, the last at least at the last write's position.
    use crate::randen::socket::{antwoord, stuur, verbind};
    let mut socket = verbind(pb, &teamleider).await;
    stuur(
        &mut socket,
        json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { caseloadGewijzigd(organisatie: true) { totaal positie } }"}}),
    )
    .await;
    let eerste = antwoord(&mut socket, 10).await.unwrap();
    let mut totaal = eerste["payload"]["data"]["caseloadGewijzigd"]["totaal"]
        .as_u64()
        .unwrap_or_else(|| panic!("{eerste}"));
    let mut posities = vec![
        eerste["payload"]["data"]["caseloadGewijzigd"]["positie"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap(),
    ];
    let mut laatste_schrijf = 0;
    for _ in 0..5 {
        let r = client
            .post(format!("{a}/graphql"))
            .bearer_auth(&coach)
            .json(&json!({"query": AANMELDEN, "variables": {"e": uuid::Uuid::now_v7().to_string(), "d": "2026-01-08"}}))
            .send()
            .await
            .unwrap();
        laatste_schrijf = r.headers()["traject-positie"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
    }
    let doel = totaal + 5;
    while totaal < doel {
        let push = antwoord(&mut socket, 10).await.unwrap();
        let pagina = &push["payload"]["data"]["caseloadGewijzigd"];
        totaal = pagina["totaal"]
            .as_u64()
            .unwrap_or_else(|| panic!("{push}"));
        posities.push(pagina["positie"].as_str().unwrap().parse().unwrap());
    }
    assert!(
        posities.windows(2).all(|w| w[0] < w[1]),
        "pushes in rising position: {posities:?}"
    );
    assert!(*posities.last().unwrap() >= laatste_schrijf, "{posities:?}");

    // A position no instance has reached: UNAVAILABLE after the bounded wait, with a retry hint.
    let verre = u64::MAX / 2;
    let begin = std::time::Instant::now();
    let r = client
        .post(format!("{b}/graphql"))
        .bearer_auth(&coach)
        .header("Traject-Positie", verre.to_string())
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    assert_eq!(r.headers().get("retry-after").unwrap(), "1");
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert!(
        body["data"].is_null() || body["data"]["caseload"].is_null(),
        "no stale answer: {body}"
    );
    assert!(begin.elapsed() < std::time::Duration::from_secs(10));

    // Not a position: refused, naming the header.
    let r = client
        .post(format!("{b}/graphql"))
        .bearer_auth(&coach)
        .header("Traject-Positie", "gisteren")
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(
        body.to_string().contains("Traject-Positie"),
        "the header named: {body}"
    );

    server_a.kill().unwrap();
    server_a.wait().unwrap();
    server_b.kill().unwrap();
    server_b.wait().unwrap();
    db.weg().await;
}

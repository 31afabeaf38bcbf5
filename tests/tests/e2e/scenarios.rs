//! What a coach does in a day, and what others may not see.

use serde_json::{Value, json};

use crate::api::{Aanmelding, CaseloadVraag, Gebruiker, Opdracht, PlaatsingInvoer, Wijziging};
use crate::helpers::*;

const ORG: &str = "org-am13-1";

/// A trajectory referred and taken in by `coach` (so in their caseload); its id.
async fn met_intake(coach: &Gebruiker<'_>) -> String {
    let t = coach.aanmelden(ORG, "2026-01-05").await.unwrap().traject;
    let intake = Wijziging::op(&t.id, t.revisie.unwrap(), "2026-01-12");
    coach
        .wijzig(&intake, Opdracht::intake("WW", true))
        .await
        .unwrap();
    t.id
}

async fn a_coach_records_a_whole_trajectory_and_sees_it_in_the_caseload_at_once(server: Server) {
    let anna = server.coach("coach-anna", ORG);
    let t = anna.aanmelden(ORG, "2026-01-05").await.unwrap().traject;
    let (id, mut rev) = (t.id, t.revisie.unwrap());
    let stappen = [
        ("2026-01-12", Opdracht::intake("WW", true)),
        ("2026-01-20", Opdracht::werkgeverscontact("Bakkerij", true)),
        (
            "2026-02-02",
            Opdracht::PlaatsingStarten(PlaatsingInvoer::vast("Bakkerij", "Bakker", 24.0)),
        ),
    ];
    for (datum, opdracht) in stappen {
        let veld = opdracht.veld();
        let vastgelegd = anna
            .wijzig(&Wijziging::op(&id, rev, datum), opdracht)
            .await
            .unwrap_or_else(|f| panic!("{veld}: {f}"));
        assert_eq!(vastgelegd.revisie, rev + 1);
        rev = vastgelegd.revisie;
        // Read-your-writes: the very next query shows it.
        let caseload = anna.caseload(CaseloadVraag::eigen()).await.unwrap();
        assert_eq!(caseload.items.len(), 1, "{caseload:?}");
        assert_eq!(caseload.items[0].traject_id, id);
    }
    let t = anna.traject(&id).await.unwrap();
    assert_eq!(t.status().fase, "Geplaatst", "{t:?}");
    assert_eq!(t.revisie, Some(3));
    // Six months of work later (today is 2026-11-23): duurzaam on 2026-08-01.
    assert_eq!(
        t.status().duurzaam_bereikt_op.as_deref(),
        Some("2026-08-01")
    );
    assert_eq!(t.tijdlijn.len(), 4);
}

async fn two_stale_updates_race_and_one_gets_a_conflict_with_the_current_revision(server: Server) {
    let anna = server.coach("coach-anna", ORG);
    let t = anna.aanmelden(ORG, "2026-01-05").await.unwrap().traject;
    let rev = t.revisie.unwrap();
    let (op_10, op_11) = (
        Wijziging::op(&t.id, rev, "2026-01-10"),
        Wijziging::op(&t.id, rev, "2026-01-11"),
    );
    let (a, b) = tokio::join!(
        anna.wijzig(&op_10, Opdracht::intake("WW", false)),
        anna.wijzig(&op_11, Opdracht::intake("WW", false)),
    );
    let conflict = match (a, b) {
        (Ok(_), Err(f)) | (Err(f), Ok(_)) => f,
        (a, b) => panic!("one succeeds and one fails: {a:?} {b:?}"),
    };
    assert_eq!(conflict.code, "CONFLICT", "one conflicts: {conflict}");
    assert_eq!(
        conflict.regel.as_deref(),
        Some("revisie_verouderd"),
        "{conflict}"
    );
    assert_eq!(conflict.huidige_revisie, Some(1));
    assert!(conflict.zonder_data());
}

async fn a_coach_cannot_read_another_coachs_client_and_a_regio_user_gets_no_person_level_data(
    server: Server,
) {
    let id = met_intake(&server.coach("coach-anna", ORG)).await;

    let bram = server.coach("coach-bram", ORG);
    let cees = server.coach("coach-cees", "org-am13-2");
    let regio = server.regio("analist");
    for (wie, gebruiker) in [("bram", &bram), ("cees", &cees), ("regio", &regio)] {
        let f = gebruiker.traject(&id).await.unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{wie}: {f}");
        assert!(f.zonder_data(), "{wie}: a refusal returns no data: {f}");
        let waakvlam = Wijziging::op(&id, 1, "2026-02-01");
        let f = gebruiker
            .wijzig(&waakvlam, Opdracht::WaakvlamInzetten)
            .await
            .unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{wie}: {f}");
    }
    let f = regio
        .caseload_totaal(CaseloadVraag::eigen())
        .await
        .unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    assert!(f.zonder_data());
    // The teamleider of the organisation does see it.
    server.teamleider("tl-org", ORG).traject(&id).await.unwrap();
}

async fn an_expired_forged_or_missing_token_is_refused(server: Server) {
    let now = traject_api::auth::nu();
    let expired = token_met("coach-anna", "coach", Some(ORG), now - 3600, SECRET);
    let forged = token_met(
        "coach-anna",
        "coach",
        Some(ORG),
        now + 3600,
        "een-ander-geheim",
    );
    for t in [
        Some(expired.as_str()),
        Some(forged.as_str()),
        Some("rommel"),
        None,
    ] {
        let r = server.gql(t, "{ me { id } }", json!({})).await;
        assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{r}");
        assert!(r["data"].is_null(), "{r}");
    }
}

async fn every_read_write_and_refusal_of_person_level_data_is_in_an_intact_access_log(
    server: Server,
) {
    let anna = server.coach("coach-anna", ORG);
    let bram = server.coach("coach-bram", "org-am13-2");
    let id = anna.aanmelden(ORG, "2026-01-05").await.unwrap().traject.id; // C
    anna.traject(&id).await.unwrap(); // R
    anna.caseload_totaal(CaseloadVraag::eigen()).await.unwrap(); // R (search)
    bram.traject(&id).await.unwrap_err(); // refused
    anna.gql("{ me { id } }", json!({})).await; // not person-level: no entry

    let beheerder = server.beheerder("beheer");
    let regels = beheerder.toegangslog(None).await.unwrap();
    let codes: Vec<(&str, &str, &str)> = regels
        .iter()
        .rev()
        .map(|r| {
            (
                r.gebeurteniscode.as_str(),
                r.resultaat.as_str(),
                r.gebruiker.as_str(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("traject.aanmelden", "GELUKT", "coach-anna"),
            ("traject.lezen", "GELUKT", "coach-anna"),
            ("caseload.zoeken", "GELUKT", "coach-anna"),
            ("traject.lezen", "GEWEIGERD", "coach-bram"),
        ]
    );
    // The check, asked on its own afterwards (in one request with the log it would race the
    // log's own entry): the four entries and the beheerder's read of the log.
    let controle = beheerder.toegangslog_controleren(false, &[]).await.unwrap();
    assert!(controle.intact, "{controle:?}");
    assert_eq!(controle.tot, 5, "{controle:?}");
    // A coach may not read the log.
    assert_eq!(anna.toegangslog(None).await.unwrap_err().code, "FORBIDDEN");
}

/// Retracting the aanmelding is refused with its rule and nothing is stored: the trajectory
/// still reads as before (it used to be stored, answered INTERNAL, and the trajectory was then
/// NOT_FOUND).
async fn retracting_the_aanmelding_is_refused_and_leaves_the_trajectory_as_it_was(server: Server) {
    let anna = server.coach("coach-anna", ORG);
    let e = uuid::Uuid::now_v7().to_string();
    let aanmelding = Aanmelding::new(ORG, "2026-01-05").met_event_id(&e);
    let id = anna.aanmelden_met(aanmelding).await.unwrap().traject.id;
    let intrekking = Opdracht::Intrekken {
        gebeurtenis_id: e.clone(),
        reden: "Invoerfout",
    };
    let f = anna
        .wijzig(&Wijziging::op(&id, 0, "2026-01-06"), intrekking)
        .await
        .unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert!(
        f.antwoord
            .to_string()
            .contains("aanmelding_niet_intrekbaar"),
        "{f}"
    );
    let t = anna.traject(&id).await.unwrap();
    assert_eq!(t.revisie, Some(0), "{t:?}");
}

op_elke_store!(
    a_coach_records_a_whole_trajectory_and_sees_it_in_the_caseload_at_once,
    retracting_the_aanmelding_is_refused_and_leaves_the_trajectory_as_it_was,
    two_stale_updates_race_and_one_gets_a_conflict_with_the_current_revision,
    a_coach_cannot_read_another_coachs_client_and_a_regio_user_gets_no_person_level_data,
    an_expired_forged_or_missing_token_is_refused,
    every_read_write_and_refusal_of_person_level_data_is_in_an_intact_access_log,
);

async fn a_requests_correlation_id_is_returned_and_names_its_access_log_entry(server: Server) {
    let anna = token("coach-anna", "coach", Some(ORG));
    // Made by the server when absent.
    let response = server
        .client
        .post(&server.url)
        .bearer_auth(&anna)
        .json(&json!({"query": "{ me { id } }"}))
        .send()
        .await
        .unwrap();
    let gemaakt = response.headers()["x-correlation-id"].to_str().unwrap();
    assert!(uuid::Uuid::try_parse(gemaakt).is_ok(), "{gemaakt}");
    // Taken over from the caller when it is a UUID, and recorded with the access.
    let eigen = "0190b000-0000-7000-8000-0000000000aa";
    let response = server
        .client
        .post(&server.url)
        .bearer_auth(&anna)
        .header("x-correlation-id", eigen)
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-correlation-id"], eigen);
    let log = server.logregels().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].toegang.correlatie.to_string(), eigen);
    // Anything else is replaced, never echoed.
    let response = server
        .client
        .post(&server.url)
        .bearer_auth(&anna)
        .header("x-correlation-id", "<script>")
        .json(&json!({"query": "{ me { id } }"}))
        .send()
        .await
        .unwrap();
    let vervangen = response.headers()["x-correlation-id"].to_str().unwrap();
    assert!(uuid::Uuid::try_parse(vervangen).is_ok(), "{vervangen}");
}

op_elke_store!(a_requests_correlation_id_is_returned_and_names_its_access_log_entry);

/// An access-log entry of a write, as the inbox holds it.
fn server_log_entry() -> traject_api::toegangslog::Toegang {
    traject_api::toegangslog::Toegang {
        gebeurteniscode: "traject.aanmelden".into(),
        actie: traject_api::toegangslog::Actie::C,
        tijd: chrono::Utc::now(),
        resultaat: traject_api::toegangslog::Resultaat::Gelukt,
        gebruiker: "coach-anna".into(),
        rol: "coach".into(),
        organisatie: Some(ORG.into()),
        clients: vec![],
        traject: None,
        regel: "coach-aanmelding-eigen-organisatie".into(),
        bron: "test".into(),
        correlatie: uuid::Uuid::nil(),
    }
}

/// After a restart on a store whose newest events are access-log entries (a write's entry in
/// the inbox), the server becomes ready: readiness counts events of other streams as seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_becomes_ready_when_the_newest_events_are_access_log_entries() {
    use std::sync::Arc;
    use traject_api::app::Application;
    use traject_store::{EventStore, SqliteStore};

    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let anna = token("coach-anna", "coach", Some(ORG));
    let client = reqwest::Client::new();
    for ronde in 0..2 {
        let store = SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap();
        let kluis = crate::helpers::kluisdienst(
            &config,
            Arc::new(
                traject_api::kluis::storage::SqliteKluis::open(&dir.path().join("events.sqlite"))
                    .unwrap(),
            ),
        )
        .await;
        let store: Arc<dyn EventStore> = Arc::new(store);
        let app = Application::build(&config, Arc::clone(&store), kluis, vandaag)
            .await
            .unwrap();
        let basis = format!("http://127.0.0.1:{}", app.poort());
        let (stop, gestopt) = tokio::sync::oneshot::channel::<()>();
        let draait = tokio::spawn(app.run(async {
            let _ = gestopt.await;
        }));
        let mut klaar = false;
        for _ in 0..100 {
            let status = client
                .get(format!("{basis}/ready"))
                .send()
                .await
                .unwrap()
                .status();
            if status == 200 {
                klaar = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(klaar, "round {ronde}: not ready within 10 s");
        if ronde == 0 {
            let r = client
                .post(format!("{basis}/graphql"))
                .bearer_auth(&anna)
                .json(
                    &json!({"query": AANMELDEN, "variables": {"org": ORG, "datum": "2026-01-05"}}),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let r = client
                .post(format!("{basis}/graphql"))
                .bearer_auth(&anna)
                .json(&json!({"query": "{ caseload { totaal } }"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            // A write's access-log entry waiting in the store's inbox as the newest event (as
            // after a crash before the log took it in).
            let mut entry = server_log_entry();
            entry.correlatie = uuid::Uuid::now_v7();
            store
                .append(
                    &traject_store::StreamName::new(traject_api::toegangslog::INBOX).unwrap(),
                    traject_store::ExpectedRevision::Any,
                    vec![traject_api::toegangslog::vorm::inbox_event(&entry)],
                )
                .await
                .unwrap();
            let laatste = store.head().await.unwrap().unwrap();
            let log = store
                .read_all(
                    Some(traject_store::Position(laatste.0 - 1)),
                    &traject_store::StreamFilter::all(),
                    1,
                )
                .await
                .unwrap();
            assert_eq!(log[0].stream.as_str(), "toegangslog");
        }
        stop.send(()).unwrap();
        draait.await.unwrap().unwrap();
    }
}

/// A request sent again, once it passed the full validation, is validated with the fast checks
/// only (`http::Gevalideerd`): it must be answered as the first time, and a request that differs
/// in its variables alone must still meet the full rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_sent_again_is_answered_the_same_and_its_variables_still_validated() {
    let server = start().await;
    let anna = token("coach-anna", "coach", Some(ORG));
    met_intake(&server.gebruiker(anna.clone())).await;
    let query = "query($n: Int!) { caseload(aantal: $n) { totaal items { fase } } }";
    let eerste = server.gql(Some(&anna), query, json!({"n": 5})).await;
    assert_eq!(eerste["data"]["caseload"]["totaal"], 1, "{eerste}");
    assert_eq!(
        server.gql(Some(&anna), query, json!({"n": 5})).await,
        eerste
    );

    // The same document with a variable of the wrong type: the full rules report it (the fast
    // checks would leave only the engine's coercion error), every time.
    let fout = server.gql(Some(&anna), query, json!({"n": "vijf"})).await;
    assert_eq!(code(&fout), Some("BAD_USER_INPUT"), "{fout}");
    let bericht = fout["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        bericht.starts_with(r#"Invalid value for argument "aantal""#),
        "{fout}"
    );
    assert_eq!(
        server.gql(Some(&anna), query, json!({"n": "vijf"})).await,
        fout
    );

    // A document that fails validation fails it again, with the same errors.
    let onbekend = "{ caseload { totaal onbekend } }";
    let fout = server.gql(Some(&anna), onbekend, json!({})).await;
    assert!(
        fout["data"].is_null() && fout["errors"][0].get("path").is_none(),
        "{fout}"
    );
    assert_eq!(server.gql(Some(&anna), onbekend, json!({})).await, fout);

    // Refused by a resolver (a regio user has no caseload) after the request passed validation:
    // refused again.
    let regio = token("analist", "regio", None);
    let geweigerd = server.gql(Some(&regio), query, json!({"n": 5})).await;
    assert_eq!(code(&geweigerd), Some("FORBIDDEN"), "{geweigerd}");
    assert_eq!(
        server.gql(Some(&regio), query, json!({"n": 5})).await,
        geweigerd
    );
}

/// A store holding an event that does not fit its trajectory (a damaged or foreign write): the
/// read models stop and say so. The server is not ready, and a query that needs them answers
/// UNAVAILABLE with 503 and a retry hint, never a partial caseload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_read_models_make_queries_unavailable_not_partial() {
    use std::sync::Arc;
    use traject_api::app::Application;
    use traject_store::{EventStore, SqliteStore};

    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let stream =
        traject_store::StreamName::new(format!("traject-{}", uuid::Uuid::now_v7())).unwrap();
    store
        .append(
            &stream,
            traject_store::ExpectedRevision::Any,
            vec![traject_store::testing::test_event(json!({"onzin": true}))],
        )
        .await
        .unwrap();
    let kluis = crate::helpers::kluisdienst(
        &config,
        Arc::new(
            traject_api::kluis::storage::SqliteKluis::open(&dir.path().join("events.sqlite"))
                .unwrap(),
        ),
    )
    .await;
    let app = Application::build(&config, Arc::clone(&store), kluis, vandaag)
        .await
        .unwrap();
    let basis = format!("http://127.0.0.1:{}", app.poort());
    tokio::spawn(app.run(std::future::pending()));
    let client = reqwest::Client::new();
    let mut gestopt = false;
    for _ in 0..100 {
        let r = client.get(format!("{basis}/ready")).send().await.unwrap();
        let status = r.status();
        let tekst = r.text().await.unwrap();
        assert_ne!(status, 200, "ready with stopped read models");
        if tekst.contains("gestopt") {
            gestopt = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gestopt, "readiness never said the read models stopped");
    let anna = token("coach-anna", "coach", Some(ORG));
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(&anna)
        .json(&json!({"query": "{ caseload { totaal items { clientId } } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "1");
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert!(body["data"].is_null(), "{body}");

    // Everything else counted from the read models: provisional figures (GraphQL and export),
    // a release (stored for good), and the caseload subscription.
    let landelijk = token("programma", "landelijk", None);
    for query in [
        r#"{ regioCijfers(van: "2025Q1", tot: "2025Q4", voorlopig: true) { voorlopig cellen { regio } } }"#,
        r#"mutation { cijfersVrijgeven(kwartaal: "2025Q3") { nummer } }"#,
    ] {
        let r = client
            .post(format!("{basis}/graphql"))
            .bearer_auth(&landelijk)
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
            "{query}: {body}"
        );
    }
    let r = client
        .get(format!(
            "{basis}/export/cijfers?van=2025Q1&tot=2025Q4&voorlopig=ja&formaat=json"
        ))
        .bearer_auth(&landelijk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);

    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut verzoek = format!("{}/graphql/ws", basis.replacen("http://", "ws://", 1))
        .into_client_request()
        .unwrap();
    verzoek.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(verzoek).await.unwrap();
    for bericht in [
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {anna}")}}),
        json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { caseloadGewijzigd { totaal } }"}}),
    ] {
        socket
            .send(Message::Text(bericht.to_string().into()))
            .await
            .unwrap();
    }
    let antwoord = loop {
        let bericht = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("an answer within 10 s")
            .expect("the connection is open")
            .unwrap();
        let Message::Text(tekst) = bericht else {
            continue;
        };
        let v: Value = serde_json::from_str(&tekst).unwrap();
        if matches!(v["type"].as_str(), Some("next" | "error")) {
            break v;
        }
    };
    // A field error comes as a result without data (or as an `error` message): no caseload.
    let fouten = match antwoord["type"].as_str() {
        Some("error") => &antwoord["payload"],
        _ => {
            assert!(
                antwoord["payload"]["data"].is_null(),
                "a caseload pushed: {antwoord}"
            );
            &antwoord["payload"]["errors"]
        }
    };
    assert_eq!(fouten[0]["extensions"]["code"], "UNAVAILABLE", "{antwoord}");
}

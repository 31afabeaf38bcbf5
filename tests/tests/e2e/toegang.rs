//! The authorisation suite over HTTP: role x operation x relation, with the facts the server owns
//! (a client's organisation, an organisation's team, the stream at the revision decided on).
//! Every cross-organisation attempt is refused and logged as refused; retries answer what the
//! first request answered.

use serde_json::{Value, json};
use traject_api::toegangslog::Resultaat;
use traject_store::{Direction, ReadFrom, StreamName};

use crate::helpers::*;

const ORG_A: &str = "org-am13-1";
const ORG_B: &str = "org-am13-2";

const AANMELDEN_CLIENT: &str = r#"mutation($org: String!, $c: ID, $e: ID) {
  aanmelden(invoer: {datum: "2026-01-05", clientId: $c, methode: IPS, regio: "AM13",
                     organisatie: $org, verwijzer: GGZ, financier: Gemeente, eventId: $e}) {
    eventId revisie traject { id clientId revisie }
  }
}"#;
const PERSOON: &str = r#"query($c: ID!) { persoon(clientId: $c) { versie gegevens { naam } } }"#;
const VASTLEGGEN: &str = r#"mutation($c: ID!, $v: Int, $n: String!) {
  persoonsgegevensVastleggen(clientId: $c, versie: $v,
                             gegevens: {naam: $n, geboortedatum: "1990-01-01"}) { versie }
}"#;
const TEAM: &str = r#"query { team { coach openTrajecten } }"#;
const TOEVOEGEN: &str =
    r#"mutation($c: String!, $o: String) { coachToevoegen(coach: $c, organisatie: $o) { coach } }"#;
const VERWIJDEREN: &str = r#"mutation($c: String!) { coachVerwijderen(coach: $c) { coach } }"#;

fn regel(r: &Value) -> &str {
    r["errors"][0]["extensions"]["regel"].as_str().unwrap_or("")
}

fn fout(r: &Value) -> String {
    r["errors"][0]["message"].as_str().unwrap_or("").to_owned()
}

async fn aanmelden(server: &Server, token: &str, org: &str, client: Option<&str>) -> Value {
    server
        .gql(
            Some(token),
            AANMELDEN_CLIENT,
            json!({"org": org, "c": client, "e": null}),
        )
        .await
}

fn traject_van(r: &Value) -> (String, String, u64) {
    let t = &r["data"]["aanmelden"]["traject"];
    (
        t["id"].as_str().unwrap().to_owned(),
        t["clientId"].as_str().unwrap().to_owned(),
        t["revisie"].as_u64().unwrap(),
    )
}

/// The number of events in a trajectory's stream, as stored.
async fn events_in(server: &Server, traject: &str) -> usize {
    let stream = StreamName::new(format!("traject-{traject}")).unwrap();
    server
        .store
        .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 1000)
        .await
        .unwrap()
        .len()
}

/// The newest access-log entry.
async fn laatste_regel(server: &Server) -> traject_api::toegangslog::Logregel {
    server.logregels().await.pop().expect("an entry")
}

async fn a_client_belongs_to_the_organisation_that_referred_them(server: Server) {
    let coach_a = token("coach-a1", "coach", Some(ORG_A));
    let coach_b = token("coach-b1", "coach", Some(ORG_B));
    let tl_b = token("tl-b", "teamleider", Some(ORG_B));
    let r = aanmelden(&server, &coach_a, ORG_A, None).await;
    assert!(r["errors"].is_null(), "{r}");
    let (_, client, _) = traject_van(&r);
    let r = server
        .gql(
            Some(&coach_a),
            VASTLEGGEN,
            json!({"c": client, "v": null, "n": "Ada Achternaam"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");

    // Another organisation cannot refer the client under the same id, as coach or teamleider;
    // an id that does not exist is refused the same way, so the answer tells nothing.
    let onbekend = uuid::Uuid::now_v7().to_string();
    for (token, c) in [
        (&coach_b, client.as_str()),
        (&tl_b, client.as_str()),
        (&coach_b, onbekend.as_str()),
    ] {
        let r = aanmelden(&server, token, ORG_B, Some(c)).await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
        assert_eq!(regel(&r), "client-niet-van-eigen-organisatie", "{r}");
        let entry = laatste_regel(&server).await;
        assert_eq!(entry.toegang.resultaat, Resultaat::Geweigerd);
        assert_eq!(entry.toegang.gebeurteniscode, "traject.aanmelden");
        assert_eq!(entry.toegang.clients[0].to_string(), c);
    }
    // So B reaches nothing of the client: not the data, not a change to it.
    for token in [&coach_b, &tl_b] {
        let r = server.gql(Some(token), PERSOON, json!({"c": client})).await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
        let r = server
            .gql(
                Some(token),
                VASTLEGGEN,
                json!({"c": client, "v": 0, "n": "Overschreven"}),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
        assert_eq!(
            laatste_regel(&server).await.toegang.resultaat,
            Resultaat::Geweigerd
        );
    }
    let r = server
        .gql(Some(&coach_a), PERSOON, json!({"c": client}))
        .await;
    assert_eq!(
        r["data"]["persoon"]["gegevens"]["naam"], "Ada Achternaam",
        "{r}"
    );
    // The client's own organisation refers them again under the same id.
    let r = aanmelden(&server, &coach_a, ORG_A, Some(&client)).await;
    assert!(r["errors"].is_null(), "{r}");
    assert_eq!(traject_van(&r).1, client);
}

async fn only_a_coach_of_the_team_can_be_assigned(server: Server) {
    let tl_a = token("tl-a", "teamleider", Some(ORG_A));
    let tl_b = token("tl-b", "teamleider", Some(ORG_B));
    let coach_a = token("coach-a1", "coach", Some(ORG_A));
    let beheerder = token("beheer", "beheerder", None);
    let r = aanmelden(&server, &tl_a, ORG_A, None).await;
    let (id, _, rev) = traject_van(&r);
    let toewijzen = mutatie("coachToewijzen", ", coach: $coach", "");
    let toewijzen = toewijzen.replace("$eventId: ID)", "$eventId: ID, $coach: String!)");
    let wijs_toe = |coach: &'static str, rev: u64| {
        let server = &server;
        let tl_a = &tl_a;
        let toewijzen = &toewijzen;
        let id = &id;
        async move {
            server
                .gql(
                    Some(tl_a),
                    toewijzen,
                    json!({"id": id, "rev": rev, "datum": "2026-01-06", "coach": coach}),
                )
                .await
        }
    };
    // A coach of another organisation, and a typo: both refused by the team rule, nothing
    // written, the refusal in the log.
    for coach in ["coach-b1", "coahc-a1"] {
        let r = wijs_toe(coach, rev).await;
        assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["veld"], "coach", "{r}");
        assert_eq!(regel(&r), "coach_niet_in_team", "{r}");
        assert!(
            !fout(&r).contains("coach_niet_in_team"),
            "a code in the message: {r}"
        );
        assert_eq!(events_in(&server, &id).await, 1, "nothing written");
        assert_eq!(
            laatste_regel(&server).await.toegang.resultaat,
            Resultaat::Geweigerd
        );
    }
    // The team is the teamleider's (or the beheerder's) to change; a coach or another
    // organisation's teamleider cannot.
    for (token, org) in [(&coach_a, None), (&tl_b, Some(ORG_A))] {
        let r = server
            .gql(Some(token), TOEVOEGEN, json!({"c": "coach-a1", "o": org}))
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    }
    let r = server
        .gql(Some(&tl_a), TOEVOEGEN, json!({"c": "coach-a1", "o": null}))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server
        .gql(
            Some(&beheerder),
            TOEVOEGEN,
            json!({"c": "coach-a2", "o": ORG_A}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server
        .gql(Some(&tl_a), TOEVOEGEN, json!({"c": "coach-a1", "o": null}))
        .await;
    assert_eq!(regel(&r), "coach_al_in_team", "{r}");
    assert!(
        !fout(&r).contains("coach_al_in_team"),
        "a code in the message: {r}"
    );
    let r = wijs_toe("coach-a1", rev).await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server.gql(Some(&tl_a), TEAM, json!({})).await;
    assert_eq!(
        r["data"]["team"],
        json!([{"coach": "coach-a1", "openTrajecten": 1}, {"coach": "coach-a2", "openTrajecten": 0}]),
        "{r}"
    );
    // Another organisation's teamleider does not see this team.
    let r = server.gql(Some(&tl_b), TEAM, json!({})).await;
    assert_eq!(r["data"]["team"], json!([]), "{r}");
    // A coach who left can no longer be assigned.
    let r = server
        .gql(Some(&tl_a), VERWIJDEREN, json!({"c": "coach-a2"}))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = wijs_toe("coach-a2", rev + 1).await;
    assert_eq!(regel(&r), "coach_niet_in_team", "{r}");
    assert!(
        !fout(&r).contains("coach_niet_in_team"),
        "a code in the message: {r}"
    );
}

async fn a_coach_id_with_another_organisations_claim_reaches_nothing(server: Server) {
    let coach = token("coach-a1", "coach", Some(ORG_A));
    let r = aanmelden(&server, &coach, ORG_A, None).await;
    let (id, _, rev) = traject_van(&r);
    let intake = mutatie(
        "intakeAfronden",
        r#", uitkering: WW, inGgzBehandeling: false"#,
        "",
    );
    let r = server
        .gql(
            Some(&coach),
            &intake,
            json!({"id": id, "rev": rev, "datum": "2026-01-10"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    // The same `sub`, signed with another organisation's claim: the coach of the trajectory
    // only within its organisation.
    let gemengd = token("coach-a1", "coach", Some(ORG_B));
    let r = server.gql(Some(&gemengd), TRAJECT, json!({"id": id})).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    // The log tells this `sub` apart from the real coach: it names the organisation acted for.
    let entry = laatste_regel(&server).await;
    assert_eq!(entry.toegang.gebruiker, "coach-a1");
    assert_eq!(entry.toegang.organisatie.as_deref(), Some(ORG_B));
    assert_eq!(entry.toegang.resultaat, Resultaat::Geweigerd);
    let contact = mutatie(
        "werkgeverscontact",
        r#", werkgever: "Bakkerij", persoonlijk: true"#,
        "",
    );
    let r = server
        .gql(
            Some(&gemengd),
            &contact,
            json!({"id": id, "rev": rev + 1, "datum": "2026-01-11"}),
        )
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    assert_eq!(events_in(&server, &id).await, 2);
    // Nor the coach's caseload: with another organisation's claim it is that organisation's
    // (empty here); without an organisation there is none.
    let caseload = "{ caseload { totaal items { clientId naam } } }";
    let r = server.gql(Some(&coach), caseload, json!({})).await;
    assert_eq!(r["data"]["caseload"]["totaal"], 1, "{r}");
    let r = server.gql(Some(&gemengd), caseload, json!({})).await;
    assert_eq!(r["data"]["caseload"]["totaal"], 0, "{r}");
    let r = server
        .gql(Some(&token("coach-a1", "coach", None)), caseload, json!({}))
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    let r = server
        .gql(
            Some(&gemengd),
            "{ ipsIndicatoren { actieveCaseload } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["ipsIndicatoren"]["actieveCaseload"], 0, "{r}");
    // And a token without any organisation, or of a role without person-level access.
    for t in [
        token("coach-a1", "coach", None),
        token("regio-1", "regio", None),
        token("beheer", "beheerder", None),
    ] {
        let r = server
            .gql(
                Some(&t),
                &contact,
                json!({"id": id, "rev": rev + 1, "datum": "2026-01-11"}),
            )
            .await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    }
}

async fn a_retry_answers_what_the_first_request_answered(server: Server) {
    let coach = token("coach-a1", "coach", Some(ORG_A));
    // A referral retried with its event id: the same trajectory and client, written once.
    let e = uuid::Uuid::now_v7().to_string();
    let vars = json!({"org": ORG_A, "c": null, "e": e});
    let aanmelding_retry = vars.clone();
    let eerste = server
        .gql(Some(&coach), AANMELDEN_CLIENT, vars.clone())
        .await;
    assert!(eerste["errors"].is_null(), "{eerste}");
    let tweede = server.gql(Some(&coach), AANMELDEN_CLIENT, vars).await;
    assert_eq!(tweede["data"], eerste["data"], "{tweede}");
    let (id, _, rev) = traject_van(&eerste);
    assert_eq!(events_in(&server, &id).await, 1);

    let intake = mutatie(
        "intakeAfronden",
        r#", uitkering: WW, inGgzBehandeling: false"#,
        "eventId traject { revisie }",
    );
    let e = uuid::Uuid::now_v7().to_string();
    let vars = json!({"id": id, "rev": rev, "datum": "2026-01-10", "eventId": e});
    let eerste = server.gql(Some(&coach), &intake, vars.clone()).await;
    assert!(eerste["errors"].is_null(), "{eerste}");
    // Lost answer: the same request again, after the trajectory moved on.
    let tweede = server.gql(Some(&coach), &intake, vars.clone()).await;
    assert_eq!(tweede["data"]["intakeAfronden"]["revisie"], 1, "{tweede}");
    assert_eq!(tweede["data"]["intakeAfronden"]["eventId"], e.as_str());
    assert_eq!(events_in(&server, &id).await, 2);
    // The same event id with other content: refused, named, nothing written.
    let anders = json!({"id": id, "rev": rev, "datum": "2026-01-11", "eventId": e});
    let r = server.gql(Some(&coach), &intake, anders).await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["veld"], "wijziging.eventId",
        "{r}"
    );
    assert_eq!(regel(&r), "event_id_al_gebruikt", "{r}");
    assert!(
        !fout(&r).contains("event_id_al_gebruikt"),
        "a code in the message: {r}"
    );
    // Two identical requests at once: one event, the same answer to both.
    let contact = mutatie(
        "werkgeverscontact",
        r#", werkgever: "Bakkerij", persoonlijk: true"#,
        "eventId",
    );
    let e = uuid::Uuid::now_v7().to_string();
    let vars = json!({"id": id, "rev": 1, "datum": "2026-01-12", "eventId": e});
    let (a, b) = tokio::join!(
        server.gql(Some(&coach), &contact, vars.clone()),
        server.gql(Some(&coach), &contact, vars.clone()),
    );
    assert!(a["errors"].is_null(), "{a}");
    assert_eq!(a["data"], b["data"], "{b}");
    assert_eq!(events_in(&server, &id).await, 3);
    // Someone else retrying an event id is authorised like the first: another organisation's
    // teamleider gets no answer about it.
    let tl_b = token("tl-b", "teamleider", Some(ORG_B));
    let r = server.gql(Some(&tl_b), &contact, vars.clone()).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    // A retry answers with the trajectory as it is now, so only to whoever may read it now: the
    // coach it was taken from, resending their own request, gets nothing.
    let tl_a = token("tl-a", "teamleider", Some(ORG_A));
    let r = server
        .gql(
            Some(&tl_a),
            r#"mutation { coachToevoegen(coach: "coach-a2") { coach } }"#,
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let toewijzen = mutatie("coachToewijzen", r#", coach: "coach-a2""#, "");
    let r = server
        .gql(
            Some(&tl_a),
            &toewijzen,
            json!({"id": id, "rev": 2, "datum": "2026-01-13"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server.gql(Some(&coach), &contact, vars).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    // Nor does another coach of the organisation by resending the referral.
    let collega = token("coach-a3", "coach", Some(ORG_A));
    let r = server
        .gql(Some(&collega), AANMELDEN_CLIENT, aanmelding_retry.clone())
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    // And another organisation reusing the referral's event id learns nothing of it.
    let b = token("coach-b1", "coach", Some(ORG_B));
    let mut andere = aanmelding_retry;
    andere["org"] = json!(ORG_B);
    let r = server.gql(Some(&b), AANMELDEN_CLIENT, andere).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
}

async fn a_stale_revision_is_a_conflict_before_any_refusal_it_caused(server: Server) {
    let tl = token("tl-a", "teamleider", Some(ORG_A));
    let r = aanmelden(&server, &tl, ORG_A, None).await;
    let (id, _, rev) = traject_van(&r);
    let intake = mutatie(
        "intakeAfronden",
        r#", uitkering: WW, inGgzBehandeling: false"#,
        "",
    );
    let vars = json!({"id": id, "rev": rev, "datum": "2026-01-10"});
    let eerste = server
        .gql(
            Some(&token("coach-a1", "coach", Some(ORG_A))),
            &intake,
            vars.clone(),
        )
        .await;
    assert!(eerste["errors"].is_null(), "{eerste}");
    // The second coach decided on the referral without a coach: the truth is a conflict.
    let tweede = server
        .gql(
            Some(&token("coach-a2", "coach", Some(ORG_A))),
            &intake,
            vars,
        )
        .await;
    assert_eq!(code(&tweede), Some("CONFLICT"), "{tweede}");
    // The current revision is not told to a coach who may no longer read the trajectory.
    assert!(
        tweede["errors"][0]["extensions"]["huidigeRevisie"].is_null(),
        "{tweede}"
    );
    // A teamleider, who may read it, is told.
    let r = server
        .gql(
            Some(&tl),
            &intake,
            json!({"id": id, "rev": rev, "datum": "2026-01-10"}),
        )
        .await;
    assert_eq!(code(&r), Some("CONFLICT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["huidigeRevisie"], 1, "{r}");
    // Deciding on the current revision, the same coach is refused: it is no longer unassigned.
    let r = server
        .gql(
            Some(&token("coach-a2", "coach", Some(ORG_A))),
            &intake,
            json!({"id": id, "rev": 1, "datum": "2026-01-10"}),
        )
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
}

/// Every stored trajectory event of a write has exactly one access-log entry of its request.
async fn every_stored_write_has_its_entry(server: Server) {
    let coach = token("coach-a1", "coach", Some(ORG_A));
    let mut taken = Vec::new();
    for _ in 0..12 {
        taken.push(aanmelden(&server, &coach, ORG_A, None));
    }
    for r in futures::future::join_all(taken).await {
        assert!(r["errors"].is_null(), "{r}");
    }
    let log = server.logregels().await;
    let events = server
        .store
        .read_all(
            None,
            &traject_store::StreamFilter::prefix("traject-"),
            usize::MAX,
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 12);
    for e in &events {
        let correlatie = e.metadata.correlation_id.unwrap();
        let eigen: Vec<_> = log
            .iter()
            .filter(|r| r.toegang.correlatie == correlatie)
            .collect();
        assert_eq!(eigen.len(), 1, "event {} has {} entries", e.id, eigen.len());
        assert_eq!(eigen[0].toegang.resultaat, Resultaat::Gelukt);
        assert_eq!(
            eigen[0].toegang.traject.map(|t| t.stream_name()),
            Some(e.stream.to_string())
        );
    }
}

/// The position of the last event of `stream`.
async fn laatste_positie(server: &Server, stream: &str) -> traject_store::Position {
    server
        .store
        .read_stream(
            &StreamName::new(stream).unwrap(),
            ReadFrom::End,
            Direction::Backwards,
            1,
        )
        .await
        .unwrap()[0]
        .position
}

/// A coach removed from the team while a teamleider assigns them: the assignment is stored only
/// if it committed before the removal.
async fn a_coach_removed_meanwhile_is_not_assigned(server: Server) {
    let tl = token("tl-a", "teamleider", Some(ORG_A));
    let toevoegen = r#"mutation($c: String!) { coachToevoegen(coach: $c) { coach } }"#;
    let verwijderen = r#"mutation($c: String!) { coachVerwijderen(coach: $c) { coach } }"#;
    let toewijzen = mutatie("coachToewijzen", ", coach: $coach", "traject { coach }")
        .replace("$eventId: ID)", "$eventId: ID, $coach: String!)");
    for i in 0..12 {
        let coach = format!("coach-weg-{i}");
        let (id, _, rev) = traject_van(&aanmelden(&server, &tl, ORG_A, None).await);
        let r = server.gql(Some(&tl), toevoegen, json!({"c": coach})).await;
        assert!(r["errors"].is_null(), "{r}");
        let vars = json!({"id": id, "rev": rev, "datum": "2026-01-06", "coach": coach});
        let (weg, toegewezen) = tokio::join!(
            server.gql(Some(&tl), verwijderen, json!({"c": coach})),
            server.gql(Some(&tl), &toewijzen, vars),
        );
        assert!(weg["errors"].is_null(), "{weg}");
        if toegewezen["errors"].is_null() {
            // Stored: then it committed before the removal (the coach left with it, as any
            // coach who leaves does).
            let toewijzing = laatste_positie(&server, &format!("traject-{id}")).await;
            let vertrek = laatste_positie(&server, &format!("organisatie-{ORG_A}")).await;
            assert!(toewijzing < vertrek, "assigned after the coach had left");
        } else {
            assert_eq!(
                toegewezen["errors"][0]["extensions"]["veld"], "coach",
                "{toegewezen}"
            );
            assert_eq!(events_in(&server, &id).await, 1);
        }
    }
}

op_elke_store!(
    a_coach_removed_meanwhile_is_not_assigned,
    a_client_belongs_to_the_organisation_that_referred_them,
    only_a_coach_of_the_team_can_be_assigned,
    a_coach_id_with_another_organisations_claim_reaches_nothing,
    a_retry_answers_what_the_first_request_answered,
    a_stale_revision_is_a_conflict_before_any_refusal_it_caused,
    every_stored_write_has_its_entry,
);

/// The quota counts client records shown per user per minute: a read beyond it is refused with
/// TOO_MANY_REQUESTS, logged as refused under its rule without clients, and listed among the
/// signals; another user is unaffected. A count without rows names no client; a token whose
/// subject hides white space is refused before it can count as another user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_beyond_the_quota_are_refused_logged_and_signalled() {
    let server = start_met(|c| c.inzage_quotum = 3).await;
    let tl = token("tl-a", "teamleider", Some(ORG_A));
    let mut trajecten = Vec::new();
    for _ in 0..3 {
        let r = aanmelden(&server, &tl, ORG_A, None).await;
        trajecten.push(traject_van(&r).0);
    }
    let lees = |id: &str, t: &str| {
        let (id, t) = (id.to_owned(), t.to_owned());
        let server = &server;
        async move {
            server
                .gql(
                    Some(&t),
                    "query($id: ID!) { traject(id: $id) { id } }",
                    json!({"id": id}),
                )
                .await
        }
    };
    // The teamleider's organisation caseload of three rows uses the whole quota at once.
    let r = server
        .gql(
            Some(&tl),
            "{ caseload(organisatie: true) { items { clientId } } }",
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = lees(&trajecten[0], &tl).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "TOO_MANY_REQUESTS",
        "{r}"
    );
    assert_eq!(r["errors"][0]["extensions"]["regel"], "inzagequotum");
    assert!(
        r["data"].is_null() || r["data"]["traject"].is_null(),
        "nothing shown: {r}"
    );
    let geweigerd = laatste_regel(&server).await;
    assert_eq!(geweigerd.toegang.resultaat, Resultaat::Geweigerd);
    assert_eq!(geweigerd.toegang.regel, "inzagequotum");
    assert!(geweigerd.toegang.clients.is_empty(), "{geweigerd:?}");
    // A count alone is no read of a client: logged without clients, not counted.
    let r = server
        .gql(
            Some(&tl),
            "{ caseload(organisatie: true) { totaal } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["caseload"]["totaal"], 3, "{r}");
    let telling = laatste_regel(&server).await;
    assert_eq!(telling.toegang.resultaat, Resultaat::Gelukt);
    assert!(telling.toegang.clients.is_empty(), "{telling:?}");
    let beheerder = token("beheer", "beheerder", None);
    let r = server
        .gql(
            Some(&beheerder),
            "{ signalen { gebruiker quotum redenen } }",
            json!({}),
        )
        .await;
    let signalen = r["data"]["signalen"].as_array().unwrap();
    let tl_signaal = signalen
        .iter()
        .find(|s| s["gebruiker"] == "tl-a")
        .expect("tl-a signalled");
    assert_eq!(tl_signaal["quotum"], 1);
    // The same subject with white space around it is no other user: refused as a token.
    let r = lees(&trajecten[1], &token("tl-a ", "teamleider", Some(ORG_A))).await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{r}"
    );
    let r = lees(
        &trajecten[1],
        &token("tl-a\u{200B}", "teamleider", Some(ORG_A)),
    )
    .await;
    assert_eq!(
        r["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{r}"
    );
}

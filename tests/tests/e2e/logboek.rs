//! Every root field of `LOGCODES` is run, allowed and refused, and each run must add exactly one
//! access-log entry with the field's code and the right result. The subscription runs over
//! graphql-ws and logs each page it sends.

use std::collections::BTreeSet;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use traject_api::schema::logcode::{LOGCODES, OOK_GELOGD};
use traject_api::toegangslog::{Logregel, Resultaat};

use crate::helpers::*;

const ORG: &str = "org-am13-1";

/// Runs one request and returns the access-log entries it added.
struct Logboek<'a> {
    server: &'a Server,
    gezien: usize,
    gecontroleerd: BTreeSet<(String, bool)>,
}

impl<'a> Logboek<'a> {
    async fn nieuw(&mut self) -> Vec<Logregel> {
        let alle = self.server.logregels().await;
        let nieuw = alle[self.gezien..].to_vec();
        self.gezien = alle.len();
        nieuw
    }

    /// Checks that exactly one entry was added since the last check, for `veld` with its code,
    /// allowed or refused.
    async fn precies_een(&mut self, veld: &str, gelukt: bool, response: &Value) -> Logregel {
        let code = LOGCODES
            .iter()
            .chain(OOK_GELOGD)
            .find(|(v, _)| *v == veld)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("{veld} has no log code"));
        let nieuw = self.nieuw().await;
        assert_eq!(
            nieuw.len(),
            1,
            "{veld} (gelukt: {gelukt}) wrote {} entries: {nieuw:?}\nresponse: {response}",
            nieuw.len()
        );
        let regel = nieuw.into_iter().next().unwrap();
        assert_eq!(regel.toegang.gebeurteniscode, code, "{veld}");
        let verwacht = if gelukt {
            Resultaat::Gelukt
        } else {
            Resultaat::Geweigerd
        };
        assert_eq!(regel.toegang.resultaat, verwacht, "{veld}: {response}");
        assert_eq!(
            response["errors"].is_null(),
            gelukt,
            "{veld} (gelukt: {gelukt}): {response}"
        );
        if !gelukt {
            assert!(
                response["data"].is_null(),
                "a refusal returns no data: {response}"
            );
        }
        self.gecontroleerd.insert((veld.to_owned(), gelukt));
        regel
    }
}

async fn revisie(server: &Server, token: &str, id: &str) -> u64 {
    let r = server
        .gql(
            Some(token),
            "query($id: ID!) { traject(id: $id) { revisie } }",
            json!({"id": id}),
        )
        .await;
    r["data"]["traject"]["revisie"].as_u64().unwrap()
}

async fn every_person_level_field_writes_exactly_one_entry_allowed_or_refused(server: Server) {
    let anna = token("coach-anna", "coach", Some(ORG));
    let teamleider = token("tl-org1", "teamleider", Some(ORG));
    let bram = token("coach-bram", "coach", Some("org-am13-2"));
    let regio = token("regio-am13", "regio", None);
    let beheerder = token("beheer", "beheerder", None);
    let mut boek = Logboek {
        server: &server,
        gezien: 0,
        gecontroleerd: BTreeSet::new(),
    };

    // Mutation.aanmelden
    let r = server
        .gql(
            Some(&bram),
            AANMELDEN,
            json!({"org": ORG, "datum": "2026-01-05"}),
        )
        .await;
    boek.precies_een("Mutation.aanmelden", false, &r).await;
    let r = server
        .gql(
            Some(&anna),
            AANMELDEN,
            json!({"org": ORG, "datum": "2026-01-05"}),
        )
        .await;
    boek.precies_een("Mutation.aanmelden", true, &r).await;
    let id = r["data"]["aanmelden"]["traject"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = r["data"]["aanmelden"]["traject"]["clientId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Mutation.coachToevoegen and Mutation.coachVerwijderen: the organisation's teamleider (or
    // the beheerder) only.
    let toevoegen = r#"mutation($c: String!) { coachToevoegen(coach: $c) { coach } }"#;
    let verwijderen = r#"mutation($c: String!) { coachVerwijderen(coach: $c) { coach } }"#;
    let r = server
        .gql(Some(&anna), toevoegen, json!({"c": "coach-carla"}))
        .await;
    boek.precies_een("Mutation.coachToevoegen", false, &r).await;
    for c in ["coach-carla", "coach-dirk"] {
        let r = server
            .gql(Some(&teamleider), toevoegen, json!({"c": c}))
            .await;
        boek.precies_een("Mutation.coachToevoegen", true, &r).await;
    }
    let r = server
        .gql(Some(&bram), verwijderen, json!({"c": "coach-dirk"}))
        .await;
    boek.precies_een("Mutation.coachVerwijderen", false, &r)
        .await;
    let r = server
        .gql(Some(&teamleider), verwijderen, json!({"c": "coach-dirk"}))
        .await;
    boek.precies_een("Mutation.coachVerwijderen", true, &r)
        .await;

    // Every other mutation, in an order the domain accepts; refused first (another
    // organisation's coach), then allowed.
    let contact_id = "0190a000-0000-7000-8000-000000000001";
    let stappen: Vec<(&str, &str, &str, String, Option<&str>)> = vec![
        (
            "intakeAfronden",
            "2026-01-12",
            anna.as_str(),
            r#", uitkering: WW, inGgzBehandeling: true"#.to_owned(),
            None,
        ),
        (
            "werkgeverscontact",
            "2026-01-20",
            anna.as_str(),
            r#", werkgever: "Bakkerij", persoonlijk: true"#.to_owned(),
            Some(contact_id),
        ),
        (
            "plaatsingStarten",
            "2026-02-02",
            anna.as_str(),
            r#", plaatsing: {werkgever: "Bakkerij", functie: "Bakker", urenPerWeek: 24, contract: Vast, betaald: true, regulier: true}"#.to_owned(),
            None,
        ),
        ("urenWijzigen", "2026-02-16", anna.as_str(), String::new(), None),
        (
            "actiePlannen",
            "2026-02-20",
            anna.as_str(),
            r#", actie: Werkplekbezoek, op: "2026-03-06""#.to_owned(),
            None,
        ),
        ("waakvlamInzetten", "2026-03-02", anna.as_str(), String::new(), None),
        ("opschalen", "2026-04-01", anna.as_str(), r#", reden: Werkproblemen"#.to_owned(), None),
        ("plaatsingBeeindigen", "2026-05-29", anna.as_str(), String::new(), None),
        (
            "intrekken",
            "2026-06-01",
            anna.as_str(),
            format!(r#", gebeurtenisId: "{contact_id}", reden: Invoerfout"#),
            None,
        ),
        ("afsluiten", "2026-06-30", anna.as_str(), r#", reden: Verhuisd"#.to_owned(), None),
        ("heropenen", "2026-07-06", anna.as_str(), r#", reden: NieuweHulpvraag"#.to_owned(), None),
        (
            "coachToewijzen",
            "2026-07-07",
            teamleider.as_str(),
            r#", coach: "coach-carla""#.to_owned(),
            None,
        ),
    ];
    let mut plaatsing = String::new();
    for (veld, datum, wie, extra, event_id) in stappen {
        let extra = match veld {
            "plaatsingBeeindigen" => {
                format!(r#", plaatsingId: "{plaatsing}", reden: ContractAfgelopen"#)
            }
            "urenWijzigen" => format!(r#", plaatsingId: "{plaatsing}", urenPerWeek: 16"#),
            _ => extra,
        };
        let query = mutatie(veld, &extra, "traject { lopendePlaatsingen { id } }");
        let rev = revisie(&server, &anna, &id).await;
        boek.nieuw().await; // the revision lookup's own entry
        let vars = json!({"id": id, "rev": rev, "datum": datum, "eventId": event_id});
        let r = server.gql(Some(&bram), &query, vars.clone()).await;
        boek.precies_een(&format!("Mutation.{veld}"), false, &r)
            .await;
        let r = server.gql(Some(wie), &query, vars).await;
        let regel = boek
            .precies_een(&format!("Mutation.{veld}"), true, &r)
            .await;
        assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
        if veld == "plaatsingStarten" {
            plaatsing = r["data"][veld]["traject"]["lopendePlaatsingen"][0]["id"]
                .as_str()
                .unwrap()
                .to_owned();
        }
    }

    // Query.traject and Query.caseload: the teamleider sees the organisation's file; another
    // organisation's coach and a regio user are refused.
    let lees = "query($id: ID!) { traject(id: $id) { clientId } }";
    let r = server.gql(Some(&teamleider), lees, json!({"id": id})).await;
    boek.precies_een("Query.traject", true, &r).await;
    let r = server.gql(Some(&bram), lees, json!({"id": id})).await;
    boek.precies_een("Query.traject", false, &r).await;
    let zoek =
        "query($org: Boolean!) { caseload(organisatie: $org) { totaal items { clientId } } }";
    let r = server
        .gql(Some(&teamleider), zoek, json!({"org": true}))
        .await;
    let regel = boek.precies_een("Query.caseload", true, &r).await;
    assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
    let r = server.gql(Some(&regio), zoek, json!({"org": true})).await;
    boek.precies_een("Query.caseload", false, &r).await;

    // Query.toegangslog and Query.inzageOverzicht: the beheerder only.
    let log =
        "query($c: ID) { toegangslog(filter: {clientId: $c}) { regels { gebeurteniscode } } }";
    let r = server
        .gql(Some(&beheerder), log, json!({"c": client}))
        .await;
    boek.precies_een("Query.toegangslog", true, &r).await;
    let r = server.gql(Some(&anna), log, json!({"c": client})).await;
    boek.precies_een("Query.toegangslog", false, &r).await;
    let overzicht =
        "query($c: ID!) { inzageOverzicht(clientId: $c) { gebruiker rol gelukt geweigerd codes } }";
    let r = server
        .gql(Some(&teamleider), overzicht, json!({"c": client}))
        .await;
    boek.precies_een("Query.inzageOverzicht", false, &r).await;
    let r = server
        .gql(Some(&beheerder), overzicht, json!({"c": client}))
        .await;
    boek.precies_een("Query.inzageOverzicht", true, &r).await;
    let inzagers = r["data"]["inzageOverzicht"].as_array().unwrap();
    let van = |wie: &str| {
        inzagers
            .iter()
            .find(|i| i["gebruiker"] == wie)
            .unwrap_or_else(|| panic!("{wie} in {inzagers:?}"))
    };
    // anna: 12 allowed mutations (aanmelden + 11), 12 revision lookups, and her refused read of
    // the log about this client; bram: 12 refused mutations on this trajectory and 1 refused
    // read (his refused aanmelden named no client).
    assert_eq!(van("coach-anna")["gelukt"], 24, "{inzagers:?}");
    assert_eq!(van("coach-anna")["geweigerd"], 1);
    assert_eq!(van("coach-bram")["gelukt"], 0);
    assert_eq!(van("coach-bram")["geweigerd"], 13);
    assert!(
        van("tl-org1")["codes"]
            .as_array()
            .unwrap()
            .contains(&json!("coach.toewijzen"))
    );

    // The vault: recording personal data (the trajectory's coach is carla now; another
    // organisation's coach is refused), reading it (teamleider; bram refused), and erasing the
    // client (beheerder only).
    let carla = token("coach-carla", "coach", Some(ORG));
    let vastleggen = "mutation($c: ID!) { persoonsgegevensVastleggen(clientId: $c, gegevens: {naam: \"Ida Testpersoon\", geboortedatum: \"1990-02-03\"}) { versie } }";
    let r = server
        .gql(Some(&bram), vastleggen, json!({"c": client}))
        .await;
    boek.precies_een("Mutation.persoonsgegevensVastleggen", false, &r)
        .await;
    let r = server
        .gql(Some(&carla), vastleggen, json!({"c": client}))
        .await;
    let regel = boek
        .precies_een("Mutation.persoonsgegevensVastleggen", true, &r)
        .await;
    assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
    let persoon = "query($c: ID!) { persoon(clientId: $c) { gegevens { naam } } }";
    let r = server.gql(Some(&bram), persoon, json!({"c": client})).await;
    boek.precies_een("Query.persoon", false, &r).await;
    let r = server
        .gql(Some(&teamleider), persoon, json!({"c": client}))
        .await;
    boek.precies_een("Query.persoon", true, &r).await;
    assert_eq!(r["data"]["persoon"]["gegevens"]["naam"], "Ida Testpersoon");
    let wis = "mutation($c: ID!) { clientWissen(clientId: $c, reden: VerzoekClient) { trajectenGemarkeerd } }";
    let r = server
        .gql(Some(&teamleider), wis, json!({"c": client}))
        .await;
    boek.precies_een("Mutation.clientWissen", false, &r).await;
    let r = server
        .gql(Some(&beheerder), wis, json!({"c": client}))
        .await;
    boek.precies_een("Mutation.clientWissen", true, &r).await;
    assert_eq!(r["data"]["clientWissen"]["trajectenGemarkeerd"], 1, "{r}");

    // Subscription.caseloadGewijzigd over graphql-ws: the first page, then one after a change,
    // each logged once; a regio user is refused, logged once.
    let mut ws = Ws::open(&server, &carla).await;
    let eerste = ws.volgende().await;
    assert_eq!(eerste["data"]["caseloadGewijzigd"]["totaal"], 1, "{eerste}");
    boek.precies_een("Subscription.caseloadGewijzigd", true, &eerste)
        .await;
    let r = server
        .gql(
            Some(&carla),
            AANMELDEN,
            json!({"org": ORG, "datum": "2026-08-03"}),
        )
        .await;
    boek.precies_een("Mutation.aanmelden", true, &r).await;
    // A referral without a coach is not in carla's own caseload: assign her.
    let nieuw_id = r["data"]["aanmelden"]["traject"]["id"].as_str().unwrap();
    let rev = revisie(&server, &teamleider, nieuw_id).await;
    boek.nieuw().await;
    let r = server
        .gql(
            Some(&teamleider),
            &mutatie("coachToewijzen", r#", coach: "coach-carla""#, ""),
            json!({"id": nieuw_id, "rev": rev, "datum": "2026-08-04"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let tweede = ws.volgende().await;
    assert_eq!(tweede["data"]["caseloadGewijzigd"]["totaal"], 2, "{tweede}");
    // The mutation and the page it causes are logged concurrently, in either order: one each.
    let mut codes: Vec<(String, Resultaat)> = boek
        .nieuw()
        .await
        .into_iter()
        .map(|r| (r.toegang.gebeurteniscode, r.toegang.resultaat))
        .collect();
    codes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        codes,
        [
            ("caseload.volgen".to_owned(), Resultaat::Gelukt),
            ("coach.toewijzen".to_owned(), Resultaat::Gelukt),
        ]
    );
    let mut ws = Ws::open(&server, &regio).await;
    let geweigerd = ws.volgende().await;
    assert_eq!(code(&geweigerd), Some("FORBIDDEN"), "{geweigerd}");
    boek.precies_een("Subscription.caseloadGewijzigd", false, &geweigerd)
        .await;

    // The beheerder's tools on the log itself: signals, a checkpoint and the chain's check.
    let signalen = "{ signalen { gebruiker redenen } }";
    let r = server.gql(Some(&anna), signalen, json!({})).await;
    boek.precies_een("Query.signalen", false, &r).await;
    let r = server.gql(Some(&beheerder), signalen, json!({})).await;
    boek.precies_een("Query.signalen", true, &r).await;
    let checkpoint = "mutation { toegangslogCheckpoint }";
    let r = server.gql(Some(&anna), checkpoint, json!({})).await;
    boek.precies_een("Mutation.toegangslogCheckpoint", false, &r)
        .await;
    let r = server.gql(Some(&beheerder), checkpoint, json!({})).await;
    boek.precies_een("Mutation.toegangslogCheckpoint", true, &r)
        .await;
    let export = r["data"]["toegangslogCheckpoint"]
        .as_str()
        .unwrap()
        .to_owned();
    let controle = "mutation($c: [String!]!) { toegangslogControleren(volledig: true, checkpoints: $c) { intact tot breuk { nr } } }";
    let r = server
        .gql(Some(&anna), controle, json!({"c": [export.clone()]}))
        .await;
    boek.precies_een("Mutation.toegangslogControleren", false, &r)
        .await;
    // And the chain holds, up to the entry before the check's own, the exported checkpoint too.
    let r = server
        .gql(Some(&beheerder), controle, json!({"c": [export]}))
        .await;
    let voor = boek.gezien;
    boek.precies_een("Mutation.toegangslogControleren", true, &r)
        .await;
    assert_eq!(r["data"]["toegangslogControleren"]["intact"], true, "{r}");
    assert_eq!(r["data"]["toegangslogControleren"]["tot"], voor, "{r}");

    // Every field of the table was run both ways.
    for (veld, _) in LOGCODES {
        for gelukt in [true, false] {
            assert!(
                boek.gecontroleerd.contains(&((*veld).to_owned(), gelukt)),
                "{veld} (gelukt: {gelukt}) was not exercised"
            );
        }
    }
}

/// A graphql-transport-ws connection with one subscription to the caller's caseload.
struct Ws {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    async fn open(server: &Server, token: &str) -> Self {
        let url = format!("{}/ws", server.url.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let init = json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .unwrap();
        let mut ws = Self { socket };
        assert_eq!(ws.bericht().await["type"], "connection_ack");
        let subscribe = json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { caseloadGewijzigd { totaal items { clientId } } }"}});
        ws.socket
            .send(Message::Text(subscribe.to_string().into()))
            .await
            .unwrap();
        ws
    }

    async fn bericht(&mut self) -> Value {
        loop {
            let bericht =
                tokio::time::timeout(std::time::Duration::from_secs(10), self.socket.next())
                    .await
                    .expect("a message within 10 s")
                    .expect("the connection is open")
                    .unwrap();
            if let Message::Text(tekst) = bericht {
                return serde_json::from_str(&tekst).unwrap();
            }
        }
    }

    /// The next result of the subscription (`next` payload, or the errors of `error`).
    async fn volgende(&mut self) -> Value {
        loop {
            let b = self.bericht().await;
            match b["type"].as_str() {
                Some("next") => return b["payload"].clone(),
                Some("error") => return json!({"data": null, "errors": b["payload"]}),
                Some("ping") => {
                    let pong = json!({"type": "pong"}).to_string();
                    self.socket.send(Message::Text(pong.into())).await.unwrap();
                }
                _ => {}
            }
        }
    }
}

op_elke_store!(every_person_level_field_writes_exactly_one_entry_allowed_or_refused);

//! Every root field of `LOGCODES` is run, allowed and refused, and each run must add exactly one
//! access-log entry with the field's code and the right result. The subscription runs over
//! graphql-ws and logs each page it sends.

use std::collections::BTreeSet;
use std::fmt::Debug;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use traject_api::schema::logcode::{LOGCODES, OOK_GELOGD};
use traject_api::toegangslog::{Logregel, Resultaat};

use crate::api::{CaseloadVraag, ErrorAnswer, Gebruiker, Opdracht, PlaatsingInvoer, Wijziging};
use crate::helpers::*;

const ORG: &str = "org-am13-1";

/// Runs one request and returns the access-log entries it added.
struct Logboek<'a> {
    server: &'a Server,
    gezien: usize,
    gecontroleerd: BTreeSet<(String, bool)>,
}

/// An answer as [`Logboek::precies_een`] looks at it: raw JSON, or a typed answer.
trait Antwoord {
    /// Whether it holds errors.
    fn met_fouten(&self) -> bool;
    /// Whether it holds no data at all.
    fn zonder_data(&self) -> bool;
    /// The answer, for a failure's message.
    fn toon(&self) -> String;
}

impl Antwoord for Value {
    fn met_fouten(&self) -> bool {
        !self["errors"].is_null()
    }
    fn zonder_data(&self) -> bool {
        self["data"].is_null()
    }
    fn toon(&self) -> String {
        self.to_string()
    }
}

impl<T: Debug> Antwoord for Result<T, ErrorAnswer> {
    fn met_fouten(&self) -> bool {
        self.is_err()
    }
    fn zonder_data(&self) -> bool {
        self.as_ref().err().is_some_and(ErrorAnswer::zonder_data)
    }
    fn toon(&self) -> String {
        match self {
            Ok(t) => format!("{t:?}"),
            Err(f) => f.to_string(),
        }
    }
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
    async fn precies_een(
        &mut self,
        veld: &str,
        gelukt: bool,
        antwoord: &impl Antwoord,
    ) -> Logregel {
        let response = antwoord.toon();
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
            !antwoord.met_fouten(),
            gelukt,
            "{veld} (gelukt: {gelukt}): {response}"
        );
        if !gelukt {
            assert!(
                antwoord.zonder_data(),
                "a refusal returns no data: {response}"
            );
        }
        self.gecontroleerd.insert((veld.to_owned(), gelukt));
        regel
    }
}

/// The mutations of a trajectory in an order the domain accepts: the day, who records it, the
/// event id to send, and the mutation (made with the id of the placement started by then).
type Stappen<'g, 'a> = [(
    &'static str,
    &'g Gebruiker<'a>,
    Option<&'static str>,
    fn(&str) -> Opdracht,
); 12];

/// The id of the employer contact that a later step retracts.
const CONTACT: &str = "0190a000-0000-7000-8000-000000000001";

fn stappen<'g, 'a>(coach: &'g Gebruiker<'a>, teamleider: &'g Gebruiker<'a>) -> Stappen<'g, 'a> {
    [
        ("2026-01-12", coach, None, |_| Opdracht::intake("WW", true)),
        ("2026-01-20", coach, Some(CONTACT), |_| {
            Opdracht::werkgeverscontact("Bakkerij", true)
        }),
        ("2026-02-02", coach, None, |_| {
            Opdracht::PlaatsingStarten(PlaatsingInvoer::vast("Bakkerij", "Bakker", 24.0))
        }),
        ("2026-02-16", coach, None, |p| Opdracht::UrenWijzigen {
            plaatsing_id: p.to_owned(),
            uren_per_week: 16.0,
        }),
        ("2026-02-20", coach, None, |_| Opdracht::ActiePlannen {
            actie: "Werkplekbezoek",
            op: "2026-03-06".to_owned(),
        }),
        ("2026-03-02", coach, None, |_| Opdracht::WaakvlamInzetten),
        ("2026-04-01", coach, None, |_| Opdracht::Opschalen {
            reden: "Werkproblemen",
        }),
        ("2026-05-29", coach, None, |p| {
            Opdracht::PlaatsingBeeindigen {
                plaatsing_id: p.to_owned(),
                reden: "ContractAfgelopen",
            }
        }),
        ("2026-06-01", coach, None, |_| Opdracht::Intrekken {
            gebeurtenis_id: CONTACT.to_owned(),
            reden: "Invoerfout",
        }),
        ("2026-06-30", coach, None, |_| Opdracht::Afsluiten {
            reden: "Verhuisd",
            bevestig_duurzaam: false,
        }),
        ("2026-07-06", coach, None, |_| Opdracht::Heropenen {
            reden: "NieuweHulpvraag",
        }),
        ("2026-07-07", teamleider, None, |_| {
            Opdracht::CoachToewijzen {
                coach: "coach-carla".to_owned(),
            }
        }),
    ]
}

async fn every_person_level_field_writes_exactly_one_entry_allowed_or_refused(server: Server) {
    let anna = server.coach("coach-anna", ORG);
    let teamleider = server.teamleider("tl-org1", ORG);
    let bram = server.coach("coach-bram", "org-am13-2");
    let regio = server.regio("regio-am13");
    let beheerder = server.beheerder("beheer");
    let mut boek = Logboek {
        server: &server,
        gezien: 0,
        gecontroleerd: BTreeSet::new(),
    };

    // Mutation.aanmelden
    let r = bram.aanmelden(ORG, "2026-01-05").await;
    boek.precies_een("Mutation.aanmelden", false, &r).await;
    let r = anna.aanmelden(ORG, "2026-01-05").await;
    boek.precies_een("Mutation.aanmelden", true, &r).await;
    let traject = r.unwrap().traject;
    let (id, client) = (traject.id, traject.client_id);

    // Mutation.coachToevoegen and Mutation.coachVerwijderen: the organisation's teamleider (or
    // the beheerder) only.
    let r = anna.coach_toevoegen("coach-carla", None).await;
    boek.precies_een("Mutation.coachToevoegen", false, &r).await;
    for c in ["coach-carla", "coach-dirk"] {
        let r = teamleider.coach_toevoegen(c, None).await;
        boek.precies_een("Mutation.coachToevoegen", true, &r).await;
    }
    let r = bram.coach_verwijderen("coach-dirk").await;
    boek.precies_een("Mutation.coachVerwijderen", false, &r)
        .await;
    let r = teamleider.coach_verwijderen("coach-dirk").await;
    boek.precies_een("Mutation.coachVerwijderen", true, &r)
        .await;

    // Every other mutation, in an order the domain accepts; refused first (another
    // organisation's coach), then allowed.
    let mut plaatsing = String::new();
    for (datum, wie, event_id, opdracht) in stappen(&anna, &teamleider) {
        let opdracht = opdracht(&plaatsing);
        let veld = format!("Mutation.{}", opdracht.veld());
        let start = matches!(opdracht, Opdracht::PlaatsingStarten(_));
        let rev = anna.revisie(&id).await;
        boek.nieuw().await; // the revision lookup's own entry
        let wijziging = Wijziging {
            event_id: event_id.map(str::to_owned),
            ..Wijziging::op(&id, rev, datum)
        };
        let r = bram.wijzig(&wijziging, opdracht.clone()).await;
        boek.precies_een(&veld, false, &r).await;
        let r = wie.wijzig(&wijziging, opdracht).await;
        let regel = boek.precies_een(&veld, true, &r).await;
        assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
        if start {
            plaatsing = r.unwrap().traject.lopende_plaatsingen[0].id.clone();
        }
    }

    // Query.traject and Query.caseload: the teamleider sees the organisation's file; another
    // organisation's coach and a regio user are refused.
    let r = teamleider.traject(&id).await;
    boek.precies_een("Query.traject", true, &r).await;
    let r = bram.traject(&id).await;
    boek.precies_een("Query.traject", false, &r).await;
    let r = teamleider.caseload(CaseloadVraag::organisatie()).await;
    let regel = boek.precies_een("Query.caseload", true, &r).await;
    assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
    let r = regio.caseload(CaseloadVraag::organisatie()).await;
    boek.precies_een("Query.caseload", false, &r).await;

    // Query.toegangslog and Query.inzageOverzicht: the beheerder only.
    let r = beheerder.toegangslog(Some(&client)).await;
    boek.precies_een("Query.toegangslog", true, &r).await;
    let r = anna.toegangslog(Some(&client)).await;
    boek.precies_een("Query.toegangslog", false, &r).await;
    let r = teamleider.inzage_overzicht(&client).await;
    boek.precies_een("Query.inzageOverzicht", false, &r).await;
    let r = beheerder.inzage_overzicht(&client).await;
    boek.precies_een("Query.inzageOverzicht", true, &r).await;
    let inzagers = r.unwrap();
    let van = |wie: &str| {
        inzagers
            .iter()
            .find(|i| i.gebruiker == wie)
            .unwrap_or_else(|| panic!("{wie} in {inzagers:?}"))
    };
    // anna: 12 allowed mutations (aanmelden + 11), 12 revision lookups, and her refused read of
    // the log about this client; bram: 12 refused mutations on this trajectory and 1 refused
    // read (his refused aanmelden named no client).
    assert_eq!(van("coach-anna").gelukt, 24, "{inzagers:?}");
    assert_eq!(van("coach-anna").geweigerd, 1);
    assert_eq!(van("coach-bram").gelukt, 0);
    assert_eq!(van("coach-bram").geweigerd, 13);
    assert!(van("tl-org1").codes.iter().any(|c| c == "coach.toewijzen"));

    // The vault: recording personal data (the trajectory's coach is carla now; another
    // organisation's coach is refused), reading it (teamleider; bram refused), and erasing the
    // client (beheerder only).
    let carla = server.coach("coach-carla", ORG);
    let gegevens = json!({"naam": "Ida Testpersoon", "geboortedatum": "1990-02-03"});
    let r = bram
        .persoonsgegevens_vastleggen(&client, None, &gegevens)
        .await;
    boek.precies_een("Mutation.persoonsgegevensVastleggen", false, &r)
        .await;
    let r = carla
        .persoonsgegevens_vastleggen(&client, None, &gegevens)
        .await;
    let regel = boek
        .precies_een("Mutation.persoonsgegevensVastleggen", true, &r)
        .await;
    assert_eq!(regel.toegang.clients, vec![client.parse().unwrap()]);
    let r = bram.persoon(&client).await;
    boek.precies_een("Query.persoon", false, &r).await;
    let r = teamleider.persoon(&client).await;
    boek.precies_een("Query.persoon", true, &r).await;
    assert_eq!(r.unwrap().gegevens.unwrap().naam, "Ida Testpersoon");
    let r = teamleider.client_wissen(&client).await;
    boek.precies_een("Mutation.clientWissen", false, &r).await;
    let r = beheerder.client_wissen(&client).await;
    boek.precies_een("Mutation.clientWissen", true, &r).await;
    assert_eq!(r.unwrap().trajecten_gemarkeerd, 1);

    // Subscription.caseloadGewijzigd over graphql-ws: the first page, then one after a change,
    // each logged once; a regio user is refused, logged once.
    let mut ws = Ws::open(&server, carla.token()).await;
    let eerste = ws.volgende().await;
    assert_eq!(eerste["data"]["caseloadGewijzigd"]["totaal"], 1, "{eerste}");
    boek.precies_een("Subscription.caseloadGewijzigd", true, &eerste)
        .await;
    let r = carla.aanmelden(ORG, "2026-08-03").await;
    boek.precies_een("Mutation.aanmelden", true, &r).await;
    // A referral without a coach is not in carla's own caseload: assign her.
    let nieuw_id = r.unwrap().traject.id;
    let rev = teamleider.revisie(&nieuw_id).await;
    boek.nieuw().await;
    let toewijzing = Opdracht::CoachToewijzen {
        coach: "coach-carla".to_owned(),
    };
    teamleider
        .wijzig(&Wijziging::op(&nieuw_id, rev, "2026-08-04"), toewijzing)
        .await
        .unwrap();
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
    let mut ws = Ws::open(&server, regio.token()).await;
    let geweigerd = ws.volgende().await;
    assert_eq!(code(&geweigerd), Some("FORBIDDEN"), "{geweigerd}");
    boek.precies_een("Subscription.caseloadGewijzigd", false, &geweigerd)
        .await;

    // The beheerder's tools on the log itself: signals, a checkpoint and the chain's check.
    let r = anna.signalen().await;
    boek.precies_een("Query.signalen", false, &r).await;
    let r = beheerder.signalen().await;
    boek.precies_een("Query.signalen", true, &r).await;
    let r = anna.toegangslog_checkpoint().await;
    boek.precies_een("Mutation.toegangslogCheckpoint", false, &r)
        .await;
    let r = beheerder.toegangslog_checkpoint().await;
    boek.precies_een("Mutation.toegangslogCheckpoint", true, &r)
        .await;
    let checkpoints = [r.unwrap().expect("a checkpoint")];
    let r = anna.toegangslog_controleren(true, &checkpoints).await;
    boek.precies_een("Mutation.toegangslogControleren", false, &r)
        .await;
    // And the chain holds, up to the entry before the check's own, the exported checkpoint too.
    let r = beheerder.toegangslog_controleren(true, &checkpoints).await;
    let voor = boek.gezien;
    boek.precies_een("Mutation.toegangslogControleren", true, &r)
        .await;
    let controle = r.unwrap();
    assert!(controle.intact, "{controle:?}");
    assert_eq!(controle.tot, voor as u64, "{controle:?}");

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

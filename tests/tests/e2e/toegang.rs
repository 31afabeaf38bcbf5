//! The authorisation suite over HTTP: role x operation x relation, with the facts the server owns
//! (a client's organisation, an organisation's team, the stream at the revision decided on).
//! Every cross-organisation attempt is refused and logged as refused; retries answer what the
//! first request answered.

use serde_json::{Value, json};
use traject_api::toegangslog::Resultaat;
use traject_store::{Direction, ReadFrom, StreamName};

use crate::api::{
    Aanmelding, CaseloadVraag, ErrorAnswer, Gebruiker, Opdracht, Teamlid, Vastgelegd, Wijziging,
};
use crate::helpers::*;

const ORG_A: &str = "org-am13-1";
const ORG_B: &str = "org-am13-2";
/// The day of every referral.
const DATUM: &str = "2026-01-05";

/// Personal data with the name `naam`.
fn gegevens(naam: &str) -> Value {
    json!({"naam": naam, "geboortedatum": "1990-01-01"})
}

fn teamlid(coach: &str, open_trajecten: u64) -> Teamlid {
    Teamlid {
        coach: coach.to_owned(),
        open_trajecten,
    }
}

/// `teamleider` assigns `coach` to trajectory `id`, decided on `revisie`.
async fn toewijzen(
    teamleider: &Gebruiker<'_>,
    id: &str,
    revisie: u64,
    coach: &str,
) -> Result<Vastgelegd, ErrorAnswer> {
    let toewijzing = Opdracht::CoachToewijzen {
        coach: coach.to_owned(),
    };
    teamleider
        .wijzig(&Wijziging::op(id, revisie, "2026-01-06"), toewijzing)
        .await
}

/// The number of events in a trajectory's stream, as stored.
async fn events_in(server: &Server, traject: &str) -> usize {
    events_van(server, format!("traject-{traject}")).await
}

/// The number of events in `stream`, as stored.
async fn events_van(server: &Server, stream: String) -> usize {
    let stream = StreamName::new(stream).unwrap();
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

/// The newest access-log entry is a refusal of `gebruiker` under `regel`.
async fn laatste_weigering(server: &Server, gebruiker: &str, regel: &str) {
    let entry = laatste_regel(server).await;
    assert_eq!(entry.toegang.gebruiker, gebruiker, "{entry:?}");
    assert_eq!(entry.toegang.resultaat, Resultaat::Geweigerd, "{entry:?}");
    assert_eq!(entry.toegang.regel, regel, "{entry:?}");
}

/// `wie` refers the client with id `c` to `org` again, and is refused as for an id that does not
/// exist: FORBIDDEN with the rule `niet-eigen-client-of-organisatie`, a refused entry naming `c`.
async fn opnieuw_geweigerd(server: &Server, wie: &Gebruiker<'_>, org: &str, c: &str) {
    let aanmelding = Aanmelding::new(org, DATUM).met_client_id(c);
    let f = wie.aanmelden_met(aanmelding).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    assert_eq!(
        f.regel.as_deref(),
        Some("niet-eigen-client-of-organisatie"),
        "{f}"
    );
    let entry = laatste_regel(server).await;
    assert_eq!(entry.toegang.resultaat, Resultaat::Geweigerd);
    assert_eq!(entry.toegang.gebeurteniscode, "traject.aanmelden");
    assert_eq!(entry.toegang.clients[0].to_string(), c);
}

async fn a_client_belongs_to_the_organisation_that_referred_them(server: Server) {
    let coach_a = server.coach("coach-a1", ORG_A);
    let coach_b = server.coach("coach-b1", ORG_B);
    let tl_b = server.teamleider("tl-b", ORG_B);
    let client = coach_a
        .aanmelden(ORG_A, DATUM)
        .await
        .unwrap()
        .traject
        .client_id;
    coach_a
        .persoonsgegevens_vastleggen(&client, None, &gegevens("Ada Achternaam"))
        .await
        .unwrap();

    // Another organisation cannot refer the client under the same id, as coach or teamleider;
    // an id that does not exist is refused the same way, so the answer tells nothing.
    let onbekend = uuid::Uuid::now_v7().to_string();
    for (wie, c) in [
        (&coach_b, client.as_str()),
        (&tl_b, client.as_str()),
        (&coach_b, onbekend.as_str()),
    ] {
        opnieuw_geweigerd(&server, wie, ORG_B, c).await;
    }
    // So B reaches nothing of the client: not the data, not a change to it.
    for wie in [&coach_b, &tl_b] {
        let f = wie.persoon(&client).await.unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{f}");
        let f = wie
            .persoonsgegevens_vastleggen(&client, Some(0), &gegevens("Overschreven"))
            .await
            .unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{f}");
        assert_eq!(
            laatste_regel(&server).await.toegang.resultaat,
            Resultaat::Geweigerd
        );
    }
    let persoon = coach_a.persoon(&client).await.unwrap();
    assert_eq!(persoon.gegevens.unwrap().naam, "Ada Achternaam");
    // The client's own organisation refers them again under the same id.
    let aanmelding = Aanmelding::new(ORG_A, DATUM).met_client_id(&client);
    let t = coach_a.aanmelden_met(aanmelding).await.unwrap().traject;
    assert_eq!(t.client_id, client);
}

/// The number of events in a client's stream (their referrals), as stored.
async fn registraties(server: &Server, client: &str) -> usize {
    events_van(server, format!("client-{client}")).await
}

/// A new referral has no coach, so every coach of the organisation may read it and, through it,
/// the client's file. A client is therefore referred again under their id only by whoever may
/// read their file already (their coach, the teamleider): another coach of the organisation,
/// also one outside its team, is refused as for an id that does not exist, nothing is written,
/// and the file stays closed to them.
async fn only_who_may_read_a_client_refers_them_again(server: Server) {
    let tl = server.teamleider("tl-a", ORG_A);
    let coach_a1 = server.coach("coach-a1", ORG_A);
    let coach_a2 = server.coach("coach-a2", ORG_A);
    let buiten_team = server.coach("coach-a9", ORG_A);
    tl.coach_toevoegen("coach-a1", None).await.unwrap();
    tl.coach_toevoegen("coach-a2", None).await.unwrap();
    let t = tl.aanmelden(ORG_A, DATUM).await.unwrap().traject;
    let client = t.client_id.clone();
    toewijzen(&tl, &t.id, t.revisie.unwrap(), "coach-a1")
        .await
        .unwrap();
    coach_a1
        .persoonsgegevens_vastleggen(&client, None, &gegevens("Ada Achternaam"))
        .await
        .unwrap();

    let onbekend = uuid::Uuid::now_v7().to_string();
    for (wie, c) in [
        (&coach_a2, client.as_str()),
        (&buiten_team, client.as_str()),
        (&coach_a2, onbekend.as_str()),
    ] {
        opnieuw_geweigerd(&server, wie, ORG_A, c).await;
        assert_eq!(registraties(&server, &client).await, 1, "nothing written");
        let f = wie.persoon(&client).await.unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{f}");
    }

    // Whoever may read the file refers the client again: their coach, and the teamleider.
    for (wie, n) in [(&coach_a1, 2), (&tl, 3)] {
        let aanmelding = Aanmelding::new(ORG_A, DATUM).met_client_id(&client);
        let t = wie.aanmelden_met(aanmelding).await.unwrap().traject;
        assert_eq!(t.client_id, client);
        assert_eq!(registraties(&server, &client).await, n);
    }
}

async fn only_a_coach_of_the_team_can_be_assigned(server: Server) {
    let tl_a = server.teamleider("tl-a", ORG_A);
    let tl_b = server.teamleider("tl-b", ORG_B);
    let coach_a = server.coach("coach-a1", ORG_A);
    let beheerder = server.beheerder("beheer");
    let t = tl_a.aanmelden(ORG_A, DATUM).await.unwrap().traject;
    let (id, rev) = (t.id, t.revisie.unwrap());
    // A coach of another organisation, and a typo: both refused by the team rule, nothing
    // written, the refusal in the log.
    for coach in ["coach-b1", "coahc-a1"] {
        let f = toewijzen(&tl_a, &id, rev, coach).await.unwrap_err();
        assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
        assert_eq!(f.veld.as_deref(), Some("coach"), "{f}");
        assert_eq!(f.regel.as_deref(), Some("coach_niet_in_team"), "{f}");
        assert!(
            !f.bericht.contains("coach_niet_in_team"),
            "a code in the message: {f}"
        );
        assert_eq!(events_in(&server, &id).await, 1, "nothing written");
        assert_eq!(
            laatste_regel(&server).await.toegang.resultaat,
            Resultaat::Geweigerd
        );
    }
    // The team is the teamleider's (or the beheerder's) to change; a coach or another
    // organisation's teamleider cannot.
    for (wie, org) in [(&coach_a, None), (&tl_b, Some(ORG_A))] {
        let f = wie.coach_toevoegen("coach-a1", org).await.unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{f}");
    }
    tl_a.coach_toevoegen("coach-a1", None).await.unwrap();
    beheerder
        .coach_toevoegen("coach-a2", Some(ORG_A))
        .await
        .unwrap();
    let f = tl_a.coach_toevoegen("coach-a1", None).await.unwrap_err();
    assert_eq!(f.regel.as_deref(), Some("coach_al_in_team"), "{f}");
    assert!(
        !f.bericht.contains("coach_al_in_team"),
        "a code in the message: {f}"
    );
    toewijzen(&tl_a, &id, rev, "coach-a1").await.unwrap();
    assert_eq!(
        tl_a.team().await.unwrap(),
        [teamlid("coach-a1", 1), teamlid("coach-a2", 0)]
    );
    // Another organisation's teamleider does not see this team.
    assert_eq!(tl_b.team().await.unwrap(), []);
    // A coach who left can no longer be assigned.
    tl_a.coach_verwijderen("coach-a2").await.unwrap();
    let f = toewijzen(&tl_a, &id, rev + 1, "coach-a2")
        .await
        .unwrap_err();
    assert_eq!(f.regel.as_deref(), Some("coach_niet_in_team"), "{f}");
    assert!(
        !f.bericht.contains("coach_niet_in_team"),
        "a code in the message: {f}"
    );
}

async fn a_coach_id_with_another_organisations_claim_reaches_nothing(server: Server) {
    let coach = server.coach("coach-a1", ORG_A);
    let t = coach.aanmelden(ORG_A, DATUM).await.unwrap().traject;
    let (id, rev) = (t.id, t.revisie.unwrap());
    let intake = Wijziging::op(&id, rev, "2026-01-10");
    coach
        .wijzig(&intake, Opdracht::intake("WW", false))
        .await
        .unwrap();
    // The same `sub`, signed with another organisation's claim: the coach of the trajectory
    // only within its organisation.
    let gemengd = server.coach("coach-a1", ORG_B);
    let f = gemengd.traject(&id).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    // The log tells this `sub` apart from the real coach: it names the organisation acted for.
    let entry = laatste_regel(&server).await;
    assert_eq!(entry.toegang.gebruiker, "coach-a1");
    assert_eq!(entry.toegang.organisatie.as_deref(), Some(ORG_B));
    assert_eq!(entry.toegang.resultaat, Resultaat::Geweigerd);
    let contact = Wijziging::op(&id, rev + 1, "2026-01-11");
    let bakkerij = Opdracht::werkgeverscontact("Bakkerij", true);
    let f = gemengd
        .wijzig(&contact, bakkerij.clone())
        .await
        .unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    assert_eq!(events_in(&server, &id).await, 2);
    // Nor the coach's caseload: with another organisation's claim it is that organisation's
    // (empty here); without an organisation there is none.
    let eigen = CaseloadVraag::eigen;
    assert_eq!(coach.caseload(eigen()).await.unwrap().totaal, 1);
    assert_eq!(gemengd.caseload(eigen()).await.unwrap().totaal, 0);
    let zonder_organisatie = server.gebruiker(token("coach-a1", "coach", None));
    let f = zonder_organisatie.caseload(eigen()).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    let ips = gemengd.ips_indicatoren(false).await.unwrap();
    assert_eq!(ips.actieve_caseload, 0, "{ips:?}");
    // And a token without any organisation, or of a role without person-level access.
    for t in [
        token("coach-a1", "coach", None),
        token("regio-1", "regio", None),
        token("beheer", "beheerder", None),
    ] {
        let f = server
            .gebruiker(t)
            .wijzig(&contact, bakkerij.clone())
            .await
            .unwrap_err();
        assert_eq!(f.code, "FORBIDDEN", "{f}");
    }
}

async fn a_retry_answers_what_the_first_request_answered(server: Server) {
    let coach = server.coach("coach-a1", ORG_A);
    // A referral retried with its event id: the same trajectory and client, written once.
    let e_aanmelding = uuid::Uuid::now_v7().to_string();
    let aanmelding = Aanmelding::new(ORG_A, DATUM).met_event_id(&e_aanmelding);
    let eerste = coach.aanmelden_met(aanmelding).await.unwrap();
    let tweede = coach.aanmelden_met(aanmelding).await.unwrap();
    assert_eq!(tweede, eerste);
    let (id, rev) = (eerste.traject.id, eerste.traject.revisie.unwrap());
    assert_eq!(events_in(&server, &id).await, 1);

    let e = uuid::Uuid::now_v7().to_string();
    let intake = Wijziging::op(&id, rev, "2026-01-10").met_event_id(&e);
    let ww = || Opdracht::intake("WW", false);
    coach.wijzig(&intake, ww()).await.unwrap();
    // Lost answer: the same request again, after the trajectory moved on.
    let tweede = coach.wijzig(&intake, ww()).await.unwrap();
    assert_eq!(tweede.revisie, 1, "{tweede:?}");
    assert_eq!(tweede.event_id, e);
    assert_eq!(events_in(&server, &id).await, 2);
    // The same event id with other content: refused, named, nothing written.
    let anders = Wijziging::op(&id, rev, "2026-01-11").met_event_id(&e);
    let f = coach.wijzig(&anders, ww()).await.unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert_eq!(f.veld.as_deref(), Some("wijziging.eventId"), "{f}");
    assert_eq!(f.regel.as_deref(), Some("event_id_al_gebruikt"), "{f}");
    assert!(
        !f.bericht.contains("event_id_al_gebruikt"),
        "a code in the message: {f}"
    );
    // Two identical requests at once: one event, the same answer to both.
    let e = uuid::Uuid::now_v7().to_string();
    let contact = Wijziging::op(&id, 1, "2026-01-12").met_event_id(&e);
    let bakkerij = || Opdracht::werkgeverscontact("Bakkerij", true);
    let (a, b) = tokio::join!(
        coach.wijzig(&contact, bakkerij()),
        coach.wijzig(&contact, bakkerij()),
    );
    let a = a.unwrap();
    assert_eq!(b.unwrap(), a);
    assert_eq!(events_in(&server, &id).await, 3);
    // Someone else retrying an event id is authorised like the first: another organisation's
    // teamleider gets no answer about it.
    let tl_b = server.teamleider("tl-b", ORG_B);
    let f = tl_b.wijzig(&contact, bakkerij()).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    // A retry answers with the trajectory as it is now, so only to whoever may read it now: the
    // coach it was taken from, resending their own request, gets nothing.
    let tl_a = server.teamleider("tl-a", ORG_A);
    tl_a.coach_toevoegen("coach-a2", None).await.unwrap();
    toewijzen(&tl_a, &id, 2, "coach-a2").await.unwrap();
    let f = coach.wijzig(&contact, bakkerij()).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    // Nor does another coach of the organisation by resending the referral.
    let collega = server.coach("coach-a3", ORG_A);
    let f = collega.aanmelden_met(aanmelding).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
    // And another organisation reusing the referral's event id learns nothing of it.
    let b = server.coach("coach-b1", ORG_B);
    let andere = Aanmelding {
        organisatie: ORG_B,
        ..aanmelding
    };
    let f = b.aanmelden_met(andere).await.unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
}

async fn a_stale_revision_is_a_conflict_before_any_refusal_it_caused(server: Server) {
    let tl = server.teamleider("tl-a", ORG_A);
    let t = tl.aanmelden(ORG_A, DATUM).await.unwrap().traject;
    let intake = Wijziging::op(&t.id, t.revisie.unwrap(), "2026-01-10");
    let ww = || Opdracht::intake("WW", false);
    let coach_a1 = server.coach("coach-a1", ORG_A);
    let coach_a2 = server.coach("coach-a2", ORG_A);
    coach_a1.wijzig(&intake, ww()).await.unwrap();
    // The second coach decided on the referral without a coach: the truth is a conflict.
    let f = coach_a2.wijzig(&intake, ww()).await.unwrap_err();
    assert_eq!(f.code, "CONFLICT", "{f}");
    // The current revision is not told to a coach who may no longer read the trajectory.
    assert_eq!(f.huidige_revisie, None, "{f}");
    // The refusal is logged under the rule that refuses them now, not the one that allowed
    // them on the revision they sent (which counts as their own caseload in the signals).
    laatste_weigering(&server, "coach-a2", "niet-eigen-client-of-organisatie").await;
    // Also when something else refuses the request first (a coach naming another coach), and
    // when the event id is the import's.
    let ander = Opdracht::IntakeAfronden {
        uitkering: "WW",
        in_ggz_behandeling: false,
        coach: Some("coach-a1".to_owned()),
    };
    let middernacht = "01a1998e-4400-7612-a7f2-49ea6e7bcfa7";
    for (opdracht, wijziging, regel) in [
        (ander, intake.clone(), "coach_alleen_zelf"),
        (
            ww(),
            intake.clone().met_event_id(middernacht),
            "event_id_van_import",
        ),
    ] {
        let f = coach_a2.wijzig(&wijziging, opdracht).await.unwrap_err();
        assert_eq!(f.regel.as_deref(), Some(regel), "{f}");
        laatste_weigering(&server, "coach-a2", "niet-eigen-client-of-organisatie").await;
    }
    // A teamleider, who may read it, is told.
    let f = tl.wijzig(&intake, ww()).await.unwrap_err();
    assert_eq!(f.code, "CONFLICT", "{f}");
    assert_eq!(f.huidige_revisie, Some(1), "{f}");
    // Deciding on the current revision, the same coach is refused: it is no longer unassigned.
    let f = coach_a2
        .wijzig(&Wijziging::op(&t.id, 1, "2026-01-10"), ww())
        .await
        .unwrap_err();
    assert_eq!(f.code, "FORBIDDEN", "{f}");
}

/// Every stored trajectory event of a write has exactly one access-log entry of its request.
async fn every_stored_write_has_its_entry(server: Server) {
    let coach = server.coach("coach-a1", ORG_A);
    let mut taken = Vec::new();
    for _ in 0..12 {
        taken.push(coach.aanmelden(ORG_A, DATUM));
    }
    for r in futures::future::join_all(taken).await {
        r.unwrap();
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
    let tl = server.teamleider("tl-a", ORG_A);
    for i in 0..12 {
        let coach = format!("coach-weg-{i}");
        let t = tl.aanmelden(ORG_A, DATUM).await.unwrap().traject;
        tl.coach_toevoegen(&coach, None).await.unwrap();
        let (weg, toegewezen) = tokio::join!(
            tl.coach_verwijderen(&coach),
            toewijzen(&tl, &t.id, t.revisie.unwrap(), &coach),
        );
        weg.unwrap();
        match toegewezen {
            // Stored: then it committed before the removal (the coach left with it, as any
            // coach who leaves does).
            Ok(_) => {
                let toewijzing = laatste_positie(&server, &format!("traject-{}", t.id)).await;
                let vertrek = laatste_positie(&server, &format!("organisatie-{ORG_A}")).await;
                assert!(toewijzing < vertrek, "assigned after the coach had left");
            }
            Err(f) => {
                assert_eq!(f.veld.as_deref(), Some("coach"), "{f}");
                assert_eq!(events_in(&server, &t.id).await, 1);
            }
        }
    }
}

op_elke_store!(
    a_coach_removed_meanwhile_is_not_assigned,
    a_client_belongs_to_the_organisation_that_referred_them,
    only_who_may_read_a_client_refers_them_again,
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
    let server = start_met(|c| c.inzage_quota = 3).await;
    let tl = server.teamleider("tl-a", ORG_A);
    let mut trajecten = Vec::new();
    for _ in 0..3 {
        trajecten.push(tl.aanmelden(ORG_A, DATUM).await.unwrap().traject.id);
    }
    // The teamleider's organisation caseload of three rows uses the whole quota at once.
    tl.caseload(CaseloadVraag::organisatie()).await.unwrap();
    let f = tl.traject(&trajecten[0]).await.unwrap_err();
    assert_eq!(f.code, "TOO_MANY_REQUESTS", "{f}");
    assert_eq!(f.regel.as_deref(), Some("inzagequotum"));
    assert!(
        f.zonder_data() || f.antwoord["data"]["traject"].is_null(),
        "nothing shown: {f}"
    );
    let geweigerd = laatste_regel(&server).await;
    assert_eq!(geweigerd.toegang.resultaat, Resultaat::Geweigerd);
    assert_eq!(geweigerd.toegang.regel, "inzagequotum");
    assert!(geweigerd.toegang.clients.is_empty(), "{geweigerd:?}");
    // A count alone is no read of a client: logged without clients, not counted.
    let totaal = tl.caseload_totaal(CaseloadVraag::organisatie()).await;
    assert_eq!(totaal.unwrap(), 3);
    let telling = laatste_regel(&server).await;
    assert_eq!(telling.toegang.resultaat, Resultaat::Gelukt);
    assert!(telling.toegang.clients.is_empty(), "{telling:?}");
    let signalen = server.beheerder("beheer").signalen().await.unwrap();
    let tl_signaal = signalen
        .iter()
        .find(|s| s.gebruiker == "tl-a")
        .expect("tl-a signalled");
    assert_eq!(tl_signaal.quotum, 1);
    // The same subject with white space around it is no other user: refused as a token.
    for sub in ["tl-a ", "tl-a\u{200B}"] {
        let f = server
            .teamleider(sub, ORG_A)
            .traject(&trajecten[1])
            .await
            .unwrap_err();
        assert_eq!(f.code, "UNAUTHENTICATED", "{sub:?}: {f}");
    }
}

//! The GraphQL contract, version 2, from outside: the hours of concurrent placements add up
//! under duurzaam policy v2 (and do not under v1, which a server can still be started with); a
//! placement's id comes back from starting it; a change of hours moves the run of work; a
//! retraction needs no date; closing as DuurzaamAanHetWerk before duurzaam asks to confirm; and
//! every refusal names the input as the request sent it, with the rule's code apart from a
//! message that holds no code; and a next action is planned, shown and due.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::api::{
    Aandachtspunt, CaseloadVraag, ErrorAnswer, Gebruiker, Opdracht, PlaatsingInvoer, Status,
    Vastgelegd, VolgendeActie, Wijziging, mutatie,
};
use crate::helpers::*;

const ORG: &str = "org-contract";

/// Starts a placement of `uren` hours (permanent, paid, regular) on `datum`; its id.
async fn start_plaatsing(coach: &Gebruiker<'_>, id: &str, datum: &str, uren: f64) -> String {
    let plaatsing = PlaatsingInvoer::vast("Kringloop Oost", "Verkoper", uren);
    let vastgelegd = wijzig(coach, id, datum, Opdracht::PlaatsingStarten(plaatsing))
        .await
        .unwrap();
    let plaatsing = vastgelegd
        .plaatsing_id
        .clone()
        .expect("plaatsingStarten answers the placement's id");
    assert!(
        vastgelegd
            .traject
            .lopende_plaatsingen
            .iter()
            .any(|p| p.id == plaatsing),
        "the id answered is the running placement's: {vastgelegd:?}"
    );
    plaatsing
}

/// Sends `opdracht` on the trajectory's current revision.
async fn wijzig(
    coach: &Gebruiker<'_>,
    id: &str,
    datum: &str,
    opdracht: Opdracht,
) -> Result<Vastgelegd, ErrorAnswer> {
    let rev = coach.revisie(id).await;
    coach.wijzig(&Wijziging::op(id, rev, datum), opdracht).await
}

async fn status(coach: &Gebruiker<'_>, id: &str, peildatum: &str) -> Status {
    let t = coach.traject_op(id, Some(peildatum)).await.unwrap();
    t.status().clone()
}

/// A trajectory referred on 5 January 2026 and taken in on 12 January by `coach`.
async fn traject(coach: &Gebruiker<'_>) -> String {
    let id = coach.aanmelden(ORG, "2026-01-05").await.unwrap().traject.id;
    wijzig(coach, &id, "2026-01-12", Opdracht::intake("WIA", true))
        .await
        .unwrap();
    id
}

/// A change of the hours of `plaatsing` to `uren_per_week`.
fn uren(plaatsing: &str, uren_per_week: f64) -> Opdracht {
    Opdracht::UrenWijzigen {
        plaatsing_id: plaatsing.to_owned(),
        uren_per_week,
    }
}

/// Two jobs of 8 hours from 2 February and 2 March: 16 hours from 2 March, so six calendar
/// months end on 1 September (hand-computed). The hours of the second drop to 3 on 1 April: 11
/// hours in all, the run breaks after 28 days.
async fn two_small_jobs_add_up_to_duurzaam(server: Server) {
    let coach = server.coach("coach-uren", ORG);
    let id = traject(&coach).await;
    start_plaatsing(&coach, &id, "2026-02-02", 8.0).await;
    let b = start_plaatsing(&coach, &id, "2026-03-02", 8.0).await;
    let s = status(&coach, &id, "2026-04-01").await;
    assert_eq!(s.beleid, "duurzaam-v2");
    assert_eq!(s.werk_sinds.as_deref(), Some("2026-03-02"));
    assert_eq!(s.dagen_werk, 31);
    let op = |peildatum| status(&coach, &id, peildatum);
    assert_eq!(op("2026-08-31").await.duurzaam_bereikt_op, None);
    assert_eq!(
        op("2026-09-01").await.duurzaam_bereikt_op.as_deref(),
        Some("2026-09-01")
    );

    // The hours of B change to 3 from 1 April: the run stops on 31 March.
    wijzig(&coach, &id, "2026-04-01", uren(&b, 3.0))
        .await
        .unwrap();
    let s = op("2026-04-15").await;
    assert_eq!(
        s.werk_sinds.as_deref(),
        Some("2026-03-02"),
        "a gap of 15 days does not interrupt: {s:?}"
    );
    assert_eq!(s.dagen_werk, 30, "the days of work, not the gap: {s:?}");
    assert_eq!(op("2026-05-15").await.werk_sinds, None);
    assert_eq!(op("2026-11-01").await.duurzaam_bereikt_op, None);
    // The same hours again are refused as no change.
    let f = wijzig(&coach, &id, "2026-05-01", uren(&b, 3.0))
        .await
        .unwrap_err();
    assert_eq!(f.regel.as_deref(), Some("uren_ongewijzigd"), "{f}");
    assert_eq!(f.veld.as_deref(), Some("urenPerWeek"), "{f}");
}

/// The same two jobs on a server under policy v1: neither counts on its own, and the status says
/// which policy it was computed under.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_v1_can_still_be_chosen_and_says_so() {
    let server = start_met(|c| c.cijfers.duurzaam_beleid = "duurzaam-v1".to_owned()).await;
    let coach = server.coach("coach-uren", ORG);
    let id = traject(&coach).await;
    start_plaatsing(&coach, &id, "2026-02-02", 8.0).await;
    start_plaatsing(&coach, &id, "2026-03-02", 8.0).await;
    let s = status(&coach, &id, "2026-09-01").await;
    assert_eq!(s.beleid, "duurzaam-v1");
    assert_eq!(s.duurzaam_bereikt_op, None);
    assert_eq!(s.werk_sinds, None);
}

/// A retraction is sent without a date and dated the day it is recorded; closing as
/// DuurzaamAanHetWerk before duurzaam is refused until the coach confirms it.
async fn retraction_without_a_date_and_closing_with_confirmation(server: Server) {
    let coach = server.coach("coach-uren", ORG);
    let id = traject(&coach).await;
    let contact = Opdracht::werkgeverscontact("Kringloop Oost", true);
    let contact = wijzig(&coach, &id, "2026-01-20", contact)
        .await
        .unwrap()
        .event_id;
    let intrekking = Wijziging::zonder_datum(&id, coach.revisie(&id).await);
    let ingetrokken = coach
        .wijzig(
            &intrekking,
            Opdracht::Intrekken {
                gebeurtenis_id: contact,
                reden: "Invoerfout",
            },
        )
        .await
        .unwrap();
    let tijdlijn = &ingetrokken.traject.tijdlijn;
    let regel = tijdlijn
        .iter()
        .find(|t| t.soort == "GebeurtenisIngetrokken")
        .unwrap();
    assert_eq!(regel.datum, vandaag().to_string());
    assert!(
        tijdlijn
            .iter()
            .any(|t| t.soort == "WerkgeverContactGelegd" && t.ingetrokken)
    );

    let afsluiten = |reden, bevestig_duurzaam| Opdracht::Afsluiten {
        reden,
        bevestig_duurzaam,
    };
    let f = wijzig(
        &coach,
        &id,
        "2026-03-02",
        afsluiten("DuurzaamAanHetWerk", false),
    )
    .await
    .unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert_eq!(f.regel.as_deref(), Some("duurzaam_niet_bereikt"), "{f}");
    assert_eq!(f.veld.as_deref(), Some("reden"), "{f}");
    wijzig(&coach, &id, "2026-03-02", afsluiten("Uitval", false))
        .await
        .unwrap_or_else(|f| panic!("another reason needs no confirmation: {f}"));
    let heropenen = Opdracht::Heropenen {
        reden: "TeVroegAfgesloten",
    };
    wijzig(&coach, &id, "2026-03-03", heropenen).await.unwrap();
    wijzig(
        &coach,
        &id,
        "2026-03-04",
        afsluiten("DuurzaamAanHetWerk", true),
    )
    .await
    .unwrap_or_else(|f| panic!("confirmed: {f}"));
}

/// Every input path the schema's mutations accept: `argument` and `argument.field` of input
/// objects, per mutation, read by introspection.
async fn invoerpaden(gebruiker: &Gebruiker<'_>) -> BTreeMap<String, BTreeSet<String>> {
    let r = gebruiker
        .gql(
            "{ __schema { mutationType { fields { name args { name type { name ofType { name ofType { name } } } } } }
               types { name inputFields { name } } } }",
            json!({}),
        )
        .await;
    let mut invoer: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in r["data"]["__schema"]["types"].as_array().unwrap() {
        if let Some(velden) = t["inputFields"].as_array() {
            invoer.insert(
                t["name"].as_str().unwrap().to_owned(),
                velden
                    .iter()
                    .map(|v| v["name"].as_str().unwrap().to_owned())
                    .collect(),
            );
        }
    }
    let mut paden = BTreeMap::new();
    for f in r["data"]["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
    {
        let mut set = BTreeSet::new();
        for a in f["args"].as_array().unwrap() {
            let naam = a["name"].as_str().unwrap();
            set.insert(naam.to_owned());
            let mut ty = &a["type"];
            while ty["name"].is_null() && !ty["ofType"].is_null() {
                ty = &ty["ofType"];
            }
            for veld in ty["name"]
                .as_str()
                .and_then(|n| invoer.get(n))
                .into_iter()
                .flatten()
            {
                set.insert(format!("{naam}.{veld}"));
            }
        }
        paden.insert(f["name"].as_str().unwrap().to_owned(), set);
    }
    paden
}

/// Sends `veld` with the further arguments `extra`, written as the request writes them, on the
/// trajectory's current revision; the answer as the server sent it.
async fn stuur(coach: &Gebruiker<'_>, id: &str, veld: &str, datum: &str, extra: &str) -> Value {
    let rev = coach.revisie(id).await;
    let query = mutatie(veld, extra, "eventId traject { revisie }");
    coach
        .gql(&query, json!({"id": id, "rev": rev, "datum": datum}))
        .await
}

/// A page size out of range is refused by the resolver, naming the field and its rule, also
/// where it would have passed the complexity limit (a negative one, cast) or exceeded it (1000).
async fn a_page_size_out_of_range_names_its_field(server: Server) {
    let tl = server.teamleider("tl-a", ORG);
    let query = "query($n: Int!) { caseload(organisatie: true, aantal: $n) { totaal items { trajectId naam } } }";
    for aantal in [0, -1, 201, 1000, i32::MAX] {
        let a = tl.gql(query, json!({ "n": aantal })).await;
        let fout = &a["errors"][0];
        assert_eq!(
            fout["extensions"]["code"], "BAD_USER_INPUT",
            "{aantal}: {a}"
        );
        assert_eq!(fout["extensions"]["veld"], "aantal", "{aantal}: {a}");
        assert!(fout["extensions"]["regel"].is_string(), "{aantal}: {a}");
    }
    let a = tl.gql(query, json!({ "n": 200 })).await;
    assert!(a.get("errors").is_none(), "{a}");
    // The largest page with every field of a row: within the complexity limit.
    let alles = "query($n: Int!) { caseload(organisatie: true, aantal: $n) { totaal volgende positie
        items { trajectId clientId naam coach methode fase aanmelding laatsteGebeurtenis dagenWerk
                dagenOnonderbrokenWerk duurzaamBereiktOp contractEindigtOp werkgeverscontactUiterlijk
                cursor volgendeActie { actie op gepland } aandacht { soort dagen sinds op actie } } } }";
    let a = tl.gql(alles, json!({ "n": 200 })).await;
    assert!(a.get("errors").is_none(), "{a}");
}

/// Refusals of each kind of input, as a clumsy coach sends them: each names an input of the
/// mutation as sent, carries its rule's code, and the message holds neither code nor a field
/// prefix.
async fn every_refusal_names_the_input_as_sent(server: Server) {
    let coach = server.coach("coach-uren", ORG);
    let paden = invoerpaden(&coach).await;
    let id = traject(&coach).await;
    let p = start_plaatsing(&coach, &id, "2026-02-02", 24.0).await;
    let vreemd = uuid::Uuid::now_v7().to_string();
    let aanmelden = |extra: &str| {
        format!(
            r#"mutation {{ aanmelden(invoer: {{methode: IPS, organisatie: "{ORG}", verwijzer: GGZ, financier: UWV, {extra}}}) {{ revisie }} }}"#
        )
    };
    let gevallen: Vec<(&str, Value, Option<&str>, &str)> = vec![
        (
            "aanmelden",
            coach.gql(&aanmelden(r#"datum: "2026-12-31", regio: "AM13""#), json!({})).await,
            Some("invoer.datum"),
            "datum_in_de_toekomst",
        ),
        (
            "aanmelden",
            coach.gql(&aanmelden(r#"datum: "2026-01-05", regio: "AM99""#), json!({})).await,
            Some("invoer.regio"),
            "ongeldige_waarde",
        ),
        (
            "intakeAfronden",
            stuur(&coach, &id, "intakeAfronden", "2026-01-13", ", uitkering: WW, inGgzBehandeling: false").await,
            None,
            "intake_al_afgerond",
        ),
        (
            "werkgeverscontact",
            stuur(&coach, &id, "werkgeverscontact", "2026-01-01", r#", werkgever: "Kringloop", persoonlijk: true"#).await,
            Some("wijziging.datum"),
            "datum_voor_begin",
        ),
        (
            "plaatsingStarten",
            stuur(&coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 0, contract: Vast, betaald: true, regulier: true}"#).await,
            Some("plaatsing.urenPerWeek"),
            "ongeldige_waarde",
        ),
        (
            "plaatsingStarten",
            stuur(&coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 20, contract: Tijdelijk, betaald: true, regulier: true}"#).await,
            Some("plaatsing.einddatum"),
            "ongeldige_waarde",
        ),
        (
            "plaatsingStarten",
            stuur(&coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 20, contract: Tijdelijk, einddatum: "2026-03-01", betaald: true, regulier: true}"#).await,
            Some("plaatsing.einddatum"),
            "contract_einde_voor_start",
        ),
        (
            "plaatsingBeeindigen",
            stuur(&coach, &id, "plaatsingBeeindigen", "2026-03-02", &format!(r#", plaatsingId: "{vreemd}", reden: Ziekte"#)).await,
            Some("plaatsingId"),
            "plaatsing_onbekend",
        ),
        (
            "plaatsingBeeindigen",
            stuur(&coach, &id, "plaatsingBeeindigen", "2026-02-01", &format!(r#", plaatsingId: "{p}", reden: Ziekte"#)).await,
            Some("wijziging.datum"),
            "einde_voor_start",
        ),
        (
            "urenWijzigen",
            stuur(&coach, &id, "urenWijzigen", "2026-01-20", &format!(r#", plaatsingId: "{p}", urenPerWeek: 16"#)).await,
            Some("wijziging.datum"),
            "urenwijziging_buiten_plaatsing",
        ),
        (
            "urenWijzigen",
            stuur(&coach, &id, "urenWijzigen", "2026-03-02", &format!(r#", plaatsingId: "{p}", urenPerWeek: 61"#)).await,
            Some("urenPerWeek"),
            "ongeldige_waarde",
        ),
        (
            "opschalen",
            stuur(&coach, &id, "opschalen", "2026-03-02", ", reden: Werkproblemen").await,
            None,
            "niet_in_waakvlam",
        ),
        (
            "werkgeverscontact",
            stuur(&coach, &id,
                "werkgeverscontact",
                "2026-03-02",
                r#", werkgever: " ", persoonlijk: true"#,
            )
            .await,
            Some("werkgever"),
            "ongeldige_waarde",
        ),
        (
            "intrekken",
            stuur(&coach, &id, "intrekken", "2026-03-02", &format!(r#", gebeurtenisId: "{vreemd}", reden: Invoerfout"#)).await,
            Some("intrekking.gebeurtenisId"),
            "gebeurtenis_onbekend",
        ),
        (
            "intrekken",
            stuur(&coach, &id, "intrekken", "2026-03-02", r#", gebeurtenisId: "geen-uuid", reden: Invoerfout"#).await,
            Some("intrekking.gebeurtenisId"),
            "ongeldige_waarde",
        ),
        (
            "afsluiten",
            stuur(&coach, &id, "afsluiten", "2026-03-02", ", reden: DuurzaamAanHetWerk").await,
            Some("reden"),
            "duurzaam_niet_bereikt",
        ),
    ];
    for (mutatie, r, veld, regel) in gevallen {
        let fout = &r["errors"][0];
        assert_eq!(
            fout["extensions"]["code"], "BAD_USER_INPUT",
            "{mutatie}: {r}"
        );
        assert_eq!(fout["extensions"]["regel"], regel, "{mutatie}: {r}");
        match veld {
            Some(veld) => {
                assert_eq!(fout["extensions"]["veld"], veld, "{mutatie}: {r}");
                assert!(
                    paden[mutatie].contains(veld),
                    "{veld} is no input of {mutatie}: {:?}",
                    paden[mutatie]
                );
            }
            None => assert!(fout["extensions"]["veld"].is_null(), "{mutatie}: {r}"),
        }
        let bericht = fout["message"].as_str().unwrap();
        assert!(!bericht.contains(regel), "a code in the message: {bericht}");
        assert!(
            !bericht.contains('_'),
            "a technical name in the message: {bericht}"
        );
        if let Some(veld) = veld {
            assert!(
                !bericht.starts_with(&format!("{veld}:")),
                "the field as a prefix: {bericht}"
            );
        }
    }
    // Nothing refused was written: the trajectory holds the aanmelding, the intake and the
    // placement.
    assert_eq!(coach.revisie(&id).await, 2);
}

/// A coach plans the next action: it is on the status and the caseload row, due from its day
/// on as a signal, refused before the day it is planned (naming `op`), and not plannable by a
/// coach of another organisation.
async fn a_next_action_is_planned_shown_due_and_kept_to_its_rules(server: Server) {
    let coach = server.coach("coach-actie", ORG);
    let id = traject(&coach).await;
    let plannen = |actie, op: &str| Opdracht::ActiePlannen {
        actie,
        op: op.to_owned(),
    };
    wijzig(
        &coach,
        &id,
        "2026-02-01",
        plannen("Werkgeverscontact", "2026-02-20"),
    )
    .await
    .unwrap();
    let t = coach.traject_op(&id, Some("2026-02-10")).await.unwrap();
    let gepland = VolgendeActie {
        actie: "Werkgeverscontact".to_owned(),
        op: "2026-02-20".to_owned(),
        gepland: "2026-02-01".to_owned(),
    };
    assert_eq!(t.status().volgende_actie, Some(gepland), "{t:?}");
    assert!(
        t.tijdlijn.iter().any(|r| r.soort == "ActieGepland"
            && r.gegevens["actie"] == "Werkgeverscontact"
            && r.gegevens["op"] == "2026-02-20"),
        "{t:?}"
    );

    let rij = |peildatum: &'static str| {
        let (coach, id) = (&coach, &id);
        async move {
            let caseload = coach
                .caseload(CaseloadVraag::eigen().op(peildatum))
                .await
                .unwrap();
            caseload
                .items
                .iter()
                .find(|i| i.traject_id == *id)
                .cloned()
                .unwrap_or_else(|| panic!("the trajectory is in the caseload: {caseload:?}"))
        }
    };
    let voor = rij("2026-02-19").await;
    let op = voor.volgende_actie.as_ref().map(|a| a.op.as_str());
    assert_eq!(op, Some("2026-02-20"), "{voor:?}");
    assert_eq!(
        voor.werkgeverscontact_uiterlijk.as_deref(),
        Some("2026-02-11"),
        "{voor:?}"
    );
    assert!(
        voor.aandacht.iter().all(|a| a.soort != "ACTIE_TE_DOEN"),
        "{voor:?}"
    );
    let op = rij("2026-02-20").await;
    let te_doen = Aandachtspunt {
        soort: "ACTIE_TE_DOEN".to_owned(),
        op: Some("2026-02-20".to_owned()),
        actie: Some("Werkgeverscontact".to_owned()),
    };
    assert!(op.aandacht.contains(&te_doen), "{op:?}");

    // Before the day it is planned: refused, naming the field as sent, nothing written.
    let voor_revisie = coach.revisie(&id).await;
    let f = wijzig(&coach, &id, "2026-02-10", plannen("Gesprek", "2026-02-09"))
        .await
        .unwrap_err();
    assert_eq!(f.regel.as_deref(), Some("actie_voor_planning"), "{f}");
    assert_eq!(f.veld.as_deref(), Some("op"), "{f}");
    assert_eq!(coach.revisie(&id).await, voor_revisie);

    // A coach of another organisation cannot plan on it.
    let ander = server.coach("coach-elders", "org-elders");
    let f = ander
        .wijzig(
            &Wijziging::op(&id, voor_revisie, "2026-02-10"),
            plannen("Gesprek", "2026-03-01"),
        )
        .await
        .unwrap_err();
    assert!(matches!(f.code.as_str(), "FORBIDDEN" | "NOT_FOUND"), "{f}");
    assert_eq!(coach.revisie(&id).await, voor_revisie);
}

/// A value of a scalar's wrong form (a date that is no date, a negative revision or version) is
/// refused like any other bad input: naming the input as sent, with the rule's code and a Dutch
/// message, whether it came as a variable or written in the query; nothing is written.
async fn a_value_of_the_wrong_form_names_its_field(server: Server) {
    let coach = server.coach("coach-vorm", ORG);
    let beheerder = server.beheerder("beheerder-vorm");
    let paden = invoerpaden(&coach).await;
    let id = traject(&coach).await;
    let rev = coach.revisie(&id).await;
    let client = coach.traject_op(&id, None).await.unwrap().client_id;
    let met = |veld: &str, extra: &str| mutatie(veld, extra, "eventId");
    let contact = r#", werkgever: "Kringloop", persoonlijk: true"#;
    let gevallen: Vec<(Option<&str>, Value, &str)> = vec![
        (
            Some("werkgeverscontact"),
            coach.gql(&met("werkgeverscontact", contact), json!({"id": id, "rev": rev, "datum": "2026-13-01"})).await,
            "wijziging.datum",
        ),
        (
            Some("werkgeverscontact"),
            coach.gql(&format!(
                r#"mutation {{ werkgeverscontact(wijziging: {{trajectId: "{id}", revisie: {rev}, datum: "morgen"}}{contact}) {{ revisie }} }}"#
            ), json!({})).await,
            "wijziging.datum",
        ),
        (
            Some("werkgeverscontact"),
            coach.gql(&met("werkgeverscontact", contact), json!({"id": id, "rev": -1, "datum": "2026-02-02"})).await,
            "wijziging.revisie",
        ),
        (
            Some("intrekken"),
            coach.gql(&mutatie("intrekken", &format!(r#", gebeurtenisId: "{}", reden: Invoerfout"#, uuid::Uuid::now_v7()), "eventId"), json!({"id": id, "rev": -3})).await,
            "intrekking.revisie",
        ),
        (
            Some("aanmelden"),
            coach.gql(&format!(
                r#"mutation {{ aanmelden(invoer: {{datum: "2026-02-30", methode: IPS, regio: "AM13", organisatie: "{ORG}", verwijzer: GGZ, financier: UWV}}) {{ revisie }} }}"#
            ), json!({})).await,
            "invoer.datum",
        ),
        (
            Some("plaatsingStarten"),
            coach.gql(&met("plaatsingStarten", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 20, contract: Tijdelijk, einddatum: "31-12-2026", betaald: true, regulier: true}"#), json!({"id": id, "rev": rev, "datum": "2026-02-02"})).await,
            "plaatsing.einddatum",
        ),
        (
            Some("actiePlannen"),
            coach.gql(&met("actiePlannen", r#", actie: Gesprek, op: "volgende week""#), json!({"id": id, "rev": rev, "datum": "2026-02-02"})).await,
            "op",
        ),
        (
            Some("persoonsgegevensVastleggen"),
            coach.gql(
                r#"mutation($c: ID!) { persoonsgegevensVastleggen(clientId: $c, versie: -1, gegevens: {naam: "A. Jansen", geboortedatum: "1990-01-01"}) { versie } }"#,
                json!({"c": client}),
            ).await,
            "versie",
        ),
        (
            None,
            coach.gql("query($p: NaiveDate) { caseload(peildatum: $p) { totaal } }", json!({"p": "2026-02-31"})).await,
            "peildatum",
        ),
        (
            None,
            coach.gql(&format!(r#"{{ traject(id: "{id}", peildatum: "gisteren") {{ revisie }} }}"#), json!({})).await,
            "peildatum",
        ),
        (
            None,
            coach.gql(r#"{ ipsIndicatoren(peildatum: 20260202) { __typename } }"#, json!({})).await,
            "peildatum",
        ),
        // A date chrono reads but the domain does not count with (it stopped the request).
        (
            None,
            coach.gql(&format!(r#"{{ traject(id: "{id}", peildatum: "+262142-12-31") {{ status {{ fase }} }} }}"#), json!({})).await,
            "peildatum",
        ),
        (
            None,
            beheerder.gql(r#"{ signalen(van: "2026-01-01") { gebruiker } }"#, json!({})).await,
            "van",
        ),
        (
            None,
            beheerder.gql(r#"{ toegangslog(filter: {van: "2026-13-06T00:00:00Z"}) { volgende } }"#, json!({})).await,
            "filter.van",
        ),
        // A moment chrono reads, from which the default period could not be computed.
        (
            None,
            beheerder.gql(r#"{ signalen(tot: "-262143-01-01T00:00:00Z") { gebruiker } }"#, json!({})).await,
            "tot",
        ),
    ];
    for (mutatie, r, veld) in gevallen {
        let fout = &r["errors"][0];
        assert_eq!(fout["extensions"]["code"], "BAD_USER_INPUT", "{veld}: {r}");
        assert_eq!(fout["extensions"]["veld"], veld, "{r}");
        assert_eq!(fout["extensions"]["regel"], "ongeldige_waarde", "{r}");
        if let Some(mutatie) = mutatie {
            assert!(
                paden[mutatie].contains(veld),
                "{veld} is no input of {mutatie}: {:?}",
                paden[mutatie]
            );
        }
        let bericht = fout["message"].as_str().unwrap();
        assert!(
            !bericht.contains("parse") && !bericht.contains("Invalid"),
            "the engine's words: {bericht}"
        );
    }
    // Nothing was written, nor any personal data recorded.
    assert_eq!(coach.revisie(&id).await, rev);
    let persoon = coach
        .gql(
            "query($c: ID!) { persoon(clientId: $c) { versie } }",
            json!({"c": client}),
        )
        .await;
    assert!(persoon["data"]["persoon"]["versie"].is_null(), "{persoon}");
}

op_elke_store!(
    a_next_action_is_planned_shown_due_and_kept_to_its_rules,
    two_small_jobs_add_up_to_duurzaam,
    retraction_without_a_date_and_closing_with_confirmation,
    every_refusal_names_the_input_as_sent,
    a_value_of_the_wrong_form_names_its_field,
    a_page_size_out_of_range_names_its_field
);

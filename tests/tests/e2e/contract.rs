//! The GraphQL contract, version 2, from outside: the hours of concurrent placements add up
//! under duurzaam policy v2 (and do not under v1, which a server can still be started with); a
//! placement's id comes back from starting it; a change of hours moves the run of work; a
//! retraction needs no date; closing as DuurzaamAanHetWerk before duurzaam asks to confirm; and
//! every refusal names the input as the request sent it, with the rule's code apart from a
//! message that holds no code; and a next action is planned, shown and due.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::helpers::*;

const ORG: &str = "org-contract";

/// Starts a placement of `uren` hours (permanent, paid, regular) on `datum`; its id.
async fn start_plaatsing(server: &Server, coach: &str, id: &str, datum: &str, uren: f64) -> String {
    let rev = revisie(server, coach, id).await;
    let query = mutatie(
        "plaatsingStarten",
        &format!(
            r#", plaatsing: {{werkgever: "Kringloop Oost", functie: "Verkoper", urenPerWeek: {uren}, contract: Vast, betaald: true, regulier: true}}"#
        ),
        "plaatsingId traject { lopendePlaatsingen { id urenPerWeek } }",
    );
    let r = server
        .gql(
            Some(coach),
            &query,
            json!({"id": id, "rev": rev, "datum": datum}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let plaatsing = r["data"]["plaatsingStarten"]["plaatsingId"]
        .as_str()
        .expect("plaatsingStarten answers the placement's id")
        .to_owned();
    let lopend = r["data"]["plaatsingStarten"]["traject"]["lopendePlaatsingen"]
        .as_array()
        .unwrap();
    assert!(
        lopend.iter().any(|p| p["id"] == plaatsing.as_str()),
        "the id answered is the running placement's: {r}"
    );
    plaatsing
}

async fn revisie(server: &Server, coach: &str, id: &str) -> u64 {
    let r = server
        .gql(
            Some(coach),
            "query($id: ID!) { traject(id: $id) { revisie } }",
            json!({"id": id}),
        )
        .await;
    r["data"]["traject"]["revisie"]
        .as_u64()
        .unwrap_or_else(|| panic!("{r}"))
}

/// Sends `veld` with `extra` on the trajectory's current revision.
async fn wijzig(
    server: &Server,
    coach: &str,
    id: &str,
    veld: &str,
    datum: &str,
    extra: &str,
) -> Value {
    let rev = revisie(server, coach, id).await;
    let query = mutatie(veld, extra, "eventId traject { revisie }");
    server
        .gql(
            Some(coach),
            &query,
            json!({"id": id, "rev": rev, "datum": datum}),
        )
        .await
}

async fn status(server: &Server, coach: &str, id: &str, peildatum: &str) -> Value {
    let r = server
        .gql(
            Some(coach),
            "query($id: ID!, $p: NaiveDate) { traject(id: $id, peildatum: $p) { status { beleid werkSinds dagenWerk duurzaamBereiktOp } } }",
            json!({"id": id, "p": peildatum}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    r["data"]["traject"]["status"].clone()
}

/// A trajectory referred on 5 January 2026 and taken in on 12 January by `coach`.
async fn traject(server: &Server, coach: &str) -> String {
    let r = server
        .gql(
            Some(coach),
            AANMELDEN,
            json!({"org": ORG, "datum": "2026-01-05"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let id = r["data"]["aanmelden"]["traject"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = wijzig(
        server,
        coach,
        &id,
        "intakeAfronden",
        "2026-01-12",
        ", uitkering: WIA, inGgzBehandeling: true",
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    id
}

/// Two jobs of 8 hours from 2 February and 2 March: 16 hours from 2 March, so six calendar
/// months end on 1 September (hand-computed). The hours of the second drop to 3 on 1 April: 11
/// hours in all, the run breaks after 28 days.
async fn two_small_jobs_add_up_to_duurzaam(server: Server) {
    let coach = token("coach-uren", "coach", Some(ORG));
    let id = traject(&server, &coach).await;
    start_plaatsing(&server, &coach, &id, "2026-02-02", 8.0).await;
    let b = start_plaatsing(&server, &coach, &id, "2026-03-02", 8.0).await;
    let s = status(&server, &coach, &id, "2026-04-01").await;
    assert_eq!(s["beleid"], "duurzaam-v2");
    assert_eq!(s["werkSinds"], "2026-03-02");
    assert_eq!(s["dagenWerk"], 31);
    assert_eq!(
        status(&server, &coach, &id, "2026-08-31").await["duurzaamBereiktOp"],
        Value::Null
    );
    assert_eq!(
        status(&server, &coach, &id, "2026-09-01").await["duurzaamBereiktOp"],
        "2026-09-01"
    );

    // The hours of B change to 3 from 1 April: the run stops on 31 March.
    let r = wijzig(
        &server,
        &coach,
        &id,
        "urenWijzigen",
        "2026-04-01",
        &format!(r#", plaatsingId: "{b}", urenPerWeek: 3"#),
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let s = status(&server, &coach, &id, "2026-04-15").await;
    assert_eq!(
        s["werkSinds"], "2026-03-02",
        "a gap of 15 days does not interrupt: {s}"
    );
    assert_eq!(s["dagenWerk"], 30, "the days of work, not the gap: {s}");
    assert_eq!(
        status(&server, &coach, &id, "2026-05-15").await["werkSinds"],
        Value::Null
    );
    assert_eq!(
        status(&server, &coach, &id, "2026-11-01").await["duurzaamBereiktOp"],
        Value::Null
    );
    // The same hours again are refused as no change.
    let r = wijzig(
        &server,
        &coach,
        &id,
        "urenWijzigen",
        "2026-05-01",
        &format!(r#", plaatsingId: "{b}", urenPerWeek: 3"#),
    )
    .await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "uren_ongewijzigd",
        "{r}"
    );
    assert_eq!(r["errors"][0]["extensions"]["veld"], "urenPerWeek", "{r}");
}

/// The same two jobs on a server under policy v1: neither counts on its own, and the status says
/// which policy it was computed under.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_v1_can_still_be_chosen_and_says_so() {
    let server = start_met(|c| c.cijfers.duurzaam_beleid = "duurzaam-v1".to_owned()).await;
    let coach = token("coach-uren", "coach", Some(ORG));
    let id = traject(&server, &coach).await;
    start_plaatsing(&server, &coach, &id, "2026-02-02", 8.0).await;
    start_plaatsing(&server, &coach, &id, "2026-03-02", 8.0).await;
    let s = status(&server, &coach, &id, "2026-09-01").await;
    assert_eq!(s["beleid"], "duurzaam-v1");
    assert_eq!(s["duurzaamBereiktOp"], Value::Null);
    assert_eq!(s["werkSinds"], Value::Null);
}

/// A retraction is sent without a date and dated the day it is recorded; closing as
/// DuurzaamAanHetWerk before duurzaam is refused until the coach confirms it.
async fn retraction_without_a_date_and_closing_with_confirmation(server: Server) {
    let coach = token("coach-uren", "coach", Some(ORG));
    let id = traject(&server, &coach).await;
    let r = wijzig(
        &server,
        &coach,
        &id,
        "werkgeverscontact",
        "2026-01-20",
        r#", werkgever: "Kringloop Oost", persoonlijk: true"#,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let contact = r["data"]["werkgeverscontact"]["eventId"]
        .as_str()
        .unwrap()
        .to_owned();
    let rev = revisie(&server, &coach, &id).await;
    let r = server
        .gql(
            Some(&coach),
            "mutation($id: ID!, $rev: Int!, $e: ID!) { intrekken(intrekking: {trajectId: $id, revisie: $rev, gebeurtenisId: $e, reden: Invoerfout}) { revisie traject { tijdlijn { soort datum ingetrokken } } } }",
            json!({"id": id, "rev": rev, "e": contact}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let tijdlijn = r["data"]["intrekken"]["traject"]["tijdlijn"]
        .as_array()
        .unwrap();
    let intrekking = tijdlijn
        .iter()
        .find(|t| t["soort"] == "GebeurtenisIngetrokken")
        .unwrap();
    assert_eq!(intrekking["datum"], vandaag().to_string());
    assert!(
        tijdlijn
            .iter()
            .any(|t| t["soort"] == "WerkgeverContactGelegd" && t["ingetrokken"] == true)
    );

    let r = wijzig(
        &server,
        &coach,
        &id,
        "afsluiten",
        "2026-03-02",
        ", reden: DuurzaamAanHetWerk",
    )
    .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "duurzaam_niet_bereikt",
        "{r}"
    );
    assert_eq!(r["errors"][0]["extensions"]["veld"], "reden", "{r}");
    let r = wijzig(
        &server,
        &coach,
        &id,
        "afsluiten",
        "2026-03-02",
        ", reden: Uitval",
    )
    .await;
    assert!(
        r["errors"].is_null(),
        "another reason needs no confirmation: {r}"
    );
    let r = wijzig(
        &server,
        &coach,
        &id,
        "heropenen",
        "2026-03-03",
        ", reden: TeVroegAfgesloten",
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = wijzig(
        &server,
        &coach,
        &id,
        "afsluiten",
        "2026-03-04",
        ", reden: DuurzaamAanHetWerk, bevestigDuurzaam: true",
    )
    .await;
    assert!(r["errors"].is_null(), "confirmed: {r}");
}

/// Every input path the schema's mutations accept: `argument` and `argument.field` of input
/// objects, per mutation, read by introspection.
async fn invoerpaden(server: &Server, coach: &str) -> BTreeMap<String, BTreeSet<String>> {
    let r = server
        .gql(
            Some(coach),
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

/// Refusals of each kind of input, as a clumsy coach sends them: each names an input of the
/// mutation as sent, carries its rule's code, and the message holds neither code nor a field
/// prefix.
async fn every_refusal_names_the_input_as_sent(server: Server) {
    let coach = token("coach-uren", "coach", Some(ORG));
    let paden = invoerpaden(&server, &coach).await;
    let id = traject(&server, &coach).await;
    let p = start_plaatsing(&server, &coach, &id, "2026-02-02", 24.0).await;
    let vreemd = uuid::Uuid::now_v7().to_string();
    let aanmelden = |extra: &str| {
        format!(
            r#"mutation {{ aanmelden(invoer: {{methode: IPS, organisatie: "{ORG}", verwijzer: GGZ, financier: UWV, {extra}}}) {{ revisie }} }}"#
        )
    };
    let gevallen: Vec<(&str, Value, Option<&str>, &str)> = vec![
        (
            "aanmelden",
            server.gql(Some(&coach), &aanmelden(r#"datum: "2026-12-31", regio: "AM13""#), json!({})).await,
            Some("invoer.datum"),
            "datum_in_de_toekomst",
        ),
        (
            "aanmelden",
            server.gql(Some(&coach), &aanmelden(r#"datum: "2026-01-05", regio: "AM99""#), json!({})).await,
            Some("invoer.regio"),
            "ongeldige_waarde",
        ),
        (
            "intakeAfronden",
            wijzig(&server, &coach, &id, "intakeAfronden", "2026-01-13", ", uitkering: WW, inGgzBehandeling: false").await,
            None,
            "intake_al_afgerond",
        ),
        (
            "werkgeverscontact",
            wijzig(&server, &coach, &id, "werkgeverscontact", "2026-01-01", r#", werkgever: "Kringloop", persoonlijk: true"#).await,
            Some("wijziging.datum"),
            "datum_voor_begin",
        ),
        (
            "plaatsingStarten",
            wijzig(&server, &coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 0, contract: Vast, betaald: true, regulier: true}"#).await,
            Some("plaatsing.urenPerWeek"),
            "ongeldige_waarde",
        ),
        (
            "plaatsingStarten",
            wijzig(&server, &coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 20, contract: Tijdelijk, betaald: true, regulier: true}"#).await,
            Some("plaatsing.einddatum"),
            "ongeldige_waarde",
        ),
        (
            "plaatsingStarten",
            wijzig(&server, &coach, &id, "plaatsingStarten", "2026-03-02", r#", plaatsing: {werkgever: "K", functie: "V", urenPerWeek: 20, contract: Tijdelijk, einddatum: "2026-03-01", betaald: true, regulier: true}"#).await,
            Some("plaatsing.einddatum"),
            "contract_einde_voor_start",
        ),
        (
            "plaatsingBeeindigen",
            wijzig(&server, &coach, &id, "plaatsingBeeindigen", "2026-03-02", &format!(r#", plaatsingId: "{vreemd}", reden: Ziekte"#)).await,
            Some("plaatsingId"),
            "plaatsing_onbekend",
        ),
        (
            "plaatsingBeeindigen",
            wijzig(&server, &coach, &id, "plaatsingBeeindigen", "2026-02-01", &format!(r#", plaatsingId: "{p}", reden: Ziekte"#)).await,
            Some("wijziging.datum"),
            "einde_voor_start",
        ),
        (
            "urenWijzigen",
            wijzig(&server, &coach, &id, "urenWijzigen", "2026-01-20", &format!(r#", plaatsingId: "{p}", urenPerWeek: 16"#)).await,
            Some("wijziging.datum"),
            "urenwijziging_buiten_plaatsing",
        ),
        (
            "urenWijzigen",
            wijzig(&server, &coach, &id, "urenWijzigen", "2026-03-02", &format!(r#", plaatsingId: "{p}", urenPerWeek: 61"#)).await,
            Some("urenPerWeek"),
            "ongeldige_waarde",
        ),
        (
            "opschalen",
            wijzig(&server, &coach, &id, "opschalen", "2026-03-02", ", reden: Werkproblemen").await,
            None,
            "niet_in_waakvlam",
        ),
        (
            "werkgeverscontact",
            wijzig(
                &server,
                &coach,
                &id,
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
            wijzig(&server, &coach, &id, "intrekken", "2026-03-02", &format!(r#", gebeurtenisId: "{vreemd}", reden: Invoerfout"#)).await,
            Some("intrekking.gebeurtenisId"),
            "gebeurtenis_onbekend",
        ),
        (
            "intrekken",
            wijzig(&server, &coach, &id, "intrekken", "2026-03-02", r#", gebeurtenisId: "geen-uuid", reden: Invoerfout"#).await,
            Some("intrekking.gebeurtenisId"),
            "ongeldige_waarde",
        ),
        (
            "afsluiten",
            wijzig(&server, &coach, &id, "afsluiten", "2026-03-02", ", reden: DuurzaamAanHetWerk").await,
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
    assert_eq!(revisie(&server, &coach, &id).await, 2);
}

/// A coach plans the next action: it is on the status and the caseload row, due from its day
/// on as a signal, refused before the day it is planned (naming `op`), and not plannable by a
/// coach of another organisation.
async fn a_next_action_is_planned_shown_due_and_kept_to_its_rules(server: Server) {
    let coach = token("coach-actie", "coach", Some(ORG));
    let id = traject(&server, &coach).await;
    let r = wijzig(
        &server,
        &coach,
        &id,
        "actiePlannen",
        "2026-02-01",
        r#", actie: Werkgeverscontact, op: "2026-02-20""#,
    )
    .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server
        .gql(
            Some(&coach),
            "query($id: ID!) { traject(id: $id, peildatum: \"2026-02-10\") { status { volgendeActie { actie op gepland } } tijdlijn { soort gegevens } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        r["data"]["traject"]["status"]["volgendeActie"],
        json!({"actie": "Werkgeverscontact", "op": "2026-02-20", "gepland": "2026-02-01"}),
        "{r}"
    );
    let tijdlijn = r["data"]["traject"]["tijdlijn"].as_array().unwrap();
    assert!(
        tijdlijn.iter().any(|t| t["soort"] == "ActieGepland"
            && t["gegevens"]["actie"] == "Werkgeverscontact"
            && t["gegevens"]["op"] == "2026-02-20"),
        "{r}"
    );

    let rij = |peildatum: &'static str| {
        let (server, coach, id) = (&server, &coach, &id);
        async move {
            let r = server
                .gql(
                    Some(coach),
                    "query($p: NaiveDate) { caseload(peildatum: $p) { items { trajectId volgendeActie { actie op } werkgeverscontactUiterlijk aandacht { soort op actie } } } }",
                    json!({"p": peildatum}),
                )
                .await;
            assert!(r["errors"].is_null(), "{r}");
            r["data"]["caseload"]["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["trajectId"] == id.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("the trajectory is in the caseload: {r}"))
        }
    };
    let voor = rij("2026-02-19").await;
    assert_eq!(voor["volgendeActie"]["op"], "2026-02-20", "{voor}");
    assert_eq!(voor["werkgeverscontactUiterlijk"], "2026-02-11", "{voor}");
    assert!(
        !voor["aandacht"].to_string().contains("ACTIE_TE_DOEN"),
        "{voor}"
    );
    let op = rij("2026-02-20").await;
    assert!(
        op["aandacht"].as_array().unwrap().contains(
            &json!({"soort": "ACTIE_TE_DOEN", "op": "2026-02-20", "actie": "Werkgeverscontact"})
        ),
        "{op}"
    );

    // Before the day it is planned: refused, naming the field as sent, nothing written.
    let voor_revisie = revisie(&server, &coach, &id).await;
    let r = wijzig(
        &server,
        &coach,
        &id,
        "actiePlannen",
        "2026-02-10",
        r#", actie: Gesprek, op: "2026-02-09""#,
    )
    .await;
    assert_eq!(
        r["errors"][0]["extensions"]["regel"], "actie_voor_planning",
        "{r}"
    );
    assert_eq!(r["errors"][0]["extensions"]["veld"], "op", "{r}");
    assert_eq!(revisie(&server, &coach, &id).await, voor_revisie);

    // A coach of another organisation cannot plan on it.
    let ander = token("coach-elders", "coach", Some("org-elders"));
    let query = mutatie(
        "actiePlannen",
        r#", actie: Gesprek, op: "2026-03-01""#,
        "eventId",
    );
    let r = server
        .gql(
            Some(&ander),
            &query,
            json!({"id": id, "rev": voor_revisie, "datum": "2026-02-10"}),
        )
        .await;
    assert!(
        matches!(code(&r), Some("FORBIDDEN") | Some("NOT_FOUND")),
        "{r}"
    );
    assert_eq!(revisie(&server, &coach, &id).await, voor_revisie);
}

op_elke_store!(
    a_next_action_is_planned_shown_due_and_kept_to_its_rules,
    two_small_jobs_add_up_to_duurzaam,
    retraction_without_a_date_and_closing_with_confirmation,
    every_refusal_names_the_input_as_sent,
);

//! The import's upload from outside, over HTTP, on each store: a teamleider's proef writes
//! nothing, the import writes each trajectory whole with its access-log entry and the import on
//! behalf of the caller as actor, the same file again changes nothing, and the caseload shows
//! what was imported. A coach, a request without a token, unknown parameters and files that
//! cannot be read are refused with their code, field and rule, and write nothing; a refusal of
//! the role is in the access log. A connection cut before the answer does not stop the import.

use serde_json::Value;
use traject_store::{Direction, ReadFrom, StreamName};

use crate::api::CaseloadVraag;
use crate::helpers::{Server, token};

const BESTAND: &str = "Clientnummer;Aanmelddatum;Methode;Verwijzer;Financier;Intakedatum;Coach;Uitkering;GGZ-behandeling;Naam;Geboortedatum\r\n\
    101;05-01-2026;IPS;GGZ;Gemeente;12-01-2026;coach-a1;WIA;ja;Ilse Importeer;01-02-1985\r\n\
    102;2026-02-01;werk als beste zorg;UWV;UWV;;;;;;\r\n";

struct Antwoord {
    status: u16,
    body: Value,
}

async fn upload(server: &Server, token: Option<&str>, query: &str, body: Vec<u8>) -> Antwoord {
    let url = server.url.replace("/graphql", &format!("/import{query}"));
    let mut request = server.client.post(url).body(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    Antwoord { status, body }
}

/// The token of org-a's teamleider, whose team has coach-a1 (the coach `BESTAND` names).
async fn teamleider_met_coach(server: &Server) -> String {
    server
        .teamleider("tl-a", "org-a")
        .coach_toevoegen("coach-a1", None)
        .await
        .unwrap();
    token("tl-a", "teamleider", Some("org-a"))
}

async fn head(server: &Server) -> Option<u64> {
    server.store.head().await.unwrap().map(|p| p.0)
}

async fn import_over_http(server: Server) {
    let teamleider = teamleider_met_coach(&server).await;
    let voor = head(&server).await;

    let proef = upload(&server, Some(&teamleider), "?proef=ja", BESTAND.into()).await;
    assert_eq!(proef.status, 200, "{}", proef.body);
    assert_eq!(proef.body["proef"], true);
    assert_eq!(proef.body["tellingen"]["vastgelegd"], 2, "{}", proef.body);
    assert_eq!(proef.body["tellingen"]["gebeurtenissen"], 3);
    assert_eq!(head(&server).await, voor, "a proef writes nothing");

    let echt = upload(&server, Some(&teamleider), "?proef=nee", BESTAND.into()).await;
    assert_eq!(echt.status, 200, "{}", echt.body);
    assert_eq!(echt.body["tellingen"]["vastgelegd"], 2, "{}", echt.body);
    assert!(
        !echt.body.to_string().contains("Ilse"),
        "the report repeats no cell: {}",
        echt.body
    );
    let na = head(&server).await;
    assert!(na > voor);

    // The caseload shows it when the answer arrives; the name is in the vault.
    let gevonden = server
        .teamleider("tl-a", "org-a")
        .caseload(CaseloadVraag::organisatie().zoek("importeer"))
        .await
        .unwrap();
    assert_eq!(gevonden.totaal, 1);
    let rij = &gevonden.items[0];
    assert_eq!(rij.naam.as_deref(), Some("Ilse Importeer"));
    assert_eq!(rij.coach.as_deref(), Some("coach-a1"));
    assert_eq!(rij.fase, "Zoekend");

    // The events name the import on behalf of the teamleider; the access log has the import
    // by them.
    let stream = StreamName::new(format!("traject-{}", rij.traject_id)).unwrap();
    let events = server
        .store
        .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| e.metadata.actor.as_deref() == Some("import:tl-a"))
    );
    let regels = server.logregels().await;
    let imports: Vec<_> = regels
        .iter()
        .filter(|r| r.toegang.gebeurteniscode == "traject.importeren")
        .collect();
    assert_eq!(imports.len(), 2, "one entry per trajectory");
    assert!(imports.iter().all(|r| r.toegang.gebruiker == "tl-a"));

    // Again: nothing changes.
    let weer = upload(&server, Some(&teamleider), "?proef=nee", BESTAND.into()).await;
    assert_eq!(weer.status, 200);
    assert_eq!(weer.body["tellingen"]["ongewijzigd"], 2, "{}", weer.body);
    assert_eq!(head(&server).await, na);
}

async fn import_weigeringen(server: Server) {
    let voor = head(&server).await;
    let teamleider = token("tl-a", "teamleider", Some("org-a"));
    let coach = token("coach-a1", "coach", Some("org-a"));

    let zonder = upload(&server, None, "", BESTAND.into()).await;
    assert_eq!(zonder.status, 401);
    assert_eq!(
        zonder.body["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    let door_coach = upload(&server, Some(&coach), "?proef=nee", BESTAND.into()).await;
    assert_eq!(door_coach.status, 403, "{}", door_coach.body);
    assert_eq!(
        door_coach.body["errors"][0]["extensions"]["regel"],
        "alleen-teamleider"
    );
    let regels = server.logregels().await;
    assert!(
        regels
            .iter()
            .any(|r| r.toegang.gebeurteniscode == "traject.importeren"
                && r.toegang.gebruiker == "coach-a1"
                && r.toegang.resultaat == traject_api::toegangslog::Resultaat::Geweigerd)
    );

    let zonder_organisatie = token("tl-x", "teamleider", None);
    let a = upload(&server, Some(&zonder_organisatie), "", BESTAND.into()).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(
        a.body["errors"][0]["extensions"]["regel"],
        "alleen-in-eigen-organisatie"
    );

    let vreemd = upload(
        &server,
        Some(&teamleider),
        "?organisatie=org-b",
        BESTAND.into(),
    )
    .await;
    assert_eq!(vreemd.status, 400);
    assert_eq!(vreemd.body["errors"][0]["extensions"]["veld"], "parameters");
    let proef = upload(
        &server,
        Some(&teamleider),
        "?proef=misschien",
        BESTAND.into(),
    )
    .await;
    assert_eq!(proef.status, 400);
    assert_eq!(proef.body["errors"][0]["extensions"]["veld"], "proef");

    for (body, woord) in [
        (Vec::new(), "leeg"),
        (b"PK\x03\x04niet echt een xlsx".to_vec(), "XLSX"),
        (
            b"clientnummer;methode\r\n1;IPS\r\n".to_vec(),
            "aanmelddatum",
        ),
        (b"a;b\r\n1,2\r\n".to_vec(), "scheidingsteken"),
    ] {
        let a = upload(&server, Some(&teamleider), "?proef=nee", body).await;
        assert_eq!(a.status, 400, "{}", a.body);
        let fout = &a.body["errors"][0];
        assert_eq!(fout["extensions"]["veld"], "bestand", "{fout}");
        assert!(fout["message"].as_str().unwrap().contains(woord), "{fout}");
    }
    assert_eq!(head(&server).await, voor, "nothing refused is written");
}

/// Files up to 64 MiB are taken (the extractor's own limit of 2 MB no longer applies to the
/// upload), and a larger one is refused with the upload's own limit in its message.
async fn import_van_een_groot_bestand(server: Server) {
    const TRAJECTEN: usize = 2_000;
    let teamleider = token("tl-a", "teamleider", Some("org-a"));
    let voor = head(&server).await;
    // A column traject does not keep makes each row long: over 3 MB in all.
    let opmerking = "x".repeat(1_800);
    let mut bestand =
        String::from("clientnummer;aanmelddatum;methode;verwijzer;financier;opmerking\r\n");
    for i in 0..TRAJECTEN {
        bestand.push_str(&format!("{i};05-01-2026;IPS;GGZ;Gemeente;{opmerking}\r\n"));
    }
    assert!(bestand.len() > 3 * 1024 * 1024);
    let a = upload(&server, Some(&teamleider), "?proef=ja", bestand.into()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["tellingen"]["vastgelegd"], TRAJECTEN, "{}", a.body);
    assert_eq!(a.body["onbekendeKolommen"][0], "opmerking", "{}", a.body);

    let (status, antwoord) = aangekondigd(
        &server,
        Some(&teamleider),
        traject_api::import::MAX_BESTAND + 1,
    )
    .await;
    assert_eq!(status, "413", "{antwoord}");
    assert!(antwoord.contains("PAYLOAD_TOO_LARGE"), "{antwoord}");
    assert!(antwoord.contains("ten hoogste 64 MiB"), "{antwoord}");
    // Nobody but a teamleider of the organisation makes the server wait for a file: without a
    // token, or as a coach, the answer comes before any of the body is sent.
    let coach = token("coach-a1", "coach", Some("org-a"));
    for (wie, verwacht) in [(None, "401"), (Some(coach.as_str()), "403")] {
        let (status, antwoord) = aangekondigd(&server, wie, 10 * 1024 * 1024).await;
        assert_eq!(status, verwacht, "{antwoord}");
    }
    assert_eq!(
        head(&server).await,
        voor,
        "a proef and a refusal write nothing"
    );
}

/// The status and the whole answer to an upload whose headers announce `lengte` bytes, sent
/// without its body. The limit is decided on the announced length before any of the body is
/// read; a client still sending that many bytes may see the connection closed before it reads
/// the answer, so the test sends none.
async fn aangekondigd(server: &Server, token: Option<&str>, lengte: usize) -> (String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let adres = server
        .url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut verbinding = tokio::net::TcpStream::connect(&adres).await.unwrap();
    let bevoegd = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let verzoek = format!(
        "POST /import?proef=ja HTTP/1.1\r\nHost: {adres}\r\n{bevoegd}\
         Content-Length: {lengte}\r\nConnection: close\r\n\r\n"
    );
    verbinding.write_all(verzoek.as_bytes()).await.unwrap();
    let mut antwoord = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        verbinding.read_to_end(&mut antwoord),
    )
    .await
    .expect("an answer without the body")
    .unwrap();
    let antwoord = String::from_utf8_lossy(&antwoord).into_owned();
    let status = antwoord.split(' ').nth(1).unwrap_or_default().to_owned();
    (status, antwoord)
}

/// A cut connection does not stop an import halfway: it runs to its end in a task of its own.
async fn import_na_verbroken_verbinding(server: Server) {
    const TRAJECTEN: u64 = 1_500;
    let teamleider = token("tl-a", "teamleider", Some("org-a"));
    let mut bestand = String::from("clientnummer;aanmelddatum;methode;verwijzer;financier\r\n");
    for i in 0..TRAJECTEN {
        bestand.push_str(&format!("{i};05-01-2026;IPS;GGZ;Gemeente\r\n"));
    }
    let url = server.url.replace("/graphql", "/import?proef=nee");
    let afgebroken = server
        .client
        .post(url)
        .bearer_auth(&teamleider)
        .body(bestand)
        .timeout(std::time::Duration::from_millis(50))
        .send()
        .await;
    assert!(
        afgebroken.as_ref().is_err_and(reqwest::Error::is_timeout),
        "the client gave up before the answer: {afgebroken:?}"
    );
    let teamleider = server.teamleider("tl-a", "org-a");
    let begin = std::time::Instant::now();
    loop {
        let totaal = teamleider
            .caseload_totaal(CaseloadVraag::organisatie())
            .await
            .unwrap();
        if totaal == TRAJECTEN {
            break;
        }
        assert!(
            begin.elapsed() < std::time::Duration::from_secs(120),
            "{totaal} of {TRAJECTEN} trajectories imported"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// The import's event ids follow from the file's contents, so anyone who knows a client's
/// number and referral date can compute them. A coach of another organisation may not refer a
/// trajectory under such an id (`event_id_van_import`). And a trajectory another organisation
/// has under it (stored before that rule) does not get the import's rows: the import refuses it
/// (`traject_anders_vastgelegd`) and leaves it as it was.
async fn import_in_het_traject_van_een_ander(server: Server) {
    use traject_domain::event::{Event, EventData, TrajectAangemeld};
    use traject_domain::value::{
        ClientId, Datum, Financier, Methode, OrganisatieId, Regio, TrajectId, Verwijzer,
    };

    let teamleider = teamleider_met_coach(&server).await;
    // What the attacker computes: the id of org-a's import of client 101, referred 05-01-2026.
    let tabel = traject_import::bestand::lees(BESTAND.as_bytes()).unwrap();
    let doel = traject_import::Doel {
        organisatie: OrganisatieId::parse("org-a").unwrap(),
        regio: Some(Regio::parse("AM13").unwrap()),
        vandaag: chrono::Utc::now().date_naive(),
    };
    let opzet = traject_import::indeling::opzet(&tabel, &doel).unwrap();
    let eerste = opzet.trajecten[0].eerste_id;
    let voor = head(&server).await;
    let aanvaller = server.coach("coach-b1", "org-b");
    let f = aanvaller
        .aanmelden_met(
            crate::api::Aanmelding::new("org-b", "2026-01-05").met_event_id(&eerste.to_string()),
        )
        .await
        .unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert_eq!(f.regel.as_deref(), Some("event_id_van_import"), "{f}");
    assert_eq!(f.veld.as_deref(), Some("invoer.eventId"), "{f}");
    assert_eq!(head(&server).await, voor, "nothing refused is written");

    // org-b's trajectory under that id, as it could have been stored before.
    let stream = StreamName::new(TrajectId::van_aanmelding(eerste).stream_name()).unwrap();
    let aanmelding = traject_domain::stored::encode(&Event {
        id: eerste,
        datum: Datum::new(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).unwrap(),
        data: EventData::TrajectAangemeld(TrajectAangemeld {
            client_id: ClientId::new(uuid::Uuid::new_v4()).unwrap(),
            methode: Methode::Ips,
            regio: Regio::parse("AM13").unwrap(),
            organisatie: OrganisatieId::parse("org-b").unwrap(),
            verwijzer: Verwijzer::Ggz,
            financier: Financier::Uwv,
        }),
    });
    server
        .store
        .append(
            &stream,
            traject_store::ExpectedRevision::NoStream,
            vec![traject_store::NewEvent {
                id: aanmelding.id.as_uuid(),
                event_type: aanmelding.event_type,
                schema_version: aanmelding.schema_version,
                data: aanmelding.data,
                metadata: Default::default(),
                recorded_at: None,
            }],
        )
        .await
        .unwrap();

    let echt = upload(&server, Some(&teamleider), "?proef=nee", BESTAND.into()).await;
    assert_eq!(echt.status, 200, "{}", echt.body);
    assert_eq!(echt.body["tellingen"]["aangevuld"], 0, "{}", echt.body);
    assert_eq!(echt.body["tellingen"]["geweigerd"], 1, "{}", echt.body);
    assert_eq!(echt.body["tellingen"]["vastgelegd"], 1, "{}", echt.body);
    let geweigerd = &echt.body["trajecten"][0];
    assert_eq!(geweigerd["uitkomst"], "geweigerd", "{}", echt.body);
    assert_eq!(geweigerd["fout"]["regel"], "traject_anders_vastgelegd");

    // org-b's trajectory holds only its own aanmelding, and org-a's caseload has no trajectory
    // of client 101.
    let events = server
        .store
        .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    let gevonden = server
        .teamleider("tl-a", "org-a")
        .caseload(CaseloadVraag::organisatie().zoek("importeer"))
        .await
        .unwrap();
    assert_eq!(gevonden.totaal, 0, "{gevonden:?}");
}

op_elke_store!(
    import_over_http,
    import_weigeringen,
    import_van_een_groot_bestand,
    import_na_verbroken_verbinding,
    import_in_het_traject_van_een_ander
);

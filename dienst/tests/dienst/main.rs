//! The authorisation suite against the application layer itself: every role in every relation to
//! a trajectory and a client, for every kind of command. What is allowed is carried out; what is
//! refused writes nothing but a refused access-log entry.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use traject_dienst::kluis::Kluisdienst;
use traject_dienst::kluis::key::MasterKey;
use traject_dienst::kluis::storage::SqliteKluis;
use traject_dienst::toegangslog::{LogKey, ReadQuota, Resultaat, SqliteLog, Storage, Toegangslog};
use traject_dienst::traject::{Aanmelding, Opdracht, Wijziging};
use traject_dienst::{Dienst, DienstError, Gebruiker, Rol, Verzoeker};
use traject_domain::DuurzaamBeleid;
use traject_domain::event::WerkgeverContactGelegd;
use traject_domain::team::TeamCommand;
use traject_domain::value::*;
use traject_projections::Projecties;
use traject_store::{EventStore, SqliteStore};

fn vandaag() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

mod tussendoor;

async fn dienst(dir: &std::path::Path) -> Dienst {
    let store = SqliteStore::open(dir.join("events.sqlite")).await.unwrap();
    dienst_op(dir, Arc::new(store), "").await
}

/// The application layer over `store`, with its vault and access log in files named after
/// `naam` in `dir` (another instance over the same store takes another `naam`).
async fn dienst_op(dir: &std::path::Path, store: Arc<dyn EventStore>, naam: &str) -> Dienst {
    let kluis = Arc::new(
        Kluisdienst::start(
            Arc::new(SqliteKluis::open(&dir.join(format!("{naam}kluis.sqlite"))).unwrap()),
            MasterKey::random(),
        )
        .await
        .unwrap(),
    );
    let projecties = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&store)));
    let log = Toegangslog::open(
        Storage::Sqlite(SqliteLog::open(&dir.join(format!("{naam}toegangslog.sqlite"))).unwrap()),
        LogKey::random(),
        Arc::clone(&store),
        ReadQuota::new(0),
    )
    .await
    .unwrap();
    Dienst {
        log,
        store,
        projecties,
        kluis,
        vandaag,
        wacht: Duration::from_secs(10),
        bron: "test",
        team_bij_eerste_intake: false,
    }
}

fn gebruiker(id: &str, rol: Rol, org: Option<&str>) -> Gebruiker {
    Gebruiker {
        id: id.to_owned(),
        naam: id.to_owned(),
        rollen: vec![rol],
        organisatie: org.map(|o| OrganisatieId::parse(o).unwrap()),
        regio: Some(Regio::Am13),
    }
}

fn wie(g: &Gebruiker) -> Verzoeker<'_> {
    Verzoeker {
        gebruiker: g,
        correlatie: uuid::Uuid::now_v7(),
    }
}

fn aanmelding(org: &str, client: Option<ClientId>) -> Aanmelding {
    Aanmelding {
        datum: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        client_id: client,
        methode: Methode::Ips,
        regio: Regio::Am13,
        organisatie: OrganisatieId::parse(org).unwrap(),
        verwijzer: Verwijzer::parse("GGZ").unwrap(),
        financier: Financier::parse("Gemeente").unwrap(),
        event_id: None,
    }
}

fn contact() -> Opdracht {
    Opdracht::Werkgeverscontact(WerkgeverContactGelegd {
        werkgever: Werkgever::parse("Bakkerij").unwrap().into(),
        persoonlijk: true,
    })
}

/// Who asks, and what they should be allowed.
struct Geval {
    naam: &'static str,
    gebruiker: Gebruiker,
    /// Record on a trajectory of org-a with coach-a1 (as its coach, a colleague, an outsider).
    vastleggen: bool,
    /// Record on org-a's referral that has no coach yet (close it).
    vastleggen_zonder_coach: bool,
    /// Assign coach-a2 to org-a's trajectory.
    toewijzen: bool,
    /// Read the personal data of the client of coach-a1's trajectory.
    persoon: bool,
    /// Refer the client of coach-a1's trajectory again: whoever may read the client's file (a
    /// new referral has no coach, so it opens the file to every coach of the organisation).
    client_opnieuw: bool,
    /// Change org-a's team.
    team: bool,
    /// Erase a client.
    wissen: bool,
}

fn gevallen() -> Vec<Geval> {
    let g = gebruiker;
    let geval = |naam, gebruiker, [v, vz, t, p, c, tm, w]: [bool; 7]| Geval {
        naam,
        gebruiker,
        vastleggen: v,
        vastleggen_zonder_coach: vz,
        toewijzen: t,
        persoon: p,
        client_opnieuw: c,
        team: tm,
        wissen: w,
    };
    vec![
        geval(
            "eigen coach",
            g("coach-a1", Rol::Coach, Some("org-a")),
            [true, true, false, true, true, false, false],
        ),
        geval(
            "collega-coach",
            g("coach-a2", Rol::Coach, Some("org-a")),
            [false, true, false, false, false, false, false],
        ),
        geval(
            "coach zonder organisatie",
            g("coach-a1", Rol::Coach, None),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "eigen coach-id, andere organisatie",
            g("coach-a1", Rol::Coach, Some("org-b")),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "coach andere organisatie",
            g("coach-b1", Rol::Coach, Some("org-b")),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "teamleider",
            g("tl-a", Rol::Teamleider, Some("org-a")),
            [true, true, true, true, true, true, false],
        ),
        geval(
            "teamleider andere organisatie",
            g("tl-b", Rol::Teamleider, Some("org-b")),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "regio",
            g("regio-1", Rol::Regio, Some("org-a")),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "landelijk",
            g("landelijk-1", Rol::Landelijk, Some("org-a")),
            [false, false, false, false, false, false, false],
        ),
        geval(
            "beheerder",
            g("beheer-1", Rol::Beheerder, None),
            [false, false, false, false, false, true, true],
        ),
    ]
}

/// What a refusal must look like: FORBIDDEN, or (for a command refused by a rule of the team)
/// bad input; either way the newest entry is refused and nothing else was written.
async fn geweigerd(d: &Dienst, uitkomst: Result<impl std::fmt::Debug, DienstError>, wat: &str) {
    assert!(
        matches!(uitkomst, Err(DienstError::Verboden(_))),
        "{wat}: {uitkomst:?}"
    );
    let laatste = d.log.alle().await.unwrap().pop().unwrap();
    assert_eq!(laatste.toegang.resultaat, Resultaat::Geweigerd, "{wat}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_in_every_relation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dienst(dir.path()).await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    for coach in ["coach-a1", "coach-a2"] {
        d.team_wijzigen(
            &wie(&tl),
            &OrganisatieId::parse("org-a").unwrap(),
            TeamCommand::Toetreden(CoachId::parse(coach).unwrap()),
        )
        .await
        .unwrap();
    }
    for geval in gevallen() {
        let g = &geval.gebruiker;
        let w = wie(g);
        // A trajectory of org-a with coach-a1, and a referral of org-a without a coach.
        let a = d
            .aanmelden(&wie(&tl), aanmelding("org-a", None))
            .await
            .unwrap();
        let a = d
            .wijzig(
                &wie(&tl),
                Wijziging {
                    traject_id: a.traject_id,
                    revisie: 0,
                    datum: Some(NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()),
                    event_id: None,
                },
                Opdracht::IntakeAfronden {
                    coach: Some(CoachId::parse("coach-a1").unwrap()),
                    uitkering: Uitkering::parse("WW").unwrap(),
                    in_ggz_behandeling: false,
                },
            )
            .await
            .unwrap();
        let zonder = d
            .aanmelden(&wie(&tl), aanmelding("org-a", None))
            .await
            .unwrap();
        let dag = NaiveDate::from_ymd_opt(2026, 1, 7).unwrap();
        let wijziging = |v: &traject_dienst::traject::Vastgelegd| Wijziging {
            traject_id: v.traject_id,
            revisie: v.revisie,
            datum: Some(dag),
            event_id: None,
        };
        let naam = geval.naam;

        let r = d.wijzig(&w, wijziging(&a), contact()).await;
        if geval.vastleggen {
            assert!(r.is_ok(), "{naam}: vastleggen {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: vastleggen")).await
        }

        let sluiten = Opdracht::Afsluiten {
            afsluiting: traject_domain::event::TrajectAfgesloten {
                reden: AfsluitingsReden::parse("GeenWerkwens").unwrap(),
            },
            bevestigd: false,
        };
        let r = d.wijzig(&w, wijziging(&zonder), sluiten).await;
        if geval.vastleggen_zonder_coach {
            assert!(r.is_ok(), "{naam}: zonder coach {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: zonder coach")).await
        }

        let huidig = d
            .projecties
            .read()
            .traject(a.traject_id)
            .unwrap()
            .traject
            .revisie()
            .unwrap();
        let r = d
            .wijzig(
                &w,
                Wijziging {
                    revisie: huidig,
                    ..wijziging(&a)
                },
                Opdracht::CoachToewijzen(CoachId::parse("coach-a2").unwrap()),
            )
            .await;
        if geval.toewijzen {
            assert!(r.is_ok(), "{naam}: toewijzen {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: toewijzen")).await
        }

        let r = d.persoon(&w, a.client_id).await;
        if geval.persoon {
            assert!(r.is_ok(), "{naam}: persoon {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: persoon")).await
        }

        let org = g
            .organisatie
            .as_ref()
            .map_or("org-a", |o| o.as_str())
            .to_owned();
        let r = d.aanmelden(&w, aanmelding(&org, Some(a.client_id))).await;
        if geval.client_opnieuw {
            assert!(r.is_ok(), "{naam}: client opnieuw {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: client opnieuw")).await
        }

        let r = d
            .team_wijzigen(
                &w,
                &OrganisatieId::parse("org-a").unwrap(),
                TeamCommand::Toetreden(CoachId::parse("coach-x").unwrap()),
            )
            .await;
        if geval.team {
            assert!(r.is_ok(), "{naam}: team {r:?}");
            d.team_wijzigen(
                &w,
                &OrganisatieId::parse("org-a").unwrap(),
                TeamCommand::Vertrekken(CoachId::parse("coach-x").unwrap()),
            )
            .await
            .unwrap();
        } else {
            geweigerd(&d, r, &format!("{naam}: team")).await
        }

        let r = d
            .client_wissen(&w, zonder.client_id, WisReden::VerzoekClient)
            .await;
        if geval.wissen {
            assert!(r.is_ok(), "{naam}: wissen {r:?}")
        } else {
            geweigerd(&d, r, &format!("{naam}: wissen")).await
        }
    }
}

/// The team rule: a coach outside the team, or a typo, cannot be named; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_member_of_the_team_is_named_coach() {
    let dir = tempfile::tempdir().unwrap();
    let d = dienst(dir.path()).await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    let coach = gebruiker("coach-a1", Rol::Coach, Some("org-a"));
    let a = d
        .aanmelden(&wie(&tl), aanmelding("org-a", None))
        .await
        .unwrap();
    let w = Wijziging {
        traject_id: a.traject_id,
        revisie: 0,
        datum: Some(NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()),
        event_id: None,
    };
    for naam in ["coach-b1", "coahc-a1"] {
        let r = d
            .wijzig(
                &wie(&tl),
                w,
                Opdracht::CoachToewijzen(CoachId::parse(naam).unwrap()),
            )
            .await;
        assert!(
            matches!(&r, Err(DienstError::Invoer { veld, regel, .. }) if veld == "coach" && *regel == "coach_niet_in_team"),
            "{r:?}"
        );
    }
    // Without joining on the first intake (production's default), a coach's own intake waits
    // for the teamleider too.
    let intake = Opdracht::IntakeAfronden {
        coach: None,
        uitkering: Uitkering::parse("WW").unwrap(),
        in_ggz_behandeling: false,
    };
    let r = d.wijzig(&wie(&coach), w, intake.clone()).await;
    assert!(
        matches!(&r, Err(DienstError::Invoer { veld, .. }) if veld == "coach"),
        "{r:?}"
    );
    assert_eq!(
        d.projecties
            .read()
            .traject(a.traject_id)
            .unwrap()
            .traject
            .revisie(),
        Some(0)
    );
    d.team_wijzigen(
        &wie(&tl),
        &OrganisatieId::parse("org-a").unwrap(),
        TeamCommand::Toetreden(CoachId::parse("coach-a1").unwrap()),
    )
    .await
    .unwrap();
    d.wijzig(&wie(&coach), w, intake).await.unwrap();
}

fn persoonsgegevens() -> Persoonsgegevens {
    Persoonsgegevens {
        naam: Naam::parse("Ada Achternaam").unwrap(),
        geboortedatum: Geboortedatum::parse("1990-01-01", vandaag()).unwrap(),
        telefoon: None,
        email: None,
        bsn: None,
    }
}

/// An erasure is one act: the entry, a marker on every trajectory and the erasure's record are
/// committed together before the vault destroys the record; it runs to the end when the request
/// is cancelled; asked again, it says the client was erased already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_cannot_half_happen() {
    let dir = tempfile::tempdir().unwrap();
    let d = dienst(dir.path()).await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    let beheerder = gebruiker("beheer", Rol::Beheerder, None);
    let a = d
        .aanmelden(&wie(&tl), aanmelding("org-a", None))
        .await
        .unwrap();
    let b = d
        .aanmelden(&wie(&tl), aanmelding("org-a", Some(a.client_id)))
        .await
        .unwrap();
    d.persoonsgegevens_vastleggen(&wie(&tl), a.client_id, None, Ok(persoonsgegevens()))
        .await
        .unwrap();
    // The request gives up at once; the erasure goes on to the end.
    let verzoek = wie(&beheerder);
    let _ = tokio::time::timeout(
        Duration::from_micros(1),
        d.client_wissen(&verzoek, a.client_id, WisReden::VerzoekClient),
    )
    .await;
    let mut gewist = false;
    for _ in 0..200 {
        if d.kluis.read(a.client_id.as_uuid()).await.unwrap().gewist {
            gewist = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await; // a guard against a hang
    }
    assert!(gewist, "the erasure went on after the request gave up");
    let log = d.log.alle().await.unwrap();
    let entry = log
        .iter()
        .find(|r| r.toegang.correlatie == verzoek.correlatie)
        .expect("the erasure's entry");
    assert_eq!(entry.toegang.resultaat, Resultaat::Gelukt);
    for t in [a.traject_id, b.traject_id] {
        let stream = traject_store::StreamName::new(t.stream_name()).unwrap();
        let events = d
            .store
            .read_stream(
                &stream,
                traject_store::ReadFrom::Start,
                traject_store::Direction::Forwards,
                100,
            )
            .await
            .unwrap();
        let marker = events.last().unwrap();
        assert_eq!(marker.event_type, "PersoonsgegevensGewist");
        assert_eq!(
            marker.metadata.correlation_id,
            Some(verzoek.correlatie),
            "one act"
        );
    }
    // Asked again: done already, nothing left to mark.
    let opnieuw = d
        .client_wissen(&wie(&beheerder), a.client_id, WisReden::VerzoekClient)
        .await
        .unwrap();
    assert!(opnieuw.eerder_gewist);
    assert!(!opnieuw.gegevens_vernietigd);
    assert_eq!(opnieuw.trajecten_gemarkeerd, 0);
}

/// A server that stopped after recording an erasure but before the vault destroyed the record
/// completes it at its next start.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_recorded_before_a_stop_is_completed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let d = dienst(dir.path()).await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    let a = d
        .aanmelden(&wie(&tl), aanmelding("org-a", None))
        .await
        .unwrap();
    d.persoonsgegevens_vastleggen(&wie(&tl), a.client_id, None, Ok(persoonsgegevens()))
        .await
        .unwrap();
    // What the first step of an erasure commits, without the second.
    let w = traject_domain::client::encode_wissing(
        EventId::new(uuid::Uuid::now_v7()).unwrap(),
        &traject_domain::client::WissingVastgelegd {
            client_id: a.client_id,
        },
    );
    d.store
        .append(
            &traject_store::StreamName::new(traject_domain::client::WISSINGEN).unwrap(),
            traject_store::ExpectedRevision::Any,
            vec![traject_store::NewEvent {
                id: w.id.as_uuid(),
                event_type: w.event_type,
                schema_version: w.schema_version,
                data: w.data,
                metadata: traject_store::Metadata::default(),
                recorded_at: None,
            }],
        )
        .await
        .unwrap();
    assert!(
        d.kluis
            .read(a.client_id.as_uuid())
            .await
            .unwrap()
            .gegevens
            .is_some()
    );
    assert_eq!(d.voltooi_wissingen().await.unwrap(), 1);
    assert!(d.kluis.read(a.client_id.as_uuid()).await.unwrap().gewist);
    assert_eq!(d.voltooi_wissingen().await.unwrap(), 0, "done once");
}

/// A referral of the client racing their erasure: either the referral is stored first and gets
/// its marker, or it comes after and is refused; never an unmarked trajectory. After the
/// erasure the client is not referred again under the same id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_referral_escapes_an_erasure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dienst(dir.path()).await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    let beheerder = gebruiker("beheer", Rol::Beheerder, None);
    for _ in 0..8 {
        let a = d
            .aanmelden(&wie(&tl), aanmelding("org-a", None))
            .await
            .unwrap();
        let (w1, w2) = (wie(&tl), wie(&beheerder));
        let (verwijzing, wissing) = tokio::join!(
            d.aanmelden(&w1, aanmelding("org-a", Some(a.client_id))),
            d.client_wissen(&w2, a.client_id, WisReden::VerzoekClient),
        );
        wissing.unwrap();
        if let Ok(v) = verwijzing {
            let traject = d
                .projecties
                .read()
                .traject(v.traject_id)
                .unwrap()
                .traject
                .clone();
            assert!(
                traject.toestand().unwrap().gewist.is_some(),
                "a referral stored before the erasure has its marker"
            );
        }
        let na = d
            .aanmelden(&wie(&tl), aanmelding("org-a", Some(a.client_id)))
            .await;
        assert!(
            matches!(&na, Err(DienstError::Invoer { veld, regel, .. }) if veld == "client_id" && *regel == "client_gewist"),
            "{na:?}"
        );
    }
}

//! Facts an authorisation relied on, changed by another user between the check and the write:
//! the write is made on condition that they are as read, so the command is decided again.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use traject_dienst::traject::{Opdracht, Wijziging};
use traject_dienst::{DienstError, Rol};
use traject_domain::value::CoachId;
use traject_store::testing::{Onderschepper, Onderschept};
use traject_store::{Direction, EventStore, ReadFrom, SqliteStore, StreamAppend, StreamName};

use super::{aanmelding, dienst_op, gebruiker, wie};

type Haak = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs `haak` once, before the first atomic append that touches a client's stream: what another
/// user does between a command's check and its write.
struct Tussendoor {
    haak: Mutex<Option<Haak>>,
}

#[async_trait]
impl Onderschepper for Tussendoor {
    async fn voor_append_atomic(&self, parts: &[StreamAppend]) {
        if parts
            .iter()
            .any(|p| p.stream.as_str().starts_with("client-"))
        {
            let haak = self.haak.lock().unwrap().take();
            if let Some(haak) = haak {
                haak.await;
            }
        }
    }
}

/// A coach refers their client again while the teamleider gives the client's trajectory to
/// another coach: the referral was allowed on the trajectory as read, so the write, conditional
/// on it, conflicts; decided again, the coach may no longer read the client's file, and no
/// trajectory (which would open that file to every coach of the organisation) is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_allowed_by_a_trajectory_that_changes_meanwhile_is_decided_again() {
    let dir = tempfile::tempdir().unwrap();
    let binnen: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let tussendoor = Arc::new(Onderschept {
        binnen: Arc::clone(&binnen),
        onderschepper: Tussendoor {
            haak: Mutex::new(None),
        },
    });
    let d = dienst_op(dir.path(), tussendoor.clone(), "").await;
    let ander = dienst_op(dir.path(), Arc::clone(&binnen), "ander-").await;
    let tl = gebruiker("tl-a", Rol::Teamleider, Some("org-a"));
    let coach = gebruiker("coach-a1", Rol::Coach, Some("org-a"));
    for c in ["coach-a1", "coach-a2"] {
        d.team_wijzigen(
            &wie(&tl),
            &traject_domain::value::OrganisatieId::parse("org-a").unwrap(),
            traject_domain::team::TeamCommand::Toetreden(CoachId::parse(c).unwrap()),
        )
        .await
        .unwrap();
    }
    let t = d
        .aanmelden(&wie(&tl), aanmelding("org-a", None))
        .await
        .unwrap();
    let toewijzen = |revisie, aan: &str| {
        (
            Wijziging {
                traject_id: t.traject_id,
                revisie,
                datum: None,
                event_id: None,
            },
            Opdracht::CoachToewijzen(CoachId::parse(aan).unwrap()),
        )
    };
    let (w, o) = toewijzen(t.revisie, "coach-a1");
    let t1 = d.wijzig(&wie(&tl), w, o).await.unwrap();

    // Between the coach's check and write, the teamleider gives the trajectory to coach-a2.
    let (w, o) = toewijzen(t1.revisie, "coach-a2");
    let tl_ander = tl.clone();
    *tussendoor.onderschepper.haak.lock().unwrap() = Some(Box::pin(async move {
        ander.wijzig(&wie(&tl_ander), w, o).await.unwrap();
    }));
    let r = d
        .aanmelden(&wie(&coach), aanmelding("org-a", Some(t.client_id)))
        .await;
    assert!(
        matches!(
            r,
            Err(DienstError::Verboden("niet-eigen-client-of-organisatie"))
        ),
        "{r:?}"
    );
    assert!(
        tussendoor.onderschepper.haak.lock().unwrap().is_none(),
        "the other user acted"
    );
    let client = StreamName::new(format!("client-{}", t.client_id)).unwrap();
    let registraties = binnen
        .read_stream(&client, ReadFrom::Start, Direction::Forwards, 100)
        .await
        .unwrap();
    assert_eq!(registraties.len(), 1, "no second trajectory of the client");
}

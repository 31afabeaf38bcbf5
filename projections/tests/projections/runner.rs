//! The runner against a real store: read-your-writes, a bounded wait, rebuilding from zero, and
//! resuming from a checkpoint.

use std::sync::Arc;
use std::time::Duration;

use traject_domain::DuurzaamBeleid;
use traject_projections::cijfers::regiocijfers;
use traject_projections::kenmerken::Kenmerken;
use traject_projections::overzicht::overzicht;
use traject_projections::{Projecties, ProjectionError, ReadModel};
use traject_store::{EventStore, Position, SqliteStore};

use crate::helpers::{date, demo, load};

/// A guard against a hang, not a timing assertion.
const PATIENCE: Duration = Duration::from_secs(60);

fn kenmerken(model: &ReadModel) -> Vec<Kenmerken> {
    let mut all: Vec<Kenmerken> = model.kenmerken().cloned().collect();
    all.sort_by_key(|k| k.traject_id);
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_is_visible_once_waited_for_and_a_wait_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("e.sqlite"))
            .await
            .unwrap(),
    );
    let projecties = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&store)));

    let (_, data) = demo(1, 5);
    let position = load(store.as_ref(), &data).await;
    projecties.wait_for(position, PATIENCE).await.unwrap();
    let o = overzicht(&projecties.read(), data[0].id, date("2026-06-30")).expect("visible");
    assert_eq!(o.tijdlijn.len(), data[0].events.len());

    let far = Position(position.0 + 1000);
    match projecties.wait_for(far, Duration::from_millis(50)).await {
        Err(ProjectionError::Timeout {
            wacht_op, staat_op, ..
        }) => {
            assert_eq!(wacht_op, far);
            assert_eq!(staat_op, Some(position));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_from_zero_equals_following_live_and_resuming_from_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("e.sqlite"))
            .await
            .unwrap(),
    );
    let (_, data) = demo(600, 9);
    let (first, second) = data.split_at(300);

    // Live: following while the events are written.
    let live = Projecties::new(DuurzaamBeleid::default());
    let live_task = tokio::spawn(Arc::clone(&live).follow(Arc::clone(&store)));
    let half = load(store.as_ref(), first).await;
    live.wait_for(half, PATIENCE).await.unwrap();

    // A process that stops at the checkpoint and resumes from its saved model.
    live_task.abort();
    let saved: ReadModel = live.read().clone();
    assert_eq!(saved.checkpoint(), Some(half));
    let resumed = Projecties::from_model(saved);
    tokio::spawn(Arc::clone(&resumed).follow(Arc::clone(&store)));
    let end = load(store.as_ref(), second).await;
    resumed.wait_for(end, PATIENCE).await.unwrap();

    // From zero, over everything.
    let rebuilt = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&rebuilt).follow(Arc::clone(&store)));
    rebuilt.wait_for(end, PATIENCE).await.unwrap();

    let (a, b) = (resumed.read(), rebuilt.read());
    assert_eq!(a.len(), 600);
    assert_eq!(kenmerken(&a), kenmerken(&b));
    let peildatum = date("2026-06-30");
    let (van, tot) = ("2020Q1".parse().unwrap(), "2026Q2".parse().unwrap());
    assert_eq!(
        regiocijfers(&a, peildatum, van, tot),
        regiocijfers(&b, peildatum, van, tot)
    );
}

#[test]
fn applying_an_event_twice_changes_nothing() {
    let (_, data) = demo(50, 13);
    let events = crate::helpers::recorded(&crate::helpers::pairs(&data));
    let mut once = ReadModel::new(DuurzaamBeleid::default());
    let mut twice = ReadModel::new(DuurzaamBeleid::default());
    for e in &events {
        once.apply(e).unwrap();
        twice.apply(e).unwrap();
        twice.apply(e).unwrap();
    }
    for e in &events[..10] {
        twice.apply(e).unwrap(); // old positions again, after the end
    }
    once.refresh();
    twice.refresh();
    assert_eq!(kenmerken(&once), kenmerken(&twice));
    assert_eq!(once.checkpoint(), twice.checkpoint());
}

/// A store whose first `storingen` subscriptions hand out at most three events and then fail,
/// as a store does whose connection is cut or whose file has a damaged page.
struct Haperend {
    storingen: std::sync::atomic::AtomicUsize,
}

impl traject_store::testing::Onderschepper for Haperend {
    fn subscription(&self, echt: traject_store::Subscription) -> traject_store::Subscription {
        use futures::StreamExt;
        use std::sync::atomic::Ordering;
        let over = self.storingen.load(Ordering::SeqCst);
        if over == 0 {
            return echt;
        }
        self.storingen.store(over - 1, Ordering::SeqCst);
        traject_store::Subscription::from_stream(
            echt.take(3)
                .chain(futures::stream::once(async {
                    Err(traject_store::StoreError::Database(
                        "verbinding verbroken".to_owned(),
                    ))
                }))
                .boxed(),
        )
    }
}

/// A failed read does not stop the projections: they start again from their checkpoint, say
/// meanwhile that they are recovering, and end up with every event applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_reads_are_tried_again_until_the_model_is_whole() {
    use traject_projections::Toestand;
    let dir = tempfile::tempdir().unwrap();
    let echt: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("e.sqlite"))
            .await
            .unwrap(),
    );
    let (_, data) = demo(12, 29);
    let position = load(echt.as_ref(), &data).await;
    let store: Arc<dyn EventStore> = Arc::new(traject_store::testing::Onderschept {
        binnen: Arc::clone(&echt),
        onderschepper: Haperend {
            storingen: std::sync::atomic::AtomicUsize::new(4),
        },
    });
    let projecties = Projecties::new(DuurzaamBeleid::default());
    let mut toestanden = projecties.toestanden();
    tokio::spawn(Arc::clone(&projecties).follow_retrying(store));
    let mut herstelde = false;
    while !herstelde {
        toestanden.changed().await.unwrap();
        herstelde = matches!(*toestanden.borrow(), Toestand::Herstelt { .. });
    }
    projecties.wait_for(position, PATIENCE).await.unwrap();
    assert_eq!(projecties.toestand(), Toestand::Volgt);
    let verwacht = Projecties::build(echt.as_ref(), DuurzaamBeleid::default())
        .await
        .unwrap();
    assert_eq!(kenmerken(&projecties.read()), kenmerken(&verwacht.read()));
}

/// An event that does not fit its trajectory stops the projections for good, and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_that_does_not_fit_stops_them_and_says_so() {
    use traject_projections::Toestand;
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("e.sqlite"))
            .await
            .unwrap(),
    );
    let stream =
        traject_store::StreamName::new(format!("traject-{}", uuid::Uuid::now_v7())).unwrap();
    store
        .append(
            &stream,
            traject_store::ExpectedRevision::Any,
            vec![traject_store::testing::test_event(
                serde_json::json!({"onzin": true}),
            )],
        )
        .await
        .unwrap();
    let projecties = Projecties::new(DuurzaamBeleid::default());
    let mut toestanden = projecties.toestanden();
    tokio::spawn(Arc::clone(&projecties).follow_retrying(store));
    loop {
        toestanden.changed().await.unwrap();
        if let Toestand::Gestopt(reden) = &*toestanden.borrow() {
            assert!(reden.contains(stream.as_str()), "{reden}");
            break;
        }
    }
}

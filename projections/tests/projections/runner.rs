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
    tokio::spawn(Arc::clone(&projecties).volg(Arc::clone(&store)));

    let (_, data) = demo(1, 5);
    let position = load(store.as_ref(), &data).await;
    projecties.wacht_tot(position, PATIENCE).await.unwrap();
    let o = overzicht(&projecties.lees(), data[0].id, date("2026-06-30")).expect("visible");
    assert_eq!(o.tijdlijn.len(), data[0].events.len());

    let far = Position(position.0 + 1000);
    match projecties.wacht_tot(far, Duration::from_millis(50)).await {
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
    let live_task = tokio::spawn(Arc::clone(&live).volg(Arc::clone(&store)));
    let half = load(store.as_ref(), first).await;
    live.wacht_tot(half, PATIENCE).await.unwrap();

    // A process that stops at the checkpoint and resumes from its saved model.
    live_task.abort();
    let saved: ReadModel = live.lees().clone();
    assert_eq!(saved.checkpoint(), Some(half));
    let resumed = Projecties::from_model(saved);
    tokio::spawn(Arc::clone(&resumed).volg(Arc::clone(&store)));
    let end = load(store.as_ref(), second).await;
    resumed.wacht_tot(end, PATIENCE).await.unwrap();

    // From zero, over everything.
    let rebuilt = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&rebuilt).volg(Arc::clone(&store)));
    rebuilt.wacht_tot(end, PATIENCE).await.unwrap();

    let (a, b) = (resumed.lees(), rebuilt.lees());
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

//! Snapshots: a restored model equals the saved one, resuming from it plus the tail equals a
//! rebuild from zero, and a snapshot that does not fit the store or is damaged is refused.

use std::sync::Arc;
use std::time::Duration;

use traject_domain::DuurzaamBeleid;
use traject_projections::snapshot::{self, SnapshotError};
use traject_projections::{Projecties, ReadModel};
use traject_store::{EventStore, Position, SqliteStore};

use crate::helpers::{date, demo, load};

const PATIENCE: Duration = Duration::from_secs(60);

async fn store(dir: &tempfile::TempDir, name: &str) -> Arc<dyn EventStore> {
    Arc::new(SqliteStore::open(dir.path().join(name)).await.unwrap())
}

async fn followed(store: &Arc<dyn EventStore>, until: Position) -> Arc<Projecties> {
    let projecties = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(store)));
    projecties.wait_for(until, PATIENCE).await.unwrap();
    projecties
}

/// Everything a query can see of a model, in a stable order.
fn zicht(model: &ReadModel) -> Vec<String> {
    let mut all: Vec<String> = model
        .entries()
        .map(|e| {
            format!(
                "{:?} {:?} {:?}",
                e.kenmerken,
                e.opgenomen,
                e.traject.events()
            )
        })
        .collect();
    all.sort();
    all.push(format!(
        "{:?} {:?}",
        model.checkpoint(),
        model.laatste_event()
    ));
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_model_equals_the_saved_one_and_resumes_like_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir, "e.sqlite").await;
    let (_, data) = demo(400, 21);
    let (first, second) = data.split_at(250);
    let half = load(store.as_ref(), first).await;
    let saved = followed(&store, half).await;
    let pad = dir.path().join("p.snapshot");
    assert_eq!(saved.save(&pad).unwrap(), Some(half));

    let restored = snapshot::load(&pad, store.as_ref(), DuurzaamBeleid::default())
        .await
        .unwrap()
        .expect("a snapshot");
    assert_eq!(zicht(&restored), zicht(&saved.read()));
    assert_eq!(restored.len(), 250);

    // Resume from the snapshot while more is written; compare with a rebuild from zero.
    let resumed = Projecties::restore(&pad, store.as_ref(), DuurzaamBeleid::default()).await;
    assert_eq!(resumed.positie(), Some(half));
    tokio::spawn(Arc::clone(&resumed).follow(Arc::clone(&store)));
    let end = load(store.as_ref(), second).await;
    resumed.wait_for(end, PATIENCE).await.unwrap();
    let rebuilt = followed(&store, end).await;
    assert_eq!(zicht(&resumed.read()), zicht(&rebuilt.read()));
    let peildatum = date("2026-06-30");
    let (van, tot) = ("2020Q1".parse().unwrap(), "2026Q2".parse().unwrap());
    assert_eq!(
        traject_projections::cijfers::regiocijfers(&resumed.read(), peildatum, van, tot),
        traject_projections::cijfers::regiocijfers(&rebuilt.read(), peildatum, van, tot)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_of_another_store_a_damaged_or_a_missing_one_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let store_a = store(&dir, "a.sqlite").await;
    let (_, data) = demo(60, 22);
    let head = load(store_a.as_ref(), &data).await;
    let pad = dir.path().join("a.snapshot");
    followed(&store_a, head).await.save(&pad).unwrap();
    let beleid = DuurzaamBeleid::default;

    // Missing: nothing to resume from, and no error.
    let missing = snapshot::load(&dir.path().join("none"), store_a.as_ref(), beleid()).await;
    assert!(matches!(missing, Ok(None)));

    // Another store with as many events, but other ones: refused, and the runner starts from zero.
    let store_b = store(&dir, "b.sqlite").await;
    let (_, other) = demo(60, 23);
    load(store_b.as_ref(), &other).await;
    let refused = snapshot::load(&pad, store_b.as_ref(), beleid()).await;
    assert!(
        matches!(refused, Err(SnapshotError::Onbruikbaar { .. })),
        "{refused:?}"
    );
    let empty = store(&dir, "c.sqlite").await;
    let refused = snapshot::load(&pad, empty.as_ref(), beleid()).await;
    assert!(
        matches!(refused, Err(SnapshotError::Onbruikbaar { .. })),
        "{refused:?}"
    );
    let fresh = Projecties::restore(&pad, store_b.as_ref(), beleid()).await;
    assert_eq!(fresh.positie(), None);

    // Damaged: one flipped byte in the last section, or cut short.
    let bytes = std::fs::read(&pad).unwrap();
    let mut flipped = bytes.clone();
    let at = flipped.len() - 10;
    flipped[at] ^= 0x20;
    let damaged = dir.path().join("damaged.snapshot");
    for broken in [
        flipped,
        bytes[..bytes.len() / 2].to_vec(),
        b"rubbish".to_vec(),
    ] {
        std::fs::write(&damaged, &broken).unwrap();
        let refused = snapshot::load(&damaged, store_a.as_ref(), beleid()).await;
        assert!(
            matches!(refused, Err(SnapshotError::Onbruikbaar { .. })),
            "{refused:?}"
        );
    }

    // The intact file is still used.
    let used = snapshot::load(&pad, store_a.as_ref(), beleid())
        .await
        .unwrap();
    assert_eq!(used.and_then(|m| m.checkpoint()), Some(head));
}

#[test]
fn a_batch_applied_on_every_core_equals_one_event_at_a_time() {
    let (_, data) = demo(300, 24);
    let mut events = crate::helpers::recorded(&crate::helpers::pairs(&data));
    // Interleave the trajectories as a store would, keeping each one's order.
    events.sort_by_key(|e| (e.revision, e.stream.to_string()));
    for (i, e) in events.iter_mut().enumerate() {
        e.position = Position(i as u64 + 1);
    }
    assert!(
        events.len() > 4_096,
        "large enough to be applied in parallel"
    );

    let mut one_by_one = ReadModel::new(DuurzaamBeleid::default());
    for e in &events {
        one_by_one.apply(e).unwrap();
    }
    one_by_one.refresh();
    let mut batched = ReadModel::new(DuurzaamBeleid::default());
    let (a, b) = events.split_at(events.len() / 3);
    batched.apply_batch(a).unwrap();
    batched.refresh();
    batched.apply_batch(&events[..events.len() / 2]).unwrap(); // partly seen already
    batched.apply_batch(b).unwrap();
    batched.refresh();
    assert_eq!(zicht(&one_by_one), zicht(&batched));
}

/// A snapshot is taken (`opname`) and written while the model goes on: events of the same
/// trajectories and new ones are applied in between. The file is the model as it was when taken
/// (its checkpoint, its events), and the model keeps what came after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_is_the_model_as_taken_while_the_model_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir, "e.sqlite").await;
    let (_, data) = demo(300, 23);
    // Every trajectory's first half of its events, then the rest of them.
    let helft = |t: &traject_demo::DemoTraject| t.events.len().div_ceil(2);
    let eerste: Vec<traject_demo::DemoTraject> = data
        .iter()
        .map(|t| traject_demo::DemoTraject {
            events: t.events[..helft(t)].to_vec(),
            ..t.clone()
        })
        .collect();
    let tot = load(store.as_ref(), &eerste).await;
    let projecties = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&store)));
    projecties.wait_for(tot, PATIENCE).await.unwrap();
    let zoals_genomen = zicht(&projecties.read());
    let opname = snapshot::take(&projecties.read()).expect("events applied");
    assert_eq!(opname.checkpoint(), tot);

    let mut laatste = tot;
    for t in data.iter().filter(|t| t.events.len() > helft(t)) {
        let stream = traject_store::StreamName::new(t.id.stream_name()).unwrap();
        let rest = t.events[helft(t)..]
            .iter()
            .map(crate::helpers::new_event)
            .collect();
        laatste = store
            .append(&stream, traject_store::ExpectedRevision::Any, rest)
            .await
            .unwrap()
            .position;
    }
    projecties.wait_for(laatste, PATIENCE).await.unwrap();
    assert_ne!(zicht(&projecties.read()), zoals_genomen);

    let pad = dir.path().join("p.snapshot");
    assert_eq!(opname.save(&pad).unwrap(), tot);
    let geladen = snapshot::load(&pad, store.as_ref(), DuurzaamBeleid::default())
        .await
        .unwrap()
        .expect("a snapshot");
    assert_eq!(zicht(&geladen), zoals_genomen);
}

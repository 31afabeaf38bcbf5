//! The contract of `EventStore`, as generic tests every backend must pass.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use traject_store::{
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, Position, ReadFrom, StoreError,
    StreamAppend, StreamFilter, Subscription,
};
use uuid::Uuid;

use crate::fixtures::{event, stream};

type Store = Arc<dyn EventStore>;

/// A guard against a hang, not a timing assertion: a correct store answers long before.
const PATIENCE: Duration = Duration::from_secs(60);

async fn next_event(sub: &mut Subscription) -> traject_store::RecordedEvent {
    tokio::time::timeout(PATIENCE, sub.next())
        .await
        .expect("the subscription delivers")
        .expect("the subscription is open")
        .expect("no error")
}

async fn all_events(store: &Store) -> Vec<traject_store::RecordedEvent> {
    store
        .read_all(None, &StreamFilter::all(), usize::MAX)
        .await
        .unwrap()
}

pub async fn append_and_read_back_the_envelope(store: Store) {
    assert_eq!(store.head().await.unwrap(), None);
    let s = stream("traject-envelope");
    let mut events: Vec<NewEvent> = (0..3).map(event).collect();
    let correlation = Uuid::now_v7();
    events[1].metadata = Metadata {
        actor: Some("coach-anna".to_owned()),
        correlation_id: Some(correlation),
        causation_id: Some(events[0].id),
    };
    events[2].schema_version = 4;
    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    let result = store
        .append(&s, ExpectedRevision::NoStream, events.clone())
        .await
        .unwrap();
    assert_eq!(result.revision, 2);
    assert_eq!(store.head().await.unwrap(), Some(result.position));

    let read = store
        .read_stream(&s, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(read.len(), 3);
    for (i, (recorded, sent)) in read.iter().zip(&events).enumerate() {
        assert_eq!(recorded.id, sent.id);
        assert_eq!(recorded.stream, s);
        assert_eq!(recorded.revision, i as u64);
        assert_eq!(recorded.event_type, sent.event_type);
        assert_eq!(recorded.schema_version, sent.schema_version);
        assert_eq!(recorded.data, sent.data);
        assert_eq!(recorded.metadata, sent.metadata);
        assert!(recorded.recorded_at >= before && recorded.recorded_at <= chrono::Utc::now());
    }
    assert!(read.windows(2).all(|w| w[0].position < w[1].position));
    assert_eq!(read[2].position, result.position);
}

/// A copy of a store (`traject herschrijf`) gives each event the time it was first recorded;
/// every other write is recorded now.
pub async fn a_copied_event_keeps_its_recording_time(store: Store) {
    let s = stream("traject-kopie");
    let toen = chrono::DateTime::parse_from_rfc3339("2019-05-06T07:08:09.123456Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let mut events: Vec<NewEvent> = (0..2).map(event).collect();
    events[0].recorded_at = Some(toen);
    let before = chrono::Utc::now() - chrono::Duration::seconds(5);
    store
        .append(&s, ExpectedRevision::NoStream, events)
        .await
        .unwrap();
    let read = store
        .read_stream(&s, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(read[0].recorded_at, toen);
    assert!(read[1].recorded_at >= before);
}

fn assert_conflict(
    result: Result<traject_store::AppendResult, StoreError>,
    want_actual: Option<u64>,
) {
    match result {
        Err(StoreError::WrongExpectedVersion { actual, .. }) => assert_eq!(actual, want_actual),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

pub async fn every_expected_revision_case(store: Store) {
    let (new, existing) = (stream("traject-new"), stream("traject-existing"));
    store
        .append(
            &existing,
            ExpectedRevision::NoStream,
            vec![event(0), event(1)],
        )
        .await
        .unwrap();
    let count = |s| {
        let store = store.clone();
        async move {
            store
                .read_stream(&s, ReadFrom::Start, Direction::Forwards, 100)
                .await
                .unwrap()
                .len()
        }
    };
    let head = store.head().await.unwrap();

    // Refusals, each with the actual revision and nothing written.
    assert_conflict(
        store
            .append(&existing, ExpectedRevision::NoStream, vec![event(9)])
            .await,
        Some(1),
    );
    assert_conflict(
        store
            .append(&new, ExpectedRevision::StreamExists, vec![event(9)])
            .await,
        None,
    );
    assert_conflict(
        store
            .append(&existing, ExpectedRevision::Exact(0), vec![event(9)])
            .await,
        Some(1),
    );
    assert_conflict(
        store
            .append(&existing, ExpectedRevision::Exact(2), vec![event(9)])
            .await,
        Some(1),
    );
    assert_conflict(
        store
            .append(&new, ExpectedRevision::Exact(0), vec![event(9)])
            .await,
        None,
    );
    assert_eq!(count(existing.clone()).await, 2);
    assert_eq!(count(new.clone()).await, 0);
    assert_eq!(store.head().await.unwrap(), head);

    // Acceptances.
    assert_eq!(
        store
            .append(&existing, ExpectedRevision::Exact(1), vec![event(2)])
            .await
            .unwrap()
            .revision,
        2
    );
    assert_eq!(
        store
            .append(&existing, ExpectedRevision::StreamExists, vec![event(3)])
            .await
            .unwrap()
            .revision,
        3
    );
    assert_eq!(
        store
            .append(&existing, ExpectedRevision::Any, vec![event(4)])
            .await
            .unwrap()
            .revision,
        4
    );
    assert_eq!(
        store
            .append(&new, ExpectedRevision::Any, vec![event(0)])
            .await
            .unwrap()
            .revision,
        0
    );
    let other = stream("traject-other");
    assert_eq!(
        store
            .append(&other, ExpectedRevision::NoStream, vec![event(0)])
            .await
            .unwrap()
            .revision,
        0
    );
}

pub async fn racing_appends_each_revision_won_once(store: Store) {
    let s = stream("traject-race");
    store
        .append(&s, ExpectedRevision::NoStream, vec![event(0)])
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for task in 0..32u64 {
        let (store, s) = (store.clone(), s.clone());
        tasks.push(tokio::spawn(async move {
            let mine = event(task + 1);
            let mut conflicts = 0;
            loop {
                let last = store
                    .read_stream(&s, ReadFrom::End, Direction::Backwards, 1)
                    .await
                    .unwrap();
                let revision = last[0].revision;
                match store
                    .append(&s, ExpectedRevision::Exact(revision), vec![mine.clone()])
                    .await
                {
                    Ok(result) => return (mine.id, result.revision, conflicts),
                    Err(StoreError::WrongExpectedVersion { actual, .. }) => {
                        assert!(
                            actual > Some(revision),
                            "a conflict reports a newer revision"
                        );
                        conflicts += 1;
                    }
                    Err(e) => panic!("unexpected error: {e}"),
                }
            }
        }));
    }
    let mut won = BTreeMap::new();
    for task in tasks {
        let (id, revision, _) = task.await.unwrap();
        assert!(
            won.insert(revision, id).is_none(),
            "revision {revision} won twice"
        );
    }
    assert_eq!(
        won.keys().copied().collect::<Vec<_>>(),
        (1..=32).collect::<Vec<u64>>()
    );
    let stored = store
        .read_stream(&s, ReadFrom::Start, Direction::Forwards, 100)
        .await
        .unwrap();
    assert_eq!(stored.len(), 33, "nothing lost, nothing duplicated");
    for e in &stored[1..] {
        assert_eq!(won[&e.revision], e.id);
    }
}

pub async fn a_retried_append_returns_the_original_result(store: Store) {
    let s = stream("traject-retry");
    let events = vec![event(0), event(1)];
    let first = store
        .append(&s, ExpectedRevision::NoStream, events.clone())
        .await
        .unwrap();
    store
        .append(&s, ExpectedRevision::Exact(1), vec![event(2)])
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    // The reply was lost; the caller retries with the same ids, content and expectation.
    let again = store
        .append(&s, ExpectedRevision::NoStream, events.clone())
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(store.head().await.unwrap(), head, "a retry writes nothing");
    assert_eq!(all_events(&store).await.len(), 3);
}

pub async fn a_retry_from_another_request_returns_the_original_result(store: Store) {
    let s = stream("traject-retry-verzoek");
    let mut first = event(0);
    first.metadata.correlation_id = Some(Uuid::now_v7());
    let mut again = first.clone();
    again.metadata.correlation_id = Some(Uuid::now_v7());
    let original = store
        .append(&s, ExpectedRevision::NoStream, vec![first])
        .await
        .unwrap();
    // A retry is a new request with its own metadata, of the same event.
    let retried = store
        .append(&s, ExpectedRevision::NoStream, vec![again])
        .await
        .unwrap();
    assert_eq!(retried, original);
    // Two identical requests at once, each with its own metadata: one is written, both answer
    // with its result.
    let t = stream("traject-retry-tegelijk");
    let both = event(1);
    let mut a = both.clone();
    a.metadata.correlation_id = Some(Uuid::now_v7());
    let mut b = both.clone();
    b.metadata.correlation_id = Some(Uuid::now_v7());
    let (ra, rb) = tokio::join!(
        store.append(&t, ExpectedRevision::NoStream, vec![a]),
        store.append(&t, ExpectedRevision::NoStream, vec![b]),
    );
    assert_eq!(ra.unwrap(), rb.unwrap());
    let read = store
        .read_stream(&t, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
}

/// A retry and a duplicate id sent at the same moment as new appends (so that a group-committing
/// backend takes them into one batch): each append is decided on its own, as if it came alone.
pub async fn retries_and_duplicates_among_new_appends_are_decided_each_on_its_own(store: Store) {
    let s = stream("traject-tussen");
    let original = event(0);
    let first = store
        .append(&s, ExpectedRevision::NoStream, vec![original.clone()])
        .await
        .unwrap();
    for ronde in 0..5 {
        let nieuw: Vec<_> = (0..16)
            .map(|i| {
                let store = store.clone();
                let t = stream(&format!("traject-tussen-{ronde}-{i}"));
                tokio::spawn(async move {
                    store
                        .append(&t, ExpectedRevision::NoStream, vec![event(i)])
                        .await
                })
            })
            .collect();
        let retry = {
            let (store, s, e) = (store.clone(), s.clone(), original.clone());
            tokio::spawn(async move { store.append(&s, ExpectedRevision::Any, vec![e]).await })
        };
        let dubbel = {
            let (store, e) = (store.clone(), original.clone());
            let t = stream(&format!("traject-tussen-dubbel-{ronde}"));
            tokio::spawn(async move { store.append(&t, ExpectedRevision::Any, vec![e]).await })
        };
        for n in nieuw {
            assert_eq!(n.await.unwrap().unwrap().revision, 0);
        }
        assert_eq!(
            retry.await.unwrap().unwrap(),
            first,
            "the retry's original result"
        );
        let err = dubbel.await.unwrap().unwrap_err();
        assert!(
            matches!(err, StoreError::DuplicateEventId { event_id } if event_id == original.id),
            "{err}"
        );
    }
    assert_eq!(all_events(&store).await.len(), 1 + 5 * 16);
}

pub async fn an_atomic_append_whose_first_part_fails_writes_nothing(store: Store) {
    let (a, b) = (stream("traject-samen-a"), stream("toegangslog-samen"));
    let written = store
        .append_atomic(vec![
            StreamAppend {
                stream: b.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(0)],
            },
            StreamAppend {
                stream: a.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(1), event(2)],
            },
        ])
        .await
        .unwrap();
    assert_eq!(written.len(), 2);
    assert_eq!((written[0].revision, written[1].revision), (0, 1));
    assert!(written[0].position < written[1].position);
    let head = store.head().await.unwrap();
    let err = store
        .append_atomic(vec![
            StreamAppend {
                stream: a.clone(),
                expected: ExpectedRevision::Exact(0),
                events: vec![event(3)],
            },
            StreamAppend {
                stream: b.clone(),
                expected: ExpectedRevision::Exact(0),
                events: vec![event(4)],
            },
        ])
        .await
        .unwrap_err();
    match err {
        StoreError::InPart { part: 0, error } => assert!(
            matches!(
                *error,
                StoreError::WrongExpectedVersion {
                    actual: Some(1),
                    ..
                }
            ),
            "{error}"
        ),
        other => panic!("expected the first part to fail: {other}"),
    }
    assert_eq!(store.head().await.unwrap(), head, "nothing written");
}

pub async fn a_condition_part_checks_a_stream_without_writing(store: Store) {
    let (team, traject) = (
        stream("organisatie-voorwaarde"),
        stream("traject-voorwaarde"),
    );
    store
        .append(&team, ExpectedRevision::NoStream, vec![event(0)])
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    // The team moved on since it was read at revision -: the write waits.
    let err = store
        .append_atomic(vec![
            StreamAppend {
                stream: team.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![],
            },
            StreamAppend {
                stream: traject.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(1)],
            },
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InPart { part: 0, .. }), "{err}");
    assert_eq!(store.head().await.unwrap(), head, "nothing written");
    let written = store
        .append_atomic(vec![
            StreamAppend {
                stream: team.clone(),
                expected: ExpectedRevision::Exact(0),
                events: vec![],
            },
            StreamAppend {
                stream: traject.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(2)],
            },
        ])
        .await
        .unwrap();
    assert_eq!(written[1].revision, 0);
    let team_read = store
        .read_stream(&team, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(team_read.len(), 1, "the condition wrote nothing");
    // Only conditions: nothing to append.
    let err = store
        .append_atomic(vec![StreamAppend {
            stream: team,
            expected: ExpectedRevision::Exact(0),
            events: vec![],
        }])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::EmptyAppend), "{err}");
}

/// SQLite and PostgreSQL write the parts in one transaction: a later part's failure takes the
/// earlier parts back too. (KurrentDB writes them in order; see its module.)
pub async fn an_atomic_append_is_all_or_nothing(store: Store) {
    let (a, log) = (stream("traject-alles-a"), stream("toegangslog-alles"));
    store
        .append(&a, ExpectedRevision::NoStream, vec![event(0)])
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    let err = store
        .append_atomic(vec![
            StreamAppend {
                stream: log.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(1)],
            },
            StreamAppend {
                stream: a.clone(),
                expected: ExpectedRevision::NoStream,
                events: vec![event(2)],
            },
        ])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InPart { part: 1, .. }),
        "the second part is stale: {err}"
    );
    assert_eq!(
        store.head().await.unwrap(),
        head,
        "the first part taken back"
    );
    let log_read = store
        .read_stream(&log, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert!(log_read.is_empty());
    // Many writers at once, each writing an entry and its event together: every event has its
    // entry, and every entry its event.
    let mut tasks = Vec::new();
    for i in 0..32u64 {
        let store = Arc::clone(&store);
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            let s = stream(&format!("traject-alles-{i}"));
            store
                .append_atomic(vec![
                    StreamAppend {
                        stream: log,
                        expected: ExpectedRevision::Any,
                        events: vec![event(100 + i)],
                    },
                    StreamAppend {
                        stream: s,
                        // Every fourth one is stale and must leave no entry behind.
                        expected: if i % 4 == 0 {
                            ExpectedRevision::Exact(7)
                        } else {
                            ExpectedRevision::NoStream
                        },
                        events: vec![event(200 + i)],
                    },
                ])
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 24);
    let entries = store
        .read_stream(&log, ReadFrom::Start, Direction::Forwards, 100)
        .await
        .unwrap();
    assert_eq!(entries.len(), 24, "one entry per written event");
}

pub async fn same_id_other_content_is_an_error(store: Store) {
    let s = stream("traject-dup");
    let original = event(0);
    store
        .append(&s, ExpectedRevision::NoStream, vec![original.clone()])
        .await
        .unwrap();
    let mut changed = original.clone();
    changed.data = serde_json::json!({"n": 99});
    let err = store
        .append(&s, ExpectedRevision::Any, vec![changed])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateEventId { event_id } if event_id == original.id),
        "{err}"
    );
    // The same event in another stream is not a retry either.
    let err = store
        .append(
            &stream("traject-elders"),
            ExpectedRevision::Any,
            vec![original.clone()],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::DuplicateEventId { .. }), "{err}");
    // A known id behind a new one: the whole append is refused.
    let err = store
        .append(&s, ExpectedRevision::Any, vec![event(1), original.clone()])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::DuplicateEventId { event_id } if event_id == original.id),
        "{err}"
    );
    assert_eq!(all_events(&store).await.len(), 1, "nothing written");
}

pub async fn read_stream_forwards_and_backwards(store: Store) {
    let s = stream("traject-read");
    store
        .append(&s, ExpectedRevision::NoStream, (0..10).map(event).collect())
        .await
        .unwrap();
    store
        .append(
            &stream("traject-noise"),
            ExpectedRevision::Any,
            vec![event(0)],
        )
        .await
        .unwrap();
    let revisions = |events: Vec<traject_store::RecordedEvent>| {
        events.iter().map(|e| e.revision).collect::<Vec<_>>()
    };
    let read = |from, direction, limit| {
        let (store, s) = (store.clone(), s.clone());
        async move { revisions(store.read_stream(&s, from, direction, limit).await.unwrap()) }
    };
    assert_eq!(
        read(ReadFrom::Start, Direction::Forwards, 3).await,
        vec![0, 1, 2]
    );
    assert_eq!(
        read(ReadFrom::Revision(5), Direction::Forwards, 100).await,
        vec![5, 6, 7, 8, 9]
    );
    assert_eq!(
        read(ReadFrom::End, Direction::Backwards, 3).await,
        vec![9, 8, 7]
    );
    assert_eq!(
        read(ReadFrom::Revision(4), Direction::Backwards, 2).await,
        vec![4, 3]
    );
    assert_eq!(
        read(ReadFrom::Start, Direction::Backwards, 5).await,
        vec![0]
    );
    assert_eq!(
        read(ReadFrom::End, Direction::Forwards, 5).await,
        Vec::<u64>::new()
    );
    assert_eq!(
        read(ReadFrom::Revision(10), Direction::Forwards, 5).await,
        Vec::<u64>::new()
    );
    let missing = store
        .read_stream(
            &stream("traject-missing"),
            ReadFrom::Start,
            Direction::Forwards,
            5,
        )
        .await
        .unwrap();
    assert!(missing.is_empty());
}

pub async fn read_all_in_global_order_with_a_prefix_filter(store: Store) {
    for (name, n) in [
        ("traject-a", 0),
        ("beheer-x", 1),
        ("traject-b", 2),
        ("traject-a", 3),
        ("beheer-x", 4),
    ] {
        store
            .append(&stream(name), ExpectedRevision::Any, vec![event(n)])
            .await
            .unwrap();
    }
    let all = all_events(&store).await;
    assert_eq!(
        all.iter()
            .map(|e| e.data.value().unwrap()["n"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));

    let trajecten = store
        .read_all(None, &StreamFilter::prefix("traject-"), 100)
        .await
        .unwrap();
    assert_eq!(
        trajecten
            .iter()
            .map(|e| e.data.value().unwrap()["n"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        vec![0, 2, 3]
    );
    let after = store
        .read_all(Some(all[2].position), &StreamFilter::all(), 100)
        .await
        .unwrap();
    assert_eq!(
        after.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![all[3].id, all[4].id]
    );
    let limited = store.read_all(None, &StreamFilter::all(), 2).await.unwrap();
    assert_eq!(limited.len(), 2);
    let beyond = store
        .read_all(Some(all[4].position), &StreamFilter::all(), 100)
        .await
        .unwrap();
    assert!(beyond.is_empty());
}

pub async fn invalid_appends_are_refused_and_write_nothing(store: Store) {
    let s = stream("traject-invalid");
    assert!(matches!(
        store.append(&s, ExpectedRevision::Any, vec![]).await,
        Err(StoreError::EmptyAppend)
    ));

    let mut large = event(0);
    large.data = serde_json::json!({ "x": "a".repeat(traject_store::MAX_EVENT_BYTES) });
    match store.append(&s, ExpectedRevision::Any, vec![large]).await {
        Err(StoreError::EventTooLarge { size, limit, .. }) => assert!(size > limit),
        other => panic!("expected EventTooLarge, got {other:?}"),
    }

    let mut v4 = event(0);
    v4.id = Uuid::from_u128(0x0190a5c2_7d1e_4b4a_9c3e_2f6d8b1a4e57);
    assert!(matches!(
        store.append(&s, ExpectedRevision::Any, vec![v4]).await,
        Err(StoreError::InvalidEvent { field: "id", .. })
    ));
    let twice = event(0);
    assert!(matches!(
        store
            .append(&s, ExpectedRevision::Any, vec![twice.clone(), twice])
            .await,
        Err(StoreError::InvalidEvent { field: "id", .. })
    ));
    let mut bad_type = event(0);
    bad_type.event_type = "Test Event!".to_owned();
    assert!(matches!(
        store
            .append(&s, ExpectedRevision::Any, vec![bad_type])
            .await,
        Err(StoreError::InvalidEvent {
            field: "event_type",
            ..
        })
    ));
    let mut v0 = event(0);
    v0.schema_version = 0;
    assert!(matches!(
        store.append(&s, ExpectedRevision::Any, vec![v0]).await,
        Err(StoreError::InvalidEvent {
            field: "schema_version",
            ..
        })
    ));
    for bad in ["", "traject a", "$all", "traject/1", &"x".repeat(201)] {
        assert!(
            matches!(
                traject_store::StreamName::new(bad),
                Err(StoreError::InvalidStreamName { .. })
            ),
            "{bad:?}"
        );
    }
    assert_eq!(store.head().await.unwrap(), None, "nothing was written");
}

pub async fn subscription_catches_up_then_follows_live(store: Store) {
    let s = stream("traject-sub");
    store
        .append(&s, ExpectedRevision::NoStream, (0..5).map(event).collect())
        .await
        .unwrap();
    let mut sub = store.subscribe_all(None, StreamFilter::prefix("traject-"));
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(next_event(&mut sub).await);
    }
    // Nothing more is stored: the next events can only arrive live.
    let writer = {
        let (store, s) = (store.clone(), s.clone());
        tokio::spawn(async move {
            for n in 5..8 {
                store
                    .append(&s, ExpectedRevision::Exact(n - 1), vec![event(n)])
                    .await
                    .unwrap();
            }
            store
                .append(
                    &stream("beheer-other"),
                    ExpectedRevision::Any,
                    vec![event(99)],
                )
                .await
                .unwrap();
        })
    };
    for _ in 0..3 {
        seen.push(next_event(&mut sub).await);
    }
    writer.await.unwrap();
    let ns: Vec<u64> = seen
        .iter()
        .map(|e| e.data.value().unwrap()["n"].as_u64().unwrap())
        .collect();
    assert_eq!(ns, (0..8).collect::<Vec<_>>());
    assert!(seen.windows(2).all(|w| w[0].position < w[1].position));
    // From a checkpoint: only what follows it.
    let mut resumed = store.subscribe_all(Some(seen[5].position), StreamFilter::prefix("traject-"));
    assert_eq!(next_event(&mut resumed).await.id, seen[6].id);
    assert_eq!(next_event(&mut resumed).await.id, seen[7].id);
}

pub async fn subscriber_follows_eight_writers_and_resumes_from_its_checkpoint(store: Store) {
    const WRITERS: u64 = 8;
    const PER_WRITER: u64 = 150;
    let total = (WRITERS * PER_WRITER) as usize;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..PER_WRITER {
                // Many streams: each writer cycles over 10 of its own.
                let s = stream(&format!("traject-w{w}-s{}", i % 10));
                let e = event(w * 1000 + i);
                ids.push(e.id);
                store
                    .append(&s, ExpectedRevision::Any, vec![e])
                    .await
                    .unwrap();
                if i % 7 == 0 {
                    // Events outside the filter in between.
                    store
                        .append(&stream("beheer-log"), ExpectedRevision::Any, vec![event(0)])
                        .await
                        .unwrap();
                }
            }
            ids
        }));
    }

    let filter = StreamFilter::prefix("traject-");
    let mut seen: Vec<traject_store::RecordedEvent> = Vec::new();
    // Follow a third of the way, stop, and resume from the checkpoint, twice.
    let mut checkpoint: Option<Position> = None;
    for leg in 0..3 {
        let mut sub = store.subscribe_all(checkpoint, filter.clone());
        let until = if leg < 2 {
            total * (leg + 1) / 3
        } else {
            total
        };
        while seen.len() < until {
            let e = next_event(&mut sub).await;
            checkpoint = Some(e.position);
            seen.push(e);
        }
        drop(sub);
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    let ids: HashSet<Uuid> = seen.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), seen.len(), "every event exactly once");
    assert_eq!(ids, written, "every event seen");
    assert!(
        seen.windows(2).all(|w| w[0].position < w[1].position),
        "global order"
    );
    assert!(
        seen.iter()
            .all(|e| e.stream.as_str().starts_with("traject-"))
    );
    // The same order as a plain read of everything.
    let stored: Vec<Uuid> = store
        .read_all(None, &filter, usize::MAX)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(stored, seen.iter().map(|e| e.id).collect::<Vec<_>>());
}

/// A filtered subscription looks past the events it leaves out (it reports how far in
/// `scanned`), and yet never skips a matching event written meanwhile by a concurrent writer.
pub async fn a_filtered_subscription_looks_past_left_out_events_without_skipping_any(store: Store) {
    let traject = stream("traject-filter");
    let log = stream("toegangslog");
    store
        .append(
            &traject,
            ExpectedRevision::NoStream,
            (0..3).map(event).collect(),
        )
        .await
        .unwrap();
    store
        .append(
            &log,
            ExpectedRevision::NoStream,
            (0..50).map(event).collect(),
        )
        .await
        .unwrap();
    let head = store.head().await.unwrap();
    let mut sub = store.subscribe_all(None, StreamFilter::prefix("traject-"));
    for n in 0..3 {
        assert_eq!(next_event(&mut sub).await.data.value().unwrap()["n"], n);
    }
    if let Some(mut scanned) = sub.scanned() {
        // The subscription moves on only while it is polled: poll it until it reports.
        let wacht = async {
            tokio::select! {
                e = sub.next() => panic!("no more matching events, got {e:?}"),
                r = scanned.wait_for(|s| *s >= head) => { r.unwrap(); }
            }
        };
        tokio::time::timeout(PATIENCE, wacht)
            .await
            .expect("scanned reaches the head past the left-out events");
    }
    // Two writers at once, one matching and one not: every matching event arrives once, in order.
    const N: u64 = 200;
    let a = {
        let (store, s) = (store.clone(), traject.clone());
        tokio::spawn(async move {
            for n in 3..3 + N {
                store
                    .append(&s, ExpectedRevision::Exact(n - 1), vec![event(n)])
                    .await
                    .unwrap();
            }
        })
    };
    let b = {
        let (store, s) = (store.clone(), log.clone());
        tokio::spawn(async move {
            for n in 50..50 + N {
                store
                    .append(&s, ExpectedRevision::Exact(n - 1), vec![event(n)])
                    .await
                    .unwrap();
            }
        })
    };
    for n in 3..3 + N {
        assert_eq!(next_event(&mut sub).await.data.value().unwrap()["n"], n);
    }
    a.await.unwrap();
    b.await.unwrap();
}

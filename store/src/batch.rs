//! Deciding a batch of appends in memory, shared by the SQL backends' group-commit writers.
//!
//! The writer holds the store's write lock (SQLite's single writer, PostgreSQL's advisory lock),
//! reads what the batch needs to know (which of its event ids are stored, the last revision of
//! each of its streams, the head; the ids may first be assumed new, when the store checks that
//! assumption as it writes), and then decides each append in order here: a retry of an
//! acknowledged append, a duplicate id, a conflict, or new rows with their revisions and
//! positions. Appends earlier in the batch count for later ones. A batch is made of units: a
//! unit is one caller's append, or several appends to different streams that must be written
//! together ([`crate::EventStore::append_atomic`]). Each unit succeeds or fails on its own, as a
//! whole: when one of its appends fails, the rows its earlier appends planned are taken back.
//! The rows of all successful units are written in the batch's one transaction. Rows borrow the
//! appends' events: a batch copies no event data.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::StoreError;
use crate::types::{AppendResult, ExpectedRevision, NewEvent, Position, RecordedEvent, StreamName};
use crate::writer::Encoded;

/// One append of a batch.
pub(crate) struct Append<'a> {
    pub stream: &'a StreamName,
    pub expected: ExpectedRevision,
    pub events: &'a [NewEvent],
    /// The events' text, one per event, when the backend stores text; else empty.
    pub encoded: &'a [Encoded],
}

/// What the store holds that the batch touches.
#[derive(Default)]
pub(crate) struct Known {
    /// Stored events among the batch's event ids.
    pub events: HashMap<Uuid, RecordedEvent>,
    /// The last revision of each of the batch's streams that exists.
    pub revisions: HashMap<String, u64>,
    /// The highest stored position (0 for an empty store).
    pub head: u64,
}

/// A row to insert: an event of the batch with its place in its stream and in the global order.
pub(crate) struct Row<'a> {
    pub stream: &'a StreamName,
    pub revision: u64,
    pub position: Position,
    pub event: &'a NewEvent,
    /// Its text, when the backend stores text.
    pub encoded: Option<&'a Encoded>,
}

/// The outcome of a batch: one result per unit (the result of each of its appends), and the
/// rows to insert.
pub(crate) struct Plan<'a> {
    pub results: Vec<Result<Vec<AppendResult>, StoreError>>,
    pub rows: Vec<Row<'a>>,
}

/// Decides every unit of the batch, in order. A unit of one append fails with that append's
/// error; a unit of several with [`StoreError::InPart`], naming the append that failed.
pub(crate) fn plan<'a>(units: &'a [Vec<Append<'a>>], mut known: Known) -> Plan<'a> {
    let mut results = Vec::with_capacity(units.len());
    let mut rows: Vec<Row<'a>> = Vec::new();
    // Events written earlier in this batch, by id: their row.
    let mut in_batch: HashMap<Uuid, usize> = HashMap::new();
    for unit in units {
        // What to restore if a later append of the unit fails.
        let rows_before = rows.len();
        let head_before = known.head;
        let revisions_before: Vec<(&str, Option<u64>)> = unit
            .iter()
            .map(|a| {
                (
                    a.stream.as_str(),
                    known.revisions.get(a.stream.as_str()).copied(),
                )
            })
            .collect();
        let mut unit_results = Vec::with_capacity(unit.len());
        let mut failure = None;
        for (part, append) in unit.iter().enumerate() {
            match decide(append, &known, &rows, &in_batch) {
                Ok(Decision::Retry(result)) => unit_results.push(result),
                Err(e) => {
                    failure = Some(if unit.len() == 1 {
                        e
                    } else {
                        StoreError::InPart {
                            part,
                            error: Box::new(e),
                        }
                    });
                    break;
                }
                Ok(Decision::New(result)) => {
                    let first_revision = result.revision + 1 - append.events.len() as u64;
                    for (i, event) in append.events.iter().enumerate() {
                        in_batch.insert(event.id, rows.len());
                        rows.push(Row {
                            stream: append.stream,
                            revision: first_revision + i as u64,
                            position: Position(known.head + 1 + i as u64),
                            event,
                            encoded: append.encoded.get(i),
                        });
                    }
                    known.head = result.position.0;
                    known
                        .revisions
                        .insert(append.stream.as_str().to_owned(), result.revision);
                    unit_results.push(result);
                }
            }
        }
        match failure {
            None => results.push(Ok(unit_results)),
            Some(e) => {
                for row in rows.drain(rows_before..) {
                    in_batch.remove(&row.event.id);
                }
                known.head = head_before;
                for (stream, revision) in revisions_before.into_iter().rev() {
                    match revision {
                        Some(r) => known.revisions.insert(stream.to_owned(), r),
                        None => known.revisions.remove(stream),
                    };
                }
                results.push(Err(e));
            }
        }
    }
    Plan { results, rows }
}

enum Decision {
    /// Every event is stored already: the original result, nothing to write.
    Retry(AppendResult),
    /// New events, to be written with this result.
    New(AppendResult),
}

/// An event stored before, in the store or earlier in this batch.
enum Seen<'b> {
    Stored(&'b RecordedEvent),
    InBatch(&'b Row<'b>),
}

impl Seen<'_> {
    fn revision(&self) -> u64 {
        match self {
            Seen::Stored(e) => e.revision,
            Seen::InBatch(r) => r.revision,
        }
    }

    fn position(&self) -> Position {
        match self {
            Seen::Stored(e) => e.position,
            Seen::InBatch(r) => r.position,
        }
    }

    fn same_content(&self, stream: &StreamName, new: &NewEvent) -> bool {
        match self {
            Seen::Stored(e) => e.same_content(stream, new),
            Seen::InBatch(r) => {
                r.stream == stream
                    && r.event.event_type == new.event_type
                    && r.event.schema_version == new.schema_version
                    && r.event.data == new.data
            }
        }
    }
}

fn decide<'b>(
    append: &Append<'_>,
    known: &'b Known,
    rows: &'b [Row<'b>],
    in_batch: &HashMap<Uuid, usize>,
) -> Result<Decision, StoreError> {
    let seen = |id: &Uuid| -> Option<Seen<'b>> {
        known
            .events
            .get(id)
            .map(Seen::Stored)
            .or_else(|| in_batch.get(id).map(|&i| Seen::InBatch(&rows[i])))
    };
    let events = append.events;
    if events.is_empty() {
        // A condition of an atomic append: the stream must meet the expectation; nothing is
        // written and the result names the stream's revision.
        let actual = known.revisions.get(append.stream.as_str()).copied();
        if !append.expected.is_met_by(actual) {
            return Err(StoreError::WrongExpectedVersion {
                stream: append.stream.to_string(),
                expected: append.expected,
                actual,
            });
        }
        return Ok(Decision::Retry(AppendResult {
            revision: actual.unwrap_or(0),
            position: Position(known.head),
        }));
    }
    if seen(&events[0].id).is_some() {
        return retry_result(append.stream, events, seen).map(Decision::Retry);
    }
    if let Some(e) = events.iter().find(|e| seen(&e.id).is_some()) {
        return Err(StoreError::DuplicateEventId { event_id: e.id });
    }
    let actual = known.revisions.get(append.stream.as_str()).copied();
    if !append.expected.is_met_by(actual) {
        return Err(StoreError::WrongExpectedVersion {
            stream: append.stream.to_string(),
            expected: append.expected,
            actual,
        });
    }
    let n = events.len() as u64;
    Ok(Decision::New(AppendResult {
        revision: actual.map_or(n - 1, |a| a + n),
        position: Position(known.head + n),
    }))
}

/// Whether an append whose first event id was seen before is a retry of an acknowledged
/// append: every event seen, in this stream, at consecutive revisions in this order, with the
/// same content. Then the original result; otherwise the first id that does not fit.
fn retry_result<'b>(
    stream: &StreamName,
    events: &[NewEvent],
    seen: impl Fn(&Uuid) -> Option<Seen<'b>>,
) -> Result<AppendResult, StoreError> {
    let mut previous: Option<Seen<'b>> = None;
    for event in events {
        let fits = seen(&event.id).filter(|s| {
            s.same_content(stream, event)
                && previous
                    .as_ref()
                    .is_none_or(|p| s.revision() == p.revision() + 1)
        });
        match fits {
            Some(s) => previous = Some(s),
            None => return Err(StoreError::DuplicateEventId { event_id: event.id }),
        }
    }
    let last = previous.expect("an append has at least one event");
    Ok(AppendResult {
        revision: last.revision(),
        position: last.position(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> NewEvent {
        crate::testing::test_event(serde_json::json!({ "n": n }))
    }

    fn stream(name: &str) -> StreamName {
        StreamName::new(name).unwrap()
    }

    /// Each append a unit of its own.
    fn singles<'a, const N: usize>(appends: [Append<'a>; N]) -> Vec<Vec<Append<'a>>> {
        appends.into_iter().map(|a| vec![a]).collect()
    }

    #[test]
    fn appends_earlier_in_the_batch_count_for_later_ones() {
        let s = stream("traject-a");
        let (first, second, stale) = (vec![event(0)], vec![event(1)], vec![event(2)]);
        let appends = [
            Append {
                stream: &s,
                expected: ExpectedRevision::NoStream,
                events: &first,
                encoded: &[],
            },
            Append {
                stream: &s,
                expected: ExpectedRevision::Exact(0),
                events: &second,
                encoded: &[],
            },
            Append {
                stream: &s,
                expected: ExpectedRevision::Exact(0),
                events: &stale,
                encoded: &[],
            },
        ];
        let units = singles(appends);
        let plan = plan(
            &units,
            Known {
                head: 41,
                ..Known::default()
            },
        );
        assert_eq!(plan.results[0].as_ref().unwrap()[0].position, Position(42));
        assert_eq!(plan.results[1].as_ref().unwrap()[0].revision, 1);
        assert!(matches!(
            plan.results[2],
            Err(StoreError::WrongExpectedVersion {
                actual: Some(1),
                ..
            })
        ));
        let rows: Vec<(u64, u64)> = plan
            .rows
            .iter()
            .map(|r| (r.revision, r.position.0))
            .collect();
        assert_eq!(rows, vec![(0, 42), (1, 43)]);
    }

    #[test]
    fn a_retry_within_the_batch_returns_the_first_result_and_adds_no_rows() {
        let s = stream("traject-a");
        let events = vec![event(0), event(1)];
        let appends = [
            Append {
                stream: &s,
                expected: ExpectedRevision::NoStream,
                events: &events,
                encoded: &[],
            },
            Append {
                stream: &s,
                expected: ExpectedRevision::NoStream,
                events: &events,
                encoded: &[],
            },
        ];
        let units = singles(appends);
        let plan = plan(&units, Known::default());
        assert_eq!(
            plan.results[0].as_ref().unwrap(),
            plan.results[1].as_ref().unwrap()
        );
        assert_eq!(plan.rows.len(), 2);
    }

    #[test]
    fn a_known_id_with_other_content_or_elsewhere_is_a_duplicate() {
        let (a, b) = (stream("traject-a"), stream("traject-b"));
        let original = vec![event(0)];
        let mut changed = original.clone();
        changed[0].data = serde_json::json!({ "n": 1 });
        let behind_new = vec![event(5), original[0].clone()];
        let appends = [
            Append {
                stream: &a,
                expected: ExpectedRevision::Any,
                events: &original,
                encoded: &[],
            },
            Append {
                stream: &a,
                expected: ExpectedRevision::Any,
                events: &changed,
                encoded: &[],
            },
            Append {
                stream: &b,
                expected: ExpectedRevision::Any,
                events: &original,
                encoded: &[],
            },
            Append {
                stream: &a,
                expected: ExpectedRevision::Any,
                events: &behind_new,
                encoded: &[],
            },
        ];
        let units = singles(appends);
        let plan = plan(&units, Known::default());
        assert!(plan.results[0].is_ok());
        for result in &plan.results[1..] {
            assert!(
                matches!(result, Err(StoreError::DuplicateEventId { .. })),
                "{result:?}"
            );
        }
        assert_eq!(plan.rows.len(), 1);
    }

    #[test]
    fn a_failed_append_leaves_no_gap_in_positions() {
        let (a, b) = (stream("traject-a"), stream("traject-b"));
        let (x, y, z) = (vec![event(0)], vec![event(1)], vec![event(2)]);
        let known = Known {
            revisions: HashMap::from([("traject-b".to_owned(), 3)]),
            head: 10,
            ..Known::default()
        };
        let appends = [
            Append {
                stream: &a,
                expected: ExpectedRevision::NoStream,
                events: &x,
                encoded: &[],
            },
            Append {
                stream: &b,
                expected: ExpectedRevision::NoStream,
                events: &y,
                encoded: &[],
            },
            Append {
                stream: &b,
                expected: ExpectedRevision::Exact(3),
                events: &z,
                encoded: &[],
            },
        ];
        let units = singles(appends);
        let plan = plan(&units, known);
        assert!(plan.results[1].is_err());
        let positions: Vec<u64> = plan.rows.iter().map(|r| r.position.0).collect();
        assert_eq!(positions, vec![11, 12]);
        assert_eq!(plan.rows[1].revision, 4);
    }

    #[test]
    fn a_unit_fails_as_a_whole_and_leaves_nothing_behind() {
        let (log, a, b) = (
            stream("toegangslog"),
            stream("traject-a"),
            stream("traject-b"),
        );
        let (entry, stale, next) = (vec![event(0)], vec![event(1)], vec![event(2)]);
        let known = Known {
            revisions: HashMap::from([("traject-a".to_owned(), 3)]),
            head: 10,
            ..Known::default()
        };
        let units = vec![
            vec![
                Append {
                    stream: &log,
                    expected: ExpectedRevision::NoStream,
                    events: &entry,
                    encoded: &[],
                },
                Append {
                    stream: &a,
                    expected: ExpectedRevision::Exact(2),
                    events: &stale,
                    encoded: &[],
                },
            ],
            // The same entry again, now with a fitting expectation: the first unit took its
            // rows back, so the entry is new here and the log still has no stream.
            vec![
                Append {
                    stream: &log,
                    expected: ExpectedRevision::NoStream,
                    events: &entry,
                    encoded: &[],
                },
                Append {
                    stream: &b,
                    expected: ExpectedRevision::NoStream,
                    events: &next,
                    encoded: &[],
                },
            ],
        ];
        let plan = plan(&units, known);
        match &plan.results[0] {
            Err(StoreError::InPart { part: 1, error }) => assert!(matches!(
                **error,
                StoreError::WrongExpectedVersion {
                    actual: Some(3),
                    ..
                }
            )),
            other => panic!("expected the second part to fail: {other:?}"),
        }
        let second = plan.results[1].as_ref().unwrap();
        assert_eq!((second[0].revision, second[0].position), (0, Position(11)));
        assert_eq!((second[1].revision, second[1].position), (0, Position(12)));
        let rows: Vec<(&str, u64)> = plan
            .rows
            .iter()
            .map(|r| (r.stream.as_str(), r.position.0))
            .collect();
        assert_eq!(rows, vec![("toegangslog", 11), ("traject-b", 12)]);
    }
}

//! What a commit's NOTIFY says, and how an instance's head takes it in.
//!
//! Each commit notifies the positions it wrote and the categories of stream it wrote (a stream
//! name up to its first `-`), each with its last position. Every instance, the writing one
//! included, moves its head with it, so a filtered subscription can tell that a commit of the
//! access log concerns no trajectory without reading the store, whichever instance wrote it.
//!
//! PostgreSQL delivers notifications in commit order, and the writers' lock makes commit order
//! the order of positions. A head that learns of a commit beginning after a position it has not
//! heard of (a notification lost while the listener reconnected, or one still on its way while
//! the instance's own later commit is already known) treats the positions in between as holding
//! anything ([`Head::record_commit`]): a subscription then reads, as it always did.

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::subscription::{Head, category};

/// PostgreSQL refuses a payload of 8,000 bytes or more. A commit whose categories would not fit
/// well below that is notified without them, and counts as possibly holding anything.
const MAX_PAYLOAD: usize = 7_000;

/// One commit, as notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Commit {
    /// The commit's first position.
    pub first: u64,
    /// Its last position: the store's new head.
    pub head: u64,
    /// The categories written, each with its last position; `None` when not known.
    #[serde(default)]
    pub categories: Option<Vec<(String, u64)>>,
}

impl Commit {
    /// The commit of `rows` (stream and position, in position order); `None` for no rows.
    pub fn of<'a>(rows: impl IntoIterator<Item = (&'a str, u64)>) -> Option<Self> {
        let mut span: Option<(u64, u64)> = None;
        let mut categories: Vec<(String, u64)> = Vec::new();
        for (stream, position) in rows {
            let (_, head) = span.get_or_insert((position, position));
            *head = (*head).max(position);
            let name = category(stream);
            match categories.iter_mut().find(|(n, _)| n == name) {
                Some(entry) => entry.1 = entry.1.max(position),
                None => categories.push((name.to_owned(), position)),
            }
        }
        span.map(|(first, head)| Self {
            first,
            head,
            categories: Some(categories),
        })
    }

    /// The notification's text: JSON, without the categories if they would make it too long.
    pub fn payload(&self) -> String {
        let text = serde_json::to_string(self).expect("a commit serialises");
        if text.len() <= MAX_PAYLOAD {
            return text;
        }
        let without = Self {
            categories: None,
            ..self.clone()
        };
        serde_json::to_string(&without).expect("a commit serialises")
    }

    /// Reads a notification. A bare position (what earlier versions sent, so instances can be
    /// upgraded one by one) is a commit up to it of unknown streams.
    pub fn parse(payload: &str) -> Option<Self> {
        if let Ok(head) = payload.trim().parse::<u64>() {
            return Some(Self {
                first: head,
                head,
                categories: None,
            });
        }
        serde_json::from_str(payload).ok()
    }
}

/// Moves `head` on with `commit`, if the commit is beyond it.
pub(super) fn advance(head: &watch::Sender<Head>, commit: &Commit) {
    head.send_if_modified(|h| {
        if commit.head <= h.position {
            return false;
        }
        match &commit.categories {
            Some(categories) => h.record_commit(
                commit.first,
                categories.iter().map(|(c, p)| (c.as_str(), *p)),
            ),
            None => h.unknown_up_to(commit.head),
        }
        true
    });
}

/// Moves `head` to `position` if it is further, knowing nothing of what lies before it: after
/// LISTEN (re)starts, when notifications may have been missed.
pub(super) fn advance_unknown(head: &watch::Sender<Head>, position: u64) {
    head.send_if_modified(|h| {
        let moved = position > h.position;
        if moved {
            h.unknown_up_to(position);
        }
        moved
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::StreamFilter;

    fn traject() -> StreamFilter {
        StreamFilter::prefix("traject-")
    }

    #[test]
    fn a_commit_names_its_categories_with_their_last_positions() {
        let commit = Commit::of([
            ("toegangslog", 11),
            ("traject-aa", 12),
            ("toegangslog", 13),
            ("traject-bb", 14),
        ])
        .unwrap();
        assert_eq!(commit.first, 11);
        assert_eq!(commit.head, 14);
        assert_eq!(
            commit.categories,
            Some(vec![
                ("toegangslog".to_owned(), 13),
                ("traject".to_owned(), 14)
            ])
        );
        assert_eq!(Commit::parse(&commit.payload()), Some(commit));
        assert_eq!(Commit::of([]), None);
    }

    #[test]
    fn a_bare_position_and_an_oversized_commit_name_no_categories() {
        assert_eq!(
            Commit::parse("42"),
            Some(Commit {
                first: 42,
                head: 42,
                categories: None
            })
        );
        assert_eq!(Commit::parse("{not json"), None);
        let names: Vec<String> = (0..200).map(|i| format!("{i:0>40}-x")).collect();
        let commit = Commit::of(names.iter().zip(1..).map(|(n, p)| (n.as_str(), p))).unwrap();
        let payload = commit.payload();
        assert!(payload.len() <= MAX_PAYLOAD, "{} bytes", payload.len());
        let parsed = Commit::parse(&payload).unwrap();
        assert_eq!((parsed.first, parsed.head), (1, 200));
        assert_eq!(parsed.categories, None);
    }

    #[test]
    fn a_head_moved_by_commits_knows_only_what_they_named() {
        let (tx, _rx) = watch::channel(Head::unknown(10));
        let log = Commit::of([("toegangslog", 11), ("toegangslog", 12)]).unwrap();
        advance(&tx, &log);
        assert!(!tx.borrow().may_have_after(&traject(), 10));
        // The same commit again (from the listener after the writer): nothing changes.
        let before = tx.borrow().clone();
        advance(&tx, &log);
        assert_eq!(*tx.borrow(), before);
        // A commit without categories may hold anything.
        advance(&tx, &Commit::parse("15").unwrap());
        assert!(tx.borrow().may_have_after(&traject(), 12));
        assert!(!tx.borrow().may_have_after(&traject(), 15));
        // A commit after a gap: the gap may hold anything, the commit is known.
        advance(&tx, &Commit::of([("toegangslog", 20)]).unwrap());
        assert!(tx.borrow().may_have_after(&traject(), 18));
        assert!(!tx.borrow().may_have_after(&traject(), 19));
        advance_unknown(&tx, 30);
        assert!(tx.borrow().may_have_after(&traject(), 29));
        advance_unknown(&tx, 25);
        assert_eq!(tx.borrow().position, 30);
    }

    /// Two instances on one schema: what one writes reaches the other's head by NOTIFY, with
    /// the categories written.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_instances_commit_names_its_categories() {
        use crate::subscription::Feed;
        use crate::{EventStore, ExpectedRevision, PostgresStore, StreamName};

        let Some(url) = crate::testing::postgres_url() else {
            return;
        };
        let schema = crate::testing::TestSchema::new(&url, "notify");
        let lezer = PostgresStore::connect(schema.config()).await.unwrap();
        let schrijver = PostgresStore::connect(schema.config()).await.unwrap();
        let head = lezer.head_changes();
        let append = |stream: &'static str| {
            let schrijver = schrijver.clone();
            async move {
                let event = crate::testing::test_event(serde_json::json!({}));
                let stream = StreamName::new(stream).unwrap();
                schrijver
                    .append(&stream, ExpectedRevision::Any, vec![event])
                    .await
                    .unwrap()
                    .position
                    .0
            }
        };
        let wacht_op = |head: &watch::Receiver<Head>, positie: u64| {
            let mut head = head.clone();
            async move {
                tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    head.wait_for(|h| h.position >= positie),
                )
                .await
                .expect("the notification arrives")
                .unwrap()
                .clone()
            }
        };
        let eerste = append("traject-aa").await;
        let gezien = wacht_op(&head, eerste).await;
        let log = append("toegangslog").await;
        let na_log = wacht_op(&head, log).await;
        assert!(
            !na_log.may_have_after(&traject(), gezien.position),
            "a commit of the access log names no trajectory: {na_log:?}"
        );
        assert!(na_log.may_have_after(&StreamFilter::prefix("toegangslog"), gezien.position));
        let traject_positie = append("traject-bb").await;
        let na_traject = wacht_op(&head, traject_positie).await;
        assert!(na_traject.may_have_after(&traject(), na_log.position));
    }
}

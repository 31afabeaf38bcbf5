//! What a commit's NOTIFY says, and how an instance's head takes it in.
//!
//! Each commit notifies the positions it wrote and the categories of stream it wrote (a stream
//! name up to its first `-`), each with its last position. Every instance, the writing one
//! included, moves its head with it, so a filtered subscription can tell that a commit of the
//! access log concerns no trajectory without reading the store, whichever instance wrote it.
//!
//! An instance notifies its commits after they are acknowledged, a few milliseconds' worth at a
//! time ([`Pending`], sent by [`super::listener`]), not inside each commit's transaction: on the
//! commit's path a notification cost a single coach's append about a tenth of its time, in the
//! writing backend and in every listening one it woke. So notifications of different instances
//! may arrive in another order than their commits. A head that learns of a commit beginning
//! after a position it has not heard of (a notification lost while the listener reconnected or
//! an instance stopped, or one still on its way) treats the positions in between as holding
//! anything ([`Head::record_commit`]): a subscription then reads, as it always did; a
//! notification of positions the head has passed changes nothing.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, watch};

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

impl Commit {
    /// Takes `next` into this commit when it begins right after it (no position between them
    /// can belong to another instance's commit); otherwise leaves both as they are and says so.
    fn extend(&mut self, next: &Commit) -> bool {
        if next.first != self.head + 1 {
            return false;
        }
        self.head = next.head;
        self.categories = match (self.categories.take(), &next.categories) {
            (Some(mut mine), Some(theirs)) => {
                for (name, position) in theirs {
                    match mine.iter_mut().find(|(n, _)| n == name) {
                        Some(entry) => entry.1 = entry.1.max(*position),
                        None => mine.push((name.clone(), *position)),
                    }
                }
                Some(mine)
            }
            _ => None,
        };
        true
    }
}

/// At most this many notifications wait at a time; more (while the listener reconnects, say)
/// become one commit of unknown streams, which every head reads as possibly holding anything.
const MAX_PENDING: usize = 64;

/// This instance's commits not notified yet, in the order written: runs of commits that follow
/// one another become one notification.
#[derive(Default)]
pub(super) struct Pending {
    commits: Mutex<Vec<Commit>>,
    ready: Notify,
}

impl Pending {
    /// Adds a commit the writer has acknowledged.
    pub fn push(&self, commit: Commit) {
        let mut commits = self.lock();
        add(&mut commits, commit);
        drop(commits);
        self.ready.notify_one();
    }

    /// Waits until a commit has been added since the last [`Self::take`].
    pub async fn added(&self) {
        self.ready.notified().await;
    }

    /// The pending commits, leaving none.
    pub fn take(&self) -> Vec<Commit> {
        std::mem::take(&mut *self.lock())
    }

    /// Puts back commits whose notification failed, before any added since.
    pub fn restore(&self, earlier: Vec<Commit>) {
        let mut commits = self.lock();
        let later = std::mem::take(&mut *commits);
        for commit in earlier.into_iter().chain(later) {
            add(&mut commits, commit);
        }
        drop(commits);
        self.ready.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Commit>> {
        self.commits
            .lock()
            .expect("the pending commits are never poisoned")
    }
}

/// Adds `commit` to `commits`: to the last one if it follows it, as one of unknown streams for
/// them all once there would be more than [`MAX_PENDING`].
fn add(commits: &mut Vec<Commit>, commit: Commit) {
    let merged = commits.last_mut().is_some_and(|last| last.extend(&commit));
    if !merged {
        commits.push(commit);
    }
    if commits.len() > MAX_PENDING {
        let first = commits.iter().map(|c| c.first).min().unwrap_or(0);
        let head = commits.iter().map(|c| c.head).max().unwrap_or(0);
        *commits = vec![Commit {
            first,
            head,
            categories: None,
        }];
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

    /// The head once it has reached `positie`; after 10 s the test fails, saying `wat`.
    async fn wacht_op(head: &watch::Receiver<Head>, positie: u64, wat: &str) -> Head {
        let mut head = head.clone();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            head.wait_for(|h| h.position >= positie),
        )
        .await
        .unwrap_or_else(|_| panic!("{wat}"))
        .unwrap()
        .clone()
    }

    fn commit(first: u64, head: u64, categories: &[(&str, u64)]) -> Commit {
        Commit {
            first,
            head,
            categories: Some(
                categories
                    .iter()
                    .map(|(c, p)| (c.to_string(), *p))
                    .collect(),
            ),
        }
    }

    #[test]
    fn pending_commits_that_follow_one_another_become_one_notification() {
        let pending = Pending::default();
        pending.push(commit(11, 12, &[("traject", 12)]));
        pending.push(commit(13, 13, &[("toegangslog", 13)]));
        pending.push(commit(14, 15, &[("traject", 15)]));
        // Position 16 is another instance's: the run ends before it.
        pending.push(commit(17, 17, &[("toegangslog", 17)]));
        assert_eq!(
            pending.take(),
            vec![
                commit(11, 15, &[("traject", 15), ("toegangslog", 13)]),
                commit(17, 17, &[("toegangslog", 17)]),
            ]
        );
        assert_eq!(pending.take(), vec![]);
        // A commit of unknown streams makes its run unknown.
        pending.push(commit(20, 20, &[("traject", 20)]));
        pending.push(Commit::parse("21").unwrap());
        assert_eq!(
            pending.take(),
            vec![Commit {
                first: 20,
                head: 21,
                categories: None
            }]
        );
    }

    #[test]
    fn a_failed_notification_goes_back_before_later_commits_and_too_many_become_one() {
        let pending = Pending::default();
        pending.push(commit(1, 1, &[("traject", 1)]));
        let sent = pending.take();
        pending.push(commit(2, 2, &[("traject", 2)]));
        pending.restore(sent);
        assert_eq!(pending.take(), vec![commit(1, 2, &[("traject", 2)])]);
        // One more run than may wait.
        for p in (1..=2 * MAX_PENDING as u64 + 1).step_by(2) {
            pending.push(commit(p, p, &[("traject", p)]));
        }
        assert_eq!(
            pending.take(),
            vec![Commit {
                first: 1,
                head: 2 * MAX_PENDING as u64 + 1,
                categories: None
            }]
        );
    }

    /// A commit whose notification never came (its instance stopped first) still reaches
    /// another instance's head, by the listener's reading of the store's head; and a commit of
    /// an instance of the version before, which notifies inside its transaction, by that.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_commit_never_notified_reaches_the_head_by_the_head_check() {
        use crate::subscription::Feed;
        use crate::{EventStore, PostgresStore};

        let Some(url) = crate::testing::postgres_url() else {
            return;
        };
        let schema = crate::testing::TestSchema::new(&url, "notify");
        let lezer = PostgresStore::connect(schema.config()).await.unwrap();
        let head = lezer.head_changes();
        // Once another instance's commit has reached the reader by NOTIFY, its listener is past
        // the reading of the head with which it starts.
        let schrijver = PostgresStore::connect(schema.config()).await.unwrap();
        let stream = crate::StreamName::new("traject-a").unwrap();
        let event = crate::testing::test_event(serde_json::json!({}));
        let genotificeerd = schrijver
            .append(&stream, crate::ExpectedRevision::NoStream, vec![event])
            .await
            .unwrap()
            .position
            .0;
        wacht_op(&head, genotificeerd, "the notification arrives").await;
        let before = head.borrow().position;
        // Written as an instance writes, but nobody notifies it.
        let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(&format!(
                "SET search_path TO \"{}\"; \
                 SELECT traject_append_one(1, NULL, 'traject-x', -1, gen_random_uuid(), 0, \
                     'Test', 1, now(), '{{}}', '{{}}', NULL)",
                schema.name
            ))
            .await
            .unwrap();
        let seen = wacht_op(&head, before + 1, "the head check finds the commit").await;
        assert_eq!(seen.position, before + 1);
        assert!(seen.may_have_after(&traject(), before));
        // An instance of an earlier version still passes its channel to the function, which
        // then notifies inside the commit, naming the category: the reader's head knows it.
        client
            .batch_execute(&format!(
                "SELECT traject_append_one(1, 'traject_events_{}', 'traject-y', -1, \
                     gen_random_uuid(), 0, 'Test', 1, now(), '{{}}', '{{}}', 'traject')",
                schema.name
            ))
            .await
            .unwrap();
        let oud = wacht_op(&head, seen.position + 1, "the notification arrives").await;
        assert!(!oud.may_have_after(&StreamFilter::prefix("toegangslog"), seen.position));
        assert!(oud.may_have_after(&traject(), seen.position));
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
        let eerste = append("traject-aa").await;
        let gezien = wacht_op(&head, eerste, "the notification arrives").await;
        let log = append("toegangslog").await;
        let na_log = wacht_op(&head, log, "the notification arrives").await;
        assert!(
            !na_log.may_have_after(&traject(), gezien.position),
            "a commit of the access log names no trajectory: {na_log:?}"
        );
        assert!(na_log.may_have_after(&StreamFilter::prefix("toegangslog"), gezien.position));
        let traject_positie = append("traject-bb").await;
        let na_traject = wacht_op(&head, traject_positie, "the notification arrives").await;
        assert!(na_traject.may_have_after(&traject(), na_log.position));
    }
}

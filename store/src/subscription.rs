//! The catch-up subscription shared by the SQL backends: read after the checkpoint until nothing
//! is left, then wait for the writer's notification of a new head, never by sleeping.
//!
//! A filtered subscription moves its checkpoint past the events its filter leaves out: once a
//! read after the checkpoint finds nothing up to the head it saw, it continues from that head.
//! Otherwise every wake-up would scan all filtered-out events since the last matching one again
//! (with the access log in the same store, a cost that grows with every request). How far it
//! has looked is published as [`Subscription::scanned`].
//!
//! A backend that knows which streams each commit touched says so in its [`Head`]: how far each
//! category of stream has got. A filtered subscription woken by a commit of streams it leaves out
//! (the access log's entries, for the projections) then moves on without reading at all.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use futures::Stream;
use futures::stream::BoxStream;
use tokio::sync::watch;

use crate::error::StoreError;
use crate::types::{Position, RecordedEvent, StreamFilter};

/// How many events a subscription reads at once: catching up, what a consumer can take without
/// waiting, while the store reads the next batch.
const BATCH: usize = 4096;

/// A stream of recorded events in global order. It ends after the first error; the consumer
/// subscribes again from its checkpoint.
pub struct Subscription {
    inner: BoxStream<'static, Result<RecordedEvent, StoreError>>,
    scanned: Option<watch::Receiver<Option<Position>>>,
}

impl Subscription {
    /// Wraps any stream of events, for backends with a subscription of their own.
    pub fn from_stream(inner: BoxStream<'static, Result<RecordedEvent, StoreError>>) -> Self {
        Self {
            inner,
            scanned: None,
        }
    }

    /// Wraps a backend's own stream of events with its report of how far it has looked.
    pub fn from_stream_with_scanned(
        inner: BoxStream<'static, Result<RecordedEvent, StoreError>>,
        scanned: watch::Receiver<Option<Position>>,
    ) -> Self {
        Self {
            inner,
            scanned: Some(scanned),
        }
    }

    /// The position up to which the subscription has looked at every event, including those its
    /// filter left out: every matching event at or before it has been handed out. It moves when
    /// the subscription has caught up and waits for new events. `None` from backends that do not
    /// report it.
    pub fn scanned(&self) -> Option<watch::Receiver<Option<Position>>> {
        self.scanned.clone()
    }

    /// The next event; `None` once the subscription has ended.
    pub async fn next(&mut self) -> Option<Result<RecordedEvent, StoreError>> {
        futures::StreamExt::next(&mut self.inner).await
    }
}

impl Stream for Subscription {
    type Item = Result<RecordedEvent, StoreError>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// What a catch-up subscription needs from a backend.
#[async_trait]
pub(crate) trait Feed: Send + Sync + 'static {
    async fn read_after(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// A receiver that changes whenever the head moves.
    fn head_changes(&self) -> watch::Receiver<Head>;
}

/// The most categories a [`Head`] names; beyond it, the one written to longest ago is forgotten.
const MAX_CATEGORIES: usize = 64;

/// A backend's head, and, where it knows, how far each category of stream has got. A category is
/// a stream name up to its first `-` (`traject-…` is `traject`, `toegangslog` is itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Head {
    /// The highest committed position; 0 for an empty store.
    pub position: u64,
    /// Each category named, with its last event's position.
    categories: Vec<(Box<str>, u64)>,
    /// Up to this position events may belong to categories not named: those forgotten, or
    /// written before the backend started counting.
    unnamed_up_to: u64,
    /// Set while the backend cannot learn of new commits (the PostgreSQL listener lost its
    /// connection): a subscription then fails with this reason instead of waiting for news that
    /// cannot come, and its reader knows it may be behind.
    pub lost: Option<String>,
}

impl Head {
    /// A head without knowledge of streams: every position up to it may hold anything.
    pub fn unknown(position: u64) -> Self {
        Self {
            position,
            categories: Vec::new(),
            unnamed_up_to: position,
            lost: None,
        }
    }

    /// Notes that every position up to `position` may hold anything, and moves the head there
    /// if it is further: for a commit whose streams are not known.
    pub fn unknown_up_to(&mut self, position: u64) {
        self.position = self.position.max(position);
        self.unnamed_up_to = self.unnamed_up_to.max(position);
    }

    /// Notes a commit of the positions from `first` on, with each category (or stream) it wrote
    /// and that one's last position. Positions between this head and `first` belong to commits
    /// this head was not told about (a lost notification, say): they may hold anything.
    pub fn record_commit<'a>(
        &mut self,
        first: u64,
        written: impl IntoIterator<Item = (&'a str, u64)>,
    ) {
        if first > self.position + 1 {
            self.unknown_up_to(first - 1);
        }
        for (stream, position) in written {
            self.record(stream, position);
        }
    }

    /// Notes that `stream` got an event at `position`, the new head.
    pub fn record(&mut self, stream: &str, position: u64) {
        self.position = self.position.max(position);
        let category = category(stream);
        if let Some(entry) = self.categories.iter_mut().find(|(c, _)| &**c == category) {
            entry.1 = entry.1.max(position);
            return;
        }
        if self.categories.len() == MAX_CATEGORIES
            && let Some(oldest) = (0..self.categories.len()).min_by_key(|&i| self.categories[i].1)
        {
            let (_, last) = self.categories.swap_remove(oldest);
            self.unnamed_up_to = self.unnamed_up_to.max(last);
        }
        self.categories.push((category.into(), position));
    }

    /// Whether a stream `filter` lets through may have an event after `after`. `false` only when
    /// the head knows that none has.
    pub fn may_have_after(&self, filter: &StreamFilter, after: u64) -> bool {
        if self.position <= after {
            return false;
        }
        let Some(prefix) = filter.stream_prefix() else {
            return true;
        };
        // A stream of category `c` is named `c` or `c-…`: it can start with `prefix` when `c`
        // does, or when `prefix` is `c-…`.
        self.unnamed_up_to > after
            || self.categories.iter().any(|(category, last)| {
                *last > after
                    && (category.starts_with(prefix)
                        || prefix
                            .strip_prefix(&**category)
                            .is_some_and(|rest| rest.starts_with('-')))
            })
    }
}

/// The category of `stream`: its name up to the first `-`. A category is its own category.
pub(crate) fn category(stream: &str) -> &str {
    stream.split_once('-').map_or(stream, |(c, _)| c)
}

struct State<F> {
    feed: Arc<F>,
    changes: watch::Receiver<Head>,
    after: Option<Position>,
    filter: StreamFilter,
    buffer: VecDeque<RecordedEvent>,
    failed: bool,
    scanned: watch::Sender<Option<Position>>,
    /// Whether a scan up to the head has been reported yet.
    reported: bool,
}

pub(crate) fn catch_up<F: Feed>(
    feed: Arc<F>,
    after: Option<Position>,
    filter: StreamFilter,
) -> Subscription {
    let changes = feed.head_changes();
    let (scanned, scanned_rx) = watch::channel(after);
    let state = State {
        feed,
        changes,
        after,
        filter,
        buffer: VecDeque::new(),
        failed: false,
        scanned,
        reported: false,
    };
    let stream = futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(event) = st.buffer.pop_front() {
                st.after = Some(event.position);
                return Some((Ok(event), st));
            }
            if st.failed {
                return None;
            }
            // Mark the head as seen *before* reading: a commit during the read then still
            // wakes the wait below.
            let head_seen = st.changes.borrow_and_update().clone();
            if let Some(reason) = &head_seen.lost {
                st.failed = true;
                return Some((Err(StoreError::Database(reason.clone())), st));
            }
            let after = st.after.map_or(0, |a| a.0);
            if head_seen.may_have_after(&st.filter, after) {
                match st.feed.read_after(st.after, &st.filter, BATCH).await {
                    Err(e) => {
                        st.failed = true;
                        return Some((Err(e), st));
                    }
                    Ok(batch) if !batch.is_empty() => {
                        st.buffer.extend(batch);
                        continue;
                    }
                    Ok(_) => {}
                }
            }
            // Nothing after the checkpoint up to the head seen before the read: every position
            // up to it is committed (the backends publish a head only after every lower position
            // committed), so the filtered-out rest is skipped.
            if head_seen.position > after {
                st.after = Some(Position(head_seen.position));
            }
            // The first scan is reported even when it found nothing new, so that a reader who
            // subscribed again after a failure learns the store answers again.
            let first = !st.reported;
            st.reported = true;
            st.scanned.send_if_modified(|s| {
                let moved = *s != st.after;
                *s = st.after;
                moved || first
            });
            if st.changes.changed().await.is_err() {
                return None; // the store was closed
            }
        }
    });
    Subscription {
        inner: Box::pin(stream),
        scanned: Some(scanned_rx),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::types::{Metadata, StreamName};

    fn traject() -> StreamFilter {
        StreamFilter::prefix("traject-")
    }

    #[test]
    fn a_head_names_the_categories_written_and_nothing_else() {
        let mut head = Head::unknown(10);
        assert!(
            head.may_have_after(&traject(), 9),
            "before counting: anything"
        );
        assert!(
            !head.may_have_after(&traject(), 10),
            "nothing after the head"
        );
        head.record("toegangslog", 11);
        head.record("toegangslog", 12);
        assert_eq!(head.position, 12);
        assert!(!head.may_have_after(&traject(), 10));
        assert!(head.may_have_after(&StreamFilter::all(), 10));
        assert!(head.may_have_after(&StreamFilter::prefix("toegangs"), 10));
        head.record("traject-3f2a", 13);
        assert!(head.may_have_after(&traject(), 12));
        assert!(head.may_have_after(&StreamFilter::prefix("tra"), 12));
        assert!(head.may_have_after(&StreamFilter::prefix("traject-3f"), 12));
        assert!(!head.may_have_after(&traject(), 13));
        assert!(!head.may_have_after(&StreamFilter::prefix("toegangslog"), 12));
        assert!(!head.may_have_after(&StreamFilter::prefix("trajecten"), 12));
    }

    #[test]
    fn a_forgotten_category_counts_as_possibly_written() {
        let mut head = Head::unknown(0);
        head.record("oud-1", 1);
        for i in 0..MAX_CATEGORIES as u64 {
            head.record(&format!("soort{i}-x"), 2 + i);
        }
        assert_eq!(head.categories.len(), MAX_CATEGORIES);
        assert!(
            head.may_have_after(&StreamFilter::prefix("oud-"), 0),
            "the forgotten category's event after 0"
        );
        assert!(
            !head.may_have_after(&StreamFilter::prefix("oud-"), 1),
            "nothing of it after 1"
        );
        assert!(head.may_have_after(&StreamFilter::prefix("soort0-"), 1));
    }

    #[test]
    fn a_commit_after_a_gap_leaves_the_gap_unknown() {
        let mut head = Head::unknown(10);
        head.record_commit(11, [("toegangslog", 12)]);
        assert!(!head.may_have_after(&traject(), 10), "11 and 12 are known");
        // Positions 13 to 19 were written by commits this head never heard of.
        head.record_commit(20, [("toegangslog", 21)]);
        assert_eq!(head.position, 21);
        assert!(
            head.may_have_after(&traject(), 12),
            "13 to 19 may be anything"
        );
        assert!(head.may_have_after(&traject(), 18), "19 may be anything");
        assert!(!head.may_have_after(&traject(), 19), "20 and 21 are known");
        head.unknown_up_to(25);
        assert_eq!(head.position, 25);
        assert!(head.may_have_after(&traject(), 24));
        assert!(!head.may_have_after(&traject(), 25));
        assert_eq!(category("traject-3f2a"), "traject");
        assert_eq!(category("toegangslog"), "toegangslog");
    }

    /// A feed over a list of events that counts its reads.
    struct Nep {
        events: Mutex<Vec<RecordedEvent>>,
        head: watch::Sender<Head>,
        reads: AtomicUsize,
    }

    impl Nep {
        fn empty() -> Arc<Self> {
            Arc::new(Self {
                events: Mutex::new(Vec::new()),
                head: watch::channel(Head::unknown(0)).0,
                reads: AtomicUsize::new(0),
            })
        }

        /// Commits an event to `stream` and publishes a head that names it.
        fn commit(&self, stream: &str) {
            let position = self.store(stream);
            self.head.send_modify(|h| h.record(stream, position));
        }

        /// Stores an event to `stream` without publishing a head; returns its position.
        fn store(&self, stream: &str) -> u64 {
            let mut events = self.events.lock().unwrap();
            let position = events.len() as u64 + 1;
            events.push(RecordedEvent {
                id: uuid::Uuid::now_v7(),
                stream: StreamName::new(stream).unwrap(),
                revision: 0,
                position: Position(position),
                event_type: "Test".to_owned(),
                schema_version: 1,
                recorded_at: chrono::Utc::now(),
                data: serde_json::json!({}).into(),
                metadata: Metadata::default(),
            });
            position
        }
    }

    #[async_trait]
    impl Feed for Nep {
        async fn read_after(
            &self,
            after: Option<Position>,
            filter: &StreamFilter,
            limit: usize,
        ) -> Result<Vec<RecordedEvent>, StoreError> {
            self.reads.fetch_add(1, Ordering::SeqCst);
            let prefix = filter.stream_prefix().unwrap_or("");
            Ok(self
                .events
                .lock()
                .unwrap()
                .iter()
                .filter(|e| Some(e.position) > after && e.stream.as_str().starts_with(prefix))
                .take(limit)
                .cloned()
                .collect())
        }

        fn head_changes(&self) -> watch::Receiver<Head> {
            self.head.subscribe()
        }
    }

    /// Polls `sub` until it reports having looked up to `position`, handing out nothing meanwhile.
    async fn scanned_to(sub: &mut Subscription, position: u64) {
        let mut scanned = sub.scanned().unwrap();
        tokio::select! {
            event = sub.next() => panic!("nothing to hand out, got {event:?}"),
            seen = tokio::time::timeout(
                Duration::from_secs(5),
                scanned.wait_for(|s| *s == Some(Position(position))),
            ) => {
                seen.expect("the subscription moves on").unwrap();
            }
        }
    }

    /// The access log's commits wake the projections' subscription, which must move past them
    /// without a read; a commit of a stream it wants is read and handed out.
    #[tokio::test]
    async fn commits_of_streams_the_filter_leaves_out_are_passed_without_reading() {
        let feed = Nep::empty();
        feed.commit("traject-1");
        let mut sub = catch_up(Arc::clone(&feed), None, traject());
        assert_eq!(sub.next().await.unwrap().unwrap().position, Position(1));
        scanned_to(&mut sub, 1).await;
        let reads = feed.reads.load(Ordering::SeqCst);

        for _ in 0..20 {
            feed.commit("toegangslog");
        }
        scanned_to(&mut sub, 21).await;
        assert_eq!(
            feed.reads.load(Ordering::SeqCst),
            reads,
            "no read for the access log's commits"
        );

        feed.commit("toegangslog");
        feed.commit("traject-2");
        let event = sub.next().await.unwrap().unwrap();
        assert_eq!(
            (event.stream.as_str(), event.position),
            ("traject-2", Position(23))
        );
        assert!(feed.reads.load(Ordering::SeqCst) > reads);
    }

    /// Without word of which streams moved (another instance's commit), the subscription reads.
    #[tokio::test]
    async fn a_head_without_categories_is_read() {
        let feed = Nep::empty();
        let mut sub = catch_up(Arc::clone(&feed), None, traject());
        feed.commit("toegangslog");
        scanned_to(&mut sub, 1).await;
        let reads = feed.reads.load(Ordering::SeqCst);
        let position = feed.store("traject-9");
        feed.head.send_replace(Head::unknown(position));
        assert_eq!(sub.next().await.unwrap().unwrap().position, Position(2));
        assert!(feed.reads.load(Ordering::SeqCst) > reads);
    }
}

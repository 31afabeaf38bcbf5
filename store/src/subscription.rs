//! The catch-up subscription shared by the SQL backends: read after the checkpoint until nothing
//! is left, then wait for the writer's notification of a new head, never by sleeping.

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

/// How many events a subscription reads at once.
const BATCH: usize = 1024;

/// A stream of recorded events in global order. It ends after the first error; the consumer
/// subscribes again from its checkpoint.
pub struct Subscription {
    inner: BoxStream<'static, Result<RecordedEvent, StoreError>>,
}

impl Subscription {
    /// Wraps any stream of events, for backends with a subscription of their own.
    pub fn from_stream(inner: BoxStream<'static, Result<RecordedEvent, StoreError>>) -> Self {
        Self { inner }
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
    fn head_changes(&self) -> watch::Receiver<u64>;
}

struct State<F> {
    feed: Arc<F>,
    changes: watch::Receiver<u64>,
    after: Option<Position>,
    filter: StreamFilter,
    buffer: VecDeque<RecordedEvent>,
    failed: bool,
}

pub(crate) fn catch_up<F: Feed>(
    feed: Arc<F>,
    after: Option<Position>,
    filter: StreamFilter,
) -> Subscription {
    let changes = feed.head_changes();
    let state = State {
        feed,
        changes,
        after,
        filter,
        buffer: VecDeque::new(),
        failed: false,
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
            st.changes.borrow_and_update();
            match st.feed.read_after(st.after, &st.filter, BATCH).await {
                Err(e) => {
                    st.failed = true;
                    return Some((Err(e), st));
                }
                Ok(batch) if batch.is_empty() => {
                    if st.changes.changed().await.is_err() {
                        return None; // the store was closed
                    }
                }
                Ok(batch) => st.buffer.extend(batch),
            }
        }
    });
    Subscription::from_stream(Box::pin(stream))
}

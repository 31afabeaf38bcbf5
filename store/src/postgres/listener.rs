//! LISTEN for the appends of every instance that shares the store, and move the head watch
//! forward, so that subscriptions here wake for events written elsewhere; and NOTIFY this
//! instance's own appends to the others, on the same connection.
//!
//! A commit is notified after the writer has acknowledged it, together with the commits
//! acknowledged meanwhile, at most once every [`NOTIFY_INTERVAL`]: one short transaction on this
//! connection, not committed durably (a notification is never stored), which also delivers the
//! notification to this listener without waking another backend. Another instance so learns of
//! a commit a few milliseconds later than the writing one does. Commits whose sending failed are
//! sent again after the connection is back. Should a notification never come (this instance
//! stopped between its commit and the notification), the others see the store's head pass
//! theirs when they ask it, every [`HEAD_CHECK`], and read what they missed. An instance of the
//! version before has no such check: while instances are upgraded one by one, it learns of such a
//! commit only with the next commit notified by any instance.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;
use tokio_postgres::{AsyncMessage, NoTls};

use super::HEAD;
use super::notification::{Commit, Pending, advance, advance_unknown};
use crate::subscription::Head;

/// The least time between two notifications; the commits acknowledged meanwhile go together in
/// the next one.
const NOTIFY_INTERVAL: Duration = Duration::from_millis(5);

/// How often the store's head is read, to find commits whose notification never came. A head
/// that has not reached what the previous reading found (one interval earlier) is moved there:
/// such a commit reaches every instance within two intervals, well within the 2 s a query with
/// `Traject-Positie` waits for it.
const HEAD_CHECK: Duration = Duration::from_millis(500);

/// Listens until aborted. After a lost connection it reconnects (waiting a little longer each
/// time, up to 5 s) and reads the head again, so no notification missed meanwhile is lost.
/// Meanwhile the head says it is lost ([`Head::lost`]), so that subscriptions fail (and their
/// readers know they may be behind) instead of waiting quietly.
pub(super) async fn run(
    config: tokio_postgres::Config,
    channel: String,
    head: Arc<watch::Sender<Head>>,
    pending: Arc<Pending>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let started = tokio::time::Instant::now();
        let reason = match listen(&config, &channel, &head, &pending).await {
            Ok(()) => "de verbinding is gesloten".to_owned(),
            Err(e) => e.to_string(),
        };
        tracing::warn!(error = %reason, "event store listener: connection lost; reconnecting");
        head.send_modify(|h| {
            h.lost = Some(format!(
                "geen verbinding om nieuwe gebeurtenissen te horen: {reason}"
            ));
        });
        if started.elapsed() > Duration::from_secs(30) {
            backoff = Duration::from_millis(100);
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

async fn listen(
    config: &tokio_postgres::Config,
    channel: &str,
    head: &Arc<watch::Sender<Head>>,
    pending: &Pending,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    // The task that drives the connection moves the head itself: a commit's notification wakes
    // one task, not a second one behind a channel (a single coach's append on PostgreSQL ran
    // about 2 % faster for it, BENCHMARKS.md). `advance` only moves the head forward, so a
    // notification handled before the head read below is no harm.
    let mut driver = tokio::spawn({
        let head = Arc::clone(head);
        async move {
            let mut stream = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = stream.next().await {
                if let AsyncMessage::Notification(n) = message? {
                    // A payload that does not parse is passed over; the next commit's then
                    // leaves the positions in between unknown.
                    if let Some(commit) = Commit::parse(n.payload()) {
                        advance(&head, &commit);
                    }
                }
            }
            Ok(())
        }
    });
    let begin = async {
        // A notification is not worth a flush of the write-ahead log.
        client
            .batch_execute(&format!(
                "SET synchronous_commit = off; LISTEN \"{channel}\""
            ))
            .await?;
        // Whatever was committed before LISTEN took effect.
        let current: i64 = client.query_one(HEAD, &[]).await?.get(0);
        advance_unknown(head, current as u64);
        head.send_if_modified(|h| h.lost.take().is_some());
        Ok::<_, tokio_postgres::Error>(current as u64)
    };
    let read = match begin.await {
        Ok(current) => current,
        Err(e) => {
            driver.abort();
            return Err(e);
        }
    };
    // The client stays alive while the connection is listened to: dropping it would close it.
    let uitkomst = tokio::select! {
        uitkomst = &mut driver => uitkomst,
        Err(e) = notify(&client, channel, head, pending, read) => {
            driver.abort();
            return Err(e);
        }
    };
    drop(client);
    match uitkomst {
        Ok(result) => result,
        Err(e) => {
            // A fault of this program, not of the connection: said as such; `run` listens again.
            tracing::error!(error = %e, "event store listener: the task that listens stopped");
            Ok(())
        }
    }
}

/// Notifies this instance's commits as they come, and reads the store's head every
/// [`HEAD_CHECK`]; `read` is the head last read. Returns only when the connection fails.
async fn notify(
    client: &tokio_postgres::Client,
    channel: &str,
    head: &watch::Sender<Head>,
    pending: &Pending,
    mut read: u64,
) -> Result<Infallible, tokio_postgres::Error> {
    let statement = client
        .prepare("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p")
        .await?;
    let head_now = client.prepare(HEAD).await?;
    let mut check = tokio::time::interval(HEAD_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = pending.added() => {
                let unsent = Unsent::take(pending);
                if unsent.commits.is_empty() {
                    continue;
                }
                let payloads: Vec<String> = unsent.commits.iter().map(Commit::payload).collect();
                client.execute(&statement, &[&channel, &payloads]).await?;
                unsent.sent();
                tokio::time::sleep(NOTIFY_INTERVAL).await;
            }
            _ = check.tick() => {
                // What the previous reading found is committed, and every notification of it
                // should have come by now.
                if head.borrow().position < read {
                    advance_unknown(head, read);
                }
                read = client.query_one(&head_now, &[]).await?.get::<_, i64>(0) as u64;
            }
        }
    }
}

/// Commits taken to be notified: put back into [`Pending`] unless [`Unsent::sent`] says they
/// went, also when the sending is dropped halfway (the connection's task ended first).
struct Unsent<'a> {
    pending: &'a Pending,
    commits: Vec<Commit>,
}

impl<'a> Unsent<'a> {
    fn take(pending: &'a Pending) -> Self {
        Self {
            pending,
            commits: pending.take(),
        }
    }

    fn sent(mut self) {
        self.commits.clear();
    }
}

impl Drop for Unsent<'_> {
    fn drop(&mut self) {
        if !self.commits.is_empty() {
            self.pending.restore(std::mem::take(&mut self.commits));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_whose_sending_stopped_halfway_wait_to_be_sent_again() {
        let pending = Pending::default();
        let commit = Commit::parse(r#"{"first":1,"head":1,"categories":[["traject",1]]}"#)
            .expect("a commit");
        pending.push(commit.clone());
        // Dropped before it was sent: the connection's task ended first.
        drop(Unsent::take(&pending));
        assert_eq!(pending.take(), vec![commit.clone()]);
        pending.push(commit);
        Unsent::take(&pending).sent();
        assert_eq!(pending.take(), vec![]);
    }
}

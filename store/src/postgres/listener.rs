//! LISTEN for the appends of every instance that shares the store, and move the head watch
//! forward, so that subscriptions here wake for events written elsewhere.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;
use tokio_postgres::{AsyncMessage, NoTls};

use super::notification::{Commit, advance, advance_unknown};
use crate::subscription::Head;

/// Listens until aborted. After a lost connection it reconnects (waiting a little longer each
/// time, up to 5 s) and reads the head again, so no notification missed meanwhile is lost.
/// Meanwhile the head says it is lost ([`Head::lost`]), so that subscriptions fail (and their
/// readers know they may be behind) instead of waiting quietly.
pub(super) async fn run(
    config: tokio_postgres::Config,
    channel: String,
    head: Arc<watch::Sender<Head>>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let started = tokio::time::Instant::now();
        let reason = match listen(&config, &channel, &head).await {
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
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    // The task that drives the connection moves the head itself: a commit's notification wakes
    // one task, not a second one behind a channel (a single coach's append on PostgreSQL ran
    // about 2 % faster for it, BENCHMARKS.md). `advance` only moves the head forward, so a
    // notification handled before the head read below is no harm.
    let driver = tokio::spawn({
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
        client
            .batch_execute(&format!("LISTEN \"{channel}\""))
            .await?;
        // Whatever was committed before LISTEN took effect.
        let current: i64 = client
            .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
            .await?
            .get(0);
        advance_unknown(head, current as u64);
        head.send_if_modified(|h| h.lost.take().is_some());
        Ok::<_, tokio_postgres::Error>(())
    };
    if let Err(e) = begin.await {
        driver.abort();
        return Err(e);
    }
    // The client stays alive while the connection is listened to: dropping it would close it.
    let uitkomst = driver.await;
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

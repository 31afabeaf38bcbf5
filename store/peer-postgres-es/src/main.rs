//! postgres-es (the PostgreSQL event repository of the cqrs-es framework, 0.5) as a peer of
//! traject's PostgreSQL store: each writer is a coach recording on their own trajectory, one
//! event at a time (the event of `store/benches/peers.rs`), the next after the previous is
//! acknowledged. One round per writer count; per round a line for a script: writers, appends per
//! second, p50, p99 and maximum latency in ms, failures (an append that fails or takes longer
//! than two seconds counts as one).
//!
//! postgres-es keeps each aggregate's events under a primary key of (type, id, sequence): an
//! append is a transaction of one insert per event, and a second writer of the same sequence
//! fails on the key. It keeps no global order and sends no notification, which traject does.
//!
//! `scripts/bench-peers` builds it and runs it in turn with the store's own side
//! (`cargo bench -p traject-store --bench peers -- --bench --traject-only`), round by round, with
//! `POSTGRES_ES_URL` naming a scratch database that holds postgres-es's `events` table:
//! `--seconds S --writers 1,8,64`.

#[allow(dead_code)] // the Message DB benchmark's part of it
#[path = "../../benches/peers/gedeeld.rs"]
mod gedeeld;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::{Aggregate, DomainEvent};
use gedeeld::{Round, TIMEOUT, arg, data};
use postgres_es::PostgresEventRepository;
use serde::{Deserialize, Serialize};

/// A trajectory as postgres-es's aggregate: the benchmark only appends, so it holds nothing.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Traject;

/// The placement event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PlaatsingGestart(serde_json::Value);

impl DomainEvent for PlaatsingGestart {
    fn event_type(&self) -> String {
        "PlaatsingGestart".to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl Aggregate for Traject {
    const TYPE: &'static str = "traject";
    type Command = ();
    type Event = PlaatsingGestart;
    type Error = Infallible;
    type Services = ();

    async fn handle(
        &mut self,
        _: Self::Command,
        _: &Self::Services,
        _: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    fn apply(&mut self, _: Self::Event) {}
}

/// `writers` coaches appending through postgres-es for `duration`, each on its own aggregate.
async fn round(repo: &Arc<PostgresEventRepository>, writers: usize, duration: Duration) -> Round {
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let repo = Arc::clone(repo);
            tokio::spawn(async move {
                let mut id = uuid::Uuid::now_v7().to_string();
                let mut round = Round::default();
                let mut sequence = 0;
                while start.elapsed() < duration {
                    sequence += 1;
                    let metadata = serde_json::json!({
                        "actor": "coach-anna",
                        "correlation_id": uuid::Uuid::now_v7(),
                    });
                    let events = [SerializedEvent::new(
                        id.clone(),
                        sequence,
                        Traject::TYPE.to_owned(),
                        "PlaatsingGestart".to_owned(),
                        "1".to_owned(),
                        data(sequence as u64),
                        metadata,
                    )];
                    let begin = Instant::now();
                    let call = repo.persist::<Traject>(&events, None);
                    match tokio::time::timeout(TIMEOUT, call).await {
                        Ok(Ok(())) => {
                            round.latencies.push(begin.elapsed());
                            round.appends += 1;
                        }
                        _ => {
                            round.failures += 1;
                            // Whether it was written is unknown: go on under a new aggregate.
                            id = uuid::Uuid::now_v7().to_string();
                            sequence = 0;
                        }
                    }
                }
                round
            })
        })
        .collect();
    let mut parts = Vec::new();
    for t in tasks {
        parts.push(t.await.expect("a writer"));
    }
    Round::merge(parts, start.elapsed())
}

#[tokio::main]
async fn main() {
    let Ok(url) = std::env::var("POSTGRES_ES_URL") else {
        eprintln!(
            "POSTGRES_ES_URL: a database with postgres-es's events table (scripts/bench-peers)"
        );
        std::process::exit(2);
    };
    let seconds: u64 = arg("--seconds", 10);
    let writers: String = arg("--writers", "1,8,64".to_owned());
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(64)
        .connect(&url)
        .await
        .expect("postgres-es's database");
    let repo = Arc::new(PostgresEventRepository::new(pool));
    for writers in writers.split(',').filter_map(|n| n.parse::<usize>().ok()) {
        let r = round(&repo, writers, Duration::from_secs(seconds)).await;
        println!("{writers} {}", r.fields());
    }
}

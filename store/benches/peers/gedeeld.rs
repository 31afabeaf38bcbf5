//! What the peer benchmarks share, the one against Message DB (`store/benches/peers.rs`) and the
//! one against postgres-es (`store/peer-postgres-es`): the event every writer appends (the
//! store's own benchmark writes it too), what one side did in one round, the timeout and the
//! arguments.

use std::time::Duration;

/// An append that takes longer counts as failed.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// The value after `name` among the program's arguments, or `default`.
pub fn arg<T: std::str::FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A placement event's data, about the size of a real one; `n` makes each one differ.
pub fn data(n: u64) -> serde_json::Value {
    serde_json::json!({
        "datum": "2024-03-04",
        "plaatsing_id": uuid::Uuid::now_v7(),
        "werkgever": "Bakkerij De Korenschoof",
        "functie": "Medewerker productie",
        "uren_per_week": 24.0,
        "contract": {"vorm": "Vast"},
        "betaald": true,
        "regulier": true,
        "n": n,
    })
}

/// What one side did in one round.
#[derive(Debug, Default)]
pub struct Round {
    pub appends: usize,
    pub failures: usize,
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
}

impl Round {
    pub fn per_second(&self) -> f64 {
        self.appends as f64 / self.elapsed.as_secs_f64()
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        self.latencies[((self.latencies.len() as f64 - 1.0) * p).round() as usize]
    }

    pub fn merge(parts: Vec<Round>, elapsed: Duration) -> Round {
        let mut all = Round {
            elapsed,
            ..Round::default()
        };
        for p in parts {
            all.appends += p.appends;
            all.failures += p.failures;
            all.latencies.extend(p.latencies);
        }
        all.latencies.sort();
        all
    }

    /// Appends per second, p50, p99 and maximum latency in ms.
    fn figures(&self) -> [f64; 4] {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        [
            self.per_second(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.99)),
            ms(self.latencies.last().copied().unwrap_or_default()),
        ]
    }

    /// Appends per second, p50, p99 and maximum latency in ms, failures: for a script.
    pub fn fields(&self) -> String {
        let [rate, p50, p99, max] = self.figures();
        format!("{rate:.1} {p50:.3} {p99:.3} {max:.3} {}", self.failures)
    }

    /// The same for a reader.
    pub fn line(&self) -> String {
        let [rate, p50, p99, max] = self.figures();
        format!(
            "{rate:>8.0}/s  p50 {p50:>6.2} ms  p99 {p99:>6.2} ms  max {max:>7.2} ms  failures {}",
            self.failures
        )
    }
}

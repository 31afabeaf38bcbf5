//! Request tracing: every HTTP request gets a correlation id and a span that carries it, so each
//! log line of the request, its access-log entries and any `INTERNAL` error name the same id.
//!
//! The id is taken from an incoming `X-Correlation-Id` header when that is a UUID (a proxy or the
//! web client may have made one), otherwise made here (UUID v7), and returned in the response's
//! `X-Correlation-Id`. Only method, path, status and duration are logged: never the query text,
//! variables or the token, which may hold personal data.
//!
//! A log an operator can keep: each request is a line at debug, a server error (5xx) at warn,
//! and every interval ([`summarize`]) one line at info sums the requests up: how many, how many
//! answered 4xx and 5xx, and the latency's median, p99, p99.9 and maximum.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries the correlation id both ways.
pub const HEADER: HeaderName = HeaderName::from_static("x-correlation-id");

tokio::task_local! {
    static CORRELATIE: uuid::Uuid;
}

/// The correlation id of the request being handled, or a new one outside a request.
pub fn correlatie() -> uuid::Uuid {
    CORRELATIE
        .try_with(|c| *c)
        .unwrap_or_else(|_| uuid::Uuid::now_v7())
}

fn uit_header(request: &Request) -> Option<uuid::Uuid> {
    let tekst = request.headers().get(&HEADER)?.to_str().ok()?;
    uuid::Uuid::try_parse(tekst.trim()).ok()
}

/// The most latencies kept per interval for its percentiles (8 MB); beyond them the count and
/// the maximum stay exact and the percentiles are of the first ones.
const MAX_METINGEN: usize = 1_000_000;

/// The requests since the last summary.
#[derive(Debug, Default)]
pub struct Telling {
    interval: Mutex<Interval>,
}

#[derive(Debug, Default)]
struct Interval {
    verzoeken: u64,
    fouten_4xx: u64,
    fouten_5xx: u64,
    max_ms: f64,
    ms: Vec<f64>,
}

/// The requests of one interval, summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct Samenvatting {
    /// How many requests were answered.
    pub verzoeken: u64,
    /// How many with a 4xx status.
    pub fouten_4xx: u64,
    /// How many with a 5xx status.
    pub fouten_5xx: u64,
    /// The median latency in milliseconds.
    pub p50_ms: f64,
    /// The 99th percentile.
    pub p99_ms: f64,
    /// The 99.9th percentile.
    pub p999_ms: f64,
    /// The slowest.
    pub max_ms: f64,
}

impl Telling {
    fn tel(&self, status: u16, ms: f64) {
        let mut i = self.interval.lock().unwrap_or_else(|e| e.into_inner());
        i.verzoeken += 1;
        i.fouten_4xx += u64::from((400..500).contains(&status));
        i.fouten_5xx += u64::from(status >= 500);
        i.max_ms = i.max_ms.max(ms);
        if i.ms.len() < MAX_METINGEN {
            i.ms.push(ms);
        }
    }

    /// The requests since the last call, summed up, and a new interval begun; `None` when there
    /// were none.
    pub fn take(&self) -> Option<Samenvatting> {
        let mut i = std::mem::take(&mut *self.interval.lock().unwrap_or_else(|e| e.into_inner()));
        if i.verzoeken == 0 {
            return None;
        }
        i.ms.sort_by(f64::total_cmp);
        let p = |q: f64| {
            let n = ((i.ms.len() as f64 * q).ceil() as usize).clamp(1, i.ms.len());
            i.ms[n - 1]
        };
        Some(Samenvatting {
            verzoeken: i.verzoeken,
            fouten_4xx: i.fouten_4xx,
            fouten_5xx: i.fouten_5xx,
            p50_ms: p(0.5),
            p99_ms: p(0.99),
            p999_ms: p(0.999),
            max_ms: i.max_ms,
        })
    }
}

/// Logs the requests' summary at info every `elke`, when there were any.
pub async fn summarize(telling: Arc<Telling>, elke: Duration) {
    let mut tick = tokio::time::interval(elke);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await; // the first tick is immediate
    loop {
        tick.tick().await;
        if let Some(s) = telling.take() {
            let rond = |ms: f64| (ms * 10.0).round() / 10.0;
            tracing::info!(
                requests = s.verzoeken,
                errors_4xx = s.fouten_4xx,
                errors_5xx = s.fouten_5xx,
                p50_ms = rond(s.p50_ms),
                p99_ms = rond(s.p99_ms),
                p999_ms = rond(s.p999_ms),
                max_ms = rond(s.max_ms),
                seconds = elke.as_secs(),
                "requests summarized"
            );
        }
    }
}

/// The middleware: a span per request with its correlation id; the request counted for the
/// summary and logged at debug (warn for a server error) when it is done.
pub async fn trace(State(telling): State<Arc<Telling>>, request: Request, next: Next) -> Response {
    let id = uit_header(&request).unwrap_or_else(uuid::Uuid::now_v7);
    let span = tracing::info_span!(
        "request",
        correlation = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let begin = Instant::now();
    let mut response = CORRELATIE
        .scope(id, next.run(request))
        .instrument(span.clone())
        .await;
    let status = response.status().as_u16();
    let ms = begin.elapsed().as_secs_f64() * 1000.0;
    telling.tel(status, ms);
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, ms, "request handled");
        } else {
            tracing::debug!(status, ms, "request handled");
        }
    });
    if let Ok(waarde) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(HEADER, waarde);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_errors_and_takes_percentiles_then_starts_again() {
        let t = Telling::default();
        assert_eq!(t.take(), None);
        for ms in 1..=1000 {
            t.tel(200, f64::from(ms));
        }
        t.tel(404, 5000.0);
        t.tel(503, 0.5);
        let s = t.take().unwrap();
        assert_eq!((s.verzoeken, s.fouten_4xx, s.fouten_5xx), (1002, 1, 1));
        assert_eq!((s.p50_ms, s.p99_ms, s.max_ms), (500.0, 991.0, 5000.0));
        assert_eq!(s.p999_ms, 1000.0);
        assert_eq!(t.take(), None);
    }
}

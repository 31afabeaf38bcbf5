//! Request tracing: every HTTP request gets a correlation id and a span that carries it, so each
//! log line of the request, its access-log entries and any `INTERNAL` error name the same id.
//!
//! The id is taken from an incoming `X-Correlation-Id` header when that is a UUID (a proxy or the
//! web client may have made one), otherwise made here (UUID v7), and returned in the response's
//! `X-Correlation-Id`. Only method, path, status and duration are logged: never the query text,
//! variables or the token, which may hold personal data.

use std::time::Instant;

use axum::extract::Request;
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

/// The middleware: a span per request with its correlation id, one log line when it is done.
pub async fn volg(request: Request, next: Next) -> Response {
    let id = uit_header(&request).unwrap_or_else(uuid::Uuid::now_v7);
    let span = tracing::info_span!(
        "verzoek",
        correlatie = %id,
        methode = %request.method(),
        pad = %request.uri().path(),
    );
    let begin = Instant::now();
    let mut response = CORRELATIE
        .scope(id, next.run(request))
        .instrument(span.clone())
        .await;
    let status = response.status().as_u16();
    let ms = begin.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, ms, "verzoek afgehandeld"));
    if let Ok(waarde) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(HEADER, waarde);
    }
    response
}

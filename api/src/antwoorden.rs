//! What every answer of the API gets, whichever layer made it: `Cache-Control: no-store` (an
//! answer may hold personal data, which no browser or proxy cache keeps), `X-Content-Type-Options:
//! nosniff`, and for every error (4xx and 5xx) a JSON body with a code, also for the answers the
//! HTTP layers give without one (408 from the timeout, 413 from the body limit, 404, 405, the
//! plain 503 of `/ready`).

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest plain text of an error kept as its message (the `/ready` reasons).
const MAX_TEKST: usize = 512;

/// The middleware.
pub async fn finish_response(request: Request, next: Next) -> Response {
    // The upload of an import takes files, the rest of the API small requests.
    let bestand = request.uri().path() == "/import";
    let mut antwoord = next.run(request).await;
    let koppen = antwoord.headers_mut();
    koppen.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    koppen.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let status = antwoord.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&antwoord) {
        return antwoord;
    }
    // A plain text of our own (not compressed, short) is kept as the message; what a layer
    // wrote in English is replaced by the status's own message.
    let eigen_tekst = status == StatusCode::SERVICE_UNAVAILABLE
        && antwoord.headers().get(header::CONTENT_ENCODING).is_none()
        && antwoord
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain"));
    let (mut delen, body) = antwoord.into_parts();
    let tekst = if eigen_tekst {
        axum::body::to_bytes(body, MAX_TEKST)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
    } else {
        None
    };
    let (code, standaard) = code(status);
    let standaard = match status {
        StatusCode::PAYLOAD_TOO_LARGE if bestand => format!(
            "het bestand is te groot (ten hoogste {} MiB)",
            crate::import::MAX_BESTAND / (1024 * 1024)
        ),
        _ => standaard.to_owned(),
    };
    let body = serde_json::json!({
        "errors": [{
            "message": tekst.filter(|t| !t.trim().is_empty()).unwrap_or(standaard),
            "extensions": { "code": code }
        }]
    });
    delen.headers.remove(header::CONTENT_ENCODING);
    delen.headers.remove(header::CONTENT_LENGTH);
    delen.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    (delen, body.to_string()).into_response()
}

fn is_json(antwoord: &Response) -> bool {
    antwoord
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The code and the message of an error status that came without a body of ours.
fn code(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("BAD_REQUEST", "verzoek niet te lezen"),
        StatusCode::UNAUTHORIZED => ("UNAUTHENTICATED", "niet aangemeld"),
        StatusCode::FORBIDDEN => ("FORBIDDEN", "geen toegang"),
        StatusCode::NOT_FOUND => ("NOT_FOUND", "niet gevonden"),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("METHOD_NOT_ALLOWED", "deze methode is hier niet toegestaan")
        }
        StatusCode::REQUEST_TIMEOUT => (
            "REQUEST_TIMEOUT",
            "het verzoek duurde te lang en is afgebroken; probeer het opnieuw",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "PAYLOAD_TOO_LARGE",
            "de body is te groot (ten hoogste 64 KiB)",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("BAD_REQUEST", "dit inhoudstype wordt niet aangenomen")
        }
        StatusCode::TOO_MANY_REQUESTS => {
            ("RATE_LIMITED", "te veel verzoeken; probeer het zo opnieuw")
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            ("UNAVAILABLE", "nu niet beschikbaar; probeer het zo opnieuw")
        }
        s if s.is_client_error() => ("BAD_REQUEST", "verzoek geweigerd"),
        _ => ("INTERNAL", "interne fout"),
    }
}

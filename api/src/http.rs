//! GraphQL over HTTP, hardened as the GraphQL-over-HTTP spec and OWASP's GraphQL guidance ask:
//! one operation per request (batches refused), queries only over GET (a mutation over GET is
//! 405), POST only as `application/json` (415 otherwise, which also stops cross-site form
//! posts), a body size limit, and every error with an `extensions.code`. async-graphql's
//! ready-made service accepts batches and mutations over GET, so this is a handler of its own.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Response as GqlResponse, Variables};
use axum::body::Bytes;
use axum::extract::{Query as UrlQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::app::Staat;
use crate::auth::AuthError;
use crate::geheugen::{self, Geheugen};
use crate::schema::Verzoek;

/// The largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// Parsed documents by their text, each with its direct-path plan if it has one
/// ([`crate::direct`]). A client sends the same few queries again and again; parsing one costs
/// more than resolving a caseload page, so each text is parsed once. Bounded: only texts up to
/// [`Documenten::MAX_TEKST`] bytes are kept, and the cache is emptied when it holds
/// [`Documenten::MAX`] of them. A text that does not parse is not kept (the engine reports it),
/// nor one with a string literal (values belong in variables; a cached literal could be a name).
#[derive(Default)]
pub struct Documenten {
    cache: Mutex<HashMap<String, Arc<Geparseerd>>>,
}

/// A parsed document and its direct-path plan.
pub struct Geparseerd {
    /// The document.
    pub document: ExecutableDocument,
    /// The plan, if the direct path answers it.
    pub plan: Option<crate::direct::Plan>,
}

impl Documenten {
    /// How many documents are kept at most.
    pub const MAX: usize = 256;
    /// The longest text kept.
    pub const MAX_TEKST: usize = 8 * 1024;

    /// The parsed document of `query`, or `None` if it does not parse.
    pub fn parse(&self, query: &str) -> Option<Arc<Geparseerd>> {
        if let Some(geparseerd) = self.cache.lock().ok()?.get(query) {
            return Some(Arc::clone(geparseerd));
        }
        let document = async_graphql::parser::parse_query(query).ok()?;
        let plan = crate::direct::Plan::van(&document);
        let geparseerd = Arc::new(Geparseerd { document, plan });
        // A text with a string or block-string literal may carry a value, and values may be
        // personal data, which no cache holds: only texts whose values come in variables are kept.
        if query.len() <= Self::MAX_TEKST
            && !query.contains('"')
            && let Ok(mut cache) = self.cache.lock()
        {
            if cache.len() >= Self::MAX {
                cache.clear();
            }
            cache.insert(query.to_owned(), Arc::clone(&geparseerd));
        }
        Some(geparseerd)
    }
}

/// The requests that passed the engine's full validation, by a SHA-256 of their operation name,
/// document and variables. Validation depends on nothing but the schema and these three, so such
/// a request, sent again, passes again: it is then validated with the engine's fast checks only
/// (depth, complexity, fragment cycles; `schema::schema_na_validatie`), and answered exactly as
/// the first time. Full validation was the largest single cost of a caseload query. A request
/// that failed validation is never remembered, so its errors are reported by the full rules
/// every time. Only the hash is kept, never the text or the variables; at most [`Self::MAX`],
/// emptied when full.
#[derive(Default)]
pub struct Gevalideerd {
    sleutels: Geheugen<()>,
}

impl Gevalideerd {
    /// How many requests are remembered at most.
    pub const MAX: usize = geheugen::MAX;

    /// The key of a request.
    pub fn key(
        query: &str,
        operatie: Option<&str>,
        variabelen: Option<&serde_json::Value>,
    ) -> [u8; 32] {
        let mut hasher = Sha256::new();
        // Lengths first, so that no two different requests give one byte sequence.
        let operatie = operatie.map(str::as_bytes);
        let variabelen =
            variabelen.map(|v| serde_json::to_vec(v).expect("a JSON value serialises"));
        for deel in [Some(query.as_bytes()), operatie, variabelen.as_deref()] {
            match deel {
                None => hasher.update([0]),
                Some(bytes) => {
                    hasher.update([1]);
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(bytes);
                }
            }
        }
        hasher.finalize().into()
    }

    /// Whether the request with `sleutel` passed the full validation before.
    pub fn bekend(&self, sleutel: &[u8; 32]) -> bool {
        self.sleutels.get(sleutel).is_some()
    }

    /// Remembers that the request with `sleutel` passed the full validation.
    pub fn remember(&self, sleutel: [u8; 32]) {
        self.sleutels.remember(sleutel, ());
    }

    /// How many requests are remembered.
    pub fn aantal(&self) -> usize {
        self.sleutels.len()
    }
}

/// Whether `response` shows that its request passed validation: every error (if any) came from
/// a resolver, which gives it a path. Validation, parse and limit errors have none; so has
/// anything else that stops a request before it runs, which is then simply not remembered.
pub fn door_validatie(response: &GqlResponse) -> bool {
    response.errors.iter().all(|e| !e.path.is_empty())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Body {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    variables: Option<serde_json::Value>,
    /// Accepted as the spec allows, and not used.
    #[serde(default, rename = "extensions")]
    _extensions: Option<serde_json::Value>,
}

fn fout(status: StatusCode, bericht: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": bericht, "extensions": { "code": "BAD_REQUEST" } }]
    });
    (status, axum::Json(body)).into_response()
}

/// The answer of a request whose handler panicked: 500 with the GraphQL error form and a
/// correlation id, as for any internal failure. The panic's message comes from the code (an
/// `expect`), never from the request; it goes to the server log under that id.
pub fn paniek(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let correlatie = crate::spoor::correlatie();
    tracing::error!(correlation = %correlatie, detail = %detail, "handler panicked");
    let body = serde_json::json!({
        "errors": [{
            "message": format!("interne fout; meld correlatie-id {correlatie}"),
            "extensions": { "code": "INTERNAL", "correlatie": correlatie.to_string() },
        }]
    });
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

/// POST /graphql.
pub async fn post(State(staat): State<Staat>, headers: HeaderMap, body: Bytes) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return fout(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type moet application/json zijn",
        );
    }
    if body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'[')
    {
        return fout(
            StatusCode::BAD_REQUEST,
            "één operatie per verzoek: batches worden niet aangenomen",
        );
    }
    let body: Body = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(_) => {
            return fout(
                StatusCode::BAD_REQUEST,
                "de body moet een JSON-object zijn met query, en eventueel operationName en variables",
            );
        }
    };
    voer_uit(
        &staat,
        &headers,
        body.query,
        body.operation_name,
        body.variables,
        false,
    )
    .await
}

/// GET /graphql: queries only.
pub async fn get(
    State(staat): State<Staat>,
    headers: HeaderMap,
    UrlQuery(params): UrlQuery<HashMap<String, String>>,
) -> Response {
    let Some(query) = params.get("query").cloned() else {
        return fout(StatusCode::BAD_REQUEST, "parameter query ontbreekt");
    };
    let variables = match params.get("variables").map(|v| serde_json::from_str(v)) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => return fout(StatusCode::BAD_REQUEST, "variables is geen JSON"),
    };
    let operation = params.get("operationName").cloned();
    voer_uit(&staat, &headers, query, operation, variables, true).await
}

async fn voer_uit(
    staat: &Staat,
    headers: &HeaderMap,
    query: String,
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
    via_get: bool,
) -> Response {
    // Before the parser, which recurses into nested values without a limit.
    if let Err(regel) = crate::kosten::nesting(&query) {
        return fout(StatusCode::BAD_REQUEST, &regel);
    }
    let document = staat.documenten.parse(&query);
    if via_get {
        match document
            .as_ref()
            .and_then(|d| soort(&d.document, operation_name.as_deref()))
        {
            Some(OperationType::Query) => {}
            Some(_) => {
                let mut r = fout(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "alleen queries via GET; gebruik POST",
                );
                r.headers_mut()
                    .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
                return r;
            }
            None => {} // not parseable: the engine reports it
        }
    }
    let variabelen = variables
        .clone()
        .map(Variables::from_json)
        .unwrap_or_default();
    if let Some(d) = &document
        && let Err(regel) = crate::kosten::check(&d.document, &variabelen)
    {
        return fout(StatusCode::BAD_REQUEST, &regel);
    }
    let gebruiker = match bearer(headers) {
        Ok(t) => staat.verifier.verify_fresh(t).await,
        Err(e) => Err(e),
    };
    // A token that was sent and refused is refused as HTTP does (401 with the reason, RFC 6750),
    // before anything runs: also for a field that needs no caller, and so also in the log.
    if let Err(fout @ AuthError::Ongeldig(_)) = &gebruiker {
        return niet_aangemeld(fout);
    }
    if let Ok(g) = &gebruiker
        && let Err(wacht) = staat.limieten.gebruiker(&g.id)
    {
        return crate::limiet::te_veel(wacht, "van deze gebruiker");
    }
    let minimum = match headers.get(crate::schema::POSITIE_HEADER) {
        None => None,
        Some(waarde) => match waarde
            .to_str()
            .ok()
            .and_then(|t| t.trim().parse::<u64>().ok())
        {
            Some(p) => Some(traject_store::Position(p)),
            None => {
                return fout(
                    StatusCode::BAD_REQUEST,
                    "Traject-Positie: moet een storepositie zijn (een geheel getal, uit het antwoord op een wijziging)",
                );
            }
        },
    };
    let verzoek = Verzoek {
        gebruiker,
        correlatie: crate::spoor::correlatie(),
        minimum,
    };
    // A caseload page in the plain form is answered without the engine's value tree.
    if let Some(plan) = document.as_ref().and_then(|d| d.plan.as_ref())
        && let Some(direct) = plan
            .voer_uit(
                &staat.omgeving,
                &verzoek,
                operation_name.as_deref(),
                &variabelen,
            )
            .await
    {
        staat.direct.tel();
        return match direct {
            crate::direct::Antwoord::Json(body) => json_antwoord(StatusCode::OK, body),
            crate::direct::Antwoord::Fout(response) => antwoord(response),
        };
    }
    let sleutel = Gevalideerd::key(&query, operation_name.as_deref(), variables.as_ref());
    let mut request = Request::new(query);
    if let Some(d) = document {
        request.set_parsed_query(d.document.clone());
    }
    if let Some(naam) = operation_name {
        request = request.operation_name(naam);
    }
    request = request.variables(variabelen);
    let response = if staat.gevalideerd.bekend(&sleutel) {
        staat
            .schema_na_validatie
            .execute(request.data(verzoek))
            .await
    } else {
        let response = staat.schema.execute(request.data(verzoek)).await;
        if door_validatie(&response) {
            staat.gevalideerd.remember(sleutel);
        }
        response
    };
    antwoord(response)
}

/// A JSON body with `status`.
fn json_antwoord(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// The HTTP answer of a GraphQL response: its errors given codes, the headers a resolver set,
/// and 503 with `Retry-After` when a query could not answer completely.
fn antwoord(mut response: GqlResponse) -> Response {
    met_codes(&mut response);
    // Headers a resolver set (a mutation's `Traject-Positie`).
    let extra = std::mem::take(&mut response.http_headers);
    // A query that cannot answer completely now says so over HTTP too, with when to try again.
    let onbeschikbaar = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from("UNAVAILABLE"))
    });
    let mut antwoord = match serde_json::to_vec(&response) {
        Ok(body) if onbeschikbaar => {
            let mut r = json_antwoord(StatusCode::SERVICE_UNAVAILABLE, body);
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            r
        }
        Ok(body) => json_antwoord(StatusCode::OK, body),
        Err(e) => {
            let fout = crate::schema::ApiError::intern(format!("antwoord niet te coderen: {e}"));
            let body = GqlResponse::from_errors(vec![
                async_graphql::Error::from(fout).into_server_error(Default::default()),
            ]);
            (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
        }
    };
    antwoord.headers_mut().extend(extra);
    antwoord
}

/// 401 for a refused token: a JSON error with the code UNAUTHENTICATED and the reason (never
/// the token), and `WWW-Authenticate: Bearer error="invalid_token"`.
pub fn niet_aangemeld(fout: &AuthError) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": fout.to_string(), "extensions": { "code": "UNAUTHENTICATED" } }]
    });
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
        )],
        axum::Json(body),
    )
        .into_response()
}

/// The token of an `Authorization: Bearer` header.
pub fn bearer(headers: &HeaderMap) -> Result<&str, AuthError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::Ontbreekt)
}

/// The type of the operation `document` will run.
fn soort(document: &ExecutableDocument, operation_name: Option<&str>) -> Option<OperationType> {
    match (&document.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(naam)) => ops.get(naam).map(|op| op.node.ty),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| op.node.ty)
        }
        // Several operations and none chosen: refuse over GET rather than guess.
        (DocumentOperations::Multiple(_), None) => Some(OperationType::Mutation),
    }
}

/// Errors the engine raises before any resolver runs (syntax, validation, variables, limits)
/// carry no code of ours: they are the request's fault. Their messages may quote the request
/// (a misspelt field, an unknown input field, the source line of a syntax error), and a request
/// may hold personal data: such messages keep only what the schema itself names.
pub fn met_codes(response: &mut GqlResponse) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_USER_INPUT");
            error.message = zonder_invoer(&error.message);
        }
    }
}

/// The words the schema is made of: its types, fields, arguments and enum values.
fn schemawoorden() -> &'static HashSet<String> {
    static WOORDEN: OnceLock<HashSet<String>> = OnceLock::new();
    WOORDEN.get_or_init(|| {
        crate::schema::sdl()
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

/// An engine message without anything quoted from the request: a quoted text stays only when
/// every word of it is one of the schema's; a message that shows the query's source (a syntax
/// error, over several lines) becomes a fixed text, its location stays in `locations`.
pub fn zonder_invoer(bericht: &str) -> String {
    if bericht.contains('\n') {
        return "syntaxfout in de query (zie locations)".to_owned();
    }
    let mut uit = String::with_capacity(bericht.len());
    let mut rest = bericht;
    while let Some(begin) = rest.find(['"', '`']) {
        let teken = rest[begin..].chars().next().expect("found above");
        uit.push_str(&rest[..=begin]);
        let na = &rest[begin + 1..];
        let Some(eind) = na.find(teken) else {
            uit.push('…');
            return uit;
        };
        let geciteerd = &na[..eind];
        let bekend = geciteerd
            .split(['.', ' ', '!', '[', ']', ','])
            .filter(|w| !w.is_empty())
            .all(|w| schemawoorden().contains(w));
        uit.push_str(if bekend { geciteerd } else { "…" });
        uit.push(teken);
        rest = &na[eind + 1..];
    }
    uit.push_str(rest);
    uit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_a_correlation_id() {
        for payload in [
            Box::new("bounded date") as Box<dyn std::any::Any + Send>,
            Box::new(String::from("bounded date")),
            Box::new(7_u8),
        ] {
            let antwoord = paniek(payload);
            assert_eq!(antwoord.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(antwoord.into_body(), 1 << 16)
                .await
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let fout = &json["errors"][0];
            assert_eq!(fout["extensions"]["code"], "INTERNAL", "{json}");
            let correlatie = fout["extensions"]["correlatie"].as_str().unwrap();
            assert!(uuid::Uuid::try_parse(correlatie).is_ok(), "{json}");
            assert!(
                !fout["message"].as_str().unwrap().contains("bounded"),
                "{json}"
            );
        }
    }

    #[test]
    fn documents_with_literal_values_are_not_cached() {
        let documenten = Documenten::default();
        let met_variabele = "query($z: String) { caseload(zoek: $z) { totaal } }";
        let met_waarde = r#"{ caseload(zoek: "Xanthippe") { totaal } }"#;
        assert!(documenten.parse(met_variabele).is_some());
        assert!(documenten.parse(met_waarde).is_some());
        let cache = documenten.cache.lock().unwrap();
        assert!(cache.contains_key(met_variabele));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn a_validated_request_is_known_by_its_document_operation_and_variables() {
        let q = "query A($n: Int) { caseload(aantal: $n) { totaal } }";
        let sleutel = |q: &str, o: Option<&str>, v: Option<serde_json::Value>| {
            Gevalideerd::key(q, o, v.as_ref())
        };
        let gevalideerd = Gevalideerd::default();
        gevalideerd.remember(sleutel(q, None, Some(serde_json::json!({"n": 5}))));
        assert!(gevalideerd.bekend(&sleutel(q, None, Some(serde_json::json!({"n": 5})))));
        for ander in [
            sleutel(q, None, Some(serde_json::json!({"n": "vijf"}))),
            sleutel(q, None, None),
            sleutel(q, Some("A"), Some(serde_json::json!({"n": 5}))),
            sleutel(
                &q.replace("totaal", "volgende"),
                None,
                Some(serde_json::json!({"n": 5})),
            ),
            // No part runs into the next.
            sleutel("a", Some("b"), None),
            sleutel("ab", None, None),
            sleutel("a", Some(""), None),
            sleutel("a", None, None),
        ] {
            assert!(!gevalideerd.bekend(&ander));
        }
        assert_ne!(sleutel("a", Some(""), None), sleutel("a", None, None));
        assert_ne!(sleutel("a", Some("b"), None), sleutel("ab", None, None));
    }

    #[test]
    fn the_validated_requests_are_bounded() {
        let gevalideerd = Gevalideerd::default();
        for i in 0..Gevalideerd::MAX {
            gevalideerd.remember(Gevalideerd::key(&i.to_string(), None, None));
        }
        assert_eq!(gevalideerd.aantal(), Gevalideerd::MAX);
        gevalideerd.remember(Gevalideerd::key("nog een", None, None));
        assert_eq!(gevalideerd.aantal(), 1);
        assert!(gevalideerd.bekend(&Gevalideerd::key("nog een", None, None)));
    }

    #[test]
    fn engine_messages_keep_only_the_schemas_words() {
        assert_eq!(
            zonder_invoer(r#"Unknown field "Xanthippe" on type "Query"."#),
            r#"Unknown field "…" on type "Query"."#
        );
        assert_eq!(
            zonder_invoer(
                r#"Invalid value for argument "gegevens.geboortedatum", expected type "String""#
            ),
            r#"Invalid value for argument "gegevens.geboortedatum", expected type "String""#
        );
        assert_eq!(zonder_invoer("a \"Jan Query"), "a \"…");
        assert!(!zonder_invoer(" --> 1:3\n  |\n1 | { Xanthippe }").contains("Xanthippe"));
    }
}

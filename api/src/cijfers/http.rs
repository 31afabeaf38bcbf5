//! `GET /export/cijfers?van=2024Q1&tot=2025Q4&formaat=csv|json|xlsx[&regio=AM03][&voorlopig=ja]`:
//! the export over HTTP, with a bearer token: the released figures. A regio user gets their own
//! region's, a landelijk user `regio`'s or, without it, every region's and the national table;
//! a landelijk user may add the provisional figures of quarters not released yet. Writes
//! nothing.
//!
//! Errors are JSON with the same codes as the GraphQL API: 401 UNAUTHENTICATED, 403 FORBIDDEN
//! with the rule, 400 BAD_USER_INPUT with the field and rule, 500 INTERNAL with a correlation id.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use traject_domain::value::Regio;

use super::format::{FileFormat, Selectie, write};
use crate::app::Staat;
use crate::schema::ApiError;
use crate::toegang;

/// GET /export/cijfers.
pub async fn export(
    State(staat): State<Staat>,
    headers: HeaderMap,
    Query(lijst): Query<Vec<(String, String)>>,
) -> Response {
    match maak(&staat, &headers, lijst).await {
        Ok(antwoord) => antwoord,
        Err(fout) => fout_antwoord(&fout),
    }
}

async fn maak(
    staat: &Staat,
    headers: &HeaderMap,
    lijst: Vec<(String, String)>,
) -> Result<Response, ApiError> {
    let (gebruiker, params) = match crate::export::aanvrager(
        staat,
        headers,
        lijst,
        &["van", "tot", "formaat", "regio", "voorlopig"],
    )
    .await?
    {
        Ok(g) => g,
        Err(antwoord) => return Ok(antwoord),
    };
    let nodig = |veld: &'static str| {
        params.get(veld).ok_or_else(|| {
            ApiError::invoer(veld, "is verplicht (een kwartaal, bijvoorbeeld 2024Q1)")
        })
    };
    let gevraagd = params.get("regio").map(|r| Regio::parse(r)).transpose()?;
    let (bereik, _) =
        toegang::cijfers(&gebruiker, gevraagd).map_err(|w| ApiError::Verboden(w.regel))?;
    let selectie = Selectie::parse(bereik, nodig("van")?, nodig("tot")?)?;
    let formaat: FileFormat = params
        .get("formaat")
        .map_or(Ok(FileFormat::Csv), |f| f.parse())
        .map_err(|_| ApiError::invoer("formaat", "moet csv, csv-nl, json of xlsx zijn"))?;
    let voorlopig = match params.get("voorlopig").map(String::as_str) {
        None | Some("nee") => false,
        Some("ja") => true,
        Some(_) => return Err(ApiError::invoer("voorlopig", "moet ja of nee zijn")),
    };
    if voorlopig {
        toegang::voorlopige_cijfers(&gebruiker).map_err(|w| ApiError::Verboden(w.regel))?;
        crate::schema::leesmodellen_klaar(&staat.projecties, staat.start_head).await?;
    }
    let uitgave = staat
        .vrijgaven
        .uitgave(selectie.van, selectie.tot, voorlopig, (staat.vandaag)())
        .await
        .map_err(ApiError::intern)?;
    let bestand = write(&uitgave, &selectie, formaat).map_err(ApiError::intern)?;
    tracing::info!(
        user = %gebruiker.id,
        scope = %selectie.bereik_naam(),
        format = formaat.naam(),
        "cijfers exported"
    );
    Ok(crate::export::bijlage(
        bestand,
        formaat.media_type(),
        &selectie.file_name(formaat),
    ))
}

/// An error as JSON with its HTTP status, as the GraphQL API words it.
pub(crate) fn fout_antwoord(fout: &ApiError) -> Response {
    let status = match fout {
        ApiError::NietIngelogd(_) => StatusCode::UNAUTHORIZED,
        ApiError::Verboden(_) => StatusCode::FORBIDDEN,
        ApiError::Invoer { .. } | ApiError::Conflict { .. } => StatusCode::BAD_REQUEST,
        ApiError::NietGevonden(_) => StatusCode::NOT_FOUND,
        ApiError::TeVeel { .. } => StatusCode::TOO_MANY_REQUESTS,
        ApiError::NietBeschikbaar(_) => StatusCode::SERVICE_UNAVAILABLE,
        ApiError::Intern { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    };
    // The same message and extensions as the GraphQL API gives.
    let fout = async_graphql::Error::from(fout.clone());
    let body = json!({ "errors": [{ "message": fout.message, "extensions": fout.extensions }] });
    (status, axum::Json(body)).into_response()
}

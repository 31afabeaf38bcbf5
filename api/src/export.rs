//! What every file export over HTTP (`/export/cijfers`, `/export/kwaliteit`,
//! `/export/businesscase`) does the same way: the caller from a bearer token, the per-user rate
//! limit, only known query parameters, each once (an unknown name is never repeated: a caller's
//! text does not come back in an answer), and the file as an attachment that caches do not keep.

use std::collections::HashMap;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use traject_dienst::Gebruiker;

use crate::app::Staat;
use crate::http::bearer;
use crate::schema::ApiError;

/// The query parameters, each at most once: a repeated one is refused rather than one of its
/// values taken silently (which one is not said: the caller's text does not come back).
fn parameters(lijst: Vec<(String, String)>) -> Result<HashMap<String, String>, ApiError> {
    let mut uit = HashMap::new();
    for (naam, waarde) in lijst {
        if uit.insert(naam, waarde).is_some() {
            return Err(ApiError::invoer(
                "parameters",
                "bevat een parameter meer dan eens",
            ));
        }
    }
    Ok(uit)
}

/// The caller of an export and its query parameters `lijst`, each once and among `bekend`;
/// `Ok(Err(answer))` when the rate limit answers instead. The caller is known before the
/// parameters are looked at: a request without a valid token learns nothing about them.
pub async fn aanvrager(
    staat: &Staat,
    headers: &HeaderMap,
    lijst: Vec<(String, String)>,
    bekend: &[&str],
) -> Result<Result<(Gebruiker, HashMap<String, String>), Response>, ApiError> {
    let gebruiker = match bearer(headers) {
        Ok(t) => staat.verifier.verify_fresh(t).await,
        Err(e) => Err(e),
    }
    .map_err(|e| ApiError::NietIngelogd(e.to_string()))?;
    if let Err(wacht) = staat.limieten.gebruiker(&gebruiker.id) {
        return Ok(Err(crate::limiet::te_veel(wacht, "van deze gebruiker")));
    }
    let params = parameters(lijst)?;
    if params.keys().any(|k| !bekend.contains(&k.as_str())) {
        let namen = match bekend {
            [] => String::new(),
            [een] => (*een).to_owned(),
            [voor @ .., laatste] => format!("{} en {laatste}", voor.join(", ")),
        };
        return Err(ApiError::invoer(
            "parameters",
            format!("een onbekende parameter; bekend zijn {namen}"),
        ));
    }
    Ok(Ok((gebruiker, params)))
}

/// `bestand` as an attachment named `naam`, of `media_type`, not to be stored.
pub fn bijlage(bestand: Vec<u8>, media_type: &'static str, naam: &str) -> Response {
    let mut antwoord = (StatusCode::OK, bestand).into_response();
    let kop = antwoord.headers_mut();
    kop.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(waarde) = HeaderValue::from_str(&format!("attachment; filename=\"{naam}\"")) {
        kop.insert(header::CONTENT_DISPOSITION, waarde);
    }
    kop.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    antwoord
}

/// A workbook's properties: its title and, as its creation time, the release's day (not the
/// request's), so that the same release gives the same bytes.
pub fn werkboek_eigenschappen(
    titel: &str,
    dag: chrono::NaiveDate,
) -> Result<rust_xlsxwriter::DocProperties, rust_xlsxwriter::XlsxError> {
    let gemaakt = rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&dag)).unwrap_or(2000),
        chrono::Datelike::month(&dag) as u8,
        chrono::Datelike::day(&dag) as u8,
    )?;
    Ok(rust_xlsxwriter::DocProperties::new()
        .set_title(titel)
        .set_creation_datetime(&gemaakt))
}

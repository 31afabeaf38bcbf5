//! The import over HTTP, for the web client's upload (a teamleider of the organisation):
//!
//! - `POST /import?proef=ja|nee` with the file (XLSX or CSV) as the body and a bearer token:
//!   the report as JSON. `proef=ja` (the default) decides every row and writes nothing, so the
//!   web client shows a preview before the teamleider confirms with `proef=nee`. The trajectories
//!   go to the token's organisation; rows without a region get the token's region.
//! - `GET /import/sjabloon?indeling=traject|gebeurtenis`: the XLSX template (no data, no token).
//!
//! The import runs to its end in a task of its own, also when the request is cancelled, and is
//! answered once the read models show it. The report names rows, columns and rules, never a
//! cell's content. Errors are JSON with the same codes as the GraphQL API.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use traject_dienst::import::ImportUitkomst;
use traject_dienst::toegangslog::{Actie, Resultaat};
use traject_dienst::{DienstError, Inzage, Verzoeker, logcode};
use traject_import::{Indeling, Opties, Verslag};

use crate::app::Staat;
use crate::http::bearer;
use crate::schema::ApiError;

/// The largest file taken: 100,000 rows of a wide sheet.
pub const MAX_BESTAND: usize = 64 * 1024 * 1024;
/// How long an import may take before the request answers REQUEST_TIMEOUT (the import itself
/// goes on; importing the file again continues where it was).
pub const MAX_DUUR: Duration = Duration::from_secs(900);

/// POST /import.
pub async fn importeer(
    State(staat): State<Staat>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    body: Body,
) -> Response {
    match maak(&staat, &headers, &params, body).await {
        Ok(v) => (StatusCode::OK, axum::Json(v)).into_response(),
        Err(fout) => crate::cijfers::http::fout_antwoord(&fout),
    }
}

async fn maak(
    staat: &Staat,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    body: Body,
) -> Result<Value, ApiError> {
    let gebruiker = match bearer(headers) {
        Ok(t) => staat.verifier.verify_fresh(t).await,
        Err(e) => Err(e),
    }
    .map_err(|e| ApiError::NietIngelogd(e.to_string()))?;
    if params.keys().any(|k| k != "proef") {
        return Err(ApiError::invoer(
            "parameters",
            "een onbekende parameter; bekend is alleen proef",
        ));
    }
    let proef = match params.get("proef").map(String::as_str) {
        None | Some("ja") => true,
        Some("nee") => false,
        Some(_) => return Err(ApiError::invoer("proef", "moet ja of nee zijn")),
    };
    let dienst = staat.dienst.clone();
    let wie = Verzoeker {
        gebruiker: &gebruiker,
        correlatie: uuid::Uuid::now_v7(),
    };
    // Refused once for the whole file, with one entry in the access log.
    let toegestaan = match gebruiker.organisatie.clone() {
        Some(o) => crate::toegang::importeren(&gebruiker, &o)
            .map(|_| o)
            .map_err(|w| w.regel),
        None => Err("alleen-in-eigen-organisatie"),
    };
    let organisatie = match toegestaan {
        Ok(o) => o,
        Err(regel) => {
            let inzage = Inzage {
                code: logcode::TRAJECT_IMPORTEREN,
                actie: Actie::C,
                resultaat: Resultaat::Geweigerd,
                rol: None,
                regel,
                clients: vec![],
                traject: None,
            };
            dienst.log(&wie, inzage).await?;
            return Err(ApiError::Verboden(regel));
        }
    };
    // The file is read only now, for a teamleider of the organisation: nobody else makes the
    // server hold up to 64 MiB.
    let body = axum::body::to_bytes(body, MAX_BESTAND).await.map_err(|_| {
        ApiError::invoer(
            "bestand",
            format!(
                "kon niet helemaal worden ontvangen, of is groter dan {} MiB",
                MAX_BESTAND / (1024 * 1024)
            ),
        )
    })?;
    if body.is_empty() {
        return Err(ApiError::invoer(
            "bestand",
            "is leeg: stuur het XLSX- of CSV-bestand mee",
        ));
    }
    let opties = Opties {
        organisatie,
        regio: gebruiker.regio,
        proef,
    };
    let correlatie = wie.correlatie;
    let taak = tokio::spawn(async move {
        let wie = Verzoeker {
            gebruiker: &gebruiker,
            correlatie,
        };
        let verslag = traject_import::importeer(&dienst, &wie, &body, &opties).await;
        if let Ok(v) = &verslag
            && let Some(positie) = v.laatste_positie()
        {
            // The answer shows what was imported: the caseload is current when it arrives.
            dienst
                .projecties
                .wait_for(positie, dienst.wacht)
                .await
                .map_err(DienstError::van_wachten)?;
        }
        Ok::<_, DienstError>(verslag)
    });
    let verslag = taak
        .await
        .map_err(ApiError::intern)??
        .map_err(|e| ApiError::invoer("bestand", e.to_string()))?;
    tracing::info!(
        proef,
        trajecten = verslag.trajecten.len(),
        refused = verslag.tellingen().geweigerd,
        "import"
    );
    Ok(als_json(&verslag))
}

fn als_json(v: &Verslag) -> Value {
    let t = v.tellingen();
    let trajecten: Vec<Value> = v
        .trajecten
        .iter()
        .map(|t| match &t.uitkomst {
            Ok(u) => {
                let (uitkomst, events) = match u {
                    ImportUitkomst::Vastgelegd { events, .. } => ("vastgelegd", *events),
                    ImportUitkomst::Aangevuld { events, .. } => ("aangevuld", *events),
                    ImportUitkomst::Ongewijzigd => ("ongewijzigd", 0),
                    ImportUitkomst::Proef { events } => ("wordt_vastgelegd", *events),
                };
                json!({ "rij": t.rij, "uitkomst": uitkomst, "gebeurtenissen": events })
            }
            Err(f) => {
                let (veld, regel, bericht) = match &f.fout {
                    DienstError::Invoer {
                        veld,
                        regel,
                        bericht,
                    } => (veld.clone(), *regel, bericht.clone()),
                    DienstError::Verboden(regel) => {
                        ("organisatie".to_owned(), *regel, "geen toegang".to_owned())
                    }
                    DienstError::Intern(_) => (
                        String::new(),
                        "intern",
                        "interne fout; zie het log van de server".to_owned(),
                    ),
                    other => (String::new(), "fout", other.to_string()),
                };
                let kolom = (!veld.is_empty())
                    .then(|| traject_import::kolom(v.indeling, f.sleutel.as_deref(), &veld));
                json!({
                    "rij": t.rij, "uitkomst": "geweigerd",
                    "fout": {
                        "rij": f.rij, "veld": veld, "kolom": kolom, "regel": regel,
                        "bericht": bericht,
                    },
                })
            }
        })
        .collect();
    let rijfouten: Vec<Value> = v
        .rijfouten
        .iter()
        .map(|r| json!({ "rij": r.rij, "kolom": r.kolom, "regel": r.regel, "bericht": r.bericht }))
        .collect();
    json!({
        "vorm": v.vorm,
        "indeling": match v.indeling { Indeling::PerTraject => "traject", Indeling::PerGebeurtenis => "gebeurtenis" },
        "proef": v.proef,
        "rijen": v.rijen,
        "onbekendeKolommen": v.onbekende_kolommen,
        "trajecten": trajecten,
        "rijfouten": rijfouten,
        "afgebroken": v.afgebroken,
        "tellingen": {
            "vastgelegd": t.vastgelegd, "aangevuld": t.aangevuld, "ongewijzigd": t.ongewijzigd,
            "geweigerd": t.geweigerd, "gebeurtenissen": t.events,
        },
        "tekst": v.to_string(),
    })
}

/// GET /import/sjabloon.
pub async fn sjabloon(Query(params): Query<HashMap<String, String>>) -> Response {
    let indeling = match params.get("indeling").map(String::as_str) {
        None | Some("traject") => Indeling::PerTraject,
        Some("gebeurtenis") => Indeling::PerGebeurtenis,
        Some(_) => {
            return crate::cijfers::http::fout_antwoord(&ApiError::invoer(
                "indeling",
                "moet traject of gebeurtenis zijn",
            ));
        }
    };
    let naam = match indeling {
        Indeling::PerTraject => "traject-import-per-traject.xlsx",
        Indeling::PerGebeurtenis => "traject-import-per-gebeurtenis.xlsx",
    };
    match traject_import::sjabloon::xlsx(indeling) {
        Ok(bytes) => {
            let mut antwoord = (StatusCode::OK, bytes).into_response();
            let kop = antwoord.headers_mut();
            kop.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            );
            if let Ok(w) = HeaderValue::from_str(&format!("attachment; filename=\"{naam}\"")) {
                kop.insert(header::CONTENT_DISPOSITION, w);
            }
            antwoord
        }
        Err(e) => crate::cijfers::http::fout_antwoord(&ApiError::intern(e)),
    }
}

//! The societal business case at the edge: which case a caller sees ([`businesscase_voor`]),
//! a what-if over it, its files (CSV, and XLSX with the assumptions on a sheet of their own) and
//! `GET /export/businesscase?jaar=2025[&regio=AM23][&formaat=csv|xlsx]` ([`export`]).
//!
//! The counts come from the year's release (`traject_vrijgave::businesscase`); the money is
//! computed from them with the region's assumptions (a JSON file in the directory of
//! `--businesscase-aannames`, over the defaults) on every read, so a what-if writes nothing. A
//! region whose counts are withheld sees the nation's counts with its own assumptions, and is
//! told so.

use std::collections::BTreeMap;
use std::path::Path;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rust_xlsxwriter::{Format as XlsxFormat, Workbook, XlsxError};
use traject_businesscase::{Aannames, Partij, Scenario, Uitkomst, bereken_geschaald};
use traject_domain::value::{Methode, Regio};
use traject_vrijgave::Vrijgaven;
use traject_vrijgave::businesscase::BusinesscaseKop;

use crate::app::Staat;
use crate::cijfers::http::fout_antwoord;
use crate::schema::ApiError;
use crate::toegang::{self, CijferBereik};
use traject_dienst::Gebruiker;

/// A what-if: trajectories per method instead of those counted, and changed assumptions (JSON
/// over the region's).
#[derive(Debug, Clone, Default)]
pub struct WatAls {
    /// Per method the number of trajectories to compute with.
    pub trajecten: BTreeMap<Methode, u64>,
    /// Changed assumptions, as JSON.
    pub aannames: Option<String>,
}

/// A business case as the caller sees it: every scenario and horizon.
#[derive(Debug, Clone)]
pub struct Businesscase {
    /// The region, or `None` for the nation.
    pub regio: Option<Regio>,
    /// Whether the nation's counts stand in for a region whose counts are withheld.
    pub landelijke_tellingen: bool,
    /// What in the counts is estimated, in words.
    pub schattingen: Vec<String>,
    /// The release of the counts.
    pub kop: BusinesscaseKop,
    /// The assumptions used.
    pub aannames: Aannames,
    /// Whether a what-if changed anything.
    pub wat_als: bool,
    /// Trajectories per method in the counts, and as computed with.
    pub trajecten: BTreeMap<Methode, (u64, u64)>,
    /// Per scenario and horizon, the case.
    pub uitkomsten: Vec<Uitkomst>,
}

/// The assumptions of `regio` (`None`: the nation) from `map`, or the defaults.
pub fn aannames_van(map: Option<&Path>, regio: Option<Regio>) -> Result<Aannames, ApiError> {
    let naam = format!("{}.json", regio.map_or("NL", |r| r.code()));
    let Some(pad) = map.map(|m| m.join(&naam)).filter(|p| p.exists()) else {
        return Ok(Aannames::standaard());
    };
    let tekst = std::fs::read_to_string(&pad).map_err(ApiError::intern)?;
    Aannames::lees(&tekst).map_err(|e| {
        // The operator's file is wrong, not the caller's question: an internal error, whose
        // correlation id finds the file, the field and the rule in the log.
        ApiError::intern(format!(
            "businesscase assumptions file {} refused: {e}",
            pad.display()
        ))
    })
}

/// The case `gebruiker` may see for `jaar` (`regio`: a landelijk user's choice), with `wat_als`.
pub async fn businesscase_voor(
    vrijgaven: &Vrijgaven,
    aannames_map: Option<&Path>,
    gebruiker: &Gebruiker,
    jaar: i32,
    regio: Option<&str>,
    wat_als: &WatAls,
) -> Result<Businesscase, ApiError> {
    let gevraagd = regio.map(Regio::parse).transpose()?;
    let (bereik, _) =
        toegang::cijfers(gebruiker, gevraagd).map_err(|w| ApiError::Verboden(w.regel))?;
    let regio = match bereik {
        CijferBereik::Regio(r) => Some(r),
        CijferBereik::Landelijk => None,
    };
    if !(2000..=2100).contains(&jaar) {
        return Err(ApiError::invoer(
            "jaar",
            "moet een jaar van 2000 tot 2100 zijn",
        ));
    }
    let vrijgave = vrijgaven
        .businesscase(jaar)
        .await
        .map_err(ApiError::intern)?
        .ok_or_else(|| {
            ApiError::regel(
                "jaar",
                "businesscase_niet_vrijgegeven",
                format!("de tellingen voor de businesscase van {jaar} zijn nog niet vrijgegeven"),
            )
        })?;
    let (tellingen, landelijke_tellingen) = match vrijgave.tellingen.get(&regio) {
        Some(Some(t)) => (t.clone(), false),
        _ => match vrijgave.tellingen.get(&None) {
            Some(Some(t)) if regio.is_some() => (t.clone(), true),
            _ => {
                return Err(ApiError::regel(
                    "jaar",
                    "businesscase_achtergehouden",
                    format!("de tellingen van {jaar} zijn te klein om te tonen, ook landelijk"),
                ));
            }
        },
    };
    // The rows whose split is the nation's: a region's own counts only (the nation's split is
    // its own, and a withheld region computes with the nation's).
    let schattingen = if regio.is_some() && !landelijke_tellingen {
        vrijgave.geschat.iter().map(|r| r.schatting()).collect()
    } else {
        Vec::new()
    };
    let mut aannames = aannames_van(aannames_map, regio)?;
    if let Some(json) = &wat_als.aannames {
        aannames = Aannames::wat_als(&aannames, json).map_err(|e| {
            ApiError::regel(
                format!("watAls.aannames.{}", e.veld),
                "aanname_ongeldig",
                e.to_string(),
            )
        })?;
    }
    let mut schaal = BTreeMap::new();
    let mut trajecten = BTreeMap::new();
    for m in Methode::ALL {
        let geteld = tellingen.trajecten.get(m).copied().unwrap_or(0);
        let gevraagd = wat_als.trajecten.get(m).copied().unwrap_or(geteld);
        if gevraagd != geteld {
            if geteld == 0 {
                return Err(ApiError::regel(
                    format!("watAls.trajecten.{}", m.as_str()),
                    "geen_trajecten_om_te_schalen",
                    format!(
                        "er zijn geen trajecten {} geteld om het aantal van te veranderen",
                        m.as_str()
                    ),
                ));
            }
            if gevraagd > 1_000_000 {
                return Err(ApiError::invoer(
                    format!("watAls.trajecten.{}", m.as_str()),
                    "mag niet meer dan 1000000 zijn",
                ));
            }
            schaal.insert(*m, gevraagd as f64 / geteld as f64);
        }
        trajecten.insert(*m, (geteld, gevraagd));
    }
    let mut uitkomsten = Vec::new();
    for scenario in Scenario::ALLE {
        for horizon in &aannames.horizonten {
            uitkomsten.push(bereken_geschaald(
                &tellingen, &aannames, scenario, *horizon, &schaal,
            ));
        }
    }
    Ok(Businesscase {
        regio,
        landelijke_tellingen,
        schattingen,
        kop: vrijgave.kop.clone(),
        wat_als: !schaal.is_empty() || wat_als.aannames.is_some(),
        aannames,
        trajecten,
        uitkomsten,
    })
}

/// Whose case, in words.
pub fn onderwerp(b: &Businesscase) -> String {
    match b.regio {
        Some(r) if b.landelijke_tellingen => format!(
            "{} {} (met de landelijke tellingen: die van de regio kunnen niet getoond worden)",
            r.code(),
            r.naam()
        ),
        Some(r) => format!("{} {}", r.code(), r.naam()),
        None => "Nederland".to_owned(),
    }
}

/// What every file states about itself.
pub fn beschrijving(b: &Businesscase) -> Vec<(&'static str, String)> {
    let k = &b.kop;
    vec![
        ("titel", "Maatschappelijke businesscase trajecten naar werk".to_owned()),
        ("onderwerp", onderwerp(b)),
        ("jaar", k.jaar.to_string()),
        (
            "vrijgave",
            format!(
                "tellingen {} vrijgave {} (peildatum {}, store_positie {}, duurzaam_beleid {}, drempel_t {})",
                k.jaar,
                k.nummer,
                k.peildatum,
                k.positie.map_or(0, |p| p.0),
                k.beleidsversie,
                k.drempel
            ),
        ),
        (
            "schattingen",
            if b.schattingen.is_empty() {
                "geen".to_owned()
            } else {
                b.schattingen.join("; ")
            },
        ),
        ("aannames_versie", b.aannames.versie.clone()),
        ("zorgkosten_bron", b.aannames.zorgkosten_bron.clone()),
        (
            "wat_als",
            if b.wat_als {
                "ja: berekend met gewijzigde aantallen of aannames, niet de vastgestelde businesscase"
            } else {
                "nee"
            }
            .to_owned(),
        ),
        (
            "regels",
            format!(
                "Alle bedragen zijn aantallen en duren uit een vrijgave maal de aannames; er zit geen bedrag van een persoon in. Elk aantal cliënten achter een getoonde telling is 0 of ten minste {}. Zou de verdeling van een methode over financiers of uitkeringen in een regio een kleiner aantal tonen, dan is die verdeling voor elke regio de landelijke over de eigen totalen (zie schattingen); kunnen de totalen van een regio niet getoond worden, dan toont die regio de landelijke tellingen met de eigen aannames. Landelijk telt een groep van minder dan {} cliënten mee bij de grootste groep van dezelfde verdeling (een kleine groep werkenden in GGZ-behandeling telt niet mee); een 0 in de landelijke verdeling betekent dus 0 tot {}. Per groep is alleen het jaartotaal vrijgegeven, in hele maanden, gelijk verdeeld over de maanden. Scenario laag: de hoogste kosten en de laagste baten van elke bandbreedte; hoog andersom.",
                k.drempel,
                k.drempel,
                k.drempel.saturating_sub(1)
            ),
        ),
    ]
}

fn euro(x: f64) -> String {
    format!("{:.0}", x)
}

fn scenario_naam(s: Scenario) -> &'static str {
    match s {
        Scenario::Laag => "laag",
        Scenario::Midden => "midden",
        Scenario::Hoog => "hoog",
    }
}

/// The rows of the files: scenario, horizon, party, costs, returns, net, break-even month.
pub fn rijen(b: &Businesscase) -> Vec<[String; 7]> {
    let mut uit = Vec::new();
    for u in &b.uitkomsten {
        let mut partijen: Vec<(String, traject_businesscase::Balans)> = Partij::ALLE
            .iter()
            .map(|p| (p.naam().to_owned(), u.per_partij[p].clone()))
            .collect();
        partijen.push(("totaal".to_owned(), u.totaal()));
        for (naam, balans) in partijen {
            uit.push([
                scenario_naam(u.scenario).to_owned(),
                u.horizon_jaren.to_string(),
                naam,
                euro(balans.kosten_totaal()),
                euro(balans.baten_totaal()),
                euro(balans.netto()),
                balans
                    .break_even_maand()
                    .map_or(String::new(), |m| m.to_string()),
            ]);
        }
    }
    uit
}

const KOLOMMEN: [&str; 7] = [
    "scenario",
    "horizon_jaren",
    "partij",
    "kosten_euro",
    "baten_euro",
    "netto_euro",
    "break_even_maand",
];

/// The assumptions as rows: field, low, middle, high.
pub fn aannamerijen(a: &Aannames) -> Vec<(String, String, String, String)> {
    let mut uit = Vec::new();
    let waarde = serde_json::to_value(a).expect("assumptions serialise");
    fn plat(prefix: &str, w: &serde_json::Value, uit: &mut Vec<(String, String, String, String)>) {
        match w {
            serde_json::Value::Object(o) if o.contains_key("midden") => uit.push((
                prefix.to_owned(),
                o["laag"].to_string(),
                o["midden"].to_string(),
                o["hoog"].to_string(),
            )),
            serde_json::Value::Object(o) => {
                for (k, v) in o {
                    let naam = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    plat(&naam, v, uit);
                }
            }
            serde_json::Value::String(s) => {
                uit.push((prefix.to_owned(), String::new(), s.clone(), String::new()))
            }
            ander => uit.push((
                prefix.to_owned(),
                String::new(),
                ander.to_string(),
                String::new(),
            )),
        }
    }
    plat("", &waarde, &mut uit);
    uit
}

/// Why a file could not be written.
#[derive(Debug)]
pub struct WriteError(String);

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<XlsxError> for WriteError {
    fn from(e: XlsxError) -> Self {
        WriteError(e.to_string())
    }
}

impl From<csv::Error> for WriteError {
    fn from(e: csv::Error) -> Self {
        WriteError(e.to_string())
    }
}

/// The case as CSV: the description as `#` lines, the assumptions as `#` lines, then the rows.
/// Each `#` line is one field that needs no quotes (a comma in it is written as a semicolon, a
/// double quote as a single one), so it starts with `#` for a reader that skips comment lines
/// (`comment='#'` in pandas; a quoted `"#` line is no comment there), and a spreadsheet keeps
/// it in one cell that starts with `#`, never a formula.
pub fn csv_bestand(b: &Businesscase) -> Result<Vec<u8>, WriteError> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let op_een_regel = |t: String| {
        t.replace(|c: char| c.is_control(), " ")
            .replace(',', ";")
            .replace('"', "'")
    };
    for (k, v) in beschrijving(b) {
        w.write_record([op_een_regel(format!("# {k}: {v}"))])?;
    }
    for (veld, laag, midden, hoog) in aannamerijen(&b.aannames) {
        w.write_record([op_een_regel(format!(
            "# aanname {veld}: {laag} / {midden} / {hoog}"
        ))])?;
    }
    w.write_record(KOLOMMEN)?;
    for rij in rijen(b) {
        w.write_record(&rij)?;
    }
    w.into_inner().map_err(|e| WriteError(e.to_string()))
}

/// The case as a workbook: the case, the assumptions and the description on sheets of their own.
pub fn xlsx(b: &Businesscase) -> Result<Vec<u8>, WriteError> {
    let mut boek = Workbook::new();
    boek.set_properties(&crate::export::werkboek_eigenschappen(
        "Maatschappelijke businesscase trajecten naar werk",
        b.kop.peildatum,
    )?);
    let vet = XlsxFormat::new().set_bold();
    let blad = boek.add_worksheet();
    blad.set_name("Businesscase")?;
    for (k, naam) in KOLOMMEN.iter().enumerate() {
        blad.write_string_with_format(0, k as u16, *naam, &vet)?;
    }
    for (n, rij) in rijen(b).iter().enumerate() {
        let r = n as u32 + 1;
        for (k, v) in rij.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) if k >= 1 => blad.write_number(r, k as u16, x)?,
                _ => blad.write_string(r, k as u16, v)?,
            };
        }
    }
    blad.autofit();
    let aannames = boek.add_worksheet();
    aannames.set_name("Aannames")?;
    for (k, naam) in ["aanname", "laag", "midden", "hoog"].iter().enumerate() {
        aannames.write_string_with_format(0, k as u16, *naam, &vet)?;
    }
    for (n, (veld, laag, midden, hoog)) in aannamerijen(&b.aannames).into_iter().enumerate() {
        let r = n as u32 + 1;
        aannames.write_string(r, 0, veld)?;
        // A range's three values are numbers; a text (the version, the source) stays text.
        let bereik = !laag.is_empty();
        for (k, v) in [laag, midden, hoog].into_iter().enumerate() {
            match v.parse::<f64>() {
                Ok(x) if bereik && x.is_finite() => aannames.write_number(r, k as u16 + 1, x)?,
                _ => aannames.write_string(r, k as u16 + 1, v.trim_matches('"'))?,
            };
        }
    }
    aannames.autofit();
    let toelichting = boek.add_worksheet();
    toelichting.set_name("Toelichting")?;
    for (n, (k, v)) in beschrijving(b).into_iter().enumerate() {
        toelichting.write_string_with_format(n as u32, 0, k, &vet)?;
        toelichting.write_string(n as u32, 1, v)?;
    }
    toelichting.set_column_width(0, 20)?;
    toelichting.set_column_width(1, 120)?;
    Ok(boek.save_to_buffer()?)
}

/// GET /export/businesscase.
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
    let (gebruiker, params) =
        match crate::export::aanvrager(staat, headers, lijst, &["jaar", "regio", "formaat"]).await?
        {
            Ok(g) => g,
            Err(antwoord) => return Ok(antwoord),
        };
    let jaar: i32 = params
        .get("jaar")
        .ok_or_else(|| ApiError::invoer("jaar", "is verplicht (bijvoorbeeld 2025)"))?
        .parse()
        .map_err(|_| ApiError::invoer("jaar", "moet een jaar zijn, bijvoorbeeld 2025"))?;
    let xlsx_gevraagd = match params.get("formaat").map(String::as_str) {
        None | Some("csv") => false,
        Some("xlsx") => true,
        Some(_) => return Err(ApiError::invoer("formaat", "moet csv of xlsx zijn")),
    };
    let b = businesscase_voor(
        &staat.vrijgaven,
        staat.aannames.as_deref(),
        &gebruiker,
        jaar,
        params.get("regio").map(String::as_str),
        &WatAls::default(),
    )
    .await?;
    let (bestand, soort, ext) = if xlsx_gevraagd {
        (
            xlsx(&b).map_err(ApiError::intern)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (
            csv_bestand(&b).map_err(ApiError::intern)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    let naam = b.regio.map_or("NL", |r| r.code());
    Ok(crate::export::bijlage(
        bestand,
        soort,
        &format!("businesscase-{naam}-{jaar}-vrijgave{}.{ext}", b.kop.nummer),
    ))
}

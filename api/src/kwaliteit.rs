//! The quality report at the edge: which report a caller sees ([`rapport_voor`]), its files
//! (CSV and XLSX, [`write()`]) and `GET /export/kwaliteit?kwartaal=2025|2025Q2[&regio=AM03]
//! [&formaat=csv|csv-nl|xlsx]` ([`export`]). The screen (GraphQL `kwaliteitsrapport`) and the
//! files are made from the same rows (`traject_vrijgave::kwaliteit::rapport`), so they show the
//! same numbers; every file states the rules, the policy version, the release and its date.
//! Reading writes nothing.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use rust_xlsxwriter::{Format as XlsxFormat, Workbook, XlsxError};
use traject_domain::value::Regio;
use traject_projections::Projecties;
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::van_organisatie;
use traject_vrijgave::Vrijgaven;
use traject_vrijgave::bescherming::Regels;
use traject_vrijgave::kwaliteit::bescherming::MIN_COACHES;
use traject_vrijgave::kwaliteit::rapport::{Cijfer, Rapport, Status, Wie, rapport};

use crate::app::Staat;
use crate::cijfers::http::fout_antwoord;
use crate::schema::ApiError;
use crate::toegang::{self, KwaliteitBereik};
use traject_dienst::Gebruiker;

/// The last quarter of a report: `2025Q2`, or a year (`2025`: its fourth quarter).
pub fn kwartaal_van(tekst: &str) -> Result<Kwartaal, ApiError> {
    let fout = || {
        ApiError::invoer(
            "kwartaal",
            "moet een jaar (2025) of het laatste kwartaal van vier (2025Q2) zijn",
        )
    };
    let tekst = tekst.trim();
    // Four digits, then nothing or a quarter: no sign, no more digits, no other letters.
    let vorm = match tekst.as_bytes() {
        [j @ .., b'Q' | b'q', b'1'..=b'4'] | j => j.len() == 4 && j.iter().all(u8::is_ascii_digit),
    };
    if !vorm {
        return Err(fout());
    }
    if let Ok(jaar) = tekst.parse::<i32>() {
        if !(2000..=2100).contains(&jaar) {
            return Err(fout());
        }
        return Ok(Kwartaal { jaar, nummer: 4 });
    }
    tekst.parse().map_err(|_| fout())
}

/// The report `gebruiker` may see up to `kwartaal` (`regio`: a landelijk user's choice), read
/// from its latest release; a teamleider's own organisation's values counted from the read
/// models on the release's peildatum.
pub async fn rapport_voor(
    vrijgaven: &Vrijgaven,
    projecties: &Projecties,
    start_head: Option<traject_store::Position>,
    gebruiker: &Gebruiker,
    kwartaal: &str,
    regio: Option<&str>,
) -> Result<Rapport, ApiError> {
    let gevraagd = regio.map(Regio::parse).transpose()?;
    let (bereik, _) =
        toegang::kwaliteitsrapport(gebruiker, gevraagd).map_err(|w| ApiError::Verboden(w.regel))?;
    let tot = kwartaal_van(kwartaal)?;
    let vrijgave = vrijgaven
        .kwaliteit(tot)
        .await
        .map_err(ApiError::intern)?
        .ok_or_else(|| {
            ApiError::regel(
                "kwartaal",
                "kwaliteitsrapport_niet_vrijgegeven",
                format!("het kwaliteitsrapport tot en met {tot} is nog niet vrijgegeven"),
            )
        })?;
    let jaardoel = vrijgaven.jaardoel();
    Ok(match bereik {
        KwaliteitBereik::Landelijk => rapport(&vrijgave, Wie::Landelijk, None, jaardoel),
        KwaliteitBereik::Regio(r) => rapport(&vrijgave, Wie::Regio(r), None, jaardoel),
        KwaliteitBereik::Organisatie(o) => {
            // Counted from the read models: complete or not at all.
            crate::schema::leesmodellen_klaar(projecties, start_head).await?;
            let eigen = {
                let model = projecties.read();
                van_organisatie(&model, vrijgave.kop.peildatum, vrijgave.periode(), &o)
            };
            rapport(
                &vrijgave,
                Wie::Organisatie(o.as_str().to_owned()),
                Some(&eigen),
                jaardoel,
            )
        }
    })
}

/// Whose report, in words: `AM03 Drenthe`, `Nederland`, `organisatie ggz-noord`.
pub fn onderwerp(wie: &Wie) -> String {
    match wie {
        Wie::Landelijk => "Nederland".to_owned(),
        Wie::Regio(r) => format!("{} {}", r.code(), r.naam()),
        Wie::Organisatie(o) => format!("organisatie {o}"),
    }
}

/// What the rules are, in words.
pub fn regels_tekst(regels: &Regels, eigen_organisatie: bool) -> String {
    let t = regels.drempel();
    let mut tekst = format!(
        "De regionale en landelijke waarden komen uit een vrijgave: iedere lezer ziet dezelfde waarden. Elk aantal van 1 tot {t} is verborgen, ook een aantal dat alleen af te leiden is (zoals wie binnen een termijn niet aan het werk kwam), en daarnaast zoveel cellen dat geen verborgen cel uit totalen over regio's, uitsplitsingen en de vrijgaven van de vier kwartalen tot minder dan {t} mogelijke waarden te herleiden is; dat is voor de vrijgave met lineaire programma's gecontroleerd. Een aandeel staat er alleen als teller en noemer gepubliceerd zijn; de mediaan van de regio's is genomen over de regio's met een getoonde waarde en staat er vanaf {} regio's. Cijfers over coaches staan er vanaf {MIN_COACHES} coaches met samen ten minste {t} lopende trajecten; de mediaan caseload, bij een oneven aantal coaches de caseload van een van hen, pas vanaf {t}. Afsluitredenen worden uitgesplitst vanaf {} afsluitingen. Een cohort is nog niet bekend zolang de termijn niet voor al zijn intakes verstreken is.",
        traject_vrijgave::kwaliteit::rapport::MIN_REGIOS_MEDIAAN,
        regels.min_uitsplitsing
    );
    if eigen_organisatie {
        tekst.push_str(" De eigen waarden van de organisatie zijn niet beschermd: ze zijn voor de teamleider van de organisatie, die elk traject van de organisatie mag inzien, en niet voor verspreiding buiten de organisatie.");
    }
    tekst
}

/// What every file states about itself, in a fixed order.
pub fn beschrijving(r: &Rapport, regels: &Regels) -> Vec<(&'static str, String)> {
    let k = &r.kop;
    vec![
        ("titel", "Kwaliteitsrapport trajecten naar werk".to_owned()),
        ("onderwerp", onderwerp(&r.wie)),
        ("van", r.periode.van().to_string()),
        ("tot", r.periode.tot.to_string()),
        (
            "vrijgave",
            format!(
                "kwaliteitsrapport tot {} vrijgave {} (peildatum {}, store_positie {}, duurzaam_beleid {}, drempel_t {}, afronden_op_5 {}, minimale_groep_voor_uitsplitsing {}, verborgen_cellen_geaudit {})",
                k.kwartaal,
                k.nummer,
                k.peildatum,
                k.positie.map_or(0, |p| p.0),
                k.beleidsversie,
                k.drempel,
                if k.afronden { "ja" } else { "nee" },
                k.min_uitsplitsing,
                k.geaudit
            ),
        ),
        ("peildatum", k.peildatum.to_string()),
        ("duurzaam_beleid", k.beleidsversie.clone()),
        (
            "eigen_waarden",
            if r.eigen_organisatie {
                "eigen organisatie, onbeschermd: alleen voor de teamleider van de organisatie"
            } else {
                "uit de vrijgave"
            }
            .to_owned(),
        ),
        ("regels", regels_tekst(regels, r.eigen_organisatie)),
    ]
}

/// A file format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formaat {
    /// CSV, comma separated, decimal point.
    Csv,
    /// CSV for Excel with Dutch settings: semicolons, decimal comma, a byte-order mark.
    CsvNl,
    /// A workbook: the rows, and the explanation on a sheet of its own.
    Xlsx,
}

impl Formaat {
    fn parse(tekst: &str) -> Option<Self> {
        match tekst {
            "csv" => Some(Formaat::Csv),
            "csv-nl" => Some(Formaat::CsvNl),
            "xlsx" => Some(Formaat::Xlsx),
            _ => None,
        }
    }

    fn media_type(&self) -> &'static str {
        match self {
            Formaat::Csv | Formaat::CsvNl => "text/csv; charset=utf-8",
            Formaat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extensie(&self) -> &'static str {
        match self {
            Formaat::Csv | Formaat::CsvNl => "csv",
            Formaat::Xlsx => "xlsx",
        }
    }
}

const KOLOMMEN: [&str; 16] = [
    "groep",
    "code",
    "omschrijving",
    "soort",
    "norm",
    "eigen_status",
    "eigen_waarde",
    "eigen_teller",
    "eigen_noemer",
    "landelijk_status",
    "landelijk_waarde",
    "landelijk_teller",
    "landelijk_noemer",
    "mediaan_regios",
    "regios_met_waarde",
    "eenheid",
];

fn eenheid(r: &traject_vrijgave::kwaliteit::rapport::Regel) -> &'static str {
    use traject_vrijgave::kwaliteit::rapport::Soort;
    match r.soort {
        Soort::Aantal => "trajecten",
        Soort::Aandeel => "fractie",
        Soort::Mediaan if r.code.contains("dagen") => "dagen",
        Soort::Mediaan => "trajecten per coach",
    }
}

/// A number as text: as few decimals as it needs (up to 4), with a decimal comma for `nl`.
fn getal(n: f64, nl: bool) -> String {
    let tekst = format!("{:.4}", n);
    let tekst = tekst.trim_end_matches('0').trim_end_matches('.').to_owned();
    if nl { tekst.replace('.', ",") } else { tekst }
}

fn velden(c: &Cijfer, nl: bool) -> [String; 4] {
    [
        c.status.naam().to_owned(),
        c.waarde.map(|w| getal(w, nl)).unwrap_or_default(),
        c.teller.map(|t| t.to_string()).unwrap_or_default(),
        c.noemer.map(|t| t.to_string()).unwrap_or_default(),
    ]
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

/// The report as a file in `formaat`. The same release gives the same bytes.
pub fn write(r: &Rapport, regels: &Regels, formaat: Formaat) -> Result<Vec<u8>, WriteError> {
    match formaat {
        Formaat::Csv => csv_bestand(r, regels, false),
        Formaat::CsvNl => csv_bestand(r, regels, true),
        Formaat::Xlsx => xlsx(r, regels),
    }
}

fn csv_bestand(r: &Rapport, regels: &Regels, nl: bool) -> Result<Vec<u8>, WriteError> {
    let mut uit = Vec::new();
    if nl {
        uit.extend_from_slice("\u{feff}".as_bytes());
    }
    for (sleutel, waarde) in beschrijving(r, regels) {
        uit.extend_from_slice(format!("# {sleutel}: {waarde}\n").as_bytes());
    }
    let mut schrijver = csv::WriterBuilder::new()
        .delimiter(if nl { b';' } else { b',' })
        .from_writer(uit);
    schrijver.write_record(KOLOMMEN)?;
    for regel in &r.regels {
        let mut rij = vec![
            regel.groep.clone(),
            regel.code.clone(),
            regel.omschrijving.clone(),
            regel.soort.naam().to_owned(),
            regel.norm.map(|n| getal(n, nl)).unwrap_or_default(),
        ];
        rij.extend(velden(&regel.eigen, nl));
        rij.extend(velden(&regel.landelijk, nl));
        rij.push(
            regel
                .mediaan_regios
                .map(|m| getal(m, nl))
                .unwrap_or_default(),
        );
        rij.push(regel.regios_met_waarde.to_string());
        rij.push(eenheid(regel).to_owned());
        schrijver.write_record(&rij)?;
    }
    schrijver
        .into_inner()
        .map_err(|e| WriteError(e.to_string()))
}

fn xlsx(r: &Rapport, regels: &Regels) -> Result<Vec<u8>, WriteError> {
    let mut boek = Workbook::new();
    let dag = r.kop.peildatum;
    boek.set_properties(&crate::export::werkboek_eigenschappen(
        "Kwaliteitsrapport trajecten naar werk",
        dag,
    )?);
    let vet = XlsxFormat::new().set_bold();
    let grijs = XlsxFormat::new().set_italic().set_font_color("#595959");
    let blad = boek.add_worksheet();
    blad.set_name("Rapport")?;
    for (k, naam) in KOLOMMEN.iter().enumerate() {
        blad.write_string_with_format(0, k as u16, *naam, &vet)?;
    }
    for (n, regel) in r.regels.iter().enumerate() {
        let rij = n as u32 + 1;
        blad.write_string(rij, 0, &regel.groep)?;
        blad.write_string(rij, 1, &regel.code)?;
        blad.write_string(rij, 2, &regel.omschrijving)?;
        blad.write_string(rij, 3, regel.soort.naam())?;
        if let Some(norm) = regel.norm {
            blad.write_number(rij, 4, norm)?;
        }
        for (start, c) in [(5u16, &regel.eigen), (9, &regel.landelijk)] {
            match c.status {
                Status::Getoond => blad.write_string(rij, start, c.status.naam())?,
                _ => blad.write_string_with_format(rij, start, c.status.naam(), &grijs)?,
            };
            for (k, w) in [
                c.waarde,
                c.teller.map(|t| t as f64),
                c.noemer.map(|t| t as f64),
            ]
            .into_iter()
            .enumerate()
            {
                if let Some(w) = w {
                    blad.write_number(rij, start + 1 + k as u16, w)?;
                }
            }
        }
        if let Some(m) = regel.mediaan_regios {
            blad.write_number(rij, 13, m)?;
        }
        blad.write_number(rij, 14, f64::from(regel.regios_met_waarde))?;
        blad.write_string(rij, 15, eenheid(regel))?;
    }
    blad.set_freeze_panes(1, 3)?;
    blad.autofit();
    let toelichting = boek.add_worksheet();
    toelichting.set_name("Toelichting")?;
    for (n, (sleutel, waarde)) in beschrijving(r, regels).into_iter().enumerate() {
        toelichting.write_string_with_format(n as u32, 0, sleutel, &vet)?;
        toelichting.write_string(n as u32, 1, waarde)?;
    }
    toelichting.set_column_width(0, 24)?;
    toelichting.set_column_width(1, 120)?;
    Ok(boek.save_to_buffer()?)
}

/// GET /export/kwaliteit.
pub async fn export(
    State(staat): State<Staat>,
    headers: HeaderMap,
    Query(lijst): Query<Vec<(String, String)>>,
) -> Response {
    let params = match crate::export::parameters(lijst) {
        Ok(p) => p,
        Err(fout) => return fout_antwoord(&fout),
    };
    match maak(&staat, &headers, &params).await {
        Ok(antwoord) => antwoord,
        Err(fout) => fout_antwoord(&fout),
    }
}

async fn maak(
    staat: &Staat,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<Response, ApiError> {
    let gebruiker =
        match crate::export::aanvrager(staat, headers, params, &["kwartaal", "regio", "formaat"])
            .await?
        {
            Ok(g) => g,
            Err(antwoord) => return Ok(antwoord),
        };
    let formaat = match params.get("formaat") {
        None => Formaat::Csv,
        Some(f) => Formaat::parse(f)
            .ok_or_else(|| ApiError::invoer("formaat", "moet csv, csv-nl of xlsx zijn"))?,
    };
    let kwartaal = params.get("kwartaal").ok_or_else(|| {
        ApiError::invoer(
            "kwartaal",
            "is verplicht (een jaar, 2025, of een kwartaal, 2025Q2)",
        )
    })?;
    let r = rapport_voor(
        &staat.vrijgaven,
        &staat.projecties,
        staat.start_head,
        &gebruiker,
        kwartaal,
        params.get("regio").map(String::as_str),
    )
    .await?;
    let bestand = write(&r, staat.vrijgaven.regels(), formaat).map_err(ApiError::intern)?;
    tracing::info!(
        user = %gebruiker.id,
        until = %r.periode.tot,
        format = formaat.extensie(),
        "kwaliteitsrapport exported"
    );
    let naam = match &r.wie {
        Wie::Landelijk => "NL".to_owned(),
        Wie::Regio(regio) => regio.code().to_owned(),
        Wie::Organisatie(_) => "organisatie".to_owned(),
    };
    Ok(crate::export::bijlage(
        bestand,
        formaat.media_type(),
        &format!(
            "kwaliteitsrapport-{naam}-{}-vrijgave{}.{}",
            r.periode.tot,
            r.kop.nummer,
            formaat.extensie()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A year or a year's quarter, written as such: no sign, no leading zeros, nothing after.
    #[test]
    fn a_period_is_four_digits_and_perhaps_a_quarter() {
        let kw = |jaar, nummer| Kwartaal { jaar, nummer };
        assert_eq!(kwartaal_van("2025").unwrap(), kw(2025, 4));
        assert_eq!(kwartaal_van(" 2025Q2 ").unwrap(), kw(2025, 2));
        assert_eq!(kwartaal_van("2025q3").unwrap(), kw(2025, 3));
        for fout in [
            "+2025", "02025", "2025Q01", "2025Q+1", "2025Q5", "2025Q0", "2025Q", "2025 Q1",
            "-2025", "1999", "2101", "25Q1", "2025Q1x", "٢٠٢٥", "", "2025-Q1",
        ] {
            assert!(kwartaal_van(fout).is_err(), "{fout:?}");
        }
    }
}

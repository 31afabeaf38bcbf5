//! The quality report at the edge: which report a caller sees ([`rapport_voor`]), its files
//! (CSV and XLSX, [`write()`]) and `GET /export/kwaliteit?kwartaal=2025[&regio=AM03]
//! [&organisatie=eigen][&formaat=csv|csv-nl|xlsx]` ([`export`]). The screen (GraphQL
//! `kwaliteitsrapport`) and the files are made from the same rows
//! (`traject_vrijgave::kwaliteit::rapport`), so they show the same numbers; every file states
//! the rules, the policy version, the release and its date. Reading writes nothing.

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
use crate::cijfers::format::FileFormat;
use crate::cijfers::http::fout_antwoord;
use crate::schema::ApiError;
use crate::toegang::{self, KwaliteitBereik};
use traject_dienst::Gebruiker;

/// The last quarter of a report, which covers a calendar year: `2025`, or its fourth quarter
/// `2025Q4`. Another quarter is refused with the rule (`kalenderjaar`): reports over
/// overlapping periods could be subtracted.
pub fn kwartaal_van(tekst: &str) -> Result<Kwartaal, ApiError> {
    let fout = || ApiError::invoer("kwartaal", "moet een jaar zijn (2025 of 2025Q4)");
    let tekst = tekst.trim();
    // A year of four digits is its fourth quarter; otherwise a quarter as the figures write it.
    let kwartaal: Kwartaal = if tekst.len() == 4 && tekst.bytes().all(|b| b.is_ascii_digit()) {
        format!("{tekst}Q4").parse()
    } else {
        tekst.parse()
    }
    .map_err(|_| fout())?;
    if kwartaal.nummer != 4 {
        let e = traject_vrijgave::VrijgaveError::GeenKalenderjaar(kwartaal);
        return Err(ApiError::regel(
            "kwartaal",
            e.regel().unwrap_or(traject_dienst::fout::ONGELDIGE_WAARDE),
            e.to_string(),
        ));
    }
    Ok(kwartaal)
}

/// The report `gebruiker` may see up to `kwartaal` (`regio`: a landelijk user's choice;
/// `eigen_organisatie`: a teamleider's, who may also have another role), read from its latest
/// release; a teamleider's own organisation's values counted from the read models on the
/// release's peildatum.
pub async fn rapport_voor(
    vrijgaven: &Vrijgaven,
    projecties: &Projecties,
    start_head: Option<traject_store::Position>,
    gebruiker: &Gebruiker,
    kwartaal: &str,
    regio: Option<&str>,
    eigen_organisatie: bool,
) -> Result<Rapport, ApiError> {
    let gevraagd = regio.map(Regio::parse).transpose()?;
    let (bereik, _) = toegang::kwaliteitsrapport(gebruiker, gevraagd, eigen_organisatie)
        .map_err(|w| ApiError::Verboden(w.regel))?;
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
        "De regionale en landelijke waarden komen uit een vrijgave: iedere lezer ziet dezelfde waarden. Elk aantal van 1 tot {t} is verborgen, ook een aantal dat alleen af te leiden is (zoals wie binnen een termijn niet aan het werk kwam), en daarnaast zoveel cellen dat geen verborgen cel uit totalen over regio's, uitsplitsingen, de vrijgaven van de vier kwartalen en de cohorten in de rapporten over het jaar ervoor en erna tot minder dan {t} mogelijke waarden te herleiden is; dat is voor de vrijgave met lineaire programma's gecontroleerd. Een aandeel staat er alleen als teller en noemer gepubliceerd zijn; de mediaan van de regio's is genomen over de regio's met een getoonde waarde en staat er vanaf {} regio's. Cijfers over coaches (hun aantal, het aandeel boven de norm en de mediaan caseload) staan er vanaf {MIN_COACHES} coaches met samen ten minste {t} lopende trajecten. Afsluitredenen worden uitgesplitst vanaf {} afsluitingen. Een cohort is nog niet bekend zolang de termijn niet voor al zijn intakes verstreken is. Een rapport beslaat een kalenderjaar: rapporten over vier kwartalen die elkaar overlappen, zouden van elkaar af te trekken zijn tot de aantallen van één kwartaal.",
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
    /// The format `formaat=` names, as the figures' export reads it; `None` for a format the
    /// report has no file in (JSON) or an unknown one.
    fn parse(tekst: &str) -> Option<Self> {
        match tekst.parse::<FileFormat>().ok()? {
            FileFormat::Csv => Some(Formaat::Csv),
            FileFormat::CsvNl => Some(Formaat::CsvNl),
            FileFormat::Xlsx => Some(Formaat::Xlsx),
            FileFormat::Json => None,
        }
    }

    /// The same format among the export's: its name, media type and extension.
    fn bestand(self) -> FileFormat {
        match self {
            Formaat::Csv => FileFormat::Csv,
            Formaat::CsvNl => FileFormat::CsvNl,
            Formaat::Xlsx => FileFormat::Xlsx,
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
        &["kwartaal", "regio", "organisatie", "formaat"],
    )
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
        ApiError::invoer("kwartaal", "is verplicht (een jaar, bijvoorbeeld 2025)")
    })?;
    let eigen_organisatie = match params.get("organisatie").map(String::as_str) {
        None => false,
        Some("eigen") => true,
        Some(_) => return Err(ApiError::invoer("organisatie", "kan alleen eigen zijn")),
    };
    let r = rapport_voor(
        &staat.vrijgaven,
        &staat.projecties,
        staat.start_head,
        &gebruiker,
        kwartaal,
        params.get("regio").map(String::as_str),
        eigen_organisatie,
    )
    .await?;
    let bestand = write(&r, staat.vrijgaven.regels(), formaat).map_err(ApiError::intern)?;
    tracing::info!(
        user = %gebruiker.id,
        until = %r.periode.tot,
        format = formaat.bestand().naam(),
        "kwaliteitsrapport exported"
    );
    let naam = match &r.wie {
        Wie::Landelijk => "NL".to_owned(),
        Wie::Regio(regio) => regio.code().to_owned(),
        Wie::Organisatie(_) => "organisatie".to_owned(),
    };
    Ok(crate::export::bijlage(
        bestand,
        formaat.bestand().media_type(),
        &format!(
            "kwaliteitsrapport-{naam}-{}-vrijgave{}.{}",
            r.periode.tot,
            r.kop.nummer,
            formaat.bestand().extension()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A year, or its fourth quarter, written as such: no sign, no leading zeros, nothing after;
    /// another quarter is refused with the rule that says why.
    #[test]
    fn a_period_is_a_year_of_four_digits() {
        let kw = |jaar, nummer| Kwartaal { jaar, nummer };
        assert_eq!(kwartaal_van("2025").unwrap(), kw(2025, 4));
        assert_eq!(kwartaal_van(" 2025Q4 ").unwrap(), kw(2025, 4));
        assert_eq!(kwartaal_van("2025q4").unwrap(), kw(2025, 4));
        for ander in ["2025Q1", "2025Q2", "2025q3"] {
            match kwartaal_van(ander) {
                Err(ApiError::Invoer {
                    veld,
                    regel,
                    bericht,
                }) => {
                    assert_eq!(veld.as_deref(), Some("kwartaal"));
                    assert_eq!(regel, "kalenderjaar");
                    assert!(bericht.contains("overlappen"), "{bericht}");
                }
                other => panic!("{ander}: expected the calendar-year rule, got {other:?}"),
            }
        }
        for fout in [
            "+2025", "02025", "2025Q01", "2025Q+1", "2025Q5", "2025Q0", "2025Q", "2025 Q1",
            "-2025", "1999", "2101", "25Q1", "2025Q1x", "٢٠٢٥", "", "2025-Q1",
        ] {
            assert!(kwartaal_van(fout).is_err(), "{fout:?}");
        }
    }
}

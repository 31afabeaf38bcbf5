//! The files the released figures are exported as: CSV, JSON and XLSX, of the part a reader may
//! see.
//!
//! Every file states its scope, the quarters, each release it holds (its number, its day, the
//! store position, the duurzaam policy version and the rules with T: nothing else varies, so the
//! same releases give byte-identical files), the quarters not released and the rules. A hidden
//! cell is never written as a number and says only that it is hidden: CSV leaves its value
//! empty and writes `verborgen`, JSON gives `null` and lists it under `verborgen`, XLSX writes
//! "verborgen".
//!
//! - CSV (UTF-8, comma-separated, RFC 4180 quoting): the description as `# key: value` lines, then
//!   a header and one row per cell and measure (long format, for analysis tools).
//! - JSON: the description as fields, then one object per cell with its measures.
//! - XLSX: a sheet `Cijfers` with one row per cell and a column per measure, and a sheet
//!   `Toelichting` with the description.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_xlsxwriter::{Format as XlsxFormat, FormatAlign, Workbook, XlsxError};
use serde_json::{Map, Value, json};
use traject_domain::value::{Methode, ValueError};
use traject_projections::cijfers::{Cel, Kwartaal, Periode};
use traject_vrijgave::bescherming::{Maat, Regels, Sleutel, Waarde};

use super::Uitgave;
use crate::toegang::CijferBereik;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values, UTF-8 (RFC 4180): for analysis tools.
    Csv,
    /// Values separated by semicolons with a decimal comma, UTF-8 with a byte-order mark: what
    /// Excel with Dutch settings opens as a table (`csv-nl`).
    CsvNl,
    Json,
    /// An Excel workbook.
    Xlsx,
}

impl FileFormat {
    pub fn media_type(&self) -> &'static str {
        match self {
            FileFormat::Csv | FileFormat::CsvNl => "text/csv; charset=utf-8",
            FileFormat::Json => "application/json",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Its name as `formaat=` takes it (and the log says it).
    pub fn naam(&self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::CsvNl => "csv-nl",
            FileFormat::Json => "json",
            FileFormat::Xlsx => "xlsx",
        }
    }

    /// The file extension.
    pub fn extension(&self) -> &'static str {
        match self {
            FileFormat::Csv | FileFormat::CsvNl => "csv",
            FileFormat::Json => "json",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

impl FromStr for FileFormat {
    type Err = String;
    fn from_str(tekst: &str) -> Result<Self, String> {
        match tekst.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(FileFormat::Csv),
            "csv-nl" => Ok(FileFormat::CsvNl),
            "json" => Ok(FileFormat::Json),
            "xlsx" => Ok(FileFormat::Xlsx),
            _ => Err("format: moet csv, csv-nl, json of xlsx zijn".to_owned()),
        }
    }
}

/// Which part of the table: whose cells, and which quarters (with the years they touch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selectie {
    /// A region's cells, or every region's and the national ones.
    pub bereik: CijferBereik,
    /// The first quarter.
    pub van: Kwartaal,
    /// The last quarter.
    pub tot: Kwartaal,
}

impl Selectie {
    /// The selection of `bereik` from quarter `van` to `tot` as given (`2024Q1`), or which
    /// field breaks which rule. The one place the export's quarters are read, for the command
    /// line, HTTP and GraphQL alike.
    pub fn parse(bereik: CijferBereik, van: &str, tot: &str) -> Result<Self, ValueError> {
        let kwartaal = |veld: &'static str, tekst: &str| {
            tekst
                .parse::<Kwartaal>()
                .map_err(|regel| ValueError::new(veld, regel))
        };
        let (van, tot) = (kwartaal("van", van)?, kwartaal("tot", tot)?);
        if tot < van {
            return Err(ValueError::new(
                "tot",
                "mag niet voor het eerste kwartaal liggen",
            ));
        }
        Ok(Self { bereik, van, tot })
    }

    /// Whether `cel` is part of it.
    pub fn bevat(&self, cel: &Cel) -> bool {
        let regio = match self.bereik {
            CijferBereik::Regio(r) => cel.regio == Some(r),
            CijferBereik::Landelijk => true,
        };
        let periode = match cel.periode {
            Periode::Kwartaal(k) => self.van <= k && k <= self.tot,
            Periode::Jaar(j) => self.van.jaar <= j && j <= self.tot.jaar,
        };
        regio && periode
    }

    /// How the scope is named in files: a region's code, or `landelijk`.
    pub fn bereik_naam(&self) -> String {
        match self.bereik {
            CijferBereik::Regio(r) => r.code().to_owned(),
            CijferBereik::Landelijk => "landelijk".to_owned(),
        }
    }

    pub fn file_name(&self, formaat: FileFormat) -> String {
        format!(
            "traject-cijfers-{}-{}-{}.{}",
            self.bereik_naam(),
            self.van,
            self.tot,
            formaat.extension()
        )
    }
}

/// The name of the median in files.
pub const MEDIAAN: &str = "mediaan_dagen_tot_werkgeverscontact";

/// One cell of the selection with its values, in publication order.
#[derive(Debug, Clone, PartialEq)]
pub struct Rij {
    /// Which cell.
    pub cel: Cel,
    /// Every measure, in [`Maat::alle`]'s order.
    pub waarden: Vec<(Maat, Waarde)>,
    /// The median, if publishable.
    pub mediaan: Option<f64>,
}

impl Rij {
    /// The region's code, or `NL`.
    pub fn regio(&self) -> &'static str {
        self.cel.regio.map_or("NL", |r| r.code())
    }

    /// The region's name, or `Nederland`.
    pub fn regionaam(&self) -> &'static str {
        self.cel.regio.map_or("Nederland", |r| r.naam())
    }

    /// The method, or `totaal`.
    pub fn methode(&self) -> &'static str {
        self.cel.methode.map_or("totaal", |m| m.as_str())
    }

    /// The value of `maat`.
    pub fn waarde(&self, maat: Maat) -> Option<Waarde> {
        self.waarden
            .iter()
            .find(|(m, _)| *m == maat)
            .map(|(_, w)| *w)
    }
}

/// The cells of `uitgave` in `selectie`: regions in code order and then national, each period's
/// quarters before its year, methods in catalogue order and then the total.
pub fn rijen(uitgave: &Uitgave, selectie: &Selectie) -> Vec<Rij> {
    let maten = Maat::alle();
    let mut cellen: Vec<Cel> = Vec::new();
    for sleutel in uitgave.publicatie.cellen.keys() {
        if sleutel.maat == maten[0] && selectie.bevat(&sleutel.cel) {
            cellen.push(sleutel.cel);
        }
    }
    cellen.sort_by(volgorde);
    cellen
        .into_iter()
        .map(|cel| Rij {
            cel,
            waarden: maten
                .iter()
                .map(|maat| {
                    let sleutel = Sleutel { cel, maat: *maat };
                    (*maat, uitgave.publicatie.cellen[&sleutel])
                })
                .collect(),
            mediaan: uitgave.publicatie.medianen.get(&cel).copied(),
        })
        .collect()
}

fn volgorde(a: &Cel, b: &Cel) -> Ordering {
    let regio = |c: &Cel| c.regio.map_or((1, ""), |r| (0, r.code()));
    let periode = |c: &Cel| match c.periode {
        Periode::Kwartaal(k) => (k.jaar, k.nummer),
        Periode::Jaar(j) => (j, 5),
    };
    let methode = |c: &Cel| {
        c.methode.map_or(Methode::ALL.len(), |m| {
            Methode::ALL.iter().position(|x| *x == m).unwrap_or(0)
        })
    };
    (regio(a), periode(a), methode(a)).cmp(&(regio(b), periode(b), methode(b)))
}

/// What every file states about itself, as (key, value) pairs in a fixed order: the scope, the
/// releases it holds (each with its day, store position, policy version and rules), the quarters
/// not released, and the rules in words.
pub fn beschrijving(uitgave: &Uitgave, selectie: &Selectie) -> Vec<(&'static str, String)> {
    let regels = &uitgave.regels;
    let vrijgaven = if uitgave.vrijgaven.is_empty() {
        "geen".to_owned()
    } else {
        uitgave
            .vrijgaven
            .iter()
            .map(|v| {
                format!(
                    "{} vrijgave {} (peildatum {}, store_positie {}, duurzaam_beleid {}, drempel_t {}, afronden_op_5 {}, minimale_groep_voor_uitsplitsing {}, verborgen_cellen_geaudit {})",
                    v.kwartaal,
                    v.nummer,
                    v.peildatum,
                    v.positie.map_or(0, |p| p.0),
                    v.beleidsversie,
                    v.drempel,
                    if v.afronden { "ja" } else { "nee" },
                    v.min_uitsplitsing,
                    v.geaudit,
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let niet: Vec<String> = uitgave
        .niet_vrijgegeven
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut regels_lijst = vec![
        (
            "titel",
            "Geanonimiseerde cijfers van trajecten naar werk".to_owned(),
        ),
        ("bereik", selectie.bereik_naam()),
        ("van", selectie.van.to_string()),
        ("tot", selectie.tot.to_string()),
        ("vrijgaven", vrijgaven),
        (
            "niet_vrijgegeven",
            if niet.is_empty() {
                "geen".to_owned()
            } else {
                niet.join(", ")
            },
        ),
    ];
    if let Some(v) = &uitgave.voorlopig {
        regels_lijst.push((
            "voorlopig",
            format!(
                "de niet vrijgegeven kwartalen zijn voorlopig, niet voor verspreiding (peildatum {}, store_positie {}, duurzaam_beleid {})",
                v.peildatum,
                v.positie.map_or(0, |p| p.0),
                v.beleidsversie
            ),
        ));
    }
    regels_lijst.extend([
        ("drempel_t", regels.drempel().to_string()),
        (
            "afronden_op_5",
            if regels.afronden { "ja" } else { "nee" }.to_owned(),
        ),
        (
            "minimale_groep_voor_uitsplitsing",
            regels.min_uitsplitsing.to_string(),
        ),
        ("regels", regels_tekst(regels)),
    ]);
    regels_lijst
}

fn regels_tekst(regels: &Regels) -> String {
    format!(
        "Cijfers verlaten het systeem alleen als vrijgave van een afgesloten kwartaal; iedere lezer van een vrijgave ziet dezelfde waarden. Elk aantal van 1 tot {t} is verborgen. Daarnaast zijn cellen verborgen zodat geen verborgen cel uit totalen over regio's (landelijk), methoden (totaal) en afsluitredenen (afgesloten) terug te rekenen is, en groepen kleiner dan {g} worden niet naar afsluitreden uitgesplitst. Een correctie van een kwartaal houdt verborgen wat een eerdere vrijgave verborg, en verbergt ook een cel die minder dan {t} verschilt van wat een eerdere vrijgave toonde. Elke vrijgave is voor ze het systeem verliet met lineaire programma's gecontroleerd: geen verborgen cel is uit wat is gepubliceerd tot minder dan {t} mogelijke waarden te herleiden. Een verborgen cel zegt alleen dat zij verborgen is. De mediaan staat er alleen bij een publiceerbare cel met ten minste {t} waarnemingen.{afronding} Telling in unieke trajecten.",
        t = regels.drempel(),
        g = regels.min_uitsplitsing,
        afronding = if regels.afronden {
            " Elk gepubliceerd aantal is afgerond op een veelvoud van 5, vanuit de ware waarde."
        } else {
            ""
        },
    )
}

/// The one marker of a hidden value in files.
pub const VERBORGEN: &str = "verborgen";

/// Why a file could not be written.
#[derive(Debug)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bestand schrijven mislukt: {}", self.0)
    }
}

impl std::error::Error for WriteError {}

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

/// The selection of `uitgave` as a file in `formaat`.
pub fn write(
    uitgave: &Uitgave,
    selectie: &Selectie,
    formaat: FileFormat,
) -> Result<Vec<u8>, WriteError> {
    match formaat {
        FileFormat::Csv => csv(uitgave, selectie, false),
        FileFormat::CsvNl => csv(uitgave, selectie, true),
        FileFormat::Json => Ok(json_bestand(uitgave, selectie)),
        FileFormat::Xlsx => xlsx(uitgave, selectie),
    }
}

/// The CSV file; `nl`: separated by semicolons, decimal comma, a byte-order mark first (Excel
/// reads a file without one as Windows-1252).
fn csv(uitgave: &Uitgave, selectie: &Selectie, nl: bool) -> Result<Vec<u8>, WriteError> {
    let mut uit = Vec::new();
    if nl {
        uit.extend_from_slice("\u{feff}".as_bytes());
    }
    for (sleutel, waarde) in beschrijving(uitgave, selectie) {
        uit.extend_from_slice(format!("# {sleutel}: {waarde}\n").as_bytes());
    }
    let mut schrijver = csv::WriterBuilder::new()
        .delimiter(if nl { b';' } else { b',' })
        .from_writer(uit);
    schrijver.write_record([
        "regio",
        "regionaam",
        "periode",
        "methode",
        "maat",
        "waarde",
        "verborgen",
    ])?;
    for rij in rijen(uitgave, selectie) {
        let periode = rij.cel.periode.to_string();
        for (maat, waarde) in &rij.waarden {
            let (getal, reden) = match waarde {
                Waarde::Getal(n) => (n.to_string(), ""),
                Waarde::Verborgen(_) => (String::new(), VERBORGEN),
            };
            schrijver.write_record([
                rij.regio(),
                rij.regionaam(),
                &periode,
                rij.methode(),
                &maat.naam(),
                &getal,
                reden,
            ])?;
        }
        let (mediaan, reden) = match rij.mediaan {
            Some(m) => (decimaal(m, nl), ""),
            None => (String::new(), VERBORGEN),
        };
        schrijver.write_record([
            rij.regio(),
            rij.regionaam(),
            &periode,
            rij.methode(),
            MEDIAAN,
            &mediaan,
            reden,
        ])?;
    }
    schrijver
        .into_inner()
        .map_err(|e| WriteError(e.to_string()))
}

/// A number as the CSV writes it: with a decimal point, or with `nl` a decimal comma.
fn decimaal(n: f64, nl: bool) -> String {
    let tekst = n.to_string();
    if nl { tekst.replace('.', ",") } else { tekst }
}

fn json_bestand(uitgave: &Uitgave, selectie: &Selectie) -> Vec<u8> {
    let mut bestand = Map::new();
    for (sleutel, waarde) in beschrijving(uitgave, selectie) {
        bestand.insert(sleutel.to_owned(), Value::String(waarde));
    }
    bestand.insert("drempel_t".to_owned(), json!(uitgave.regels.drempel()));
    bestand.insert("afronden_op_5".to_owned(), json!(uitgave.regels.afronden));
    bestand.insert(
        "minimale_groep_voor_uitsplitsing".to_owned(),
        json!(uitgave.regels.min_uitsplitsing),
    );
    let cellen: Vec<Value> = rijen(uitgave, selectie)
        .iter()
        .map(|rij| {
            let mut waarden = Map::new();
            let mut verborgen = Vec::new();
            for (maat, waarde) in &rij.waarden {
                match waarde {
                    Waarde::Getal(n) => waarden.insert(maat.naam(), json!(n)),
                    Waarde::Verborgen(_) => {
                        verborgen.push(json!(maat.naam()));
                        waarden.insert(maat.naam(), Value::Null)
                    }
                };
            }
            json!({
                "regio": rij.regio(),
                "regionaam": rij.regionaam(),
                "periode": rij.cel.periode.to_string(),
                "methode": rij.methode(),
                "waarden": waarden,
                "verborgen": verborgen,
                (MEDIAAN): rij.mediaan,
            })
        })
        .collect();
    bestand.insert("cellen".to_owned(), Value::Array(cellen));
    let mut uit = serde_json::to_vec_pretty(&Value::Object(bestand)).expect("JSON serialises");
    uit.push(b'\n');
    uit
}

fn xlsx(uitgave: &Uitgave, selectie: &Selectie) -> Result<Vec<u8>, WriteError> {
    let mut boek = Workbook::new();
    // The creation time is part of the file: the last release's day (or the provisional
    // figures'), so that the same releases give the same bytes.
    let dag = uitgave
        .voorlopig
        .as_ref()
        .map(|v| v.peildatum)
        .into_iter()
        .chain(uitgave.vrijgaven.iter().map(|v| v.peildatum))
        .max()
        .unwrap_or(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"));
    boek.set_properties(&crate::export::werkboek_eigenschappen(
        "Geanonimiseerde cijfers van trajecten naar werk",
        dag,
    )?);
    let vet = XlsxFormat::new().set_bold();
    let verborgen = XlsxFormat::new()
        .set_italic()
        .set_font_color("#595959")
        .set_align(FormatAlign::Right);

    let blad = boek.add_worksheet();
    blad.set_name("Cijfers")?;
    let maten = Maat::alle();
    let mut kop: Vec<String> = ["regio", "regionaam", "periode", "methode"]
        .map(str::to_owned)
        .to_vec();
    kop.extend(maten.iter().map(Maat::naam));
    kop.push(MEDIAAN.to_owned());
    for (k, naam) in kop.iter().enumerate() {
        blad.write_string_with_format(0, k as u16, naam, &vet)?;
    }
    for (n, rij) in rijen(uitgave, selectie).iter().enumerate() {
        let r = n as u32 + 1;
        blad.write_string(r, 0, rij.regio())?;
        blad.write_string(r, 1, rij.regionaam())?;
        blad.write_string(r, 2, rij.cel.periode.to_string())?;
        blad.write_string(r, 3, rij.methode())?;
        for (k, (_, waarde)) in rij.waarden.iter().enumerate() {
            let kolom = 4 + k as u16;
            match waarde {
                Waarde::Getal(g) => blad.write_number(r, kolom, *g as f64)?,
                Waarde::Verborgen(_) => {
                    blad.write_string_with_format(r, kolom, "verborgen", &verborgen)?
                }
            };
        }
        let kolom = 4 + maten.len() as u16;
        match rij.mediaan {
            Some(m) => blad.write_number(r, kolom, m)?,
            None => blad.write_string_with_format(r, kolom, "verborgen", &verborgen)?,
        };
    }
    blad.set_freeze_panes(1, 4)?;
    blad.autofit();

    let toelichting = boek.add_worksheet();
    toelichting.set_name("Toelichting")?;
    let mut r = 0u32;
    for (sleutel, waarde) in beschrijving(uitgave, selectie) {
        toelichting.write_string_with_format(r, 0, sleutel, &vet)?;
        toelichting.write_string(r, 1, waarde)?;
        r += 1;
    }
    r += 1;
    toelichting.write_string_with_format(r, 0, VERBORGEN, &vet)?;
    toelichting.write_string(
        r,
        1,
        "deze waarde is niet gepubliceerd; waarom niet, staat nergens per cel (zie regels)",
    )?;
    toelichting.set_column_width(0, 34)?;
    toelichting.set_column_width(1, 120)?;
    Ok(boek.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_median_is_written_with_a_decimal_comma_for_excel_with_dutch_settings() {
        assert_eq!(decimaal(23.5, true), "23,5");
        assert_eq!(decimaal(23.5, false), "23.5");
        assert_eq!(decimaal(23.0, true), "23");
        assert_eq!("csv-nl".parse::<FileFormat>(), Ok(FileFormat::CsvNl));
        assert_eq!(FileFormat::CsvNl.extension(), "csv");
        assert_eq!(FileFormat::CsvNl.naam(), "csv-nl");
    }
}

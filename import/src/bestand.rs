//! Reading a spreadsheet into a table of cells: XLSX (the first sheet named `trajecten` or
//! `gebeurtenissen`, otherwise the first sheet), or CSV in UTF-8 or Windows-1252 (as Dutch
//! Excel saves it) with `;`, `,` or a tab between the fields. Nothing here knows the columns.
//!
//! A file comes from a user, so its size is bounded before it is read: an XLSX archive is
//! unpacked once into nothing to count what it really holds (a small archive can unpack to
//! gigabytes), and at most [`MAX_RIJEN`] rows of [`MAX_KOLOMMEN`] columns are read.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

/// One cell, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cel {
    Leeg,
    Tekst(String),
    /// A number (a date in Excel is a number of days, shown as a date: see [`Cel::Datum`]).
    Getal(f64),
    /// A cell Excel shows as a date: its serial number of days since 1899-12-30 (the 1900 date
    /// system, also when the workbook uses the 1904 system).
    Datum(f64),
    Waar(bool),
}

impl Cel {
    /// Whether the cell holds nothing (blank text included).
    pub fn is_leeg(&self) -> bool {
        match self {
            Cel::Leeg => true,
            Cel::Tekst(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// The table of a file: its header and its data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tabel {
    /// The column names as written in the header row.
    pub kopjes: Vec<String>,
    /// The data rows, each as long as the header (missing cells are [`Cel::Leeg`]).
    pub rijen: Vec<Vec<Cel>>,
    /// How the file was read, for the report: `XLSX, blad Trajecten` or `CSV, UTF-8, ;`.
    pub vorm: String,
    /// The header's row as the spreadsheet numbers it (1 unless a sheet starts lower); the
    /// data rows follow it.
    pub kopregel: usize,
}

/// The most data rows a file may have (the national caseload twice over).
pub const MAX_RIJEN: usize = 200_000;
/// The most columns a file may have.
pub const MAX_KOLOMMEN: usize = 200;
/// The most an XLSX archive may hold unpacked.
const MAX_UITGEPAKT: u64 = 512 * 1024 * 1024;

/// Why a file cannot be read at all. Nothing is imported from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BestandFout {
    #[error("het bestand is leeg")]
    Leeg,
    #[error("het bestand heeft geen kopregel met kolomnamen")]
    GeenKopregel,
    #[error("het XLSX-bestand kan niet gelezen worden ({0})")]
    Xlsx(String),
    #[error(
        "rij {rij}: {gevonden} velden, de kopregel heeft er {verwacht}; staat het scheidingsteken goed (; of ,)?"
    )]
    AantalVelden {
        rij: usize,
        gevonden: usize,
        verwacht: usize,
    },
    #[error("het CSV-bestand kan niet gelezen worden ({0})")]
    Csv(String),
    #[error(
        "het bestand is te groot: ten hoogste {MAX_RIJEN} rijen en {MAX_KOLOMMEN} kolommen (splits het op)"
    )]
    TeGroot,
}

/// Reads `bytes`: an XLSX file (a ZIP archive) or CSV text.
pub fn lees(bytes: &[u8]) -> Result<Tabel, BestandFout> {
    if bytes.is_empty() {
        return Err(BestandFout::Leeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        lees_xlsx(bytes)
    } else {
        lees_csv(bytes)
    }
}

/// Unpacks every entry of the archive into nothing, counting: what it really holds, whatever
/// its directory claims.
fn controleer_archief(bytes: &[u8]) -> Result<(), BestandFout> {
    let fout = |_: &dyn std::fmt::Display| BestandFout::Xlsx(GEEN_ARCHIEF.to_owned());
    let mut archief = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fout(&e))?;
    let mut totaal: u64 = 0;
    for i in 0..archief.len() {
        let mut deel = archief.by_index(i).map_err(|e| fout(&e))?;
        let over = MAX_UITGEPAKT - totaal + 1;
        totaal += std::io::copy(&mut (&mut deel).take(over), &mut std::io::sink())
            .map_err(|e| fout(&e))?;
        if totaal > MAX_UITGEPAKT {
            return Err(BestandFout::TeGroot);
        }
    }
    Ok(())
}

/// Why an archive is no XLSX file, and why its contents are not: said without quoting the file
/// (the reader's own messages quote cells, which may hold personal data).
const GEEN_ARCHIEF: &str = "geen geldig ZIP-archief";
const ONLEESBAAR: &str = "de inhoud klopt niet met het XLSX-formaat";

fn lees_xlsx(bytes: &[u8]) -> Result<Tabel, BestandFout> {
    controleer_archief(bytes)?;
    // The reader indexes and computes with what the file says without checking it (a shared
    // string that is not there, a cell reference beyond its arithmetic), so a crafted file
    // panics inside it: such a file is one that cannot be read, not a failure of the server.
    std::panic::catch_unwind(|| lees_werkboek(bytes))
        .unwrap_or_else(|_| Err(BestandFout::Xlsx(ONLEESBAAR.to_owned())))
}

fn lees_werkboek(bytes: &[u8]) -> Result<Tabel, BestandFout> {
    let onleesbaar = |_| BestandFout::Xlsx(ONLEESBAAR.to_owned());
    let mut werkboek = Xlsx::new(Cursor::new(bytes)).map_err(onleesbaar)?;
    let namen = werkboek.sheet_names();
    let blad = namen
        .iter()
        .find(|n| {
            let n = n.to_lowercase();
            n == "trajecten" || n == "gebeurtenissen"
        })
        .or_else(|| namen.first())
        .cloned()
        .ok_or(BestandFout::Leeg)?;
    // Cell by cell, so that a sheet too large is refused before it is held whole.
    let mut lezer = werkboek.worksheet_cells_reader(&blad).map_err(onleesbaar)?;
    let mut raster: Vec<Vec<Cel>> = Vec::new();
    let mut eerste_rij: Option<u32> = None;
    let mut vorige_rij: Option<u32> = None;
    while let Some(cel) = lezer.next_cell().map_err(onleesbaar)? {
        let (r, c) = cel.get_position();
        let waarde = cel_van(cel.get_value());
        if waarde == Cel::Leeg {
            continue;
        }
        // A spreadsheet program writes its rows in order and each cell once. A cell of an
        // earlier row would land in the header or in a row read before it, and a cell written
        // twice would replace the first: the file is refused, naming rows or the cell, never its
        // text.
        if let Some(vorige) = vorige_rij
            && r < vorige
        {
            return Err(BestandFout::Xlsx(format!(
                "rij {} staat in het bestand na rij {}; {OPNIEUW_OPSLAAN}",
                u64::from(r) + 1,
                u64::from(vorige) + 1
            )));
        }
        vorige_rij = Some(r);
        let basis = *eerste_rij.get_or_insert(r);
        let (rij_nr, c) = (r, c as usize);
        let r = (r - basis) as usize;
        if r > MAX_RIJEN || c >= MAX_KOLOMMEN {
            return Err(BestandFout::TeGroot);
        }
        if raster.len() <= r {
            raster.resize_with(r + 1, Vec::new);
        }
        let rij = &mut raster[r];
        if rij.len() <= c {
            rij.resize(c + 1, Cel::Leeg);
        }
        if rij[c] != Cel::Leeg {
            return Err(BestandFout::Xlsx(format!(
                "cel {}{} staat meer dan eens in het bestand; {OPNIEUW_OPSLAAN}",
                crate::sjabloon::kolomletters(c),
                u64::from(rij_nr) + 1
            )));
        }
        rij[c] = waarde;
    }
    let mut rijen = raster.into_iter();
    let kop = rijen.next().ok_or(BestandFout::GeenKopregel)?;
    let kopjes: Vec<String> = kop.iter().map(|c| tekst_van(c).trim().to_owned()).collect();
    if kopjes.iter().all(String::is_empty) {
        return Err(BestandFout::GeenKopregel);
    }
    let breedte = kopjes.len();
    let rijen = rijen
        .map(|mut cellen| {
            cellen.resize(breedte, Cel::Leeg);
            cellen
        })
        .collect();
    Ok(Tabel {
        kopjes,
        rijen,
        vorm: format!("XLSX, blad {blad}"),
        kopregel: eerste_rij.map_or(1, |r| r as usize + 1),
    })
}

/// What a user can do about a sheet whose rows or cells are not in order.
const OPNIEUW_OPSLAAN: &str = "sla het opnieuw op vanuit een spreadsheetprogramma";

/// A header cell as text.
fn tekst_van(c: &Cel) -> String {
    match c {
        Cel::Tekst(t) => t.clone(),
        Cel::Leeg => String::new(),
        Cel::Getal(g) | Cel::Datum(g) => g.to_string(),
        Cel::Waar(b) => b.to_string(),
    }
}

fn cel_van(d: &DataRef<'_>) -> Cel {
    match d {
        DataRef::Empty => Cel::Leeg,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cel::Tekst(s.clone())
        }
        DataRef::SharedString(s) => Cel::Tekst((*s).to_owned()),
        DataRef::Int(i) => Cel::Getal(*i as f64),
        DataRef::Float(f) => Cel::Getal(*f),
        DataRef::Bool(b) => Cel::Waar(*b),
        DataRef::DateTime(d) => Cel::Datum(serienummer_1900(d)),
        DataRef::Error(e) => Cel::Tekst(format!("#{e}")),
    }
}

/// How many days the 1904 date system counts less than the 1900 system for the same day.
const DAGEN_1900_1904: i64 = 1462;

/// A date cell's serial number in the 1900 date system, whichever system its workbook uses. A
/// workbook can be saved with the 1904 system (an option of Excel, once the default on a Mac):
/// its serial numbers count from 1904-01-01, so the same number is a day four years and a day
/// later. The reader knows the workbook's system and gives the day it means; where that day is
/// [`DAGEN_1900_1904`] days after the number read in the 1900 system, the number is moved (in
/// the 1900 system the two differ by 0 days, or 1 before March 1900; a negative number, which
/// no workbook shows as a date, is left as it is).
/// (Only cells formatted as a date: a plain number in a 1904 workbook is read in the 1900
/// system.)
fn serienummer_1900(d: &calamine::ExcelDateTime) -> f64 {
    let serie = d.as_f64();
    if !d.is_datetime() {
        return serie;
    }
    let (jaar, maand, dag, ..) = d.to_ymd_hms_milli();
    let Some(datum) = chrono::NaiveDate::from_ymd_opt(jaar.into(), maand.into(), dag.into()) else {
        return serie;
    };
    if serie >= 0.0
        && (datum - crate::waarde::excel_dag_nul()).num_days() - serie.floor() as i64
            == DAGEN_1900_1904
    {
        serie + DAGEN_1900_1904 as f64
    } else {
        serie
    }
}

fn lees_csv(bytes: &[u8]) -> Result<Tabel, BestandFout> {
    let (tekst, codering) = decodeer(bytes);
    let kopregel = tekst.lines().next().unwrap_or("");
    if kopregel.trim().is_empty() {
        return Err(BestandFout::GeenKopregel);
    }
    // The separator is the one the header uses most: a Dutch Excel writes `;`.
    let scheiding = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|s| kopregel.bytes().filter(|b| b == s).count())
        .unwrap_or(b';');
    let mut lezer = csv::ReaderBuilder::new()
        .delimiter(scheiding)
        .has_headers(true)
        .flexible(true)
        .from_reader(tekst.as_bytes());
    let kopjes: Vec<String> = lezer
        .headers()
        .map_err(|e| BestandFout::Csv(e.to_string()))?
        .iter()
        .map(|k| k.trim().to_owned())
        .collect();
    let breedte = kopjes.len();
    let mut rijen = Vec::new();
    if breedte > MAX_KOLOMMEN {
        return Err(BestandFout::TeGroot);
    }
    for (i, record) in lezer.records().enumerate() {
        if i >= MAX_RIJEN {
            return Err(BestandFout::TeGroot);
        }
        let record = record.map_err(|e| BestandFout::Csv(e.to_string()))?;
        if record.iter().all(|v| v.trim().is_empty()) {
            // An empty line (Excel writes `;;;;` for one) is no row.
            rijen.push(vec![Cel::Leeg; breedte]);
            continue;
        }
        if record.len() != breedte {
            return Err(BestandFout::AantalVelden {
                rij: i + 1,
                gevonden: record.len(),
                verwacht: breedte,
            });
        }
        rijen.push(
            record
                .iter()
                .map(|v| {
                    if v.trim().is_empty() {
                        Cel::Leeg
                    } else {
                        Cel::Tekst(v.to_owned())
                    }
                })
                .collect(),
        );
    }
    let teken = match scheiding {
        b';' => ";",
        b',' => ",",
        _ => "tab",
    };
    Ok(Tabel {
        kopjes,
        rijen,
        vorm: format!("CSV, {codering}, {teken}"),
        kopregel: 1,
    })
}

/// The text of a CSV file: UTF-8 (a byte-order mark dropped), or else Windows-1252, the
/// encoding of a Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)".
fn decodeer(bytes: &[u8]) -> (String, &'static str) {
    let zonder_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(zonder_bom) {
        Ok(t) => (t.to_owned(), "UTF-8"),
        Err(_) => {
            let (tekst, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (tekst.into_owned(), "Windows-1252")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_met_puntkomma_in_windows_1252() {
        // "Bakkerij Müller" in Windows-1252: ü is 0xFC.
        let bytes = b"clientnummer;werkgever\r\n12;Bakkerij M\xFCller\r\n";
        let t = lees(bytes).unwrap();
        assert_eq!(t.kopjes, ["clientnummer", "werkgever"]);
        assert_eq!(t.rijen[0][1], Cel::Tekst("Bakkerij Müller".into()));
        assert_eq!(t.vorm, "CSV, Windows-1252, ;");
    }

    #[test]
    fn csv_met_komma_en_bom_in_utf8() {
        let bytes = "\u{feff}clientnummer,werkgever\n12,\"Bakker, De\"\n".as_bytes();
        let t = lees(bytes).unwrap();
        assert_eq!(t.kopjes[0], "clientnummer");
        assert_eq!(t.rijen[0][1], Cel::Tekst("Bakker, De".into()));
        assert_eq!(t.vorm, "CSV, UTF-8, ,");
    }

    #[test]
    fn verkeerd_scheidingsteken_noemt_de_rij() {
        // The header uses `;`, a row `,`: one field where two are expected.
        let fout = lees(b"a;b\n1,2\n").unwrap_err();
        assert_eq!(
            fout,
            BestandFout::AantalVelden {
                rij: 1,
                gevonden: 1,
                verwacht: 2
            }
        );
    }

    #[test]
    fn een_archief_dat_uitgepakt_te_groot_is_wordt_geweigerd() {
        // 600 MB of zeros packs into well under a megabyte.
        let mut schrijver = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opties = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        schrijver
            .start_file("xl/worksheets/sheet1.xml", opties)
            .unwrap();
        let nullen = vec![0u8; 1 << 20];
        for _ in 0..600 {
            std::io::Write::write_all(&mut schrijver, &nullen).unwrap();
        }
        let bytes = schrijver.finish().unwrap().into_inner();
        assert!(bytes.len() < 2 << 20, "{}", bytes.len());
        assert_eq!(lees(&bytes).unwrap_err(), BestandFout::TeGroot);
    }

    /// An XLSX archive with one sheet `trajecten` holding `cellen` (a sheet's `sheetData`).
    fn werkboek(dimensie: &str, cellen: &str) -> Vec<u8> {
        werkboek_met("", dimensie, cellen)
    }

    /// [`werkboek`] with the workbook's properties `eigenschappen` (a `workbookPr` element) and
    /// a style 1 that shows a number as a date (Excel's built-in format 14).
    fn werkboek_met(eigenschappen: &str, dimensie: &str, cellen: &str) -> Vec<u8> {
        const NS: &str = "http://schemas.openxmlformats.org";
        let delen = [
            (
                "xl/styles.xml",
                format!(
                    r#"<?xml version="1.0"?><styleSheet xmlns="{NS}/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
                ),
            ),
            (
                "[Content_Types].xml",
                format!(
                    r#"<?xml version="1.0"?><Types xmlns="{NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    r#"<?xml version="1.0"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml",
                format!(
                    r#"<?xml version="1.0"?><workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships">{eigenschappen}<sheets><sheet name="trajecten" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<?xml version="1.0"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<?xml version="1.0"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">{dimensie}<sheetData>{cellen}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut schrijver = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (naam, inhoud) in delen {
            schrijver
                .start_file(naam, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut schrijver, inhoud.as_bytes()).unwrap();
        }
        schrijver.finish().unwrap().into_inner()
    }

    #[test]
    fn een_vervalst_xlsx_bestand_is_onleesbaar_en_wordt_niet_geciteerd() {
        let kop = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>clientnummer</t></is></c></row>"#;
        assert_eq!(lees(&werkboek("", kop)).unwrap().kopjes, ["clientnummer"]);
        // A shared string the archive does not hold (the reader indexes it and panics), and a
        // cell type the format does not know, named after a person: unreadable, not quoted.
        for cellen in [
            format!(r#"{kop}<row r="2"><c r="A2" t="s"><v>5</v></c></row>"#),
            format!(r#"{kop}<row r="2"><c r="A2" t="Geheimnaam"><v>1</v></c></row>"#),
        ] {
            let fout = lees(&werkboek("", &cellen)).unwrap_err();
            assert!(matches!(fout, BestandFout::Xlsx(_)), "{cellen}: {fout:?}");
            assert!(!fout.to_string().contains("Geheim"), "{fout}");
        }
        // A dimension that ends before it starts, and references beyond the reader's arithmetic
        // (which overflows where overflow is checked, and wraps where it is not): read or
        // refused, never a panic out of `lees`.
        for (dimensie, cellen) in [
            (r#"<dimension ref="B2:A1"/>"#, kop),
            (
                "",
                r#"<row r="1"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>"#,
            ),
            (
                "",
                r#"<row r="1"><c r="ZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>"#,
            ),
        ] {
            let _ = lees(&werkboek(dimensie, cellen));
        }
    }

    #[test]
    fn een_datumcel_is_dezelfde_dag_in_beide_datumsystemen() {
        let kop = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>datum</t></is></c><c r="B1" t="inlineStr"><is><t>getal</t></is></c></row>"#;
        // 5 March 2024: 45356 in the 1900 system, 43894 in the 1904 system. A plain number
        // is read as it stands.
        for (eigenschappen, serie) in [
            ("", 45356),
            (r#"<workbookPr date1904="0"/>"#, 45356),
            (r#"<workbookPr date1904="1"/>"#, 43894),
            (r#"<workbookPr date1904="true"/>"#, 43894),
        ] {
            let cellen = format!(
                r#"{kop}<row r="2"><c r="A2" s="1"><v>{serie}.5</v></c><c r="B2"><v>{serie}</v></c></row>"#
            );
            let t = lees(&werkboek_met(eigenschappen, "", &cellen)).unwrap();
            assert_eq!(
                t.rijen[0],
                vec![Cel::Datum(45356.5), Cel::Getal(f64::from(serie))],
                "{eigenschappen}"
            );
            assert_eq!(
                crate::waarde::datum(&t.rijen[0][0]).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()
            );
        }
        // A negative number shown as a date (Excel shows no date for it) stays what it is, and
        // is no date.
        let cellen = format!(r#"{kop}<row r="2"><c r="A2" s="1"><v>-1461</v></c></row>"#);
        let t = lees(&werkboek_met("", "", &cellen)).unwrap();
        assert_eq!(t.rijen[0][0], Cel::Datum(-1461.0));
        assert!(crate::waarde::datum(&t.rijen[0][0]).is_err());
    }

    #[test]
    fn een_cel_boven_de_eerste_rij_weigert_het_bestand_zonder_haar_te_noemen() {
        // The header on row 3, then a cell of row 1 (a spreadsheet program never writes rows out
        // of order): it would land in the header and be reported as a column.
        let cellen = r#"<row r="3"><c r="A3" t="inlineStr"><is><t>clientnummer</t></is></c></row><row r="1"><c r="B1" t="inlineStr"><is><t>Geheimnaam</t></is></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>12</t></is></c></row>"#;
        let fout = lees(&werkboek("", cellen)).unwrap_err();
        assert_eq!(
            fout.to_string(),
            "het XLSX-bestand kan niet gelezen worden (rij 1 staat in het bestand na rij 3; sla het opnieuw op vanuit een spreadsheetprogramma)"
        );
        // Any row before one read already: it would land in a row read before it.
        let cel = |r: &str, tekst: &str| {
            format!(r#"<c r="{r}" t="inlineStr"><is><t>{tekst}</t></is></c>"#)
        };
        let kop = format!(r#"<row r="1">{}</row>"#, cel("A1", "clientnummer"));
        for (cellen, bericht) in [
            (
                format!(
                    r#"{kop}<row r="3">{}</row><row r="2">{}</row>"#,
                    cel("A3", "13"),
                    cel("A2", "12")
                ),
                "rij 2 staat in het bestand na rij 3",
            ),
            // The header again after the data: its cells would have been read into the header.
            (
                format!(
                    r#"{kop}<row r="2">{}</row><row r="1">{}</row>"#,
                    cel("A2", "12"),
                    cel("B1", "Geheimnaam")
                ),
                "rij 1 staat in het bestand na rij 2",
            ),
            // A cell of row 1 inside row 3.
            (
                format!(
                    r#"{kop}<row r="3">{}{}</row>"#,
                    cel("A3", "13"),
                    cel("B1", "Geheimnaam")
                ),
                "rij 1 staat in het bestand na rij 3",
            ),
            // The same row twice: the second would replace the first.
            (
                format!(
                    r#"{kop}<row r="2">{}</row><row r="2">{}</row>"#,
                    cel("A2", "12"),
                    cel("A2", "Geheimnaam")
                ),
                "cel A2 staat meer dan eens in het bestand",
            ),
            (
                format!(
                    r#"{kop}<row r="2">{}{}</row>"#,
                    cel("AB2", "12"),
                    cel("AB2", "13")
                ),
                "cel AB2 staat meer dan eens in het bestand",
            ),
        ] {
            let fout = lees(&werkboek("", &cellen)).unwrap_err().to_string();
            assert!(fout.contains(bericht), "{cellen}: {fout}");
            assert!(!fout.contains("Geheim"), "{fout}");
        }
        // Cells of one row in any order, and a row element that continues the same row in
        // other columns, are read where they belong.
        let cellen = format!(
            r#"{kop}<row r="2">{}{}</row><row r="2">{}</row>"#,
            cel("C2", "c"),
            cel("A2", "a"),
            cel("B2", "b")
        );
        let t = lees(&werkboek("", &cellen)).unwrap();
        assert_eq!(t.kopjes, ["clientnummer"]);
        assert_eq!(t.rijen, vec![vec![Cel::Tekst("a".into())]]);
        let kolomletters = crate::sjabloon::kolomletters;
        assert_eq!(kolomletters(0), "A");
        assert_eq!(kolomletters(25), "Z");
        assert_eq!(kolomletters(26), "AA");
        assert_eq!(kolomletters(27), "AB");
        assert_eq!(kolomletters(701), "ZZ");
        assert_eq!(kolomletters(702), "AAA");
    }

    #[test]
    fn een_blad_dat_lager_begint_telt_rijen_zoals_de_spreadsheet() {
        let mut boek = rust_xlsxwriter::Workbook::new();
        let blad = boek.add_worksheet();
        blad.write_string(0, 0, "Caseload van team Oost").unwrap();
        blad.write_string(2, 0, "clientnummer").unwrap();
        blad.write_string(2, 1, "methode").unwrap();
        blad.write_string(3, 0, "12").unwrap();
        blad.write_string(3, 1, "IPS").unwrap();
        let bytes = boek.save_to_buffer().unwrap();
        let t = lees(&bytes).unwrap();
        // A title above the header is a row of its own: the header is the first row with
        // cells, here the title's.
        assert_eq!(t.kopregel, 1);
        assert_eq!(t.kopjes[0], "Caseload van team Oost");

        let mut boek = rust_xlsxwriter::Workbook::new();
        let blad = boek.add_worksheet();
        blad.write_string(2, 0, "clientnummer").unwrap();
        blad.write_string(3, 0, "12").unwrap();
        let t = lees(&boek.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.kopregel, 3, "the header on the sheet's third row");
        assert_eq!(t.rijen, vec![vec![Cel::Tekst("12".into())]]);
    }

    #[test]
    fn te_veel_rijen_of_kolommen() {
        let mut csv = String::from("a;b\n");
        for _ in 0..=MAX_RIJEN {
            csv.push_str("1;2\n");
        }
        assert_eq!(lees(csv.as_bytes()).unwrap_err(), BestandFout::TeGroot);
        let breed = vec!["k"; MAX_KOLOMMEN + 1].join(";");
        assert_eq!(lees(breed.as_bytes()).unwrap_err(), BestandFout::TeGroot);
    }

    #[test]
    fn leeg_bestand_en_lege_kopregel() {
        assert_eq!(lees(b"").unwrap_err(), BestandFout::Leeg);
        assert_eq!(lees(b"\n1;2\n").unwrap_err(), BestandFout::GeenKopregel);
    }
}

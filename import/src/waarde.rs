//! Reading one cell as a value of the domain: dates (text in Dutch or ISO order, or an Excel
//! serial), yes/no, hours, and the closed lists in any case and spacing. Each failure is a rule
//! code and a sentence in Dutch, without the cell's content.

use chrono::{Duration, NaiveDate};
use traject_domain::value::UrenPerWeek;

use crate::bestand::Cel;

/// A cell that does not read as its column's value: the rule and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ongeldig {
    pub regel: &'static str,
    pub bericht: String,
}

impl Ongeldig {
    pub fn new(regel: &'static str, bericht: impl Into<String>) -> Self {
        Self {
            regel,
            bericht: bericht.into(),
        }
    }
}

/// The text of a cell, trimmed (a number as Excel would show it without format).
pub fn tekst(cel: &Cel) -> String {
    match cel {
        Cel::Leeg => String::new(),
        Cel::Tekst(t) => t.trim().to_owned(),
        Cel::Getal(g) | Cel::Datum(g) if g.fract() == 0.0 => format!("{}", *g as i64),
        Cel::Getal(g) | Cel::Datum(g) => g.to_string(),
        Cel::Waar(true) => "ja".to_owned(),
        Cel::Waar(false) => "nee".to_owned(),
    }
}

/// Day 0 of Excel's serial dates (in the 1900 system, counting its leap day 1900-02-29).
pub(crate) fn excel_dag_nul() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date")
}

fn van_serienummer(serie: f64) -> Result<NaiveDate, Ongeldig> {
    // 1 is 1900-01-01, 2958465 is 9999-12-31; a date before 1950 is no trajectory's.
    if !(1.0..2_958_466.0).contains(&serie) {
        return Err(Ongeldig::new(
            "geen_datum",
            "is geen datum (gebruik DD-MM-JJJJ of een datumcel)",
        ));
    }
    Ok(excel_dag_nul() + Duration::days(serie.trunc() as i64))
}

/// A date: a date cell, an Excel serial number, or text as `DD-MM-JJJJ`, `D-M-JJJJ`,
/// `DD/MM/JJJJ`, `DD.MM.JJJJ` or `JJJJ-MM-DD` (a time after it is ignored). Day before month,
/// as in Dutch; a year in two digits is refused rather than guessed.
pub fn datum(cel: &Cel) -> Result<NaiveDate, Ongeldig> {
    match cel {
        Cel::Datum(s) | Cel::Getal(s) => van_serienummer(*s),
        Cel::Tekst(t) => {
            let t = t.trim();
            let dag = t.split([' ', 'T']).next().unwrap_or(t);
            if !dag.is_empty() && dag.bytes().all(|b| b.is_ascii_digit()) && dag.len() <= 7 {
                let serie: f64 = dag.parse().unwrap_or(0.0);
                return van_serienummer(serie);
            }
            for vorm in ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"] {
                if let Ok(d) = NaiveDate::parse_from_str(dag, vorm) {
                    // `%Y` takes a year of two digits as that year itself (0024).
                    if d.format("%Y").to_string().starts_with('0') {
                        break;
                    }
                    return Ok(d);
                }
            }
            Err(Ongeldig::new(
                "geen_datum",
                "is geen datum (gebruik DD-MM-JJJJ, JJJJ-MM-DD of een datumcel; het jaar in vier cijfers)",
            ))
        }
        Cel::Waar(_) | Cel::Leeg => Err(Ongeldig::new("geen_datum", "is geen datum")),
    }
}

/// Yes or no: `ja`/`nee`, `j`/`n`, `waar`/`onwaar`, `true`/`false`, `1`/`0`, or a checkbox.
pub fn ja_nee(cel: &Cel) -> Result<bool, Ongeldig> {
    if let Cel::Waar(b) = cel {
        return Ok(*b);
    }
    match tekst(cel).to_lowercase().as_str() {
        "ja" | "j" | "waar" | "true" | "1" | "x" => Ok(true),
        "nee" | "n" | "onwaar" | "false" | "0" => Ok(false),
        _ => Err(Ongeldig::new("geen_ja_nee", "moet ja of nee zijn")),
    }
}

/// Hours per week: a number, with a decimal comma or point.
pub fn uren(cel: &Cel) -> Result<UrenPerWeek, Ongeldig> {
    let getal = match cel {
        Cel::Getal(g) => *g,
        _ => tekst(cel)
            .replace(',', ".")
            .parse::<f64>()
            .map_err(|_| Ongeldig::new("geen_getal", "moet een aantal uren per week zijn"))?,
    };
    UrenPerWeek::from_hours(getal).map_err(|e| Ongeldig::new("ongeldige_waarde", e.to_string()))
}

/// Text compared without case, spaces, hyphens, underscores and diacritics.
pub fn genormaliseerd(t: &str) -> String {
    t.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => Some('a'),
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => Some('e'),
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => Some('i'),
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => Some('o'),
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => Some('u'),
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// One of a closed list, by its name in any case or spacing (`Werk als beste zorg` is
/// `WerkAlsBesteZorg`).
pub fn keuze<T: Copy>(
    cel: &Cel,
    alle: &[T],
    naam: impl Fn(&T) -> &'static str,
) -> Result<T, Ongeldig> {
    let gezocht = genormaliseerd(&tekst(cel));
    alle.iter()
        .copied()
        .find(|v| genormaliseerd(naam(v)) == gezocht)
        .ok_or_else(|| {
            let namen: Vec<&str> = alle.iter().map(&naam).collect();
            Ongeldig::new(
                "onbekende_keuze",
                format!("moet een van {} zijn", namen.join(", ")),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use traject_domain::value::Methode;

    fn d(y: i32, m: u32, dag: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dag).unwrap()
    }

    #[test]
    fn datums_als_tekst_en_als_serienummer() {
        let t = |s: &str| datum(&Cel::Tekst(s.into()));
        assert_eq!(t("05-03-2024"), Ok(d(2024, 3, 5)));
        assert_eq!(t("5-3-2024"), Ok(d(2024, 3, 5)));
        assert_eq!(t("05/03/2024"), Ok(d(2024, 3, 5)));
        assert_eq!(t("5.3.2024"), Ok(d(2024, 3, 5)));
        assert_eq!(t("2024-03-05"), Ok(d(2024, 3, 5)));
        assert_eq!(t("2024-03-05 00:00:00"), Ok(d(2024, 3, 5)));
        // 45356 is 2024-03-05 in Excel, as a date cell, a number or text.
        assert_eq!(datum(&Cel::Datum(45356.0)), Ok(d(2024, 3, 5)));
        assert_eq!(datum(&Cel::Getal(45356.0)), Ok(d(2024, 3, 5)));
        assert_eq!(t("45356"), Ok(d(2024, 3, 5)));
        for fout in ["05-03-24", "maart 2024", "31-02-2024", "2024/13/01", ""] {
            assert_eq!(t(fout).unwrap_err().regel, "geen_datum", "{fout}");
        }
    }

    #[test]
    fn ja_nee_uren_en_keuzes() {
        assert_eq!(ja_nee(&Cel::Tekst("Ja".into())), Ok(true));
        assert_eq!(ja_nee(&Cel::Tekst("n".into())), Ok(false));
        assert_eq!(ja_nee(&Cel::Waar(true)), Ok(true));
        assert_eq!(
            ja_nee(&Cel::Tekst("misschien".into())).unwrap_err().regel,
            "geen_ja_nee"
        );
        assert_eq!(
            uren(&Cel::Tekst("24,5".into())),
            UrenPerWeek::from_hours(24.5).map_err(|_| unreachable!())
        );
        assert_eq!(
            uren(&Cel::Tekst("veel".into())).unwrap_err().regel,
            "geen_getal"
        );
        let m = |s: &str| keuze(&Cel::Tekst(s.into()), Methode::ALL, |m| m.as_str());
        assert_eq!(m("werk als beste zorg"), Ok(Methode::WerkAlsBesteZorg));
        assert_eq!(m("ips"), Ok(Methode::Ips));
        let fout = m("IPS-plus").unwrap_err();
        assert_eq!(fout.regel, "onbekende_keuze");
        assert!(fout.bericht.contains("Jobcoaching"));
    }
}

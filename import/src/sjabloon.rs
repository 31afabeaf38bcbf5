//! The template of an import file (XLSX): a sheet to fill in with the layout's columns, with
//! drop-down lists made from the domain's closed lists and date checks, a sheet of
//! instructions that explains every column, and a hidden sheet holding the lists.

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};
use traject_domain::event::Contract;
use traject_domain::value::{
    AfsluitingsReden, BeeindigingsReden, Financier, Methode, OpschalingsReden, Regio, Uitkering,
    Verwijzer,
};

use crate::indeling::{GEBEURTENISSEN, Indeling};

/// What a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    Tekst,
    Datum,
    Getal,
    /// One of a closed list (its name in [`lijsten`]).
    Lijst(&'static str),
}

/// One column of a layout, as the template and the instructions present it.
#[derive(Debug, Clone)]
pub struct Kolom {
    pub naam: String,
    pub verplicht: &'static str,
    pub uitleg: &'static str,
    pub soort: Soort,
}

fn k(naam: &str, verplicht: &'static str, uitleg: &'static str, soort: Soort) -> Kolom {
    Kolom {
        naam: naam.to_owned(),
        verplicht,
        uitleg,
        soort,
    }
}

fn klant() -> [Kolom; 6] {
    [
        k(
            "clientnummer",
            "ja",
            "Het nummer van de client in de eigen registratie. Traject bewaart het niet; het houdt de trajecten van één client bij elkaar.",
            Soort::Tekst,
        ),
        k(
            "naam",
            "nee",
            "Naam van de client: gaat naar de kluis, nooit naar een gebeurtenis of rapport.",
            Soort::Tekst,
        ),
        k(
            "geboortedatum",
            "bij een naam",
            "Geboortedatum (kluis).",
            Soort::Datum,
        ),
        k("telefoon", "nee", "Telefoonnummer (kluis).", Soort::Tekst),
        k("email", "nee", "E-mailadres (kluis).", Soort::Tekst),
        k(
            "bsn",
            "nee",
            "BSN, alleen met een wettelijke grondslag (kluis; elfproef).",
            Soort::Tekst,
        ),
    ]
}

fn aanmelding() -> [Kolom; 4] {
    [
        k(
            "methode",
            "ja",
            "De methode van het traject.",
            Soort::Lijst("methode"),
        ),
        k(
            "verwijzer",
            "ja",
            "Wie de client verwees.",
            Soort::Lijst("verwijzer"),
        ),
        k(
            "financier",
            "ja",
            "Wie het traject betaalt.",
            Soort::Lijst("financier"),
        ),
        k(
            "regio",
            "als --regio ontbreekt",
            "De arbeidsmarktregio (CBS-code, bijvoorbeeld AM13).",
            Soort::Lijst("regio"),
        ),
    ]
}

/// The columns of a layout, in the template's order (the per-trajectory layout with two
/// placements; up to nine are read, as `plaatsing3_start` and so on).
pub fn kolommen(indeling: Indeling) -> Vec<Kolom> {
    let [client, persoon @ ..] = klant();
    let mut v = vec![client];
    match indeling {
        Indeling::PerTraject => {
            v.push(k(
                "aanmelddatum",
                "ja",
                "De datum van aanmelding.",
                Soort::Datum,
            ));
            v.extend(aanmelding());
            v.push(k(
                "intakedatum",
                "nee",
                "De datum van de intake (leeg: nog geen intake).",
                Soort::Datum,
            ));
            v.extend(intake("bij een intake"));
            v.extend([
                k(
                    "werkgeverscontact",
                    "nee",
                    "De datum van het eerste werkgeverscontact.",
                    Soort::Datum,
                ),
                k(
                    "werkgeverscontact_werkgever",
                    "bij een werkgeverscontact",
                    "De werkgever van dat contact (versleuteld bewaard).",
                    Soort::Tekst,
                ),
                k(
                    "werkgeverscontact_persoonlijk",
                    "nee",
                    "Was het contact persoonlijk (ja/nee; leeg: nee).",
                    Soort::Lijst("janee"),
                ),
            ]);
            v.extend(plaatsing("plaatsing"));
            v.extend(plaatsing("plaatsing2"));
            v.extend([
                k(
                    "waakvlam",
                    "nee",
                    "De datum waarop de ondersteuning naar waakvlam ging.",
                    Soort::Datum,
                ),
                k(
                    "afsluitdatum",
                    "nee",
                    "De datum van afsluiting (leeg: loopt nog).",
                    Soort::Datum,
                ),
                k(
                    "afsluitreden",
                    "bij een afsluiting",
                    "De reden van afsluiting.",
                    Soort::Lijst("afsluitreden"),
                ),
            ]);
        }
        Indeling::PerGebeurtenis => {
            v.extend([
                k(
                    "gebeurtenis",
                    "ja",
                    "Wat er gebeurde; elke aanmelding begint een nieuw traject van de client.",
                    Soort::Lijst("gebeurtenis"),
                ),
                k("datum", "ja", "De datum van de gebeurtenis.", Soort::Datum),
            ]);
            v.extend(aanmelding().map(|mut c| {
                if c.naam != "regio" {
                    c.verplicht = "bij een aanmelding";
                }
                c
            }));
            v.extend(intake("bij intake en coach"));
            let [werkgever, functie, rest @ ..] = plaatsingsvelden(str::to_owned);
            v.push(Kolom {
                verplicht: "bij werkgeverscontact en plaatsing",
                ..werkgever
            });
            v.push(functie);
            v.push(k(
                "persoonlijk",
                "nee",
                "Werkgeverscontact persoonlijk (ja/nee; leeg: nee).",
                Soort::Lijst("janee"),
            ));
            v.extend(rest.map(|c| match c.naam.as_str() {
                "uren" => Kolom {
                    verplicht: "bij plaatsing en uren",
                    ..c
                },
                _ => c,
            }));
            v.extend([
                k(
                    "plaatsing",
                    "nee",
                    "Bij plaatsing: het volgnummer van de plaatsing in het traject (1 = de eerst gestarte). Bij plaatsing_einde en uren: welke plaatsing het betreft (leeg: de lopende, de laatst gestarte die nog niet beëindigd is). Vul het in als een plaatsing eindigt op de dag dat een volgende begint.",
                    Soort::Getal,
                ),
                k(
                    "reden",
                    "bij plaatsing_einde, opschaling en afsluiting",
                    "De reden, uit de lijst van die gebeurtenis.",
                    Soort::Lijst("reden"),
                ),
            ]);
        }
    }
    v.extend(persoon);
    v
}

/// The intake's fields (the coach `coach` is required).
fn intake(coach: &'static str) -> [Kolom; 3] {
    [
        k(
            "coach",
            coach,
            "De coach: een coach van het team van de organisatie.",
            Soort::Tekst,
        ),
        k(
            "uitkering",
            "bij een intake",
            "De uitkering bij de intake.",
            Soort::Lijst("uitkering"),
        ),
        k(
            "ggz_behandeling",
            "bij een intake",
            "In GGZ-behandeling bij de intake.",
            Soort::Lijst("janee"),
        ),
    ]
}

/// A placement's fields as `naam` names them: werkgever, functie, uren, contract,
/// contract_einddatum, betaald, regulier.
fn plaatsingsvelden(naam: impl Fn(&str) -> String) -> [Kolom; 7] {
    [
        k(
            &naam("werkgever"),
            "bij een plaatsing",
            "De werkgever (versleuteld bewaard).",
            Soort::Tekst,
        ),
        k(
            &naam("functie"),
            "bij een plaatsing",
            "De functie (versleuteld bewaard).",
            Soort::Tekst,
        ),
        k(
            &naam("uren"),
            "bij een plaatsing",
            "Uren per week (24 of 24,5).",
            Soort::Getal,
        ),
        k(
            &naam("contract"),
            "bij een plaatsing",
            "De vorm van het contract.",
            Soort::Lijst("contract"),
        ),
        k(
            &naam("contract_einddatum"),
            "bij een tijdelijk contract",
            "De laatste dag van het contract.",
            Soort::Datum,
        ),
        k(
            &naam("betaald"),
            "bij een plaatsing",
            "Betaald werk (ja/nee).",
            Soort::Lijst("janee"),
        ),
        k(
            &naam("regulier"),
            "bij een plaatsing",
            "Op de reguliere arbeidsmarkt (ja/nee).",
            Soort::Lijst("janee"),
        ),
    ]
}

/// The columns of placement `p` (`plaatsing`, `plaatsing2`, ...) in the per-trajectory layout.
fn plaatsing(p: &str) -> Vec<Kolom> {
    let naam = |veld: &str| format!("{p}_{veld}");
    let mut v = vec![k(
        &naam("start"),
        "nee",
        "De eerste werkdag van de plaatsing.",
        Soort::Datum,
    )];
    v.extend(plaatsingsvelden(naam));
    v.extend([
        k(
            &naam("einde"),
            "nee",
            "De laatste werkdag (leeg: loopt nog).",
            Soort::Datum,
        ),
        k(
            &naam("reden_einde"),
            "bij een einde",
            "Waarom de plaatsing eindigde.",
            Soort::Lijst("reden_einde"),
        ),
    ]);
    v
}

/// The closed lists, by name, from the domain.
pub fn lijsten() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut redenen: Vec<&'static str> =
        BeeindigingsReden::ALL.iter().map(|r| r.as_str()).collect();
    redenen.extend(OpschalingsReden::ALL.iter().map(|r| r.as_str()));
    redenen.extend(AfsluitingsReden::ALL.iter().map(|r| r.as_str()));
    redenen.sort_unstable();
    redenen.dedup();
    vec![
        ("methode", Methode::ALL.iter().map(|m| m.as_str()).collect()),
        (
            "verwijzer",
            Verwijzer::ALL.iter().map(|m| m.as_str()).collect(),
        ),
        (
            "financier",
            Financier::ALL.iter().map(|m| m.as_str()).collect(),
        ),
        ("regio", Regio::ALL.iter().map(|r| r.code()).collect()),
        (
            "uitkering",
            Uitkering::ALL.iter().map(|m| m.as_str()).collect(),
        ),
        ("contract", Contract::VORMEN.to_vec()),
        (
            "reden_einde",
            BeeindigingsReden::ALL.iter().map(|m| m.as_str()).collect(),
        ),
        (
            "afsluitreden",
            AfsluitingsReden::ALL.iter().map(|m| m.as_str()).collect(),
        ),
        ("reden", redenen),
        ("gebeurtenis", GEBEURTENISSEN.to_vec()),
        ("janee", vec!["ja", "nee"]),
    ]
}

/// How many rows of the sheet get the drop-down lists and date checks.
const RIJEN: u32 = 10_000;

/// The template of `indeling` as an XLSX file.
pub fn xlsx(indeling: Indeling) -> Result<Vec<u8>, XlsxError> {
    let mut boek = Workbook::new();
    let vet = Format::new().set_bold();
    let datumvorm = Format::new().set_num_format("dd-mm-yyyy");
    let kolommen = kolommen(indeling);
    let lijsten = lijsten();
    let blad_naam = match indeling {
        Indeling::PerTraject => "Trajecten",
        Indeling::PerGebeurtenis => "Gebeurtenissen",
    };

    let blad = boek.add_worksheet();
    blad.set_name(blad_naam)?;
    for (i, kolom) in kolommen.iter().enumerate() {
        let c = u16::try_from(i).unwrap_or(u16::MAX);
        blad.write_string_with_format(0, c, &kolom.naam, &vet)?;
        blad.set_column_width(c, (kolom.naam.len() as f64 + 2.0).max(12.0))?;
        match kolom.soort {
            Soort::Datum => {
                blad.set_column_format(c, &datumvorm)?;
            }
            Soort::Lijst(naam) => {
                let Some(pos) = lijsten.iter().position(|(n, _)| *n == naam) else {
                    continue;
                };
                let lengte = lijsten[pos].1.len();
                let kolomletter = kolomletters(pos);
                let bron = Formula::new(format!(
                    "=Lijsten!${kolomletter}$2:${kolomletter}${}",
                    lengte + 1
                ));
                let controle = DataValidation::new()
                    .allow_list_formula(bron)
                    .set_error_message("Kies een waarde uit de lijst.")?;
                blad.add_data_validation(1, c, RIJEN, c, &controle)?;
            }
            Soort::Tekst | Soort::Getal => {}
        }
    }
    blad.set_freeze_panes(1, 0)?;

    let uitleg = boek.add_worksheet();
    uitleg.set_name("Toelichting")?;
    let mut r = 0;
    for regel in [
        "Import van trajecten in traject",
        "",
        match indeling {
            Indeling::PerTraject => {
                "Vul op het blad Trajecten één rij per traject in, met de datums van de belangrijkste gebeurtenissen."
            }
            Indeling::PerGebeurtenis => {
                "Vul op het blad Gebeurtenissen één rij per gebeurtenis in; de rijen van een client mogen in elke volgorde staan."
            }
        },
        "Datums: een datumcel, of tekst als DD-MM-JJJJ of JJJJ-MM-DD. Keuzes: uit de lijst in de cel (hoofdletters en spaties tellen niet).",
        "Elke rij wordt gecontroleerd met dezelfde regels als bij invoer door een coach. Een traject wordt helemaal of niet vastgelegd.",
        "Probeer eerst met een proef (traject import --dry-run, of Proef in de webclient): dan wordt niets vastgelegd.",
        "Opnieuw importeren van dezelfde rijen verandert niets; rijen die later bij een traject komen, worden aangevuld.",
        "Persoonsgegevens (naam, geboortedatum, telefoon, e-mail, BSN) gaan naar de kluis, nooit naar gebeurtenissen of rapporten.",
        "",
    ] {
        uitleg.write_string(r, 0, regel)?;
        r += 1;
    }
    for (c, kop) in ["kolom", "verplicht", "betekenis", "waarden"]
        .iter()
        .enumerate()
    {
        uitleg.write_string_with_format(r, c as u16, *kop, &vet)?;
    }
    r += 1;
    for kolom in &kolommen {
        uitleg.write_string(r, 0, &kolom.naam)?;
        uitleg.write_string(r, 1, kolom.verplicht)?;
        uitleg.write_string(r, 2, kolom.uitleg)?;
        let waarden = match kolom.soort {
            Soort::Datum => "datum".to_owned(),
            Soort::Getal => "getal".to_owned(),
            Soort::Tekst => "tekst".to_owned(),
            Soort::Lijst(naam) => lijsten
                .iter()
                .find(|(n, _)| *n == naam)
                .map(|(_, v)| v.join(", "))
                .unwrap_or_default(),
        };
        uitleg.write_string(r, 3, &waarden)?;
        r += 1;
    }
    uitleg.set_column_width(0, 32)?;
    uitleg.set_column_width(1, 24)?;
    uitleg.set_column_width(2, 80)?;
    uitleg.set_column_width(3, 60)?;

    let bron = boek.add_worksheet();
    bron.set_name("Lijsten")?;
    for (c, (naam, waarden)) in lijsten.iter().enumerate() {
        let c = c as u16;
        bron.write_string_with_format(0, c, *naam, &vet)?;
        for (i, w) in waarden.iter().enumerate() {
            bron.write_string(i as u32 + 1, c, *w)?;
        }
    }
    bron.set_hidden(true);
    boek.save_to_buffer()
}

/// The column letters of index `i` (0: A).
pub(crate) fn kolomletters(i: usize) -> String {
    let mut n = i + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bestand::lees;

    #[test]
    fn het_sjabloon_leest_terug_met_alle_kolommen_en_zonder_rijen() {
        for indeling in [Indeling::PerTraject, Indeling::PerGebeurtenis] {
            let bytes = xlsx(indeling).unwrap();
            let tabel = lees(&bytes).unwrap();
            let verwacht: Vec<String> = kolommen(indeling).into_iter().map(|k| k.naam).collect();
            assert_eq!(tabel.kopjes, verwacht);
            assert!(tabel.rijen.iter().all(|r| r.iter().all(|c| c.is_leeg())));
            let doel = crate::Doel {
                organisatie: traject_domain::value::OrganisatieId::parse("org-a").unwrap(),
                regio: None,
                vandaag: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            };
            let opzet = crate::indeling::opzet(&tabel, &doel).unwrap();
            assert_eq!(opzet.indeling, indeling);
            assert!(
                opzet.onbekende_kolommen.is_empty(),
                "{:?}",
                opzet.onbekende_kolommen
            );
        }
    }

    #[test]
    fn kolomletters_tellen_als_excel() {
        assert_eq!(kolomletters(0), "A");
        assert_eq!(kolomletters(25), "Z");
        assert_eq!(kolomletters(26), "AA");
    }
}

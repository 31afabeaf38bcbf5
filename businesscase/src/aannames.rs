//! A region's assumptions (aannames): what a month of support costs, what a benefit is worth,
//! how much of it stops per hour worked, what work saves in care costs, how long work lasts, and
//! the horizons. Every value is a range (lowest, middle, highest) for the low, middle and high
//! scenarios; every output states the assumptions' version.
//!
//! The file is JSON, read over [`Aannames::standaard`]: a region writes only what it changes,
//! and must give its own `versie`. A value that breaks a rule is refused with the field and the
//! rule, nothing else taken from the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use traject_domain::value::{Financier, Methode, Uitkering};
use traject_projections::businesscase::MAX_UREN;

/// The most any amount in euros may be (per month or per hour): more is a typing error, and the
/// sums would overflow.
pub const MAX_BEDRAG: f64 = 100_000.0;

/// The most horizons a case is computed over.
pub const MAX_HORIZONTEN: usize = 5;

/// The longest a text (the version, the source) may be.
pub const MAX_TEKST: usize = 500;

/// One assumption as a range: the lowest, middle and highest plausible value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bereik {
    /// The lowest plausible value.
    pub laag: f64,
    /// The middle value.
    pub midden: f64,
    /// The highest plausible value.
    pub hoog: f64,
}

impl Bereik {
    /// One value for all three.
    pub const fn vast(waarde: f64) -> Self {
        Self {
            laag: waarde,
            midden: waarde,
            hoog: waarde,
        }
    }

    /// A range.
    pub const fn van(laag: f64, midden: f64, hoog: f64) -> Self {
        Self { laag, midden, hoog }
    }

    fn controleer(&self, veld: &str, max: Option<f64>) -> Result<(), AannameFout> {
        let fout = |regel: String| AannameFout {
            veld: veld.to_owned(),
            regel,
        };
        for w in [self.laag, self.midden, self.hoog] {
            if !w.is_finite() || w < 0.0 {
                return Err(fout("moet een getal van 0 of meer zijn".to_owned()));
            }
            if let Some(max) = max
                && w > max
            {
                return Err(fout(format!("mag niet meer dan {max} zijn")));
            }
        }
        if !(self.laag <= self.midden && self.midden <= self.hoog) {
            return Err(fout("laag, midden en hoog moeten oplopen".to_owned()));
        }
        Ok(())
    }
}

/// A region's assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aannames {
    /// The version, stated in every output.
    pub versie: String,
    /// Euros per month of support, per method and financier.
    pub kosten_per_trajectmaand: BTreeMap<Methode, BTreeMap<Financier, Bereik>>,
    /// Euros of benefit per month, per benefit (Geen and Anders: none).
    pub uitkering_per_maand: BTreeMap<Uitkering, Bereik>,
    /// The share of the benefit that stops per hour worked per week (at most 1/40: forty hours
    /// stop a benefit fully), per benefit.
    pub afbouw_per_uur: BTreeMap<Uitkering, Bereik>,
    /// Euros of GGZ care per month for a client in treatment.
    pub zorgkosten_per_maand: Bereik,
    /// The share of those care costs a month of work avoids (0 to 1).
    pub zorgkosten_effect_werk: Bereik,
    /// Where the care-cost effect comes from.
    pub zorgkosten_bron: String,
    /// Euros of taxes and premiums per hour worked (the state's return; 0: left out).
    pub belasting_premies_per_uur: Bereik,
    /// Euros an employer gains per hour worked, net of wages and support (0: left out).
    pub werkgever_per_uur: Bereik,
    /// The share of those in work at the year's end still in work a year later (0 to 1).
    pub behoud_per_jaar: Bereik,
    /// The horizons in years (1 to 10), over which returns are counted.
    pub horizonten: Vec<u32>,
}

/// An assumption that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{veld}: {regel}")]
pub struct AannameFout {
    /// The field, as the file names it.
    pub veld: String,
    /// The rule, in Dutch.
    pub regel: String,
}

impl Aannames {
    /// The defaults every region starts from (`standaard-1`). Costs and benefits are round
    /// estimates for 2025 to be replaced by a region's own; the care-cost effect is the halving
    /// that research at Erasmus Universiteit Rotterdam found when people with a psychological
    /// vulnerability find work.
    pub fn standaard() -> Self {
        let per_financier = |bereik: Bereik| -> BTreeMap<Financier, Bereik> {
            Financier::ALL.iter().map(|f| (*f, bereik)).collect()
        };
        let kosten = BTreeMap::from([
            (
                Methode::Ips,
                per_financier(Bereik::van(350.0, 450.0, 550.0)),
            ),
            (
                Methode::Jobcoaching,
                per_financier(Bereik::van(250.0, 320.0, 400.0)),
            ),
            (
                Methode::WerkAlsBesteZorg,
                per_financier(Bereik::van(300.0, 380.0, 460.0)),
            ),
        ]);
        let uitkering = BTreeMap::from([
            (
                Uitkering::Participatiewet,
                Bereik::van(1_200.0, 1_350.0, 1_500.0),
            ),
            (Uitkering::Wia, Bereik::van(1_500.0, 1_800.0, 2_100.0)),
            (Uitkering::Wajong, Bereik::van(1_300.0, 1_450.0, 1_600.0)),
            (Uitkering::Ww, Bereik::van(1_500.0, 1_800.0, 2_100.0)),
            (Uitkering::Zw, Bereik::van(1_500.0, 1_800.0, 2_100.0)),
            (Uitkering::Geen, Bereik::vast(0.0)),
            (Uitkering::Anders, Bereik::vast(0.0)),
        ]);
        let afbouw = Uitkering::ALL
            .iter()
            .map(|u| {
                let b = match u {
                    Uitkering::Geen | Uitkering::Anders => Bereik::vast(0.0),
                    Uitkering::Wia | Uitkering::Wajong => Bereik::van(0.010, 0.015, 0.020),
                    _ => Bereik::van(0.015, 0.020, 0.025),
                };
                (*u, b)
            })
            .collect();
        Self {
            versie: "standaard-1".to_owned(),
            kosten_per_trajectmaand: kosten,
            uitkering_per_maand: uitkering,
            afbouw_per_uur: afbouw,
            zorgkosten_per_maand: Bereik::van(400.0, 600.0, 800.0),
            zorgkosten_effect_werk: Bereik::van(0.25, 0.5, 0.5),
            zorgkosten_bron: "Erasmus Universiteit Rotterdam: zorgkosten halveren wanneer mensen met psychische kwetsbaarheid werk vinden (standaardwaarde; vervang door de eigen bron van de regio)".to_owned(),
            belasting_premies_per_uur: Bereik::vast(0.0),
            werkgever_per_uur: Bereik::vast(0.0),
            behoud_per_jaar: Bereik::van(0.5, 0.7, 0.85),
            horizonten: vec![1, 2, 5],
        }
    }

    /// A region's file, over the defaults: every field it names replaces the default's (a
    /// method's, financier's or benefit's value one by one). `versie` is required.
    pub fn lees(json: &str) -> Result<Self, AannameFout> {
        Self::lees_over(&Self::standaard(), json, true)
    }

    /// Changes in `json` over `basis` (a what-if over a region's assumptions): as
    /// [`lees`](Self::lees), but without a `versie` of its own the result's version is the
    /// basis's with ` + wat-als`.
    pub fn wat_als(basis: &Self, json: &str) -> Result<Self, AannameFout> {
        Self::lees_over(basis, json, false)
    }

    fn lees_over(basis: &Self, json: &str, versie_verplicht: bool) -> Result<Self, AannameFout> {
        let fout = |veld: &str, regel: &str| AannameFout {
            veld: veld.to_owned(),
            regel: regel.to_owned(),
        };
        let mut waarde = serde_json::to_value(basis).expect("assumptions serialise");
        let eigen: serde_json::Value =
            serde_json::from_str(json).map_err(|_| fout("bestand", "geen geldige JSON"))?;
        let serde_json::Value::Object(mut eigen) = eigen else {
            return Err(fout("bestand", "moet een JSON-object zijn"));
        };
        match eigen.get("versie").map(|v| v.as_str()) {
            Some(Some(v)) if !v.trim().is_empty() => {}
            Some(_) => return Err(fout("versie", "moet een niet-lege tekst zijn")),
            None if versie_verplicht => {
                return Err(fout(
                    "versie",
                    "is verplicht (de eigen versie van de regio)",
                ));
            }
            None => {
                eigen.insert(
                    "versie".to_owned(),
                    serde_json::Value::String(format!("{} + wat-als", basis.versie)),
                );
            }
        }
        if let Some(veld) = onbekend_veld(&waarde, &serde_json::Value::Object(eigen.clone()), "") {
            return Err(fout(&veld, "is geen veld van een aannamebestand"));
        }
        samenvoegen(&mut waarde, serde_json::Value::Object(eigen));
        let aannames: Self = serde_json::from_value(waarde)
            .map_err(|_| fout("bestand", "een waarde van de verkeerde vorm"))?;
        aannames.controleer()?;
        Ok(aannames)
    }

    /// Checks every rule.
    pub fn controleer(&self) -> Result<(), AannameFout> {
        for (m, per) in &self.kosten_per_trajectmaand {
            for (f, b) in per {
                b.controleer(
                    &format!("kosten_per_trajectmaand.{}.{}", m.as_str(), f.as_str()),
                    Some(MAX_BEDRAG),
                )?;
            }
        }
        for (u, b) in &self.uitkering_per_maand {
            b.controleer(
                &format!("uitkering_per_maand.{}", u.as_str()),
                Some(MAX_BEDRAG),
            )?;
        }
        for (u, b) in &self.afbouw_per_uur {
            b.controleer(
                &format!("afbouw_per_uur.{}", u.as_str()),
                Some(1.0 / MAX_UREN),
            )?;
        }
        self.zorgkosten_per_maand
            .controleer("zorgkosten_per_maand", Some(MAX_BEDRAG))?;
        self.zorgkosten_effect_werk
            .controleer("zorgkosten_effect_werk", Some(1.0))?;
        self.belasting_premies_per_uur
            .controleer("belasting_premies_per_uur", Some(MAX_BEDRAG))?;
        self.werkgever_per_uur
            .controleer("werkgever_per_uur", Some(MAX_BEDRAG))?;
        self.behoud_per_jaar
            .controleer("behoud_per_jaar", Some(1.0))?;
        let verschillend: std::collections::BTreeSet<u32> =
            self.horizonten.iter().copied().collect();
        if self.horizonten.is_empty()
            || self.horizonten.len() > MAX_HORIZONTEN
            || verschillend.len() != self.horizonten.len()
            || self.horizonten.iter().any(|h| !(1..=10).contains(h))
        {
            return Err(AannameFout {
                veld: "horizonten".to_owned(),
                regel: format!("een tot {MAX_HORIZONTEN} verschillende jaren van 1 tot en met 10"),
            });
        }
        let regel = |t: &str| !t.chars().any(onzichtbaar);
        if self.versie.trim().is_empty()
            || self.versie.chars().count() > 100
            || !regel(&self.versie)
        {
            return Err(AannameFout {
                veld: "versie".to_owned(),
                regel: "1 tot 100 tekens op één regel".to_owned(),
            });
        }
        if self.zorgkosten_bron.chars().count() > MAX_TEKST || !regel(&self.zorgkosten_bron) {
            return Err(AannameFout {
                veld: "zorgkosten_bron".to_owned(),
                regel: format!("ten hoogste {MAX_TEKST} tekens op één regel"),
            });
        }
        Ok(())
    }
}

/// A character that breaks a line or changes how the text around it shows: control characters,
/// line and paragraph separators, zero-width and direction marks.
fn onzichtbaar(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The first field of `eigen` that `basis` (every field, with every method, financier and
/// benefit) does not have, named by its path when that is short and plain.
fn onbekend_veld(
    basis: &serde_json::Value,
    eigen: &serde_json::Value,
    pad: &str,
) -> Option<String> {
    let (serde_json::Value::Object(b), serde_json::Value::Object(e)) = (basis, eigen) else {
        return None;
    };
    for (k, v) in e {
        let naam = if pad.is_empty() {
            k.clone()
        } else {
            format!("{pad}.{k}")
        };
        match b.get(k) {
            None => {
                let gewoon = naam.len() <= 80
                    && naam
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                return Some(if gewoon { naam } else { "bestand".to_owned() });
            }
            Some(bv) => {
                if let Some(n) = onbekend_veld(bv, v, &naam) {
                    return Some(n);
                }
            }
        }
    }
    None
}

/// `eigen` over `basis`: objects field by field, everything else replaced.
fn samenvoegen(basis: &mut serde_json::Value, eigen: serde_json::Value) {
    match (basis, eigen) {
        (serde_json::Value::Object(b), serde_json::Value::Object(e)) => {
            for (k, v) in e {
                match b.get_mut(&k) {
                    Some(bestaand) if bestaand.is_object() && v.is_object() => {
                        samenvoegen(bestaand, v)
                    }
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, e) => *b = e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_keep_every_rule() {
        Aannames::standaard().controleer().unwrap();
    }

    #[test]
    fn a_file_changes_only_what_it_names() {
        let a = Aannames::lees(
            r#"{"versie": "AM23-2026-1", "uitkering_per_maand": {"WIA": {"laag": 1000, "midden": 1100, "hoog": 1200}}}"#,
        )
        .unwrap();
        assert_eq!(a.versie, "AM23-2026-1");
        assert_eq!(
            a.uitkering_per_maand[&Uitkering::Wia],
            Bereik::van(1000.0, 1100.0, 1200.0)
        );
        let s = Aannames::standaard();
        assert_eq!(
            a.uitkering_per_maand[&Uitkering::Participatiewet],
            s.uitkering_per_maand[&Uitkering::Participatiewet]
        );
        assert_eq!(a.kosten_per_trajectmaand, s.kosten_per_trajectmaand);
    }

    #[test]
    fn a_what_if_keeps_the_basis_and_says_so() {
        let basis = Aannames::lees(r#"{"versie": "AM23-1"}"#).unwrap();
        let a = Aannames::wat_als(
            &basis,
            r#"{"behoud_per_jaar": {"laag": 0.9, "midden": 0.9, "hoog": 0.9}}"#,
        )
        .unwrap();
        assert_eq!(a.versie, "AM23-1 + wat-als");
        assert_eq!(a.behoud_per_jaar, Bereik::vast(0.9));
        assert_eq!(a.uitkering_per_maand, basis.uitkering_per_maand);
        let fout = Aannames::wat_als(&basis, r#"{"horizonten": [11]}"#).unwrap_err();
        assert_eq!(fout.veld, "horizonten");
    }

    #[test]
    fn a_broken_rule_names_its_field() {
        for (json, veld) in [
            (r#"{}"#, "versie"),
            (r#"{"versie": " "}"#, "versie"),
            (r#"{"versie": 3}"#, "versie"),
            (
                r#"{"versie": "x", "afbouw_per_uur": {"WW": {"laag": 0.01, "midden": 0.02, "hoog": 0.05}}}"#,
                "afbouw_per_uur.WW",
            ),
            (
                r#"{"versie": "x", "zorgkosten_per_maand": {"laag": 700, "midden": 600, "hoog": 800}}"#,
                "zorgkosten_per_maand",
            ),
            (
                r#"{"versie": "x", "behoud_per_jaar": {"laag": -1, "midden": 0.5, "hoog": 0.9}}"#,
                "behoud_per_jaar",
            ),
            (r#"{"versie": "x", "horizonten": [0]}"#, "horizonten"),
            (r#"{"versie": "x", "onbekend": 1}"#, "onbekend"),
            (r#"{"versie": "x", "on bekend": 1}"#, "bestand"),
            (r#"[1]"#, "bestand"),
            (
                r#"{"versie": "x", "kosten_per_trajectmaand": {"IPS": {"UWV": {"laag": 1, "midden": 1, "hoog": 1, "extra": 2}}}}"#,
                "kosten_per_trajectmaand.IPS.UWV.extra",
            ),
            (
                r#"{"versie": "x", "kosten_per_trajectmaand": {"IPS": {"UWV": {"laag": 1, "midden": "1", "hoog": 1}}}}"#,
                "bestand",
            ),
            (
                r#"{"versie": "x", "zorgkosten_per_maand": {"laag": 1, "midden": 1, "hoog": 1e308}}"#,
                "zorgkosten_per_maand",
            ),
            (
                r#"{"versie": "x", "kosten_per_trajectmaand": {"IPS": {"UWV": {"laag": 1, "midden": 1, "hoog": 100001}}}}"#,
                "kosten_per_trajectmaand.IPS.UWV",
            ),
            (r#"{"versie": "x", "horizonten": [1, 1]}"#, "horizonten"),
            (
                r#"{"versie": "x", "horizonten": [1, 2, 3, 4, 5, 6]}"#,
                "horizonten",
            ),
            (r#"{"versie": "a\nb"}"#, "versie"),
            (
                r#"{"versie": "x", "zorgkosten_bron": "a\n=1+1"}"#,
                "zorgkosten_bron",
            ),
            (
                r#"{"versie": "x", "zorgkosten_bron": "a\u2028b"}"#,
                "zorgkosten_bron",
            ),
            (r#"{"versie": "x\u202egnp.exe"}"#, "versie"),
        ] {
            let fout = Aannames::lees(json).unwrap_err();
            assert_eq!(fout.veld, veld, "{json}: {fout}");
        }
    }
}

//! IPS fidelity indicators per coach and per organisation.

use chrono::NaiveDate;

use crate::caseload::Bereik;
use crate::kenmerken::Kenmerken;
use crate::model::ReadModel;

/// The IPS norm for an active caseload.
pub const NORM_CASELOAD: usize = 20;
/// The IPS norm for days from intake to the first employer contact.
pub const NORM_DAGEN_TOT_CONTACT: f64 = 30.0;

/// The indicators of one coach or organisation on a peildatum.
#[derive(Debug, Clone, PartialEq)]
pub struct IpsIndicatoren {
    /// Open trajectories.
    pub actieve_caseload: usize,
    /// Median days from intake to the first employer contact, over trajectories with both.
    pub mediaan_dagen_tot_werkgeverscontact: Option<f64>,
    /// Placements started by the peildatum.
    pub plaatsingen: usize,
    /// Of which paid and regular.
    pub regulier_betaald: usize,
    /// `regulier_betaald / plaatsingen`, if there are any.
    pub aandeel_regulier_betaald: Option<f64>,
}

/// The indicators of `bereik` on `peildatum`.
pub fn ips(model: &ReadModel, bereik: &Bereik, peildatum: NaiveDate) -> IpsIndicatoren {
    let kenmerken: Vec<&Kenmerken> = bereik
        .trajecten(model)
        .into_iter()
        .filter_map(|e| e.kenmerken.as_ref())
        .collect();
    let mut dagen: Vec<i64> = kenmerken
        .iter()
        .filter_map(|k| {
            let intake = k.intake.filter(|i| *i <= peildatum)?;
            let contact = k.eerste_werkgeverscontact.filter(|c| *c <= peildatum)?;
            Some((contact - intake).num_days().max(0))
        })
        .collect();
    let plaatsingen: Vec<_> = kenmerken
        .iter()
        .flat_map(|k| k.plaatsingen.iter())
        .filter(|p| p.start <= peildatum)
        .collect();
    let regulier_betaald = plaatsingen.iter().filter(|p| p.regulier_betaald).count();
    IpsIndicatoren {
        actieve_caseload: kenmerken.iter().filter(|k| k.open_op(peildatum)).count(),
        mediaan_dagen_tot_werkgeverscontact: {
            dagen.sort_unstable();
            mediaan(&dagen)
        },
        plaatsingen: plaatsingen.len(),
        regulier_betaald,
        aandeel_regulier_betaald: (!plaatsingen.is_empty())
            .then(|| regulier_betaald as f64 / plaatsingen.len() as f64),
    }
}

/// The median of `sorted`, which is in ascending order (the mean of the middle two for an even
/// count).
pub fn mediaan(sorted: &[i64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let (values, n) = (sorted, sorted.len());
    Some(if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    })
}

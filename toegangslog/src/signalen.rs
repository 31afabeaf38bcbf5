//! Unusual access, for the beheerder: per user and role over a period, how many different clients
//! they read, how many of those outside their own caseload, how many accesses were refused and
//! how many of those by the quota. A user is listed when a count reaches its threshold.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::storage::{self, Cache, Soort, Sql};
use crate::toegang::{Actie, Resultaat};
use crate::{LogError, QUOTUM_REGEL};

/// From which count a user is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drempels {
    /// Different clients read in the period.
    pub personen: u64,
    /// Different clients read under a rule other than one's own caseload.
    pub buiten_eigen_caseload: u64,
    /// Refused accesses.
    pub geweigerd: u64,
}

impl Default for Drempels {
    fn default() -> Self {
        Self {
            personen: 200,
            buiten_eigen_caseload: 50,
            geweigerd: 10,
        }
    }
}

/// One user's unusual access in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signaal {
    /// The user id.
    pub gebruiker: String,
    /// The role.
    pub rol: String,
    /// Different clients read.
    pub personen: u64,
    /// Of which under a rule other than one's own caseload.
    pub buiten_eigen_caseload: u64,
    /// Refused accesses.
    pub geweigerd: u64,
    /// Of which by the quota.
    pub quotum: u64,
    /// Which thresholds were reached (`personen`, `buiten_eigen_caseload`, `geweigerd`,
    /// `quotum`).
    pub redenen: Vec<&'static str>,
}

/// What one user in one role did under one rule.
#[derive(Default)]
struct Telling {
    personen: HashSet<i64>,
    geweigerd: u64,
}

/// One user's counts in one role: clients read, of which outside their own caseload; refused,
/// of which by the quota.
#[derive(Default)]
struct Samen {
    personen: HashSet<i64>,
    buiten: HashSet<i64>,
    geweigerd: u64,
    quotum: u64,
}

/// The signals of `van..tot`; `eigen_caseload` tells which rules mean one's own caseload.
pub(crate) fn bereken(
    sql: &mut dyn Sql,
    cache: &mut Cache,
    van: DateTime<Utc>,
    tot: DateTime<Utc>,
    drempels: &Drempels,
    eigen_caseload: fn(&str) -> bool,
) -> Result<Vec<Signaal>, LogError> {
    let mut per: HashMap<(i64, i64, i64), Telling> = HashMap::new();
    storage::per_regel(sql, cache, Some(van), Some(tot), |rij, clients| {
        let t = per.entry((rij.gebruiker, rij.rol, rij.regel)).or_default();
        if rij.resultaat != Resultaat::Gelukt.code() {
            t.geweigerd += 1;
        } else if rij.actie == Actie::R.code() {
            t.personen.extend(clients);
        }
    })?;
    // Per user and role, with the rules' meaning.
    let mut samen: HashMap<(i64, i64), Samen> = HashMap::new();
    for ((gebruiker, rol, regel), t) in per {
        let naam = storage::woord(sql, cache, Soort::Regel, regel)?;
        let s = samen.entry((gebruiker, rol)).or_default();
        if !eigen_caseload(&naam) {
            s.buiten.extend(&t.personen);
        }
        s.personen.extend(t.personen);
        s.geweigerd += t.geweigerd;
        if naam == QUOTUM_REGEL {
            s.quotum += t.geweigerd;
        }
    }
    let mut uit = Vec::new();
    for ((gebruiker, rol), s) in samen {
        let (personen, buiten) = (s.personen.len() as u64, s.buiten.len() as u64);
        let (geweigerd, quotum) = (s.geweigerd, s.quotum);
        let mut redenen = Vec::new();
        if personen >= drempels.personen {
            redenen.push("personen");
        }
        if buiten >= drempels.buiten_eigen_caseload {
            redenen.push("buiten_eigen_caseload");
        }
        if geweigerd >= drempels.geweigerd {
            redenen.push("geweigerd");
        }
        if quotum > 0 {
            redenen.push("quotum");
        }
        if redenen.is_empty() {
            continue;
        }
        uit.push(Signaal {
            gebruiker: storage::woord(sql, cache, Soort::Gebruiker, gebruiker)?,
            rol: storage::woord(sql, cache, Soort::Rol, rol)?,
            personen,
            buiten_eigen_caseload: buiten,
            geweigerd,
            quotum,
            redenen,
        });
    }
    uit.sort_by(|a, b| {
        (b.quotum, b.buiten_eigen_caseload, b.personen, b.geweigerd)
            .cmp(&(a.quotum, a.buiten_eigen_caseload, a.personen, a.geweigerd))
            .then(a.gebruiker.cmp(&b.gebruiker))
    });
    Ok(uit)
}

//! Caseloads: a coach's own trajectories or an organisation's, with filters, sorting, cursor
//! pagination and the signals that need attention: among them the next action when it is due
//! and a fixed-term placement about to end, with the dates a coach plans by (the next action,
//! the contract's end, the deadline of the first employer contact).

use chrono::{Months, NaiveDate};
use traject_domain::event::Contract;
use traject_domain::value::{ClientId, CoachId, Methode, OrganisatieId, TrajectId};
use traject_domain::{Fase, VolgendeActie};

use crate::kenmerken::Kenmerken;
use crate::model::{Entry, ReadModel};

/// Whose caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bereik {
    /// The trajectories a coach is responsible for, in their organisation: a coach id reaches
    /// only trajectories of the organisation the caller acts for.
    Coach(CoachId, OrganisatieId),
    /// Every trajectory of an organisation (a teamleider's view).
    Organisatie(OrganisatieId),
}

impl Bereik {
    /// The trajectories in this scope.
    pub fn trajecten<'m>(&self, model: &'m ReadModel) -> Vec<&'m Entry> {
        match self {
            Bereik::Coach(coach, organisatie) => model
                .van_coach(coach)
                .filter(|e| {
                    e.kenmerken
                        .as_ref()
                        .is_some_and(|k| &k.organisatie == organisatie)
                })
                .collect(),
            Bereik::Organisatie(org) => model.van_organisatie(org).collect(),
        }
    }
}

/// The order of a caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sortering {
    /// Oldest aanmelding first.
    #[default]
    Aanmelding,
    /// Longest without an event first.
    LaatsteGebeurtenis,
    /// By phase (aangemeld, zoekend, geplaatst, waakvlam), then aanmelding.
    Fase,
}

/// The thresholds of the attention signals, in days and months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drempels {
    /// No event for more than this many days.
    pub geen_gebeurtenis_dagen: i64,
    /// Intake more than this many days ago without an employer contact (the IPS norm).
    pub contact_na_intake_dagen: i64,
    /// A qualifying placement running this many months or more without duurzaam.
    pub plaatsing_maanden: u32,
    /// Waakvlam without any event for more than this many days.
    pub waakvlam_dagen: i64,
    /// A fixed-term contract of a running placement ends within this many days.
    pub contract_eindigt_dagen: i64,
}

impl Default for Drempels {
    fn default() -> Self {
        Self {
            geen_gebeurtenis_dagen: 30,
            contact_na_intake_dagen: 30,
            plaatsing_maanden: 5,
            waakvlam_dagen: 60,
            contract_eindigt_dagen: 30,
        }
    }
}

/// A reason a trajectory needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signaal {
    /// No event for this many days.
    GeenGebeurtenis {
        /// Days since the last event.
        dagen: i64,
    },
    /// Intake this many days ago and still no employer contact.
    GeenWerkgeverscontact {
        /// Days since the intake.
        dagen: i64,
    },
    /// A qualifying placement running since this day and not yet duurzaam.
    PlaatsingNogNietDuurzaam {
        /// The start of the current run of qualifying work.
        sinds: NaiveDate,
    },
    /// Waakvlam with no event for this many days.
    WaakvlamZonderContact {
        /// Days since the last event.
        dagen: i64,
    },
    /// The next action is planned for this day, on or before the peildatum: it is due.
    ActieTeDoen {
        /// What the action is.
        actie: traject_domain::value::ActieSoort,
        /// The day it was planned for.
        op: NaiveDate,
    },
    /// A running placement's fixed-term contract ends on this day, within the threshold.
    ContractEindigt {
        /// The contract's last day.
        op: NaiveDate,
    },
}

/// A caseload query.
#[derive(Debug, Clone)]
pub struct CaseloadVraag {
    /// Whose caseload.
    pub bereik: Bereik,
    /// The reference date (today by default).
    pub peildatum: NaiveDate,
    /// Only these phases (empty: every open phase). Closed trajectories are left out unless
    /// [`Fase::Afgesloten`] is among them.
    pub fasen: Vec<Fase>,
    /// Only this method.
    pub methode: Option<Methode>,
    /// Only trajectories with at least one signal.
    pub alleen_aandacht: bool,
    /// Only these clients (the API's name search: the read models hold no names).
    pub clients: Option<std::collections::HashSet<ClientId>>,
    /// The order.
    pub sortering: Sortering,
    /// Continue after this cursor (from a previous page).
    pub na: Option<String>,
    /// Page size, 1 to 200.
    pub aantal: usize,
    /// The signal thresholds.
    pub drempels: Drempels,
}

impl CaseloadVraag {
    /// The first page of 50 of `bereik`'s caseload on `peildatum`: every open phase and method,
    /// oldest aanmelding first, the default thresholds.
    pub fn new(bereik: Bereik, peildatum: NaiveDate) -> Self {
        Self {
            bereik,
            peildatum,
            fasen: Vec::new(),
            methode: None,
            alleen_aandacht: false,
            clients: None,
            sortering: Sortering::default(),
            na: None,
            aantal: 50,
            drempels: Drempels::default(),
        }
    }
}

/// One trajectory in a caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRegel {
    /// The trajectory.
    pub traject_id: TrajectId,
    /// The pseudonymous client.
    pub client_id: ClientId,
    /// The coach now responsible.
    pub coach: Option<CoachId>,
    /// Its method.
    pub methode: Methode,
    /// Its phase on the peildatum.
    pub fase: Fase,
    /// The aanmelding's date.
    pub aanmelding: NaiveDate,
    /// The latest event's date.
    pub laatste_gebeurtenis: NaiveDate,
    /// Days of uninterrupted qualifying work on the peildatum.
    pub dagen_ononderbroken_werk: u32,
    /// Duurzaam reached, if by the peildatum.
    pub duurzaam_bereikt_op: Option<NaiveDate>,
    /// The next action planned, while open.
    pub volgende_actie: Option<VolgendeActie>,
    /// The earliest last day of a running placement's fixed-term contract, on or after the
    /// peildatum.
    pub contract_eindigt_op: Option<NaiveDate>,
    /// Without an employer contact yet: the day by which the first one is due (the IPS norm,
    /// counted from the intake).
    pub werkgeverscontact_uiterlijk: Option<NaiveDate>,
    /// What needs attention.
    pub signalen: Vec<Signaal>,
    /// Where this row stands, for the next page.
    pub cursor: String,
}

/// One page of a caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadPagina {
    /// The rows.
    pub regels: Vec<CaseloadRegel>,
    /// The cursor of the next page, if there is one.
    pub volgende: Option<String>,
    /// How many trajectories match the filters in all.
    pub totaal: usize,
}

/// Why a caseload query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseloadError {
    /// The page size is out of range.
    #[error("het aantal moet 1 tot en met 200 zijn")]
    Aantal,
    /// The cursor was not made by this query: another sorting, scope, filter or name search.
    #[error("deze cursor hoort niet bij deze zoekvraag; begin bij de eerste pagina")]
    Cursor,
}

/// A fingerprint of the trajectories in `bereik` and their revisions: it changes when one of them
/// gets an event, or one joins or leaves, whether or not it is on a page anyone looks at. Live
/// updates compare it, so that a change beyond the first page is noticed too.
pub fn stempel(model: &ReadModel, bereik: &Bereik) -> u64 {
    use std::hash::{Hash, Hasher};
    let entries = bereik.trajecten(model);
    entries.iter().fold(entries.len() as u64, |acc, entry| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        entry.kenmerken.as_ref().map(|k| k.traject_id).hash(&mut h);
        entry.traject.revisie().hash(&mut h);
        acc ^ h.finish()
    })
}

/// One page of the caseload `vraag` asks for.
pub fn caseload(model: &ReadModel, vraag: &CaseloadVraag) -> Result<CaseloadPagina, CaseloadError> {
    if !(1..=200).contains(&vraag.aantal) {
        return Err(CaseloadError::Aantal);
    }
    let entries = vraag.bereik.trajecten(model);
    let mut regels: Vec<(Plaats, CaseloadRegel)> = entries
        .into_iter()
        .filter_map(|entry| regel(model, entry, vraag))
        .collect();
    // Sorted by place: the same order as by cursor, which is only written out for the page.
    regels.sort_by_key(|(plaats, _)| *plaats);
    let totaal = regels.len();
    let kop = cursor_kop(vraag);
    let start = match &vraag.na {
        None => 0,
        Some(na) => {
            let na = na.strip_prefix(&kop).ok_or(CaseloadError::Cursor)?;
            regels.partition_point(|(plaats, _)| plaats.sleutel(vraag.sortering).as_str() <= na)
        }
    };
    let page: Vec<CaseloadRegel> = regels
        .drain(start..)
        .take(vraag.aantal)
        .map(|(plaats, mut regel)| {
            regel.cursor = format!("{kop}{}", plaats.sleutel(vraag.sortering));
            regel
        })
        .collect();
    let volgende = (start + page.len() < totaal)
        .then(|| page.last().map(|r| r.cursor.clone()))
        .flatten();
    Ok(CaseloadPagina {
        regels: page,
        volgende,
        totaal,
    })
}

fn regel(
    model: &ReadModel,
    entry: &Entry,
    vraag: &CaseloadVraag,
) -> Option<(Plaats, CaseloadRegel)> {
    let k = entry.kenmerken.as_ref()?;
    if vraag
        .clients
        .as_ref()
        .is_some_and(|c| !c.contains(&k.client_id))
    {
        return None;
    }
    let p = vraag.peildatum;
    // Closed trajectories only when asked for by name, so that a coach can find one to reopen.
    let open = k.open_op(p);
    if !open && (k.aanmelding > p || !vraag.fasen.contains(&Fase::Afgesloten)) {
        return None;
    }
    let status = model.status_op(entry, p)?;
    if !vraag.fasen.is_empty() && !vraag.fasen.contains(&status.fase) {
        return None;
    }
    if vraag.methode.is_some_and(|m| m != k.methode) {
        return None;
    }
    let contract_eindigt_op = if open {
        contract_eindigt_op(entry, p)
    } else {
        None
    };
    let werkgeverscontact_uiterlijk = if open {
        werkgeverscontact_uiterlijk(k, p, &vraag.drempels)
    } else {
        None
    };
    // A closed trajectory needs no attention.
    let signalen = if open {
        let mut s = signalen(k, &status, p, &vraag.drempels);
        if let Some(op) = contract_eindigt_op
            && (op - p).num_days() <= vraag.drempels.contract_eindigt_dagen
        {
            s.push(Signaal::ContractEindigt { op });
        }
        s
    } else {
        Vec::new()
    };
    if vraag.alleen_aandacht && signalen.is_empty() {
        return None;
    }
    let plaats = Plaats {
        fase: match vraag.sortering {
            Sortering::Fase => status.fase as u8,
            Sortering::Aanmelding | Sortering::LaatsteGebeurtenis => 0,
        },
        datum: match vraag.sortering {
            Sortering::Aanmelding | Sortering::Fase => k.aanmelding,
            Sortering::LaatsteGebeurtenis => k.laatste_gebeurtenis,
        },
        traject_id: k.traject_id,
    };
    let regel = CaseloadRegel {
        traject_id: k.traject_id,
        client_id: k.client_id,
        coach: k.coach.clone(),
        methode: k.methode,
        fase: status.fase,
        aanmelding: k.aanmelding,
        laatste_gebeurtenis: k.laatste_gebeurtenis,
        dagen_ononderbroken_werk: status.dagen_ononderbroken_werk,
        duurzaam_bereikt_op: status.duurzaam_bereikt_op,
        volgende_actie: status.volgende_actie,
        contract_eindigt_op,
        werkgeverscontact_uiterlijk,
        signalen,
        cursor: String::new(), // written out only for the page
    };
    Some((plaats, regel))
}

/// The start of every cursor of `vraag`: the sorting's tag and a CRC-32 of the choices that
/// decide which rows the query has (scope, phases, method, attention only with the thresholds,
/// the clients a name search found). A cursor of another query is refused rather than paged from
/// its place in another list. The page size may change between pages, and so may the reference
/// date: it is today unless asked, and a list walked across midnight goes on where it was (a
/// place sorts the same on every date).
fn cursor_kop(vraag: &CaseloadVraag) -> String {
    let mut h = crc32fast::Hasher::new();
    let mut deel = |tekst: &str| {
        h.update(tekst.as_bytes());
        h.update(&[0]);
    };
    match &vraag.bereik {
        Bereik::Coach(coach, organisatie) => {
            deel("coach");
            deel(coach.as_str());
            deel(organisatie.as_str());
        }
        Bereik::Organisatie(organisatie) => {
            deel("organisatie");
            deel(organisatie.as_str());
        }
    }
    let mut fasen = vraag.fasen.clone();
    fasen.sort_unstable();
    fasen.dedup();
    deel(&format!("{fasen:?}"));
    deel(vraag.methode.as_ref().map_or("", Methode::as_str));
    if vraag.alleen_aandacht {
        deel(&format!("aandacht {:?}", vraag.drempels));
    }
    if let Some(clients) = &vraag.clients {
        let mut ids: Vec<_> = clients.iter().map(|c| c.as_uuid()).collect();
        ids.sort_unstable();
        deel(&format!("clients {}", ids.len()));
        for id in ids {
            deel(&id.simple().to_string());
        }
    }
    format!("{}{:08x}:", sort_tag(vraag.sortering), h.finalize())
}

/// Where a row stands in a caseload's sorting: the phase (only when sorting by phase), the date
/// sorted on, the trajectory. Its key writes these out in an order-keeping form (a one-digit
/// phase, dates of four-digit years, ids as lowercase hex of fixed length), so rows sort by
/// place exactly as by key, and a key need only be written for the rows handed out. A cursor is
/// the query's [`cursor_kop`] and the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Plaats {
    fase: u8,
    datum: NaiveDate,
    traject_id: TrajectId,
}

impl Plaats {
    fn sleutel(&self, sortering: Sortering) -> String {
        match sortering {
            Sortering::Fase => format!("{}-{}~{}", self.fase, self.datum, self.traject_id),
            Sortering::Aanmelding | Sortering::LaatsteGebeurtenis => {
                format!("{}~{}", self.datum, self.traject_id)
            }
        }
    }
}

fn sort_tag(sortering: Sortering) -> &'static str {
    match sortering {
        Sortering::Aanmelding => "a:",
        Sortering::LaatsteGebeurtenis => "l:",
        Sortering::Fase => "f:",
    }
}

/// The signals of one open trajectory on `p`.
pub fn signalen(
    k: &Kenmerken,
    status: &traject_domain::Status,
    p: NaiveDate,
    d: &Drempels,
) -> Vec<Signaal> {
    let mut signalen = Vec::new();
    let stil = (p - k.laatste_gebeurtenis.min(p)).num_days();
    if stil > d.geen_gebeurtenis_dagen {
        signalen.push(Signaal::GeenGebeurtenis { dagen: stil });
    }
    if let (Some(uiterlijk), Some(intake)) = (werkgeverscontact_uiterlijk(k, p, d), k.intake)
        && p > uiterlijk
    {
        signalen.push(Signaal::GeenWerkgeverscontact {
            dagen: (p - intake).num_days(),
        });
    }
    if let Some(sinds) = status.werk_sinds {
        let drempel = sinds.checked_add_months(Months::new(d.plaatsing_maanden));
        let lang = drempel.is_some_and(|dr| dr <= p);
        if lang && status.in_kwalificerend_werk && status.duurzaam_bereikt_op.is_none() {
            signalen.push(Signaal::PlaatsingNogNietDuurzaam { sinds });
        }
    }
    if status.fase == Fase::Waakvlam && stil > d.waakvlam_dagen {
        signalen.push(Signaal::WaakvlamZonderContact { dagen: stil });
    }
    if let Some(v) = status.volgende_actie.filter(|v| v.actie.op.date() <= p) {
        signalen.push(Signaal::ActieTeDoen {
            actie: v.actie.actie,
            op: v.actie.op.date(),
        });
    }
    signalen
}

/// Without an employer contact by `p`: the day by which the first one is due, the threshold's
/// days after the intake (`None` before the intake or once there is one).
fn werkgeverscontact_uiterlijk(k: &Kenmerken, p: NaiveDate, d: &Drempels) -> Option<NaiveDate> {
    let intake = k.intake.filter(|i| *i <= p)?;
    let contact = k.eerste_werkgeverscontact.is_some_and(|c| c <= p);
    (!contact).then(|| intake + chrono::Duration::days(d.contact_na_intake_dagen))
}

/// The earliest last day, on or after `p`, of a fixed-term contract of a placement running on
/// `p`.
fn contract_eindigt_op(entry: &Entry, p: NaiveDate) -> Option<NaiveDate> {
    entry
        .traject
        .toestand()?
        .plaatsingen
        .iter()
        .filter(|pl| pl.loopt_op(p))
        .filter_map(|pl| match pl.gestart.contract {
            Contract::Tijdelijk { einddatum } if einddatum.date() >= p => Some(einddatum.date()),
            _ => None,
        })
        .min()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use traject_domain::value::Datum;

    use super::*;

    fn plaats(fase: u8, dag: u32, id: u128) -> Plaats {
        Plaats {
            fase,
            datum: Datum::MIN + chrono::Days::new(u64::from(dag)),
            traject_id: TrajectId::new(uuid::Uuid::from_u128(id.max(1))).unwrap(),
        }
    }

    const SORTERINGEN: [Sortering; 3] = [
        Sortering::Aanmelding,
        Sortering::LaatsteGebeurtenis,
        Sortering::Fase,
    ];

    #[test]
    fn a_key_is_written_as_before() {
        let p = plaats(3, 0, 0x0190_0000_0000_7000_8000_0000_0000_00ab);
        let id = "01900000-0000-7000-8000-0000000000ab";
        assert_eq!(p.sleutel(Sortering::Aanmelding), format!("2000-01-01~{id}"));
        assert_eq!(
            p.sleutel(Sortering::LaatsteGebeurtenis),
            format!("2000-01-01~{id}")
        );
        assert_eq!(p.sleutel(Sortering::Fase), format!("3-2000-01-01~{id}"));
    }

    proptest! {
        /// Rows are sorted by place and paged by key: both orders must be the same.
        #[test]
        fn places_sort_as_their_keys(
            a in (0u8..=4, 0u32..36_890, any::<u128>()),
            b in (0u8..=4, 0u32..36_890, any::<u128>()),
        ) {
            let (a, b) = (plaats(a.0, a.1, a.2), plaats(b.0, b.1, b.2));
            for sortering in SORTERINGEN {
                let (a, b) = if sortering == Sortering::Fase {
                    (a, b)
                } else {
                    (Plaats { fase: 0, ..a }, Plaats { fase: 0, ..b })
                };
                prop_assert_eq!(a.cmp(&b), a.sleutel(sortering).cmp(&b.sleutel(sortering)));
            }
        }
    }
}

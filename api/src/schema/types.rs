//! The API's output and enum types. They are built from the read models and never are the
//! domain's stored types.

use async_graphql::{Enum, ID, Json, SimpleObject};
use chrono::{DateTime, Utc};
use traject_domain::value::ClientId;
use traject_projections::caseload::{CaseloadPagina, CaseloadRegel, Signaal};
use traject_projections::ips::IpsIndicatoren;
use traject_projections::kenmerken::PlaatsingFeit;
use traject_projections::overzicht::TrajectOverzicht;

use super::datum::Datum;
use super::keuzelijsten::ActieSoort;
pub use super::keuzelijsten::Methode;
use super::rechtstreeks::Rechtstreeks;
use crate::kluis::TextKey;
use crate::toegangslog::Logregel;

/// The phase of a trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(rename_items = "PascalCase")]
pub enum Fase {
    /// Referred, intake not yet completed.
    Aangemeld,
    /// Intake completed, no placement running.
    Zoekend,
    /// A placement running, support intensive.
    Geplaatst,
    /// Support at waakvlam.
    Waakvlam,
    /// Closed.
    Afgesloten,
}

impl From<traject_domain::Fase> for Fase {
    fn from(f: traject_domain::Fase) -> Self {
        use traject_domain::Fase as D;
        match f {
            D::Aangemeld => Fase::Aangemeld,
            D::Zoekend => Fase::Zoekend,
            D::Geplaatst => Fase::Geplaatst,
            D::Waakvlam => Fase::Waakvlam,
            D::Afgesloten => Fase::Afgesloten,
        }
    }
}

impl From<Fase> for traject_domain::Fase {
    fn from(f: Fase) -> Self {
        use traject_domain::Fase as D;
        match f {
            Fase::Aangemeld => D::Aangemeld,
            Fase::Zoekend => D::Zoekend,
            Fase::Geplaatst => D::Geplaatst,
            Fase::Waakvlam => D::Waakvlam,
            Fase::Afgesloten => D::Afgesloten,
        }
    }
}

/// A trajectory's status on a peildatum.
#[derive(Debug, Clone, SimpleObject)]
pub struct Status {
    /// The reference date.
    pub peildatum: Datum,
    /// The duurzaam policy it was computed under.
    pub beleid: String,
    /// The phase.
    pub fase: Fase,
    /// Whether support is at waakvlam.
    pub waakvlam: bool,
    /// The first day of the current run of qualifying work.
    pub werk_sinds: Option<Datum>,
    /// Whether the peildatum itself is a day of qualifying work (under policy v2: the hours of
    /// the paid, regular placements running that day add up to 12).
    pub in_kwalificerend_werk: bool,
    /// Days of qualifying work in the current run (a gap between jobs that the run allows
    /// counts no days).
    pub dagen_werk: u32,
    /// The same as `dagenWerk`, under its name of contract v1.
    #[graphql(deprecation = "use dagenWerk; removed in the next release")]
    pub dagen_ononderbroken_werk: u32,
    /// From this day on, working means duurzaam.
    pub duurzaam_vanaf: Option<Datum>,
    /// The day duurzaam was reached.
    pub duurzaam_bereikt_op: Option<Datum>,
    /// The next action planned by the peildatum, while the trajectory is open.
    pub volgende_actie: Option<VolgendeActie>,
}

/// A trajectory's next action, as its coach planned it.
#[derive(Debug, Clone, Copy, PartialEq, SimpleObject)]
pub struct VolgendeActie {
    /// What kind of action.
    pub actie: ActieSoort,
    /// The day it is planned for.
    pub op: Datum,
    /// The day it was planned.
    pub gepland: Datum,
}

impl From<traject_domain::VolgendeActie> for VolgendeActie {
    fn from(v: traject_domain::VolgendeActie) -> Self {
        Self {
            actie: v.actie.actie.into(),
            op: Datum(v.actie.op.date()),
            gepland: Datum(v.gepland.date()),
        }
    }
}

/// A placement.
#[derive(Debug, Clone, SimpleObject)]
pub struct Plaatsing {
    /// The placement.
    pub id: ID,
    /// First day of work.
    pub start: Datum,
    /// Last day of work, if known.
    pub laatste_werkdag: Option<Datum>,
    /// Paid.
    pub betaald: bool,
    /// Paid and regular.
    pub regulier_betaald: bool,
    /// Counts towards qualifying work under the duurzaam policy (policy v2: paid and regular,
    /// its hours added to those of other such placements).
    pub kwalificeert: bool,
    /// Contractual hours per week as last recorded.
    pub uren_per_week: f64,
}

impl From<&PlaatsingFeit> for Plaatsing {
    fn from(p: &PlaatsingFeit) -> Self {
        Self {
            id: ID(p.id.to_string()),
            start: Datum(p.start),
            laatste_werkdag: p.laatste_werkdag.map(Datum),
            betaald: p.betaald,
            regulier_betaald: p.regulier_betaald,
            kwalificeert: p.kwalificeert,
            uren_per_week: p.uren_per_week.hours(),
        }
    }
}

/// The key dates, each only if it lies on or before the peildatum.
#[derive(Debug, Clone, SimpleObject)]
pub struct Sleuteldata {
    pub aanmelding: Option<Datum>,
    pub intake: Option<Datum>,
    /// First employer contact.
    pub eerste_werkgeverscontact: Option<Datum>,
    /// Start of the first qualifying placement.
    pub eerste_kwalificerende_plaatsing: Option<Datum>,
    /// Duurzaam reached.
    pub duurzaam_bereikt: Option<Datum>,
    /// Closing.
    pub afsluiting: Option<Datum>,
}

/// One event on the timeline.
#[derive(Debug, Clone, SimpleObject)]
pub struct TijdlijnRegel {
    pub event_id: ID,
    /// Its revision in the trajectory.
    pub revisie: u64,
    /// The day it happened.
    pub datum: Datum,
    /// When it was recorded.
    pub opgenomen_op: DateTime<Utc>,
    /// The event type (for example `PlaatsingGestart`).
    pub soort: String,
    /// The event's fields. Free text that can identify the client (`werkgever`, `functie`) is
    /// stored sealed with the client's key and shown opened here; once the client's data is
    /// erased it is `null`.
    pub gegevens: Json<serde_json::Value>,
    /// Whether a later event retracted it.
    pub ingetrokken: bool,
}

/// One trajectory.
#[derive(Debug, Clone, SimpleObject)]
pub struct Traject {
    /// The trajectory.
    pub id: ID,
    /// The pseudonymous client.
    pub client_id: ID,
    /// The revision a change must be decided on.
    pub revisie: Option<u64>,
    /// The coach now responsible.
    pub coach: Option<String>,
    /// Its method.
    pub methode: Methode,
    /// Its region (CBS code).
    pub regio: String,
    /// Its organisation.
    pub organisatie: String,
    /// Its status on the peildatum.
    pub status: Option<Status>,
    /// Placements running on the peildatum.
    pub lopende_plaatsingen: Vec<Plaatsing>,
    /// Key dates.
    pub sleuteldata: Sleuteldata,
    /// Every event in order, retracted ones marked.
    pub tijdlijn: Vec<TijdlijnRegel>,
}

impl Traject {
    /// From the overview and the trajectory's client.
    /// The trajectory of `client`, its free text opened with `tekst` (the client's key).
    pub fn van(o: TrajectOverzicht, client: ClientId, tekst: &TextKey) -> Self {
        Self {
            id: ID(o.traject_id.to_string()),
            client_id: ID(client.to_string()),
            revisie: o.revisie,
            coach: o.coach.map(|c| c.as_str().to_owned()),
            methode: o.methode.into(),
            regio: o.regio.code().to_owned(),
            organisatie: o.organisatie.as_str().to_owned(),
            status: o.status.map(|s| Status {
                peildatum: Datum(s.peildatum),
                beleid: s.beleid,
                fase: s.fase.into(),
                waakvlam: s.ondersteuning == traject_domain::status::Intensiteit::Waakvlam,
                werk_sinds: s.werk_sinds.map(Datum),
                in_kwalificerend_werk: s.in_kwalificerend_werk,
                dagen_werk: s.dagen_ononderbroken_werk,
                dagen_ononderbroken_werk: s.dagen_ononderbroken_werk,
                duurzaam_vanaf: s.duurzaam_vanaf.map(Datum),
                duurzaam_bereikt_op: s.duurzaam_bereikt_op.map(Datum),
                volgende_actie: s.volgende_actie.map(VolgendeActie::from),
            }),
            lopende_plaatsingen: o.lopende_plaatsingen.iter().map(Plaatsing::from).collect(),
            sleuteldata: Sleuteldata {
                aanmelding: o.data.aanmelding.map(Datum),
                intake: o.data.intake.map(Datum),
                eerste_werkgeverscontact: o.data.eerste_werkgeverscontact.map(Datum),
                eerste_kwalificerende_plaatsing: o.data.eerste_kwalificerende_plaatsing.map(Datum),
                duurzaam_bereikt: o.data.duurzaam_bereikt.map(Datum),
                afsluiting: o.data.afsluiting.map(Datum),
            },
            tijdlijn: o
                .tijdlijn
                .into_iter()
                .map(|r| {
                    let vrij: Vec<(&'static str, Option<String>)> = r
                        .data
                        .vrije_tekst()
                        .into_iter()
                        .map(|(veld, t)| {
                            let event = r.event_id.as_uuid();
                            (veld, tekst.read(client.as_uuid(), event, veld, t))
                        })
                        .collect();
                    let mut stored = traject_domain::stored::encode(&traject_domain::Event {
                        id: r.event_id,
                        datum: traject_domain::value::Datum::new(r.datum)
                            .expect("a recorded date is valid"),
                        data: r.data,
                    });
                    // Free text as a reader may see it: opened, or null once erased.
                    for (veld, waarde) in vrij {
                        stored.data[veld] = waarde.map_or(serde_json::Value::Null, Into::into);
                    }
                    TijdlijnRegel {
                        event_id: ID(r.event_id.to_string()),
                        revisie: r.revisie,
                        datum: Datum(r.datum),
                        opgenomen_op: r.opgenomen_op,
                        soort: stored.event_type,
                        gegevens: Json(stored.data),
                        ingetrokken: r.ingetrokken,
                    }
                })
                .collect(),
        }
    }
}

/// A reason for attention.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct Aandachtspunt {
    /// What: `GEEN_GEBEURTENIS`, `GEEN_WERKGEVERSCONTACT`, `PLAATSING_NOG_NIET_DUURZAAM`,
    /// `WAAKVLAM_ZONDER_CONTACT`, `ACTIE_TE_DOEN` (the next action is due) or `CONTRACT_EINDIGT`
    /// (a running placement's fixed-term contract ends within 30 days).
    pub soort: String,
    /// Days, where it counts days.
    pub dagen: Option<i64>,
    /// Since when, where it has a date.
    pub sinds: Option<Datum>,
    /// The day it is due or ends (`ACTIE_TE_DOEN`, `CONTRACT_EINDIGT`).
    pub op: Option<Datum>,
    /// The action that is due (`ACTIE_TE_DOEN`).
    pub actie: Option<ActieSoort>,
}

impl From<&Signaal> for Aandachtspunt {
    fn from(s: &Signaal) -> Self {
        let (soort, dagen, sinds) = match *s {
            Signaal::GeenGebeurtenis { dagen } => ("GEEN_GEBEURTENIS", Some(dagen), None),
            Signaal::GeenWerkgeverscontact { dagen } => {
                ("GEEN_WERKGEVERSCONTACT", Some(dagen), None)
            }
            Signaal::PlaatsingNogNietDuurzaam { sinds } => {
                ("PLAATSING_NOG_NIET_DUURZAAM", None, Some(sinds))
            }
            Signaal::WaakvlamZonderContact { dagen } => {
                ("WAAKVLAM_ZONDER_CONTACT", Some(dagen), None)
            }
            Signaal::ActieTeDoen { .. } => ("ACTIE_TE_DOEN", None, None),
            Signaal::ContractEindigt { .. } => ("CONTRACT_EINDIGT", None, None),
        };
        let (op, actie) = match *s {
            Signaal::ActieTeDoen { actie, op } => (Some(op), Some(actie.into())),
            Signaal::ContractEindigt { op } => (Some(op), None),
            _ => (None, None),
        };
        Self {
            soort: soort.to_owned(),
            dagen,
            sinds: sinds.map(Datum),
            op: op.map(Datum),
            actie,
        }
    }
}

/// One trajectory in a caseload.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct CaseloadItem {
    /// The trajectory.
    pub traject_id: ID,
    /// The pseudonymous client.
    pub client_id: ID,
    /// The client's name from the vault; `null` when not recorded or erased.
    pub naam: Option<String>,
    pub coach: Option<String>,
    /// The method.
    pub methode: Methode,
    /// The phase on the peildatum.
    pub fase: Fase,
    pub aanmelding: Datum,
    /// The latest event's date.
    pub laatste_gebeurtenis: Datum,
    /// Days of qualifying work in the current run (a gap between jobs that the run allows
    /// counts no days).
    pub dagen_werk: u32,
    /// The same as `dagenWerk`, under its name of contract v1.
    #[graphql(deprecation = "use dagenWerk; removed in the next release")]
    pub dagen_ononderbroken_werk: u32,
    /// Duurzaam reached.
    pub duurzaam_bereikt_op: Option<Datum>,
    /// The next action planned, while open.
    pub volgende_actie: Option<VolgendeActie>,
    /// The earliest last day of a running placement's fixed-term contract, from the peildatum
    /// on.
    pub contract_eindigt_op: Option<Datum>,
    /// Without an employer contact yet: the day the first one is due (30 days after the intake,
    /// the IPS norm).
    pub werkgeverscontact_uiterlijk: Option<Datum>,
    /// What needs attention.
    pub aandacht: Vec<Rechtstreeks<Aandachtspunt>>,
    /// This row's cursor.
    pub cursor: String,
}

impl CaseloadItem {
    fn van(r: &CaseloadRegel, naam: Option<String>) -> Self {
        Self {
            traject_id: ID(r.traject_id.to_string()),
            client_id: ID(r.client_id.to_string()),
            naam,
            coach: r.coach.as_ref().map(|c| c.as_str().to_owned()),
            methode: r.methode.into(),
            fase: r.fase.into(),
            aanmelding: Datum(r.aanmelding),
            laatste_gebeurtenis: Datum(r.laatste_gebeurtenis),
            dagen_werk: r.dagen_ononderbroken_werk,
            dagen_ononderbroken_werk: r.dagen_ononderbroken_werk,
            duurzaam_bereikt_op: r.duurzaam_bereikt_op.map(Datum),
            volgende_actie: r.volgende_actie.map(VolgendeActie::from),
            contract_eindigt_op: r.contract_eindigt_op.map(Datum),
            werkgeverscontact_uiterlijk: r.werkgeverscontact_uiterlijk.map(Datum),
            aandacht: r
                .signalen
                .iter()
                .map(|s| Rechtstreeks(Aandachtspunt::from(s)))
                .collect(),
            cursor: r.cursor.clone(),
        }
    }
}

/// One page of a caseload.
#[derive(Debug, Clone, PartialEq, SimpleObject)]
pub struct Caseload {
    /// The rows.
    // Each row's fields are resolved in one future (`Rechtstreeks`): the engine's per-field
    // futures cost more than these plain fields.
    pub items: Vec<Rechtstreeks<CaseloadItem>>,
    /// The cursor for the next page, if any.
    pub volgende: Option<String>,
    /// How many match in all.
    pub totaal: usize,
    /// The store position the read models had reached when this page was made: a client may
    /// send it as `Traject-Positie`, and a live caseload's pushes come in rising position.
    pub positie: Option<String>,
}

impl Caseload {
    /// The page, with each client's name as `naam` gives it, made at store position `positie`.
    pub fn van(
        p: &CaseloadPagina,
        positie: Option<traject_store::Position>,
        naam: impl Fn(uuid::Uuid) -> Option<String>,
    ) -> Self {
        Self {
            items: p
                .regels
                .iter()
                .map(|r| Rechtstreeks(CaseloadItem::van(r, naam(r.client_id.as_uuid()))))
                .collect(),
            volgende: p.volgende.clone(),
            totaal: p.totaal,
            positie: positie.map(|p| p.0.to_string()),
        }
    }
}

/// IPS indicators of a caseload or organisation.
#[derive(Debug, Clone, SimpleObject)]
pub struct Ips {
    /// Open trajectories (IPS norm: at most 20 per coach).
    pub actieve_caseload: usize,
    /// Median days from intake to first employer contact (IPS norm: at most 30).
    pub mediaan_dagen_tot_werkgeverscontact: Option<f64>,
    /// Placements started.
    pub plaatsingen: usize,
    /// Of which paid and regular.
    pub regulier_betaald: usize,
    /// Their share.
    pub aandeel_regulier_betaald: Option<f64>,
}

impl From<IpsIndicatoren> for Ips {
    fn from(i: IpsIndicatoren) -> Self {
        Self {
            actieve_caseload: i.actieve_caseload,
            mediaan_dagen_tot_werkgeverscontact: i.mediaan_dagen_tot_werkgeverscontact,
            plaatsingen: i.plaatsingen,
            regulier_betaald: i.regulier_betaald,
            aandeel_regulier_betaald: i.aandeel_regulier_betaald,
        }
    }
}

/// One access-log entry.
#[derive(Debug, Clone, SimpleObject)]
pub struct Toegangsregel {
    /// Its number in the chain.
    pub nr: u64,
    /// The event code.
    pub gebeurteniscode: String,
    /// The action.
    pub actie: super::enums::ActieUit,
    /// When.
    pub tijd: DateTime<Utc>,
    /// The result.
    pub resultaat: super::enums::ResultaatUit,
    /// The user id.
    pub gebruiker: String,
    /// The role.
    pub rol: String,
    /// The organisation the user acted for, as their token names it.
    pub organisatie: Option<String>,
    /// The pseudonymous clients (full ids, sorted).
    pub clients: Vec<ID>,
    /// The trajectory.
    pub traject: Option<ID>,
    /// The authorisation rule.
    pub regel: String,
    /// The source system.
    pub bron: String,
    /// The request's correlation id.
    pub correlatie: String,
}

impl From<Logregel> for Toegangsregel {
    fn from(r: Logregel) -> Self {
        let t = r.toegang;
        Self {
            nr: r.nr,
            gebeurteniscode: t.gebeurteniscode,
            actie: t.actie.into(),
            tijd: t.tijd,
            resultaat: t.resultaat.into(),
            gebruiker: t.gebruiker,
            rol: t.rol,
            organisatie: t.organisatie,
            clients: t.clients.iter().map(|c| ID(c.to_string())).collect(),
            traject: t.traject.map(|t| ID(t.to_string())),
            regel: t.regel,
            bron: t.bron,
            correlatie: t.correlatie.to_string(),
        }
    }
}

/// A page of the access log, newest first.
#[derive(Debug, Clone, SimpleObject)]
pub struct Toegangslogpagina {
    /// The entries.
    pub regels: Vec<Toegangsregel>,
    /// The cursor for the next page (`voor`), if there are more.
    pub volgende: Option<String>,
}

/// Where the access log's chain broke.
#[derive(Debug, Clone, SimpleObject)]
pub struct Ketenbreuk {
    /// The first entry that does not check out (or the first missing number).
    pub nr: u64,
    /// Its time, if the entry is there.
    pub tijd: Option<DateTime<Utc>>,
    /// What is wrong.
    pub reden: String,
}

/// The outcome of a check of the access log's chain.
#[derive(Debug, Clone, SimpleObject)]
pub struct Ketencontrole {
    /// Whether everything checked out (so far, while not `klaar`).
    pub intact: bool,
    /// Whether the check is done; if not, it goes on in the server and `tot` is how far it got:
    /// ask again for its outcome.
    pub klaar: bool,
    /// The number before the first live entry (0, or the last archived).
    pub van: u64,
    /// The last entry that checked out.
    pub tot: u64,
    /// How many entries were checked this time.
    pub nieuw_gecontroleerd: u64,
    /// Where and why it broke.
    pub breuk: Option<Ketenbreuk>,
    /// Whether a full check found the counts behind `inzageOverzicht` different from the entries
    /// and built them again.
    pub overzicht_hersteld: bool,
}

impl From<crate::toegangslog::Controle> for Ketencontrole {
    fn from(c: crate::toegangslog::Controle) -> Self {
        Self {
            intact: c.intact,
            klaar: c.klaar,
            overzicht_hersteld: c.overzicht_hersteld,
            van: c.van,
            tot: c.tot,
            nieuw_gecontroleerd: c.nieuw_gecontroleerd,
            breuk: c.breuk.map(|b| Ketenbreuk {
                nr: b.nr,
                tijd: b.tijd,
                reden: b.reden.to_owned(),
            }),
        }
    }
}

/// A user's unusual access to the access log's entries in a period.
#[derive(Debug, Clone, SimpleObject)]
pub struct Toegangssignaal {
    /// The user id.
    pub gebruiker: String,
    /// The role.
    pub rol: String,
    /// Different clients read.
    pub personen: u64,
    /// Of which under a rule other than their own caseload.
    pub buiten_eigen_caseload: u64,
    /// Refused accesses.
    pub geweigerd: u64,
    /// Of which by the quota on reads.
    pub quotum: u64,
    /// Which thresholds were reached: `personen`, `buiten_eigen_caseload`, `geweigerd`,
    /// `quotum`.
    pub redenen: Vec<String>,
}

impl From<crate::toegangslog::Signaal> for Toegangssignaal {
    fn from(s: crate::toegangslog::Signaal) -> Self {
        Self {
            gebruiker: s.gebruiker,
            rol: s.rol,
            personen: s.personen,
            buiten_eigen_caseload: s.buiten_eigen_caseload,
            geweigerd: s.geweigerd,
            quotum: s.quotum,
            redenen: s.redenen.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// Who accessed a client's file, per user and role.
#[derive(Debug, Clone, SimpleObject)]
pub struct Inzager {
    /// The user id.
    pub gebruiker: String,
    /// The role.
    pub rol: String,
    /// Allowed accesses.
    pub gelukt: u64,
    /// Refused or failed accesses.
    pub geweigerd: u64,
    /// The first access.
    pub eerste: DateTime<Utc>,
    /// The last access.
    pub laatste: DateTime<Utc>,
    /// The kinds of access (event codes).
    pub codes: Vec<String>,
}

impl From<crate::toegangslog::Inzager> for Inzager {
    fn from(i: crate::toegangslog::Inzager) -> Self {
        Self {
            gebruiker: i.gebruiker,
            rol: i.rol,
            gelukt: i.gelukt,
            geweigerd: i.geweigerd,
            eerste: i.eerste,
            laatste: i.laatste,
            codes: i.codes,
        }
    }
}

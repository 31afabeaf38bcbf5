//! The oracle of the quality report (`kwaliteit`): every figure of `per_regio`, `van_regio` and
//! `van_organisatie` equals an independent count, for several periods and peildata: on a large
//! demo data set, on smaller random ones (proptest: seed, size, period, peildatum) and on
//! hand-made edge cases the demo data rarely hold.
//!
//! The module counts from each trajectory's facts (`Kenmerken`), whose work and duurzaam dates
//! are the domain's status at the end of time. The oracle never reads those facts: it asks the
//! domain's `status` on each cohort horizon's own date (intake plus 6, 12 or 18 calendar months,
//! or the peildatum if earlier) and on the caseload's day, and scans the aggregate's valid events
//! for everything else. Some coaches are shared across organisations of different regions, so
//! that a coach counting in several regions (with all of their trajectories) is exercised too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Months, NaiveDate};
use proptest::prelude::*;
use traject_domain::event::{
    CoachToegewezen, Contract, GebeurtenisIngetrokken, TrajectHeropend, UrenGewijzigd,
    WerkgeverContactGelegd,
};
use traject_domain::value::{
    AfsluitingsReden, CoachId, Datum, Financier, HeropeningsReden, IntrekkingsReden, Methode,
    OrganisatieId, PlaatsingId, Regio, TrajectId, UrenPerWeek, Werkgever,
};
use traject_domain::{DuurzaamBeleid, Event, EventData, Fase, Traject, status};
use traject_projections::ReadModel;
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::{self, Cohort, KwaliteitCijfers, Rapportperiode};

use crate::cases::{aangemeld, afgesloten, ev, intake, plaatsing, traject};
use crate::helpers::{date, demo, model_of, pairs};

/// The cohort horizons, in calendar months after intake.
const HORIZONNEN: [u32; 3] = [6, 12, 18];

/// The IPS norm for days from intake to first employer contact.
const CONTACT_NORM: i64 = 30;

/// The classes of hours per week at a placement's start, with their lower bound in hours.
const UREN_KLASSEN: [(&str, u16); 4] = [
    ("tot_12", 0),
    ("12_tot_20", 12),
    ("20_tot_32", 20),
    ("32_en_meer", 32),
];

/// One trajectory as the oracle sees it: the aggregate and what its valid events say.
struct Bron {
    id: TrajectId,
    events: Vec<Event>,
    traject: Traject,
    regio: Regio,
    organisatie: OrganisatieId,
    methode: Methode,
    financier: Financier,
    /// The coach responsible now (the aggregate's state after every event).
    coach: Option<CoachId>,
    /// The date of the (one valid) IntakeAfgerond.
    intake: Option<NaiveDate>,
    /// The earliest WerkgeverContactGelegd.
    eerste_contact: Option<NaiveDate>,
    /// Every valid PlaatsingGestart: start, form of contract, minutes per week at the start.
    plaatsingen: Vec<(NaiveDate, &'static str, u16)>,
    /// Every valid TrajectAfgesloten, by date (stream order within a day).
    afsluitingen: Vec<(NaiveDate, AfsluitingsReden)>,
}

impl Bron {
    fn new(id: TrajectId, events: Vec<Event>) -> Self {
        let traject = Traject::from_events(&events).unwrap();
        let toestand = traject
            .toestand()
            .expect("every demo trajectory is referred");
        let (regio, organisatie, methode, financier) = (
            toestand.aangemeld.regio,
            toestand.aangemeld.organisatie.clone(),
            toestand.aangemeld.methode,
            toestand.aangemeld.financier,
        );
        let coach = toestand.coach.clone();
        let mut geldend: Vec<&Event> = traject.geldende_events().collect();
        geldend.sort_by_key(|e| e.datum);
        let mut intake = None;
        let mut eerste_contact = None;
        let mut plaatsingen = Vec::new();
        let mut afsluitingen = Vec::new();
        for event in geldend {
            let dag = event.datum.date();
            match &event.data {
                EventData::IntakeAfgerond(_) => {
                    assert!(intake.is_none(), "{id:?} has two valid intakes");
                    intake = Some(dag);
                }
                EventData::WerkgeverContactGelegd(_) => {
                    eerste_contact = Some(eerste_contact.map_or(dag, |c: NaiveDate| c.min(dag)));
                }
                EventData::PlaatsingGestart(p) => {
                    plaatsingen.push((dag, vorm(&p.contract), p.uren_per_week.minutes()))
                }
                EventData::TrajectAfgesloten(a) => afsluitingen.push((dag, a.reden)),
                _ => {}
            }
        }
        Self {
            id,
            events,
            traject,
            regio,
            organisatie,
            methode,
            financier,
            coach,
            intake,
            eerste_contact,
            plaatsingen,
            afsluitingen,
        }
    }
}

fn vorm(contract: &Contract) -> &'static str {
    match contract {
        Contract::Vast => "Vast",
        Contract::Tijdelijk { .. } => "Tijdelijk",
        Contract::Uitzend => "Uitzend",
        Contract::Oproep => "Oproep",
        Contract::Zelfstandig => "Zelfstandig",
    }
}

fn urenklasse(minuten: u16) -> &'static str {
    let mut klasse = UREN_KLASSEN[0].0;
    for (naam, uren) in UREN_KLASSEN {
        if minuten >= uren * 60 {
            klasse = naam;
        }
    }
    klasse
}

/// What one trajectory contributes to the figures of one period on one peildatum.
struct Bijdrage {
    gestart: bool,
    contact_dagen: Option<i64>,
    /// The cohort it belongs to, and per horizon whether it reached work and duurzaam.
    cohort: Option<(Kwartaal, [bool; 3], [bool; 3])>,
    /// Form of contract and class of hours of each placement started in the period.
    plaatsingen: Vec<(&'static str, &'static str)>,
    reden: Option<AfsluitingsReden>,
    /// Open on the caseload's day.
    open: bool,
}

fn bijdrage(
    bron: &Bron,
    periode: Rapportperiode,
    peildatum: NaiveDate,
    beleid: &DuurzaamBeleid,
) -> Bijdrage {
    let eerste = periode.eerste_dag();
    let laatste = periode.laatste_dag().min(peildatum);
    let binnen = |d: NaiveDate| eerste <= d && d <= laatste;
    let intake = bron.intake.filter(|d| *d <= peildatum);
    let gestart = intake.is_some_and(binnen);
    let contact_dagen = intake.filter(|_| gestart).and_then(|i| {
        bron.eerste_contact
            .filter(|c| *c <= peildatum)
            .map(|c| (c - i).num_days().max(0))
    });
    let cohort = intake.and_then(|i| {
        let kwartaal = periode
            .cohorten()
            .into_iter()
            .find(|k| k.eerste_dag() <= i && i <= k.laatste_dag())?;
        let mut werk = [false; 3];
        let mut duurzaam = [false; 3];
        for (h, maanden) in HORIZONNEN.into_iter().enumerate() {
            let grens = i
                .checked_add_months(Months::new(maanden))
                .unwrap()
                .min(peildatum);
            let s = status(&bron.traject, grens, beleid).expect("referred by its intake");
            werk[h] = s.eerste_kwalificerend_werk.is_some();
            duurzaam[h] = s.duurzaam_bereikt_op.is_some();
        }
        Some((kwartaal, werk, duurzaam))
    });
    let plaatsingen = bron
        .plaatsingen
        .iter()
        .filter(|(start, _, _)| binnen(*start))
        .map(|(_, vorm, minuten)| (*vorm, urenklasse(*minuten)))
        .collect();
    let reden = bron
        .afsluitingen
        .iter()
        .rev()
        .find(|(d, _)| binnen(*d))
        .map(|(_, r)| *r);
    let peildag = periode.laatste_dag().min(peildatum);
    let open = status(&bron.traject, peildag, beleid).is_some_and(|s| s.fase != Fase::Afgesloten);
    Bijdrage {
        gestart,
        contact_dagen,
        cohort,
        plaatsingen,
        reden,
        open,
    }
}

/// Zero figures, every key of every breakdown present.
fn leeg(periode: Rapportperiode) -> KwaliteitCijfers {
    KwaliteitCijfers {
        gestart: 0,
        per_methode: Methode::ALL.iter().map(|m| (*m, 0)).collect(),
        per_financier: Financier::ALL.iter().map(|f| (*f, 0)).collect(),
        cohorten: periode
            .cohorten()
            .into_iter()
            .map(|k| (k, Cohort::default()))
            .collect(),
        met_contact: 0,
        contact_binnen_norm: 0,
        dagen_tot_contact: Vec::new(),
        caseloads: Vec::new(),
        plaatsingen: 0,
        per_contract: Contract::VORMEN.iter().map(|v| (*v, 0)).collect(),
        per_urenklasse: UREN_KLASSEN.iter().map(|(k, _)| (*k, 0)).collect(),
        afgesloten: 0,
        per_reden: AfsluitingsReden::ALL.iter().map(|r| (*r, 0)).collect(),
    }
}

/// Adds one trajectory's contribution (everything but the caseloads).
fn voeg_toe(c: &mut KwaliteitCijfers, b: &Bijdrage, bron: &Bron) {
    if b.gestart {
        c.gestart += 1;
        *c.per_methode.entry(bron.methode).or_default() += 1;
        *c.per_financier.entry(bron.financier).or_default() += 1;
    }
    if let Some(dagen) = b.contact_dagen {
        c.met_contact += 1;
        c.contact_binnen_norm += u64::from(dagen <= CONTACT_NORM);
        c.dagen_tot_contact.push(dagen);
    }
    if let Some((kwartaal, werk, duurzaam)) = &b.cohort {
        let cohort = c.cohorten.entry(*kwartaal).or_default();
        cohort.grootte += 1;
        for h in 0..HORIZONNEN.len() {
            cohort.werk[h] += u64::from(werk[h]);
            cohort.duurzaam[h] += u64::from(duurzaam[h]);
        }
    }
    for (vorm, klasse) in &b.plaatsingen {
        c.plaatsingen += 1;
        *c.per_contract.entry(vorm).or_default() += 1;
        *c.per_urenklasse.entry(klasse).or_default() += 1;
    }
    if let Some(reden) = b.reden {
        c.afgesloten += 1;
        *c.per_reden.entry(reden).or_default() += 1;
    }
}

/// The expected figures of every region, the nation (`None`) and every organisation.
struct Verwacht {
    per_regio: BTreeMap<Option<Regio>, KwaliteitCijfers>,
    per_organisatie: BTreeMap<OrganisatieId, KwaliteitCijfers>,
    /// Coaches counted in more than one region.
    coaches_in_meer_regios: usize,
}

fn oracle(bronnen: &[Bron], periode: Rapportperiode, peildatum: NaiveDate) -> Verwacht {
    let beleid = DuurzaamBeleid::default();
    let mut per_regio: BTreeMap<Option<Regio>, KwaliteitCijfers> = Regio::ALL
        .iter()
        .map(|r| Some(*r))
        .chain([None])
        .map(|k| (k, leeg(periode)))
        .collect();
    let mut per_organisatie: BTreeMap<OrganisatieId, KwaliteitCijfers> = bronnen
        .iter()
        .map(|b| (b.organisatie.clone(), leeg(periode)))
        .collect();
    let mut caseload: HashMap<&CoachId, u64> = HashMap::new();
    let mut coaches_regio: BTreeMap<Option<Regio>, BTreeSet<&CoachId>> = BTreeMap::new();
    // An organisation counts a coach's open trajectories in the organisation only.
    let mut caseload_organisatie: BTreeMap<&OrganisatieId, BTreeMap<&CoachId, u64>> =
        BTreeMap::new();
    for bron in bronnen {
        let b = bijdrage(bron, periode, peildatum, &beleid);
        voeg_toe(per_regio.get_mut(&Some(bron.regio)).unwrap(), &b, bron);
        voeg_toe(per_regio.get_mut(&None).unwrap(), &b, bron);
        voeg_toe(
            per_organisatie.get_mut(&bron.organisatie).unwrap(),
            &b,
            bron,
        );
        if b.open
            && let Some(coach) = &bron.coach
        {
            *caseload.entry(coach).or_default() += 1;
            for regio in [Some(bron.regio), None] {
                coaches_regio.entry(regio).or_default().insert(coach);
            }
            *caseload_organisatie
                .entry(&bron.organisatie)
                .or_default()
                .entry(coach)
                .or_default() += 1;
        }
    }
    let caseloads = |coaches: Option<&BTreeSet<&CoachId>>| -> Vec<u64> {
        let mut v: Vec<u64> = coaches.into_iter().flatten().map(|c| caseload[c]).collect();
        v.sort_unstable();
        v
    };
    for (regio, c) in &mut per_regio {
        c.caseloads = caseloads(coaches_regio.get(regio));
        c.dagen_tot_contact.sort_unstable();
    }
    for (organisatie, c) in &mut per_organisatie {
        let mut v: Vec<u64> = caseload_organisatie
            .get(organisatie)
            .into_iter()
            .flat_map(|m| m.values().copied())
            .collect();
        v.sort_unstable();
        c.caseloads = v;
        c.dagen_tot_contact.sort_unstable();
    }
    let coaches_in_meer_regios = caseload
        .keys()
        .filter(|coach| {
            coaches_regio
                .iter()
                .filter(|(r, set)| r.is_some() && set.contains(*coach))
                .count()
                > 1
        })
        .count();
    Verwacht {
        per_regio,
        per_organisatie,
        coaches_in_meer_regios,
    }
}

/// The fields in which `got` and `want` differ, each as "field: got … want …".
fn verschillen(got: &KwaliteitCijfers, want: &KwaliteitCijfers) -> Vec<String> {
    let mut uit = Vec::new();
    let mut veld = |naam: &str, a: String, b: String| {
        if a != b {
            uit.push(format!("{naam}: got {a}, want {b}"));
        }
    };
    veld("gestart", got.gestart.to_string(), want.gestart.to_string());
    veld(
        "per_methode",
        format!("{:?}", got.per_methode),
        format!("{:?}", want.per_methode),
    );
    veld(
        "per_financier",
        format!("{:?}", got.per_financier),
        format!("{:?}", want.per_financier),
    );
    let kwartalen: BTreeSet<&Kwartaal> = got.cohorten.keys().chain(want.cohorten.keys()).collect();
    for k in kwartalen {
        veld(
            &format!("cohort {k}"),
            format!("{:?}", got.cohorten.get(k)),
            format!("{:?}", want.cohorten.get(k)),
        );
    }
    veld(
        "met_contact",
        got.met_contact.to_string(),
        want.met_contact.to_string(),
    );
    veld(
        "contact_binnen_norm",
        got.contact_binnen_norm.to_string(),
        want.contact_binnen_norm.to_string(),
    );
    veld(
        "dagen_tot_contact",
        format!("{:?}", got.dagen_tot_contact),
        format!("{:?}", want.dagen_tot_contact),
    );
    veld(
        "caseloads",
        format!("{:?}", got.caseloads),
        format!("{:?}", want.caseloads),
    );
    veld(
        "plaatsingen",
        got.plaatsingen.to_string(),
        want.plaatsingen.to_string(),
    );
    veld(
        "per_contract",
        format!("{:?}", got.per_contract),
        format!("{:?}", want.per_contract),
    );
    veld(
        "per_urenklasse",
        format!("{:?}", got.per_urenklasse),
        format!("{:?}", want.per_urenklasse),
    );
    veld(
        "afgesloten",
        got.afgesloten.to_string(),
        want.afgesloten.to_string(),
    );
    veld(
        "per_reden",
        format!("{:?}", got.per_reden),
        format!("{:?}", want.per_reden),
    );
    uit
}

/// On a difference outside the caseloads: the first trajectory of `bronnen` whose figures on
/// their own (a model of that one trajectory) differ from the oracle's, with its events.
fn voorbeeld<'a>(
    bronnen: impl Iterator<Item = &'a Bron>,
    periode: Rapportperiode,
    peildatum: NaiveDate,
) -> String {
    let beleid = DuurzaamBeleid::default();
    for bron in bronnen {
        let model = model_of(&[(bron.id, bron.events.clone())]);
        let mut got = kwaliteit::per_regio(&model, peildatum, periode)
            .remove(&None)
            .unwrap();
        got.caseloads.clear();
        let mut want = leeg(periode);
        voeg_toe(
            &mut want,
            &bijdrage(bron, periode, peildatum, &beleid),
            bron,
        );
        let verschil = verschillen(&got, &want);
        if !verschil.is_empty() {
            let events: Vec<String> = bron
                .events
                .iter()
                .map(|e| format!("  {} {:?}", e.datum.date(), e.data))
                .collect();
            let horizonnen: Vec<String> = bron
                .intake
                .into_iter()
                .flat_map(|i| {
                    HORIZONNEN.map(|m| {
                        let grens = i.checked_add_months(Months::new(m)).unwrap().min(peildatum);
                        let s = status(&bron.traject, grens, &beleid).unwrap();
                        format!(
                            "  status on {grens}: eerste_kwalificerend_werk {:?}, duurzaam_bereikt_op {:?}",
                            s.eerste_kwalificerend_werk, s.duurzaam_bereikt_op
                        )
                    })
                })
                .collect();
            return format!(
                "example: trajectory {:?} alone differs: {verschil:#?}\n{}\nevents:\n{}",
                bron.id,
                horizonnen.join("\n"),
                events.join("\n")
            );
        }
    }
    "no single trajectory differs on its own (only their combination)".to_owned()
}

fn vergelijk<'a>(
    got: &KwaliteitCijfers,
    want: &KwaliteitCijfers,
    wat: &str,
    bronnen: impl Iterator<Item = &'a Bron>,
    periode: Rapportperiode,
    peildatum: NaiveDate,
) {
    let verschil = verschillen(got, want);
    if verschil.is_empty() {
        return;
    }
    let alleen_caseloads = verschil.iter().all(|v| v.starts_with("caseloads"));
    let voorbeeld = if alleen_caseloads {
        String::new()
    } else {
        voorbeeld(bronnen, periode, peildatum)
    };
    panic!(
        "{wat}, period up to {} on {peildatum}, differs from the oracle: {verschil:#?}\n{voorbeeld}",
        periode.tot
    );
}

/// The count fields of the nation are the sums over the regions.
fn landelijk_is_som(per: &BTreeMap<Option<Regio>, KwaliteitCijfers>, periode: Rapportperiode) {
    let mut som = leeg(periode);
    for regio in Regio::ALL {
        let c = &per[&Some(regio)];
        som.gestart += c.gestart;
        for (m, n) in &c.per_methode {
            *som.per_methode.entry(*m).or_default() += n;
        }
        for (f, n) in &c.per_financier {
            *som.per_financier.entry(*f).or_default() += n;
        }
        for (k, cohort) in &c.cohorten {
            let s = som.cohorten.entry(*k).or_default();
            s.grootte += cohort.grootte;
            for h in 0..HORIZONNEN.len() {
                s.werk[h] += cohort.werk[h];
                s.duurzaam[h] += cohort.duurzaam[h];
            }
        }
        som.met_contact += c.met_contact;
        som.contact_binnen_norm += c.contact_binnen_norm;
        som.dagen_tot_contact.extend(&c.dagen_tot_contact);
        som.plaatsingen += c.plaatsingen;
        for (v, n) in &c.per_contract {
            *som.per_contract.entry(v).or_default() += n;
        }
        for (u, n) in &c.per_urenklasse {
            *som.per_urenklasse.entry(u).or_default() += n;
        }
        som.afgesloten += c.afgesloten;
        for (r, n) in &c.per_reden {
            *som.per_reden.entry(*r).or_default() += n;
        }
    }
    som.dagen_tot_contact.sort_unstable();
    let mut landelijk = per[&None].clone();
    // A coach may count in several regions: the caseloads are not a sum.
    let coaches_regionaal: usize = Regio::ALL
        .iter()
        .map(|r| per[&Some(*r)].caseloads.len())
        .sum();
    assert!(landelijk.caseloads.len() <= coaches_regionaal);
    landelijk.caseloads.clear();
    assert_eq!(
        verschillen(&landelijk, &som),
        Vec::<String>::new(),
        "the nation is the sum of the regions, period up to {}",
        periode.tot
    );
}

/// Makes some coaches work for organisations in several regions (the demo gives each
/// organisation its own): the coaches of every third organisation are pooled with those of
/// organisations in other regions. Injective within an organisation, so every trajectory stays
/// valid.
fn coaches_delen(data: Vec<(TrajectId, Vec<Event>)>) -> Vec<(TrajectId, Vec<Event>)> {
    let mut per_organisatie: BTreeMap<OrganisatieId, BTreeSet<CoachId>> = BTreeMap::new();
    for (_, events) in &data {
        let traject = Traject::from_events(events).unwrap();
        let organisatie = traject.toestand().unwrap().aangemeld.organisatie.clone();
        let coaches = per_organisatie.entry(organisatie).or_default();
        for e in events {
            match &e.data {
                EventData::IntakeAfgerond(i) => {
                    coaches.insert(i.coach.clone());
                }
                EventData::CoachToegewezen(c) => {
                    coaches.insert(c.coach.clone());
                }
                _ => {}
            }
        }
    }
    let mut nieuw: HashMap<CoachId, CoachId> = HashMap::new();
    for (j, coaches) in per_organisatie.values().enumerate() {
        if j % 3 != 0 {
            continue;
        }
        for (k, coach) in coaches.iter().enumerate() {
            let gedeeld = CoachId::parse(&format!("gedeeld-{}-{k}", (j / 3) % 5)).unwrap();
            nieuw.insert(coach.clone(), gedeeld);
        }
    }
    data.into_iter()
        .map(|(id, mut events)| {
            for e in &mut events {
                let coach = match &mut e.data {
                    EventData::IntakeAfgerond(i) => &mut i.coach,
                    EventData::CoachToegewezen(c) => &mut c.coach,
                    _ => continue,
                };
                if let Some(n) = nieuw.get(coach) {
                    *coach = n.clone();
                }
            }
            (id, events)
        })
        .collect()
}

/// Compares every figure of the module for one period and peildatum with the oracle's: each
/// region's and the nation's of `per_regio`, each organisation's of `van_organisatie`; and
/// checks `van_regio` against `per_regio` and the nation against the sum of the regions.
fn controleer(
    model: &ReadModel,
    bronnen: &[Bron],
    periode: Rapportperiode,
    peildatum: NaiveDate,
) -> Verwacht {
    // The period as the module defines it: four quarters, eight cohorts, up to `tot`.
    let cohorten = periode.cohorten();
    assert_eq!(cohorten.len(), 8);
    assert_eq!(cohorten[7], periode.tot);
    assert!(cohorten.windows(2).all(|w| w[0].volgende() == w[1]));
    assert_eq!(periode.eerste_dag(), cohorten[4].eerste_dag());
    assert_eq!(periode.laatste_dag(), periode.tot.laatste_dag());

    let verwacht = oracle(bronnen, periode, peildatum);
    let projectie = kwaliteit::per_regio(model, peildatum, periode);
    assert_eq!(
        projectie.keys().collect::<Vec<_>>(),
        verwacht.per_regio.keys().collect::<Vec<_>>()
    );
    for (regio, want) in &verwacht.per_regio {
        vergelijk(
            &projectie[regio],
            want,
            &format!("per_regio[{regio:?}]"),
            bronnen
                .iter()
                .filter(|b| regio.is_none_or(|r| b.regio == r)),
            periode,
            peildatum,
        );
    }
    for regio in Regio::ALL {
        let los = kwaliteit::van_regio(model, peildatum, periode, regio);
        assert_eq!(
            verschillen(&los, &projectie[&Some(regio)]),
            Vec::<String>::new(),
            "van_regio({regio:?}) against per_regio, up to {} on {peildatum}",
            periode.tot
        );
    }
    landelijk_is_som(&projectie, periode);
    for (organisatie, want) in &verwacht.per_organisatie {
        vergelijk(
            &kwaliteit::van_organisatie(model, peildatum, periode, organisatie),
            want,
            &format!("van_organisatie({organisatie})"),
            bronnen.iter().filter(|b| &b.organisatie == organisatie),
            periode,
            peildatum,
        );
    }

    verwacht
}

#[test]
fn every_quality_figure_equals_the_oracle() {
    let (_, data) = demo(5000, 41);
    let data = coaches_delen(pairs(&data));
    let model = model_of(&data);
    let bronnen: Vec<Bron> = data
        .into_iter()
        .map(|(id, events)| Bron::new(id, events))
        .collect();
    // Peildata inside the period (its second and its last quarter), on its last day, a little
    // after it and long after it (beyond the data).
    let gevallen = [
        ("2021Q4", "2022-03-01"),
        ("2023Q4", "2023-05-20"),
        ("2023Q4", "2023-11-15"),
        ("2023Q4", "2023-12-31"),
        ("2023Q4", "2026-06-30"),
        ("2024Q3", "2030-06-30"),
        ("2026Q2", "2026-06-30"),
    ];
    let mut gedeeld = 0;
    let mut rijp = 0;
    let mut regionaal = false;
    for (tot, peildatum) in gevallen {
        let periode = Rapportperiode {
            tot: tot.parse().unwrap(),
        };
        let peildatum = date(peildatum);
        let verwacht = controleer(&model, &bronnen, periode, peildatum);
        gedeeld += verwacht.coaches_in_meer_regios;

        // The data exercise every figure: not a vacuous pass.
        let land = &verwacht.per_regio[&None];
        let werk: u64 = land.cohorten.values().flat_map(|c| c.werk).sum();
        let duurzaam: u64 = land.cohorten.values().flat_map(|c| c.duurzaam).sum();
        assert!(
            land.gestart > 0 && werk > 0 && !land.caseloads.is_empty(),
            "{tot} on {peildatum}: {land:?}"
        );
        if peildatum >= date("2023-01-01") {
            assert!(
                duurzaam > 0
                    && land.plaatsingen > 0
                    && land.afgesloten > 0
                    && land.met_contact > land.contact_binnen_norm
                    && land.contact_binnen_norm > 0,
                "{tot} on {peildatum}: {land:?}"
            );
        }
        for (k, c) in &land.cohorten {
            assert!(
                c.werk[0] <= c.werk[1] && c.werk[1] <= c.werk[2],
                "cohort {k} {c:?}"
            );
            assert!(c.duurzaam[0] <= c.duurzaam[1] && c.duurzaam[1] <= c.duurzaam[2]);
            // The demo data start in 2020Q3 (six years up to 2026-06-30).
            let gegevens = k.eerste_dag() >= date("2020-07-01");
            if !gegevens || k.laatste_dag().checked_add_months(Months::new(18)).unwrap() > peildatum
            {
                continue;
            }
            // A matured cohort (every horizon past for every member): each horizon has work,
            // the later ones duurzaam, and a longer horizon counts more than a shorter one (the
            // horizon's date matters).
            rijp += 1;
            assert!(c.grootte > 0, "{tot} on {peildatum}: cohort {k} {c:?}");
            assert!(c.werk.iter().all(|w| *w > 0), "cohort {k} {c:?}");
            assert!(c.duurzaam[1] > 0 && c.duurzaam[2] > 0, "cohort {k} {c:?}");
            assert!(
                c.werk[0] < c.werk[2] && c.duurzaam[1] < c.duurzaam[2],
                "{tot} on {peildatum}: cohort {k} {c:?}"
            );
        }
        // Regions on their own have them too.
        regionaal |= Regio::ALL.iter().any(|r| {
            let c = &verwacht.per_regio[&Some(*r)];
            c.cohorten
                .values()
                .any(|k| k.werk[2] > 0 && k.duurzaam[2] > 0)
        });
    }
    assert!(rijp >= 16, "only {rijp} matured cohorts checked");
    assert!(regionaal, "no region has a cohort with work and duurzaam");
    assert!(gedeeld > 0, "no coach counted in more than one region");
}

fn aangemeld_bij(regio: Regio, organisatie: &str) -> EventData {
    let EventData::TrajectAangemeld(mut a) = aangemeld() else {
        unreachable!("aangemeld() is an aanmelding")
    };
    a.regio = regio;
    a.organisatie = OrganisatieId::parse(organisatie).unwrap();
    EventData::TrajectAangemeld(a)
}

fn intake_door(coach: &str) -> EventData {
    let EventData::IntakeAfgerond(mut i) = intake() else {
        unreachable!("intake() is an intake")
    };
    i.coach = CoachId::parse(coach).unwrap();
    EventData::IntakeAfgerond(i)
}

fn baan(p: PlaatsingId, uren: f64, contract: Contract, regulier: bool) -> EventData {
    let EventData::PlaatsingGestart(mut g) = plaatsing(p) else {
        unreachable!("plaatsing() starts a placement")
    };
    g.uren_per_week = UrenPerWeek::from_hours(uren).unwrap();
    g.contract = contract;
    g.regulier = regulier;
    EventData::PlaatsingGestart(g)
}

fn contact() -> EventData {
    EventData::WerkgeverContactGelegd(WerkgeverContactGelegd {
        werkgever: Werkgever::parse("Bakkerij").unwrap().into(),
        persoonlijk: true,
    })
}

fn heropend() -> EventData {
    EventData::TrajectHeropend(TrajectHeropend {
        reden: HeropeningsReden::NieuweHulpvraag,
    })
}

/// Hand-made trajectories for what the demo data rarely or never hold: a backdated employer
/// contact, contacts 30 and 31 days after intake, duurzaam on the very day a 6-month horizon
/// ends, a placement that reaches the minimum hours by a change, two concurrent part-time jobs,
/// a retracted placement, work that is paid but not regular, several closings in one period
/// (two of them on one day), a closing on the period's last day, a coach change, a coach in two
/// regions, and a trajectory referred after some peildata.
fn randgevallen() -> Vec<(TrajectId, Vec<Event>)> {
    let p = || PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let (a, b) = (Regio::Am03, Regio::Am01);
    let (p1, p2, p4, p5, p6, p7) = (p(), p(), p(), p(), p(), p());
    let ingetrokken = ev("2023-04-10", baan(p4, 32.0, Contract::Vast, true));
    let intrekking = ev(
        "2023-05-01",
        EventData::GebeurtenisIngetrokken(GebeurtenisIngetrokken {
            event_id: ingetrokken.id,
            reden: IntrekkingsReden::Invoerfout,
        }),
    );
    let tijdelijk = Contract::Tijdelijk {
        einddatum: Datum::parse("2024-12-31").unwrap(),
    };
    vec![
        // Duurzaam on 2023-07-30, within the 6 months up to 2023-07-31; first contact 20 days.
        traject(vec![
            ev("2023-01-20", aangemeld_bij(a, "org-rand-a")),
            ev("2023-01-31", intake_door("rand-coach-1")),
            ev("2023-01-31", baan(p1, 24.0, Contract::Vast, true)),
            ev("2023-03-15", contact()),
            ev("2023-02-20", contact()),
        ]),
        // 10 hours at the start, 20 from 2023-10-01: work then, duurzaam on 2024-03-31.
        traject(vec![
            ev("2023-08-01", aangemeld_bij(a, "org-rand-a")),
            ev("2023-08-31", intake_door("rand-coach-1")),
            ev("2023-09-01", baan(p2, 10.0, tijdelijk, true)),
            ev(
                "2023-10-01",
                EventData::UrenGewijzigd(UrenGewijzigd {
                    plaatsing_id: p2,
                    uren_per_week: UrenPerWeek::from_hours(20.0).unwrap(),
                }),
            ),
        ]),
        // Closed four times in 2024, the last two on one day; another coach took over.
        traject(vec![
            ev("2024-01-05", aangemeld_bij(a, "org-rand-a")),
            ev("2024-01-10", intake_door("rand-coach-1")),
            ev(
                "2024-01-20",
                EventData::CoachToegewezen(CoachToegewezen {
                    coach: CoachId::parse("rand-coach-2").unwrap(),
                }),
            ),
            ev("2024-02-01", afgesloten(AfsluitingsReden::Uitval)),
            ev("2024-03-01", heropend()),
            ev("2024-05-01", afgesloten(AfsluitingsReden::Verhuisd)),
            ev("2024-06-10", heropend()),
            ev("2024-06-10", afgesloten(AfsluitingsReden::Anders)),
            ev("2024-06-10", heropend()),
            ev("2024-06-10", afgesloten(AfsluitingsReden::GeenWerkwens)),
        ]),
        // A retracted placement, then paid work that is not regular; closed on 2023-12-31.
        traject(vec![
            ev("2023-04-03", aangemeld_bij(a, "org-rand-a")),
            ev("2023-04-03", intake_door("rand-coach-1")),
            ingetrokken,
            intrekking,
            ev("2023-06-01", baan(p5, 32.0, Contract::Zelfstandig, false)),
            ev("2023-12-31", afgesloten(AfsluitingsReden::Uitval)),
        ]),
        // Another region, the same coach: two jobs of 8 hours add up to qualifying work from
        // 2023-07-01 (duurzaam 2023-12-31); contact after exactly 30 days.
        traject(vec![
            ev("2023-06-01", aangemeld_bij(b, "org-rand-b")),
            ev("2023-06-15", intake_door("rand-coach-1")),
            ev("2023-07-01", baan(p6, 8.0, Contract::Oproep, true)),
            ev("2023-07-01", baan(p7, 8.0, Contract::Uitzend, true)),
            ev("2023-07-15", contact()),
        ]),
        // Referred after some of the peildata.
        traject(vec![
            ev("2025-02-01", aangemeld_bij(b, "org-rand-b")),
            ev("2025-02-03", intake_door("rand-coach-3")),
        ]),
        // Intake on a quarter's last day; contact after 31 days.
        traject(vec![
            ev("2023-03-31", aangemeld_bij(b, "org-rand-b")),
            ev("2023-03-31", intake_door("rand-coach-3")),
            ev("2023-05-01", contact()),
        ]),
    ]
}

#[test]
fn hand_made_edge_cases_equal_the_oracle() {
    let data = randgevallen();
    let model = model_of(&data);
    let bronnen: Vec<Bron> = data
        .into_iter()
        .map(|(id, events)| Bron::new(id, events))
        .collect();
    // Every quarter as the last, with peildata inside its period, on its last day and long after.
    let mut tot: Kwartaal = "2023Q1".parse().unwrap();
    while tot <= "2025Q4".parse().unwrap() {
        let periode = Rapportperiode { tot };
        for peildatum in [
            periode.eerste_dag() + chrono::Days::new(200),
            tot.eerste_dag() + chrono::Days::new(45),
            tot.laatste_dag(),
            date("2030-01-01"),
        ] {
            controleer(&model, &bronnen, periode, peildatum);
        }
        tot = tot.volgende();
    }

    // The oracle itself on answers worked out by hand.
    let q = |k: &str| k.parse::<Kwartaal>().unwrap();
    let cohort = |grootte, werk, duurzaam| Cohort {
        grootte,
        werk,
        duurzaam,
    };
    let org = |n: &str| OrganisatieId::parse(n).unwrap();
    let v = oracle(
        &bronnen,
        Rapportperiode { tot: q("2023Q4") },
        date("2030-01-01"),
    );
    let a = &v.per_organisatie[&org("org-rand-a")];
    assert_eq!(a.gestart, 3);
    assert_eq!(a.cohorten[&q("2023Q1")], cohort(1, [1, 1, 1], [1, 1, 1]));
    assert_eq!(a.cohorten[&q("2023Q2")], cohort(1, [0, 0, 0], [0, 0, 0]));
    assert_eq!(a.cohorten[&q("2023Q3")], cohort(1, [1, 1, 1], [0, 1, 1]));
    assert_eq!((a.met_contact, a.contact_binnen_norm), (1, 1));
    assert_eq!(a.dagen_tot_contact, [20]);
    assert_eq!(a.plaatsingen, 3);
    fn een(naam: &'static str) -> (&'static str, u64) {
        (naam, 1)
    }
    let breakdown = |m: &BTreeMap<&'static str, u64>| -> Vec<(&str, u64)> {
        m.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (*k, *n))
            .collect()
    };
    assert_eq!(
        breakdown(&a.per_contract),
        [een("Tijdelijk"), een("Vast"), een("Zelfstandig")]
    );
    assert_eq!(
        breakdown(&a.per_urenklasse),
        [een("20_tot_32"), een("32_en_meer"), een("tot_12")]
    );
    assert_eq!(
        (a.afgesloten, a.per_reden[&AfsluitingsReden::Uitval]),
        (1, 1)
    );
    // On 2023-12-31 rand-coach-1 has two open trajectories here and one in the other region:
    // an organisation counts its own two.
    assert_eq!(a.caseloads, [2]);
    let b = &v.per_organisatie[&org("org-rand-b")];
    assert_eq!(b.gestart, 2);
    assert_eq!(b.cohorten[&q("2023Q1")], cohort(1, [0, 0, 0], [0, 0, 0]));
    assert_eq!(b.cohorten[&q("2023Q2")], cohort(1, [1, 1, 1], [0, 1, 1]));
    assert_eq!(b.dagen_tot_contact, [30, 31]);
    assert_eq!((b.met_contact, b.contact_binnen_norm), (2, 1));
    // rand-coach-1's one trajectory here (three in all).
    assert_eq!(b.caseloads, [1, 1]);
    assert_eq!(v.coaches_in_meer_regios, 1);
    assert_eq!(v.per_regio[&None].caseloads, [1, 3]);

    // A peildatum inside the period caps the horizons: 2023Q3's member has work, not duurzaam.
    let v = oracle(
        &bronnen,
        Rapportperiode { tot: q("2023Q4") },
        date("2023-11-15"),
    );
    let a = &v.per_organisatie[&org("org-rand-a")];
    assert_eq!(a.cohorten[&q("2023Q3")], cohort(1, [1, 1, 1], [0, 0, 0]));

    // The last closing in the period gives the reason.
    let v = oracle(
        &bronnen,
        Rapportperiode { tot: q("2024Q2") },
        date("2024-05-15"),
    );
    let redenen = &v.per_organisatie[&org("org-rand-a")].per_reden;
    assert_eq!(
        (
            redenen[&AfsluitingsReden::Uitval],
            redenen[&AfsluitingsReden::Verhuisd]
        ),
        (1, 1)
    );
    let v = oracle(
        &bronnen,
        Rapportperiode { tot: q("2024Q4") },
        date("2030-01-01"),
    );
    let a = &v.per_organisatie[&org("org-rand-a")];
    assert_eq!(a.afgesloten, 1);
    assert_eq!(a.per_reden[&AfsluitingsReden::GeenWerkwens], 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Other demo data sets, any period of the data and any peildatum from the period's first
    /// day to well after it.
    #[test]
    fn any_period_and_peildatum_equals_the_oracle(
        seed in any::<u64>(),
        trajecten in 200usize..600,
        kwartalen_na in 0u32..22,
        dagen in 0u64..2200,
    ) {
        let (_, data) = demo(trajecten, seed);
        let data = coaches_delen(pairs(&data));
        let model = model_of(&data);
        let bronnen: Vec<Bron> = data
            .into_iter()
            .map(|(id, events)| Bron::new(id, events))
            .collect();
        let mut tot: Kwartaal = "2021Q1".parse().unwrap();
        for _ in 0..kwartalen_na {
            tot = tot.volgende();
        }
        let periode = Rapportperiode { tot };
        controleer(&model, &bronnen, periode, periode.eerste_dag() + chrono::Days::new(dagen));
    }
}

//! The oracle: every figure and every caseload entry equals what a deliberately simple,
//! independent computation over the raw events gives, for several peildata.
//!
//! The projection works from precomputed facts and periods; the oracle asks the domain's
//! `status` on each period's reference date and scans the raw events.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use traject_domain::value::{AfsluitingsReden, CoachId, Methode, OrganisatieId, Regio, TrajectId};
use traject_domain::{DuurzaamBeleid, Event, EventData, Fase, Traject, status};
use traject_projections::caseload::{Bereik, CaseloadVraag, Sortering, caseload};
use traject_projections::cijfers::{Cel, Kwartaal, Periode, regiocijfers};

use crate::helpers::{date, demo, model_of, pairs};

#[derive(Debug, Default, PartialEq)]
struct Telling {
    aangemeld: u64,
    gestart: u64,
    lopend: u64,
    eerste_plaatsing: u64,
    duurzaam: u64,
    betaald_werk: u64,
    waakvlam: u64,
    opgeschaald: u64,
    afgesloten: BTreeMap<AfsluitingsReden, u64>,
    dagen: Vec<i64>,
}

fn bounds(periode: Periode) -> (NaiveDate, NaiveDate) {
    match periode {
        Periode::Kwartaal(k) => (k.eerste_dag(), k.laatste_dag()),
        Periode::Jaar(j) => (
            NaiveDate::from_ymd_opt(j, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(j, 12, 31).unwrap(),
        ),
    }
}

/// The figures of one trajectory for one period, the simple way.
fn oracle_one(traject: &Traject, periode: Periode, peildatum: NaiveDate, t: &mut Telling) {
    let beleid = DuurzaamBeleid::default();
    let (eerste, laatste) = bounds(periode);
    let referentie = laatste.min(peildatum);
    let in_periode = |d: NaiveDate| eerste <= d && d <= referentie;
    let mut geldend: Vec<&Event> = traject.geldende_events().collect();
    geldend.sort_by_key(|e| e.datum);
    let dagen = |pred: &dyn Fn(&EventData) -> bool| -> Vec<NaiveDate> {
        geldend
            .iter()
            .filter(|e| pred(&e.data))
            .map(|e| e.datum.date())
            .collect()
    };
    let aanmelding = dagen(&|d| matches!(d, EventData::TrajectAangemeld(_)))[0];
    if aanmelding > referentie {
        return;
    }
    let intake = dagen(&|d| matches!(d, EventData::IntakeAfgerond(_)))
        .first()
        .copied();
    let contact = dagen(&|d| matches!(d, EventData::WerkgeverContactGelegd(_)))
        .first()
        .copied();
    let kwalificerend = eerste_werkdag(traject, &geldend, referentie);
    t.aangemeld += u64::from(in_periode(aanmelding));
    t.gestart += u64::from(intake.is_some_and(in_periode));
    t.eerste_plaatsing += u64::from(kwalificerend.is_some_and(in_periode));
    t.opgeschaald += u64::from(
        dagen(&|d| matches!(d, EventData::Opgeschaald(_)))
            .into_iter()
            .any(in_periode),
    );
    if let Some(e) = geldend
        .iter()
        .rev()
        .find(|e| matches!(e.data, EventData::TrajectAfgesloten(_)) && in_periode(e.datum.date()))
        && let EventData::TrajectAfgesloten(a) = &e.data
    {
        *t.afgesloten.entry(a.reden).or_default() += 1;
    }
    if let (Some(i), Some(c)) = (intake, contact)
        && in_periode(i)
        && c <= peildatum
    {
        t.dagen.push((c - i).num_days());
    }
    let s = status(traject, referentie, &beleid).unwrap();
    let open = s.fase != Fase::Afgesloten;
    t.lopend += u64::from(open);
    t.waakvlam += u64::from(s.fase == Fase::Waakvlam);
    t.duurzaam += u64::from(s.duurzaam_bereikt_op.is_some_and(in_periode));
    let toestand = traject.toestand().unwrap();
    let betaald = s
        .lopende_plaatsingen
        .iter()
        .any(|id| toestand.plaatsing(*id).unwrap().gestart.betaald);
    t.betaald_werk += u64::from(open && betaald);
}

/// The first day, up to `tot`, on which the trajectory was open and the hours of its paid,
/// regular placements running that day added up to 12 (policy v2), found day by day.
fn eerste_werkdag(traject: &Traject, geldend: &[&Event], tot: NaiveDate) -> Option<NaiveDate> {
    let toestand = traject.toestand()?;
    let open_op = |dag: NaiveDate| {
        let mut open = false;
        for e in geldend.iter().filter(|e| e.datum.date() <= dag) {
            match e.data {
                EventData::TrajectAangemeld(_) | EventData::TrajectHeropend(_) => open = true,
                EventData::TrajectAfgesloten(_) => open = e.datum.date() == dag,
                _ => {}
            }
        }
        open
    };
    let eerste = toestand.plaatsingen.iter().map(|p| p.start.date()).min()?;
    eerste
        .iter_days()
        .take_while(|&dag| dag <= tot)
        .find(|&dag| {
            let minuten: u32 = toestand
                .plaatsingen
                .iter()
                .filter(|p| p.gestart.betaald && p.gestart.regulier && p.loopt_op(dag))
                .map(|p| u32::from(p.uren_op(dag).minutes()))
                .sum();
            minuten >= 12 * 60 && open_op(dag)
        })
}

fn oracle(
    data: &[(TrajectId, Vec<Event>)],
    peildatum: NaiveDate,
    periodes: &[Periode],
) -> BTreeMap<Cel, Telling> {
    let mut cellen: BTreeMap<Cel, Telling> = BTreeMap::new();
    for (_, events) in data {
        let traject = Traject::from_events(events).unwrap();
        let aangemeld = traject.toestand().unwrap().aangemeld.clone();
        for &periode in periodes {
            let mut t = Telling::default();
            oracle_one(&traject, periode, peildatum, &mut t);
            if t == Telling::default() {
                continue;
            }
            for regio in [Some(aangemeld.regio), None] {
                for methode in [Some(aangemeld.methode), None] {
                    let cel = cellen
                        .entry(Cel {
                            regio,
                            periode,
                            methode,
                        })
                        .or_default();
                    cel.aangemeld += t.aangemeld;
                    cel.gestart += t.gestart;
                    cel.lopend += t.lopend;
                    cel.eerste_plaatsing += t.eerste_plaatsing;
                    cel.duurzaam += t.duurzaam;
                    cel.betaald_werk += t.betaald_werk;
                    cel.waakvlam += t.waakvlam;
                    cel.opgeschaald += t.opgeschaald;
                    for (r, n) in &t.afgesloten {
                        *cel.afgesloten.entry(*r).or_default() += n;
                    }
                    cel.dagen.extend(&t.dagen);
                }
            }
        }
    }
    cellen
}

fn periodes(van: Kwartaal, tot: Kwartaal) -> Vec<Periode> {
    let mut out = Vec::new();
    let mut k = van;
    while k <= tot {
        out.push(Periode::Kwartaal(k));
        if !out.contains(&Periode::Jaar(k.jaar)) {
            out.push(Periode::Jaar(k.jaar));
        }
        k = k.volgende();
    }
    out
}

#[test]
fn every_figure_equals_the_oracle_on_several_peildata() {
    let (_, data) = demo(2500, 21);
    let data = pairs(&data);
    let model = model_of(&data);
    // Whole years, and years cut off at either end (the first from its third quarter, the last
    // before the peildatum's quarter), whose year cells cover more than their quarters listed.
    let bereiken = [
        ("2022-05-17", "2020Q1", "2030Q4"),
        ("2024-12-31", "2020Q1", "2030Q4"),
        ("2025-01-01", "2020Q1", "2030Q4"),
        ("2026-06-30", "2020Q1", "2030Q4"),
        ("2024-12-31", "2020Q3", "2023Q2"),
        ("2026-06-30", "2021Q2", "2026Q1"),
    ];
    for (peildatum, van, tot) in bereiken {
        let peildatum = date(peildatum);
        let van: Kwartaal = van.parse().unwrap();
        let tot: Kwartaal = tot.parse().unwrap();
        let projectie = regiocijfers(&model, peildatum, van, tot);
        let verwacht = oracle(
            &data,
            peildatum,
            &periodes(van, tot.min(Kwartaal::van(peildatum))),
        );
        assert_eq!(
            projectie.keys().collect::<Vec<_>>(),
            verwacht.keys().collect::<Vec<_>>(),
            "the same cells on {peildatum} from {van} to {tot}"
        );
        for (cel, v) in &verwacht {
            let p = &projectie[cel];
            let mut dagen = v.dagen.clone();
            dagen.sort_unstable();
            let mut pdagen = p.dagen_tot_werkgeverscontact.clone();
            pdagen.sort_unstable();
            let got = (
                p.aangemeld,
                p.gestart,
                p.lopend,
                p.eerste_plaatsing,
                p.duurzaam_bereikt,
                p.met_betaald_werk,
                p.in_waakvlam,
                p.opgeschaald,
                &p.afgesloten,
                pdagen,
            );
            let want = (
                v.aangemeld,
                v.gestart,
                v.lopend,
                v.eerste_plaatsing,
                v.duurzaam,
                v.betaald_werk,
                v.waakvlam,
                v.opgeschaald,
                &v.afgesloten,
                dagen,
            );
            assert_eq!(got, want, "cell {cel:?} on {peildatum} from {van} to {tot}");
        }
        // The data exercise every count somewhere.
        let national = verwacht
            .iter()
            .filter(|(c, _)| c.regio.is_none() && c.methode.is_none())
            .map(|(_, t)| t)
            .fold(Telling::default(), |mut a, t| {
                a.duurzaam += t.duurzaam;
                a.waakvlam += t.waakvlam;
                a.opgeschaald += t.opgeschaald;
                a.betaald_werk += t.betaald_werk;
                a
            });
        if peildatum > date("2024-01-01") {
            assert!(national.duurzaam > 0 && national.waakvlam > 0 && national.opgeschaald > 0);
        }
    }
}

/// A coach within the organisation of their trajectories.
type CoachVanOrganisatie = (CoachId, OrganisatieId);
/// An expected caseload row: the trajectory, its phase, method and region.
type Verwacht = (TrajectId, Fase, Methode, Regio);

#[test]
fn every_caseload_entry_equals_the_oracle() {
    let (opties, data) = demo(2500, 33);
    let data = pairs(&data);
    let model = model_of(&data);
    let beleid = DuurzaamBeleid::default();
    for peildatum in [opties.vandaag, date("2025-03-31")] {
        // The oracle: per coach, the open trajectories whose coach is that coach now; and, asked
        // for by phase, the closed ones too.
        let mut verwacht: BTreeMap<CoachVanOrganisatie, Vec<Verwacht>> = BTreeMap::new();
        let mut gesloten: BTreeMap<CoachVanOrganisatie, Vec<TrajectId>> = BTreeMap::new();
        for (id, events) in &data {
            let traject = Traject::from_events(events).unwrap();
            let Some(s) = status(&traject, peildatum, &beleid) else {
                continue;
            };
            let toestand = traject.toestand().unwrap();
            if s.fase == Fase::Afgesloten {
                if let Some(coach) = &toestand.coach {
                    let org = toestand.aangemeld.organisatie.clone();
                    gesloten.entry((coach.clone(), org)).or_default().push(*id);
                }
                continue;
            }
            if let Some(coach) = &toestand.coach {
                let org = toestand.aangemeld.organisatie.clone();
                verwacht.entry((coach.clone(), org)).or_default().push((
                    *id,
                    s.fase,
                    toestand.aangemeld.methode,
                    toestand.aangemeld.regio,
                ));
            }
        }
        assert!(!verwacht.is_empty());
        assert!(!gesloten.is_empty());
        for ((coach, org), mut ids) in gesloten {
            let vraag = CaseloadVraag {
                fasen: vec![Fase::Afgesloten],
                aantal: 200,
                ..CaseloadVraag::new(Bereik::Coach(coach.clone(), org), peildatum)
            };
            let page = caseload(&model, &vraag).unwrap();
            assert!(page.regels.iter().all(|r| r.signalen.is_empty()));
            let mut gezien: Vec<TrajectId> = page.regels.iter().map(|r| r.traject_id).collect();
            gezien.sort();
            ids.sort();
            assert_eq!(
                gezien, ids,
                "closed trajectories of {coach:?} on {peildatum}"
            );
        }
        for ((coach, org), mut rows) in verwacht {
            let mut seen = Vec::new();
            let mut na = None;
            loop {
                let vraag = CaseloadVraag {
                    sortering: Sortering::LaatsteGebeurtenis,
                    na: na.clone(),
                    aantal: 7,
                    ..CaseloadVraag::new(Bereik::Coach(coach.clone(), org.clone()), peildatum)
                };
                let page = caseload(&model, &vraag).unwrap();
                assert_eq!(page.totaal, rows.len());
                seen.extend(
                    page.regels
                        .iter()
                        .map(|r| (r.traject_id, r.fase, r.methode)),
                );
                match page.volgende {
                    Some(c) => na = Some(c),
                    None => break,
                }
            }
            rows.sort();
            seen.sort();
            let rows: Vec<_> = rows.into_iter().map(|(id, f, m, _)| (id, f, m)).collect();
            assert_eq!(seen, rows, "caseload of {coach} on {peildatum}");
        }
    }
}

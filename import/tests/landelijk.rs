//! A generated spreadsheet of the national demo data's shape, imported, and the read models
//! compared with the same data recorded directly.
//!
//! The demo generator ([`traject_demo`]) makes the trajectories through the domain's own
//! commands. Those the per-event layout can express (no reopening, no retraction; planned
//! actions left out, as they touch neither status nor figures) are written per organisation as
//! a per-event CSV and imported by that organisation's teamleider into store B, through the
//! command path ([`traject_import::importeer`]); the same events are written directly into
//! store A, with the clients' registrations and the teams, as the demo loader writes them.
//! Every trajectory must be imported, and what users see must be the same in both: per
//! organisation and phase the number of trajectories today, each coach's open caseload, the
//! regional figures of every region and quarter, the IPS indicators per organisation, and per
//! trajectory its organisation, aanmelding, phase and duurzaam date. Ids differ between A and B
//! (an import derives them from the file), so nothing is compared by id.
//!
//! Placements: the demo data has placements that end on the day the next one starts (about 1
//! trajectory in 100). Sorted by date and course, that day's start comes first, so "the running
//! placement" of the end row would be the new one: without the column `plaatsing`, which the
//! files here fill in so each end names its own placement, some of those trajectories are
//! refused (a later waakvlam finds no placement running) and the others imported wrongly.
//!
//! Size: [`STANDAARD`] trajectories, about a minute in a debug build on a 2-core machine
//! (most of it the import, trajectory by trajectory); `TRAJECT_IMPORT_TRAJECTEN=N` runs
//! another size.

mod demobestand;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use demobestand::{Omgeving, Uitsnede, csv, opties, vandaag};
use traject_demo::{DemoOpties, DemoTraject};
use traject_domain::event::EventData;
use traject_domain::value::OrganisatieId;
use traject_domain::{DuurzaamBeleid, Fase};
use traject_projections::caseload::{Bereik, CaseloadVraag, caseload};
use traject_projections::cijfers::{Kwartaal, regiocijfers};
use traject_projections::ips::ips;
use traject_projections::{Projecties, ReadModel};
use traject_store::{
    EventStore, ExpectedRevision, Metadata, NewEvent, SqliteStore, StreamAppend, StreamName,
};

/// Trajectories generated in a test run, unless `TRAJECT_IMPORT_TRAJECTEN` says otherwise.
const STANDAARD: usize = 10_000;

fn aantal_trajecten() -> usize {
    std::env::var("TRAJECT_IMPORT_TRAJECTEN")
        .ok()
        .map(|n| n.parse().expect("TRAJECT_IMPORT_TRAJECTEN takes a number"))
        .unwrap_or(STANDAARD)
}

/// A stored event of the demo's actor, as the demo loader writes it.
fn nieuw(stored: traject_domain::stored::StoredEvent) -> NewEvent {
    NewEvent {
        id: stored.id.as_uuid(),
        event_type: stored.event_type,
        schema_version: stored.schema_version,
        data: stored.data,
        metadata: Metadata {
            actor: Some("demo".to_owned()),
            ..Metadata::default()
        },
        recorded_at: None,
    }
}

/// What the demo loader appends for one trajectory: its stream and its client's registration.
fn appends(t: &DemoTraject) -> Vec<StreamAppend> {
    let Some(EventData::TrajectAangemeld(a)) = t.events.first().map(|e| &e.data) else {
        panic!("a generated trajectory starts with its aanmelding");
    };
    let registratie = traject_domain::client::ClientAangemeld {
        organisatie: a.organisatie.clone(),
        traject_id: t.id,
    };
    vec![
        StreamAppend {
            stream: StreamName::new(t.id.stream_name()).unwrap(),
            expected: ExpectedRevision::NoStream,
            events: t
                .events
                .iter()
                .map(|e| nieuw(traject_domain::stored::encode(e)))
                .collect(),
        },
        StreamAppend {
            stream: StreamName::new(traject_domain::client::stream_name(&a.client_id)).unwrap(),
            expected: ExpectedRevision::Any,
            events: vec![nieuw(traject_domain::client::encode(
                t.events[0].id.afgeleid("ClientAangemeld"),
                &registratie,
            ))],
        },
    ]
}

/// Store A: the teams and `trajecten` written directly, a few hundred appends at a time.
async fn direct(
    opties: &DemoOpties,
    trajecten: &[&DemoTraject],
    dir: &std::path::Path,
) -> Arc<SqliteStore> {
    let store = Arc::new(SqliteStore::open(dir.join("direct.sqlite")).await.unwrap());
    store
        .append_atomic(traject_demo::teams(opties))
        .await
        .unwrap();
    for deel in trajecten.chunks(256) {
        let mut taken = tokio::task::JoinSet::new();
        for t in deel {
            let store = Arc::clone(&store);
            let delen = appends(t);
            taken.spawn(async move { store.append_atomic(delen).await });
        }
        while let Some(r) = taken.join_next().await {
            r.unwrap().unwrap();
        }
    }
    store
}

/// What users see of one store's read models, without ids.
#[derive(Debug)]
struct Beeld {
    /// Per organisation and phase, the trajectories referred by today.
    fasen: BTreeMap<(String, Fase), usize>,
    /// Per organisation and coach, the open caseload today.
    caseloads: BTreeMap<(String, String), usize>,
    /// The regional figures of every cell.
    cijfers: BTreeMap<traject_projections::cijfers::Cel, traject_projections::cijfers::Cijfers>,
    /// The IPS indicators per organisation.
    ips: BTreeMap<String, traject_projections::ips::IpsIndicatoren>,
    /// Per trajectory: organisation, aanmelding, phase today and duurzaam date (by today).
    trajecten: Vec<(String, NaiveDate, Fase, Option<NaiveDate>)>,
}

impl Beeld {
    fn van(model: &ReadModel, opties: &DemoOpties, organisaties: &[OrganisatieId]) -> Self {
        let p = vandaag();
        let mut fasen = BTreeMap::new();
        let mut trajecten = Vec::new();
        for entry in model.entries() {
            let k = entry
                .kenmerken
                .as_ref()
                .expect("every trajectory is referred");
            let status = model.status_op(entry, p).expect("referred by today");
            *fasen
                .entry((k.organisatie.to_string(), status.fase))
                .or_default() += 1;
            trajecten.push((
                k.organisatie.to_string(),
                k.aanmelding,
                status.fase,
                status.duurzaam_bereikt_op,
            ));
        }
        trajecten.sort();
        let mut caseloads = BTreeMap::new();
        let mut ips_per_org = BTreeMap::new();
        for org in organisaties {
            for coach in traject_demo::coaches(org, opties) {
                let vraag = CaseloadVraag::new(Bereik::Coach(coach.clone(), org.clone()), p);
                let totaal = caseload(model, &vraag).unwrap().totaal;
                caseloads.insert((org.to_string(), coach.to_string()), totaal);
            }
            ips_per_org.insert(
                org.to_string(),
                ips(model, &Bereik::Organisatie(org.clone()), p),
            );
        }
        let eerste = p - chrono::Days::new(u64::from(opties.jaren) * 365);
        let cijfers = regiocijfers(model, p, Kwartaal::van(eerste), Kwartaal::van(p));
        Self {
            fasen,
            caseloads,
            cijfers,
            ips: ips_per_org,
            trajecten,
        }
    }
}

/// The differences between two maps, as lines naming the key and both values.
fn verschillen<K: Ord + Debug, V: PartialEq + Debug>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> Vec<String> {
    let sleutels: BTreeSet<&K> = a.keys().chain(b.keys()).collect();
    sleutels
        .into_iter()
        .filter_map(|k| match (a.get(k), b.get(k)) {
            (Some(x), Some(y)) if x == y => None,
            (x, y) => Some(format!("{k:?}: direct {x:?}, import {y:?}")),
        })
        .collect()
}

/// Asserts `a` and `b` are equal, naming what differs (the first few) and how many do.
fn vergelijk<K: Ord + Debug, V: PartialEq + Debug>(
    wat: &str,
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) {
    let v = verschillen(a, b);
    assert!(
        v.is_empty(),
        "{wat}: {} of {} keys differ between direct (A) and imported (B):\n{}",
        v.len(),
        a.len().max(b.len()),
        v.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn landelijke_demodata_geimporteerd_gelijk_aan_direct_vastgelegd() {
    let n = aantal_trajecten();
    let opties = opties(n);
    let begin = Instant::now();

    let uitsnede = Uitsnede::van(&opties);
    let kept = uitsnede.trajecten().count();
    let overgeslagen = uitsnede.aantal_overgeslagen();
    println!(
        "{n} trajectories generated, {kept} kept, {overgeslagen} left out ({:.1}%): {:?} ({:.1} s)",
        100.0 * overgeslagen as f64 / n as f64,
        uitsnede.overgeslagen,
        begin.elapsed().as_secs_f64()
    );
    assert_eq!(kept + overgeslagen, n);
    assert!(
        overgeslagen * 10 <= n,
        "more than 10% of the trajectories cannot be expressed: {:?}",
        uitsnede.overgeslagen
    );
    // The premise of the column `plaatsing`: a placement ends on the day the next one starts.
    let aansluitend = uitsnede
        .trajecten()
        .filter(|t| {
            let dagen = |f: fn(&EventData) -> bool| -> BTreeSet<NaiveDate> {
                t.events
                    .iter()
                    .filter(|e| f(&e.data))
                    .map(|e| e.datum.date())
                    .collect()
            };
            let starts = dagen(|d| matches!(d, EventData::PlaatsingGestart(_)));
            let eindes = dagen(|d| matches!(d, EventData::PlaatsingBeeindigd(_)));
            !starts.is_disjoint(&eindes)
        })
        .count();
    println!("{aansluitend} trajectories have a placement end on the day the next one starts");

    // The files, one per organisation.
    let bestanden: Vec<(OrganisatieId, Vec<u8>)> = uitsnede
        .per_organisatie
        .iter()
        .map(|(org, trajecten)| (org.clone(), csv(trajecten).0))
        .collect();
    let organisaties: Vec<OrganisatieId> = bestanden.iter().map(|(o, _)| o.clone()).collect();

    // B: imported.
    let start = Instant::now();
    let b = Omgeving::nieuw(&opties).await;
    let verslagen = b.importeer(&bestanden).await;
    let mut geweigerd = Vec::new();
    let mut vastgelegd = 0;
    for (org, verslag) in &verslagen {
        vastgelegd += verslag.tellingen().vastgelegd;
        if !verslag.is_schoon() {
            geweigerd.extend(
                verslag
                    .to_string()
                    .lines()
                    .filter(|l| l.contains("geweigerd (") || l.starts_with("afgebroken"))
                    .map(|l| format!("{org}: {l}")),
            );
        }
    }
    println!(
        "imported {vastgelegd} trajectories in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    assert!(
        geweigerd.is_empty(),
        "{} refusals, the first:\n{}",
        geweigerd.len(),
        geweigerd
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(vastgelegd, kept, "every trajectory kept is imported");

    // A: written directly.
    let start = Instant::now();
    let kept_refs: Vec<&DemoTraject> = uitsnede.trajecten().collect();
    let a = direct(&opties, &kept_refs, b.map.path()).await;
    println!("written directly in {:.1} s", start.elapsed().as_secs_f64());

    let start = Instant::now();
    let beleid = DuurzaamBeleid::default();
    let model_a = Projecties::build(a.as_ref(), beleid.clone()).await.unwrap();
    let model_b = Projecties::build(b.dienst.store.as_ref(), beleid)
        .await
        .unwrap();
    let (model_a, model_b) = (model_a.read(), model_b.read());
    assert_eq!(model_a.len(), kept);
    assert_eq!(model_b.len(), kept);
    let beeld_a = Beeld::van(&model_a, &opties, &organisaties);
    let beeld_b = Beeld::van(&model_b, &opties, &organisaties);
    println!(
        "read models built and queried in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    vergelijk(
        "trajectories per organisation and phase today",
        &beeld_a.fasen,
        &beeld_b.fasen,
    );
    vergelijk(
        "open caseload per organisation and coach",
        &beeld_a.caseloads,
        &beeld_b.caseloads,
    );
    vergelijk(
        "regional figures per region, period and method",
        &beeld_a.cijfers,
        &beeld_b.cijfers,
    );
    vergelijk(
        "IPS indicators per organisation",
        &beeld_a.ips,
        &beeld_b.ips,
    );
    let tel = |v: &[(String, NaiveDate, Fase, Option<NaiveDate>)]| {
        let mut m: BTreeMap<(String, NaiveDate, Fase, Option<NaiveDate>), usize> = BTreeMap::new();
        for t in v {
            *m.entry(t.clone()).or_default() += 1;
        }
        m
    };
    vergelijk(
        "trajectories as (organisation, aanmelding, phase, duurzaam date): how many of each",
        &tel(&beeld_a.trajecten),
        &tel(&beeld_b.trajecten),
    );
    assert!(beeld_a.cijfers.len() > 1000, "the figures are not empty");
    println!("{n} trajectories in {:.1} s", begin.elapsed().as_secs_f64());
}

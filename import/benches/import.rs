//! Benchmark of the import against the demo loader, on the national demo data set: A imports
//! the data set as per-event CSV files, one per organisation, each through its teamleider
//! ([`traject_import::importeer`], the command path: every row decided by the domain, its
//! client's key made in the vault, each trajectory appended in a transaction of its own with
//! its client's registration and its access-log entry, which joins the log's chain before the
//! next); B writes the same data set with the demo loader ([`traject_demo::load`]: generated on
//! two threads and appended in bulk, no access log, no vault). Both on a fresh SQLite store in
//! a temporary directory, in interleaved rounds, A then B. The stores' sizes are printed too
//! (A's file holds the vault as well; the access log's chain is a file apart).
//!
//! A imports the trajectories the per-event layout can express (see `tests/demobestand`), a
//! few percent fewer than B loads, and none of their planned actions; the rates compare events
//! per second. A's files are made before the rounds and its teams written before its clock
//! starts; B's clock includes generating the data, as loading the demo data does.
//!
//! Then one file of 100,000 rows for one organisation (every coach of the data set on its team),
//! imported at once, with its time: the largest caseload one upload is meant for.
//!
//! `cargo bench -p traject-import -- --bench [--trajecten N] [--rounds R]` (defaults 10,000 and
//! 3); without `--bench`, as `cargo test --all-targets` runs it, a small smoke run. Results go
//! to BENCHMARKS.md by hand.

#[path = "../tests/demobestand/mod.rs"]
mod demobestand;

use std::time::Instant;

use demobestand::{KOLOMMEN, Omgeving, Uitsnede, csv, opties, rijen};
use traject_domain::team;
use traject_domain::value::{EventId, OrganisatieId, Regio};
use traject_store::{ExpectedRevision, Metadata, NewEvent, SqliteStore, StreamName};

/// The value of `--naam N`, if given.
fn getal(args: &[String], naam: &str) -> Option<usize> {
    args.windows(2).find(|w| w[0] == naam).map(|w| {
        w[1].parse()
            .unwrap_or_else(|_| panic!("{naam} takes a number"))
    })
}

/// The size of an SQLite file with its write-ahead log, in MiB.
fn mib(pad: &std::path::Path) -> f64 {
    let wal = pad.with_extension("sqlite-wal");
    [pad, wal.as_path()]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len() as f64 / (1024.0 * 1024.0))
        .sum()
}

/// `min / median / max` of `waarden`, with `decimalen` decimals.
fn reeks(waarden: &[f64], decimalen: usize) -> String {
    let mut v = waarden.to_vec();
    v.sort_by(f64::total_cmp);
    format!(
        "min {:.d$} / median {:.d$} / max {:.d$}",
        v[0],
        v[v.len() / 2],
        v[v.len() - 1],
        d = decimalen
    )
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench");
    let (standaard_trajecten, standaard_rondes) = if full {
        (10_000, 3)
    } else {
        println!("smoke run (use cargo bench for the measurement)");
        (200, 1)
    };
    let trajecten = getal(&args, "--trajecten").unwrap_or(standaard_trajecten);
    let rondes = getal(&args, "--rounds").unwrap_or(standaard_rondes).max(1);
    let opties = opties(trajecten);

    let uitsnede = Uitsnede::van(&opties);
    let mut rijen = 0;
    let bestanden: Vec<(OrganisatieId, Vec<u8>)> = uitsnede
        .per_organisatie
        .iter()
        .map(|(org, t)| {
            let (bytes, n) = csv(t);
            rijen += n;
            (org.clone(), bytes)
        })
        .collect();
    println!(
        "{trajecten} trajectories generated; A imports the {} the per-event layout expresses ({} left out: {:?}), {rijen} rows in {} files of {:.1} MiB",
        uitsnede.trajecten().count(),
        uitsnede.aantal_overgeslagen(),
        uitsnede.overgeslagen,
        bestanden.len(),
        bestanden.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / (1024.0 * 1024.0)
    );

    let (mut a_rijen, mut a_events, mut b_events) = (Vec::new(), Vec::new(), Vec::new());
    for ronde in 1..=rondes {
        // A: the import, through the command path.
        let a = Omgeving::nieuw(&opties).await;
        let start = Instant::now();
        let verslagen = a.importeer(&bestanden).await;
        let duur = start.elapsed().as_secs_f64();
        let mut events = 0;
        for (org, verslag) in &verslagen {
            assert!(verslag.is_schoon(), "{org}: {verslag}");
            events += verslag.tellingen().events;
        }
        let a_mib = mib(&a.map.path().join("events.sqlite"));
        drop(a);
        a_rijen.push(rijen as f64 / duur);
        a_events.push(events as f64 / duur);

        // B: the demo loader.
        let map = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(map.path().join("demo.sqlite"))
            .await
            .expect("the store opens");
        let start = Instant::now();
        let mut geladen = 0;
        traject_demo::load(&store, &opties, None, |v| geladen = v.events)
            .await
            .expect("the demo data loads");
        let duur_b = start.elapsed().as_secs_f64();
        let b_mib = mib(&map.path().join("demo.sqlite"));
        drop(store);
        b_events.push(geladen as f64 / duur_b);

        println!(
            "round {ronde}: A import {events} events in {duur:.1} s: {:.0} rows/s, {:.0} events/s (store {a_mib:.1} MiB); B demo load {geladen} events in {duur_b:.1} s: {:.0} events/s (store {b_mib:.1} MiB)",
            a_rijen[ronde - 1],
            a_events[ronde - 1],
            b_events[ronde - 1],
        );
    }
    een_groot_bestand(&opties, &uitsnede, if full { 100_000 } else { 2_000 }).await;
    let verhouding: Vec<f64> = a_events.iter().zip(&b_events).map(|(a, b)| a / b).collect();
    println!(
        "import / demo load, events per second: {}",
        reeks(&verhouding, 3)
    );
    println!("import, rows per second: {}", reeks(&a_rijen, 0));
}

/// One organisation's file of at least `minimaal` rows (the demo's trajectories of every
/// organisation, every coach of the data set on this organisation's team), imported at once:
/// a large caseload in one upload. Prints its time and rate; every row must be imported.
async fn een_groot_bestand(
    opties: &traject_demo::DemoOpties,
    uitsnede: &Uitsnede,
    minimaal: usize,
) {
    let (organisatie, _) = uitsnede
        .per_organisatie
        .first_key_value()
        .expect("an organisation");
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(KOLOMMEN).expect("write to memory");
    let mut aantal = 0;
    for t in uitsnede.trajecten() {
        if aantal >= minimaal {
            break;
        }
        for rij in rijen(t, &t.id.to_string()) {
            w.write_record(&rij).expect("write to memory");
            aantal += 1;
        }
    }
    let bytes = w.into_inner().expect("write to memory");
    let omgeving = Omgeving::nieuw(opties).await;
    let eigen = traject_demo::coaches(organisatie, opties);
    let events: Vec<NewEvent> = Regio::ALL
        .iter()
        .flat_map(|r| traject_demo::organisaties(*r))
        .flat_map(|o| traject_demo::coaches(&o, opties))
        .filter(|c| !eigen.contains(c))
        .map(|coach| {
            let id = EventId::new(uuid::Uuid::now_v7()).expect("not nil");
            let stored = team::encode(id, &team::TeamEvent::CoachToegetreden { coach });
            NewEvent {
                id: stored.id.as_uuid(),
                event_type: stored.event_type,
                schema_version: stored.schema_version,
                data: stored.data,
                metadata: Metadata::default(),
                recorded_at: None,
            }
        })
        .collect();
    let stream = StreamName::new(team::stream_name(organisatie)).expect("a team stream");
    omgeving
        .dienst
        .store
        .append(&stream, ExpectedRevision::Any, events)
        .await
        .expect("the coaches join the team");
    let start = Instant::now();
    let verslagen = omgeving
        .importeer(&[(organisatie.clone(), bytes.clone())])
        .await;
    let duur = start.elapsed().as_secs_f64();
    let (_, verslag) = &verslagen[0];
    assert!(verslag.is_schoon(), "{verslag}");
    println!(
        "one file of {aantal} rows ({:.1} MiB, {} trajectories) for one organisation: imported in {duur:.1} s, {:.0} rows/s",
        bytes.len() as f64 / (1024.0 * 1024.0),
        verslag.trajecten.len(),
        aantal as f64 / duur
    );
}

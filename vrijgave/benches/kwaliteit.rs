//! The quality report for all 35 regions and the nation against one region's, in the same run,
//! interleaved (all, one, all, one, ...), min / median / max of each and of the ratio:
//!
//! - **figures**: counting the report's figures from the read models' facts
//!   (`kwaliteit::per_regio` against `kwaliteit::van_regio`), what every release of the report
//!   does first, without reading any event;
//! - **report**: the rows every reader gets from the stored release (`rapport::rapport_met` for
//!   every region and the nation, the medians of the regions computed once, against one
//!   region's `rapport::rapport`), with the release read from the store.
//!
//! Then the release itself (count, protect, audit, store) is timed once, and how much of the
//! regions' figures it publishes is printed.
//!
//! `cargo bench -p traject-vrijgave --bench kwaliteit` (the national demo data, 100,000
//! trajectories; `--trajecten N` for another size); under `cargo test` a small smoke run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use traject_demo::{DemoOpties, load};
use traject_domain::DuurzaamBeleid;
use traject_domain::value::Regio;
use traject_projections::Projecties;
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::{Rapportperiode, per_regio, van_regio};
use traject_store::{EventStore, SqliteStore};
use traject_vrijgave::Vrijgaven;
use traject_vrijgave::bescherming::Regels;
use traject_vrijgave::kwaliteit::rapport::{Status, Wie, rapport, rapport_met, regiomedianen};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn reeks(naam: &str, ms: &[f64]) {
    let mut s = ms.to_vec();
    s.sort_by(f64::total_cmp);
    println!(
        "{naam}: min {:.2} / median {:.2} / max {:.2} ms",
        s[0],
        s[s.len() / 2],
        s[s.len() - 1]
    );
}

fn verhouding(naam: &str, alle: &[f64], een: &[f64]) {
    let mut v: Vec<f64> = alle.iter().zip(een).map(|(a, b)| a / b).collect();
    v.sort_by(f64::total_cmp);
    println!(
        "{naam} all / one: min {:.2} / median {:.2} / max {:.2}",
        v[0],
        v[v.len() / 2],
        v[v.len() - 1]
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let volledig = args.iter().any(|a| a == "--bench");
    let vandaag = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let mut opties = DemoOpties::landelijk(vandaag);
    let mut rondes = 15;
    if !volledig {
        println!("smoke run (use cargo bench for the measurement)");
        opties.trajecten = 2_000;
        rondes = 2;
    }
    if let Some(n) = args.windows(2).find(|w| w[0] == "--trajecten") {
        opties.trajecten = n[1].parse().expect("--trajecten takes a number");
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .expect("the store opens"),
    );
    load(store.as_ref(), &opties, None, |_| {})
        .await
        .expect("the demo data loads");
    let head = store.head().await.expect("a head").expect("events");
    let projecties = Projecties::new(DuurzaamBeleid::default());
    let dyn_store: Arc<dyn EventStore> = store.clone();
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&dyn_store)));
    projecties
        .wait_for(head, Duration::from_secs(900))
        .await
        .expect("caught up");
    println!(
        "{} trajectories, {} events in the read models",
        opties.trajecten, head.0
    );
    // The last closed year: its report needs the quarters of its eight cohorts.
    let tot: Kwartaal = "2025Q4".parse().expect("a quarter");
    let periode = Rapportperiode { tot };
    let vrijgaven = Vrijgaven::new(
        dyn_store,
        Arc::clone(&projecties),
        Regels::default(),
        100,
        42,
        3,
    );
    let start = Instant::now();
    for k in periode.cohorten() {
        vrijgaven
            .vrijgeef(k, vandaag, "bench")
            .await
            .expect("the quarter is released");
    }
    println!(
        "the eight quarters released in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let kop = vrijgaven
        .vrijgeef_kwaliteit(tot, vandaag, "bench")
        .await
        .expect("the report is released");
    println!(
        "the report released (count, protect, audit {} hidden cells, store) in {:.1} s",
        kop.geaudit,
        start.elapsed().as_secs_f64()
    );

    let regio = Regio::Am13;
    let (mut alle_cijfers, mut een_cijfers) = (Vec::new(), Vec::new());
    let (mut alle_rapport, mut een_rapport) = (Vec::new(), Vec::new());
    for _ in 0..rondes {
        let start = Instant::now();
        {
            let model = projecties.read();
            std::hint::black_box(per_regio(&model, vandaag, periode));
        }
        alle_cijfers.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        {
            let model = projecties.read();
            std::hint::black_box(van_regio(&model, vandaag, periode, regio));
        }
        een_cijfers.push(start.elapsed().as_secs_f64() * 1000.0);

        let start = Instant::now();
        let vrijgave = vrijgaven
            .kwaliteit(tot)
            .await
            .expect("read")
            .expect("released");
        // The medians of the regions are the same in every report: computed once.
        let medianen = regiomedianen(&vrijgave);
        for wie in Regio::ALL
            .iter()
            .map(|r| Wie::Regio(*r))
            .chain([Wie::Landelijk])
        {
            std::hint::black_box(rapport_met(&vrijgave, wie, None, 100, &medianen));
        }
        alle_rapport.push(start.elapsed().as_secs_f64() * 1000.0);
        let start = Instant::now();
        let vrijgave = vrijgaven
            .kwaliteit(tot)
            .await
            .expect("read")
            .expect("released");
        std::hint::black_box(rapport(&vrijgave, Wie::Regio(regio), None, 100));
        een_rapport.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    reeks("figures, all 35 regions and the nation", &alle_cijfers);
    reeks("figures, one region", &een_cijfers);
    verhouding("figures", &alle_cijfers, &een_cijfers);
    reeks("report rows, all 35 regions and the nation", &alle_rapport);
    reeks("report rows, one region", &een_rapport);
    verhouding("report rows", &alle_rapport, &een_rapport);

    // How much the regions' reports show.
    let vrijgave = vrijgaven
        .kwaliteit(tot)
        .await
        .expect("read")
        .expect("released");
    let (mut getoond, mut verborgen) = (0, 0);
    for r in Regio::ALL {
        for rij in rapport(&vrijgave, Wie::Regio(r), None, 100).regels {
            match rij.eigen.status {
                Status::Getoond => getoond += 1,
                Status::Verborgen => verborgen += 1,
                Status::NogNietBekend | Status::Geen => {}
            }
        }
    }
    println!(
        "regions' figures shown: {getoond} of {} ({:.1} %)",
        getoond + verborgen,
        100.0 * getoond as f64 / (getoond + verborgen).max(1) as f64
    );
}

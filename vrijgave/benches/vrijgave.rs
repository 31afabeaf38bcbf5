//! The release of one quarter for every region and the nation, against its floor: counting that
//! quarter's figures unprotected (what any release has to do first). Interleaved rounds (count,
//! release, count, release, ...), min / median / max of each and of the ratio, and the memory the
//! release takes (peak RSS growth). The first round is the quarter's first release; each later
//! round a correction after 200 late trajectories (of the last year, loaded before the round),
//! audited jointly with the releases before it.
//!
//! `cargo bench -p traject-vrijgave` (the national demo data, 100,000 trajectories; `--trajecten
//! N` for another size); under `cargo test` a small smoke run. Results go to BENCHMARKS.md by hand.

use std::sync::Arc;
use std::time::{Duration, Instant};

use traject_demo::{DemoOpties, load};
use traject_domain::DuurzaamBeleid;
use traject_projections::Projecties;
use traject_projections::cijfers::{Kwartaal, regiocijfers};
use traject_store::{EventStore, SqliteStore};
use traject_vrijgave::bescherming::{Regels, Sleutel};
use traject_vrijgave::{Vrijgave, Vrijgaven};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn reeks(naam: &str, ms: &[f64]) {
    let mut gesorteerd = ms.to_vec();
    gesorteerd.sort_by(f64::total_cmp);
    println!(
        "{naam}: min {:.1} / median {:.1} / max {:.1} ms",
        gesorteerd[0],
        gesorteerd[gesorteerd.len() / 2],
        gesorteerd[gesorteerd.len() - 1]
    );
}

/// How many of a release's cells that `filter` selects are published, and of how many.
fn aandeel(vrijgave: &Vrijgave, filter: &dyn Fn(&Sleutel) -> bool) -> (usize, usize) {
    let cellen: Vec<_> = vrijgave.cellen.iter().filter(|(s, _)| filter(s)).collect();
    let getoond = cellen.iter().filter(|(_, w)| w.is_some()).count();
    (getoond, cellen.len())
}

/// Late trajectories loaded before each correction.
const LAAT: usize = 200;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let volledig = args.iter().any(|a| a == "--bench");
    let vandaag = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let mut opties = DemoOpties::landelijk(vandaag);
    let mut rondes = 5;
    if !volledig {
        println!("smoke run (use cargo bench for the measurement)");
        opties.trajecten = 2_000;
        rondes = 1;
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
        .wait_for(head, Duration::from_secs(600))
        .await
        .expect("caught up");
    println!(
        "{} trajectories, {} events in the read models",
        opties.trajecten, head.0
    );
    let kwartaal: Kwartaal = "2026Q2".parse().expect("a quarter");
    // As many corrections as rounds: each round releases the quarter again.
    let vrijgaven = Vrijgaven::new(
        dyn_store,
        Arc::clone(&projecties),
        Regels::default(),
        100,
        42,
        rondes as u32,
    );
    let (mut tellen, mut vrijgeven, mut verhouding) = (Vec::new(), Vec::new(), Vec::new());
    let mut piek = 0;
    for ronde in 0..rondes {
        // Before each correction, late registrations: trajectories of the last year, in the
        // released quarter among others.
        if ronde > 0 {
            let laat = DemoOpties {
                seed: 5_000 + ronde as u64,
                trajecten: LAAT,
                jaren: 1,
                vandaag,
            };
            load(store.as_ref(), &laat, None, |_| {})
                .await
                .expect("the late trajectories load");
            let head = store.head().await.expect("a head").expect("events");
            projecties
                .wait_for(head, Duration::from_secs(600))
                .await
                .expect("caught up");
        }
        let start = Instant::now();
        let cijfers = {
            let model = projecties.read();
            regiocijfers(&model, vandaag, kwartaal, kwartaal)
        };
        std::hint::black_box(cijfers);
        let a = start.elapsed().as_secs_f64() * 1000.0;
        // The peak is reset (Linux: `5` to clear_refs), so the peak after is the release's.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let voor = rss_kib("VmRSS:");
        let start = Instant::now();
        let kop = vrijgaven
            .vrijgeef(kwartaal, vandaag, "bench")
            .await
            .expect("the quarter is released");
        let b = start.elapsed().as_secs_f64() * 1000.0;
        let gemaakt = vrijgaven
            .van(kwartaal)
            .await
            .expect("the releases read back")
            .last()
            .cloned()
            .expect("a release");
        let getoond = |filter: &dyn Fn(&Sleutel) -> bool| {
            let (n, van) = aandeel(&gemaakt, filter);
            100.0 * n as f64 / van.max(1) as f64
        };
        println!(
            "release {} ({}): {b:.0} ms, {} hidden cells audited, {:.1} % of cells and {:.1} % of the regions' totals published",
            kop.nummer,
            if ronde == 0 {
                "first".to_owned()
            } else {
                format!("after {LAAT} more trajectories")
            },
            kop.geaudit,
            getoond(&|_| true),
            getoond(&|s| s.cel.regio.is_some() && s.cel.methode.is_none()),
        );
        piek = piek.max(rss_kib("VmHWM:").saturating_sub(voor));
        std::hint::black_box(kop);
        tellen.push(a);
        vrijgeven.push(b);
        verhouding.push(b / a);
    }
    reeks("count one quarter, unprotected (floor)", &tellen);
    reeks("release one quarter (protect, store)", &vrijgeven);
    let mut v = verhouding.clone();
    v.sort_by(f64::total_cmp);
    println!(
        "release / count: min {:.2} / median {:.2} / max {:.2}",
        v[0],
        v[v.len() / 2],
        v[v.len() - 1]
    );
    println!(
        "peak RSS above the process before a release: {} MiB",
        piek / 1024
    );

    // How much the last release publishes: every cell, and the regions' totals over methods.
    let vrijgave = vrijgaven
        .van(kwartaal)
        .await
        .expect("the releases read back")
        .last()
        .cloned()
        .expect("a release");
    let deel = |filter: &dyn Fn(&Sleutel) -> bool| aandeel(&vrijgave, filter);
    let procent =
        |(a, b): (usize, usize)| format!("{a} of {b} ({:.1} %)", 100.0 * a as f64 / b as f64);
    println!("published cells: {}", procent(deel(&|_| true)));
    println!(
        "published region x quarter totals over the methods, all measures: {}",
        procent(deel(&|s| s.cel.regio.is_some() && s.cel.methode.is_none()))
    );
    // Per measure, the regions' totals by their true value: what primary suppression alone
    // must hide (1..T-1) and what is hidden beyond it.
    let cijfers = {
        let model = projecties.read();
        regiocijfers(&model, vandaag, kwartaal, kwartaal)
    };
    let t = Regels::default().drempel();
    println!("regions' totals per measure: zero / 1..T-1 / >= T, and of those >= T hidden");
    for maat in traject_vrijgave::bescherming::Maat::alle() {
        let (mut nul, mut klein, mut groot, mut groot_verborgen) = (0, 0, 0, 0);
        for (s, w) in vrijgave
            .cellen
            .iter()
            .filter(|(s, _)| s.maat == maat && s.cel.regio.is_some() && s.cel.methode.is_none())
        {
            let waarde = cijfers.get(&s.cel).map_or(0, |c| maat.van(c));
            match waarde {
                0 => nul += 1,
                n if n < t => klein += 1,
                _ => {
                    groot += 1;
                    if w.is_none() {
                        groot_verborgen += 1;
                    }
                }
            }
        }
        println!(
            "  {:<36} {nul:>3} / {klein:>3} / {groot:>3}, hidden {groot_verborgen}",
            maat.naam()
        );
    }
    println!(
        "published region x quarter totals of gestart: {}",
        procent(deel(&|s| {
            s.cel.regio.is_some()
                && s.cel.methode.is_none()
                && s.maat == traject_vrijgave::bescherming::Maat::Gestart
        }))
    );
}

//! Benchmarks of the projections on the national demo data set: generating and loading it into
//! the embedded store, a restarted process catching up, replay against a raw scan of the same
//! rows and against the store's own read (interleaved), the projections' own apply rate, memory,
//! and query times.
//!
//! `cargo bench -p traject-projections` (full: 100,000 trajectories); under `cargo test` it runs
//! a small smoke version. Results go to BENCHMARKS.md by hand. `-- --sealed` loads the data
//! with employers and job titles sealed, as the server stores them (`serve --demo`, the command
//! path); without it they are in clear, as `traject-demo` writes them: run both, interleaved,
//! for what sealing costs the read models.

use std::sync::Arc;
use std::time::{Duration, Instant};

use traject_demo::{DemoOpties, load};
use traject_domain::DuurzaamBeleid;
use traject_projections::caseload::{Bereik, CaseloadVraag, caseload};
use traject_projections::cijfers::{Kwartaal, regiocijfers};
use traject_projections::{Projecties, ReadModel};
use traject_store::{EventStore, SqliteStore, StreamFilter};

/// The allocator the `traject` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut opties = DemoOpties::landelijk(today);
    if !full {
        println!("smoke run (use cargo bench for the measurement)");
        opties.trajecten = 2_000;
    }
    // `--trajecten N`: a smaller data set, for profiling.
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = args.windows(2).find(|w| w[0] == "--trajecten") {
        opties.trajecten = n[1].parse().expect("--trajecten takes a number");
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        SqliteStore::open(dir.path().join("demo.sqlite"))
            .await
            .unwrap(),
    );

    let start = Instant::now();
    let generated: usize = traject_demo::generate(&opties)
        .map(|t| t.events.len())
        .sum();
    println!(
        "generate only (one thread, no store): {generated} events in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    let mut events = 0;
    let verzegelaar: Option<traject_demo::Sealer> =
        args.iter().any(|a| a == "--sealed").then(|| {
            let sleutel = Arc::new(traject_kluis::key::ClientKey::random());
            Arc::new(
                move |client: traject_domain::value::ClientId,
                      event: traject_domain::value::EventId,
                      veld: &'static str,
                      tekst: &str| {
                    traject_domain::value::Verzegeling::new(sleutel.seal_text(
                        client.as_uuid(),
                        event.as_uuid(),
                        veld,
                        tekst,
                    ))
                },
            ) as traject_demo::Sealer
        });
    println!(
        "employers and job titles: {}",
        if verzegelaar.is_some() {
            "sealed"
        } else {
            "in clear"
        }
    );
    load(store.as_ref(), &opties, verzegelaar, |v| events = v.events)
        .await
        .unwrap();
    let load = start.elapsed();
    println!(
        "generate + load: {} trajectories, {events} events in {:.1} s ({:.0} events/s)",
        opties.trajecten,
        load.as_secs_f64(),
        events as f64 / load.as_secs_f64()
    );

    // A restarted process: projections from zero, following the store until caught up.
    let head = store.head().await.unwrap().unwrap();
    let rss_before = rss_kib("RssAnon:");
    let start = Instant::now();
    let projecties = Projecties::new(DuurzaamBeleid::default());
    let store_dyn: Arc<dyn EventStore> = store.clone();
    tokio::spawn(Arc::clone(&projecties).follow(store_dyn));
    projecties
        .wait_for(head, Duration::from_secs(600))
        .await
        .unwrap();
    let catch_up = start.elapsed();
    println!(
        "restart without snapshot, from zero until caught up: {:.2} s ({:.0} events/s from the store)",
        catch_up.as_secs_f64(),
        events as f64 / catch_up.as_secs_f64()
    );
    println!(
        "read model memory: {} MiB (growth of anonymous RSS while catching up; the store's readers map the file, which RSS counts too)",
        rss_kib("RssAnon:").saturating_sub(rss_before) / 1024
    );

    // A restarted process that resumes from a snapshot saved at the head.
    let pad = dir.path().join("projecties.snapshot");
    let start = Instant::now();
    projecties.save(&pad).unwrap();
    println!(
        "save snapshot: {:.2} s, {} MiB",
        start.elapsed().as_secs_f64(),
        std::fs::metadata(&pad).unwrap().len() / (1024 * 1024)
    );
    // How long a snapshot holds the read lock, during which the runner (and with it every
    // write, which waits for its read models) waits: taking the model for the snapshot, as now,
    // against encoding and writing it whole, as before. Interleaved rounds.
    let rondes = if full { 5 } else { 1 };
    let (mut nemen, mut geheel) = (Vec::new(), Vec::new());
    for _ in 0..rondes {
        let start = Instant::now();
        let opname = traject_projections::snapshot::take(&projecties.read());
        nemen.push(start.elapsed().as_secs_f64() * 1000.0);
        opname.expect("a model").save(&pad).unwrap();
        let start = Instant::now();
        traject_projections::snapshot::save(&projecties.read(), &pad).unwrap();
        geheel.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let reeks = |naam: &str, waarden: &[f64], eenheid: &str| {
        let mut v = waarden.to_vec();
        v.sort_by(f64::total_cmp);
        println!(
            "{naam}: min {:.2} / median {:.2} / max {:.2}{eenheid}",
            v[0],
            v[v.len() / 2],
            v[v.len() - 1]
        );
    };
    reeks(
        "snapshot, read lock held to take the model (now)",
        &nemen,
        " ms",
    );
    reeks(
        "snapshot, read lock held to encode and write it whole (before)",
        &geheel,
        " ms",
    );
    let promille: Vec<f64> = nemen
        .iter()
        .zip(&geheel)
        .map(|(a, b)| 1000.0 * a / b)
        .collect();
    reeks("snapshot lock time, now / before", &promille, " per mille");

    let start = Instant::now();
    let hervat = Projecties::restore(&pad, store.as_ref(), DuurzaamBeleid::default()).await;
    assert_eq!(
        hervat.positie(),
        projecties.positie(),
        "the snapshot was used"
    );
    let store_dyn: Arc<dyn EventStore> = store.clone();
    let hervat_volger = tokio::spawn(Arc::clone(&hervat).follow(store_dyn));
    hervat
        .wait_for(head, Duration::from_secs(600))
        .await
        .unwrap();
    println!(
        "restart from the snapshot until caught up: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    // Its runner holds the model too: stopped, so that the model is freed before what follows.
    hervat_volger.abort();
    drop(hervat);

    // Replay against reading alone, interleaved: a raw scan of the trajectories' rows in the
    // SQLite file with their JSON decoded and nothing else (the floor); the same events through
    // the store's `read_all` in batches (what any consumer of the store pays); and a process
    // catching up from zero into every read model. Replay / raw scan is the target (at least
    // 0.5).
    let filter = StreamFilter::prefix(traject_domain::value::TrajectId::STREAM_PREFIX);
    let (mut rauw, mut kaal, mut herhaald) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rondes.min(3) {
        let start = Instant::now();
        let conn = rusqlite::Connection::open_with_flags(
            dir.path().join("demo.sqlite"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT data, metadata FROM events WHERE substr(stream, 1, 8) = 'traject-' ORDER BY position",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut gescand = 0usize;
        while let Some(row) = rows.next().unwrap() {
            let data: serde_json::Value =
                serde_json::from_str(row.get_ref(0).unwrap().as_str().unwrap()).unwrap();
            let meta: serde_json::Value =
                serde_json::from_str(row.get_ref(1).unwrap().as_str().unwrap()).unwrap();
            gescand += usize::from(!data.is_null() && !meta.is_null());
        }
        rauw.push(gescand as f64 / start.elapsed().as_secs_f64());
        drop(rows);
        drop(stmt);
        drop(conn);
        let start = Instant::now();
        let (mut na, mut gelezen) = (None, 0usize);
        loop {
            let batch = store.read_all(na, &filter, 10_000).await.unwrap();
            let Some(laatste) = batch.last() else { break };
            na = Some(laatste.position);
            gelezen += batch.len();
        }
        kaal.push(gelezen as f64 / start.elapsed().as_secs_f64());
        let start = Instant::now();
        let opnieuw = Projecties::new(DuurzaamBeleid::default());
        let store_dyn: Arc<dyn EventStore> = store.clone();
        let volger = tokio::spawn(Arc::clone(&opnieuw).follow(store_dyn));
        opnieuw
            .wait_for(head, Duration::from_secs(600))
            .await
            .unwrap();
        herhaald.push(gelezen as f64 / start.elapsed().as_secs_f64());
        volger.abort();
        let (r, k, h) = (
            rauw[rauw.len() - 1],
            kaal[kaal.len() - 1],
            herhaald[herhaald.len() - 1],
        );
        println!(
            "round {}: raw scan {r:.0}, read_all {k:.0}, replay {h:.0} events/s; replay / raw scan {:.2}, read_all / raw scan {:.2}",
            herhaald.len(),
            h / r,
            k / r
        );
    }
    reeks(
        "raw scan of the trajectories' rows, JSON decoded",
        &rauw,
        " events/s",
    );
    reeks("the same through the store's read_all", &kaal, " events/s");
    reeks("replay into every read model", &herhaald, " events/s");
    let verhouding: Vec<f64> = herhaald.iter().zip(&rauw).map(|(h, k)| h / k).collect();
    reeks("replay / raw scan", &verhouding, "");
    let verhouding: Vec<f64> = kaal.iter().zip(&rauw).map(|(h, k)| h / k).collect();
    reeks("store read_all / raw scan", &verhouding, "");

    // The projections' own rate, with the events already read and in memory.
    let all = store
        .read_all(
            None,
            &StreamFilter::prefix(traject_domain::value::TrajectId::STREAM_PREFIX),
            usize::MAX,
        )
        .await
        .unwrap();
    let start = Instant::now();
    let mut model = ReadModel::new(DuurzaamBeleid::default());
    model.apply_batch(&all).unwrap();
    let refresh_start = Instant::now();
    model.refresh();
    let apply = start.elapsed();
    let refresh = refresh_start.elapsed();
    println!(
        "apply into all projections (events in memory, JSON decoding included): {:.0} events/s",
        all.len() as f64 / apply.as_secs_f64()
    );
    println!(
        "of which refreshing the facts of {} trajectories: {:.0} ms",
        model.len(),
        refresh.as_secs_f64() * 1000.0
    );
    let start = Instant::now();
    for event in &all {
        let id = traject_domain::value::EventId::new(event.id).unwrap();
        std::hint::black_box(
            traject_domain::stored::decode_json(
                id,
                &event.event_type,
                event.schema_version,
                event.data.as_str(),
            )
            .unwrap(),
        );
    }
    println!(
        "of which decoding alone: {:.0} events/s",
        all.len() as f64 / start.elapsed().as_secs_f64()
    );
    drop(all);

    let model = projecties.read();
    // Five runs: the median and the fastest (the first run also pays for cold caches). The
    // protection of released figures is measured in `cargo bench -p traject-vrijgave`.
    let mut figures_ms = Vec::new();
    let mut basiscellen = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let cellen = regiocijfers(
            &model,
            today,
            Kwartaal {
                jaar: 2017,
                nummer: 1,
            },
            Kwartaal::van(today),
        );
        figures_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        basiscellen = cellen.len();
    }
    figures_ms.sort_by(f64::total_cmp);
    println!(
        "national figures, 10 years, unprotected: {basiscellen} cells, median {:.1} ms, fastest {:.1} ms",
        figures_ms[figures_ms.len() / 2],
        figures_ms[0]
    );

    let coaches: Vec<_> = model
        .kenmerken()
        .filter_map(|k| Some((k.coach.clone()?, k.organisatie.clone())))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let start = Instant::now();
    let mut rows = 0;
    for (coach, org) in &coaches {
        let vraag = CaseloadVraag::new(Bereik::Coach(coach.clone(), org.clone()), today);
        rows += caseload(&model, &vraag).unwrap().totaal;
    }
    println!(
        "caseload query: {:.1} µs on average over {} coaches ({:.1} open trajectories each)",
        start.elapsed().as_secs_f64() * 1e6 / coaches.len() as f64,
        coaches.len(),
        rows as f64 / coaches.len() as f64
    );
    println!(
        "peak RSS of the benchmark process: {} MiB",
        rss_kib("VmHWM:") / 1024
    );
}

//! The access log's costs, on the embedded backend (SQLite), in one run:
//!
//! 1. **Bytes per entry**, everything on disk counted (tables, indexes, dictionary, groups; the
//!    WAL copied in first): a caseload read of 50 rows by coaches who open their caseload again
//!    and again, beside a trajectory read of one client; and the worst case in which every
//!    caseload read shows a list of 50 known clients never shown together before.
//! 2. **Writing**: entries per second through the writer, many callers at once.
//! 3. **Verification**: entries per second of a full check of the chain.
//! 4. **Queries at two sizes**, interleaved (small, large, small, large, ...): the per-client
//!    overview (`inzagers`), a page of a client's entries, and the newest page of the whole
//!    log; min / median / max and the ratio large / small per round.
//!
//! `cargo bench -p traject-toegangslog -- --small 100000 --large 1000000 [--rounds 9]`
//! (defaults; BENCHMARKS.md records a run with `--small 1000000 --large 10000000`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use traject_domain::value::ClientId;
use traject_store::{EventStore, SqliteStore};
use traject_toegangslog::{
    Actie, LogKey, ReadQuota, Resultaat, SqliteLog, Storage, Toegang, Toegangslog, Zoekopdracht,
};

struct Log {
    log: Toegangslog,
    opslag: SqliteLog,
    _dir: tempfile::TempDir,
}

async fn nieuw() -> Log {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let opslag = SqliteLog::open(&dir.path().join("toegangslog.sqlite")).unwrap();
    let log = Toegangslog::open(
        Storage::Sqlite(opslag.clone()),
        LogKey::random(),
        store,
        ReadQuota::new(0),
    )
    .await
    .unwrap();
    Log {
        log,
        opslag,
        _dir: dir,
    }
}

/// A national-scale population: `coaches` coaches with 50 clients each.
struct Populatie {
    caseloads: Vec<Vec<ClientId>>,
}

impl Populatie {
    fn new(coaches: usize) -> Self {
        Self {
            caseloads: (0..coaches)
                .map(|_| {
                    (0..50)
                        .map(|_| ClientId::new(uuid::Uuid::now_v7()).unwrap())
                        .collect()
                })
                .collect(),
        }
    }
}

fn toegang(
    code: &str,
    coach: usize,
    clients: Vec<ClientId>,
    tijd: DateTime<Utc>,
    resultaat: Resultaat,
) -> Toegang {
    Toegang {
        gebeurteniscode: code.to_owned(),
        actie: Actie::R,
        tijd,
        resultaat,
        gebruiker: format!("coach-{coach}"),
        rol: "coach".to_owned(),
        organisatie: Some(format!("org-{}", coach / 20)),
        clients,
        traject: None,
        regel: "coach-eigen-caseload".to_owned(),
        bron: "traject-api".to_owned(),
        correlatie: uuid::Uuid::now_v7(),
    }
}

/// Entry `i` of the realistic mix: four caseload pages (50 clients, the coach's own page) to one
/// trajectory read (one client).
fn mix(p: &Populatie, i: usize, begin: DateTime<Utc>) -> Toegang {
    let coach = (i * 7919) % p.caseloads.len();
    let tijd = begin + TimeDelta::milliseconds(i as i64 * 10);
    let resultaat = if i.is_multiple_of(50) {
        Resultaat::Geweigerd
    } else {
        Resultaat::Gelukt
    };
    if i % 5 == 4 {
        let client = p.caseloads[coach][i % 50];
        let mut t = toegang("traject.lezen", coach, vec![client], tijd, resultaat);
        t.traject = Some(traject_domain::value::TrajectId::new(uuid::Uuid::now_v7()).unwrap());
        t
    } else {
        toegang(
            "caseload.zoeken",
            coach,
            p.caseloads[coach].clone(),
            tijd,
            resultaat,
        )
    }
}

/// Writes `n` entries made by `maak`, with `gelijk` callers at once; returns entries per second.
async fn schrijf(log: &Toegangslog, n: usize, maak: impl Fn(usize) -> Toegang) -> f64 {
    let begin = Instant::now();
    let gelijk = 512;
    let mut i = 0;
    while i < n {
        let deel: Vec<Toegang> = (i..(i + gelijk).min(n)).map(&maak).collect();
        i += deel.len();
        let taken: Vec<_> = deel
            .into_iter()
            .map(|t| {
                let log = log.clone();
                tokio::spawn(async move { log.write(t).await.unwrap() })
            })
            .collect();
        for t in taken {
            t.await.unwrap();
        }
    }
    n as f64 / begin.elapsed().as_secs_f64()
}

fn arg(naam: &str, standaard: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == naam)
        .and_then(|i| args.get(i + 1))
        .map_or(standaard, |v| v.parse().expect("a number"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn samenvatting(waarden: &mut [f64]) -> String {
    waarden.sort_by(|a, b| a.partial_cmp(b).unwrap());
    format!(
        "{:.2} / {:.2} / {:.2}",
        waarden[0],
        waarden[waarden.len() / 2],
        waarden[waarden.len() - 1]
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo test --all-targets` runs this once as a quick check of the code (without
    // `--bench`): small sizes then.
    let volledig = std::env::args().any(|a| a == "--bench");
    let klein = arg("--small", if volledig { 100_000 } else { 500 });
    let groot = arg("--large", if volledig { 1_000_000 } else { 1_000 });
    let rondes = arg("--rounds", if volledig { 9 } else { 2 });
    let n = if volledig { 50_000 } else { 500 };
    let begin = DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let populatie = Arc::new(Populatie::new(2_000));

    // 1. Bytes per entry.
    println!("== bytes per entry (SQLite, WAL copied in, everything on disk counted)");
    let leeg = nieuw().await;
    leeg.opslag.checkpoint_wal().unwrap();
    let basis = leeg.opslag.omvang();
    for (naam, nieuw_elke_keer) in [
        (
            "mix: 4 caseload pages of 50 (own page again) to 1 trajectory read",
            false,
        ),
        (
            "worst case: every caseload page a new list of 50 known clients",
            true,
        ),
    ] {
        let l = nieuw().await;
        // Twice: the first half sees every client and caseload for the first time; the second
        // half is the steady state, in which they are known.
        let mut na = Vec::new();
        for helft in 0..2 {
            let p = Arc::clone(&populatie);
            schrijf(&l.log, n, |i| {
                let i = i + helft * n;
                if nieuw_elke_keer {
                    // 50 clients of the population, in a combination never shown before.
                    let clients = (0..50u64)
                        .map(|k| {
                            let h = (i as u64)
                                .wrapping_mul(6_364_136_223_846_793_005)
                                .wrapping_add(k.wrapping_mul(1_442_695_040_888_963_407));
                            let h = (h ^ (h >> 33)) % 100_000;
                            p.caseloads[(h / 50) as usize][(h % 50) as usize]
                        })
                        .collect();
                    toegang(
                        "caseload.zoeken",
                        i % 2000,
                        clients,
                        begin,
                        Resultaat::Gelukt,
                    )
                } else {
                    mix(&p, i, begin)
                }
            })
            .await;
            l.opslag.checkpoint_wal().unwrap();
            na.push(l.opslag.omvang() - basis);
        }
        println!(
            "{naam}: first {n} entries {:.1} bytes each (clients and lists seen for the first time), next {n} {:.1} bytes each",
            na[0] as f64 / n as f64,
            (na[1] - na[0]) as f64 / n as f64
        );
    }

    // 2 and 3. Writing and verifying, at the small size; then the large log.
    let kleine = nieuw().await;
    let p = Arc::clone(&populatie);
    let per_s = schrijf(&kleine.log, klein, |i| mix(&p, i, begin)).await;
    println!("== writing: {klein} entries at {per_s:.0} entries/s (512 callers at once)");
    let t = Instant::now();
    let mut c = kleine.log.verify(true, vec![]).await.unwrap();
    while !c.klaar {
        c = kleine.log.verify(false, vec![]).await.unwrap();
    }
    assert!(c.intact);
    println!(
        "== verification: {} entries in {:.2} s, {:.0} entries/s",
        c.tot,
        t.elapsed().as_secs_f64(),
        c.tot as f64 / t.elapsed().as_secs_f64()
    );
    let grote = nieuw().await;
    let p = Arc::clone(&populatie);
    let per_s = schrijf(&grote.log, groot, |i| mix(&p, i, begin)).await;
    grote.opslag.checkpoint_wal().unwrap();
    println!(
        "== writing: {groot} entries at {per_s:.0} entries/s; {:.1} bytes per entry",
        (grote.opslag.omvang() - basis) as f64 / groot as f64
    );

    // 4. Queries, interleaved.
    println!(
        "== queries at {klein} (A) and {groot} (B) entries, {rondes} rounds, ms: A min / median / max | B min / median / max | B/A per round min / median / max"
    );
    let client = populatie.caseloads[0][3];
    type Vraag = fn(
        Toegangslog,
        ClientId,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = usize> + Send>>;
    let vragen: [(&str, Vraag); 3] = [
        ("inzageOverzicht (who accessed one client)", |log, c| {
            Box::pin(async move { log.inzagers(c).await.unwrap().len() })
        }),
        ("a client's newest 100 entries", |log, c| {
            Box::pin(async move {
                log.search(Zoekopdracht {
                    client: Some(c),
                    aantal: 100,
                    ..Default::default()
                })
                .await
                .unwrap()
                .regels
                .len()
            })
        }),
        ("the log's newest 100 entries, one user", |log, _| {
            Box::pin(async move {
                log.search(Zoekopdracht {
                    gebruiker: Some("coach-0".into()),
                    aantal: 100,
                    ..Default::default()
                })
                .await
                .unwrap()
                .regels
                .len()
            })
        }),
    ];
    for (naam, vraag) in vragen {
        let (mut a, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rondes {
            let t = Instant::now();
            assert!(vraag(kleine.log.clone(), client).await > 0);
            let ta = ms(t.elapsed());
            let t = Instant::now();
            assert!(vraag(grote.log.clone(), client).await > 0);
            let tb = ms(t.elapsed());
            a.push(ta);
            b.push(tb);
            r.push(tb / ta);
        }
        println!(
            "{naam}: {} | {} | {}",
            samenvatting(&mut a),
            samenvatting(&mut b),
            samenvatting(&mut r)
        );
    }
}

//! The access log's contract, run against SQLite and (when `TRAJECT_TEST_POSTGRES_URL` is set)
//! PostgreSQL: searching and paging against a filter over every entry, the per-client overview,
//! writes with their entries through the inbox, entries of earlier versions moved on start,
//! tampering of every kind detected with the first bad entry's number, and archiving.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use traject_domain::value::ClientId;
use traject_store::testing::{TestSchema, postgres_url};
use traject_store::{
    Direction, EventStore, ExpectedRevision, ReadFrom, SqliteStore, StoreError, StreamAppend,
    StreamName,
};
use traject_toegangslog::{
    Actie, Anker, AppendError, LogError, LogKey, PostgresLog, ReadQuota, Resultaat, SqliteLog,
    Storage, Toegang, Toegangslog, Zoekopdracht,
};

/// A log on one backend, with raw access to its tables for the tampering tests.
struct Fixture {
    log: Toegangslog,
    store: Arc<dyn EventStore>,
    sleutel: std::path::PathBuf,
    ruw: Ruw,
    dir: tempfile::TempDir,
    _schema: Option<TestSchema>,
}

enum Ruw {
    Sqlite(std::path::PathBuf),
    Postgres(String, String),
}

impl Ruw {
    async fn voer_uit(&self, sql: &str) {
        let sql = sql.to_owned();
        match self {
            Ruw::Sqlite(pad) => {
                let c = rusqlite::Connection::open(pad).unwrap();
                c.execute_batch(&sql).unwrap();
            }
            Ruw::Postgres(url, schema) => {
                let (url, schema) = (url.clone(), schema.clone());
                tokio::task::spawn_blocking(move || {
                    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                    c.batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                        .unwrap();
                })
                .await
                .unwrap();
            }
        }
    }
}

/// Opens the log on `ruw`'s tables with `sleutel`.
async fn open(
    ruw: &Ruw,
    store: &Arc<dyn EventStore>,
    sleutel: LogKey,
) -> Result<Toegangslog, LogError> {
    let opslag = match ruw {
        Ruw::Sqlite(pad) => Storage::Sqlite(SqliteLog::open(pad)?),
        Ruw::Postgres(url, schema) => Storage::Postgres(PostgresLog::connect(url, schema).await?),
    };
    Toegangslog::open(opslag, sleutel, Arc::clone(store), ReadQuota::new(0)).await
}

impl Fixture {
    /// The log opened again on the same tables (a restart), with the key `sleutel`.
    async fn opnieuw(&self, sleutel: LogKey) -> Result<Toegangslog, LogError> {
        open(&self.ruw, &self.store, sleutel).await
    }
}

async fn sqlite() -> Option<Fixture> {
    let dir = tempfile::tempdir().unwrap();
    let pad = dir.path().join("toegangslog.sqlite");
    maak(dir, Ruw::Sqlite(pad), None).await
}

async fn postgres() -> Option<Fixture> {
    let schema = TestSchema::new(&postgres_url()?, "tl");
    let dir = tempfile::tempdir().unwrap();
    let ruw = Ruw::Postgres(schema.url.clone(), schema.name.clone());
    maak(dir, ruw, Some(schema)).await
}

async fn maak(dir: tempfile::TempDir, ruw: Ruw, schema: Option<TestSchema>) -> Option<Fixture> {
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let sleutel = dir.path().join("toegangslog.sleutel");
    let log = open(&ruw, &store, LogKey::load_or_create(&sleutel).unwrap())
        .await
        .unwrap();
    Some(Fixture {
        log,
        store,
        sleutel,
        ruw,
        dir,
        _schema: schema,
    })
}

fn client() -> ClientId {
    ClientId::new(uuid::Uuid::now_v7()).unwrap()
}

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).unwrap()
}

/// Entry `i` of a varied log over `clients`.
fn toegang(i: usize, clients: &[ClientId]) -> Toegang {
    let lijst = match i % 5 {
        0 => clients.to_vec(),
        1 => vec![],
        _ => vec![clients[i % clients.len()]],
    };
    Toegang {
        gebeurteniscode: ["caseload.lezen", "traject.lezen", "persoon.lezen"][i % 3].into(),
        actie: if i.is_multiple_of(11) {
            Actie::U
        } else {
            Actie::R
        },
        tijd: t0() + TimeDelta::minutes(i as i64),
        resultaat: if i.is_multiple_of(7) {
            Resultaat::Geweigerd
        } else {
            Resultaat::Gelukt
        },
        gebruiker: format!("coach-{}", i % 4),
        rol: if i % 4 == 3 { "teamleider" } else { "coach" }.into(),
        organisatie: i.is_multiple_of(2).then(|| "org-a".to_owned()),
        clients: lijst,
        traject: None,
        regel: "coach-eigen-client".into(),
        bron: "test".into(),
        correlatie: uuid::Uuid::now_v7(),
    }
}

/// Writes `n` entries concurrently (so the writer batches them) in time order.
async fn vul(log: &Toegangslog, n: usize, clients: &[ClientId]) -> Vec<Toegang> {
    let mut geschreven = Vec::new();
    for deel in (0..n).collect::<Vec<_>>().chunks(97) {
        let taken: Vec<_> = deel
            .iter()
            .map(|&i| {
                let log = log.clone();
                let t = toegang(i, clients);
                tokio::spawn(async move { log.write(t).await.unwrap() })
            })
            .collect();
        for taak in taken {
            taak.await.unwrap();
        }
        geschreven.extend(deel.iter().map(|&i| toegang(i, clients)));
    }
    geschreven
}

/// Writes `n` entries one after the other: each keeps the time it asked for.
async fn vul_op_volgorde(log: &Toegangslog, n: usize, clients: &[ClientId]) {
    for i in 0..n {
        log.write(toegang(i, clients)).await.unwrap();
    }
}

/// Every page of `z`, following the cursor.
async fn alle_paginas(log: &Toegangslog, mut z: Zoekopdracht) -> Vec<(u64, Toegang)> {
    let mut uit = Vec::new();
    loop {
        let p = log.search(z.clone()).await.unwrap();
        assert!(p.regels.len() <= z.aantal);
        uit.extend(p.regels.into_iter().map(|r| (r.nr, r.toegang)));
        match p.volgende {
            Some(v) => z.voor = Some(v),
            None => return uit,
        }
    }
}

async fn searching_and_paging_equal_a_filter_over_every_entry(f: Fixture) {
    let clients: Vec<ClientId> = (0..6).map(|_| client()).collect();
    vul(&f.log, 600, &clients).await;
    let alles = alle_paginas(
        &f.log,
        Zoekopdracht {
            aantal: 1000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(alles.len(), 600);
    assert!(
        alles.windows(2).all(|w| w[0].0 == w[1].0 + 1),
        "newest first, no gaps"
    );
    let in_tijd = |t: &Toegang, z: &Zoekopdracht| {
        z.van.is_none_or(|v| t.tijd >= v) && z.tot.is_none_or(|e| t.tijd < e)
    };
    let zoekopdrachten = [
        Zoekopdracht {
            client: Some(clients[2]),
            aantal: 7,
            ..Default::default()
        },
        Zoekopdracht {
            gebruiker: Some("coach-1".into()),
            aantal: 13,
            ..Default::default()
        },
        Zoekopdracht {
            rol: Some("teamleider".into()),
            resultaat: Some(Resultaat::Geweigerd),
            aantal: 5,
            ..Default::default()
        },
        Zoekopdracht {
            actie: Some(Actie::U),
            client: Some(clients[0]),
            aantal: 3,
            ..Default::default()
        },
        Zoekopdracht {
            van: Some(t0() + TimeDelta::minutes(100)),
            tot: Some(t0() + TimeDelta::minutes(250)),
            gebruiker: Some("coach-2".into()),
            aantal: 9,
            ..Default::default()
        },
        Zoekopdracht {
            gebruiker: Some("niemand".into()),
            aantal: 9,
            ..Default::default()
        },
    ];
    for z in zoekopdrachten {
        let verwacht: Vec<u64> = alles
            .iter()
            .filter(|(_, t)| {
                z.client.is_none_or(|c| t.clients.contains(&c))
                    && z.gebruiker.as_ref().is_none_or(|g| &t.gebruiker == g)
                    && z.rol.as_ref().is_none_or(|r| &t.rol == r)
                    && z.actie.is_none_or(|a| t.actie == a)
                    && z.resultaat.is_none_or(|r| t.resultaat == r)
                    && in_tijd(t, &z)
            })
            .map(|(nr, _)| *nr)
            .collect();
        let gevonden: Vec<u64> = alle_paginas(&f.log, z.clone())
            .await
            .into_iter()
            .map(|(nr, _)| nr)
            .collect();
        assert_eq!(gevonden, verwacht, "{z:?}");
    }
    // The per-client overview against a count over every entry.
    let overzicht = f.log.inzagers(clients[2]).await.unwrap();
    let mut verwacht: std::collections::BTreeMap<(String, String), (u64, u64)> = Default::default();
    for (_, t) in alles
        .iter()
        .filter(|(_, t)| t.clients.contains(&clients[2]))
    {
        let e = verwacht
            .entry((t.gebruiker.clone(), t.rol.clone()))
            .or_default();
        if t.resultaat == Resultaat::Gelukt {
            e.0 += 1
        } else {
            e.1 += 1
        }
    }
    let gekregen: std::collections::BTreeMap<_, _> = overzicht
        .iter()
        .map(|i| {
            (
                (i.gebruiker.clone(), i.rol.clone()),
                (i.gelukt, i.geweigerd),
            )
        })
        .collect();
    assert_eq!(gekregen, verwacht);
    assert!(overzicht.windows(2).all(|w| w[0].laatste >= w[1].laatste));
    assert!(overzicht[0].codes.contains(&"caseload.lezen".to_owned()));
}

async fn writes_are_stored_with_their_entry_or_refused_with_it(f: Fixture) {
    let c = client();
    let stream = StreamName::new("traject-x").unwrap();
    let deel = |expected| StreamAppend {
        stream: stream.clone(),
        expected,
        events: vec![traject_store::testing::test_event(serde_json::json!({}))],
    };
    let mut t = toegang(1, &[c]);
    t.actie = Actie::C;
    t.clients = vec![c];
    f.log
        .write_with(t.clone(), vec![deel(ExpectedRevision::NoStream)])
        .await
        .unwrap();
    let weigering = f
        .log
        .write_with(t.clone(), vec![deel(ExpectedRevision::NoStream)])
        .await;
    assert!(matches!(
        weigering,
        Err(AppendError::Store(StoreError::WrongExpectedVersion { .. }))
    ));
    let stored = f
        .store
        .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 10)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "the refused write stored nothing");
    let gezien = f
        .log
        .search(Zoekopdracht {
            client: Some(c),
            aantal: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .regels;
    let resultaten: Vec<Resultaat> = gezien.iter().map(|r| r.toegang.resultaat).collect();
    assert_eq!(resultaten.len(), 2, "{gezien:?}");
    assert!(resultaten.contains(&Resultaat::Gelukt) && resultaten.contains(&Resultaat::Geweigerd));
    assert!(f.log.verify(true, vec![]).await.unwrap().intact);
}

/// The entries earlier versions wrote to the stream (JSON with a plain hash chain) are in the
/// chain after a start, each once, also when started again.
async fn entries_of_earlier_versions_are_moved_once(f: Fixture) {
    let c = client();
    let oud: Vec<_> = (0..30)
        .map(|i| {
            let mut t = toegang(i, &[c]);
            t.tijd = t0() - TimeDelta::days(1) + TimeDelta::seconds(i as i64);
            let mut data = serde_json::to_value(&t).unwrap();
            data["namens"] = serde_json::Value::Null;
            data["vorige_hash"] = "00".repeat(32).into();
            data["hash"] = "11".repeat(32).into();
            traject_store::NewEvent {
                id: uuid::Uuid::now_v7(),
                event_type: "ToegangGelogd".into(),
                schema_version: 1,
                data,
                metadata: Default::default(),
                recorded_at: None,
            }
        })
        .collect();
    f.store
        .append(
            &StreamName::new("toegangslog").unwrap(),
            ExpectedRevision::Any,
            oud,
        )
        .await
        .unwrap();
    let sleutel = || LogKey::load(&f.sleutel).unwrap();
    for _ in 0..2 {
        let log = f.opnieuw(sleutel()).await.unwrap();
        let gevonden = alle_paginas(
            &log,
            Zoekopdracht {
                aantal: 100,
                ..Default::default()
            },
        )
        .await;
        assert_eq!(gevonden.len(), 30, "each moved once");
        assert!(log.verify(true, vec![]).await.unwrap().intact);
    }
}

/// Every kind of tampering is found, with the first bad entry's number; a log started with
/// another key refuses.
async fn tampering_is_detected(f: Fixture) {
    let clients: Vec<ClientId> = (0..3).map(|_| client()).collect();
    vul(&f.log, 200, &clients).await;
    let c = f.log.verify(false, vec![]).await.unwrap();
    assert!(c.intact, "{c:?}");
    assert_eq!((c.tot, c.nieuw_gecontroleerd), (200, 200));
    let export = f.log.checkpoint().await.unwrap().unwrap();
    assert_eq!(export.nr, 200);
    let tekst = export.als_tekst();
    assert_eq!(Anker::uit_tekst(&tekst), Some(export));
    vul(&f.log, 10, &clients).await;
    // Incremental: only the new ones.
    assert_eq!(
        f.log
            .verify(false, vec![])
            .await
            .unwrap()
            .nieuw_gecontroleerd,
        10
    );

    let breuk = |c: traject_toegangslog::Controle| {
        assert!(!c.intact);
        c.breuk.unwrap()
    };
    // Edit: another user on entry 120, then a word that does not exist.
    f.ruw
        .voer_uit("CREATE TABLE bewaard AS SELECT * FROM toegangslog_regel WHERE nr = 120; UPDATE toegangslog_regel SET gebruiker = (SELECT gebruiker FROM toegangslog_regel WHERE nr = 121) WHERE nr = 120 AND gebruiker <> (SELECT gebruiker FROM toegangslog_regel WHERE nr = 121); UPDATE toegangslog_regel SET gebruiker = gebruiker + 1 WHERE nr = 120 AND gebruiker = (SELECT gebruiker FROM bewaard)")
        .await;
    let b = breuk(f.log.verify(true, vec![]).await.unwrap());
    assert_eq!(b.nr, 120, "{b:?}");
    assert!(b.tijd.is_some());
    f.ruw
        .voer_uit("UPDATE toegangslog_regel SET gebruiker = 1000 WHERE nr = 120")
        .await;
    let b = breuk(f.log.verify(true, vec![]).await.unwrap());
    assert_eq!((b.nr, b.reden), (120, "regel onleesbaar"));
    f.ruw
        .voer_uit("UPDATE toegangslog_regel SET gebruiker = (SELECT gebruiker FROM bewaard) WHERE nr = 120; DROP TABLE bewaard")
        .await;
    assert!(f.log.verify(true, vec![]).await.unwrap().intact, "put back");

    // Reorder: two entries swap numbers.
    f.ruw
        .voer_uit("UPDATE toegangslog_regel SET nr = -1 WHERE nr = 50; UPDATE toegangslog_regel SET nr = 50 WHERE nr = 51; UPDATE toegangslog_regel SET nr = 51 WHERE nr = -1;")
        .await;
    assert_eq!(breuk(f.log.verify(true, vec![]).await.unwrap()).nr, 50);
    f.ruw
        .voer_uit("UPDATE toegangslog_regel SET nr = -1 WHERE nr = 50; UPDATE toegangslog_regel SET nr = 50 WHERE nr = 51; UPDATE toegangslog_regel SET nr = 51 WHERE nr = -1;")
        .await;
    assert!(f.log.verify(true, vec![]).await.unwrap().intact);

    // Delete in the middle.
    f.ruw
        .voer_uit("CREATE TABLE bewaard AS SELECT * FROM toegangslog_regel WHERE nr BETWEEN 90 AND 92; DELETE FROM toegangslog_regel WHERE nr BETWEEN 90 AND 92")
        .await;
    let b = breuk(f.log.verify(true, vec![]).await.unwrap());
    assert_eq!((b.nr, b.reden), (90, "regels ontbreken"));
    f.ruw
        .voer_uit("INSERT INTO toegangslog_regel SELECT * FROM bewaard; DROP TABLE bewaard")
        .await;
    assert!(f.log.verify(true, vec![]).await.unwrap().intact);

    // Truncate the tail, with the stored checkpoints and the verified place: the exported
    // checkpoint still finds it.
    f.ruw
        .voer_uit("DELETE FROM toegangslog_regel WHERE nr > 150; DELETE FROM toegangslog_checkpoint; DELETE FROM toegangslog_meta WHERE naam = 'gecontroleerd'")
        .await;
    let zonder = f.log.verify(true, vec![]).await.unwrap();
    assert!(
        zonder.intact,
        "a cut tail without any record of it looks whole: {zonder:?}"
    );
    let b = breuk(
        f.log
            .verify(true, vec![Anker::uit_tekst(&tekst).unwrap()])
            .await
            .unwrap(),
    );
    assert_eq!((b.nr, b.reden), (151, "de nieuwste regels zijn verwijderd"));
    // A forged checkpoint (another key) is refused as such.
    let vals = LogKey::random().anker("checkpoint", 100, t0(), [0; 16]);
    assert_eq!(
        breuk(f.log.verify(true, vec![vals]).await.unwrap()).reden,
        "checkpoint niet door deze log getekend"
    );
    // Another key: refused at start, naming the key it needs.
    assert!(matches!(
        f.opnieuw(LogKey::random()).await,
        Err(LogError::AndereSleutel { .. })
    ));
}

/// A tail cut below the last verified place is found without an export.
async fn a_tail_cut_below_the_verified_place_is_found(f: Fixture) {
    vul(&f.log, 40, &[client()]).await;
    assert!(f.log.verify(false, vec![]).await.unwrap().intact);
    f.ruw
        .voer_uit("DELETE FROM toegangslog_regel WHERE nr > 30; DELETE FROM toegangslog_checkpoint")
        .await;
    let c = f.log.verify(false, vec![]).await.unwrap();
    assert_eq!(c.breuk.unwrap().nr, 31);
}

/// The writer notices a head below the one it wrote (entries cut away under the running server),
/// and the break stays reported by the quick check until a full one finds the chain whole; a
/// full check rebuilds counts behind the per-client overview that were changed in the database.
async fn a_cut_under_the_server_and_a_changed_overview_are_found(f: Fixture) {
    let clients: Vec<ClientId> = (0..3).map(|_| client()).collect();
    vul_op_volgorde(&f.log, 60, &clients).await;
    // All sixty in the tables (a query waits for that), then cut.
    assert_eq!(f.log.alle().await.unwrap().len(), 60);
    f.ruw
        .voer_uit("DELETE FROM toegangslog_regel WHERE nr > 50; DELETE FROM toegangslog_checkpoint; DELETE FROM toegangslog_meta WHERE naam = 'gecontroleerd'")
        .await;
    f.log.write(toegang(61, &clients)).await.unwrap();
    for volledig in [false, false] {
        let c = f.log.verify(volledig, vec![]).await.unwrap();
        let b = c.breuk.expect("the cut is remembered");
        assert_eq!((b.nr, b.reden), (51, "de nieuwste regels zijn verwijderd"));
    }
    // A full check finds the chain from 1 to 51 whole (the new entry chains on the cut head).
    let c = f.log.verify(true, vec![]).await.unwrap();
    assert!(c.intact && c.klaar, "{c:?}");
    assert_eq!(c.tot, 51);

    let voor = f.log.inzagers(clients[1]).await.unwrap();
    assert!(!voor.is_empty());
    f.ruw.voer_uit("DELETE FROM toegangslog_inzage").await;
    assert!(f.log.inzagers(clients[1]).await.unwrap().is_empty());
    let c = f.log.verify(true, vec![]).await.unwrap();
    assert!(c.intact && c.overzicht_hersteld, "{c:?}");
    assert_eq!(f.log.inzagers(clients[1]).await.unwrap(), voor);
    let c = f.log.verify(true, vec![]).await.unwrap();
    assert!(!c.overzicht_hersteld, "built again, it holds");
}

async fn old_entries_archive_to_a_file_that_verifies(f: Fixture) {
    let clients = [client(), client()];
    vul_op_volgorde(&f.log, 300, &clients).await;
    let grens = t0() + TimeDelta::minutes(120);
    let alles = alle_paginas(
        &f.log,
        Zoekopdracht {
            aantal: 1000,
            ..Default::default()
        },
    )
    .await;
    // Entries written together may have been given a later time than asked (never earlier
    // than the one before): count what the log holds.
    let voor = alles.iter().filter(|(_, t)| t.tijd < grens).count() as u64;
    assert!(
        voor > 50
            && alles
                .iter()
                .all(|(nr, t)| (*nr <= voor) == (t.tijd < grens))
    );
    let pad = f.dir.path().join("archief-1.bin");
    let a = f.log.archive(grens, pad.clone()).await.unwrap();
    assert_eq!(a.regels, voor);
    let sleutel = LogKey::load(&f.sleutel).unwrap();
    let archief = traject_toegangslog::archief::verify(&pad, &sleutel).unwrap();
    assert_eq!(
        (archief.na.0, archief.tot.0, archief.regels),
        (0, voor, voor)
    );
    assert!(f.log.continues_from(archief.clone()).await.unwrap());
    let c = f.log.verify(true, vec![]).await.unwrap();
    assert!(c.intact, "{c:?}");
    assert_eq!((c.van, c.tot), (voor, 300));
    let live = alle_paginas(
        &f.log,
        Zoekopdracht {
            aantal: 1000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(live.len() as u64, 300 - voor);
    // A second archive joins the first.
    let pad2 = f.dir.path().join("archief-2.bin");
    f.log
        .archive(grens + TimeDelta::minutes(10), pad2.clone())
        .await
        .unwrap();
    let tweede = traject_toegangslog::archief::verify(&pad2, &sleutel).unwrap();
    assert_eq!((tweede.na, tweede.regels), (archief.tot, 10));
    assert!(f.log.verify(true, vec![]).await.unwrap().intact);
    // One byte changed in the file: refused.
    let mut bytes = std::fs::read(&pad).unwrap();
    bytes[200] ^= 1;
    std::fs::write(&pad, bytes).unwrap();
    assert!(traject_toegangslog::archief::verify(&pad, &sleutel).is_err());
    // Nothing to archive before the first entry.
    let leeg = f
        .log
        .archive(t0(), f.dir.path().join("archief-3.bin"))
        .await
        .unwrap();
    assert_eq!(leeg.regels, 0);
}

macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::sqlite().await.unwrap()).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(f) = super::postgres().await {
                        super::$test(f).await;
                    }
                }
            )*
        }
    };
}

/// An entry handed in (`dien_in`) is written whether or not its caller waits for it; the wait
/// (`duurzaam`) returns once it is durable, so a query begun then sees it. Handed in, in order:
/// entries whose callers went away are chained between the others, not lost.
async fn an_entry_handed_in_is_written_whether_or_not_its_caller_waits(f: Fixture) {
    let clients = [client(), client()];
    let eerst = f.log.dien_in(toegang(0, &clients)).await.unwrap();
    let weg = f.log.dien_in(toegang(1, &clients)).await.unwrap();
    drop(weg);
    let laatst = f.log.dien_in(toegang(2, &clients)).await.unwrap();
    eerst.duurzaam().await.unwrap();
    laatst.duurzaam().await.unwrap();
    let alle = f.log.alle().await.unwrap();
    let codes: Vec<_> = alle
        .iter()
        .map(|r| r.toegang.gebeurteniscode.clone())
        .collect();
    let verwacht: Vec<_> = (0..3)
        .map(|i| toegang(i, &clients).gebeurteniscode)
        .collect();
    assert_eq!(codes, verwacht);
    assert!(f.log.verify(true, vec![]).await.unwrap().intact);
}

contract!(
    an_entry_handed_in_is_written_whether_or_not_its_caller_waits,
    searching_and_paging_equal_a_filter_over_every_entry,
    writes_are_stored_with_their_entry_or_refused_with_it,
    entries_of_earlier_versions_are_moved_once,
    tampering_is_detected,
    a_tail_cut_below_the_verified_place_is_found,
    a_cut_under_the_server_and_a_changed_overview_are_found,
    old_entries_archive_to_a_file_that_verifies,
);

/// Embedded backend: a read's entry is durable in the journal before its caller hears back, and
/// chained onto the log by a second task. A log whose tables lack what the journal holds (a
/// server stopped before its mover, or a backup's copy) chains the rest once when it opens, in
/// order and under the same chain; a store copy takes them along.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_holds_what_the_tables_lack_until_it_is_chained_once() {
    let f = sqlite().await.unwrap();
    let Ruw::Sqlite(pad) = &f.ruw else {
        unreachable!()
    };
    let clients = [client(), client(), client()];
    let geschreven: Vec<Toegang> = (0..15).map(|i| toegang(i, &clients)).collect();
    for t in &geschreven[..5] {
        f.log.write(t.clone()).await.unwrap();
    }
    assert_eq!(
        f.log.alle().await.unwrap().len(),
        5,
        "a query waits for the mover"
    );
    // The log's tables as they are now, the journal as it will be after ten more entries: what a
    // crash between the journal and the mover leaves.
    let ander = tempfile::tempdir().unwrap();
    let kopie = ander.path().join("toegangslog.sqlite");
    rusqlite::Connection::open(pad)
        .unwrap()
        .execute("VACUUM INTO ?1", [kopie.to_str().unwrap()])
        .unwrap();
    for t in &geschreven[5..] {
        f.log.write(t.clone()).await.unwrap();
    }
    assert_eq!(f.log.alle().await.unwrap().len(), 15);
    let journaal = traject_toegangslog::journal_path(&kopie);
    assert!(traject_toegangslog::copy_journal(pad, &journaal).unwrap());
    let opslag = || Storage::Sqlite(SqliteLog::open(&kopie).unwrap());

    // A copy of the store (`traject kluis rewrite`) takes what the journal holds along.
    let nieuw = ander.path().join("nieuw.sqlite");
    let aantal = traject_toegangslog::copy(
        &opslag(),
        &Storage::Sqlite(SqliteLog::open(&nieuw).unwrap()),
        LogKey::load(&f.sleutel).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(aantal, 15);

    let lezen = |log: Toegangslog| async move {
        log.alle()
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.nr, r.toegang))
            .collect::<Vec<_>>()
    };
    let open_kopie = || async {
        Toegangslog::open(
            opslag(),
            LogKey::load(&f.sleutel).unwrap(),
            Arc::clone(&f.store),
            ReadQuota::new(0),
        )
        .await
        .unwrap()
    };
    let hersteld = open_kopie().await;
    let regels = lezen(hersteld.clone()).await;
    let verwacht: Vec<_> = geschreven
        .iter()
        .cloned()
        .map(traject_toegangslog::vorm::genormaliseerd)
        .enumerate()
        .map(|(i, t)| (i as u64 + 1, t))
        .collect();
    assert_eq!(
        regels, verwacht,
        "all fifteen, in order, numbered as written"
    );
    let c = hersteld.verify(true, vec![]).await.unwrap();
    assert!(c.intact && c.klaar && c.tot == 15, "{c:?}");
    assert_eq!(
        c.breuk, None,
        "the entries from the journal chain on the log's head"
    );

    // Opened again: nothing is chained twice, and the log goes on.
    let weer = open_kopie().await;
    assert_eq!(lezen(weer.clone()).await.len(), 15);
    weer.write(toegang(15, &clients)).await.unwrap();
    assert_eq!(lezen(weer.clone()).await.len(), 16);
    assert!(weer.verify(true, vec![]).await.unwrap().intact);

    // The copy holds the same fifteen, chained the same.
    let kopie_log = Toegangslog::open(
        Storage::Sqlite(SqliteLog::open(&nieuw).unwrap()),
        LogKey::load(&f.sleutel).unwrap(),
        Arc::clone(&f.store),
        ReadQuota::new(0),
    )
    .await
    .unwrap();
    assert_eq!(lezen(kopie_log.clone()).await, verwacht);
    assert!(kopie_log.verify(true, vec![]).await.unwrap().intact);
}

/// Embedded backend: when the journal's ring is full, the writer waits until the mover has
/// chained every batch in it and starts again at its beginning; nothing is lost or chained
/// twice across the turn, nor across a restart after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journal_goes_round_without_losing_an_entry() {
    let f = sqlite().await.unwrap();
    // Entries of 2,000 clients take 32 KB each in the journal: 2,100 of them go round its
    // 64 MiB once.
    let clients: Vec<ClientId> = (0..2_000).map(|_| client()).collect();
    let mut taken = Vec::new();
    for i in 0..2_100 {
        let log = f.log.clone();
        let mut t = toegang(i, &clients);
        t.clients = clients.clone();
        taken.push(tokio::spawn(async move { log.write(t).await }));
    }
    for taak in taken {
        taak.await.unwrap().unwrap();
    }
    let tel = |log: Toegangslog| async move {
        log.search(Zoekopdracht {
            aantal: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .regels[0]
            .nr
    };
    assert_eq!(tel(f.log.clone()).await, 2_100);
    let journaal = std::fs::metadata(traject_toegangslog::journal_path(
        &f.dir.path().join("toegangslog.sqlite"),
    ))
    .unwrap();
    assert_eq!(journaal.len(), 64 << 20, "the ring keeps its size");
    let weer = f.opnieuw(LogKey::load(&f.sleutel).unwrap()).await.unwrap();
    assert_eq!(tel(weer.clone()).await, 2_100, "nothing chained twice");
    // A full check of 2,100 entries of 2,000 clients each may take longer than the moment a
    // check waits before it answers how far it got (`klaar: false`); asked again, it answers
    // about the same check, so ask until it is done.
    let tot = tokio::time::Instant::now() + std::time::Duration::from_secs(300);
    let c = loop {
        let c = weer.verify(true, vec![]).await.unwrap();
        if c.klaar || tokio::time::Instant::now() > tot {
            break c;
        }
    };
    assert!(c.intact && c.klaar && c.tot == 2_100, "{c:?}");
}

/// Embedded backend: a command beside the server (an import, a check) opens the log without its
/// journal, which stays the server's: both write to the one chain in turn, and the server's
/// journal is neither read again nor started over by the command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_beside_the_server_leaves_the_journal_to_it() {
    let f = sqlite().await.unwrap();
    let Ruw::Sqlite(pad) = &f.ruw else {
        unreachable!()
    };
    let naast = Toegangslog::open_met(
        Storage::Sqlite(SqliteLog::open(pad).unwrap()),
        LogKey::load(&f.sleutel).unwrap(),
        Arc::clone(&f.store),
        ReadQuota::new(0),
        traject_toegangslog::Schrijvers::NaastServer,
    )
    .await
    .unwrap();
    let clients = [client(), client()];
    for i in 0..40 {
        let log = if i % 2 == 0 { &f.log } else { &naast };
        log.write(toegang(i, &clients)).await.unwrap();
    }
    assert_eq!(f.log.alle().await.unwrap().len(), 40);
    assert_eq!(naast.alle().await.unwrap().len(), 40);
    // The server restarted: what its journal holds is in the tables already.
    let weer = f.opnieuw(LogKey::load(&f.sleutel).unwrap()).await.unwrap();
    assert_eq!(weer.alle().await.unwrap().len(), 40);
    weer.write(toegang(40, &clients)).await.unwrap();
    // The command sees the server's entries once the server has chained them.
    assert_eq!(weer.alle().await.unwrap().len(), 41);
    assert_eq!(naast.alle().await.unwrap().len(), 41);
    assert!(weer.verify(true, vec![]).await.unwrap().intact);
}

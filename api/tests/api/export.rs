//! `traject publiceer` and `traject export`: a quarter released from the command line, and the
//! files of the release, the same bytes every time; exporting writes nothing.

use std::process::Command;

use traject_demo::{DemoOpties, load};
use traject_store::{Direction, EventStore, ReadFrom, SqliteStore, StreamName};

fn traject(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_traject"))
        .args(args)
        .env_remove("TRAJECT_STORE")
        .output()
        .expect("the binary runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_from_the_command_line_exports_the_same_bytes_and_exporting_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vandaag = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    {
        let store = SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap();
        let opties = DemoOpties {
            seed: 5,
            trajecten: 500,
            jaren: 2,
            vandaag,
        };
        load(&store, &opties, None, |_| {}).await.unwrap();
    }
    let store_dir = dir.path().display().to_string();
    let pad = |naam: &str| dir.path().join(naam).display().to_string();
    let export = |uit: &str, formaat: &str| {
        traject(&[
            "export", "--store", &store_dir, "--regio", "AM13", "--from", "2025Q1", "--to",
            "2026Q4", "--format", formaat, "--output", uit,
        ])
    };
    // Too early for the last quarter (it has not closed plus the lag); the one before is fine.
    let vroeg = traject(&["publiceer", "2026Q4", "--store", &store_dir]);
    assert!(!vroeg.status.success());
    assert!(String::from_utf8_lossy(&vroeg.stderr).contains("kan pas vanaf"));
    let vrijgegeven = traject(&["publiceer", "2026Q2", "--store", &store_dir]);
    assert!(
        vrijgegeven.status.success(),
        "{}",
        String::from_utf8_lossy(&vrijgegeven.stderr)
    );
    assert!(
        String::from_utf8_lossy(&vrijgegeven.stdout).contains("2026Q2 vrijgegeven als vrijgave 1")
    );
    let head = || async {
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap()
            .head()
            .await
            .unwrap()
    };
    let voor = head().await;
    for formaat in ["csv", "json", "xlsx"] {
        let (een, twee) = (
            pad(&format!("een.{formaat}")),
            pad(&format!("twee.{formaat}")),
        );
        let uit = export(&een, formaat);
        assert!(
            uit.status.success(),
            "{}",
            String::from_utf8_lossy(&uit.stderr)
        );
        assert!(export(&twee, formaat).status.success());
        let (een, twee) = (std::fs::read(een).unwrap(), std::fs::read(twee).unwrap());
        assert!(!een.is_empty());
        assert_eq!(een, twee, "{formaat}: the same data gives the same bytes");
    }
    let csv = std::fs::read_to_string(pad("een.csv")).unwrap();
    assert!(csv.starts_with("# titel: "), "{csv}");
    assert!(csv.contains("\n# bereik: AM13\n"));
    assert!(csv.contains("\nregio,regionaam,periode,methode,maat,waarde,verborgen\n"));
    assert!(
        csv.lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .all(|l| l.starts_with("AM13,"))
    );

    assert_eq!(head().await, voor, "exporting wrote to the store");
    assert!(
        csv.contains("\n# vrijgaven: 2026Q2 vrijgave 1 (peildatum "),
        "{csv}"
    );
    assert!(csv.contains("AM13,Midden-Utrecht,2026Q2,"));
    assert!(
        !csv.contains(",2026Q1,"),
        "a quarter without a release is not in the file"
    );
    // The release is one event in its quarter's stream, by the command line.
    let store = SqliteStore::open(dir.path().join("events.sqlite"))
        .await
        .unwrap();
    let vrijgaven = store
        .read_stream(
            &StreamName::new("vrijgave-2026Q2").unwrap(),
            ReadFrom::Start,
            Direction::Forwards,
            100,
        )
        .await
        .unwrap();
    assert_eq!(vrijgaven.len(), 1);
    assert_eq!(vrijgaven[0].metadata.actor.as_deref(), Some("cli"));
    drop(store);

    // Bad input names the field and the rule, and writes nothing.
    for (args, melding) in [
        (vec!["--from", "2025Q9", "--to", "2026Q4"], "from: "),
        (
            vec!["--from", "2025Q1", "--to", "2024Q4"],
            "to: mag niet voor het eerste kwartaal liggen",
        ),
        (
            vec!["--from", "2025Q1", "--to", "2026Q4", "--format", "pdf"],
            "format: moet csv, csv-nl, json of xlsx zijn",
        ),
        (
            vec!["--from", "2025Q1", "--to", "2026Q4", "--drempel", "3"],
            "drempel: mag niet lager zijn dan 5",
        ),
        (
            vec!["--from", "2025Q1", "--to", "2026Q4", "--regio", "AM99"],
            "regio",
        ),
    ] {
        let uit_pad = pad("fout.csv");
        let mut volledig = vec!["export", "--store", &store_dir, "--output", &uit_pad];
        volledig.extend(args.iter().copied());
        let uit = traject(&volledig);
        let stderr = String::from_utf8_lossy(&uit.stderr);
        assert!(!uit.status.success(), "{args:?}");
        assert!(stderr.contains(melding), "{args:?}: {stderr}");
        assert!(!dir.path().join("fout.csv").exists());
    }
}

/// A mistyped store path is refused by the commands that read a store, naming the path, and is
/// not made into an empty store.
#[test]
fn a_mistyped_store_is_refused_and_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let fout = dir.path().join("tikfout");
    let pad = fout.to_str().unwrap();
    for args in [
        vec![
            "export", "--store", pad, "--from", "2025Q1", "--to", "2025Q4",
        ],
        vec!["publiceer", "2025Q1", "--store", pad],
        vec![
            "toegangslog",
            "archive",
            "--store",
            pad,
            "--toegangslog-key",
            pad,
            "--before",
            "2019-01-01",
            "--to",
            pad,
        ],
    ] {
        let uit = traject(&args);
        assert!(!uit.status.success(), "{args:?}");
        let melding = String::from_utf8_lossy(&uit.stderr);
        assert!(
            melding.contains("bevat geen store") && melding.contains(pad),
            "{args:?}: {melding}"
        );
        assert!(!fout.exists(), "{args:?} made the mistyped path");
    }
}

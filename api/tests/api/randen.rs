//! The server's edges from outside, over HTTP against the started binary: the headers of every
//! answer, a JSON body with a code for every error (also those the HTTP layers make), a refused
//! token refused as HTTP does, a caller's text never echoed, development mode's guards, and the
//! modes of the files the server makes.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::binair::{Proces, klaar, vrije_poort};
use traject_api::auth::{Claims, mint, nu};

fn claims(sub: &str, rol: &str) -> Claims {
    Claims {
        sub: sub.to_owned(),
        name: None,
        roles: vec![rol.to_owned()],
        realm_access: None,
        organisatie: Some("org-rand".to_owned()),
        regio: Some("AM13".to_owned()),
        exp: nu() + 3600,
        iss: None,
        aud: None,
        nbf: None,
    }
}

/// A development server without `--jwt-secret` on a new directory; its output to `log`.
fn ontwikkelserver(dir: &std::path::Path, poort: u16, meer: &[&str]) -> Proces {
    Proces::van(
        Command::new(env!("CARGO_BIN_EXE_traject"))
            .args(["serve", "--store"])
            .arg(dir.join("data"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{poort}"))
            .args(meer)
            .env_remove("TRAJECT_STORE")
            .env_remove("TRAJECT_JWT_SECRET")
            .env_remove("TRAJECT_KLUIS_KEY")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.join("serve.log")).unwrap())
            .spawn()
            .unwrap(),
    )
}

/// Sends `verzoek` as it is over a new connection and reads the answer until the server closes
/// it (at most 10 s); the answer's head in lower case, its body as it is.
async fn ruw(poort: u16, verzoek: Vec<u8>) -> String {
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", poort)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        // The server may answer and close before everything is sent.
        let _ = s.write_all(&verzoek);
        let mut antwoord = Vec::new();
        let _ = s.read_to_end(&mut antwoord);
        let tekst = String::from_utf8_lossy(&antwoord).into_owned();
        match tekst.split_once("\r\n\r\n") {
            Some((kop, body)) => format!(
                "{}\r\n\r\n{body}",
                kop.to_ascii_lowercase().replacen("http/1.1", "HTTP/1.1", 1)
            ),
            None => tekst,
        }
    })
    .await
    .unwrap()
}

/// The error code of a JSON error body.
fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

fn controleer_koppen(r: &reqwest::Response) {
    assert_eq!(r.headers()["cache-control"], "no-store", "{:?}", r.url());
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_is_private_and_every_error_json_with_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let _server = ontwikkelserver(dir.path(), poort, &["--request-timeout", "1"]);
    let client = reqwest::Client::new();
    klaar(&client, &basis).await;
    let geheim = std::fs::read_to_string(dir.path().join("data.jwt.sleutel")).unwrap();
    let coach = mint(geheim.trim(), &claims("coach-rand", "coach"));

    // A query with personal data in reach, an export, the health checks.
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(&coach)
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    controleer_koppen(&r);
    for pad in ["/ready", "/health", "/export/cijfers?van=2025Q1&tot=2025Q1"] {
        let r = client
            .get(format!("{basis}{pad}"))
            .bearer_auth(&coach)
            .send()
            .await
            .unwrap();
        controleer_koppen(&r);
    }

    // 413 from the body limit (over a socket of its own: the server answers before the body is
    // in, which an HTTP client may report as a broken request).
    let antwoord = ruw(poort, {
        let mut v = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 71680\r\nConnection: close\r\n\r\n".to_vec();
        v.extend(std::iter::repeat_n(b' ', 70 * 1024));
        v
    })
    .await;
    assert!(antwoord.starts_with("HTTP/1.1 413"), "{antwoord}");
    assert!(
        antwoord.contains("\"code\":\"PAYLOAD_TOO_LARGE\""),
        "{antwoord}"
    );
    assert!(antwoord.contains("cache-control: no-store"), "{antwoord}");

    // 405 for another method.
    let r = client
        .delete(format!("{basis}/graphql"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(code(&r.json().await.unwrap()), "METHOD_NOT_ALLOWED");

    // 408 for a body that does not come in time (the timeout is 1 s here).
    let antwoord = ruw(
        poort,
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"qu".to_vec(),
    )
    .await;
    assert!(antwoord.starts_with("HTTP/1.1 408"), "{antwoord}");
    assert!(
        antwoord.contains("\"code\":\"REQUEST_TIMEOUT\"")
            && antwoord
                .to_ascii_lowercase()
                .contains("content-type: application/json"),
        "{antwoord}"
    );

    // A token that is sent and refused: 401 with the reason, also for a field that needs none.
    for token in [
        "kapot",
        &mint("een-ander-geheim-van-genoeg-tekens", &claims("x", "coach")),
    ] {
        let r = client
            .post(format!("{basis}/graphql"))
            .bearer_auth(token)
            .json(&json!({"query": "{ __typename }"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.headers()["www-authenticate"],
            "Bearer error=\"invalid_token\""
        );
        controleer_koppen(&r);
        assert_eq!(code(&r.json().await.unwrap()), "UNAUTHENTICATED");
    }

    // An event id that is a UUID but not v7: bad input naming the field, nothing written.
    let r: Value = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(&coach)
        .json(&json!({"query": r#"mutation { aanmelden(invoer: {datum: "2026-01-05", methode: IPS, regio: "AM13", organisatie: "org-rand", verwijzer: GGZ, financier: Gemeente, eventId: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}) { traject { id } } }"#}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(code(&r), "BAD_USER_INPUT", "{r}");
    assert_eq!(
        r["errors"][0]["extensions"]["veld"], "invoer.eventId",
        "{r}"
    );

    // The export never repeats a parameter name it does not know.
    let landelijk = mint(geheim.trim(), &claims("programma", "landelijk"));
    let r = client
        .get(format!(
            "{basis}/export/cijfers?van=2025Q1&tot=2025Q1&JanJansen=1"
        ))
        .bearer_auth(&landelijk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let tekst = r.text().await.unwrap();
    assert!(!tekst.contains("JanJansen"), "{tekst}");
    assert!(tekst.contains("BAD_USER_INPUT"), "{tekst}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn development_mode_has_a_secret_of_its_own_stays_on_loopback_and_keeps_files_private() {
    let dir = tempfile::tempdir().unwrap();
    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let server = ontwikkelserver(dir.path(), poort, &[]);
    let client = reqwest::Client::new();
    klaar(&client, &basis).await;

    // A random secret beside the data directory, the user's alone; a token signed with a
    // secret from elsewhere (the one earlier versions had in their source) is refused.
    let pad = dir.path().join("data.jwt.sleutel");
    assert_eq!(
        std::fs::metadata(&pad).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let geheim = std::fs::read_to_string(&pad).unwrap();
    assert!(geheim.trim().len() >= 64, "{geheim}");
    let oud = mint(
        "traject-ontwikkeling-niet-voor-productie",
        &claims("coach-rand", "coach"),
    );
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(&oud)
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // `traject token` signs with the directory's secret.
    let uit = Command::new(env!("CARGO_BIN_EXE_traject"))
        .args([
            "token",
            "--user",
            "coach-rand",
            "--role",
            "coach",
            "--store",
        ])
        .arg(dir.path().join("data"))
        .env_remove("TRAJECT_JWT_SECRET")
        .output()
        .unwrap();
    assert!(uit.status.success());
    let token = String::from_utf8(uit.stdout).unwrap();
    // A token of no hours (still accepted for the clock leeway) or of more hours than the claim
    // holds is refused, naming the flag and its bounds; nothing is printed on standard output.
    for uren in ["0", "18446744073709551615", "8785", "-1"] {
        let uit = Command::new(env!("CARGO_BIN_EXE_traject"))
            .args(["token", "--user", "coach-rand", "--role", "coach"])
            .arg(format!("--hours={uren}"))
            .arg("--store")
            .arg(dir.path().join("data"))
            .env_remove("TRAJECT_JWT_SECRET")
            .output()
            .unwrap();
        let fout = String::from_utf8_lossy(&uit.stderr);
        assert!(!uit.status.success(), "--hours {uren}");
        assert!(uit.stdout.is_empty(), "--hours {uren}");
        assert!(fout.contains("--hours"), "--hours {uren}: {fout}");
    }
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(token.trim())
        .json(&json!({"query": "{ caseload { totaal } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Every file the server made in the data directory is 0600, the directory 0700.
    let data = dir.path().join("data");
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for entry in std::fs::read_dir(&data).unwrap() {
        let entry = entry.unwrap();
        let modus = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(modus, 0o600, "{}", entry.path().display());
    }
    drop(server);
    let log = std::fs::read_to_string(dir.path().join("serve.log")).unwrap();
    assert!(log.contains("ONTWIKKELMODUS"), "no banner: {log}");

    // Not on another address than loopback unless told.
    let uit = Command::new(env!("CARGO_BIN_EXE_traject"))
        .args(["serve", "--store"])
        .arg(dir.path().join("ander"))
        .args(["--listen", "0.0.0.0:0"])
        .env_remove("TRAJECT_STORE")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let fout = String::from_utf8_lossy(&uit.stderr);
    assert!(!uit.status.success());
    assert!(
        fout.contains("--listen 0.0.0.0:0") && fout.contains("--development-on-network"),
        "{fout}"
    );
}

/// The data directory, its keys and snapshots are ignored by git, so no `git add .` takes them.
#[test]
fn the_data_directory_and_its_keys_are_ignored_by_git() {
    let wortel = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let uit = Command::new("git")
        .arg("-C")
        .arg(&wortel)
        .args([
            "check-ignore",
            "--no-index",
            "traject-data/events.sqlite",
            "traject-data.kluis.sleutel",
            "traject-data.kluis.toegangslog.sleutel",
            "traject-data.jwt.sleutel",
            "traject-data/projecties.snapshot",
            "elders/projecties.snapshot",
        ])
        .output();
    let Ok(uit) = uit else {
        eprintln!("skipped: git is not installed");
        return;
    };
    if String::from_utf8_lossy(&uit.stderr).contains("not a git repository") {
        eprintln!("skipped: not a git checkout");
        return;
    }
    assert_eq!(
        String::from_utf8_lossy(&uit.stdout).lines().count(),
        6,
        "{}{}",
        String::from_utf8_lossy(&uit.stdout),
        String::from_utf8_lossy(&uit.stderr)
    );
}

pub(crate) mod socket {
    //! The WebSocket's edges: the token's expiry closes the connection, a refused token refuses
    //! it, only subscriptions run there, messages are limited as HTTP bodies, errors cleaned.

    use futures::{SinkExt, StreamExt};
    use serde_json::{Value, json};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    use super::{claims, ontwikkelserver};
    use crate::binair::{klaar, vrije_poort};
    use traject_api::auth::{mint, nu};

    pub(crate) type Socket = tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >;

    pub(crate) async fn verbind(poort: u16, token: &str) -> Socket {
        let mut verzoek = format!("ws://127.0.0.1:{poort}/graphql/ws")
            .into_client_request()
            .unwrap();
        verzoek.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(verzoek).await.unwrap();
        stuur(
            &mut socket,
            json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}),
        )
        .await;
        socket
    }

    pub(crate) async fn stuur(socket: &mut Socket, bericht: Value) {
        socket
            .send(Message::Text(bericht.to_string().into()))
            .await
            .unwrap();
    }

    /// The next text message, or the close frame's code (`None` when the connection ended
    /// without one), at most `s` seconds.
    pub(crate) async fn volgende(socket: &mut Socket, s: u64) -> Result<Value, Option<u16>> {
        loop {
            let bericht = tokio::time::timeout(std::time::Duration::from_secs(s), socket.next())
                .await
                .expect("an answer in time");
            match bericht {
                Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t).unwrap()),
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// Skips `connection_ack`, pings and the completion of an operation.
    pub(crate) async fn antwoord(socket: &mut Socket, s: u64) -> Result<Value, Option<u16>> {
        loop {
            let v = volgende(socket, s).await?;
            if !matches!(
                v["type"].as_str(),
                Some("connection_ack" | "ping" | "pong" | "complete")
            ) {
                return Ok(v);
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_socket_must_initialise_in_time_and_open_sockets_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let poort = vrije_poort();
        let _server = ontwikkelserver(
            dir.path(),
            poort,
            &["--header-timeout", "2", "--max-connections", "4"],
        );
        klaar(
            &reqwest::Client::new(),
            &format!("http://127.0.0.1:{poort}"),
        )
        .await;
        let geheim = std::fs::read_to_string(dir.path().join("data.jwt.sleutel")).unwrap();
        let coach = mint(geheim.trim(), &claims("coach-rand", "coach"));
        let verzoek = || {
            let mut v = format!("ws://127.0.0.1:{poort}/graphql/ws")
                .into_client_request()
                .unwrap();
            v.headers_mut().insert(
                "Sec-WebSocket-Protocol",
                "graphql-transport-ws".parse().unwrap(),
            );
            v
        };

        // A socket that never sends connection_init is closed after the header time, 4408.
        let (mut stil, _) = tokio_tungstenite::connect_async(verzoek()).await.unwrap();
        let begin = std::time::Instant::now();
        assert_eq!(
            volgende(&mut stil, 10).await.err(),
            Some(Some(traject_api::socket::GEEN_INIT))
        );
        assert!(begin.elapsed() < std::time::Duration::from_secs(6));

        // Half the connection cap (2 of 4) may be sockets; a third is refused with 503.
        let mut open = Vec::new();
        for _ in 0..2 {
            let mut s = verbind(poort, &coach).await;
            assert_eq!(antwoord_of_ack(&mut s).await, "connection_ack");
            open.push(s);
        }
        match tokio_tungstenite::connect_async(verzoek()).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 503),
            anders => panic!("a third socket: {:?}", anders.map(|_| ())),
        }
        drop(open);
    }

    /// The first message's type (the `connection_ack` after a good init).
    async fn antwoord_of_ack(socket: &mut Socket) -> String {
        volgende(socket, 10).await.unwrap()["type"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_socket_keeps_the_edges_of_http() {
        let dir = tempfile::tempdir().unwrap();
        let poort = vrije_poort();
        let _server = ontwikkelserver(dir.path(), poort, &[]);
        klaar(
            &reqwest::Client::new(),
            &format!("http://127.0.0.1:{poort}"),
        )
        .await;
        let geheim = std::fs::read_to_string(dir.path().join("data.jwt.sleutel")).unwrap();
        let geheim = geheim.trim();
        let subscribe = json!({"id": "1", "type": "subscribe",
            "payload": {"query": "subscription { caseloadGewijzigd { totaal } }"}});

        // A token expired 25 s ago is still within the 30 s leeway: served, then the
        // connection is closed when the leeway is over, with 4401.
        let mut bijna = claims("coach-rand", "coach");
        bijna.exp = nu() - 25;
        let mut socket = verbind(poort, &mint(geheim, &bijna)).await;
        stuur(&mut socket, subscribe.clone()).await;
        let eerste = antwoord(&mut socket, 10).await.unwrap();
        assert_eq!(eerste["type"], "next", "{eerste}");
        let begin = std::time::Instant::now();
        let einde = loop {
            match antwoord(&mut socket, 15).await {
                Ok(_) => continue,
                Err(code) => break code,
            }
        };
        assert_eq!(einde, Some(traject_api::socket::VERLOPEN));
        assert!(begin.elapsed() < std::time::Duration::from_secs(12));

        // A token past its leeway is refused at init: the connection closes, nothing served.
        let mut verlopen = claims("coach-rand", "coach");
        verlopen.exp = nu() - 120;
        let mut socket = verbind(poort, &mint(geheim, &verlopen)).await;
        stuur(&mut socket, subscribe.clone()).await;
        let uit = antwoord(&mut socket, 10).await;
        assert!(uit.is_err(), "served on an expired token: {uit:?}");

        // Only subscriptions: a mutation over the socket is refused with a code, nothing runs.
        let coach = mint(geheim, &claims("coach-rand", "coach"));
        let mut socket = verbind(poort, &coach).await;
        stuur(
            &mut socket,
            json!({"id": "2", "type": "subscribe", "payload": {"query":
                r#"mutation { aanmelden(invoer: {datum: "2026-01-05", methode: IPS, regio: "AM13", organisatie: "org-rand", verwijzer: GGZ, financier: Gemeente}) { traject { id } } }"#}}),
        )
        .await;
        let fout = antwoord(&mut socket, 10).await.unwrap();
        let fouten = if fout["type"] == "error" {
            fout["payload"].clone()
        } else {
            fout["payload"]["errors"].clone()
        };
        assert_eq!(fouten[0]["extensions"]["code"], "BAD_REQUEST", "{fout}");

        // An engine error is cleaned as over HTTP: the caller's words do not come back.
        stuur(
            &mut socket,
            json!({"id": "3", "type": "subscribe",
                "payload": {"query": "subscription { caseloadGewijzigd { JanJansen } }"}}),
        )
        .await;
        let fout = antwoord(&mut socket, 10).await.unwrap();
        assert!(!fout.to_string().contains("JanJansen"), "{fout}");
        assert!(fout.to_string().contains("BAD_USER_INPUT"), "{fout}");

        // The request limits of HTTP hold on the socket too: more aliases than allowed are
        // refused with a code before anything runs.
        let velen: String = (0..21)
            .map(|i| format!("a{i}: caseloadGewijzigd {{ totaal }} "))
            .collect();
        stuur(
            &mut socket,
            json!({"id": "5", "type": "subscribe",
                "payload": {"query": format!("subscription {{ {velen} }}")}}),
        )
        .await;
        let fout = antwoord(&mut socket, 10).await.unwrap();
        assert!(fout.to_string().contains("aliassen"), "{fout}");
        assert!(fout.to_string().contains("BAD_REQUEST"), "{fout}");

        // So does the limit on nested brackets, before the parser.
        stuur(
            &mut socket,
            json!({"id": "6", "type": "subscribe",
                "payload": {"query": format!("subscription {{ caseloadGewijzigd(x: {}{}) {{ totaal }} }}", "[".repeat(2_000), "]".repeat(2_000))}}),
        )
        .await;
        let fout = antwoord(&mut socket, 10).await.unwrap();
        assert!(fout.to_string().contains("haakjes"), "{fout}");
        assert!(fout.to_string().contains("BAD_REQUEST"), "{fout}");

        // A message larger than an HTTP body may be ends the connection.
        let groot = json!({"id": "4", "type": "subscribe",
            "payload": {"query": format!("subscription {{ caseloadGewijzigd {{ totaal }} }} #{}", "x".repeat(80 * 1024))}});
        let _ = socket.send(Message::Text(groot.to_string().into())).await;
        let mut gesloten = false;
        for _ in 0..10 {
            match antwoord(&mut socket, 10).await {
                Ok(v) => assert_ne!(v["id"], "4", "an 80 KiB message was served: {v}"),
                Err(_) => {
                    gesloten = true;
                    break;
                }
            }
        }
        assert!(
            gesloten,
            "the connection stayed open after an 80 KiB message"
        );
    }
}

mod grenzen {
    //! Connections and requests within bounds: slow and idle connections are closed, the number
    //! of connections is capped, requests are rate limited per user and per address with a
    //! clear code, and aliases and peildata per request are limited.

    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    use serde_json::{Value, json};

    use super::{claims, ontwikkelserver};
    use crate::binair::{klaar, vrije_poort};
    use traject_api::auth::mint;

    /// Seconds until the server closes a connection that sent `begin` and then nothing.
    fn gesloten_na(poort: u16, begin: &[u8]) -> f64 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", poort)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let t = Instant::now();
        s.write_all(begin).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        t.elapsed().as_secs_f64()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn slow_and_idle_connections_are_closed_and_their_number_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        let poort = vrije_poort();
        let _server = ontwikkelserver(
            dir.path(),
            poort,
            &["--header-timeout", "2", "--max-connections", "4"],
        );
        let client = reqwest::Client::new();
        klaar(&client, &format!("http://127.0.0.1:{poort}")).await;
        let (traag, stil, na_verzoek) = tokio::task::spawn_blocking(move || {
            (
                // Headers trickled and never finished.
                gesloten_na(poort, b"GET /health HTTP/1.1\r\nHost: x\r\n"),
                // Nothing sent at all.
                gesloten_na(poort, b""),
                // A request answered, then the connection left idle.
                gesloten_na(poort, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"),
            )
        })
        .await
        .unwrap();
        for (wat, s) in [("trickled", traag), ("silent", stil), ("idle", na_verzoek)] {
            assert!(
                (1.5..6.0).contains(&s),
                "{wat} connection closed after {s:.1} s"
            );
        }

        // Four silent connections take every place: a fifth client waits in the backlog until
        // the server closes one of them, and is then served.
        let stille: Vec<_> = (0..4)
            .map(|_| std::net::TcpStream::connect(("127.0.0.1", poort)).unwrap())
            .collect();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let t = Instant::now();
        let r = client
            .get(format!("http://127.0.0.1:{poort}/health"))
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let wacht = t.elapsed().as_secs_f64();
        assert!(
            wacht > 1.0,
            "served after {wacht:.1} s while every place was taken"
        );
        drop(stille);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_are_limited_per_user_per_address_and_in_cost() {
        let dir = tempfile::tempdir().unwrap();
        let poort = vrije_poort();
        let basis = format!("http://127.0.0.1:{poort}");
        let _server = ontwikkelserver(
            dir.path(),
            poort,
            &["--requests-per-user", "2", "--requests-per-address", "20"],
        );
        let client = reqwest::Client::new();
        klaar(&client, &basis).await;
        let geheim = std::fs::read_to_string(dir.path().join("data.jwt.sleutel")).unwrap();
        let coach = mint(geheim.trim(), &claims("coach-rand", "coach"));
        let gql = |token: String, body: Value| {
            let client = client.clone();
            let url = format!("{basis}/graphql");
            async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
            }
        };

        // One user: a burst of four, then 429 with a code and when to try again.
        let mut statussen = Vec::new();
        let mut geweigerd = None;
        for _ in 0..8 {
            let r = gql(coach.clone(), json!({"query": "{ __typename }"})).await;
            statussen.push(r.status().as_u16());
            if r.status() == 429 {
                assert!(r.headers().contains_key("retry-after"));
                geweigerd = Some(r.json::<Value>().await.unwrap());
            }
        }
        assert!(
            statussen.contains(&200) && statussen.contains(&429),
            "{statussen:?}"
        );
        assert_eq!(
            geweigerd.unwrap()["errors"][0]["extensions"]["code"],
            "RATE_LIMITED"
        );
        // Another user is not held back by the first.
        let ander = mint(geheim.trim(), &claims("coach-ander", "coach"));
        let r = gql(ander, json!({"query": "{ __typename }"})).await;
        assert_eq!(r.status(), 200);

        // Costly requests: more aliases or more distinct peildata than allowed are refused
        // before anything runs (variables count with their values).
        tokio::time::sleep(Duration::from_secs(3)).await;
        // And each regioCijfers computes the figures of every region and quarter it asks: one
        // per request.
        let aliassen: String = (0..21).map(|i| format!("a{i}: __typename ")).collect();
        for (wie, rol, verzoek, regel) in [
            (
                "coach-3",
                "coach",
                json!({"query": format!("{{ {aliassen} }}")}),
                "aliassen",
            ),
            (
                "coach-4",
                "coach",
                json!({
                    "query": "query($a: NaiveDate, $b: NaiveDate) { a: caseload(peildatum: $a) { totaal } b: caseload(peildatum: $b) { totaal } c: caseload(peildatum: \"2024-03-01\") { totaal } d: caseload(peildatum: \"2024-04-01\") { totaal } }",
                    "variables": {"a": "2024-01-01", "b": "2024-02-01"}
                }),
                "peildata",
            ),
            (
                "landelijk-1",
                "landelijk",
                json!({
                    "query": "{ a: regioCijfers(van: \"2024Q1\", tot: \"2025Q4\", voorlopig: true) { __typename } b: regioCijfers(van: \"2024Q1\", tot: \"2025Q4\", voorlopig: true) { __typename } }"
                }),
                "regioCijfers",
            ),
            // 2,000 nested brackets in 4 KB overflowed the parser's stack and stopped the
            // server; the requests after this one show that it still runs.
            (
                "coach-5",
                "coach",
                json!({"query": format!("{{ __typename(x: {}{}) }}", "[".repeat(2_000), "]".repeat(2_000))}),
                "haakjes",
            ),
        ] {
            let r = gql(mint(geheim.trim(), &claims(wie, rol)), verzoek).await;
            assert_eq!(r.status(), 400, "{regel}");
            let body: Value = r.json().await.unwrap();
            let bericht = body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(bericht.contains(regel), "{body}");
        }
        // The same over GET, without a token.
        let diep = format!("{{ me(x: {}{}) }}", "[".repeat(2_000), "]".repeat(2_000));
        let r = client
            .get(format!("{basis}/graphql"))
            .query(&[("query", diep.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        assert!(body.to_string().contains("haakjes"), "{body}");
        let r = client.get(format!("{basis}/health")).send().await.unwrap();
        assert!(
            r.status().is_success() || r.status() == 429,
            "{}",
            r.status()
        );

        // One address: /health sent as fast as possible meets the address's limit.
        let mut te_veel = false;
        for _ in 0..100 {
            let r = client.get(format!("{basis}/health")).send().await.unwrap();
            if r.status() == 429 {
                te_veel = true;
                break;
            }
        }
        assert!(
            te_veel,
            "100 requests at once from one address were all served"
        );
    }
}

//! The `traject` binary as a test runs it from outside: a free port, a server on a store, and
//! waiting until it is ready. A started server is killed when its [`Proces`] is dropped, so a
//! failing test leaves no server behind.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A port nothing listens on now.
pub fn vrije_poort() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `traject serve` on `store` with the master key `sleutel` and the token secret `geheim`, at
/// `poort`, its output discarded.
pub fn start(store: &str, sleutel: &std::path::Path, geheim: &str, poort: u16) -> Proces {
    start_met(store, sleutel, geheim, poort, &[])
}

/// [`start`] with more flags. The rate limits are off unless `meer` sets them: a test that
/// writes as fast as it can as one coach tests something else than the limit.
pub fn start_met(
    store: &str,
    sleutel: &std::path::Path,
    geheim: &str,
    poort: u16,
    meer: &[&str],
) -> Proces {
    let mut command = Command::new(env!("CARGO_BIN_EXE_traject"));
    command
        .args(["serve", "--store", store, "--listen"])
        .arg(format!("127.0.0.1:{poort}"))
        .args(["--jwt-secret", geheim, "--kluis-key"])
        .arg(sleutel);
    for limiet in ["--requests-per-address", "--requests-per-user"] {
        if !meer.contains(&limiet) {
            command.args([limiet, "0"]);
        }
    }
    Proces::van(
        command
            .args(meer)
            .env_remove("TRAJECT_STORE")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    )
}

/// A child process that is killed (SIGKILL) and reaped when dropped, also when a test panics.
pub struct Proces(Option<Child>);

impl Proces {
    /// Watches `child`.
    pub fn van(child: Child) -> Self {
        Self(Some(child))
    }

    /// Stops it as an operator does (SIGTERM: open requests finish, the snapshot is saved) and
    /// waits for it to end.
    pub fn stop_netjes(&mut self) -> std::process::ExitStatus {
        let gestuurd = Command::new("kill")
            .args(["-TERM", &self.id().to_string()])
            .status()
            .unwrap();
        assert!(gestuurd.success(), "SIGTERM not sent");
        self.wait().unwrap()
    }

    /// Waits for it to end and collects its piped output.
    pub fn wait_with_output(mut self) -> std::process::Output {
        self.0
            .take()
            .expect("a process until dropped")
            .wait_with_output()
            .unwrap()
    }
}

impl std::ops::Deref for Proces {
    type Target = Child;
    fn deref(&self) -> &Child {
        self.0.as_ref().expect("a process until dropped")
    }
}

impl std::ops::DerefMut for Proces {
    fn deref_mut(&mut self) -> &mut Child {
        self.0.as_mut().expect("a process until dropped")
    }
}

impl Drop for Proces {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take()
            && child.try_wait().ok().flatten().is_none()
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits until the server answers `/ready` (the projections caught up with the store), at most
/// a minute: the real signal, asked for every 50 ms.
pub async fn klaar(client: &reqwest::Client, basis: &str) {
    for _ in 0..1200 {
        if let Ok(r) = client.get(format!("{basis}/ready")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready within a minute");
}

/// A PostgreSQL database of its own for one test, made beside the database of a test URL (the
/// server keeps its store in the schema `traject`).
pub struct EigenDatabase {
    /// Its name.
    pub naam: String,
    pub url: String,
    beheer: tokio_postgres::Client,
}

impl EigenDatabase {
    /// A new database named `<voorvoegsel>_<uuid>` beside the database of `url`.
    pub async fn maak(url: &str, voorvoegsel: &str) -> Self {
        let naam = format!("{voorvoegsel}_{}", uuid::Uuid::now_v7().simple());
        let (beheer, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        beheer
            .batch_execute(&format!("CREATE DATABASE {naam}"))
            .await
            .unwrap();
        let (basis, _) = url.rsplit_once('/').unwrap();
        let url = format!("{basis}/{naam}");
        Self { naam, url, beheer }
    }

    /// Drops it (also while a connection is still open).
    pub async fn weg(self) {
        let _ = self
            .beheer
            .batch_execute(&format!("DROP DATABASE {} WITH (FORCE)", self.naam))
            .await;
    }
}

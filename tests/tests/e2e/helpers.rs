//! Spawns the real application on a fresh store (a new SQLite directory, or a new schema in the
//! PostgreSQL database named by `TRAJECT_TEST_POSTGRES_URL`), mints tokens, and sends raw GraphQL
//! requests ([`Server::gql`]); the typed requests a scenario reads like are in `api.rs`.

use std::sync::Arc;

use serde_json::{Value, json};
use traject_api::app::Application;
use traject_api::auth::{Claims, mint, nu};
use traject_api::config::{Secret, ServeConfig};
use traject_api::kluis::Kluisdienst;
use traject_api::kluis::storage::{Kluis, PostgresKluis, SqliteKluis};
use traject_projections::Projecties;
use traject_store::testing::{TestSchema, postgres_url};
use traject_store::{EventStore, PostgresStore, SqliteStore};

/// Runs each named scenario (`async fn(Server)`) as two tests: on the embedded store, and on
/// PostgreSQL (skipped, and said so, without `TRAJECT_TEST_POSTGRES_URL`; a failure with
/// `TRAJECT_REQUIRE_POSTGRES=1`).
macro_rules! op_elke_store {
    ($($naam:ident),* $(,)?) => {
        $(
            mod $naam {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let server = $crate::helpers::start().await;
                    super::$naam(server).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(server) = $crate::helpers::start_postgres().await {
                        super::$naam(server).await;
                    }
                }
            }
        )*
    };
}

pub const SECRET: &str = "e2e-geheim";

pub fn vandaag() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub struct Server {
    pub url: String,
    pub client: reqwest::Client,
    /// The store the server runs on, to look at what it wrote.
    pub store: Arc<dyn EventStore>,
    /// The directory of the embedded store (and of the vault's key file).
    pub dir: tempfile::TempDir,
    /// The PostgreSQL schema, when the server runs on PostgreSQL.
    pub schema: Option<TestSchema>,
    /// The server's read models, to wait until they show what a test wrote to the store.
    pub projecties: Arc<Projecties>,
    /// The server's access log, to look at what it logged.
    pub log: traject_api::toegangslog::Toegangslog,
    /// How many requests the caseload's direct path answered.
    pub direct: Arc<traject_api::direct::Teller>,
}

impl Server {
    /// Every entry of the access log, oldest first.
    pub async fn logregels(&self) -> Vec<traject_api::toegangslog::Logregel> {
        self.log.alle().await.unwrap()
    }
}

/// The server on a fresh embedded store.
pub async fn start() -> Server {
    start_met(|_| {}).await
}

/// The server on a fresh embedded store, its configuration changed by `pas_aan` first.
pub async fn start_met(pas_aan: impl FnOnce(&mut ServeConfig)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(dir.path());
    pas_aan(&mut config);
    let store = SqliteStore::open(dir.path().join("events.sqlite"))
        .await
        .unwrap();
    let kluis: Arc<dyn Kluis> =
        Arc::new(SqliteKluis::open(&dir.path().join("events.sqlite")).unwrap());
    start_op(Arc::new(store), kluis, dir, None, config).await
}

/// The server on a fresh PostgreSQL schema, or `None` after saying the test is skipped.
pub async fn start_postgres() -> Option<Server> {
    let schema = TestSchema::new(&postgres_url()?, "e2e");
    let store = PostgresStore::connect(schema.config())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at TRAJECT_TEST_POSTGRES_URL is unreachable: {e}"));
    let kluis: Arc<dyn Kluis> = Arc::new(
        PostgresKluis::connect(&schema.url, &schema.name, 4)
            .await
            .unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    Some(start_op(Arc::new(store), kluis, dir, Some(schema), config).await)
}

/// The server on a fresh embedded store with `trajecten` national demo trajectories and their
/// clients' names in the vault, loaded as `traject serve --demo` loads them, once its read
/// models show them all.
pub async fn start_demo(trajecten: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let kluis: Arc<dyn Kluis> =
        Arc::new(SqliteKluis::open(&dir.path().join("events.sqlite")).unwrap());
    let opties = traject_demo::DemoOpties {
        trajecten,
        ..traject_demo::DemoOpties::landelijk(vandaag())
    };
    let dienst = kluisdienst(&config, Arc::clone(&kluis)).await;
    traject_api::demo::fill_kluis_if_empty(&dienst, &opties)
        .await
        .unwrap();
    traject_api::demo::load_if_empty(Arc::clone(&store), dienst, &opties)
        .await
        .unwrap();
    let head = store.head().await.unwrap().expect("demo events written");
    let server = start_op(store, kluis, dir, None, config).await;
    server
        .projecties
        .wait_for(head, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    server
}

/// The vault over `kluis` with the key file of a test's `config`.
pub async fn kluisdienst(config: &ServeConfig, kluis: Arc<dyn Kluis>) -> Arc<Kluisdienst> {
    Arc::new(
        Kluisdienst::start(kluis, config.hoofdsleutel().unwrap())
            .await
            .unwrap(),
    )
}

async fn start_op(
    store: Arc<dyn EventStore>,
    kluis: Arc<dyn Kluis>,
    dir: tempfile::TempDir,
    schema: Option<TestSchema>,
    config: ServeConfig,
) -> Server {
    let kluis = kluisdienst(&config, kluis).await;
    let app = Application::build(&config, Arc::clone(&store), kluis, vandaag)
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{}/graphql", app.poort());
    let projecties = app.projecties();
    let log = app.toegangslog();
    let direct = app.direct();
    tokio::spawn(app.run(std::future::pending()));
    Server {
        url,
        client: reqwest::Client::new(),
        store,
        dir,
        schema,
        projecties,
        log,
        direct,
    }
}

/// The configuration of a test server on any free port, its store in `dir`.
pub fn config(dir: &std::path::Path) -> ServeConfig {
    ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some(Secret(SECRET.to_owned())),
        kluis_key: Some(dir.join("kluis.sleutel")),
        toegangslog_key: Some(dir.join("toegangslog.sleutel")),
        // The scenarios send requests as fast as a test can; the rate limits have tests of
        // their own (api/tests/api/randen.rs).
        requests_per_address: 0,
        requests_per_user: 0,
        ..ServeConfig::new(dir.display().to_string())
    }
}

/// A token for `sub` with `rol`, in organisation `org` (and region AM13), valid for an hour
/// (or expired `verlopen` seconds ago).
pub fn token(sub: &str, rol: &str, org: Option<&str>) -> String {
    token_met(sub, rol, org, nu() + 3600, SECRET)
}

/// A token with several roles, of region AM13.
pub fn token_rollen(sub: &str, rollen: &[&str], org: Option<&str>) -> String {
    mint(
        SECRET,
        &Claims {
            sub: sub.to_owned(),
            name: None,
            roles: rollen.iter().map(|r| (*r).to_owned()).collect(),
            realm_access: None,
            organisatie: org.map(str::to_owned),
            regio: Some("AM13".to_owned()),
            exp: nu() + 3600,
            iss: None,
            aud: None,
            nbf: None,
        },
    )
}

pub fn token_met(sub: &str, rol: &str, org: Option<&str>, exp: u64, secret: &str) -> String {
    mint(
        secret,
        &Claims {
            sub: sub.to_owned(),
            name: None,
            roles: vec![rol.to_owned()],
            realm_access: None,
            organisatie: org.map(str::to_owned),
            regio: Some("AM13".to_owned()),
            exp,
            iss: None,
            aud: None,
            nbf: None,
        },
    )
}

impl Server {
    /// Posts a GraphQL request; returns the response JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        // A refused token is refused as HTTP does (401), with the GraphQL error's code.
        match status {
            200 => {}
            401 => assert_eq!(
                body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
                "{body}"
            ),
            _ => panic!("status {status}: {body}"),
        }
        body
    }
}

/// The `extensions.code` of the first error, if any.
pub fn code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

pub const AANMELDEN: &str = r#"mutation($org: String!, $datum: NaiveDate!) {
  aanmelden(invoer: {datum: $datum, methode: IPS, regio: "AM13", organisatie: $org,
                     verwijzer: GGZ, financier: Gemeente}) {
    revisie traject { id clientId revisie status { fase } }
  }
}"#;

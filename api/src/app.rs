//! The application: binds its listener (port 0 in tests), reports its port, follows the store
//! with the projections, and serves until a shutdown future resolves.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use traject_dienst::Dienst;
use traject_domain::DuurzaamBeleid;
use traject_projections::Projecties;
use traject_store::{EventStore, Position};

use crate::auth::Verifier;
use crate::cijfers::{self, Vrijgaven};
use crate::config::{Mode, ServeConfig};
use crate::kluis::Kluisdienst;
use crate::schema::{Omgeving, TrajectSchema, schema_http, schema_na_validatie, schema_socket};
use crate::toegangslog::Toegangslog;
use crate::{http, spoor, web};

/// What every handler shares: one value behind an `Arc`, so the router's clone of it for each
/// request and each layer is one reference count, not one for each of its parts.
#[derive(Clone)]
pub struct Staat(Arc<Gedeeld>);

impl std::ops::Deref for Staat {
    type Target = Gedeeld;

    fn deref(&self) -> &Gedeeld {
        &self.0
    }
}

/// The parts of [`Staat`].
pub struct Gedeeld {
    /// The schema for GraphQL over HTTP (`schema::schema_http`).
    pub schema: TrajectSchema,
    /// What the resolvers work with, for the caseload's direct path ([`crate::direct`]).
    pub omgeving: Omgeving,
    /// How many requests the direct path answered.
    pub direct: Arc<crate::direct::Teller>,
    /// The schema for GraphQL over the WebSocket, with the edge's rules in the engine
    /// (`schema::schema_socket`).
    pub schema_socket: TrajectSchema,
    /// The rate limits per address and per user.
    pub limieten: Arc<crate::limiet::Limieten>,
    /// Places for open WebSockets (half the connection cap: an upgraded connection leaves the
    /// HTTP cap's count).
    pub sockets: Arc<tokio::sync::Semaphore>,
    /// How long a new WebSocket may take to send its `connection_init`.
    pub init_binnen: Duration,
    /// The schema for requests that passed the full validation before (`gevalideerd`).
    pub schema_na_validatie: TrajectSchema,
    /// The requests that passed the full validation.
    pub gevalideerd: Arc<http::Gevalideerd>,
    /// Token verification.
    pub verifier: Arc<Verifier>,
    /// The read models.
    pub projecties: Arc<Projecties>,
    /// The store's head when the server started: ready once the projections reached it.
    pub start_head: Option<Position>,
    /// Parsed query documents.
    pub documenten: Arc<http::Documenten>,
    /// Anonymised figures.
    pub vrijgaven: Arc<Vrijgaven>,
    /// Today.
    pub vandaag: fn() -> chrono::NaiveDate,
    /// Whether the store passed its start-up check ([`EventStore::check`]); not ready before.
    pub gecontroleerd: Arc<std::sync::atomic::AtomicBool>,
    /// The command path, for the import's upload.
    pub dienst: Dienst,
    /// The directory of the regions' business-case assumptions, if any.
    pub aannames: Option<std::path::PathBuf>,
}

/// A bound, not yet serving, server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    projecties: Arc<Projecties>,
    vrijgaven: Arc<Vrijgaven>,
    log: Toegangslog,
    snapshot: Option<PathBuf>,
    store: Arc<dyn EventStore>,
    grenzen: crate::connections::Grenzen,
    controle: tokio::task::JoinHandle<Result<(), traject_store::StoreError>>,
    demo_coach: DemoCoach,
    direct: Arc<crate::direct::Teller>,
}

/// The demo coach, chosen once by the read models' caseloads ([`crate::demo::demo_coach`]) and
/// the same for the rest of the server's life: the printed tokens and every demo sign-in.
#[derive(Clone)]
pub struct DemoCoach {
    gekozen: Arc<std::sync::OnceLock<traject_domain::value::CoachId>>,
    projecties: Arc<Projecties>,
    opties: traject_demo::DemoOpties,
    vandaag: fn() -> chrono::NaiveDate,
}

impl DemoCoach {
    /// The coach, chosen on the first call (after the read models caught up, as a sign-in
    /// needs them anyway).
    pub fn get(&self) -> traject_domain::value::CoachId {
        self.gekozen
            .get_or_init(|| {
                crate::demo::demo_coach(&self.opties, &self.projecties.read(), (self.vandaag)())
            })
            .clone()
    }
}

/// The access log's tables in `keuze` (the embedded directory's `toegangslog.sqlite`, or the
/// PostgreSQL schema); `None` for an embedded directory without a log when `maken` is off.
pub async fn open_log_storage(
    keuze: &crate::config::StoreChoice,
    maken: bool,
) -> anyhow::Result<Option<crate::toegangslog::Storage>> {
    use crate::toegangslog::{PostgresLog, SqliteLog, Storage};
    Ok(match keuze {
        crate::config::StoreChoice::Embedded(dir) => {
            let pad = dir.join("toegangslog.sqlite");
            if !maken && !pad.is_file() {
                return Ok(None);
            }
            std::fs::create_dir_all(dir)?;
            Some(Storage::Sqlite(SqliteLog::open(&pad)?))
        }
        crate::config::StoreChoice::Postgres(url) => {
            let pg = traject_store::PostgresConfig::new(url.0.clone());
            Some(Storage::Postgres(
                PostgresLog::connect(&pg.url, &pg.schema).await?,
            ))
        }
        crate::config::StoreChoice::Kurrent(_) => None,
    })
}

/// The access log where the configuration puts it: beside the vault (in the embedded store's
/// directory as `toegangslog.sqlite`, or in the PostgreSQL schema), with the configured key and
/// quota; writes' entries come in through `store`'s inbox. `eigen_slot`: this process holds the
/// lock of the embedded store's directory. The log's journal is kept only by the process that
/// holds the directory the log is in ([`crate::toegangslog::Schrijvers`]).
pub async fn open_toegangslog(
    config: &ServeConfig,
    store: Arc<dyn EventStore>,
    eigen_slot: bool,
) -> anyhow::Result<Toegangslog> {
    use crate::config::StoreChoice::Embedded;
    use crate::toegangslog::Schrijvers;
    let schrijvers = match (config.store_choice(), config.kluis_choice()) {
        (Embedded(a), Embedded(b)) if a == b && eigen_slot => Schrijvers::Alleen,
        (Embedded(a), Embedded(b)) if a == b => Schrijvers::NaastServer,
        _ => Schrijvers::Gedeeld,
    };
    let Some(opslag) = open_log_storage(&config.kluis_choice(), true).await? else {
        anyhow::bail!(
            "toegangslog: de log hoort in een map of in PostgreSQL, niet in KurrentDB (--kluis-store)"
        );
    };
    let (sleutel, quotum) = (
        config.logsleutel()?,
        crate::toegangslog::ReadQuota::new(config.inzage_quota),
    );
    let log = Toegangslog::open_met(opslag, sleutel, store, quotum, schrijvers).await?;
    if config.measure_without_read_log {
        anyhow::ensure!(
            config.mode == Mode::Development,
            "measure-without-read-log: in productie wordt elke inzage gelogd"
        );
        tracing::warn!("toegangslog: allowed inzagen are NOT logged (for measuring only)");
        return Ok(log.without_read_log());
    }
    Ok(log)
}

impl Application {
    /// Sets everything up on `store` and the vault `kluis`: projections from their snapshot (or
    /// zero), the access log's writer, the schema and the routes; binds the listener.
    pub async fn build(
        config: &ServeConfig,
        store: Arc<dyn EventStore>,
        kluis: Arc<Kluisdienst>,
        vandaag: fn() -> chrono::NaiveDate,
    ) -> anyhow::Result<Self> {
        let verifier = Arc::new(Verifier::from_config(config)?);
        let snapshot = config.snapshot_path();
        let beleid: DuurzaamBeleid = config.cijfers.beleid().map_err(anyhow::Error::msg)?;
        // The store is checked whole (a damaged page, a read-only file or directory) in the
        // background: reading every page takes seconds per gigabyte on a cold cache, so it
        // does not hold the start. The server is not ready before it passed, and stops with one
        // line naming the file when it fails (`draai`).
        let gecontroleerd = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let controle = tokio::spawn({
            let (store, vlag) = (Arc::clone(&store), Arc::clone(&gecontroleerd));
            async move {
                let begin = std::time::Instant::now();
                store.check().await?;
                tracing::info!(ms = begin.elapsed().as_millis() as u64, "store checked");
                vlag.store(true, std::sync::atomic::Ordering::Release);
                Ok(())
            }
        });
        let projecties = match &snapshot {
            Some(pad) => Projecties::restore(pad, store.as_ref(), beleid).await,
            None => Projecties::new(beleid),
        };
        let start_head = store.head().await?;
        let vrijgaven = Arc::new(
            config
                .cijfers
                .vrijgaven(Arc::clone(&store), Arc::clone(&projecties))
                .map_err(anyhow::Error::msg)?,
        );
        // A server on an embedded store holds its directory's lock (`traject serve`).
        let eigen_slot = matches!(
            config.store_choice(),
            crate::config::StoreChoice::Embedded(_)
        );
        let log = open_toegangslog(config, Arc::clone(&store), eigen_slot).await?;
        let omgeving = Omgeving {
            dienst: Dienst {
                store: Arc::clone(&store),
                projecties: Arc::clone(&projecties),
                log: log.clone(),
                kluis,
                vandaag,
                wacht: Duration::from_secs(5),
                bron: "traject-api",
                team_bij_eerste_intake: config.team_bij_eerste_intake(),
            },
            vrijgaven: Arc::clone(&vrijgaven),
            aannames: config.cijfers.businesscase_aannames.clone(),
            start_head,
        };
        // An erasure recorded before a stop but not yet carried out in the vault is completed
        // before anything is served.
        let voltooid = omgeving
            .dienst
            .voltooi_wissingen()
            .await
            .map_err(anyhow::Error::msg)?;
        if voltooid > 0 {
            tracing::warn!(
                completed = voltooid,
                "unfinished wissingen completed at start"
            );
        }
        // The read models follow the store once the start-up steps that need the database are
        // done: the follower retries when the database goes away while it catches up, and a
        // lost connection then cannot meet a start-up step halfway (which would stop the start).
        let volger = Arc::clone(&projecties);
        let volg_store = Arc::clone(&store);
        tokio::spawn(volger.follow_retrying(volg_store));
        if let Some(pad) = &snapshot {
            let elke = Duration::from_secs(config.snapshot_interval.max(1));
            tokio::spawn(Arc::clone(&projecties).save_every(pad.clone(), elke));
        }
        let staat_vrijgaven = Arc::clone(&vrijgaven);
        let grenzen = crate::connections::Grenzen::for_this_process(
            config.max_connections,
            Duration::from_secs(config.header_timeout.max(1)),
        );
        let staat = Staat(Arc::new(Gedeeld {
            dienst: omgeving.dienst.clone(),
            aannames: omgeving.aannames.clone(),
            schema: schema_http(omgeving.clone(), config.mode == Mode::Production),
            schema_socket: schema_socket(omgeving.clone(), config.mode == Mode::Production),
            schema_na_validatie: schema_na_validatie(
                omgeving.clone(),
                config.mode == Mode::Production,
            ),
            omgeving,
            direct: Arc::default(),
            gevalideerd: Arc::default(),
            verifier,
            projecties: Arc::clone(&projecties),
            start_head,
            documenten: Arc::default(),
            vrijgaven,
            vandaag,
            gecontroleerd,
            sockets: Arc::new(tokio::sync::Semaphore::new((grenzen.max / 2).max(1))),
            init_binnen: grenzen.header_timeout,
            limieten: crate::limiet::Limieten::new(
                config.requests_per_address,
                config.requests_per_user,
            ),
        }));
        let limieten = Arc::clone(&staat.limieten);
        let direct = Arc::clone(&staat.direct);
        // Answers are compressed when the caller accepts it (a large table of figures shrinks
        // tenfold); the WebSocket upgrade is left alone.
        let telling = Arc::new(spoor::Telling::default());
        let demo_coach = DemoCoach {
            gekozen: Arc::default(),
            projecties: Arc::clone(&projecties),
            opties: traject_demo::DemoOpties {
                trajecten: config.demo_trajecten,
                ..traject_demo::DemoOpties::landelijk(vandaag())
            },
            vandaag,
        };
        let elke = Duration::from_secs(config.log_summary.max(1));
        tokio::spawn(spoor::summarize(Arc::clone(&telling), elke));
        // The import's upload takes a large body and may run for minutes.
        let import = Router::new()
            .route("/import", post(crate::import::importeer))
            .route("/import/sjabloon", get(crate::import::sjabloon))
            .with_state(staat.clone())
            // Both limits: the extractor's own (2 MB by default) and the body's as it streams in.
            .layer(axum::extract::DefaultBodyLimit::max(
                crate::import::MAX_BESTAND,
            ))
            .layer(RequestBodyLimitLayer::new(crate::import::MAX_BESTAND))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                crate::import::MAX_DUUR,
            ));
        let router = Router::new()
            .route("/graphql", get(http::get).post(http::post))
            .route("/export/cijfers", get(cijfers::http::export))
            .route("/export/kwaliteit", get(crate::kwaliteit::export))
            .route("/export/businesscase", get(crate::businesscase::export))
            .layer(CompressionLayer::new())
            .route("/graphql/ws", get(websocket))
            .route("/health", get(|| async { "ok" }))
            .route("/ready", get(ready))
            .with_state(staat)
            .layer(RequestBodyLimitLayer::new(http::MAX_BODY))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                config.timeout(),
            ))
            .merge(import)
            // A handler that panics answers 500 with a correlation id, counted and logged as
            // one, instead of a connection closed without an answer.
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                http::paniek,
            ))
            .layer(axum::middleware::from_fn_with_state(
                limieten,
                crate::limiet::per_adres,
            ))
            .layer(axum::middleware::from_fn(
                crate::antwoorden::finish_response,
            ))
            .layer(cors(&config.cors_origins)?)
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&telling),
                spoor::trace,
            ))
            .merge(web::routes(config, demo_logins(config, demo_coach.clone())));
        let listener = TcpListener::bind(config.listen).await?;
        Ok(Self {
            listener,
            router,
            projecties,
            vrijgaven: Arc::clone(&staat_vrijgaven),
            log,
            snapshot,
            store,
            grenzen,
            controle,
            demo_coach,
            direct,
        })
    }

    /// The port it listens on.
    pub fn poort(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The releases of the figures (the demo releases its closed quarters).
    pub fn vrijgaven(&self) -> Arc<Vrijgaven> {
        Arc::clone(&self.vrijgaven)
    }

    /// The access log.
    pub fn toegangslog(&self) -> Toegangslog {
        self.log.clone()
    }

    /// The demo coach (the same for the server's life).
    pub fn demo_coach(&self) -> traject_domain::value::CoachId {
        self.demo_coach.get()
    }

    /// How many requests the caseload's direct path answered.
    pub fn direct(&self) -> Arc<crate::direct::Teller> {
        Arc::clone(&self.direct)
    }

    /// The read models (for waiting until they caught up).
    pub fn projecties(&self) -> Arc<Projecties> {
        Arc::clone(&self.projecties)
    }

    /// Serves until `stop` resolves, then finishes open requests, saves a snapshot and closes the
    /// store ([`EventStore::close`]).
    pub async fn run(self, stop: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        // A store that fails its start-up check stops the server as a stop signal would, and
        // the check's reason is the error (no snapshot is written of it).
        let mislukt: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
        let controle = self.controle;
        let stoppen = {
            let mislukt = Arc::clone(&mislukt);
            async move {
                // Resolves only when the check fails; a check that passes leaves the stop signal.
                let faalt = async {
                    match controle.await {
                        Ok(Err(e)) => e.to_string(),
                        Err(e) => format!("de controle van de store brak af: {e}"),
                        Ok(Ok(())) => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = stop => {}
                    reden = faalt => {
                        tracing::error!(reason = %reden, "store: the check fails; the server stops");
                        *mislukt.lock().unwrap_or_else(|e| e.into_inner()) = Some(reden);
                    }
                }
            }
        };
        crate::connections::serve(self.listener, self.router, self.grenzen, stoppen).await;
        if let Some(reden) = mislukt.lock().unwrap_or_else(|e| e.into_inner()).take() {
            anyhow::bail!("store: {reden}");
        }
        // Every entry acknowledged into the access log's tables (its journal holds them anyway,
        // but a stopped store then has its whole log in the tables, for a copy or a backup).
        match self.log.close().await {
            Ok(()) => tracing::info!("access log chained up"),
            Err(error) => tracing::warn!(%error, "access log not chained up at shutdown"),
        }
        if let Some(pad) = self.snapshot {
            let projecties = self.projecties;
            match tokio::task::spawn_blocking(move || projecties.save(&pad)).await? {
                Ok(_) => tracing::info!("snapshot saved at shutdown"),
                Err(error) => tracing::warn!(%error, "snapshot not saved at shutdown"),
            }
        }
        match self.store.close().await {
            Ok(()) => tracing::info!("store closed"),
            Err(error) => tracing::warn!(%error, "store not closed cleanly"),
        }
        Ok(())
    }
}

/// The demo users' logins, when the server runs the demo in development mode.
fn demo_logins(config: &ServeConfig, coach: DemoCoach) -> Option<web::DemoLogins> {
    if !config.demo || config.mode != Mode::Development {
        return None;
    }
    let secret = config.jwt_secret.as_ref()?.0.clone();
    Some(Arc::new(move || crate::demo::logins(&secret, &coach.get())))
}

fn cors(origins: &[String]) -> anyhow::Result<CorsLayer> {
    let origins = origins
        .iter()
        .filter(|o| !o.is_empty())
        .map(|o| HeaderValue::from_str(o))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            spoor::HEADER,
            header::HeaderName::from_static(crate::schema::POSITIE_HEADER),
        ])
        .expose_headers([
            spoor::HEADER,
            header::HeaderName::from_static(crate::schema::POSITIE_HEADER),
        ]))
}

async fn ready(State(staat): State<Staat>) -> Response {
    use traject_projections::Toestand;
    if !staat
        .gecontroleerd
        .load(std::sync::atomic::Ordering::Acquire)
    {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "de store wordt gecontroleerd",
        )
            .into_response();
    }
    match staat.projecties.toestand() {
        Toestand::Volgt => {}
        Toestand::Herstelt { .. } => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "projecties lezen de store opnieuw in",
            )
                .into_response();
        }
        Toestand::Gestopt(_) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "projecties gestopt: een gebeurtenis past niet (zie het log)",
            )
                .into_response();
        }
    }
    let bereikt = staat.projecties.bijgewerkt_tot();
    if staat.start_head.is_none() || bereikt >= staat.start_head {
        (StatusCode::OK, "klaar").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "projecties halen de store nog in",
        )
            .into_response()
    }
}

/// GraphQL subscriptions over a WebSocket ([`crate::socket`]), messages at most as large as an
/// HTTP body.
async fn websocket(
    State(staat): State<Staat>,
    headers: axum::http::HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(protocol) = crate::socket::protocol(&headers) else {
        return (
            StatusCode::BAD_REQUEST,
            "Sec-WebSocket-Protocol: graphql-transport-ws of graphql-ws",
        )
            .into_response();
    };
    let verifier = Arc::clone(&staat.verifier);
    let correlatie = spoor::correlatie(); // the upgrade request's: one per connection
    let Ok(plaats) = Arc::clone(&staat.sockets).try_acquire_owned() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "te veel open WebSockets; probeer het zo opnieuw",
        )
            .into_response();
    };
    let init_binnen = staat.init_binnen;
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(http::MAX_BODY)
        .max_frame_size(http::MAX_BODY)
        .on_upgrade(move |socket| async move {
            let schema = staat.schema_socket.clone();
            crate::socket::serve(socket, schema, protocol, verifier, correlatie, init_binnen).await;
            drop(plaats);
        })
}

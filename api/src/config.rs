//! The server's configuration: one typed value, parsed once in `main` from flags and environment.
//! Secrets are wrapped so that `Debug` never prints them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

/// Development or production: production refuses shared-secret tokens, and hides introspection
/// and field suggestions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Local development and the demo: HS256 tokens with a configured secret are accepted.
    Development,
    /// Tokens only from an OpenID Connect provider (RS256 or ES256).
    Production,
}

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// A secret value: shown as `***` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// Where the events live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// The embedded SQLite store in this directory.
    Embedded(PathBuf),
    /// PostgreSQL at this URL (secret: it may hold a password).
    Postgres(Secret),
    /// KurrentDB at this connection string (secret: it may hold credentials).
    Kurrent(Secret),
}

impl StoreChoice {
    /// `postgres://` or `postgresql://` URLs choose PostgreSQL, `kurrentdb://`,
    /// `kurrentdb+discover://`, `esdb://` and `esdb+discover://` KurrentDB; anything else is a
    /// directory.
    pub fn parse(text: &str) -> Self {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Self::Postgres(Secret(text.to_owned()))
        } else if [
            "kurrentdb://",
            "kurrentdb+discover://",
            "esdb://",
            "esdb+discover://",
        ]
        .iter()
        .any(|s| text.starts_with(s))
        {
            Self::Kurrent(Secret(text.to_owned()))
        } else {
            Self::Embedded(PathBuf::from(text))
        }
    }
}

/// `traject serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// The address to listen on (port 0: any free port).
    #[arg(long, env = "TRAJECT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// In development mode, listen on an address other than loopback all the same (the
    /// development mode's tokens and demo logins are then open to the network).
    #[arg(long)]
    pub development_on_network: bool,
    /// An embedded store directory, a postgres:// URL, or a kurrentdb:// connection string.
    #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
    pub store: String,
    /// Where the vault of personal data lives when the events are in KurrentDB: an embedded
    /// directory or a postgres:// URL (default: beside the events, in the store itself).
    #[arg(long, env = "TRAJECT_KLUIS_STORE")]
    pub kluis_store: Option<String>,
    /// Development or production.
    #[arg(long, env = "TRAJECT_MODE", value_enum, default_value = "development")]
    pub mode: Mode,
    /// Shared secret for HS256 tokens (development only).
    #[arg(long, env = "TRAJECT_JWT_SECRET")]
    pub jwt_secret: Option<Secret>,
    /// A PEM file with the provider's public key (RSA or EC).
    #[arg(long, env = "TRAJECT_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,
    /// A JWKS document (JSON file) with the provider's keys.
    #[arg(long, env = "TRAJECT_JWKS")]
    pub jwks: Option<PathBuf>,
    /// The provider's JWKS URL (https; for Keycloak `<realm>/protocol/openid-connect/certs`).
    #[arg(long, env = "TRAJECT_JWKS_URL")]
    pub jwks_url: Option<String>,
    /// The expected `iss` claim, if any.
    #[arg(long, env = "TRAJECT_JWT_ISSUER")]
    pub jwt_issuer: Option<String>,
    /// The expected `aud` claim, if any.
    #[arg(long, env = "TRAJECT_JWT_AUDIENCE")]
    pub jwt_audience: Option<String>,
    /// Origins allowed to call the API from a browser (comma separated).
    #[arg(long, env = "TRAJECT_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,
    /// Load the national demo data first if the store is empty.
    #[arg(long)]
    pub demo: bool,
    /// How many trajectories the demo data has.
    #[arg(long, default_value_t = 100_000)]
    pub demo_trajecten: usize,
    /// Where the projections' snapshot is kept (default: in the store directory, or none for
    /// PostgreSQL).
    #[arg(long, env = "TRAJECT_SNAPSHOT")]
    pub snapshot: Option<PathBuf>,
    /// How often the projections' snapshot is saved, in seconds.
    #[arg(long, default_value_t = 60)]
    pub snapshot_interval: u64,
    /// How the log is written (default: `json` in production mode, `text` in development).
    #[arg(long, env = "TRAJECT_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
    /// How often the requests since the last summary (count, errors, latency percentiles) are
    /// logged at info, in seconds. Each request on its own is logged at debug (`RUST_LOG=debug`),
    /// a server error (5xx) at warn.
    #[arg(long, env = "TRAJECT_LOG_SUMMARY", default_value_t = 60)]
    pub log_summary: u64,
    /// The vault's master-key file (64 hex digits). Development mode creates it if missing, by
    /// default as `<store directory>.kluis.sleutel` beside the embedded store's directory (never
    /// inside it, so that a copy of the store is no copy of its key); production mode requires an
    /// existing file.
    #[arg(long, env = "TRAJECT_KLUIS_KEY")]
    pub kluis_key: Option<PathBuf>,
    /// The access log's chain key file (64 hex digits), kept like the vault's master key: outside
    /// the database. Development mode creates it if missing, by default as
    /// `<store directory>.toegangslog.sleutel` beside the embedded store's directory; production
    /// mode requires an existing file.
    #[arg(long, env = "TRAJECT_TOEGANGSLOG_KEY")]
    pub toegangslog_key: Option<PathBuf>,
    /// The most client records one user may be shown per minute (a caseload page of 50 rows
    /// counts 50; 0: no limit); a read beyond it is refused and logged as refused.
    #[arg(long, env = "TRAJECT_INZAGE_QUOTA", default_value_t = 2_000)]
    pub inzage_quota: usize,
    /// Leaves allowed reads out of the access log, to measure what logging them costs
    /// (`scripts/bench-toegangslog`). Development mode only: production refuses to start with it.
    #[arg(long, hide = true)]
    pub measure_without_read_log: bool,
    /// The longest a request may take, in seconds.
    #[arg(long, default_value_t = 10)]
    pub request_timeout: u64,
    /// The most connections open at once (never more than three quarters of the open-files
    /// limit).
    #[arg(long, env = "TRAJECT_MAX_CONNECTIONS", default_value_t = 1_000)]
    pub max_connections: usize,
    /// Seconds a connection may take to send a request's headers, and stay idle between
    /// requests.
    #[arg(long, default_value_t = 10)]
    pub header_timeout: u64,
    /// Requests per second one address may send (a burst of twice that; 0: no limit).
    #[arg(long, env = "TRAJECT_REQUESTS_PER_ADDRESS", default_value_t = 200)]
    pub requests_per_address: u32,
    /// Requests per second one user may send (a burst of twice that; 0: no limit).
    #[arg(long, env = "TRAJECT_REQUESTS_PER_USER", default_value_t = 50)]
    pub requests_per_user: u32,
    /// Whether a coach who records their own intake joins their organisation's team on the way
    /// (the token's organisation claim vouches for them). Default: on in development mode, off
    /// in production mode, where a teamleider adds each coach to the team first.
    #[arg(long, env = "TRAJECT_TEAM_BIJ_EERSTE_INTAKE")]
    pub team_bij_eerste_intake: Option<bool>,
    /// How anonymised figures are published.
    #[command(flatten)]
    pub cijfers: crate::cijfers::CijferConfig,
    /// The web client.
    #[command(flatten)]
    pub web: crate::web::WebConfig,
}

impl ServeConfig {
    /// The log's format: as configured, else JSON in production mode and text in development.
    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.mode {
            Mode::Production => LogFormat::Json,
            Mode::Development => LogFormat::Text,
        })
    }

    /// The configuration `traject serve --store <store>` gets without further flags or
    /// environment (a unit test holds it to clap's defaults).
    pub fn new(store: impl Into<String>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            development_on_network: false,
            store: store.into(),
            kluis_store: None,
            mode: Mode::Development,
            jwt_secret: None,
            jwt_public_key: None,
            jwks: None,
            jwks_url: None,
            jwt_issuer: None,
            jwt_audience: None,
            cors_origins: vec![],
            demo: false,
            demo_trajecten: 100_000,
            snapshot: None,
            snapshot_interval: 60,
            log_format: None,
            log_summary: 60,
            kluis_key: None,
            toegangslog_key: None,
            inzage_quota: 2_000,
            measure_without_read_log: false,
            request_timeout: 10,
            max_connections: 1_000,
            header_timeout: 10,
            requests_per_address: 200,
            requests_per_user: 50,
            team_bij_eerste_intake: None,
            cijfers: crate::cijfers::CijferConfig::default(),
            web: crate::web::WebConfig::default(),
        }
    }

    /// Whether a coach joins the team with their own first intake (see the flag).
    pub fn team_bij_eerste_intake(&self) -> bool {
        self.team_bij_eerste_intake
            .unwrap_or(self.mode == Mode::Development)
    }

    /// The store chosen.
    pub fn store_choice(&self) -> StoreChoice {
        StoreChoice::parse(&self.store)
    }

    /// Where the vault lives: `--kluis-store`, else the event store itself.
    pub fn kluis_choice(&self) -> StoreChoice {
        self.kluis_store
            .as_deref()
            .map_or_else(|| self.store_choice(), StoreChoice::parse)
    }

    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout)
    }

    /// The vault's master key: loaded from the configured file; in development mode made there
    /// (or beside the embedded store) when missing. Production mode never makes one.
    pub fn hoofdsleutel(&self) -> anyhow::Result<crate::kluis::key::MasterKey> {
        use crate::kluis::key::MasterKey;
        let pad = self.sleutelpad(&self.kluis_key, "kluis", "--kluis-key of TRAJECT_KLUIS_KEY")?;
        Ok(match self.mode {
            Mode::Production => MasterKey::load(&pad)?,
            Mode::Development => MasterKey::load_or_create(&pad)?,
        })
    }

    /// The access log's chain key, found and made as [`Self::hoofdsleutel`].
    pub fn logsleutel(&self) -> anyhow::Result<crate::toegangslog::LogKey> {
        use crate::toegangslog::LogKey;
        // In development mode a log key without a flag of its own lives beside the vault's.
        let naast_kluis = match (&self.toegangslog_key, &self.kluis_key) {
            (None, Some(kluis)) if self.mode == Mode::Development => Some(logsleutel_naast(kluis)),
            (gegeven, _) => gegeven.clone(),
        };
        let pad = self.sleutelpad(
            &naast_kluis,
            "toegangslog",
            "--toegangslog-key of TRAJECT_TOEGANGSLOG_KEY",
        )?;
        Ok(match self.mode {
            Mode::Production => LogKey::load(&pad)?,
            Mode::Development => LogKey::load_or_create(&pad)?,
        })
    }

    /// A key file: as configured, else in development mode `<store directory>.<naam>.sleutel`
    /// beside the embedded store.
    fn sleutelpad(
        &self,
        gegeven: &Option<PathBuf>,
        naam: &str,
        vlag: &str,
    ) -> anyhow::Result<PathBuf> {
        match (gegeven, self.kluis_choice()) {
            (Some(pad), _) => Ok(pad.clone()),
            (None, StoreChoice::Embedded(dir)) if self.mode == Mode::Development => {
                naast_de_store(&dir, naam)
            }
            (None, _) => anyhow::bail!(
                "{naam}-key: geef het bestand met de sleutel op ({vlag}){}",
                if self.mode == Mode::Production {
                    "; in productie wordt er nooit een gemaakt"
                } else {
                    ""
                }
            ),
        }
    }

    /// The snapshot file: as configured, else beside the embedded store.
    pub fn snapshot_path(&self) -> Option<PathBuf> {
        match (&self.snapshot, self.store_choice()) {
            (Some(pad), _) => Some(pad.clone()),
            (None, StoreChoice::Embedded(dir)) => Some(dir.join("projecties.snapshot")),
            (None, StoreChoice::Postgres(_) | StoreChoice::Kurrent(_)) => None,
        }
    }
}

/// Development mode's key file `naam` for the embedded store in `dir`: `<dir>.<naam>.sleutel`,
/// beside the directory. A key that an earlier version made inside the directory is moved there.
fn naast_de_store(dir: &std::path::Path, naam: &str) -> anyhow::Result<PathBuf> {
    let dir: PathBuf = dir.components().collect();
    let mut bestand = dir.as_os_str().to_owned();
    bestand.push(format!(".{naam}.sleutel"));
    let naast = PathBuf::from(bestand);
    let binnen = dir.join(format!("{naam}.sleutel"));
    if !naast.exists() && binnen.exists() {
        std::fs::rename(&binnen, &naast).map_err(|e| {
            anyhow::anyhow!(
                "{naam}-key: {} kon niet naast de store worden gezet: {e}",
                binnen.display()
            )
        })?;
        tracing::info!(path = %naast.display(), "key file moved from the store directory to beside the store");
    }
    Ok(naast)
}

/// The access log's key file beside the vault's key file `kluis`: `kluis.sleutel` gives
/// `kluis.toegangslog.sleutel`.
pub fn logsleutel_naast(kluis: &std::path::Path) -> PathBuf {
    kluis.with_extension("toegangslog.sleutel")
}

/// Development mode's token secret without `--jwt-secret`: a random one per data directory,
/// in `<dir>.jwt.sleutel` beside the store's directory (or beside the vault's key file when that
/// is given), made on first use (0600). There is no secret in the source code.
pub fn development_secret(pad: &std::path::Path) -> anyhow::Result<Secret> {
    match std::fs::read_to_string(pad) {
        Ok(tekst) if tekst.trim().len() >= 32 => Ok(Secret(tekst.trim().to_owned())),
        Ok(_) => anyhow::bail!(
            "{}: te kort voor een geheim (ten minste 32 tekens)",
            pad.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("toeval: {e}"))?;
            let tekst: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let mut opties = std::fs::OpenOptions::new();
            opties.write(true).create_new(true);
            std::os::unix::fs::OpenOptionsExt::mode(&mut opties, 0o600);
            let mut f = opties
                .open(pad)
                .map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?;
            std::io::Write::write_all(&mut f, tekst.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?;
            Ok(Secret(tekst))
        }
        Err(e) => anyhow::bail!("{}: {e}", pad.display()),
    }
}

impl ServeConfig {
    /// Where development mode keeps its token secret: beside the vault's key file when one is
    /// given (`kluis.sleutel` gives `kluis.jwt.sleutel`), else `<store directory>.jwt.sleutel`.
    pub fn development_secret_path(&self) -> anyhow::Result<PathBuf> {
        match &self.kluis_key {
            Some(kluis) => Ok(kluis.with_extension("jwt.sleutel")),
            None => self.sleutelpad(&None, "jwt", "--jwt-secret"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_configuration_is_what_clap_gives_without_flags() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeConfig,
        }
        let geparsed = <Cli as clap::Parser>::parse_from(["traject", "--store", "d"]).serve;
        assert_eq!(
            format!("{geparsed:?}"),
            format!("{:?}", ServeConfig::new("d"))
        );
    }

    #[test]
    fn a_store_is_chosen_by_its_scheme() {
        assert!(matches!(
            StoreChoice::parse("data"),
            StoreChoice::Embedded(_)
        ));
        assert!(matches!(
            StoreChoice::parse("postgres://u@h/db"),
            StoreChoice::Postgres(_)
        ));
        for url in [
            "kurrentdb://admin:changeit@localhost:2113",
            "kurrentdb+discover://a:1,b:2,c:3",
            "esdb://localhost:2113?tls=false",
        ] {
            assert!(
                matches!(StoreChoice::parse(url), StoreChoice::Kurrent(_)),
                "{url}"
            );
        }
        let keuze = format!(
            "{:?}",
            StoreChoice::parse("kurrentdb://admin:changeit@h:2113")
        );
        assert!(
            !keuze.contains("changeit"),
            "credentials never in Debug: {keuze}"
        );
    }
}

//! The `traject` binary: `traject serve` runs the server, `traject export` exports anonymised
//! figures, `traject token` mints development tokens, `traject kluis rotate` rotates the
//! vault's master key. The only place that chooses a
//! store backend.

use std::sync::Arc;

use clap::{Parser, Subcommand};
use traject_api::app::Application;
use traject_api::auth::{Claims, mint, nu};
use traject_api::cijfers::CijferConfig;
use traject_api::cijfers::format::{FileFormat, Selectie, write};
use traject_api::config::{LogFormat, Mode, ServeConfig, StoreChoice};
use traject_api::kluis::Kluisdienst;
use traject_api::kluis::key::MasterKey;
use traject_api::kluis::storage::{Kluis, PostgresKluis, SqliteKluis};
use traject_api::toegang::CijferBereik;
use traject_demo::DemoOpties;
use traject_domain::value::Regio;
use traject_projections::Projecties;
use traject_store::{EventStore, PostgresConfig, PostgresStore, SqliteStore};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The longest a token of `traject token` may be valid, in hours (a leap year).
const MAX_UREN: u64 = 24 * 366;

#[derive(Debug, Parser)]
#[command(
    name = "traject",
    version,
    about = "Trajecten naar werk: server en hulpmiddelen"
)]
struct Cli {
    #[command(subcommand)]
    opdracht: Opdracht,
}

#[derive(Debug, Subcommand)]
enum Opdracht {
    /// Run the server.
    Serve(Box<ServeConfig>),
    /// Print the GraphQL schema (SDL), as committed in `schema.graphql`.
    Schema,
    /// The vault of clients' personal data.
    #[command(subcommand)]
    Kluis(KluisOpdracht),
    /// Export the released anonymised figures of a region, or of every region and the national
    /// table. Writes nothing.
    Export(ExportOpdracht),
    /// Release the anonymised figures of a closed quarter (for example 2025Q3), for every
    /// region and the nation: the first release, or the next correction.
    Publiceer(PubliceerOpdracht),
    /// Import an organisation's trajectories from a spreadsheet (XLSX, or CSV with ; or , in
    /// UTF-8 or Windows-1252): one row per trajectory, or one row per event. Every row is
    /// decided by the same rules as a coach's recording; each trajectory is written whole or
    /// not at all; importing the same rows again changes nothing. With an embedded store the
    /// server must be stopped (or use the upload in the web client).
    Import(ImportOpdracht),
    /// Write the XLSX template of an import file: the columns to fill in with drop-down lists,
    /// and a sheet explaining each column.
    ImportTemplate {
        /// The file to write.
        #[arg(long)]
        output: std::path::PathBuf,
        /// The layout of one row per event (default: one row per trajectory).
        #[arg(long)]
        per_event: bool,
    },
    /// The access log: archive old entries, verify archives.
    #[command(subcommand)]
    Toegangslog(LogOpdracht),
    /// Back up an embedded store, also while a server runs on it: its events, vault and access
    /// log, each file consistent (the key files and the snapshot are not copied).
    Backup {
        /// The embedded store directory.
        #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
        store: String,
        /// A new or empty directory for the backup.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup made by `traject backup` into a new or empty store directory.
    Restore {
        /// The backup's directory.
        #[arg(long)]
        from: std::path::PathBuf,
        /// The new store directory (not an existing store).
        #[arg(long)]
        store: String,
    },
    /// Mint a development token (HS256).
    Token {
        /// The user id (a coach's id).
        #[arg(long)]
        user: String,
        /// A role: coach, teamleider, regio, landelijk or beheerder (repeatable).
        #[arg(long, required = true)]
        role: Vec<String>,
        /// The organisation.
        #[arg(long)]
        organisatie: Option<String>,
        /// The region (CBS code).
        #[arg(long)]
        regio: Option<String>,
        /// The display name.
        #[arg(long)]
        name: Option<String>,
        /// Valid for this many hours: 1 to 8784 (a year). A token of no hours would still be
        /// accepted for the server's clock leeway, and a larger number would not fit the claim.
        #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u64).range(1..=MAX_UREN))]
        hours: u64,
        /// The shared secret (the server's --jwt-secret); without it, the development secret of
        /// the store `--store` (as `traject serve` made it).
        #[arg(long, env = "TRAJECT_JWT_SECRET")]
        secret: Option<String>,
        /// The embedded store whose development secret signs the token.
        #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
        store: String,
        /// The vault's key file the server was given, if any (its development secret sits
        /// beside it).
        #[arg(long, env = "TRAJECT_KLUIS_KEY")]
        kluis_key: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct ExportOpdracht {
    /// An embedded store directory, a postgres:// URL or a kurrentdb:// URL.
    #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
    store: String,
    /// A region's code (for example AM03); without it every region and the national table.
    #[arg(long)]
    regio: Option<String>,
    /// The first quarter, for example 2024Q1.
    #[arg(long)]
    from: String,
    /// The last quarter, for example 2025Q4.
    #[arg(long)]
    to: String,
    /// csv, csv-nl (semicolons and a decimal comma, for Excel with Dutch settings), json or xlsx.
    #[arg(long, default_value = "csv")]
    format: String,
    /// The file to write; standard output without it.
    #[arg(long)]
    output: Option<std::path::PathBuf>,
    /// Add the provisional figures of quarters not released yet (not for distribution).
    #[arg(long)]
    voorlopig: bool,
    /// The rules (the server's settings).
    #[command(flatten)]
    cijfers: CijferConfig,
}

#[derive(Debug, clap::Args)]
struct ImportOpdracht {
    /// An embedded store directory or a postgres:// URL (the store must exist).
    #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
    store: String,
    /// Where the vault and the log live when the events are in KurrentDB.
    #[arg(long, env = "TRAJECT_KLUIS_STORE")]
    kluis_store: Option<String>,
    /// The vault's master-key file (the server's); without it the development key beside an
    /// embedded store.
    #[arg(long, env = "TRAJECT_KLUIS_KEY")]
    kluis_key: Option<std::path::PathBuf>,
    /// The access log's key file (the server's); without it the development key.
    #[arg(long, env = "TRAJECT_TOEGANGSLOG_KEY")]
    toegangslog_key: Option<std::path::PathBuf>,
    /// The organisation whose trajectories these are.
    #[arg(long)]
    organisatie: String,
    /// The region (CBS code, for example AM13) of rows without a column `regio`.
    #[arg(long)]
    regio: Option<String>,
    /// The spreadsheet: .xlsx or .csv.
    #[arg(long)]
    file: std::path::PathBuf,
    /// Decide every row and report what would be recorded or why not; write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, clap::Args)]
struct PubliceerOpdracht {
    /// The quarter, for example 2025Q3.
    kwartaal: String,
    /// An embedded store directory, a postgres:// URL or a kurrentdb:// URL.
    #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
    store: String,
    /// The rules (the server's settings, so that the release is what the server would make).
    #[command(flatten)]
    cijfers: CijferConfig,
}

#[derive(Debug, Subcommand)]
enum LogOpdracht {
    /// Move the entries from before a date to a new archive file, signed with the log's key,
    /// and remove them from the live log; the chain stays verifiable from the archive's last
    /// entry. Refused for entries younger than the retention period.
    Archive {
        /// An embedded store directory, a postgres:// URL or a kurrentdb:// URL.
        #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
        store: String,
        /// Where the vault and the log live when the events are in KurrentDB.
        #[arg(long, env = "TRAJECT_KLUIS_STORE")]
        kluis_store: Option<String>,
        /// The log's key file.
        #[arg(long, env = "TRAJECT_TOEGANGSLOG_KEY")]
        toegangslog_key: std::path::PathBuf,
        /// Archive the entries from before this date (YYYY-MM-DD, Dutch time).
        #[arg(long)]
        before: chrono::NaiveDate,
        /// The archive file to write (it must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
        /// How many years entries stay in the live log at least (NEN 7513 practice: 5).
        #[arg(long, default_value_t = 5)]
        retention_years: u32,
    },
    /// Verify archive files (their tags and chains, and that each joins the one before), and
    /// with --store that the live log continues where the last one ends. Writes nothing.
    Verify {
        /// The archive files, oldest first.
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
        /// The log's key file.
        #[arg(long, env = "TRAJECT_TOEGANGSLOG_KEY")]
        toegangslog_key: std::path::PathBuf,
        /// The store whose live log should continue the last archive.
        #[arg(long)]
        store: Option<String>,
        /// Where the vault and the log live when the events are in KurrentDB.
        #[arg(long, env = "TRAJECT_KLUIS_STORE")]
        kluis_store: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum KluisOpdracht {
    /// Rotate the master key: rewrap every client's data key with a new master key, in one
    /// transaction. Stop the servers first; start them again with the new key file.
    Rotate {
        /// An embedded store directory, or a postgres:// URL.
        #[arg(long, env = "TRAJECT_STORE", default_value = "traject-data")]
        store: String,
        /// The current master-key file.
        #[arg(long, env = "TRAJECT_KLUIS_KEY")]
        kluis_key: std::path::PathBuf,
        /// The new master-key file; made if it does not exist.
        #[arg(long)]
        new_key: std::path::PathBuf,
    },
    /// Copy a store written before employers' names and job titles were sealed into a new,
    /// empty store, sealing them on the way (every event with its id, order and recording time;
    /// the vault as it is). Stop the servers first; afterwards serve the new store and destroy
    /// the old one and its backups: they still hold the clear text.
    Rewrite {
        /// The old store: an embedded store directory, or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// The new, empty store: an embedded store directory, or a postgres:// URL.
        #[arg(long)]
        to: String,
        /// The master-key file of the old store's vault; the new vault keeps it.
        #[arg(long, env = "TRAJECT_KLUIS_KEY")]
        kluis_key: std::path::PathBuf,
        /// The old access log's key file; the new log keeps it (default: beside the vault's key
        /// file, as development mode makes it).
        #[arg(long, env = "TRAJECT_TOEGANGSLOG_KEY")]
        toegangslog_key: Option<std::path::PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // Every file and directory traject makes (stores, WAL, keys, snapshots, backups, exports) is
    // its user's alone: 0600 and 0700.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    match cli.opdracht {
        Opdracht::Serve(mut config) => {
            logging(config.log_format());
            if config.mode == Mode::Development {
                ontwikkelmodus(&mut config)?;
            }
            serve(*config).await
        }
        Opdracht::Schema => {
            print!("{}", traject_api::schema::sdl());
            Ok(())
        }
        Opdracht::Kluis(KluisOpdracht::Rotate {
            store,
            kluis_key,
            new_key,
        }) => {
            let kluis = open_kluis(&StoreChoice::parse(&store)).await?;
            let oud = MasterKey::load(&kluis_key)?;
            // Refused before a new key file is made, while a server holds the vault (`rotate`
            // itself holds it alone for the rotation).
            drop(kluis.alleen().await?);
            let nieuw = MasterKey::load_or_create(&new_key)?;
            if oud.id() == nieuw.id() {
                anyhow::bail!("new-key: dit is dezelfde sleutel als de huidige");
            }
            let aantal = traject_api::kluis::rotate(kluis.as_ref(), &oud, &nieuw).await?;
            MasterKey::destroy_file(&kluis_key)?;
            println!(
                "{aantal} sleutels herverpakt van hoofdsleutel {} naar {}; de oude sleutel ({}) is overschreven en verwijderd.\n\
                 Start de servers met --kluis-key {}.\n\
                 Back-ups en kopieën van de kluis van vóór {} hebben de oude sleutel nodig: zonder die sleutel zijn\n\
                 de persoonsgegevens daarin onleesbaar. Zo bereikt elke wissing van vóór deze rotatie ook die kopieën.",
                oud.id(),
                nieuw.id(),
                kluis_key.display(),
                new_key.display(),
                chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            );
            Ok(())
        }
        Opdracht::Kluis(KluisOpdracht::Rewrite {
            from,
            to,
            kluis_key,
            toegangslog_key,
        }) => {
            let (van, naar) = (StoreChoice::parse(&from), StoreChoice::parse(&to));
            if matches!(van, StoreChoice::Kurrent(_)) || matches!(naar, StoreChoice::Kurrent(_)) {
                anyhow::bail!(
                    "from/to: herschrijven kan van en naar een map of PostgreSQL, niet KurrentDB"
                );
            }
            // A mistyped old store must not become a new, empty one.
            if let StoreChoice::Embedded(dir) = &van
                && !dir.join("events.sqlite").is_file()
            {
                anyhow::bail!("from: {} bevat geen store", dir.display());
            }
            let sleutel = MasterKey::load(&kluis_key)?;
            let logsleutel_pad = toegangslog_key
                .unwrap_or_else(|| traject_api::config::logsleutel_naast(&kluis_key));
            // The access log goes along (its key checked before anything is written).
            let logs = match (
                traject_api::app::open_log_storage(&van, false).await?,
                traject_api::app::open_log_storage(&naar, true).await?,
            ) {
                (Some(van_log), Some(naar_log)) => {
                    let logsleutel = traject_api::toegangslog::LogKey::load(&logsleutel_pad)?;
                    van_log.past(&logsleutel).await?;
                    anyhow::ensure!(
                        naar_log.is_empty().await?,
                        "to: de toegangslog van de nieuwe store is niet leeg"
                    );
                    Some((van_log, naar_log, logsleutel))
                }
                _ => None,
            };
            let (van_store, van_kluis) = (open_events(&van).await?, open_kluis(&van).await?);
            let (naar_store, naar_kluis) = (open_events(&naar).await?, open_kluis(&naar).await?);
            let begin = std::time::Instant::now();
            let verslag = traject_api::rewrite::rewrite(
                van_store.as_ref(),
                van_kluis,
                naar_store.as_ref(),
                naar_kluis,
                sleutel,
                |n| {
                    eprint!("\rherschrijven: {n} gebeurtenissen");
                    let _ = std::io::Write::flush(&mut std::io::stderr());
                },
            )
            .await
            .map_err(|fout| {
                use traject_api::rewrite::RewriteError::*;
                match fout {
                    // Refused before anything was written.
                    NietLeeg(_) | Leeg | AndereSleutel { .. } => anyhow::Error::from(fout),
                    Kluis(traject_api::kluis::KluisError::Storage(
                        traject_api::kluis::storage::StorageError::InGebruik(_),
                    )) => anyhow::Error::from(fout),
                    _ => anyhow::anyhow!(
                        "{fout}\nDe nieuwe store kan een deel van de kopie bevatten: verwijder hem voordat je opnieuw begint. De oude store is niet veranderd."
                    ),
                }
            })?;
            eprintln!();
            if let Some((van_log, naar_log, logsleutel)) = logs {
                let regels = traject_api::toegangslog::copy(&van_log, &naar_log, logsleutel)
                    .await
                    .map_err(|fout| {
                        anyhow::anyhow!(
                            "toegangslog: {fout}\nDe nieuwe store bevat de kopie zonder (volledige) toegangslog: verwijder hem voordat je opnieuw begint. De oude store is niet veranderd."
                        )
                    })?;
                println!("{regels} regels van de toegangslog gekopieerd.");
            }
            println!(
                "{} gebeurtenissen en {} kluisrecords gekopieerd in {:.1} s; {} werkgevers en functies verzegeld, \
                 waarvan {} van gewiste clients onleesbaar gemaakt.\n\
                 Start de servers op de nieuwe store. De oude store en haar back-ups bevatten deze tekst nog onversleuteld:\n\
                 vernietig ze.",
                verslag.events,
                verslag.kluisrecords,
                begin.elapsed().as_secs_f64(),
                verslag.verzegeld,
                verslag.onleesbaar_gemaakt,
            );
            Ok(())
        }
        Opdracht::Export(opdracht) => export(opdracht).await,
        Opdracht::Publiceer(opdracht) => publiceer(opdracht).await,
        Opdracht::Toegangslog(opdracht) => toegangslog(opdracht).await,
        Opdracht::Import(opdracht) => importeer(opdracht).await,
        Opdracht::ImportTemplate { output, per_event } => {
            let indeling = if per_event {
                traject_import::Indeling::PerGebeurtenis
            } else {
                traject_import::Indeling::PerTraject
            };
            let bytes = traject_import::sjabloon::xlsx(indeling)?;
            std::fs::write(&output, bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", output.display()))?;
            println!("sjabloon geschreven: {}", output.display());
            Ok(())
        }
        Opdracht::Backup { store, to } => {
            let dir = alleen_embedded(&store, "backup")?;
            let verslag =
                tokio::task::spawn_blocking(move || traject_api::backup::create(&dir, &to))
                    .await??;
            print_verslag("backup gemaakt", &verslag);
            Ok(())
        }
        Opdracht::Restore { from, store } => {
            let dir = alleen_embedded(&store, "restore")?;
            let verslag =
                tokio::task::spawn_blocking(move || traject_api::backup::restore(&from, &dir))
                    .await??;
            print_verslag("backup hersteld", &verslag);
            println!(
                "start de server met dezelfde sleutelbestanden (--kluis-key, --toegangslog-key)."
            );
            Ok(())
        }
        Opdracht::Token {
            user,
            role,
            organisatie,
            regio,
            name,
            hours,
            secret,
            store,
            kluis_key,
        } => {
            let secret = match secret {
                Some(s) => s,
                None => {
                    let mut config = ServeConfig::new(store);
                    config.kluis_key = kluis_key;
                    let pad = config.development_secret_path()?;
                    if !pad.is_file() {
                        anyhow::bail!(
                            "{}: geen ontwikkelgeheim; start de server eerst in ontwikkelmodus op deze store, of geef --secret",
                            pad.display()
                        );
                    }
                    traject_api::config::development_secret(&pad)?.0
                }
            };
            let claims = Claims {
                sub: user,
                name,
                roles: role,
                realm_access: None,
                organisatie,
                regio,
                exp: nu() + hours * 3600,
                iss: None,
                aud: None,
                nbf: None,
            };
            println!("{}", mint(&secret, &claims));
            Ok(())
        }
    }
}

/// The directory of an embedded store; PostgreSQL and KurrentDB have their own tools.
fn alleen_embedded(store: &str, opdracht: &str) -> anyhow::Result<std::path::PathBuf> {
    match StoreChoice::parse(store) {
        StoreChoice::Embedded(dir) => Ok(dir),
        StoreChoice::Postgres(_) => anyhow::bail!(
            "store: {opdracht} is voor de ingebouwde store; gebruik voor PostgreSQL pg_dump (of pg_basebackup met WAL-archivering)"
        ),
        StoreChoice::Kurrent(_) => anyhow::bail!(
            "store: {opdracht} is voor de ingebouwde store; KurrentDB maakt zijn eigen backups"
        ),
    }
}

fn print_verslag(wat: &str, verslag: &traject_api::backup::Verslag) {
    println!("{wat}: {} events", verslag.events);
    for (pad, grootte) in &verslag.bestanden {
        println!("  {} ({grootte} bytes, gecontroleerd)", pad.display());
    }
}

/// Logs to stderr, with colours only on a terminal (a log file gets plain text).
fn logging(formaat: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match formaat {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.compact().init(),
    }
}

/// The event store and the vault, as configured: the one place a backend is chosen. The vault
/// lives beside the events unless `--kluis-store` puts it elsewhere, as it must for KurrentDB.
async fn open_store(config: &ServeConfig) -> anyhow::Result<(Arc<dyn EventStore>, Arc<dyn Kluis>)> {
    let apart = config.kluis_store.is_some();
    Ok(match config.store_choice() {
        StoreChoice::Embedded(dir) if !apart => {
            std::fs::create_dir_all(&dir)?;
            let store = SqliteStore::open(dir.join("events.sqlite")).await?;
            let kluis = SqliteKluis::open(&dir.join("events.sqlite"))?;
            (Arc::new(store), Arc::new(kluis))
        }
        StoreChoice::Postgres(url) if !apart => {
            let pg = PostgresConfig::new(url.0);
            let kluis = PostgresKluis::connect(&pg.url, &pg.schema, pg.pool_size).await?;
            let store = PostgresStore::connect(pg).await?;
            (Arc::new(store), Arc::new(kluis))
        }
        StoreChoice::Kurrent(_) if !apart => anyhow::bail!(
            "kluis-store: KurrentDB bewaart geen persoonsgegevens; geef met --kluis-store een map of een postgres://-URL voor de kluis"
        ),
        keuze => (
            open_events(&keuze).await?,
            open_kluis(&config.kluis_choice()).await?,
        ),
    })
}

/// The event store of a command that reads or changes an existing store: an embedded directory
/// without a store is refused, naming the path, rather than made into an empty one (a mistyped
/// path would export empty figures or release nothing, with success).
async fn open_bestaande_events(keuze: &StoreChoice) -> anyhow::Result<Arc<dyn EventStore>> {
    if let StoreChoice::Embedded(dir) = keuze {
        traject_api::backup::require_store("store", dir)?;
    }
    open_events(keuze).await
}

/// The event store alone.
async fn open_events(keuze: &StoreChoice) -> anyhow::Result<Arc<dyn EventStore>> {
    Ok(match keuze {
        StoreChoice::Embedded(dir) => {
            std::fs::create_dir_all(dir)?;
            Arc::new(SqliteStore::open(dir.join("events.sqlite")).await?)
        }
        StoreChoice::Postgres(url) => {
            Arc::new(PostgresStore::connect(PostgresConfig::new(url.0.clone())).await?)
        }
        #[cfg(feature = "kurrentdb")]
        StoreChoice::Kurrent(url) => Arc::new(traject_store::KurrentStore::connect(&url.0)?),
        #[cfg(not(feature = "kurrentdb"))]
        StoreChoice::Kurrent(_) => {
            anyhow::bail!("store: deze build kent KurrentDB niet; bouw met `--features kurrentdb`")
        }
    })
}

/// The vault alone: in an embedded store's directory or a PostgreSQL schema.
async fn open_kluis(keuze: &StoreChoice) -> anyhow::Result<Arc<dyn Kluis>> {
    Ok(match keuze {
        StoreChoice::Embedded(dir) => {
            std::fs::create_dir_all(dir)?;
            Arc::new(SqliteKluis::open(&dir.join("events.sqlite"))?)
        }
        StoreChoice::Postgres(url) => {
            let pg = PostgresConfig::new(url.0.clone());
            Arc::new(PostgresKluis::connect(&pg.url, &pg.schema, pg.pool_size).await?)
        }
        StoreChoice::Kurrent(_) => anyhow::bail!(
            "kluis-store: de kluis hoort in een map of in PostgreSQL, niet in KurrentDB"
        ),
    })
}

/// The access log of `store` for a command run beside the servers: the key must exist. On an
/// embedded store no server holds, the command takes the store's lock for as long as the
/// returned slot lives, and with it the log's journal (chaining what a stopped server left in
/// it); beside a server, the journal stays the server's.
async fn open_log(
    store: String,
    kluis_store: Option<String>,
    sleutel: std::path::PathBuf,
) -> anyhow::Result<(
    traject_api::toegangslog::Toegangslog,
    Option<traject_api::slot::Slot>,
)> {
    let mut config = ServeConfig::new(store);
    config.kluis_store = kluis_store;
    config.toegangslog_key = Some(sleutel);
    config.mode = Mode::Production;
    let events = open_bestaande_events(&config.store_choice()).await?;
    let slot = match config.store_choice() {
        StoreChoice::Embedded(dir) => traject_api::slot::try_acquire(&dir)?,
        _ => None,
    };
    let log = traject_api::app::open_toegangslog(&config, events, slot.is_some()).await?;
    Ok((log, slot))
}

/// `traject import`: the report on standard output; exit status 1 when a trajectory was
/// refused or the import stopped.
async fn importeer(opdracht: ImportOpdracht) -> anyhow::Result<()> {
    use traject_dienst::{Dienst, Gebruiker, Rol, Verzoeker};
    let organisatie = traject_domain::value::OrganisatieId::parse(&opdracht.organisatie)
        .map_err(|e| anyhow::anyhow!("--organisatie: {e}"))?;
    let regio = opdracht
        .regio
        .as_deref()
        .map(Regio::parse)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--regio: {e}"))?;
    let bytes = std::fs::read(&opdracht.file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", opdracht.file.display()))?;
    let mut config = ServeConfig::new(opdracht.store);
    config.kluis_store = opdracht.kluis_store;
    config.kluis_key = opdracht.kluis_key;
    config.toegangslog_key = opdracht.toegangslog_key;
    // Keys given are loaded, never made; without them the development keys of the store.
    if config.kluis_key.is_some() {
        config.mode = Mode::Production;
    }
    // Not beside a server on the same embedded store: one writer per directory.
    let slot = match config.store_choice() {
        StoreChoice::Embedded(dir) => {
            traject_api::backup::require_store("store", &dir)?;
            Some(traject_api::slot::acquire(&dir)?)
        }
        _ => None,
    };
    let (store, kluis) = open_store(&config).await?;
    let kluis = Arc::new(Kluisdienst::start(kluis, config.hoofdsleutel()?).await?);
    // Beside a server only on PostgreSQL: an embedded store's lock is the import's (above).
    let log =
        traject_api::app::open_toegangslog(&config, Arc::clone(&store), slot.is_some()).await?;
    let beleid = config.cijfers.beleid().map_err(anyhow::Error::msg)?;
    let dienst = Dienst {
        store,
        // The import does not read the read models; the servers follow the store.
        projecties: Projecties::new(beleid),
        log,
        kluis,
        vandaag,
        wacht: std::time::Duration::from_secs(5),
        bron: "traject-import",
        team_bij_eerste_intake: false,
    };
    let wie = std::env::var("USER").unwrap_or_else(|_| "cli".to_owned());
    let gebruiker = Gebruiker {
        id: format!("cli:{wie}"),
        naam: format!("{wie} (traject import)"),
        rollen: vec![Rol::Teamleider],
        organisatie: Some(organisatie.clone()),
        regio,
    };
    let verzoeker = Verzoeker {
        gebruiker: &gebruiker,
        correlatie: uuid::Uuid::now_v7(),
    };
    let opties = traject_import::Opties {
        organisatie,
        regio,
        proef: opdracht.dry_run,
    };
    let verslag = traject_import::importeer(&dienst, &verzoeker, &bytes, &opties)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}; niets ingelezen", opdracht.file.display()))?;
    print!("{verslag}");
    // The import's entries into the log's tables before the lock goes (they are durable in the
    // journal anyway: a server chains what is left when it starts).
    if let Err(e) = dienst.log.close().await {
        eprintln!("toegangslog: {e}; de volgende start van de server verwerkt de rest");
    }
    drop(slot);
    if !verslag.is_schoon() {
        std::process::exit(1);
    }
    Ok(())
}

async fn toegangslog(opdracht: LogOpdracht) -> anyhow::Result<()> {
    use traject_api::toegangslog::{LogKey, archief};
    match opdracht {
        LogOpdracht::Archive {
            store,
            kluis_store,
            toegangslog_key,
            before,
            to,
            retention_years,
        } => {
            anyhow::ensure!(
                retention_years >= 1,
                "retention-years: moet minstens 1 zijn"
            );
            let grens = vandaag()
                .checked_sub_months(chrono::Months::new(12 * retention_years))
                .ok_or_else(|| anyhow::anyhow!("before: buiten het bereik van de kalender"))?;
            anyhow::ensure!(
                before <= grens,
                "before: regels jonger dan de bewaartermijn ({retention_years} jaar, dus van na {grens}) blijven in de log"
            );
            let (log, _slot) = open_log(store, kluis_store, toegangslog_key).await?;
            let moment = traject_domain::kalender::begin_van_dag(before);
            let gedaan = log.archive(moment, to.clone()).await?;
            match gedaan.tot {
                None => println!("niets te archiveren: de log heeft geen regels van voor {before}"),
                Some(a) => println!(
                    "{} regels (tot en met nr {}) naar {} geschreven en uit de log verwijderd",
                    gedaan.regels,
                    a.nr,
                    to.display()
                ),
            }
            Ok(())
        }
        LogOpdracht::Verify {
            files,
            toegangslog_key,
            store,
            kluis_store,
        } => {
            let sleutel = LogKey::load(&toegangslog_key)?;
            let mut vorige: Option<archief::Archief> = None;
            for pad in &files {
                let a = archief::verify(pad, &sleutel)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?;
                if let Some(v) = &vorige {
                    anyhow::ensure!(
                        a.na == v.tot,
                        "{}: sluit niet aan op het archief ervoor (dat eindigt bij nr {}, dit begint na nr {})",
                        pad.display(),
                        v.tot.0,
                        a.na.0
                    );
                }
                println!(
                    "{}: intact, {} regels, nr {} tot en met {}",
                    pad.display(),
                    a.regels,
                    a.na.0 + 1,
                    a.tot.0
                );
                vorige = Some(a);
            }
            if let (Some(store), Some(laatste)) = (store, vorige) {
                let (log, _slot) = open_log(store, kluis_store, toegangslog_key).await?;
                anyhow::ensure!(
                    log.continues_from(laatste).await?,
                    "de live log sluit niet aan op het laatste archief"
                );
                println!("de live log sluit aan op het laatste archief");
            }
            Ok(())
        }
    }
}

/// Makes a data directory its user's alone (0700) and every file in it (0600): for a directory
/// that an earlier version or another program made with wider modes.
fn privé(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let fout = |pad: &std::path::Path, e: std::io::Error| anyhow::anyhow!("{}: {e}", pad.display());
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| fout(dir, e))?;
    for entry in std::fs::read_dir(dir).map_err(|e| fout(dir, e))? {
        let entry = entry.map_err(|e| fout(dir, e))?;
        let pad = entry.path();
        let meta = entry.metadata().map_err(|e| fout(&pad, e))?;
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(&pad, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| fout(&pad, e))?;
        }
    }
    Ok(())
}

/// Development mode's guards: only on loopback unless told otherwise, and a token secret of the
/// data directory's own when none is given.
fn ontwikkelmodus(config: &mut ServeConfig) -> anyhow::Result<()> {
    if !config.listen.ip().is_loopback() && !config.development_on_network {
        anyhow::bail!(
            "--listen {}: in ontwikkelmodus luistert traject alleen op loopback (127.0.0.1 of ::1); \
             gebruik --mode production, of --development-on-network om dit bewust toe te staan",
            config.listen
        );
    }
    if config.jwt_secret.is_none() {
        let pad = config.development_secret_path()?;
        config.jwt_secret = Some(traject_api::config::development_secret(&pad)?);
    }
    Ok(())
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let stop = stop()?;
    // One server per embedded data directory, held until it stops.
    let _slot = match config.store_choice() {
        StoreChoice::Embedded(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            privé(&dir)?;
            Some(traject_api::slot::acquire(&dir)?)
        }
        _ => None,
    };
    let (store, kluis) = open_store(&config).await?;
    let kluis = Arc::new(Kluisdienst::start(kluis, config.hoofdsleutel()?).await?);
    let mut opties = DemoOpties::landelijk(vandaag());
    opties.trajecten = config.demo_trajecten;
    if config.demo {
        // The vault first: the events' free text is sealed with the clients' keys.
        traject_api::demo::fill_kluis_if_empty(&kluis, &opties).await?;
        traject_api::demo::load_if_empty(Arc::clone(&store), Arc::clone(&kluis), &opties).await?;
    }
    let app = Application::build(&config, Arc::clone(&store), kluis, vandaag).await?;
    if config.demo {
        // The newest quarter before serving, the rest in the background (each release runs its
        // audit).
        let (vrijgaven, projecties, opties) = (app.vrijgaven(), app.projecties(), opties.clone());
        traject_api::demo::vrijgeven_if_empty(&vrijgaven, &projecties, store.as_ref(), &opties, 1)
            .await?;
        tokio::spawn(async move {
            let start = std::time::Instant::now();
            match traject_api::demo::vrijgeven_if_empty(
                &vrijgaven,
                &projecties,
                store.as_ref(),
                &opties,
                usize::MAX,
            )
            .await
            {
                Ok(0) => {}
                Ok(aantal) => tracing::info!(
                    count = aantal,
                    s = start.elapsed().as_secs_f64(),
                    "demo data: kwartalen vrijgegeven"
                ),
                Err(fout) => tracing::error!(error = %fout, "demo data: vrijgeven failed"),
            }
        });
    }
    let url = format!("http://{}:{}/graphql", config.listen.ip(), app.poort());
    tracing::info!(%url, "traject listening");
    if config.mode == Mode::Development {
        // A banner for the person who started it (a log collector gets the warning line).
        if config.log_format() == LogFormat::Text {
            eprintln!(
                "\n  ONTWIKKELMODUS: tokens met een gedeeld geheim{}{}; niet voor echte cliëntgegevens.\n  \
                 Productie: --mode production met --jwks of --jwt-public-key.\n",
                if config.demo { ", demo-logins" } else { "" },
                if config.listen.ip().is_loopback() {
                    ""
                } else {
                    ", OPEN VOOR HET NETWERK"
                },
            );
        }
        tracing::warn!(
            listen = %config.listen,
            "development mode: tokens with a shared secret; not for real client data"
        );
    }
    if config.demo {
        let secret = config.jwt_secret.as_ref().map_or("", |s| s.0.as_str());
        println!(
            "traject draait op http://{}:{}/ (GraphQL op {url})",
            config.listen.ip(),
            app.poort()
        );
        println!("demo-logins (Authorization: Bearer <token>, 12 uur geldig):");
        // Chosen once, now that the read models caught up for the first release above: the
        // same coach as every demo sign-in of this server.
        let coach = app.demo_coach();
        for login in traject_api::demo::logins(secret, &coach) {
            println!(
                "  {:<11} {}\n    {}",
                login.rol, login.gebruiker, login.token
            );
        }
    }
    app.run(stop).await
}

async fn export(opdracht: ExportOpdracht) -> anyhow::Result<()> {
    let bereik = match &opdracht.regio {
        Some(r) => CijferBereik::Regio(Regio::parse(r)?),
        None => CijferBereik::Landelijk,
    };
    let selectie = Selectie::parse(bereik, &opdracht.from, &opdracht.to).map_err(|mut fout| {
        // On the command line the quarters are `--from` and `--to`.
        match fout.veld.as_ref() {
            "van" => fout.veld = "from".into(),
            "tot" => fout.veld = "to".into(),
            _ => {}
        }
        fout
    })?;
    let formaat: FileFormat = opdracht.format.parse().map_err(anyhow::Error::msg)?;
    // The rules are checked before the store is read.
    opdracht.cijfers.regels().map_err(anyhow::Error::msg)?;
    let beleid = opdracht.cijfers.beleid().map_err(anyhow::Error::msg)?;
    let store = open_bestaande_events(&StoreChoice::parse(&opdracht.store)).await?;
    let projecties = if opdracht.voorlopig {
        Projecties::build(store.as_ref(), beleid).await?
    } else {
        // Releases are read from the store as they are: no read models needed.
        Projecties::new(beleid)
    };
    let vrijgaven = opdracht
        .cijfers
        .vrijgaven(store, projecties)
        .map_err(anyhow::Error::msg)?;
    let uitgave = vrijgaven
        .uitgave(selectie.van, selectie.tot, opdracht.voorlopig, vandaag())
        .await?;
    let bestand = write(&uitgave, &selectie, formaat)?;
    match &opdracht.output {
        Some(pad) => std::fs::write(pad, bestand)?,
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &bestand)?,
    }
    Ok(())
}

async fn publiceer(opdracht: PubliceerOpdracht) -> anyhow::Result<()> {
    let kwartaal: traject_projections::cijfers::Kwartaal = opdracht
        .kwartaal
        .parse()
        .map_err(|_| anyhow::anyhow!("kwartaal: moet een kwartaal zijn, bijvoorbeeld 2025Q3"))?;
    opdracht.cijfers.regels().map_err(anyhow::Error::msg)?;
    let beleid = opdracht.cijfers.beleid().map_err(anyhow::Error::msg)?;
    let store = open_bestaande_events(&StoreChoice::parse(&opdracht.store)).await?;
    let projecties = Projecties::build(store.as_ref(), beleid).await?;
    let vrijgaven = opdracht
        .cijfers
        .vrijgaven(store, projecties)
        .map_err(anyhow::Error::msg)?;
    let kop = vrijgaven.vrijgeef(kwartaal, vandaag(), "cli").await?;
    println!(
        "{} vrijgegeven als vrijgave {} (peildatum {}, store-positie {}, drempel {}).",
        kop.kwartaal,
        kop.nummer,
        kop.peildatum,
        kop.positie.map_or(0, |p| p.0),
        kop.drempel
    );
    Ok(())
}

/// Today on the Dutch calendar: the date the users live by. Between midnight in the Netherlands
/// and midnight UTC (one or two hours) the UTC date is still yesterday's, and a coach could not
/// record what happened today.
fn vandaag() -> chrono::NaiveDate {
    traject_api::vandaag_in_nederland(chrono::Utc::now())
}

/// Resolves on Ctrl-C or SIGTERM.
/// The stop signal (SIGTERM or Ctrl-C), its handlers installed now, before anything is served:
/// a handler installed only when the future is first polled left a short window after the start
/// in which SIGTERM still killed the process without its snapshot.
fn stop() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
        tracing::info!("shutting down: finishing the requests in progress");
    })
}

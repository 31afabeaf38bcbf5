//! The anonymised regional figures at the edge: their settings, the files
//! ([`format`](mod@format)) and the export over HTTP ([`http`]). What is released and read is the
//! release crate's ([`traject_vrijgave`]): figures leave the system only as deliberate releases
//! of closed quarters, and reading never writes.

pub mod format;
pub mod http;

use std::sync::Arc;

use traject_projections::Projecties;
use traject_store::EventStore;
use traject_vrijgave::bescherming::Regels;
pub use traject_vrijgave::{Uitgave, Voorlopig, Vrijgave, VrijgaveError, VrijgaveKop, Vrijgaven};

/// How figures are published: the disclosure-control rules and the yearly target.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct CijferConfig {
    /// The threshold T: every count 1 <= n < T is hidden. At least 5.
    #[arg(long, env = "TRAJECT_DREMPEL", default_value_t = 10)]
    pub drempel: u64,
    /// Round every published count to a multiple of 5.
    #[arg(long, env = "TRAJECT_AFRONDEN")]
    pub afronden: bool,
    /// Started trajectories (intake completed) a region aims for per year.
    #[arg(long, env = "TRAJECT_JAARDOEL", default_value_t = 100)]
    pub jaardoel: u64,
    /// Days after a quarter's end before it may be released (late registrations).
    #[arg(long, env = "TRAJECT_VRIJGAVE_WACHTTIJD", default_value_t = 42)]
    pub vrijgave_wachttijd: u32,
    /// Corrections allowed after a quarter's first release.
    #[arg(long, env = "TRAJECT_MAX_CORRECTIES", default_value_t = 3)]
    pub max_correcties: u32,
    /// The duurzaam policy every status and figure is computed under: `duurzaam-v2` adds up
    /// the hours of concurrent placements; `duurzaam-v1` makes figures of earlier versions again.
    #[arg(
        long,
        env = "TRAJECT_DUURZAAM_BELEID",
        default_value = "duurzaam-v2",
        value_parser = traject_domain::DuurzaamBeleid::VERSIES
    )]
    pub duurzaam_beleid: String,
    /// A directory with each region's business-case assumptions (`AM23.json`, `NL.json` for
    /// the nation): JSON over the defaults, read when a business case is asked for. Without it,
    /// or without a region's file, the defaults (`standaard-1`).
    #[arg(long, env = "TRAJECT_BUSINESSCASE_AANNAMES")]
    pub businesscase_aannames: Option<std::path::PathBuf>,
}

impl Default for CijferConfig {
    fn default() -> Self {
        Self {
            drempel: 10,
            afronden: false,
            jaardoel: 100,
            vrijgave_wachttijd: 42,
            max_correcties: 3,
            duurzaam_beleid: traject_domain::DuurzaamBeleid::VERSIES[0].to_owned(),
            businesscase_aannames: None,
        }
    }
}

impl CijferConfig {
    /// The duurzaam policy of [`CijferConfig::duurzaam_beleid`].
    pub fn beleid(&self) -> Result<traject_domain::DuurzaamBeleid, String> {
        traject_domain::DuurzaamBeleid::versie_van(&self.duurzaam_beleid)
            .map_err(|e| format!("--duurzaam-beleid {}", e.regel))
    }

    /// The rules, or which setting breaks which rule.
    pub fn regels(&self) -> Result<Regels, String> {
        let mut regels = Regels::new(self.drempel)?;
        regels.afronden = self.afronden;
        Ok(regels)
    }

    /// The releases of `projecties` (following `store`) under these settings.
    pub fn vrijgaven(
        &self,
        store: Arc<dyn EventStore>,
        projecties: Arc<Projecties>,
    ) -> Result<Vrijgaven, String> {
        Ok(Vrijgaven::new(
            store,
            projecties,
            self.regels()?,
            self.jaardoel,
            self.vrijgave_wachttijd,
            self.max_correcties,
        ))
    }
}

//! The application layer of traject: the one way to change anything.
//!
//! Every change to a trajectory ([`traject`]), a client's personal data or an erasure
//! ([`persoon`]), or an organisation's team ([`team`]) is one function here, and each goes through
//! the same steps in the same order:
//!
//! 1. the caller is a [`Gebruiker`], made by the API from a verified token (or by the CLI);
//! 2. authorise on facts loaded from the store for this command: the trajectory's stream as
//!    stored at the revision the caller decided on, the client's organisation
//!    ([`traject_domain::client`]), the organisation's team ([`traject_domain::team`]); never
//!    only the eventually consistent read models, never an identifier the caller chose;
//! 3. decide with the domain;
//! 4. append the events together with the access-log entry, in one transaction
//!    ([`toegangslog::Toegangslog::write_with`]), so no write is stored without its entry;
//! 5. wait until the read models show the write, and answer.
//!
//! Commands are idempotent by their event id: a retry with the same id and content answers what
//! the first answered, whether or not that answer arrived; the same id with other content is
//! refused (`event_id_al_gebruikt`). The GraphQL resolvers only translate input and output; the
//! demo loader and the CLI use this layer too. Nothing here knows HTTP or GraphQL.

pub mod fout;
pub mod gebruiker;
pub mod import;
pub use traject_kluis as kluis;
pub mod logcode;
pub mod persoon;
pub mod rewrite;
pub mod team;
pub mod toegang;
pub use traject_toegangslog as toegangslog;
pub mod traject;

mod laden;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use traject_projections::Projecties;
use traject_store::EventStore;

pub use fout::DienstError;
pub use gebruiker::{Gebruiker, Rol};

use kluis::Kluisdienst;
use toegangslog::Toegangslog;

/// What the command path works with: the store, the read models, the access log and the vault.
#[derive(Clone)]
pub struct Dienst {
    /// The event store.
    pub store: Arc<dyn EventStore>,
    /// The read models.
    pub projecties: Arc<Projecties>,
    /// The access log.
    pub log: Toegangslog,
    /// Clients' personal data.
    pub kluis: Arc<Kluisdienst>,
    /// Today, as the domain is given it.
    pub vandaag: fn() -> NaiveDate,
    /// How long a command waits for the read models to show it.
    pub wacht: Duration,
    /// The source system named in the access log (`traject-api`, `traject-demo`, ...).
    pub bron: &'static str,
    /// Whether a coach who records their own intake joins their organisation's team on the way
    /// (the token's organisation claim then vouches for them); otherwise a teamleider adds each
    /// coach first.
    pub team_bij_eerste_intake: bool,
}

/// Who asks, in which request.
#[derive(Debug, Clone, Copy)]
pub struct Verzoeker<'a> {
    /// The verified caller.
    pub gebruiker: &'a Gebruiker,
    /// Ties the request's log lines and access-log entries together.
    pub correlatie: uuid::Uuid,
}

/// One access to person-level data, for the log.
#[derive(Debug, Clone)]
pub struct Inzage<'a> {
    /// The event code ([`logcode`]).
    pub code: &'static str,
    /// The action.
    pub actie: toegangslog::Actie,
    /// The result.
    pub resultaat: toegangslog::Resultaat,
    /// The role the access was made in (`None`: the caller's first role).
    pub rol: Option<Rol>,
    /// The authorisation rule that applied.
    pub regel: &'a str,
    /// The pseudonymous clients touched.
    pub clients: Vec<traject_domain::value::ClientId>,
    /// The trajectory, if one.
    pub traject: Option<traject_domain::value::TrajectId>,
}

/// An access-log entry handed to the log ([`Dienst::log_ingediend`]).
#[must_use = "nothing may leave before `afwachten` returned Ok"]
pub struct Gelogd {
    ingediend: toegangslog::Ingediend,
    /// The read was over the quota (client records per minute): refused once logged.
    te_veel: Option<usize>,
}

impl Gelogd {
    /// Whether the read was over the quota: [`Self::afwachten`] refuses it.
    pub fn over_quotum(&self) -> bool {
        self.te_veel.is_some()
    }

    /// Waits until the entry is durable; the read's refusal if it was over the quota.
    pub async fn afwachten(self) -> Result<(), DienstError> {
        self.ingediend
            .duurzaam()
            .await
            .map_err(DienstError::van_log)?;
        match self.te_veel {
            None => Ok(()),
            Some(per_minuut) => Err(DienstError::TeVeel { per_minuut }),
        }
    }
}

impl Dienst {
    /// The access-log entry of `inzage` by `wie`.
    pub fn toegang(&self, wie: &Verzoeker<'_>, inzage: Inzage<'_>) -> toegangslog::Toegang {
        let rol = inzage
            .rol
            .or_else(|| wie.gebruiker.rollen.first().copied())
            .map_or("geen", Rol::as_str);
        toegangslog::Toegang {
            gebeurteniscode: inzage.code.to_owned(),
            actie: inzage.actie,
            tijd: chrono::Utc::now(),
            resultaat: inzage.resultaat,
            gebruiker: wie.gebruiker.id.clone(),
            rol: rol.to_owned(),
            organisatie: wie
                .gebruiker
                .organisatie
                .as_ref()
                .map(|o| o.as_str().to_owned()),
            clients: inzage.clients,
            traject: inzage.traject,
            regel: inzage.regel.to_owned(),
            bron: self.bron.to_owned(),
            correlatie: wie.correlatie,
        }
    }

    /// Writes an access-log entry and waits until it is durable; a failure to log fails the
    /// request. A read of person-level data beyond the user's quota (client records shown per
    /// minute) is logged as refused
    /// ([`toegangslog::QUOTUM_REGEL`]) and refused: its data never leaves.
    pub async fn log(&self, wie: &Verzoeker<'_>, inzage: Inzage<'_>) -> Result<(), DienstError> {
        self.log_ingediend(wie, inzage).await?.afwachten().await
    }

    /// [`Self::log`] in two steps: the entry handed to the log (and the quota taken) now, the
    /// wait until it is durable in [`Gelogd::afwachten`]. The caller prepares its answer in
    /// between and lets nothing of it leave before that returned `Ok`.
    pub async fn log_ingediend(
        &self,
        wie: &Verzoeker<'_>,
        inzage: Inzage<'_>,
    ) -> Result<Gelogd, DienstError> {
        let mut toegang = self.toegang(wie, inzage);
        let quotum = self.log.quotum();
        let binnen =
            !toegang.leest_personen() || quotum.take(&toegang.gebruiker, toegang.clients.len());
        if !binnen {
            // Nothing was shown: the refusal names no clients (and stays small however large
            // the page asked for).
            toegang.resultaat = toegangslog::Resultaat::Geweigerd;
            toegang.regel = toegangslog::QUOTUM_REGEL.to_owned();
            toegang.clients.clear();
        }
        let ingediend = self
            .log
            .dien_in(toegang)
            .await
            .map_err(DienstError::van_log)?;
        Ok(Gelogd {
            ingediend,
            te_veel: (!binnen).then(|| quotum.per_minuut()),
        })
    }

    /// Logs a refusal by `regel` and returns it as FORBIDDEN.
    pub(crate) async fn weiger(
        &self,
        wie: &Verzoeker<'_>,
        code: &'static str,
        actie: toegangslog::Actie,
        regel: &'static str,
        clients: Vec<traject_domain::value::ClientId>,
        traject: Option<traject_domain::value::TrajectId>,
    ) -> DienstError {
        let inzage = Inzage {
            code,
            actie,
            resultaat: toegangslog::Resultaat::Geweigerd,
            rol: None,
            regel,
            clients,
            traject,
        };
        match self.log(wie, inzage).await {
            Ok(()) => DienstError::Verboden(regel),
            Err(e) => e,
        }
    }
}

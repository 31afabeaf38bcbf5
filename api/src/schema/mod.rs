//! The GraphQL schema: queries, mutations and subscriptions over the store and the projections.
//! `schema()` only builds it; serving is `http`'s job. The SDL is committed as `schema.graphql`.

mod businesscase;
mod cijfers;
pub(crate) mod datum;
mod enums;
mod fout;
mod invoer;
mod keuzelijsten;
mod kwaliteit;
pub mod logcode;
mod mutation;
mod persoon;
pub(crate) mod query;
pub(crate) mod rechtstreeks;
mod subscription;
mod team;
mod toegangslog;
pub(crate) mod types;

use std::sync::Arc;

use async_graphql::{Context, Schema, ValidationMode};
use traject_dienst::{Dienst, Verzoeker};

use crate::auth::{AuthError, Gebruiker};
use crate::cijfers::Vrijgaven;

pub(crate) use traject_dienst::Inzage;

pub use fout::ApiError;
/// The root of every query.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(
    query::TrajectQuery,
    persoon::PersoonQuery,
    cijfers::CijferQuery,
    kwaliteit::KwaliteitQuery,
    businesscase::BusinesscaseQuery,
    team::TeamQuery,
    toegangslog::ToegangslogQuery,
);

/// The root of every mutation.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    mutation::TrajectMutation,
    persoon::PersoonMutation,
    team::TeamMutation,
    cijfers::CijferMutation,
    kwaliteit::KwaliteitMutation,
    businesscase::BusinesscaseMutation,
    toegangslog::ToegangslogMutation,
);
pub use subscription::Subscription;

/// The schema's type.
pub type TrajectSchema = Schema<Query, Mutation, Subscription>;

/// What every resolver works with: the application layer (store, read models, access log,
/// vault; reached through `Deref`) and the anonymised figures.
#[derive(Clone)]
pub struct Omgeving {
    /// The application layer: every change goes through it.
    pub dienst: Dienst,
    /// The releases of the anonymised figures.
    pub vrijgaven: Arc<Vrijgaven>,
    /// The directory of the regions' business-case assumptions, if any.
    pub aannames: Option<std::path::PathBuf>,
    /// The store's head when the server started: a query that needs the read models waits for
    /// them to reach it (briefly) rather than answer from a part of the store.
    pub start_head: Option<traject_store::Position>,
}

impl std::ops::Deref for Omgeving {
    type Target = Dienst;
    fn deref(&self) -> &Dienst {
        &self.dienst
    }
}

/// The caller of one request.
#[derive(Debug, Clone)]
pub struct Verzoek {
    /// The verified caller, or why there is none.
    pub gebruiker: Result<Gebruiker, AuthError>,
    /// Ties the request's log lines and access-log entries together.
    pub correlatie: uuid::Uuid,
    /// The store position the caller has seen (header [`POSITIE_HEADER`]): the answer waits
    /// until this instance's read models reach it (read your writes across instances).
    pub minimum: Option<traject_store::Position>,
}

/// The header in which a mutation's answer names the store position it wrote, and in which a
/// request names the highest position its caller has seen.
pub const POSITIE_HEADER: &str = "traject-positie";

/// Names the store position a mutation wrote in its answer's [`POSITIE_HEADER`] (another
/// instance waits for it); the position as the answer's text.
fn meld_positie(ctx: &async_graphql::Context<'_>, positie: traject_store::Position) -> String {
    let tekst = positie.0.to_string();
    ctx.insert_http_header(POSITIE_HEADER, tekst.clone());
    tekst
}

/// The rules of the API's edge in the engine, for the WebSocket, whose messages the engine reads
/// itself: only subscriptions there (a query or mutation is BAD_REQUEST: they go over HTTP, with
/// its content-type and CSRF rules), the cost check ([`crate::kosten`]) on every document, and
/// every error of the engine itself cleaned and given a code ([`crate::http::met_codes`]). The
/// HTTP handler applies the same cost check and codes itself ([`schema_http`]).
struct Rand;

impl async_graphql::extensions::ExtensionFactory for Rand {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(Rand)
    }
}

#[async_trait::async_trait]
impl async_graphql::extensions::Extension for Rand {
    async fn request(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        next: async_graphql::extensions::NextRequest<'_>,
    ) -> async_graphql::Response {
        let mut response = next.run(ctx).await;
        crate::http::met_codes(&mut response);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        stream: futures::stream::BoxStream<'s, async_graphql::Response>,
        next: async_graphql::extensions::NextSubscribe<'_>,
    ) -> futures::stream::BoxStream<'s, async_graphql::Response> {
        use futures::StreamExt;
        next.run(ctx, stream)
            .map(|mut response| {
                crate::http::met_codes(&mut response);
                response
            })
            .boxed()
    }

    async fn parse_query(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        query: &str,
        variables: &async_graphql::Variables,
        next: async_graphql::extensions::NextParseQuery<'_>,
    ) -> async_graphql::ServerResult<async_graphql::parser::types::ExecutableDocument> {
        use async_graphql::parser::types::{DocumentOperations, OperationType};
        let te_duur = |regel: String| {
            let mut fout = async_graphql::ServerError::new(regel, None);
            let mut extensions = async_graphql::ErrorExtensionValues::default();
            extensions.set("code", "BAD_REQUEST");
            fout.extensions = Some(extensions);
            fout
        };
        // Before the parser, which recurses into nested values without a limit.
        crate::kosten::nesting(query).map_err(te_duur)?;
        let document = next.run(ctx, query, variables).await?;
        crate::kosten::check(&document, variables).map_err(te_duur)?;
        // This extension is only in the WebSocket's schema (`schema_socket`).
        let alleen_subscriptions = match &document.operations {
            DocumentOperations::Single(op) => op.node.ty == OperationType::Subscription,
            DocumentOperations::Multiple(ops) => ops
                .values()
                .all(|op| op.node.ty == OperationType::Subscription),
        };
        if !alleen_subscriptions {
            let mut fout = async_graphql::ServerError::new(
                "via de WebSocket alleen subscriptions; stuur queries en mutaties met POST naar /graphql",
                None,
            );
            let mut extensions = async_graphql::ErrorExtensionValues::default();
            extensions.set("code", "BAD_REQUEST");
            fout.extensions = Some(extensions);
            return Err(fout);
        }
        Ok(document)
    }
}

/// Limits of a request (OWASP GraphQL guidance).
pub const MAX_DIEPTE: usize = 12;
/// The most complexity a request may have; lists count their page size. A caseload page of its
/// most rows (200) with every field (28 a row: the page's own, and a row's with the next
/// action's and the attention points') costs 5,600 and is allowed: the documented page size
/// holds for any selection.
pub const MAX_COMPLEXITEIT: usize = 6_000;

/// The schema over `omgeving`, with the API's edge rules in the engine (`Rand`): for the
/// WebSocket, whose messages the engine reads itself. In production mode introspection and
/// suggestions are off.
pub fn schema_socket(omgeving: Omgeving, productie: bool) -> TrajectSchema {
    build(omgeving, productie, ValidationMode::Strict, true)
}

/// The schema for `POST` and `GET /graphql`: [`schema_socket`] without `Rand`, because the HTTP
/// handler applies those rules itself (the cost check on the parsed document before, the error
/// codes after; `http::voer_uit`). A schema with an extension resolves every field and every
/// list item through the extension chain (a boxed future and the type's name formatted each
/// time): without it a caseload runs 3-9 % faster (BENCHMARKS.md).
pub fn schema_http(omgeving: Omgeving, productie: bool) -> TrajectSchema {
    build(omgeving, productie, ValidationMode::Strict, false)
}

/// [`schema_http`] with the engine's fast validation (only its depth, complexity and
/// fragment-cycle checks), for requests that passed its full validation before: validation
/// depends on nothing but the schema and the request, so such a request passes again
/// (`http::Gevalideerd`).
pub fn schema_na_validatie(omgeving: Omgeving, productie: bool) -> TrajectSchema {
    build(omgeving, productie, ValidationMode::Fast, false)
}

fn build(
    omgeving: Omgeving,
    productie: bool,
    validatie: ValidationMode,
    rand: bool,
) -> TrajectSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(omgeving)
        .validation_mode(validatie)
        .limit_depth(MAX_DIEPTE)
        .limit_complexity(MAX_COMPLEXITEIT);
    if rand {
        builder = builder.extension(Rand);
    }
    if productie {
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The SDL of the schema (what `schema.graphql` holds).
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}

pub(crate) fn omgeving<'a>(ctx: &Context<'a>) -> &'a Omgeving {
    ctx.data_unchecked::<Omgeving>()
}

pub(crate) fn verzoek<'a>(ctx: &Context<'a>) -> Result<&'a Verzoek, ApiError> {
    ctx.data::<Verzoek>()
        .map_err(|_| ApiError::NietIngelogd("geen token".to_owned()))
}

/// The verified caller, or UNAUTHENTICATED.
pub(crate) fn gebruiker<'a>(ctx: &Context<'a>) -> Result<&'a Gebruiker, ApiError> {
    verzoek(ctx)?
        .gebruiker
        .as_ref()
        .map_err(|e| ApiError::NietIngelogd(e.to_string()))
}

/// The caller of this request as the application layer takes them, or UNAUTHENTICATED.
pub(crate) fn verzoeker<'a>(ctx: &Context<'a>) -> Result<Verzoeker<'a>, ApiError> {
    let verzoek = verzoek(ctx)?;
    Ok(Verzoeker {
        gebruiker: gebruiker(ctx)?,
        correlatie: verzoek.correlatie,
    })
}

/// How long a query waits for the read models to catch up after the start before it answers
/// UNAVAILABLE.
const INHAALTIJD: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the read models can answer completely: they follow the store, and reached its head
/// as it was at the server's start (waited for up to [`INHAALTIJD`]). Else UNAVAILABLE, never a
/// partial answer.
pub(crate) async fn leesmodellen_bij(ctx: &Context<'_>) -> Result<(), ApiError> {
    let minimum = ctx.data::<Verzoek>().ok().and_then(|v| v.minimum);
    leesmodellen_voor(omgeving(ctx), minimum).await
}

/// [`leesmodellen_bij`] for a request whose caller has seen store position `minimum`.
pub(crate) async fn leesmodellen_voor(
    o: &Omgeving,
    minimum: Option<traject_store::Position>,
) -> Result<(), ApiError> {
    leesmodellen_klaar(&o.projecties, o.start_head).await?;
    // A caller who wrote through another instance waits for that write here, at most as long.
    if let Some(minimum) = minimum
        && o.projecties.bijgewerkt_tot() < Some(minimum)
    {
        o.projecties
            .wait_for(minimum, INHAALTIJD)
            .await
            .map_err(|_| {
                ApiError::NietBeschikbaar(
                    "deze server heeft de laatste wijziging nog niet verwerkt",
                )
            })?;
    }
    Ok(())
}

/// [`leesmodellen_bij`] outside GraphQL (the export): the read models `projecties` of a server
/// that started at `start_head`.
pub(crate) async fn leesmodellen_klaar(
    projecties: &traject_projections::Projecties,
    start_head: Option<traject_store::Position>,
) -> Result<(), ApiError> {
    use traject_projections::Toestand;
    match projecties.toestand() {
        Toestand::Volgt => {}
        Toestand::Herstelt { .. } => {
            return Err(ApiError::NietBeschikbaar(
                "de leesmodellen lezen de store opnieuw in",
            ));
        }
        Toestand::Gestopt(_) => {
            return Err(ApiError::NietBeschikbaar(
                "de leesmodellen zijn gestopt; zie het serverlog",
            ));
        }
    }
    if let Some(start) = start_head
        && projecties.bijgewerkt_tot() < Some(start)
    {
        projecties
            .wait_for(start, INHAALTIJD)
            .await
            .map_err(|_| ApiError::NietBeschikbaar("de leesmodellen halen de store nog in"))?;
    }
    Ok(())
}

/// Writes an access-log entry and waits until it is durable; a failure to log fails the request.
pub(crate) async fn log(ctx: &Context<'_>, inzage: Inzage<'_>) -> Result<(), ApiError> {
    let Ok(wie) = verzoeker(ctx) else {
        return Ok(()); // an anonymous request reaches no data and has no user to log
    };
    Ok(omgeving(ctx).dienst.log(&wie, inzage).await?)
}

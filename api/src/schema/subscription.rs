//! Subscriptions over graphql-ws: the caller's caseload, sent again whenever it changed.

use async_graphql::{Context, Subscription as GqlSubscription};
use futures::Stream;
use traject_projections::caseload::{Bereik, CaseloadVraag, caseload, stempel};

use super::query::geweigerd;
use super::types::Caseload;
use super::{ApiError, Inzage, gebruiker, leesmodellen_bij, log, logcode, omgeving};
use crate::toegang::{self, CaseloadBereik};
use crate::toegangslog::{Actie, Resultaat};

/// The root of every subscription.
pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// The first page of the caller's caseload (a coach's own, or with `organisatie: true` a
    /// teamleider's organisation), now and after every change to it: also a change to a
    /// trajectory beyond the first page, so a client may take each message as "fetch what you
    /// show again".
    async fn caseload_gewijzigd<'a>(
        &self,
        ctx: &'a Context<'a>,
        #[graphql(default)] organisatie: bool,
    ) -> Result<impl Stream<Item = Result<Caseload, ApiError>> + use<'a>, ApiError> {
        let g = gebruiker(ctx)?;
        let (bereik, toegestaan) = match toegang::caseload(g, organisatie) {
            Ok(CaseloadBereik::Eigen(coach, org, t)) => (Bereik::Coach(coach, org), t),
            Ok(CaseloadBereik::Organisatie(o, t)) => (Bereik::Organisatie(o), t),
            Err(w) => {
                let inzage = geweigerd(logcode::CASELOAD_VOLGEN, Actie::R, w.regel, None, vec![]);
                log(ctx, inzage).await?;
                return Err(ApiError::Verboden(w.regel));
            }
        };
        // Complete or not at all: not before the read models caught up with the store, nothing
        // pushed while they read it again, and the subscription ended when they stopped.
        leesmodellen_bij(ctx).await?;
        let omgeving = omgeving(ctx);
        let begin = (None::<(Caseload, u64)>, omgeving.projecties.posities());
        Ok(futures::stream::unfold(
            begin,
            move |(vorige, mut posities)| {
                let bereik = bereik.clone();
                async move {
                    loop {
                        match omgeving.projecties.toestand() {
                            traject_projections::Toestand::Volgt => {}
                            // Ended: subscribing again answers UNAVAILABLE until a restart.
                            traject_projections::Toestand::Gestopt(_) => return None,
                            traject_projections::Toestand::Herstelt { .. } => {
                                posities.changed().await.ok()?;
                                continue;
                            }
                        }
                        let vraag = CaseloadVraag::new(bereik.clone(), (omgeving.vandaag)());
                        let (pagina, stempel, positie) = {
                            let model = omgeving.projecties.read();
                            (
                                caseload(&model, &vraag).ok()?,
                                stempel(&model, &bereik),
                                omgeving.projecties.bijgewerkt_tot(),
                            )
                        };
                        // Compared without its position: a push only when the page changed.
                        let nu = (
                            Caseload::van(&pagina, None, |c| omgeving.kluis.naam(c)),
                            stempel,
                        );
                        if vorige.as_ref() != Some(&nu) {
                            let inzage = Inzage {
                                code: logcode::CASELOAD_VOLGEN,
                                actie: Actie::R,
                                resultaat: Resultaat::Gelukt,
                                rol: Some(toegestaan.rol),
                                regel: toegestaan.regel,
                                clients: pagina.regels.iter().map(|r| r.client_id).collect(),
                                traject: None,
                            };
                            let item = log(ctx, inzage).await.map(|()| Caseload {
                                positie: positie.map(|p| p.0.to_string()),
                                ..nu.0.clone()
                            });
                            return Some((item, (Some(nu), posities)));
                        }
                        posities.changed().await.ok()?;
                    }
                }
            },
        ))
    }
}

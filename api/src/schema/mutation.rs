//! Mutations: one per command of the catalogue. Each only translates: GraphQL input into a
//! command of the application layer (`traject_dienst`), which authorises on the store's facts,
//! decides, appends with the access-log entry and waits for the read models; and its outcome into
//! the trajectory as the read models show it.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use traject_dienst::traject::{
    Aanmelding, NieuwePlaatsing, Opdracht, Wijziging as DienstWijziging,
};
use traject_domain::event::*;
use traject_domain::value::*;
use traject_projections::overzicht::overzicht;

use super::types::{Methode, Traject};
use super::{ApiFout, omgeving, verzoeker};

/// What every change to an existing trajectory carries.
#[derive(Debug, Clone, InputObject)]
pub struct Wijziging {
    /// The trajectory.
    pub traject_id: ID,
    /// The revision the user saw when deciding (from `traject { revisie }`).
    pub revisie: u64,
    /// The day it happened.
    pub datum: NaiveDate,
    /// An id for the event, so a retried request is recognised: the same id with the same
    /// content answers what the first request answered (a UUID; made by the server if absent).
    pub event_id: Option<ID>,
}

/// The outcome of a mutation.
#[derive(Debug, Clone, SimpleObject)]
pub struct Vastgelegd {
    /// The recorded event.
    pub event_id: ID,
    /// The trajectory's new revision.
    pub revisie: u64,
    /// The trajectory as it is now, status on the event's date or today, whichever is later.
    pub traject: Traject,
}

/// The fields of a referral.
#[derive(Debug, Clone, InputObject)]
pub struct AanmeldenInvoer {
    /// The day of the referral.
    pub datum: NaiveDate,
    /// An existing client of the caller's organisation, for a new trajectory of the same person;
    /// absent for a new client, whose pseudonymous id the server makes.
    pub client_id: Option<ID>,
    /// The method.
    pub methode: Methode,
    /// The region (CBS code `AMxx` or name).
    pub regio: String,
    /// The organisation (the caller's own).
    pub organisatie: String,
    /// Who referred: `GGZ`, `Gemeente`, `UWV`, `Zorgverzekeraar`, `Client` or `Anders`.
    pub verwijzer: String,
    /// Who pays: `Gemeente`, `UWV`, `Zorgverzekeraar`, `GGZ` or `Anders`.
    pub financier: String,
    /// An id for the event (a UUID v7; made by the server if absent).
    pub event_id: Option<ID>,
}

/// The fields of a new placement.
#[derive(Debug, Clone, InputObject)]
pub struct PlaatsingInvoer {
    /// The employer.
    pub werkgever: String,
    /// The job title.
    pub functie: String,
    /// Contractual hours per week (more than 0, at most 60).
    pub uren_per_week: f64,
    /// `Vast`, `Tijdelijk`, `Uitzend`, `Oproep` or `Zelfstandig`.
    pub contract: String,
    /// The last day of a `Tijdelijk` contract.
    pub einddatum: Option<NaiveDate>,
    /// Paid work.
    pub betaald: bool,
    /// On the competitive labour market.
    pub regulier: bool,
}

/// The mutations: one per command of the catalogue.
#[derive(Default)]
pub struct TrajectMutation;

#[Object]
impl TrajectMutation {
    /// Refers a new trajectory (aanmelding), of a new client or of an existing client of the
    /// caller's own organisation.
    async fn aanmelden(
        &self,
        ctx: &Context<'_>,
        invoer: AanmeldenInvoer,
    ) -> Result<Vastgelegd, ApiFout> {
        let wie = verzoeker(ctx)?;
        let aanmelding = Aanmelding {
            datum: invoer.datum,
            client_id: invoer
                .client_id
                .as_ref()
                .map(|c| ClientId::parse(c).map_err(|e| e.in_veld("clientId")))
                .transpose()?,
            methode: invoer.methode.into(),
            regio: Regio::parse(&invoer.regio)?,
            organisatie: OrganisatieId::parse(&invoer.organisatie)?,
            verwijzer: Verwijzer::parse(&invoer.verwijzer)?,
            financier: Financier::parse(&invoer.financier)?,
            event_id: event_id(&invoer.event_id)?,
        };
        let gedaan = omgeving(ctx).dienst.aanmelden(&wie, aanmelding).await?;
        antwoord(ctx, gedaan).await
    }

    /// Records a completed intake; a coach records themselves as the coach, a teamleider names
    /// a coach of the team.
    async fn intake_afronden(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: Option<String>,
        uitkering: String,
        in_ggz_behandeling: bool,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::IntakeAfronden {
            coach: coach.as_deref().map(CoachId::parse).transpose()?,
            uitkering: Uitkering::parse(&uitkering)?,
            in_ggz_behandeling,
        };
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Assigns another coach of the organisation's team (teamleider).
    async fn coach_toewijzen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::CoachToewijzen(CoachId::parse(&coach)?);
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Records a contact with an employer.
    async fn werkgeverscontact(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        werkgever: String,
        persoonlijk: bool,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::Werkgeverscontact(WerkgeverContactGelegd {
            werkgever: Werkgever::parse(&werkgever)?.into(),
            persoonlijk,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Records the start of a placement.
    async fn plaatsing_starten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing: PlaatsingInvoer,
    ) -> Result<Vastgelegd, ApiFout> {
        let contract = match (plaatsing.contract.as_str(), plaatsing.einddatum) {
            ("Tijdelijk", Some(einddatum)) => Contract::Tijdelijk {
                einddatum: Datum::new(einddatum).map_err(|e| e.in_veld("einddatum"))?,
            },
            ("Tijdelijk", None) => {
                return Err(ApiFout::invoer(
                    "einddatum",
                    "is verplicht bij een tijdelijk contract",
                ));
            }
            (_, Some(_)) => {
                return Err(ApiFout::invoer(
                    "einddatum",
                    "alleen bij een tijdelijk contract",
                ));
            }
            ("Vast", None) => Contract::Vast,
            ("Uitzend", None) => Contract::Uitzend,
            ("Oproep", None) => Contract::Oproep,
            ("Zelfstandig", None) => Contract::Zelfstandig,
            _ => {
                return Err(ApiFout::invoer(
                    "contract",
                    "moet een van Vast Tijdelijk Uitzend Oproep Zelfstandig zijn",
                ));
            }
        };
        let opdracht = Opdracht::PlaatsingStarten(NieuwePlaatsing {
            werkgever: Werkgever::parse(&plaatsing.werkgever)?,
            functie: Functie::parse(&plaatsing.functie)?,
            uren_per_week: UrenPerWeek::from_hours(plaatsing.uren_per_week)?,
            contract,
            betaald: plaatsing.betaald,
            regulier: plaatsing.regulier,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Records the end of a placement; `datum` is the last day of work.
    async fn plaatsing_beeindigen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing_id: ID,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::PlaatsingBeeindigen(PlaatsingBeeindigd {
            plaatsing_id: PlaatsingId::parse(&plaatsing_id)
                .map_err(|e| e.in_veld("plaatsingId"))?,
            reden: BeeindigingsReden::parse(&reden)?,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Lowers support to waakvlam.
    async fn waakvlam_inzetten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
    ) -> Result<Vastgelegd, ApiFout> {
        wijzig(ctx, wijziging, Opdracht::WaakvlamInzetten).await
    }

    /// Scales support up again from waakvlam.
    async fn opschalen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::Opschalen(Opgeschaald {
            reden: OpschalingsReden::parse(&reden)?,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Closes the trajectory; `datum` is the last day of measurement.
    async fn afsluiten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::Afsluiten(TrajectAfgesloten {
            reden: AfsluitingsReden::parse(&reden)?,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Opens a closed trajectory again.
    async fn heropenen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::Heropenen(TrajectHeropend {
            reden: HeropeningsReden::parse(&reden)?,
        });
        wijzig(ctx, wijziging, opdracht).await
    }

    /// Retracts an earlier event (the way every mistake is corrected).
    async fn intrekken(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        event_id: ID,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let opdracht = Opdracht::Intrekken(GebeurtenisIngetrokken {
            event_id: EventId::parse(&event_id).map_err(|e| e.in_veld("eventId"))?,
            reden: IntrekkingsReden::parse(&reden)?,
        });
        wijzig(ctx, wijziging, opdracht).await
    }
}

/// The id a caller chose for a new event: a UUID v7 (time-ordered), as the store keeps them.
fn event_id(id: &Option<ID>) -> Result<Option<EventId>, ApiFout> {
    Ok(id
        .as_ref()
        .map(|e| {
            let id = EventId::parse(e).map_err(|e| e.in_veld("eventId"))?;
            if id.as_uuid().get_version_num() != 7 {
                return Err(traject_domain::value::ValueError::new(
                    "eventId",
                    "moet een UUID v7 zijn (tijdgeordend, zoals uuid.v7() of Uuid::now_v7() ze maakt)",
                ));
            }
            Ok(id)
        })
        .transpose()?)
}

/// Hands a change of an existing trajectory to the application layer.
async fn wijzig(
    ctx: &Context<'_>,
    wijziging: Wijziging,
    opdracht: Opdracht,
) -> Result<Vastgelegd, ApiFout> {
    let wie = verzoeker(ctx)?;
    let w = DienstWijziging {
        traject_id: TrajectId::parse(&wijziging.traject_id).map_err(|e| e.in_veld("trajectId"))?,
        revisie: wijziging.revisie,
        datum: wijziging.datum,
        event_id: event_id(&wijziging.event_id)?,
    };
    let gedaan = omgeving(ctx).dienst.wijzig(&wie, w, opdracht).await?;
    antwoord(ctx, gedaan).await
}

/// The answer: the trajectory as the read models show it after the write.
async fn antwoord(
    ctx: &Context<'_>,
    gedaan: traject_dienst::traject::Vastgelegd,
) -> Result<Vastgelegd, ApiFout> {
    let tekst = omgeving(ctx)
        .kluis
        .tekstsleutel(gedaan.client_id.as_uuid())
        .await
        .map_err(ApiFout::intern)?;
    let o = {
        let model = omgeving(ctx).projecties.lees();
        overzicht(&model, gedaan.traject_id, gedaan.peildatum)
            .ok_or_else(|| ApiFout::intern("traject na het vastleggen niet in de projecties"))?
    };
    Ok(Vastgelegd {
        event_id: ID(gedaan.event_id.to_string()),
        revisie: gedaan.revisie,
        traject: Traject::van(o, gedaan.client_id, &tekst),
    })
}

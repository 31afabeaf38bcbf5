//! Mutations: one per command of the catalogue. Each only translates: GraphQL input into a
//! command of the application layer (`traject_dienst`), which authorises on the store's facts,
//! decides, appends with the access-log entry and waits for the read models; and its outcome into
//! the trajectory as the read models show it.
//!
//! Closed lists are the glossary's enums ([`super::keuzelijsten`]). Bad input names the input as
//! the request sent it (`wijziging.datum`, `plaatsing.urenPerWeek`): each mutation pairs the
//! application layer's field names with its own inputs.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use traject_dienst::traject::{
    Aanmelding, NieuwePlaatsing, Opdracht, Wijziging as DienstWijziging,
};
use traject_domain::event::{
    ActieGepland, Contract as DomeinContract, GebeurtenisIngetrokken, Opgeschaald,
    PlaatsingBeeindigd, TrajectAfgesloten, TrajectHeropend, UrenGewijzigd, WerkgeverContactGelegd,
};
use traject_domain::value::{
    ClientId, CoachId, Datum, EventId, Functie, OrganisatieId, PlaatsingId, Regio, TrajectId,
    UrenPerWeek, ValueError, Werkgever,
};
use traject_projections::overzicht::overzicht;

use super::invoer::{DatumInvoer, RevisieInvoer};
use super::keuzelijsten::{
    ActieSoort, AfsluitingsReden, BeeindigingsReden, Contract, Financier, HeropeningsReden,
    IntrekkingsReden, Methode, OpschalingsReden, Uitkering, Verwijzer,
};
use super::types::Traject;
use super::{ApiError, omgeving, verzoeker};

/// What every change to an existing trajectory carries.
#[derive(Debug, Clone, InputObject)]
pub struct Wijziging {
    /// The trajectory.
    pub traject_id: ID,
    /// The revision the user saw when deciding (from `traject { revisie }`).
    pub revisie: RevisieInvoer,
    /// The day it happened.
    pub datum: DatumInvoer,
    /// An id for the event, so a retried request is recognised: the same id with the same
    /// content answers what the first request answered (a UUID v7; made by the server if
    /// absent).
    pub event_id: Option<ID>,
}

/// The application layer's names of a change's own fields, as `wijziging` names them.
const WIJZIGING: &[(&str, &str)] = &[
    ("datum", "wijziging.datum"),
    ("revisie", "wijziging.revisie"),
    ("id", "wijziging.eventId"),
    ("traject_id", "wijziging.trajectId"),
    // A placement's id is made from the event id of the change that starts it.
    ("plaatsing_id", "wijziging.eventId"),
];

/// The outcome of a mutation.
#[derive(Debug, Clone, SimpleObject)]
pub struct Vastgelegd {
    /// The recorded event.
    pub event_id: ID,
    /// The trajectory's new revision.
    pub revisie: u64,
    /// The store position of the write (also in the response header `Traject-Positie`): sent
    /// back in that request header, a query on any instance waits until it shows the write.
    pub positie: String,
    /// The placement that `plaatsingStarten` started: the id to end it or change its hours
    /// with.
    pub plaatsing_id: Option<ID>,
    /// The trajectory as it is now, status on the event's date or today, whichever is later.
    pub traject: Traject,
}

/// The fields of a referral.
#[derive(Debug, Clone, InputObject)]
pub struct AanmeldenInvoer {
    /// The day of the referral.
    pub datum: DatumInvoer,
    /// An existing client of the caller's organisation, for a new trajectory of the same person;
    /// absent for a new client, whose pseudonymous id the server makes.
    pub client_id: Option<ID>,
    /// The method.
    pub methode: Methode,
    /// The region (CBS code `AMxx` or name).
    pub regio: String,
    /// The organisation (the caller's own).
    pub organisatie: String,
    /// Who referred.
    pub verwijzer: Verwijzer,
    /// Who pays.
    pub financier: Financier,
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
    /// The form of the contract.
    pub contract: Contract,
    /// The last day of a `Tijdelijk` contract (required then, and only then).
    pub einddatum: Option<DatumInvoer>,
    /// Paid work.
    pub betaald: bool,
    /// On the competitive labour market: not beschut werk, not werken met behoud van uitkering,
    /// not volunteering.
    pub regulier: bool,
}

/// A retraction: which event of which trajectory no longer counts, and why. It is dated the
/// day it is recorded.
#[derive(Debug, Clone, InputObject)]
pub struct IntrekkingInvoer {
    /// The trajectory.
    pub traject_id: ID,
    /// The revision the user saw when deciding.
    pub revisie: RevisieInvoer,
    /// The event to retract (its `eventId` in the trajectory's `tijdlijn`).
    pub gebeurtenis_id: ID,
    /// Why.
    pub reden: IntrekkingsReden,
    /// An id for the retraction itself, so a retried request is recognised (a UUID v7; made by
    /// the server if absent).
    pub event_id: Option<ID>,
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
    ) -> Result<Vastgelegd, ApiError> {
        let namen = [
            ("datum", "invoer.datum"),
            ("id", "invoer.eventId"),
            ("client_id", "invoer.clientId"),
            ("regio", "invoer.regio"),
            ("organisatie", "invoer.organisatie"),
        ];
        async {
            let wie = verzoeker(ctx)?;
            let aanmelding = Aanmelding {
                datum: invoer.datum.datum("datum")?,
                client_id: invoer
                    .client_id
                    .as_ref()
                    .map(|c| ClientId::parse(c).map_err(|e| e.in_veld("client_id")))
                    .transpose()?,
                methode: invoer.methode.into(),
                regio: Regio::parse(&invoer.regio)?,
                organisatie: OrganisatieId::parse(&invoer.organisatie)?,
                verwijzer: invoer.verwijzer.into(),
                financier: invoer.financier.into(),
                event_id: event_id(&invoer.event_id)?,
            };
            let gedaan = omgeving(ctx).dienst.aanmelden(&wie, aanmelding).await?;
            antwoord(ctx, gedaan, None).await
        }
        .await
        .map_err(|f: ApiError| f.met_invoernamen(&namen))
    }

    /// Records a completed intake; a coach records themselves as the coach, a teamleider names
    /// a coach of the team.
    async fn intake_afronden(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: Option<String>,
        uitkering: Uitkering,
        in_ggz_behandeling: bool,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = coach
            .as_deref()
            .map(CoachId::parse)
            .transpose()
            .map(|coach| Opdracht::IntakeAfronden {
                coach,
                uitkering: uitkering.into(),
                in_ggz_behandeling,
            });
        wijzig(ctx, wijziging, opdracht, &[]).await
    }

    /// Assigns another coach of the organisation's team (teamleider).
    async fn coach_toewijzen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: String,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = CoachId::parse(&coach).map(Opdracht::CoachToewijzen);
        wijzig(ctx, wijziging, opdracht, &[]).await
    }

    /// Records a contact with an employer.
    async fn werkgeverscontact(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        werkgever: String,
        persoonlijk: bool,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = Werkgever::parse(&werkgever).map(|w| {
            Opdracht::Werkgeverscontact(WerkgeverContactGelegd {
                werkgever: w.into(),
                persoonlijk,
            })
        });
        wijzig(ctx, wijziging, opdracht, &[]).await
    }

    /// Records the start of a placement; the answer's `plaatsingId` names it from then on.
    async fn plaatsing_starten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing: PlaatsingInvoer,
    ) -> Result<Vastgelegd, ApiError> {
        let namen = [
            ("werkgever", "plaatsing.werkgever"),
            ("functie", "plaatsing.functie"),
            ("uren_per_week", "plaatsing.urenPerWeek"),
            ("contract", "plaatsing.contract"),
            ("einddatum", "plaatsing.einddatum"),
            ("contract.einddatum", "plaatsing.einddatum"),
        ];
        let opdracht = nieuwe_plaatsing(&plaatsing).map(Opdracht::PlaatsingStarten);
        wijzig(ctx, wijziging, opdracht, &namen).await
    }

    /// Records the end of a placement; `datum` is the last day of work.
    async fn plaatsing_beeindigen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing_id: ID,
        reden: BeeindigingsReden,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = PlaatsingId::parse(&plaatsing_id).map(|plaatsing_id| {
            Opdracht::PlaatsingBeeindigen(PlaatsingBeeindigd {
                plaatsing_id,
                reden: reden.into(),
            })
        });
        wijzig(ctx, wijziging, opdracht, &[("plaatsing_id", "plaatsingId")]).await
    }

    /// Records a change of a placement's contractual hours from `datum` on (duurzaam policy v2
    /// adds up the hours of concurrent placements and follows such changes).
    async fn uren_wijzigen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing_id: ID,
        uren_per_week: f64,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = PlaatsingId::parse(&plaatsing_id).and_then(|plaatsing_id| {
            Ok(Opdracht::UrenWijzigen(UrenGewijzigd {
                plaatsing_id,
                uren_per_week: UrenPerWeek::from_hours(uren_per_week)?,
            }))
        });
        wijzig(ctx, wijziging, opdracht, &[("plaatsing_id", "plaatsingId")]).await
    }

    /// Lowers support to waakvlam.
    async fn waakvlam_inzetten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
    ) -> Result<Vastgelegd, ApiError> {
        wijzig(ctx, wijziging, Ok(Opdracht::WaakvlamInzetten), &[]).await
    }

    /// Scales support up again from waakvlam.
    async fn opschalen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: OpschalingsReden,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = Opdracht::Opschalen(Opgeschaald {
            reden: reden.into(),
        });
        wijzig(ctx, wijziging, Ok(opdracht), &[]).await
    }

    /// Closes the trajectory; `datum` is the last day of measurement. Closing as
    /// `DuurzaamAanHetWerk` while the status does not show duurzaam on that day is refused
    /// (`duurzaam_niet_bereikt`) unless `bevestigDuurzaam` confirms it.
    async fn afsluiten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: AfsluitingsReden,
        #[graphql(default = false)] bevestig_duurzaam: bool,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = Opdracht::Afsluiten {
            afsluiting: TrajectAfgesloten {
                reden: reden.into(),
            },
            bevestigd: bevestig_duurzaam,
        };
        wijzig(ctx, wijziging, Ok(opdracht), &[]).await
    }

    /// Opens a closed trajectory again.
    async fn heropenen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: HeropeningsReden,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = Opdracht::Heropenen(TrajectHeropend {
            reden: reden.into(),
        });
        wijzig(ctx, wijziging, Ok(opdracht), &[]).await
    }

    /// Plans the trajectory's next action for the day `op` (on or after `datum`, the day it is
    /// planned, and at most a year ahead). The latest planned action is the next one until
    /// another is planned or the trajectory closes.
    async fn actie_plannen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        actie: ActieSoort,
        op: DatumInvoer,
    ) -> Result<Vastgelegd, ApiError> {
        let opdracht = op
            .datum("op")
            .and_then(|op| Datum::new(op).map_err(|e| e.in_veld("op")))
            .map(|op| {
                Opdracht::ActiePlannen(ActieGepland {
                    actie: actie.into(),
                    op,
                })
            });
        wijzig(ctx, wijziging, opdracht, &[]).await
    }

    /// Retracts an earlier event (the way every mistake is corrected).
    async fn intrekken(
        &self,
        ctx: &Context<'_>,
        intrekking: IntrekkingInvoer,
    ) -> Result<Vastgelegd, ApiError> {
        let namen = [
            ("traject_id", "intrekking.trajectId"),
            ("event_id", "intrekking.gebeurtenisId"),
            ("id", "intrekking.eventId"),
            ("reden", "intrekking.reden"),
            ("revisie", "intrekking.revisie"),
        ];
        async {
            let wie = verzoeker(ctx)?;
            let opdracht = Opdracht::Intrekken(GebeurtenisIngetrokken {
                event_id: EventId::parse(&intrekking.gebeurtenis_id)
                    .map_err(|e| e.in_veld("event_id"))?,
                reden: intrekking.reden.into(),
            });
            let w = DienstWijziging {
                traject_id: TrajectId::parse(&intrekking.traject_id)
                    .map_err(|e| e.in_veld("traject_id"))?,
                revisie: intrekking.revisie.revisie("revisie")?,
                datum: None,
                event_id: event_id(&intrekking.event_id)?,
            };
            let gedaan = omgeving(ctx).dienst.wijzig(&wie, w, opdracht).await?;
            antwoord(ctx, gedaan, None).await
        }
        .await
        .map_err(|f: ApiError| f.met_invoernamen(&namen))
    }
}

/// The placement of `invoer`, or the field that breaks a rule.
fn nieuwe_plaatsing(invoer: &PlaatsingInvoer) -> Result<NieuwePlaatsing, ValueError> {
    let einddatum = invoer
        .einddatum
        .map(|d| Datum::new(d.datum("einddatum")?).map_err(|e| e.in_veld("einddatum")))
        .transpose()?;
    let contract = match (invoer.contract, einddatum) {
        (Contract::Tijdelijk, Some(einddatum)) => DomeinContract::Tijdelijk { einddatum },
        (Contract::Tijdelijk, None) => {
            return Err(ValueError::new(
                "einddatum",
                "is verplicht bij een tijdelijk contract",
            ));
        }
        (_, Some(_)) => {
            return Err(ValueError::new(
                "einddatum",
                "hoort alleen bij een tijdelijk contract",
            ));
        }
        (Contract::Vast, None) => DomeinContract::Vast,
        (Contract::Uitzend, None) => DomeinContract::Uitzend,
        (Contract::Oproep, None) => DomeinContract::Oproep,
        (Contract::Zelfstandig, None) => DomeinContract::Zelfstandig,
    };
    Ok(NieuwePlaatsing {
        werkgever: Werkgever::parse(&invoer.werkgever)?,
        functie: Functie::parse(&invoer.functie)?,
        uren_per_week: UrenPerWeek::from_hours(invoer.uren_per_week)?,
        contract,
        betaald: invoer.betaald,
        regulier: invoer.regulier,
    })
}

/// The id a caller chose for a new event: a UUID v7 (time-ordered), as the store keeps them.
fn event_id(id: &Option<ID>) -> Result<Option<EventId>, ValueError> {
    id.as_ref()
        .map(|e| {
            let id = EventId::parse(e).map_err(|e| e.in_veld("id"))?;
            if id.as_uuid().get_version_num() != 7 {
                return Err(ValueError::new(
                    "id",
                    "moet een UUID v7 zijn (tijdgeordend, zoals uuid.v7() of Uuid::now_v7() ze maakt)",
                ));
            }
            Ok(id)
        })
        .transpose()
}

/// Hands a change of an existing trajectory to the application layer; bad input is named as
/// `wijziging` and `namen` name it.
async fn wijzig(
    ctx: &Context<'_>,
    wijziging: Wijziging,
    opdracht: Result<Opdracht, ValueError>,
    namen: &[(&str, &str)],
) -> Result<Vastgelegd, ApiError> {
    let namen: Vec<_> = namen.iter().chain(WIJZIGING).copied().collect();
    async {
        let wie = verzoeker(ctx)?;
        let opdracht = opdracht?;
        let start = matches!(opdracht, Opdracht::PlaatsingStarten(_));
        let w = DienstWijziging {
            traject_id: TrajectId::parse(&wijziging.traject_id)
                .map_err(|e| e.in_veld("traject_id"))?,
            revisie: wijziging.revisie.revisie("revisie")?,
            datum: Some(wijziging.datum.datum("datum")?),
            event_id: event_id(&wijziging.event_id)?,
        };
        let gedaan = omgeving(ctx).dienst.wijzig(&wie, w, opdracht).await?;
        let plaatsing = start
            .then(|| traject_dienst::traject::plaatsing_id_van(gedaan.event_id))
            .transpose()?;
        antwoord(ctx, gedaan, plaatsing).await
    }
    .await
    .map_err(|f: ApiError| f.met_invoernamen(&namen))
}

/// The answer: the trajectory as the read models show it after the write.
async fn antwoord(
    ctx: &Context<'_>,
    gedaan: traject_dienst::traject::Vastgelegd,
    plaatsing_id: Option<PlaatsingId>,
) -> Result<Vastgelegd, ApiError> {
    let tekst = omgeving(ctx)
        .kluis
        .tekstsleutel(gedaan.client_id.as_uuid())
        .await
        .map_err(ApiError::intern)?;
    let o = {
        let model = omgeving(ctx).projecties.read();
        overzicht(&model, gedaan.traject_id, gedaan.peildatum)
            .ok_or_else(|| ApiError::intern("traject na het vastleggen niet in de projecties"))?
    };
    let positie = super::meld_positie(ctx, gedaan.positie);
    Ok(Vastgelegd {
        event_id: ID(gedaan.event_id.to_string()),
        revisie: gedaan.revisie,
        positie,
        plaatsing_id: plaatsing_id.map(|p| ID(p.to_string())),
        traject: Traject::van(o, gedaan.client_id, &tekst),
    })
}

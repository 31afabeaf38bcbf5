//! Mutations: one per command of the catalogue. Each is decided by the domain on the trajectory's
//! stream as stored, appended with the revision the user decided on (a stale revision is a
//! CONFLICT, never merged), logged, and answered only once the projections show it
//! (read-your-writes).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{Command, CommandKind, Traject as Aggregaat, apply, decide};
use traject_projections::overzicht::overzicht;
use traject_store::{
    Direction, ExpectedRevision, Metadata, NewEvent, ReadFrom, StoreError, StreamName,
};

use super::query::geweigerd;
use super::types::{Methode, Traject};
use super::{ApiFout, Inzage, gebruiker, log, logcode, omgeving, verzoek};
use crate::toegang::{self, Handeling, Relatie, Toegestaan};
use crate::toegangslog::{Actie, Resultaat};

/// What every change to an existing trajectory carries.
#[derive(Debug, Clone, InputObject)]
pub struct Wijziging {
    /// The trajectory.
    pub traject_id: ID,
    /// The revision the user saw when deciding (from `traject { revisie }`).
    pub revisie: u64,
    /// The day it happened.
    pub datum: NaiveDate,
    /// An id for the event, so a retried request is recognised (a UUID v7; made by the server
    /// if absent).
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
    /// The pseudonymous client (made by the server if absent).
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
    /// Refers a new trajectory (aanmelding).
    async fn aanmelden(
        &self,
        ctx: &Context<'_>,
        invoer: AanmeldenInvoer,
    ) -> Result<Vastgelegd, ApiFout> {
        let g = gebruiker(ctx)?;
        let organisatie = OrganisatieId::parse(&invoer.organisatie)?;
        let toegestaan = match toegang::aanmelden(g, &organisatie) {
            Ok(t) => t,
            Err(w) => {
                log(
                    ctx,
                    geweigerd(logcode::TRAJECT_AANMELDEN, Actie::C, w.regel, None, vec![]),
                )
                .await?;
                return Err(ApiFout::Verboden(w.regel));
            }
        };
        let client_id = match &invoer.client_id {
            Some(c) => ClientId::parse(c).map_err(|e| e.in_veld("clientId"))?,
            None => ClientId::new(uuid::Uuid::now_v7())?,
        };
        let kind = CommandKind::Aanmelden(TrajectAangemeld {
            client_id,
            methode: invoer.methode.into(),
            regio: Regio::parse(&invoer.regio)?,
            organisatie,
            verwijzer: Verwijzer::parse(&invoer.verwijzer)?,
            financier: Financier::parse(&invoer.financier)?,
        });
        let id = TrajectId::new(uuid::Uuid::now_v7())?;
        voer_uit(
            ctx,
            Uitvoering {
                id,
                revisie: None,
                datum: invoer.datum,
                event_id: invoer.event_id,
                code: logcode::TRAJECT_AANMELDEN,
                actie: Actie::C,
                toegestaan,
                client_id,
            },
            kind,
        )
        .await
    }

    /// Records a completed intake; a coach records themselves as the coach.
    async fn intake_afronden(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: Option<String>,
        uitkering: String,
        in_ggz_behandeling: bool,
    ) -> Result<Vastgelegd, ApiFout> {
        let g = gebruiker(ctx)?;
        let coach = match coach {
            Some(c) => CoachId::parse(&c)?,
            None => g
                .coach_id()
                .ok_or_else(|| ApiFout::invoer("coach", "is verplicht voor wie geen coach is"))?,
        };
        if !g.heeft(crate::auth::Rol::Teamleider) && coach.as_str() != g.id {
            return Err(ApiFout::invoer(
                "coach",
                "een coach legt alleen zichzelf als coach vast; een teamleider wijst anderen toe",
            ));
        }
        let kind = CommandKind::IntakeAfronden(IntakeAfgerond {
            coach,
            uitkering: Uitkering::parse(&uitkering)?,
            in_ggz_behandeling,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::INTAKE_AFRONDEN,
            kind,
        )
        .await
    }

    /// Assigns another coach (teamleider).
    async fn coach_toewijzen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        coach: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::CoachToewijzen(CoachToegewezen {
            coach: CoachId::parse(&coach)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::CoachToewijzen,
            logcode::COACH_TOEWIJZEN,
            kind,
        )
        .await
    }

    /// Records a contact with an employer.
    async fn werkgeverscontact(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        werkgever: String,
        persoonlijk: bool,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::WerkgeverContactLeggen(WerkgeverContactGelegd {
            werkgever: Werkgever::parse(&werkgever)?,
            persoonlijk,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::WERKGEVERSCONTACT,
            kind,
        )
        .await
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
        let kind = CommandKind::PlaatsingStarten(PlaatsingGestart {
            plaatsing_id: PlaatsingId::new(uuid::Uuid::now_v7())?,
            werkgever: Werkgever::parse(&plaatsing.werkgever)?,
            functie: Functie::parse(&plaatsing.functie)?,
            uren_per_week: UrenPerWeek::from_hours(plaatsing.uren_per_week)?,
            contract,
            betaald: plaatsing.betaald,
            regulier: plaatsing.regulier,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::PLAATSING_STARTEN,
            kind,
        )
        .await
    }

    /// Records the end of a placement; `datum` is the last day of work.
    async fn plaatsing_beeindigen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        plaatsing_id: ID,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::PlaatsingBeeindigen(PlaatsingBeeindigd {
            plaatsing_id: PlaatsingId::parse(&plaatsing_id)
                .map_err(|e| e.in_veld("plaatsingId"))?,
            reden: BeeindigingsReden::parse(&reden)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::PLAATSING_BEEINDIGEN,
            kind,
        )
        .await
    }

    /// Lowers support to waakvlam.
    async fn waakvlam_inzetten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::WaakvlamInzetten;
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::WAAKVLAM_INZETTEN,
            kind,
        )
        .await
    }

    /// Scales support up again from waakvlam.
    async fn opschalen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::Opschalen(Opgeschaald {
            reden: OpschalingsReden::parse(&reden)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::OPSCHALEN,
            kind,
        )
        .await
    }

    /// Closes the trajectory; `datum` is the last day of measurement.
    async fn afsluiten(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::Afsluiten(TrajectAfgesloten {
            reden: AfsluitingsReden::parse(&reden)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::AFSLUITEN,
            kind,
        )
        .await
    }

    /// Opens a closed trajectory again.
    async fn heropenen(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::Heropenen(TrajectHeropend {
            reden: HeropeningsReden::parse(&reden)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::HEROPENEN,
            kind,
        )
        .await
    }

    /// Retracts an earlier event (the way every mistake is corrected).
    async fn intrekken(
        &self,
        ctx: &Context<'_>,
        wijziging: Wijziging,
        event_id: ID,
        reden: String,
    ) -> Result<Vastgelegd, ApiFout> {
        let kind = CommandKind::Intrekken(GebeurtenisIngetrokken {
            event_id: EventId::parse(&event_id).map_err(|e| e.in_veld("eventId"))?,
            reden: IntrekkingsReden::parse(&reden)?,
        });
        wijzig(
            ctx,
            wijziging,
            Handeling::Vastleggen,
            logcode::INTREKKEN,
            kind,
        )
        .await
    }
}

/// Checks access to an existing trajectory, then carries the command out.
async fn wijzig(
    ctx: &Context<'_>,
    wijziging: Wijziging,
    handeling: Handeling,
    code: &'static str,
    kind: CommandKind,
) -> Result<Vastgelegd, ApiFout> {
    let g = gebruiker(ctx)?;
    let id = TrajectId::parse(&wijziging.traject_id).map_err(|e| e.in_veld("trajectId"))?;
    let kenmerken = {
        let model = omgeving(ctx).projecties.lees();
        model.traject(id).and_then(|e| e.kenmerken.clone())
    }
    .ok_or(ApiFout::NietGevonden("traject"))?;
    let toegestaan = match toegang::traject(g, handeling, Relatie::van(g, &kenmerken)) {
        Ok(t) => t,
        Err(w) => {
            let inzage = geweigerd(code, Actie::U, w.regel, Some(id), vec![kenmerken.client_id]);
            log(ctx, inzage).await?;
            return Err(ApiFout::Verboden(w.regel));
        }
    };
    let uitvoering = Uitvoering {
        id,
        revisie: Some(wijziging.revisie),
        datum: wijziging.datum,
        event_id: wijziging.event_id,
        code,
        actie: Actie::U,
        toegestaan,
        client_id: kenmerken.client_id,
    };
    voer_uit(ctx, uitvoering, kind).await
}

struct Uitvoering {
    id: TrajectId,
    revisie: Option<u64>,
    datum: NaiveDate,
    event_id: Option<ID>,
    code: &'static str,
    actie: Actie,
    toegestaan: Toegestaan,
    client_id: ClientId,
}

/// Decides on the stored stream, appends with the expected revision, logs, and waits until the
/// projections show the change.
async fn voer_uit(
    ctx: &Context<'_>,
    u: Uitvoering,
    kind: CommandKind,
) -> Result<Vastgelegd, ApiFout> {
    let omgeving = omgeving(ctx);
    let actor = gebruiker(ctx)?.id.clone();
    let correlatie = verzoek(ctx)?.correlatie;
    let event_id = match &u.event_id {
        Some(e) => EventId::parse(e).map_err(|e| e.in_veld("eventId"))?,
        None => EventId::new(uuid::Uuid::now_v7())?,
    };
    let command = Command {
        event_id,
        revisie: u.revisie,
        datum: Datum::new(u.datum)?,
        kind,
    };
    let stream = StreamName::new(u.id.stream_name()).map_err(ApiFout::intern)?;
    let vandaag = (omgeving.vandaag)();
    let uitkomst = async {
        let aggregaat = laad(omgeving, &stream).await?;
        let events = decide(&aggregaat, command, vandaag)?;
        let nieuw = nieuwe_events(&events, &actor, correlatie);
        let expected = ExpectedRevision::from_revision(u.revisie);
        match omgeving.store.append(&stream, expected, nieuw).await {
            Ok(r) => Ok(r),
            Err(StoreError::WrongExpectedVersion { .. }) => {
                let huidig = laad(omgeving, &stream).await?.revisie();
                Err(ApiFout::Conflict {
                    verwacht: u.revisie,
                    huidig,
                })
            }
            Err(e) => Err(ApiFout::intern(e)),
        }
    }
    .await;
    let resultaat = match &uitkomst {
        Ok(_) => Resultaat::Gelukt,
        Err(ApiFout::Intern { .. }) => Resultaat::Fout,
        Err(_) => Resultaat::Geweigerd,
    };
    log(
        ctx,
        Inzage {
            code: u.code,
            actie: u.actie,
            resultaat,
            rol: Some(u.toegestaan.rol),
            regel: u.toegestaan.regel,
            clients: vec![u.client_id],
            traject: Some(u.id),
        },
    )
    .await?;
    let appended = uitkomst?;
    omgeving
        .projecties
        .wacht_tot(appended.position, omgeving.wacht)
        .await
        .map_err(ApiFout::intern)?;
    let peildatum = vandaag.max(u.datum);
    let model = omgeving.projecties.lees();
    let o = overzicht(&model, u.id, peildatum)
        .ok_or_else(|| ApiFout::intern("traject na het vastleggen niet in de projecties"))?;
    Ok(Vastgelegd {
        event_id: ID(event_id.to_string()),
        revisie: appended.revision,
        traject: Traject::van(o, u.client_id.to_string()),
    })
}

/// The stored form of decided events, with who caused them and in which request.
pub(super) fn nieuwe_events(
    events: &[traject_domain::Event],
    actor: &str,
    correlatie: uuid::Uuid,
) -> Vec<NewEvent> {
    events
        .iter()
        .map(|e| {
            let stored = traject_domain::stored::encode(e);
            NewEvent {
                id: stored.id.as_uuid(),
                event_type: stored.event_type,
                schema_version: stored.schema_version,
                data: stored.data,
                metadata: Metadata {
                    actor: Some(actor.to_owned()),
                    correlation_id: Some(correlatie),
                    causation_id: None,
                },
            }
        })
        .collect()
}

/// The trajectory as stored: every event of its stream, decoded and applied.
pub(super) async fn laad(
    omgeving: &super::Omgeving,
    stream: &StreamName,
) -> Result<Aggregaat, ApiFout> {
    let mut aggregaat = Aggregaat::default();
    let mut from = ReadFrom::Start;
    loop {
        let batch = omgeving
            .store
            .read_stream(stream, from, Direction::Forwards, 1000)
            .await
            .map_err(ApiFout::intern)?;
        let Some(last) = batch.last() else { break };
        from = ReadFrom::Revision(last.revision + 1);
        for recorded in &batch {
            let event = traject_domain::stored::decode_parts(
                EventId::new(recorded.id)?,
                &recorded.event_type,
                recorded.schema_version,
                &recorded.data,
            )
            .map_err(ApiFout::intern)?;
            apply(&mut aggregaat, event).map_err(ApiFout::intern)?;
        }
        if batch.len() < 1000 {
            break;
        }
    }
    Ok(aggregaat)
}

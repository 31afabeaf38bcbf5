//! An organisation's team: a coach joins or leaves ([`Dienst::team_wijzigen`], by the
//! organisation's teamleider or the beheerder), and the team with each coach's open caseload
//! ([`Dienst::team`]). Only a current member can be named as a trajectory's coach
//! ([`crate::traject`]).

use traject_domain::team::{self, TeamCommand};
use traject_domain::value::{CoachId, OrganisatieId};
use traject_store::{ExpectedRevision, StoreError, StreamAppend};

use crate::laden;
use crate::toegang::Toegestaan;
use crate::toegangslog::{Actie, AppendError, Resultaat};
use crate::traject::{nieuw_event, nieuw_event_id};
use crate::{Dienst, DienstError, Inzage, Rol, Verzoeker, logcode};

/// A coach of the team, with their open trajectories in this organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Teamlid {
    pub coach: CoachId,
    /// Their open trajectories (caseload) today.
    pub open_trajecten: usize,
}

/// Who may manage or see `organisatie`'s team: its teamleider, or the beheerder.
fn mag_team(
    gebruiker: &crate::Gebruiker,
    organisatie: &OrganisatieId,
) -> Result<Toegestaan, &'static str> {
    if gebruiker.heeft(Rol::Teamleider) && gebruiker.organisatie.as_ref() == Some(organisatie) {
        return Ok(Toegestaan {
            regel: "teamleider-eigen-organisatie",
            rol: Rol::Teamleider,
        });
    }
    if gebruiker.heeft(Rol::Beheerder) {
        return Ok(Toegestaan {
            regel: "beheerder-beheert-teams",
            rol: Rol::Beheerder,
        });
    }
    Err("alleen-teamleider-van-de-organisatie-of-beheerder")
}

impl Dienst {
    /// Adds a coach to, or removes one from, `organisatie`'s team. Joining twice or leaving a
    /// team one is not on is refused with the domain's rule.
    pub async fn team_wijzigen(
        &self,
        wie: &Verzoeker<'_>,
        organisatie: &OrganisatieId,
        opdracht: TeamCommand,
    ) -> Result<(Vec<Teamlid>, traject_store::Position), DienstError> {
        let (code, actie) = match opdracht {
            TeamCommand::Toetreden(_) => (logcode::COACH_TOEVOEGEN, Actie::C),
            TeamCommand::Vertrekken(_) => (logcode::COACH_VERWIJDEREN, Actie::D),
        };
        let toegestaan = match mag_team(wie.gebruiker, organisatie) {
            Ok(t) => t,
            Err(regel) => return Err(self.weiger(wie, code, actie, regel, vec![], None).await),
        };
        let inzage = |resultaat| Inzage {
            code,
            actie,
            resultaat,
            rol: Some(toegestaan.rol),
            regel: toegestaan.regel,
            clients: vec![],
            traject: None,
        };
        let huidig = laden::team(self.store.as_ref(), organisatie).await?;
        let event = match huidig.decide(opdracht) {
            Ok(e) => e,
            Err(e) => {
                self.log(wie, inzage(Resultaat::Geweigerd)).await?;
                return Err(e.into());
            }
        };
        let stored = team::encode(nieuw_event_id()?, &event);
        let deel = StreamAppend {
            stream: laden::team_stream(organisatie)?,
            expected: ExpectedRevision::from_revision(huidig.revisie()),
            events: vec![nieuw_event(stored, wie)],
        };
        let geschreven = match self
            .log
            .write_with(self.toegang(wie, inzage(Resultaat::Gelukt)), vec![deel])
            .await
        {
            // One result per part written, the team's.
            Ok(mut r) => r.swap_remove(0),
            Err(AppendError::Store(StoreError::WrongExpectedVersion { actual, .. })) => {
                return Err(DienstError::Conflict {
                    wat: "team",
                    verwacht: huidig.revisie(),
                    huidig: actual,
                });
            }
            Err(AppendError::Store(e)) => return Err(DienstError::van_store(e)),
            Err(AppendError::Log(e)) => return Err(DienstError::van_log(e)),
        };
        let positie = geschreven.position;
        // Not needed for the team itself (read from the store), but the caller's next caseload
        // read should see the same store.
        let _ = self.projecties.wait_for(positie, self.wacht).await;
        Ok((self.teamleden(organisatie).await?, positie))
    }

    /// `organisatie`'s team as the store has it, each coach with their open caseload.
    pub async fn team(
        &self,
        wie: &Verzoeker<'_>,
        organisatie: &OrganisatieId,
    ) -> Result<Vec<Teamlid>, DienstError> {
        if let Err(regel) = mag_team(wie.gebruiker, organisatie) {
            return Err(DienstError::Verboden(regel));
        }
        self.teamleden(organisatie).await
    }

    async fn teamleden(&self, organisatie: &OrganisatieId) -> Result<Vec<Teamlid>, DienstError> {
        let team = laden::team(self.store.as_ref(), organisatie).await?;
        let vandaag = (self.vandaag)();
        let model = self.projecties.read();
        Ok(team
            .coaches()
            .map(|coach| Teamlid {
                coach: coach.clone(),
                open_trajecten: model
                    .van_coach(coach)
                    .filter_map(|e| e.kenmerken.as_ref())
                    .filter(|k| &k.organisatie == organisatie && k.open_op(vandaag))
                    .count(),
            })
            .collect())
    }
}

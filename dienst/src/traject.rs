//! The commands on a trajectory: referring one ([`Dienst::aanmelden`]) and every change to an
//! existing one ([`Dienst::wijzig`]), each through the steps of the crate's documentation.

use chrono::NaiveDate;
use traject_domain::client::Client;
use traject_domain::event::*;
use traject_domain::team::TeamEvent;
use traject_domain::value::*;
use traject_domain::{Command, CommandKind, DomainError, Traject, decide};
use traject_store::{
    AppendResult, ExpectedRevision, Metadata, NewEvent, Position, StoreError, StreamAppend,
};
use uuid::Uuid;

use crate::kluis::KluisError;
use crate::kluis::storage::StorageError;
use crate::laden::{self, GeladenTraject};
use crate::persoon::REGEL_GEEN_TOEGANG_TOT_CLIENT;
use crate::toegang::{self, Handeling, Relatie, Toegestaan};
use crate::toegangslog::{Actie, AppendError, Resultaat};
use crate::{Dienst, DienstError, Inzage, Rol, Verzoeker, logcode};

/// The namespace of client ids derived from a referral's event id, so that a retried referral
/// names the same client (the trajectory's id: [`TrajectId::van_aanmelding`]).
const NS_CLIENT: Uuid = Uuid::from_u128(0x7a1e_c7a0_0000_4000_8000_0000_0000_0002);

/// How often a command is tried when a fact it was authorised on changes under it: the team of a
/// named coach, the file of a client referred again.
const TEAM_POGINGEN: usize = 3;

/// A referral.
#[derive(Debug, Clone)]
pub struct Aanmelding {
    /// The day of the referral.
    pub datum: NaiveDate,
    /// An existing client of the caller's organisation; `None` for a new client, whose id the
    /// server mints.
    pub client_id: Option<ClientId>,
    /// The method.
    pub methode: Methode,
    /// The region.
    pub regio: Regio,
    /// The organisation (the caller's own).
    pub organisatie: OrganisatieId,
    /// Who referred.
    pub verwijzer: Verwijzer,
    /// Who pays.
    pub financier: Financier,
    /// The command's id (made by the server if absent; a retry sends the same).
    pub event_id: Option<EventId>,
}

/// What every change to an existing trajectory carries.
#[derive(Debug, Clone, Copy)]
pub struct Wijziging {
    /// The trajectory.
    pub traject_id: TrajectId,
    /// The revision the caller saw when deciding.
    pub revisie: u64,
    /// The day it happened; `None` for a retraction, which is dated the day it is recorded (a
    /// retry keeps the day of the first request).
    pub datum: Option<NaiveDate>,
    /// The command's id (made by the server if absent; a retry sends the same).
    pub event_id: Option<EventId>,
}

/// A new placement's fields; its id is derived from the command's event id.
#[derive(Debug, Clone)]
pub struct NieuwePlaatsing {
    /// The employer.
    pub werkgever: Werkgever,
    /// The job title.
    pub functie: Functie,
    /// Contractual hours per week.
    pub uren_per_week: UrenPerWeek,
    pub contract: Contract,
    /// Paid work.
    pub betaald: bool,
    /// On the competitive labour market.
    pub regulier: bool,
}

/// A change to an existing trajectory.
#[derive(Debug, Clone)]
pub enum Opdracht {
    /// Record the completed intake; `coach` `None`: the caller, as coach.
    IntakeAfronden {
        /// The coach (a teamleider names one of the team).
        coach: Option<CoachId>,
        /// The benefit at intake.
        uitkering: Uitkering,
        /// In GGZ treatment.
        in_ggz_behandeling: bool,
    },
    /// Assign a coach of the organisation's team (teamleider).
    CoachToewijzen(CoachId),
    /// Record an employer contact.
    Werkgeverscontact(WerkgeverContactGelegd),
    /// Start a placement.
    PlaatsingStarten(NieuwePlaatsing),
    /// End a placement.
    PlaatsingBeeindigen(PlaatsingBeeindigd),
    /// Change the hours of a running placement.
    UrenWijzigen(UrenGewijzigd),
    /// Lower support to waakvlam.
    WaakvlamInzetten,
    /// Scale support up again.
    Opschalen(Opgeschaald),
    /// Close the trajectory. Closing as DuurzaamAanHetWerk while the status under the server's
    /// duurzaam policy does not show duurzaam on that day is refused (`duurzaam_niet_bereikt`)
    /// unless `bevestigd`: the coach confirms they know better (the work may not all be
    /// recorded).
    Afsluiten {
        /// The closing's reason.
        afsluiting: TrajectAfgesloten,
        /// The coach confirmed DuurzaamAanHetWerk against the status.
        bevestigd: bool,
    },
    /// Open it again.
    Heropenen(TrajectHeropend),
    /// Plan the next action.
    ActiePlannen(ActieGepland),
    /// Retract an earlier event.
    Intrekken(GebeurtenisIngetrokken),
}

impl Opdracht {
    /// The access-log event code.
    pub fn logcode(&self) -> &'static str {
        match self {
            Opdracht::IntakeAfronden { .. } => logcode::INTAKE_AFRONDEN,
            Opdracht::CoachToewijzen(_) => logcode::COACH_TOEWIJZEN,
            Opdracht::Werkgeverscontact(_) => logcode::WERKGEVERSCONTACT,
            Opdracht::PlaatsingStarten(_) => logcode::PLAATSING_STARTEN,
            Opdracht::PlaatsingBeeindigen(_) => logcode::PLAATSING_BEEINDIGEN,
            Opdracht::UrenWijzigen(_) => logcode::UREN_WIJZIGEN,
            Opdracht::WaakvlamInzetten => logcode::WAAKVLAM_INZETTEN,
            Opdracht::Opschalen(_) => logcode::OPSCHALEN,
            Opdracht::Afsluiten { .. } => logcode::AFSLUITEN,
            Opdracht::Heropenen(_) => logcode::HEROPENEN,
            Opdracht::ActiePlannen(_) => logcode::ACTIE_PLANNEN,
            Opdracht::Intrekken(_) => logcode::INTREKKEN,
        }
    }

    fn handeling(&self) -> Handeling {
        match self {
            Opdracht::CoachToewijzen(_) => Handeling::CoachToewijzen,
            _ => Handeling::Vastleggen,
        }
    }

    /// The coach this command names, if any: they must be on the organisation's team.
    pub(crate) fn coach(&self) -> Option<&CoachId> {
        match self {
            Opdracht::IntakeAfronden { coach, .. } => coach.as_ref(),
            Opdracht::CoachToewijzen(coach) => Some(coach),
            _ => None,
        }
    }

    pub(crate) fn command_kind(self, event_id: EventId) -> Result<CommandKind, DienstError> {
        Ok(match self {
            Opdracht::IntakeAfronden {
                coach,
                uitkering,
                in_ggz_behandeling,
            } => CommandKind::IntakeAfronden(IntakeAfgerond {
                coach: coach.ok_or_else(|| {
                    DienstError::regel("coach", "verplicht", "kies de coach van het traject")
                })?,
                uitkering,
                in_ggz_behandeling,
            }),
            Opdracht::CoachToewijzen(coach) => {
                CommandKind::CoachToewijzen(CoachToegewezen { coach })
            }
            Opdracht::Werkgeverscontact(c) => CommandKind::WerkgeverContactLeggen(c),
            Opdracht::PlaatsingStarten(p) => CommandKind::PlaatsingStarten(PlaatsingGestart {
                plaatsing_id: plaatsing_id_van(event_id)?,
                werkgever: p.werkgever.into(),
                functie: p.functie.into(),
                uren_per_week: p.uren_per_week,
                contract: p.contract,
                betaald: p.betaald,
                regulier: p.regulier,
            }),
            Opdracht::PlaatsingBeeindigen(b) => CommandKind::PlaatsingBeeindigen(b),
            Opdracht::UrenWijzigen(u) => CommandKind::UrenWijzigen(u),
            Opdracht::WaakvlamInzetten => CommandKind::WaakvlamInzetten,
            Opdracht::Opschalen(o) => CommandKind::Opschalen(o),
            Opdracht::Afsluiten { afsluiting, .. } => CommandKind::Afsluiten(afsluiting),
            Opdracht::Heropenen(h) => CommandKind::Heropenen(h),
            Opdracht::ActiePlannen(a) => CommandKind::ActiePlannen(a),
            Opdracht::Intrekken(i) => CommandKind::Intrekken(i),
        })
    }
}

/// A command carried out (or recognised as a retry of one that was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vastgelegd {
    /// The trajectory.
    pub traject_id: TrajectId,
    pub client_id: ClientId,
    /// The recorded event.
    pub event_id: EventId,
    /// The trajectory's revision after it.
    pub revisie: u64,
    /// Its place in the store; the read models show it.
    pub positie: Position,
    /// The day to show the trajectory's status on: the event's date or today, the later.
    pub peildatum: NaiveDate,
}

impl Dienst {
    /// Refers a new trajectory, under a new client or an existing client of the caller's own
    /// organisation; the trajectory and the client's registration are stored together.
    pub async fn aanmelden(
        &self,
        wie: &Verzoeker<'_>,
        a: Aanmelding,
    ) -> Result<Vastgelegd, DienstError> {
        // An existing client's file changed between the check and the write (a trajectory of
        // theirs, or another referral of them): decided again on what is stored now.
        if a.client_id.is_some() {
            for _ in 1..TEAM_POGINGEN {
                match self.aanmelden_eenmaal(wie, a.clone()).await {
                    Err(DienstError::Conflict { .. }) => continue,
                    uitkomst => return uitkomst,
                }
            }
        }
        self.aanmelden_eenmaal(wie, a).await
    }

    async fn aanmelden_eenmaal(
        &self,
        wie: &Verzoeker<'_>,
        a: Aanmelding,
    ) -> Result<Vastgelegd, DienstError> {
        let code = logcode::TRAJECT_AANMELDEN;
        let toegestaan = match toegang::aanmelden(wie.gebruiker, &a.organisatie) {
            Ok(t) => t,
            Err(w) => {
                let clients = a.client_id.into_iter().collect();
                return Err(self
                    .weiger(wie, code, Actie::C, w.regel, clients, None)
                    .await);
            }
        };
        let event_id = event_id_van_verzoeker(a.event_id)?;
        let traject_id = TrajectId::van_aanmelding(event_id);
        let client_id = match a.client_id {
            Some(c) => c,
            None => ClientId::new(Uuid::new_v5(&NS_CLIENT, event_id.as_uuid().as_bytes()))?,
        };
        let client = laden::client(self.store.as_ref(), &client_id).await?;
        let nieuwe_client = a.client_id.is_none();
        // An existing client only for the organisation that owns them, and there only for whoever
        // may read the client's file: a new referral has no coach yet, so it would open the file
        // to every coach of the organisation. An unknown id, another organisation's client and
        // a client the caller may not read are refused alike (`niet-eigen-client-of-organisatie`,
        // as `persoon` refuses them), so the answer does not tell whether or where an id exists.
        // The write is made on condition that the trajectory that allowed it is as read: a
        // coach reassigned meanwhile is a conflict, and the referral is decided again.
        let mut toegang_tot_client = None;
        if !nieuwe_client {
            if client.organisatie() != Some(&a.organisatie) {
                let regel = REGEL_GEEN_TOEGANG_TOT_CLIENT;
                return Err(self
                    .weiger(wie, code, Actie::C, regel, vec![client_id], None)
                    .await);
            }
            toegang_tot_client = Some(
                self.toegang_tot_client(wie, client_id, Handeling::Lezen, code, Actie::C)
                    .await?,
            );
        }
        let command = Command {
            event_id,
            revisie: None,
            datum: Datum::new(a.datum)?,
            kind: CommandKind::Aanmelden(TrajectAangemeld {
                client_id,
                methode: a.methode,
                regio: a.regio,
                organisatie: a.organisatie.clone(),
                verwijzer: a.verwijzer,
                financier: a.financier,
            }),
        };
        let inzage = |resultaat| Inzage {
            code,
            actie: Actie::C,
            resultaat,
            rol: Some(toegestaan.rol),
            regel: toegestaan.regel,
            clients: vec![client_id],
            traject: Some(traject_id),
        };
        let geladen = laden::traject(self.store.as_ref(), traject_id).await?;
        if geladen.opgeslagen.contains_key(&event_id) {
            // The answer is the trajectory as it is now: only for whoever may read it; anyone
            // else learns nothing, not even that the event id is taken.
            if let Err(x) = mag_lezen(wie, &geladen) {
                return Err(self
                    .weiger(wie, code, Actie::C, x, vec![], Some(traject_id))
                    .await);
            }
            let uitkomst = herhaling(
                &geladen,
                &Traject::default(),
                command,
                (self.vandaag)(),
                |_, _| None,
            );
            return self
                .antwoord_op_herhaling(wie, inzage, uitkomst, traject_id, client_id)
                .await;
        }
        if client.is_gewist() {
            // A person who returns after an erasure is referred as a new client.
            let fout = DomainError::ClientGewist.into();
            return Err(self
                .geweigerd(wie, inzage(Resultaat::Geweigerd), fout)
                .await);
        }
        let events = match decide(&geladen.traject, command, (self.vandaag)()) {
            Ok(e) => e,
            Err(e) => {
                return Err(self
                    .geweigerd(wie, inzage(Resultaat::Geweigerd), e.into())
                    .await);
            }
        };
        let registratie = registratie(
            client_id,
            &client,
            &a.organisatie,
            traject_id,
            event_id,
            wie,
        )?;
        let mut delen = vec![
            StreamAppend {
                stream: laden::traject_stream(traject_id)?,
                expected: ExpectedRevision::NoStream,
                events: nieuwe_events(&events, wie),
            },
            registratie,
        ];
        if let Some(t) = toegang_tot_client {
            delen.push(StreamAppend {
                stream: laden::traject_stream(t.traject)?,
                expected: ExpectedRevision::from_revision(t.revisie),
                events: Vec::new(),
            });
        }
        let peildatum = (self.vandaag)().max(a.datum);
        let geschreven = self
            .write(wie, inzage(Resultaat::Gelukt), delen, traject_id)
            .await?;
        self.klaar(traject_id, client_id, event_id, geschreven, peildatum)
            .await
    }

    /// Carries out `opdracht` on an existing trajectory, decided on the revision the caller saw.
    pub async fn wijzig(
        &self,
        wie: &Verzoeker<'_>,
        w: Wijziging,
        opdracht: Opdracht,
    ) -> Result<Vastgelegd, DienstError> {
        // A team that changed under a named coach is read again: the coach may have left (then
        // the rule refuses) or another coach joined at the same moment (then it goes through).
        for _ in 1..TEAM_POGINGEN {
            match self.wijzig_eenmaal(wie, w, opdracht.clone()).await {
                Err(DienstError::TeamGewijzigd) => continue,
                uitkomst => return uitkomst,
            }
        }
        self.wijzig_eenmaal(wie, w, opdracht).await
    }

    async fn wijzig_eenmaal(
        &self,
        wie: &Verzoeker<'_>,
        w: Wijziging,
        opdracht: Opdracht,
    ) -> Result<Vastgelegd, DienstError> {
        let code = opdracht.logcode();
        let geladen = laden::traject(self.store.as_ref(), w.traject_id).await?;
        let Some(nu) = geladen.traject.toestand() else {
            return Err(DienstError::NietGevonden("traject"));
        };
        let client_id = nu.aangemeld.client_id;
        let organisatie = nu.aangemeld.organisatie.clone();
        // Authorised on the trajectory as the caller saw it: a change since then is a conflict,
        // not a refusal.
        let besloten = geladen.op_revisie(Some(w.revisie))?;
        let feiten = besloten.toestand().unwrap_or(nu);
        let relatie = Relatie::tot(
            wie.gebruiker,
            &feiten.aangemeld.organisatie,
            feiten.coach.as_ref(),
        );
        let toegestaan = match toegang::traject(wie.gebruiker, opdracht.handeling(), relatie) {
            Ok(t) => t,
            Err(x) => {
                return Err(self
                    .weiger(
                        wie,
                        code,
                        Actie::U,
                        x.regel,
                        vec![client_id],
                        Some(w.traject_id),
                    )
                    .await);
            }
        };
        // Whoever may not read the trajectory as it is now is logged under the rule that refuses
        // them now, whatever refuses their request: the revision they sent may be one on which
        // they were allowed (which the signals count as their own caseload). Such a request
        // cannot succeed: on the current revision they are refused above.
        let nu = mag_lezen(wie, &geladen);
        let inzage = |resultaat| Inzage {
            code,
            actie: Actie::U,
            resultaat,
            rol: nu.is_ok().then_some(toegestaan.rol),
            regel: nu.err().unwrap_or(toegestaan.regel),
            clients: vec![client_id],
            traject: Some(w.traject_id),
        };
        let opdracht = self.met_coach(wie, toegestaan, opdracht);
        let event_id = match event_id_van_verzoeker(w.event_id) {
            Ok(id) => id,
            Err(e) => return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await),
        };
        let datum = match w.datum {
            Some(d) => d,
            None => geladen
                .opgeslagen
                .get(&event_id)
                .map_or_else(|| (self.vandaag)(), |o| o.datum.date()),
        };
        let command = |kind| -> Result<Command, DienstError> {
            Ok(Command {
                event_id,
                revisie: Some(w.revisie),
                datum: Datum::new(datum)?,
                kind,
            })
        };
        let opdracht = match opdracht {
            Ok(o) => o,
            Err(e) => return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await),
        };
        if geladen.opgeslagen.contains_key(&event_id) {
            // The answer shows the trajectory as it is now: a former coach does not get it by
            // sending their old request again.
            if let Err(x) = mag_lezen(wie, &geladen) {
                return Err(self
                    .weiger(wie, code, Actie::U, x, vec![client_id], Some(w.traject_id))
                    .await);
            }
            let kind = opdracht.command_kind(event_id)?;
            let sleutel = self
                .kluis
                .tekstsleutel(client_id.as_uuid())
                .await
                .map_err(DienstError::intern)?;
            let open = |veld: &'static str, v: &Verzegeling| {
                sleutel.read(
                    client_id.as_uuid(),
                    event_id.as_uuid(),
                    veld,
                    VrijeTekst::Sealed(v),
                )
            };
            let uitkomst = herhaling(&geladen, &besloten, command(kind)?, (self.vandaag)(), open);
            return self
                .antwoord_op_herhaling(wie, inzage, uitkomst, w.traject_id, client_id)
                .await;
        }
        let huidig = geladen.traject.revisie();
        if huidig != Some(w.revisie) {
            // The current revision only for whoever may read the trajectory now.
            let conflict = DienstError::Conflict {
                wat: "traject",
                verwacht: Some(w.revisie),
                huidig: huidig.filter(|_| nu.is_ok()),
            };
            return Err(self
                .geweigerd(wie, inzage(Resultaat::Geweigerd), conflict)
                .await);
        }
        // A named coach must be on the organisation's team, as the store has it now.
        let mut delen = Vec::new();
        if let Some(coach) = opdracht.coach() {
            match self.team_deel(wie, &organisatie, coach, event_id).await {
                Ok(deel) => delen.extend(deel),
                Err(e) => return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await),
            }
        }
        if let Opdracht::Afsluiten {
            afsluiting,
            bevestigd: false,
        } = &opdracht
        {
            let beleid = self.projecties.read().beleid().clone();
            let klopt = Datum::new(datum).map_err(DienstError::from).and_then(|d| {
                traject_domain::afsluiting_klopt(&geladen.traject, d, afsluiting.reden, &beleid)
                    .map_err(DienstError::from)
            });
            if let Err(e) = klopt {
                return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await);
            }
        }
        let kind = opdracht.command_kind(event_id)?;
        let mut events = match command(kind)
            .and_then(|c| decide(&geladen.traject, c, (self.vandaag)()).map_err(DienstError::from))
        {
            Ok(e) => e,
            Err(e) => return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await),
        };
        if let Err(e) = self.seal(client_id, &mut events).await {
            return Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await);
        }
        delen.insert(
            0,
            StreamAppend {
                stream: laden::traject_stream(w.traject_id)?,
                expected: ExpectedRevision::Exact(w.revisie),
                events: nieuwe_events(&events, wie),
            },
        );
        let peildatum = (self.vandaag)().max(datum);
        let geschreven = self
            .write(wie, inzage(Resultaat::Gelukt), delen, w.traject_id)
            .await?;
        self.klaar(w.traject_id, client_id, event_id, geschreven, peildatum)
            .await
    }

    /// Seals the free text of `events` (an employer's name, a job title) with the client's data
    /// key, made first if they have none: no such text is ever stored in clear, and erasing the
    /// client makes every stored copy unreadable.
    pub(crate) async fn seal(
        &self,
        client_id: ClientId,
        events: &mut [traject_domain::Event],
    ) -> Result<(), DienstError> {
        let open = |e: &traject_domain::Event| {
            e.data
                .vrije_tekst()
                .iter()
                .any(|(_, t)| matches!(t, VrijeTekst::Open(_)))
        };
        if !events.iter().any(open) {
            return Ok(());
        }
        let client = client_id.as_uuid();
        let sleutel = match self.kluis.sleutel_voor_tekst(client).await {
            Ok(s) => s,
            Err(KluisError::Storage(StorageError::Gewist { .. })) => {
                return Err(DienstError::regel(
                    "werkgever",
                    "client_gewist",
                    "de persoonsgegevens van deze client zijn gewist: een werkgever of functie van deze client wordt niet meer vastgelegd",
                ));
            }
            Err(e) => {
                return Err(DienstError::intern(format!(
                    "kluis, client {client_id}: {e}"
                )));
            }
        };
        for event in events {
            let id = event.id.as_uuid();
            event
                .data
                .seal(|veld, tekst| Verzegeling::new(sleutel.seal_text(client, id, veld, tekst)));
        }
        Ok(())
    }

    /// Fills in the coach of an intake a coach records for themselves, and holds a coach to
    /// naming only themselves.
    fn met_coach(
        &self,
        wie: &Verzoeker<'_>,
        toegestaan: Toegestaan,
        opdracht: Opdracht,
    ) -> Result<Opdracht, DienstError> {
        match opdracht {
            Opdracht::IntakeAfronden {
                coach,
                uitkering,
                in_ggz_behandeling,
            } => {
                let zelf = wie.gebruiker.coach_id();
                let coach = match (coach, zelf) {
                    (Some(c), _) => c,
                    (None, Some(z)) => z,
                    (None, None) => {
                        return Err(DienstError::regel(
                            "coach",
                            "verplicht",
                            "kies de coach: wie zelf geen coach is, noemt er een",
                        ));
                    }
                };
                if toegestaan.rol != Rol::Teamleider && coach.as_str() != wie.gebruiker.id {
                    return Err(DienstError::regel(
                        "coach",
                        "coach_alleen_zelf",
                        "een coach legt alleen zichzelf als coach vast; een teamleider wijst anderen toe",
                    ));
                }
                Ok(Opdracht::IntakeAfronden {
                    coach: Some(coach),
                    uitkering,
                    in_ggz_behandeling,
                })
            }
            other => Ok(other),
        }
    }

    /// Checks that `coach` is on `organisatie`'s team. A coach naming themselves joins the team
    /// on the way when the service is configured so and their token names this organisation:
    /// the append that adds them is returned, to be written with the command.
    async fn team_deel(
        &self,
        wie: &Verzoeker<'_>,
        organisatie: &OrganisatieId,
        coach: &CoachId,
        event_id: EventId,
    ) -> Result<Option<StreamAppend>, DienstError> {
        let team = laden::team(self.store.as_ref(), organisatie).await?;
        if team.heeft(coach) {
            // Written only if the team is still as read: a coach removed meanwhile is not
            // assigned after all.
            return Ok(Some(StreamAppend {
                stream: laden::team_stream(organisatie)?,
                expected: ExpectedRevision::from_revision(team.revisie()),
                events: Vec::new(),
            }));
        }
        let zelf = coach.as_str() == wie.gebruiker.id
            && wie.gebruiker.heeft(Rol::Coach)
            && wie.gebruiker.organisatie.as_ref() == Some(organisatie);
        if !(zelf && self.team_bij_eerste_intake) {
            return Err(DomainError::CoachNietInTeam.into());
        }
        let event = TeamEvent::CoachToegetreden {
            coach: coach.clone(),
        };
        let id = event_id.afgeleid("CoachToegetreden");
        let stored = traject_domain::team::encode(id, &event);
        Ok(Some(StreamAppend {
            stream: laden::team_stream(organisatie)?,
            expected: ExpectedRevision::from_revision(team.revisie()),
            events: vec![nieuw_event(stored, wie)],
        }))
    }

    /// Logs a refusal the caller caused (bad input, a rule, a conflict) and returns it.
    pub(crate) async fn geweigerd(
        &self,
        wie: &Verzoeker<'_>,
        inzage: Inzage<'_>,
        fout: DienstError,
    ) -> DienstError {
        let inzage = Inzage {
            resultaat: if fout.is_weigering() {
                Resultaat::Geweigerd
            } else {
                Resultaat::Fout
            },
            ..inzage
        };
        match self.log(wie, inzage).await {
            Ok(()) => fout,
            Err(e) => e,
        }
    }

    /// Writes the appends with their access-log entry in one transaction. A stale revision
    /// comes back as a conflict with the trajectory's revision now (for whoever may read it), a
    /// team changed meanwhile and a reused event id as bad input (the entry says refused in
    /// every case).
    pub(crate) async fn write(
        &self,
        wie: &Verzoeker<'_>,
        inzage: Inzage<'_>,
        delen: Vec<StreamAppend>,
        traject_id: TrajectId,
    ) -> Result<AppendResult, DienstError> {
        let verwacht = match delen[0].expected {
            ExpectedRevision::Exact(r) => Some(r),
            _ => None,
        };
        match self.log.write_with(self.toegang(wie, inzage), delen).await {
            Ok(mut r) => Ok(r.swap_remove(0)),
            Err(AppendError::Store(StoreError::WrongExpectedVersion { stream, .. }))
                if stream.starts_with("organisatie-") =>
            {
                // The team changed between the check and the write (a coach left or joined).
                Err(DienstError::TeamGewijzigd)
            }
            Err(AppendError::Store(StoreError::WrongExpectedVersion { .. })) => {
                let geladen = laden::traject(self.store.as_ref(), traject_id).await?;
                let huidig = geladen
                    .traject
                    .revisie()
                    .filter(|_| mag_lezen(wie, &geladen).is_ok());
                Err(DienstError::Conflict {
                    wat: "traject",
                    verwacht,
                    huidig,
                })
            }
            Err(AppendError::Store(StoreError::DuplicateEventId { .. })) => {
                Err(event_id_al_gebruikt())
            }
            Err(AppendError::Store(e)) => Err(DienstError::van_store(e)),
            Err(AppendError::Log(e)) => Err(DienstError::van_log(e)),
        }
    }

    /// Answers a retry: the original result, logged as an access; or the reuse of an event id
    /// for another command, logged as refused.
    async fn antwoord_op_herhaling(
        &self,
        wie: &Verzoeker<'_>,
        inzage: impl Fn(Resultaat) -> Inzage<'static>,
        uitkomst: Result<(EventId, u64, Position, NaiveDate), DienstError>,
        traject_id: TrajectId,
        client_id: ClientId,
    ) -> Result<Vastgelegd, DienstError> {
        match uitkomst {
            Ok((event_id, revisie, positie, datum)) => {
                self.log(wie, inzage(Resultaat::Gelukt)).await?;
                let peildatum = (self.vandaag)().max(datum);
                let geschreven = AppendResult {
                    revision: revisie,
                    position: positie,
                };
                self.klaar(traject_id, client_id, event_id, geschreven, peildatum)
                    .await
            }
            Err(e) => Err(self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await),
        }
    }

    /// Waits until the read models show the write, then answers.
    async fn klaar(
        &self,
        traject_id: TrajectId,
        client_id: ClientId,
        event_id: EventId,
        geschreven: AppendResult,
        peildatum: NaiveDate,
    ) -> Result<Vastgelegd, DienstError> {
        self.projecties
            .wait_for(geschreven.position, self.wacht)
            .await
            .map_err(DienstError::van_wachten)?;
        Ok(Vastgelegd {
            traject_id,
            client_id,
            event_id,
            revisie: geschreven.revision,
            positie: geschreven.position,
            peildatum,
        })
    }
}

/// May the caller read the trajectory as it is now? The rule that refuses, if not.
fn mag_lezen(wie: &Verzoeker<'_>, geladen: &GeladenTraject) -> Result<(), &'static str> {
    let Some(t) = geladen.traject.toestand() else {
        return Ok(());
    };
    let relatie = Relatie::tot(wie.gebruiker, &t.aangemeld.organisatie, t.coach.as_ref());
    toegang::traject(wie.gebruiker, Handeling::Lezen, relatie)
        .map(|_| ())
        .map_err(|w| w.regel)
}

/// The registration of a new trajectory in the client's stream.
pub(crate) fn registratie(
    client_id: ClientId,
    client: &Client,
    organisatie: &OrganisatieId,
    traject_id: TrajectId,
    event_id: EventId,
    wie: &Verzoeker<'_>,
) -> Result<StreamAppend, DienstError> {
    let event = client.decide(organisatie, traject_id)?;
    let id = event_id.afgeleid("ClientAangemeld");
    let stored = traject_domain::client::encode(id, &event);
    Ok(StreamAppend {
        stream: laden::client_stream(&client_id)?,
        expected: ExpectedRevision::from_revision(client.revisie()),
        events: vec![nieuw_event(stored, wie)],
    })
}

/// Whether `command` is the command that stored its event id before: decided again on the state
/// it was decided on, it gives the same event. Then that event's place; otherwise the event id was
/// reused for another command.
///
/// The stored event's free text is sealed; `open` opens it with the client's key to compare.
/// Once the client is erased it no longer opens, and nothing can be confirmed as a retry.
fn herhaling(
    geladen: &GeladenTraject,
    besloten: &Traject,
    command: Command,
    vandaag: NaiveDate,
    open: impl FnMut(&'static str, &Verzegeling) -> Option<String>,
) -> Result<(EventId, u64, Position, NaiveDate), DienstError> {
    let event_id = command.event_id;
    let datum = command.datum.date();
    let opgeslagen = geladen
        .opgeslagen
        .get(&event_id)
        .ok_or_else(|| DienstError::intern("herhaling zonder opgeslagen gebeurtenis"))?;
    let zelfde_revisie = command.revisie.map_or(0, |r| r + 1) == opgeslagen.revisie;
    if !zelfde_revisie {
        return Err(event_id_al_gebruikt());
    }
    let events = decide(besloten, command, vandaag).map_err(|_| event_id_al_gebruikt())?;
    let opnieuw = events
        .into_iter()
        .find(|e| e.id == event_id)
        .ok_or_else(event_id_al_gebruikt)?;
    let mut eerder = opgeslagen.data.clone();
    if !eerder.open(open) || opnieuw.data != eerder || opnieuw.datum != opgeslagen.datum {
        return Err(event_id_al_gebruikt());
    }
    Ok((event_id, opgeslagen.revisie, opgeslagen.positie, datum))
}

/// The id of the placement that the command with `event_id` starts: made from it, so that a
/// retry names the same placement.
pub fn plaatsing_id_van(event_id: EventId) -> Result<PlaatsingId, ValueError> {
    PlaatsingId::new(event_id.as_uuid())
}

/// The refusal of an event id that is stored already for another command.
pub fn event_id_al_gebruikt() -> DienstError {
    DienstError::regel(
        "id",
        "event_id_al_gebruikt",
        "dit eventId is al gebruikt voor een andere gebeurtenis; een herhaling stuurt dezelfde inhoud",
    )
}

/// The event id of a caller's command: the caller's, or a new one. An id at exactly midnight UTC
/// is the import's ([`EventId::van_import`]); it can be computed from what an import file holds,
/// and taken first it would make the import of that trajectory fail, so a caller may not choose
/// one.
fn event_id_van_verzoeker(gekozen: Option<EventId>) -> Result<EventId, DienstError> {
    match gekozen {
        Some(id) if id.van_import() => Err(DienstError::regel(
            "id",
            "event_id_van_import",
            "dit eventId (met de tijd precies middernacht) is voorbehouden aan de import; laat het weg of maak een nieuw met uuid.v7()",
        )),
        Some(id) => Ok(id),
        None => nieuw_event_id(),
    }
}

/// A new event id (UUID v7) for a command that came without one.
pub(crate) fn nieuw_event_id() -> Result<EventId, DienstError> {
    Ok(EventId::new(Uuid::now_v7())?)
}

/// The stored form of decided events, with who caused them and in which request.
pub(crate) fn nieuwe_events(
    events: &[traject_domain::Event],
    wie: &Verzoeker<'_>,
) -> Vec<NewEvent> {
    events
        .iter()
        .map(|e| nieuw_event(traject_domain::stored::encode(e), wie))
        .collect()
}

/// One stored event with who caused it and in which request.
pub(crate) fn nieuw_event(
    stored: traject_domain::stored::StoredEvent,
    wie: &Verzoeker<'_>,
) -> NewEvent {
    NewEvent {
        id: stored.id.as_uuid(),
        event_type: stored.event_type,
        schema_version: stored.schema_version,
        data: stored.data,
        metadata: Metadata {
            actor: Some(wie.gebruiker.id.clone()),
            correlation_id: Some(wie.correlatie),
            causation_id: None,
        },
        recorded_at: None,
    }
}

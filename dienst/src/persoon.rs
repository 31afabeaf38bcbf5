//! Clients' personal data: reading and recording it (a coach or teamleider who may see one of the
//! client's trajectories), and erasing a client (beheerder). Who may is decided on the store's
//! facts: the client's registrations and their trajectories' streams. Every access is logged,
//! allowed or refused.

use std::collections::BTreeSet;

use traject_domain::event::PersoonsgegevensGewist;
use traject_domain::value::{ClientId, Datum, Persoonsgegevens, TrajectId, WisReden};
use traject_domain::{Command, CommandKind, decide};
use traject_store::{ExpectedRevision, Position, StoreError};

use crate::kluis::{KluisFout, Persoon};
use crate::laden;
use crate::toegang::{self, Handeling, Relatie, Toegestaan};
use crate::toegangslog::{Actie, Resultaat};
use crate::traject::{nieuw_event_id, nieuwe_events};
use crate::{Dienst, DienstFout, Inzage, Rol, Verzoeker, logcode};

/// How often an erasure marker is retried when a trajectory changes under it.
const MARKEER_POGINGEN: usize = 5;

/// The rule under which a client without a trajectory the caller may see is refused, whether or
/// not the client exists.
pub const REGEL_GEEN_TOEGANG_TOT_CLIENT: &str = "niet-eigen-client-of-organisatie";

/// The outcome of an erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gewist {
    /// Whether there was personal data to destroy.
    pub gegevens_vernietigd: bool,
    /// The trajectories that got an erasure marker now.
    pub trajecten_gemarkeerd: u32,
}

fn kluis_fout(e: KluisFout, client: ClientId) -> DienstFout {
    match e {
        KluisFout::Opslag(StoreError::KluisConflict {
            expected, actual, ..
        }) => DienstFout::Conflict {
            wat: "persoonsgegevens",
            verwacht: expected,
            huidig: actual,
        },
        KluisFout::Opslag(StoreError::Gewist { .. }) => DienstFout::invoer(
            "clientId",
            "de persoonsgegevens van deze client zijn gewist en kunnen niet opnieuw worden vastgelegd",
        ),
        other => DienstFout::intern(format!("kluis, client {client}: {other}")),
    }
}

impl Dienst {
    /// The client's trajectories as the store has them: their registrations, and (for clients
    /// referred before registrations existed) those the read models know.
    async fn trajecten_van(&self, client: ClientId) -> Result<Vec<TrajectId>, DienstFout> {
        let geregistreerd = laden::client(self.store.as_ref(), &client).await?;
        let mut trajecten: BTreeSet<TrajectId> =
            geregistreerd.trajecten().iter().copied().collect();
        let model = self.projecties.lees();
        trajecten.extend(
            model
                .van_client(&client)
                .filter_map(|e| e.kenmerken.as_ref().map(|k| k.traject_id)),
        );
        Ok(trajecten.into_iter().collect())
    }

    /// May the caller do `handeling` with `client`'s file? Allowed when one of the client's
    /// trajectories, as stored, allows it; a refusal (also for an unknown client) is logged.
    async fn mag_client(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        handeling: Handeling,
        code: &'static str,
        actie: Actie,
    ) -> Result<Toegestaan, DienstFout> {
        let mut weigering = REGEL_GEEN_TOEGANG_TOT_CLIENT;
        for traject in self.trajecten_van(client).await? {
            let geladen = laden::traject(self.store.as_ref(), traject).await?;
            let Some(t) = geladen.traject.toestand() else {
                continue;
            };
            if t.aangemeld.client_id != client {
                continue;
            }
            let relatie = Relatie::tot(wie.gebruiker, &t.aangemeld.organisatie, t.coach.as_ref());
            match toegang::traject(wie.gebruiker, handeling, relatie) {
                Ok(toegestaan) => return Ok(toegestaan),
                Err(w) => weigering = w.regel,
            }
        }
        Err(self
            .weiger(wie, code, actie, weigering, vec![client], None)
            .await)
    }

    /// A client's personal data.
    pub async fn persoon(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
    ) -> Result<Persoon, DienstFout> {
        let code = logcode::PERSOON_LEZEN;
        let t = self
            .mag_client(wie, client, Handeling::Lezen, code, Actie::R)
            .await?;
        let gelezen = self.kluis.lees(client.as_uuid()).await;
        let resultaat = if gelezen.is_ok() {
            Resultaat::Gelukt
        } else {
            Resultaat::Fout
        };
        self.log(wie, inzage(code, Actie::R, resultaat, t, client))
            .await?;
        gelezen.map_err(|e| kluis_fout(e, client))
    }

    /// Records or changes a client's personal data. `versie` is the version the caller saw
    /// (`None` the first time); a stale version is a conflict. `gegevens` is the parsed input,
    /// or the field and rule it broke.
    pub async fn persoonsgegevens_vastleggen(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        versie: Option<u64>,
        gegevens: Result<Persoonsgegevens, DienstFout>,
    ) -> Result<Persoon, DienstFout> {
        let code = logcode::PERSOON_VASTLEGGEN;
        let actie = if versie.is_some() { Actie::U } else { Actie::C };
        let t = self
            .mag_client(wie, client, Handeling::Vastleggen, code, actie)
            .await?;
        let uitkomst = match gegevens {
            Ok(g) => self
                .kluis
                .leg_vast(client.as_uuid(), versie, &g)
                .await
                .map_err(|e| kluis_fout(e, client)),
            Err(e) => Err(e),
        };
        let resultaat = match &uitkomst {
            Ok(_) => Resultaat::Gelukt,
            Err(e) if e.is_weigering() => Resultaat::Geweigerd,
            Err(_) => Resultaat::Fout,
        };
        self.log(wie, inzage(code, actie, resultaat, t, client))
            .await?;
        uitkomst?;
        self.kluis
            .lees(client.as_uuid())
            .await
            .map_err(|e| kluis_fout(e, client))
    }

    /// Erases a client's personal data for good (beheerder): destroys their data key and data,
    /// marks each of their trajectories, and removes them from the name index. The case history
    /// stays, anonymous. Erasing again is harmless and marks trajectories a failed attempt left
    /// unmarked.
    pub async fn client_wissen(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        reden: WisReden,
    ) -> Result<Gewist, DienstFout> {
        let code = logcode::CLIENT_WISSEN;
        if !wie.gebruiker.heeft(Rol::Beheerder) {
            let regel = "alleen-beheerder-wist";
            return Err(self
                .weiger(wie, code, Actie::D, regel, vec![client], None)
                .await);
        }
        let t = Toegestaan {
            regel: "beheerder-wist-op-verzoek",
            rol: Rol::Beheerder,
        };
        let uitkomst = async {
            let trajecten = self.trajecten_van(client).await?;
            let vernietigd = self
                .kluis
                .wis(client.as_uuid())
                .await
                .map_err(|e| kluis_fout(e, client))?;
            let mut gemarkeerd = 0;
            let mut laatste = None;
            for traject in &trajecten {
                if let Some(positie) = self.markeer(wie, *traject, reden).await? {
                    gemarkeerd += 1;
                    laatste = Some(positie);
                }
            }
            Ok::<_, DienstFout>((vernietigd, gemarkeerd, laatste))
        }
        .await;
        let resultaat = match &uitkomst {
            Ok(_) => Resultaat::Gelukt,
            Err(_) => Resultaat::Fout,
        };
        self.log(wie, inzage(code, Actie::D, resultaat, t, client))
            .await?;
        let (vernietigd, gemarkeerd, laatste) = uitkomst?;
        if let Some(positie) = laatste {
            self.projecties
                .wacht_tot(positie, self.wacht)
                .await
                .map_err(DienstFout::intern)?;
        }
        Ok(Gewist {
            gegevens_vernietigd: vernietigd,
            trajecten_gemarkeerd: gemarkeerd,
        })
    }

    /// Appends the erasure marker to one trajectory unless it has one; `None` if it had.
    async fn markeer(
        &self,
        wie: &Verzoeker<'_>,
        traject: TrajectId,
        reden: WisReden,
    ) -> Result<Option<Position>, DienstFout> {
        let stream = laden::traject_stream(traject)?;
        let vandaag = (self.vandaag)();
        for _ in 0..MARKEER_POGINGEN {
            let geladen = laden::traject(self.store.as_ref(), traject).await?;
            let aggregaat = geladen.traject;
            if aggregaat.toestand().is_none_or(|t| t.gewist.is_some()) {
                return Ok(None);
            }
            let command = Command {
                event_id: nieuw_event_id()?,
                revisie: aggregaat.revisie(),
                datum: Datum::new(vandaag)?,
                kind: CommandKind::PersoonsgegevensWissen(PersoonsgegevensGewist { reden }),
            };
            let events = decide(&aggregaat, command, vandaag).map_err(DienstFout::intern)?;
            let nieuw = nieuwe_events(&events, wie);
            let expected = ExpectedRevision::from_revision(aggregaat.revisie());
            match self.store.append(&stream, expected, nieuw).await {
                Ok(r) => return Ok(Some(r.position)),
                // A coach recorded something meanwhile: the marker does not depend on what, so
                // decide again on the new revision.
                Err(StoreError::WrongExpectedVersion { .. }) => continue,
                Err(e) => return Err(DienstFout::intern(e)),
            }
        }
        Err(DienstFout::intern(format!(
            "wismarkering van traject {traject}: na {MARKEER_POGINGEN} pogingen steeds een conflict"
        )))
    }
}

fn inzage(
    code: &'static str,
    actie: Actie,
    resultaat: Resultaat,
    t: Toegestaan,
    client: ClientId,
) -> Inzage<'static> {
    Inzage {
        code,
        actie,
        resultaat,
        rol: Some(t.rol),
        regel: t.regel,
        clients: vec![client],
        traject: None,
    }
}

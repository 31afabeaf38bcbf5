//! Clients' personal data: reading and recording it (a coach or teamleider who may see one of the
//! client's trajectories), and erasing a client (beheerder). Who may is decided on the store's
//! facts: the client's registrations and their trajectories' streams. Every access is logged,
//! allowed or refused.

use std::collections::BTreeSet;

use traject_domain::client::{WISSINGEN, WissingVastgelegd};
use traject_domain::event::PersoonsgegevensGewist;
use traject_domain::value::{ClientId, Datum, Persoonsgegevens, TrajectId, WisReden};
use traject_domain::{Command, CommandKind, decide};
use traject_store::{Direction, ExpectedRevision, ReadFrom, StoreError, StreamAppend, StreamName};

use crate::kluis::storage::StorageError;
use crate::kluis::{KluisError, Persoon};
use crate::laden;
use crate::toegang::{self, Handeling, Relatie, Toegestaan};
use crate::toegangslog::{Actie, AppendError, Resultaat};
use crate::traject::{nieuw_event, nieuw_event_id, nieuwe_events};
use crate::{Dienst, DienstError, Inzage, Rol, Verzoeker, logcode};

/// How often an erasure marker is retried when a trajectory changes under it.
const MARKEER_POGINGEN: usize = 5;

/// The rule under which a client without a trajectory the caller may see is refused, whether or
/// not the client exists.
pub const REGEL_GEEN_TOEGANG_TOT_CLIENT: &str = "niet-eigen-client-of-organisatie";

/// The outcome of an erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gewist {
    /// Whether this request destroyed personal data (`false` when there was none, or an earlier
    /// request destroyed it).
    pub gegevens_vernietigd: bool,
    /// The trajectories that got an erasure marker now.
    pub trajecten_gemarkeerd: u32,
    /// Whether an earlier request had erased the client already (a retry, or a request that
    /// was cancelled while its erasure went on): this one then only completed what was left.
    pub eerder_gewist: bool,
}

fn kluis_fout(e: KluisError, client: ClientId) -> DienstError {
    match e {
        KluisError::Storage(StorageError::Conflict {
            expected, actual, ..
        }) => DienstError::Conflict {
            wat: "persoonsgegevens",
            verwacht: expected,
            huidig: actual,
        },
        KluisError::Storage(StorageError::Gewist { .. }) => DienstError::regel(
            "client_id",
            "client_gewist",
            "de persoonsgegevens van deze client zijn gewist en kunnen niet opnieuw worden vastgelegd",
        ),
        other => DienstError::intern(format!("kluis, client {client}: {other}")),
    }
}

/// An access to a client's file, and the trajectory (at the revision read) that allowed it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientToegang {
    pub toegestaan: Toegestaan,
    pub traject: TrajectId,
    pub revisie: Option<u64>,
}

impl Dienst {
    /// The client's trajectories as the store has them: their registrations, and (for clients
    /// referred before registrations existed) those the read models know.
    async fn trajecten_van(&self, client: ClientId) -> Result<Vec<TrajectId>, DienstError> {
        let geregistreerd = laden::client(self.store.as_ref(), &client).await?;
        Ok(self.trajecten_met(client, &geregistreerd))
    }

    /// [`Self::trajecten_van`] with the client's stream read already.
    fn trajecten_met(
        &self,
        client: ClientId,
        geregistreerd: &traject_domain::client::Client,
    ) -> Vec<TrajectId> {
        let mut trajecten: BTreeSet<TrajectId> =
            geregistreerd.trajecten().iter().copied().collect();
        let model = self.projecties.read();
        trajecten.extend(
            model
                .van_client(&client)
                .filter_map(|e| e.kenmerken.as_ref().map(|k| k.traject_id)),
        );
        trajecten.into_iter().collect()
    }

    /// May the caller do `handeling` with `client`'s file? Allowed when one of the client's
    /// trajectories, as stored, allows it; a refusal (also for an unknown client) is logged
    /// under `code` and `actie`. The answer names that trajectory at the revision read, so that
    /// a write relying on the access can be made on condition that it is unchanged.
    pub(crate) async fn toegang_tot_client(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        handeling: Handeling,
        code: &'static str,
        actie: Actie,
    ) -> Result<ClientToegang, DienstError> {
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
                Ok(toegestaan) => {
                    return Ok(ClientToegang {
                        toegestaan,
                        traject,
                        revisie: geladen.traject.revisie(),
                    });
                }
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
    ) -> Result<Persoon, DienstError> {
        let code = logcode::PERSOON_LEZEN;
        let t = self
            .toegang_tot_client(wie, client, Handeling::Lezen, code, Actie::R)
            .await?
            .toegestaan;
        let gelezen = self.kluis.read(client.as_uuid()).await;
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
        gegevens: Result<Persoonsgegevens, DienstError>,
    ) -> Result<Persoon, DienstError> {
        let code = logcode::PERSOON_VASTLEGGEN;
        let actie = if versie.is_some() { Actie::U } else { Actie::C };
        let t = self
            .toegang_tot_client(wie, client, Handeling::Vastleggen, code, actie)
            .await?
            .toegestaan;
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
            .read(client.as_uuid())
            .await
            .map_err(|e| kluis_fout(e, client))
    }

    /// Erases a client's personal data for good (beheerder). One act that cannot half-happen:
    ///
    /// 1. the access-log entry, an erasure marker on each of the client's trajectories and the
    ///    erasure's record in the stream `wissingen` are committed in one transaction (decided
    ///    again if a coach records something meanwhile);
    /// 2. then the vault destroys the client's data key and data and drops the name;
    /// 3. a server that stopped between the two completes step 2 at its next start
    ///    ([`Dienst::voltooi_wissingen`]).
    ///
    /// It runs to the end in a task of its own, also when the request that asked for it is
    /// cancelled (a timeout, a closed connection). Erasing again reports the erasure as done
    /// (`gewist`) and marks trajectories an earlier attempt left unmarked.
    pub async fn client_wissen(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        reden: WisReden,
    ) -> Result<Gewist, DienstError> {
        let code = logcode::CLIENT_WISSEN;
        if !wie.gebruiker.heeft(Rol::Beheerder) {
            let regel = "alleen-beheerder-wist";
            return Err(self
                .weiger(wie, code, Actie::D, regel, vec![client], None)
                .await);
        }
        let dienst = self.clone();
        let gebruiker = wie.gebruiker.clone();
        let correlatie = wie.correlatie;
        tokio::spawn(async move {
            let wie = Verzoeker {
                gebruiker: &gebruiker,
                correlatie,
            };
            dienst.wis_client(&wie, client, reden).await
        })
        .await
        .map_err(DienstError::intern)?
    }

    async fn wis_client(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        reden: WisReden,
    ) -> Result<Gewist, DienstError> {
        // An id that names no client (no referral, no trajectory, no record in the vault) is not
        // erased: the beheerder who mistyped it learns so and nothing is written, where an
        // "erasure" of no one would have left the intended client's data in place unnoticed.
        let geregistreerd = laden::client(self.store.as_ref(), &client).await?;
        let bekend = geregistreerd.organisatie().is_some()
            || geregistreerd.is_gewist()
            || !self.trajecten_met(client, &geregistreerd).is_empty()
            || self
                .kluis
                .read(client.as_uuid())
                .await
                .map_err(|e| kluis_fout(e, client))?
                .versie
                .is_some();
        if !bekend {
            let onbekend = Inzage {
                code: logcode::CLIENT_WISSEN,
                actie: Actie::D,
                resultaat: Resultaat::Geweigerd,
                rol: Some(Rol::Beheerder),
                regel: "client-onbekend",
                clients: vec![client],
                traject: None,
            };
            self.log(wie, onbekend).await?;
            return Err(DienstError::NietGevonden("client"));
        }
        let t = Toegestaan {
            regel: "beheerder-wist-op-verzoek",
            rol: Rol::Beheerder,
        };
        let mut vastgelegd = None;
        for _ in 0..MARKEER_POGINGEN {
            let (delen, gemarkeerd) = self.wisdelen(wie, client, reden).await?;
            let entry = self.toegang(
                wie,
                inzage(
                    logcode::CLIENT_WISSEN,
                    Actie::D,
                    Resultaat::Gelukt,
                    t,
                    client,
                ),
            );
            match self.log.write_with(entry, delen).await {
                Ok(r) => {
                    let laatste = r.iter().map(|a| a.position).max();
                    vastgelegd = Some((gemarkeerd, laatste));
                    break;
                }
                // A coach recorded something meanwhile: the markers do not depend on what, so
                // decide again on the new revisions.
                Err(AppendError::Store(StoreError::WrongExpectedVersion { .. })) => continue,
                Err(e) => return Err(DienstError::intern(format!("{e:?}"))),
            }
        }
        let Some((gemarkeerd, laatste)) = vastgelegd else {
            return Err(DienstError::intern(format!(
                "wissing van client {client}: na {MARKEER_POGINGEN} pogingen steeds een conflict"
            )));
        };
        let eerder_gewist = self
            .kluis
            .read(client.as_uuid())
            .await
            .map_err(|e| kluis_fout(e, client))?
            .gewist;
        let vernietigd = self
            .kluis
            .wis(client.as_uuid())
            .await
            .map_err(|e| kluis_fout(e, client))?;
        if let Some(positie) = laatste {
            self.projecties
                .wait_for(positie, self.wacht)
                .await
                .map_err(DienstError::van_wachten)?;
        }
        Ok(Gewist {
            gegevens_vernietigd: vernietigd,
            trajecten_gemarkeerd: gemarkeerd,
            eerder_gewist,
        })
    }

    /// The appends of an erasure: its record in `wissingen`, the erasure in the client's own
    /// stream at the revision read (so a referral of the client that lands meanwhile makes the
    /// erasure decide again, and none can follow it), and a marker on each of the client's
    /// trajectories that has none yet (each at the revision read).
    async fn wisdelen(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        reden: WisReden,
    ) -> Result<(Vec<StreamAppend>, u32), DienstError> {
        let vandaag = (self.vandaag)();
        let registratie = traject_domain::client::encode_wissing(
            nieuw_event_id()?,
            &WissingVastgelegd { client_id: client },
        );
        let geregistreerd = laden::client(self.store.as_ref(), &client).await?;
        let gewist = traject_domain::client::encode_gewist(nieuw_event_id()?);
        let mut delen = vec![
            StreamAppend {
                stream: StreamName::new(WISSINGEN).map_err(DienstError::intern)?,
                expected: ExpectedRevision::Any,
                events: vec![nieuw_event(registratie, wie)],
            },
            StreamAppend {
                stream: laden::client_stream(&client)?,
                expected: ExpectedRevision::from_revision(geregistreerd.revisie()),
                events: vec![nieuw_event(gewist, wie)],
            },
        ];
        for traject in self.trajecten_met(client, &geregistreerd) {
            let aggregaat = laden::traject(self.store.as_ref(), traject).await?.traject;
            if aggregaat.toestand().is_none_or(|t| t.gewist.is_some()) {
                continue;
            }
            let command = Command {
                event_id: nieuw_event_id()?,
                revisie: aggregaat.revisie(),
                datum: Datum::new(vandaag)?,
                kind: CommandKind::PersoonsgegevensWissen(PersoonsgegevensGewist { reden }),
            };
            let events = decide(&aggregaat, command, vandaag).map_err(DienstError::intern)?;
            delen.push(StreamAppend {
                stream: laden::traject_stream(traject)?,
                expected: ExpectedRevision::from_revision(aggregaat.revisie()),
                events: nieuwe_events(&events, wie),
            });
        }
        let gemarkeerd = (delen.len() - 2) as u32;
        Ok((delen, gemarkeerd))
    }

    /// Completes every recorded erasure whose vault record still holds data: what a server
    /// does at start, after a stop between recording an erasure and destroying the record.
    /// Returns how many it completed.
    pub async fn voltooi_wissingen(&self) -> Result<usize, DienstError> {
        let stream = StreamName::new(WISSINGEN).map_err(DienstError::intern)?;
        let mut from = ReadFrom::Start;
        let mut voltooid = 0;
        loop {
            let batch = self
                .store
                .read_stream(&stream, from, Direction::Forwards, 1000)
                .await
                .map_err(DienstError::van_store)?;
            for e in &batch {
                let w = traject_domain::client::decode_wissing(
                    &e.event_type,
                    e.schema_version,
                    &e.data.value().map_err(DienstError::intern)?,
                )
                .map_err(DienstError::intern)?;
                let persoon = self
                    .kluis
                    .read(w.client_id.as_uuid())
                    .await
                    .map_err(|f| kluis_fout(f, w.client_id))?;
                if persoon.gegevens.is_some() {
                    self.kluis
                        .wis(w.client_id.as_uuid())
                        .await
                        .map_err(|f| kluis_fout(f, w.client_id))?;
                    tracing::warn!(client = %w.client_id, "unfinished wissing completed");
                    voltooid += 1;
                }
            }
            match batch.last() {
                Some(last) if batch.len() == 1000 => from = ReadFrom::Revision(last.revision + 1),
                _ => return Ok(voltooid),
            }
        }
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

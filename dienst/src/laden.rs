//! Loading what a command is authorised and decided on, from the store itself (never from the
//! read models): a trajectory's stream, a client's registrations, an organisation's team.

use std::collections::HashMap;

use traject_domain::client::{self, Client};
use traject_domain::team::{self, Team};
use traject_domain::value::{ClientId, EventId, OrganisatieId, TrajectId};
use traject_domain::{Traject, apply};
use traject_store::{Direction, EventStore, Position, ReadFrom, RecordedEvent, StreamName};

use crate::DienstError;

/// How many events a stream is read by at a time.
const PAGINA: usize = 1000;

/// A trajectory as stored, with where each of its events is.
pub(crate) struct GeladenTraject {
    /// The aggregate, every event applied.
    pub traject: Traject,
    /// Each stored event by id: its revision, position, type and data.
    pub opgeslagen: HashMap<EventId, Opgeslagen>,
}

/// Where an event is stored, and as what (its free text as stored: sealed).
pub(crate) struct Opgeslagen {
    pub revisie: u64,
    pub positie: Position,
    pub datum: traject_domain::value::Datum,
    pub data: traject_domain::EventData,
}

impl GeladenTraject {
    /// The trajectory as it was at `revisie` (the state a caller decided on); the current state
    /// when `revisie` is the current one or lies beyond it.
    pub fn op_revisie(&self, revisie: Option<u64>) -> Result<Traject, DienstError> {
        let events = self.traject.events();
        match revisie {
            Some(r) if (r as usize) + 1 < events.len() => {
                Traject::from_events(&events[..=r as usize]).map_err(DienstError::intern)
            }
            None if !events.is_empty() => Ok(Traject::default()),
            _ => Ok(self.traject.clone()),
        }
    }
}

/// Every event of `stream`, a page at a time.
async fn stream(
    store: &dyn EventStore,
    stream: &StreamName,
) -> Result<Vec<RecordedEvent>, DienstError> {
    let mut alles = Vec::new();
    let mut from = ReadFrom::Start;
    loop {
        let batch = store
            .read_stream(stream, from, Direction::Forwards, PAGINA)
            .await
            .map_err(DienstError::van_store)?;
        let n = batch.len();
        if let Some(last) = batch.last() {
            from = ReadFrom::Revision(last.revision + 1);
        }
        alles.extend(batch);
        if n < PAGINA {
            return Ok(alles);
        }
    }
}

/// The stream name of a trajectory.
pub(crate) fn traject_stream(id: TrajectId) -> Result<StreamName, DienstError> {
    StreamName::new(id.stream_name()).map_err(DienstError::intern)
}

/// The stream name of a client's registrations.
pub(crate) fn client_stream(id: &ClientId) -> Result<StreamName, DienstError> {
    StreamName::new(client::stream_name(id)).map_err(DienstError::intern)
}

/// The stream name of an organisation's team.
pub(crate) fn team_stream(id: &OrganisatieId) -> Result<StreamName, DienstError> {
    StreamName::new(team::stream_name(id)).map_err(DienstError::intern)
}

/// A trajectory as stored: every event decoded and applied.
pub(crate) async fn traject(
    store: &dyn EventStore,
    id: TrajectId,
) -> Result<GeladenTraject, DienstError> {
    let mut traject = Traject::default();
    let mut opgeslagen = HashMap::new();
    for recorded in stream(store, &traject_stream(id)?).await? {
        let event_id = EventId::new(recorded.id)?;
        let event = traject_domain::stored::decode_json(
            event_id,
            &recorded.event_type,
            recorded.schema_version,
            recorded.data.as_str(),
        )
        .map_err(DienstError::intern)?;
        opgeslagen.insert(
            event_id,
            Opgeslagen {
                revisie: recorded.revision,
                positie: recorded.position,
                datum: event.datum,
                data: event.data.clone(),
            },
        );
        apply(&mut traject, event).map_err(DienstError::intern)?;
    }
    Ok(GeladenTraject {
        traject,
        opgeslagen,
    })
}

/// A client's registrations as stored.
pub(crate) async fn client(store: &dyn EventStore, id: &ClientId) -> Result<Client, DienstError> {
    let mut client = Client::default();
    for recorded in stream(store, &client_stream(id)?).await? {
        let event = client::decode(
            &recorded.event_type,
            recorded.schema_version,
            &recorded.data.value().map_err(DienstError::intern)?,
        )
        .map_err(DienstError::intern)?;
        client.apply(&event);
    }
    Ok(client)
}

/// An organisation's team as stored.
pub(crate) async fn team(store: &dyn EventStore, id: &OrganisatieId) -> Result<Team, DienstError> {
    let mut team = Team::default();
    for recorded in stream(store, &team_stream(id)?).await? {
        let event = team::decode(
            &recorded.event_type,
            recorded.schema_version,
            &recorded.data.value().map_err(DienstError::intern)?,
        )
        .map_err(DienstError::intern)?;
        team.apply(&event);
    }
    Ok(team)
}

//! Feeding events into a read model, directly or through a real store.

use chrono::NaiveDate;
use traject_demo::{DemoOpties, DemoTraject, generate};
use traject_domain::stored::encode;
use traject_domain::value::TrajectId;
use traject_domain::{DuurzaamBeleid, Event};
use traject_projections::ReadModel;
use traject_store::{Metadata, NewEvent, Position, RecordedEvent, StreamName};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub fn new_event(event: &Event) -> NewEvent {
    let stored = encode(event);
    NewEvent {
        id: stored.id.as_uuid(),
        event_type: stored.event_type,
        schema_version: stored.schema_version,
        data: stored.data,
        metadata: Metadata::default(),
        recorded_at: None,
    }
}

/// Recorded events for the trajectories, numbered in the order given (as a store would).
pub fn recorded(trajecten: &[(TrajectId, Vec<Event>)]) -> Vec<RecordedEvent> {
    let mut position = 0;
    let mut out = Vec::new();
    for (id, events) in trajecten {
        let stream = StreamName::new(id.stream_name()).unwrap();
        for (revision, event) in events.iter().enumerate() {
            position += 1;
            let new = new_event(event);
            out.push(RecordedEvent {
                id: new.id,
                stream: stream.clone(),
                revision: revision as u64,
                position: Position(position),
                event_type: new.event_type,
                schema_version: new.schema_version,
                recorded_at: chrono::Utc::now(),
                data: new.data.into(),
                metadata: new.metadata,
            });
        }
    }
    out
}

pub fn model_of(trajecten: &[(TrajectId, Vec<Event>)]) -> ReadModel {
    let mut model = ReadModel::new(DuurzaamBeleid::default());
    for event in recorded(trajecten) {
        model.apply(&event).unwrap();
    }
    model.refresh();
    model
}

pub fn demo(trajecten: usize, seed: u64) -> (DemoOpties, Vec<DemoTraject>) {
    let opties = DemoOpties {
        seed,
        trajecten,
        jaren: 6,
        vandaag: date("2026-06-30"),
    };
    let data = generate(&opties).collect();
    (opties, data)
}

pub fn pairs(data: &[DemoTraject]) -> Vec<(TrajectId, Vec<Event>)> {
    data.iter().map(|t| (t.id, t.events.clone())).collect()
}

/// Appends each trajectory as one new stream, its employers and job titles sealed as the server
/// stores them (with one key for all: the read models never open them); returns the last
/// position.
pub async fn load(store: &dyn traject_store::EventStore, data: &[DemoTraject]) -> Position {
    let sleutel = traject_kluis::key::ClientKey::random();
    let mut last = Position(0);
    for t in data {
        let stream = StreamName::new(t.id.stream_name()).unwrap();
        let client = uuid::Uuid::now_v7();
        let events = t
            .events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                let id = e.id.as_uuid();
                e.data.seal(|veld, tekst| {
                    traject_domain::value::Verzegeling::new(
                        sleutel.seal_text(client, id, veld, tekst),
                    )
                });
                new_event(&e)
            })
            .collect();
        last = store
            .append(&stream, traject_store::ExpectedRevision::NoStream, events)
            .await
            .unwrap()
            .position;
    }
    last
}

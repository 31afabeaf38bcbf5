//! Demo data as a read model, without a store.

use chrono::NaiveDate;
use traject_demo::{DemoOpties, DemoTraject, generate};
use traject_domain::stored::encode;
use traject_domain::value::TrajectId;
use traject_domain::{DuurzaamBeleid, Event};
use traject_projections::ReadModel;
use traject_store::{Position, RecordedEvent, StreamName};

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
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

/// The read model of the trajectories, their events numbered in the order given (as a store
/// would).
pub fn model_of(trajecten: &[(TrajectId, Vec<Event>)]) -> ReadModel {
    let mut model = ReadModel::new(DuurzaamBeleid::default());
    let mut position = 0;
    for (id, events) in trajecten {
        let stream = StreamName::new(id.stream_name()).unwrap();
        for (revision, event) in events.iter().enumerate() {
            position += 1;
            let stored = encode(event);
            model
                .apply(&RecordedEvent {
                    id: stored.id.as_uuid(),
                    stream: stream.clone(),
                    revision: revision as u64,
                    position: Position(position),
                    event_type: stored.event_type,
                    schema_version: stored.schema_version,
                    recorded_at: chrono::Utc::now(),
                    data: stored.data.into(),
                    metadata: Default::default(),
                })
                .unwrap();
        }
    }
    model.refresh();
    model
}

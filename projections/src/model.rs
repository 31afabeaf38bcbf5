//! The read model: every trajectory's aggregate and facts, with indexes per coach and per
//! organisation, at a known store position (its checkpoint).
//!
//! Events are applied in global order and only once: an event at or below the checkpoint is
//! skipped, so applying is idempotent by position. Facts are recomputed for changed trajectories
//! by [`ReadModel::refresh`], once per batch rather than once per event.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use traject_domain::stored::{StoredEvent, decode};
use traject_domain::value::{CoachId, EventId, OrganisatieId, TrajectId};
use traject_domain::{DuurzaamBeleid, Traject, apply};
use traject_store::{Position, RecordedEvent};

use crate::error::ProjectionError;
use crate::kenmerken::Kenmerken;

/// One trajectory in the read model.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The aggregate, folded from its stream.
    pub traject: Traject,
    /// When each of its events was recorded, in stream order.
    pub opgenomen: Vec<DateTime<Utc>>,
    /// Its facts, current after a refresh.
    pub kenmerken: Option<Kenmerken>,
}

/// Every trajectory at a known position of the store.
#[derive(Debug, Clone)]
pub struct ReadModel {
    beleid: DuurzaamBeleid,
    checkpoint: Option<Position>,
    trajecten: HashMap<TrajectId, Entry>,
    dirty: HashSet<TrajectId>,
    per_coach: HashMap<CoachId, BTreeSet<TrajectId>>,
    per_organisatie: HashMap<OrganisatieId, BTreeSet<TrajectId>>,
}

impl ReadModel {
    /// An empty model that measures duurzaam under `beleid`.
    pub fn new(beleid: DuurzaamBeleid) -> Self {
        Self {
            beleid,
            checkpoint: None,
            trajecten: HashMap::new(),
            dirty: HashSet::new(),
            per_coach: HashMap::new(),
            per_organisatie: HashMap::new(),
        }
    }

    /// The position of the last event applied.
    pub fn checkpoint(&self) -> Option<Position> {
        self.checkpoint
    }

    /// The duurzaam policy the model measures with.
    pub fn beleid(&self) -> &DuurzaamBeleid {
        &self.beleid
    }

    /// Applies one recorded event of a trajectory stream. Events at or below the checkpoint are
    /// skipped; events of other streams only move the checkpoint.
    pub fn apply(&mut self, recorded: &RecordedEvent) -> Result<(), ProjectionError> {
        if self.checkpoint.is_some_and(|c| recorded.position <= c) {
            return Ok(());
        }
        if let Ok(id) = TrajectId::from_stream_name(recorded.stream.as_str()) {
            let stored = StoredEvent {
                id: EventId::new(recorded.id).map_err(|e| ProjectionError::at(recorded, e))?,
                event_type: recorded.event_type.clone(),
                schema_version: recorded.schema_version,
                data: recorded.data.clone(),
            };
            let event = decode(&stored).map_err(|e| ProjectionError::at(recorded, e))?;
            let entry = self.trajecten.entry(id).or_insert_with(|| Entry {
                traject: Traject::default(),
                opgenomen: Vec::new(),
                kenmerken: None,
            });
            apply(&mut entry.traject, &event).map_err(|e| ProjectionError::at(recorded, e))?;
            entry.opgenomen.push(recorded.recorded_at);
            self.dirty.insert(id);
        }
        self.checkpoint = Some(recorded.position);
        Ok(())
    }

    /// Recomputes the facts and indexes of every trajectory changed since the last refresh.
    pub fn refresh(&mut self) {
        for id in std::mem::take(&mut self.dirty) {
            let Some(entry) = self.trajecten.get_mut(&id) else {
                continue;
            };
            let nieuw = Kenmerken::van(id, &entry.traject, &self.beleid);
            if let Some(oud) = &entry.kenmerken {
                if let Some(coach) = &oud.coach {
                    remove(&mut self.per_coach, coach, id);
                }
                remove(&mut self.per_organisatie, &oud.organisatie, id);
            }
            if let Some(k) = &nieuw {
                if let Some(coach) = &k.coach {
                    self.per_coach.entry(coach.clone()).or_default().insert(id);
                }
                self.per_organisatie
                    .entry(k.organisatie.clone())
                    .or_default()
                    .insert(id);
            }
            entry.kenmerken = nieuw;
        }
    }

    /// One trajectory.
    pub fn traject(&self, id: TrajectId) -> Option<&Entry> {
        self.trajecten.get(&id)
    }

    /// The facts of every referred trajectory.
    pub fn kenmerken(&self) -> impl Iterator<Item = &Kenmerken> {
        self.trajecten.values().filter_map(|e| e.kenmerken.as_ref())
    }

    /// The trajectories whose current coach is `coach`.
    pub fn van_coach(&self, coach: &CoachId) -> impl Iterator<Item = &Entry> {
        self.lookup(self.per_coach.get(coach))
    }

    /// The trajectories of `organisatie`.
    pub fn van_organisatie(&self, organisatie: &OrganisatieId) -> impl Iterator<Item = &Entry> {
        self.lookup(self.per_organisatie.get(organisatie))
    }

    /// How many trajectories the model holds.
    pub fn len(&self) -> usize {
        self.trajecten.len()
    }

    /// Whether the model holds no trajectory.
    pub fn is_empty(&self) -> bool {
        self.trajecten.is_empty()
    }

    fn lookup<'a>(
        &'a self,
        ids: Option<&'a BTreeSet<TrajectId>>,
    ) -> impl Iterator<Item = &'a Entry> {
        ids.into_iter()
            .flatten()
            .filter_map(|id| self.trajecten.get(id))
    }
}

fn remove<K: std::hash::Hash + Eq>(
    index: &mut HashMap<K, BTreeSet<TrajectId>>,
    key: &K,
    id: TrajectId,
) {
    if let Some(set) = index.get_mut(key) {
        set.remove(&id);
        if set.is_empty() {
            index.remove(key);
        }
    }
}

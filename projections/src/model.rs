//! The read model: every trajectory's aggregate and facts, with indexes per coach and per
//! organisation, at a known store position (its checkpoint).
//!
//! Events are applied in global order and only once: an event at or below the checkpoint is
//! skipped, so applying is idempotent by position. Facts are recomputed for changed trajectories
//! by [`ReadModel::refresh`], once per batch rather than once per event.
//!
//! Trajectories are spread over [`SHARDS`] maps by their id. Events of different trajectories
//! do not depend on each other, so [`ReadModel::apply_batch`] applies a batch on every core at
//! once, each thread taking whole shards; the events of one trajectory stay in stream order.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use traject_domain::stored::decode_json;
use traject_domain::value::{ClientId, CoachId, EventId, OrganisatieId, TrajectId};
use traject_domain::{DuurzaamBeleid, Status, Traject, apply, status};
use traject_store::{Position, RecordedEvent};

use crate::error::ProjectionError;
use crate::kenmerken::Kenmerken;
use crate::parallel::{cores, spread};

/// How many maps the trajectories are spread over.
pub const SHARDS: usize = 16;

/// Below this many events a batch is applied on the calling thread only. Catching up, the
/// runner gets what the store's subscription read at once (4,096 events), so it applies on
/// every core while the store reads the next batch.
const PARALLEL_FROM: usize = 2_048;

/// One trajectory in the read model.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The aggregate, folded from its stream.
    pub traject: Traject,
    /// When each of its events was recorded, in stream order; shared with a snapshot being
    /// written (copy on write).
    pub opgenomen: Arc<Vec<DateTime<Utc>>>,
    /// Its facts, current after a refresh.
    pub kenmerken: Option<Kenmerken>,
    /// Its status on the peildatum last asked for, until its next event.
    laatste_status: StatusGeheugen,
}

impl Entry {
    fn new(traject: Traject, opgenomen: Vec<DateTime<Utc>>) -> Self {
        Self {
            traject,
            opgenomen: Arc::new(opgenomen),
            kenmerken: None,
            laatste_status: StatusGeheugen::default(),
        }
    }

    /// See [`ReadModel::status_op`]; `beleid` is always the model's own.
    fn status_op(&self, peildatum: NaiveDate, beleid: &DuurzaamBeleid) -> Option<Arc<Status>> {
        let mut laatste = self
            .laatste_status
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &*laatste {
            Some((datum, status)) if *datum == peildatum => status.clone(),
            _ => {
                let status = status(&self.traject, peildatum, beleid).map(Arc::new);
                *laatste = Some((peildatum, status.clone()));
                status
            }
        }
    }
}

/// The status of one peildatum; empty when cloned, as a copy may be changed apart.
#[derive(Debug, Default)]
struct StatusGeheugen(Mutex<Option<(NaiveDate, Option<Arc<Status>>)>>);

impl Clone for StatusGeheugen {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A trajectory as a snapshot saves it: its events and when each was recorded (seconds since the
/// Unix epoch and nanoseconds).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct HersteldTraject {
    pub(crate) id: TrajectId,
    pub(crate) events: Vec<traject_domain::event::Event>,
    pub(crate) opgenomen: Vec<(i64, u32)>,
}

/// The trajectories of one shard and which of them changed since the last refresh.
#[derive(Debug, Clone, Default)]
struct Shard {
    trajecten: HashMap<TrajectId, Entry>,
    dirty: HashSet<TrajectId>,
}

impl Shard {
    fn apply(&mut self, id: TrajectId, recorded: &RecordedEvent) -> Result<(), ProjectionError> {
        let event_id = EventId::new(recorded.id).map_err(|e| ProjectionError::at(recorded, e))?;
        let event = decode_json(
            event_id,
            &recorded.event_type,
            recorded.schema_version,
            recorded.data.as_str(),
        )
        .map_err(|e| ProjectionError::at(recorded, e))?;
        let entry = self
            .trajecten
            .entry(id)
            .or_insert_with(|| Entry::new(Traject::default(), Vec::new()));
        apply(&mut entry.traject, event).map_err(|e| ProjectionError::at(recorded, e))?;
        Arc::make_mut(&mut entry.opgenomen).push(recorded.recorded_at);
        entry.laatste_status = StatusGeheugen::default();
        self.dirty.insert(id);
        Ok(())
    }

    /// Recomputes the facts of the changed trajectories; returns each one's old and new facts'
    /// index keys, for the indexes to follow.
    fn refresh(&mut self, beleid: &DuurzaamBeleid) -> Vec<(TrajectId, Sleutels, Sleutels)> {
        let mut changes = Vec::with_capacity(self.dirty.len());
        for id in std::mem::take(&mut self.dirty) {
            let Some(entry) = self.trajecten.get_mut(&id) else {
                continue;
            };
            let nieuw = Kenmerken::van(id, &entry.traject, beleid);
            let oud = std::mem::replace(&mut entry.kenmerken, nieuw);
            changes.push((
                id,
                Sleutels::van(oud.as_ref()),
                Sleutels::van(entry.kenmerken.as_ref()),
            ));
        }
        changes
    }
}

/// The index keys of a trajectory's facts.
#[derive(Debug, Default)]
struct Sleutels {
    coach: Option<CoachId>,
    organisatie: Option<OrganisatieId>,
    client: Option<ClientId>,
}

impl Sleutels {
    fn van(kenmerken: Option<&Kenmerken>) -> Self {
        kenmerken.map_or_else(Self::default, |k| Self {
            coach: k.coach.clone(),
            organisatie: Some(k.organisatie.clone()),
            client: Some(k.client_id),
        })
    }
}

/// Every trajectory at a known position of the store.
#[derive(Debug, Clone)]
pub struct ReadModel {
    beleid: DuurzaamBeleid,
    checkpoint: Option<Position>,
    /// The id of the event at the checkpoint, to recognise the store a saved model belongs to.
    laatste_event: Option<uuid::Uuid>,
    shards: Vec<Shard>,
    per_coach: HashMap<CoachId, BTreeSet<TrajectId>>,
    per_organisatie: HashMap<OrganisatieId, BTreeSet<TrajectId>>,
    per_client: HashMap<ClientId, BTreeSet<TrajectId>>,
}

fn shard_of(id: TrajectId) -> usize {
    // The last byte of a UUID is random in every version traject writes.
    usize::from(id.as_uuid().as_bytes()[15]) % SHARDS
}

impl ReadModel {
    /// An empty model that measures duurzaam under `beleid`.
    pub fn new(beleid: DuurzaamBeleid) -> Self {
        Self {
            beleid,
            checkpoint: None,
            laatste_event: None,
            shards: vec![Shard::default(); SHARDS],
            per_coach: HashMap::new(),
            per_organisatie: HashMap::new(),
            per_client: HashMap::new(),
        }
    }

    /// The model of trajectories that are not in a store (tests, benchmarks, tools): their events
    /// in the order given, numbered from position 1 as a store would, recorded now, refreshed.
    pub fn uit_trajecten(
        beleid: DuurzaamBeleid,
        trajecten: &[(TrajectId, Vec<traject_domain::Event>)],
    ) -> Result<Self, ProjectionError> {
        let mut model = Self::new(beleid);
        let mut events = Vec::new();
        for (id, lijst) in trajecten {
            let stream = traject_store::StreamName::new(id.stream_name())
                .expect("a trajectory's stream name is valid");
            for (revision, event) in lijst.iter().enumerate() {
                let stored = traject_domain::stored::encode(event);
                events.push(RecordedEvent {
                    id: stored.id.as_uuid(),
                    stream: stream.clone(),
                    revision: revision as u64,
                    position: Position(events.len() as u64 + 1),
                    event_type: stored.event_type,
                    schema_version: stored.schema_version,
                    recorded_at: Utc::now(),
                    data: stored.data.into(),
                    metadata: Default::default(),
                });
            }
        }
        model.apply_batch(&events)?;
        model.refresh();
        Ok(model)
    }

    /// The position of the last event applied.
    pub fn checkpoint(&self) -> Option<Position> {
        self.checkpoint
    }

    /// The id of the event at the checkpoint.
    pub fn laatste_event(&self) -> Option<uuid::Uuid> {
        self.laatste_event
    }

    /// The duurzaam policy the model measures with.
    pub fn beleid(&self) -> &DuurzaamBeleid {
        &self.beleid
    }

    /// `entry`'s status on `peildatum` under the model's policy, as [`traject_domain::status()`]
    /// computes it. Kept per trajectory for the last peildatum asked for, until its next event:
    /// a caseload asks for every trajectory's status on today's date at every request, and
    /// folding the events each time was about half of its cost.
    pub fn status_op(&self, entry: &Entry, peildatum: NaiveDate) -> Option<Arc<Status>> {
        entry.status_op(peildatum, &self.beleid)
    }

    /// Applies one recorded event of a trajectory stream. Events at or below the checkpoint are
    /// skipped; events of other streams only move the checkpoint.
    pub fn apply(&mut self, recorded: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply_batch(std::slice::from_ref(recorded))
    }

    /// Applies recorded events in the store's order, on every core for a large batch. Events at
    /// or below the checkpoint are skipped; events of other streams only move the checkpoint.
    ///
    /// On an error the batch may be partly applied (other trajectories' events after the failing
    /// one included) and the checkpoint does not move: the model is then no longer a faithful
    /// image of the store, and the runner stops following.
    pub fn apply_batch(&mut self, events: &[RecordedEvent]) -> Result<(), ProjectionError> {
        let nieuw = match self.checkpoint {
            Some(c) => &events[events.partition_point(|e| e.position <= c)..],
            None => events,
        };
        let Some(last) = nieuw.last() else {
            return Ok(());
        };
        let routed: Vec<Option<(usize, TrajectId)>> = nieuw
            .iter()
            .map(|e| {
                let id = TrajectId::from_stream_name(e.stream.as_str()).ok()?;
                Some((shard_of(id), id))
            })
            .collect();
        let threads = if nieuw.len() < PARALLEL_FROM {
            1
        } else {
            cores(SHARDS)
        };
        spread(self.shards.iter_mut(), threads, |shards| {
            let mut mine: [Option<&mut Shard>; SHARDS] = Default::default();
            for (i, shard) in shards {
                mine[i] = Some(shard);
            }
            for (recorded, route) in nieuw.iter().zip(&routed) {
                if let Some((i, id)) = route
                    && let Some(shard) = &mut mine[*i]
                {
                    shard.apply(*id, recorded)?;
                }
            }
            Ok::<(), ProjectionError>(())
        })
        .into_iter()
        .collect::<Result<(), _>>()?;
        self.checkpoint = Some(last.position);
        self.laatste_event = Some(last.id);
        Ok(())
    }

    /// Each shard's trajectories with their events and recording times, for a snapshot.
    pub(crate) fn shard_trajecten(
        &self,
        shard: usize,
    ) -> impl Iterator<Item = (&TrajectId, &Entry)> {
        self.shards[shard].trajecten.iter()
    }

    /// A model rebuilt from saved trajectories, each shard's events applied again through the
    /// domain's rules on every core, then refreshed. `shards[i]` must hold the trajectories of
    /// shard `i`.
    pub(crate) fn restore(
        beleid: DuurzaamBeleid,
        checkpoint: Position,
        laatste_event: uuid::Uuid,
        shards: Vec<Vec<HersteldTraject>>,
    ) -> Result<Self, String> {
        if shards.len() != SHARDS {
            return Err(format!("{} shards in plaats van {SHARDS}", shards.len()));
        }
        let herstel_shard = |index: usize, trajecten: Vec<HersteldTraject>| {
            let mut shard = Shard::default();
            for t in trajecten {
                if shard_of(t.id) != index {
                    return Err("traject in de verkeerde shard".to_owned());
                }
                if t.events.len() != t.opgenomen.len() {
                    return Err("aantal events en opnametijden verschillen".to_owned());
                }
                let mut traject = Traject::default();
                for event in t.events {
                    apply(&mut traject, event).map_err(|e| e.to_string())?;
                }
                let opgenomen = t
                    .opgenomen
                    .into_iter()
                    .map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos))
                    .collect::<Option<Vec<_>>>()
                    .ok_or("opnametijd buiten bereik")?;
                shard.trajecten.insert(t.id, Entry::new(traject, opgenomen));
                shard.dirty.insert(t.id);
            }
            Ok(shard)
        };
        let mut hersteld: Vec<(usize, Shard)> = spread(shards, cores(SHARDS), |group| {
            group
                .into_iter()
                .map(|(i, t)| herstel_shard(i, t).map(|s| (i, s)))
                .collect::<Result<Vec<_>, String>>()
        })
        .into_iter()
        .collect::<Result<Vec<_>, String>>()?
        .into_iter()
        .flatten()
        .collect();
        hersteld.sort_by_key(|(i, _)| *i);
        let mut model = Self::new(beleid);
        model.shards = hersteld.into_iter().map(|(_, s)| s).collect();
        model.checkpoint = Some(checkpoint);
        model.laatste_event = Some(laatste_event);
        model.refresh();
        Ok(model)
    }

    /// Recomputes the facts and indexes of every trajectory changed since the last refresh.
    pub fn refresh(&mut self) {
        let beleid = &self.beleid;
        let dirty: usize = self.shards.iter().map(|s| s.dirty.len()).sum();
        let threads = if dirty < 256 { 1 } else { cores(SHARDS) };
        let changes: Vec<_> = spread(self.shards.iter_mut(), threads, |group| {
            group
                .into_iter()
                .flat_map(|(_, s)| s.refresh(beleid))
                .collect::<Vec<_>>()
        })
        .into_iter()
        .flatten()
        .collect();
        for (id, oud, nieuw) in changes {
            if let Some(coach) = &oud.coach {
                remove(&mut self.per_coach, coach, id);
            }
            if let Some(organisatie) = &oud.organisatie {
                remove(&mut self.per_organisatie, organisatie, id);
            }
            if let Some(client) = &oud.client {
                remove(&mut self.per_client, client, id);
            }
            if let Some(client) = nieuw.client {
                self.per_client.entry(client).or_default().insert(id);
            }
            if let Some(coach) = nieuw.coach {
                self.per_coach.entry(coach).or_default().insert(id);
            }
            if let Some(organisatie) = nieuw.organisatie {
                self.per_organisatie
                    .entry(organisatie)
                    .or_default()
                    .insert(id);
            }
        }
    }

    /// Every trajectory, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.shards.iter().flat_map(|s| s.trajecten.values())
    }

    /// One trajectory.
    pub fn traject(&self, id: TrajectId) -> Option<&Entry> {
        self.shards[shard_of(id)].trajecten.get(&id)
    }

    /// The facts of every referred trajectory.
    pub fn kenmerken(&self) -> impl Iterator<Item = &Kenmerken> {
        self.entries().filter_map(|e| e.kenmerken.as_ref())
    }

    /// The trajectories whose current coach is `coach`.
    pub fn van_coach(&self, coach: &CoachId) -> impl Iterator<Item = &Entry> {
        self.lookup(self.per_coach.get(coach))
    }

    /// The trajectories of `client`.
    pub fn van_client(&self, client: &ClientId) -> impl Iterator<Item = &Entry> {
        self.lookup(self.per_client.get(client))
    }

    /// The trajectories of `organisatie`.
    pub fn van_organisatie(&self, organisatie: &OrganisatieId) -> impl Iterator<Item = &Entry> {
        self.lookup(self.per_organisatie.get(organisatie))
    }

    /// How many trajectories the model holds.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.trajecten.len()).sum()
    }

    /// Whether the model holds no trajectory.
    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.trajecten.is_empty())
    }

    fn lookup<'a>(
        &'a self,
        ids: Option<&'a BTreeSet<TrajectId>>,
    ) -> impl Iterator<Item = &'a Entry> {
        ids.into_iter().flatten().filter_map(|id| self.traject(*id))
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

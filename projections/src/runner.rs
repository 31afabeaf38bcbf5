//! The runner: feeds the read model from the store's catch-up subscription, and lets a caller
//! wait until the model has reached a position (read-your-writes). It resumes from a snapshot
//! and saves one periodically, so a restart replays only the events written since.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::watch;
use traject_domain::DuurzaamBeleid;
use traject_domain::value::TrajectId;
use traject_store::{EventStore, Position, StreamFilter};

use crate::error::ProjectionError;
use crate::model::ReadModel;
use crate::snapshot;

/// Events applied under one write lock before facts are refreshed and readers see them.
const BATCH: usize = 10_000;

/// The read model behind a lock, and the position it has reached.
pub struct Projecties {
    model: RwLock<ReadModel>,
    positie: watch::Sender<Option<Position>>,
    /// Up to where the store has been looked at, events of other streams (the access log)
    /// included, with every trajectory event up to it applied.
    bijgewerkt: watch::Sender<Option<Position>>,
}

impl Projecties {
    /// Projections from zero, measuring duurzaam under `beleid`.
    pub fn new(beleid: DuurzaamBeleid) -> Arc<Self> {
        Self::from_model(ReadModel::new(beleid))
    }

    /// Projections that resume from a model restored at its checkpoint.
    pub fn from_model(model: ReadModel) -> Arc<Self> {
        let (positie, _) = watch::channel(model.checkpoint());
        let (bijgewerkt, _) = watch::channel(model.checkpoint());
        Arc::new(Self {
            model: RwLock::new(model),
            positie,
            bijgewerkt,
        })
    }

    /// Projections resumed from the snapshot at `pad` when it is usable for `store`, else from
    /// zero (the reason is logged). Returns them with a note of where they start.
    pub async fn herstel(pad: &Path, store: &dyn EventStore, beleid: DuurzaamBeleid) -> Arc<Self> {
        match snapshot::laad(pad, store, beleid.clone()).await {
            Ok(Some(model)) => {
                tracing::info!(
                    checkpoint = model.checkpoint().map(|p| p.0),
                    trajecten = model.len(),
                    "projecties hervat vanaf snapshot"
                );
                Self::from_model(model)
            }
            Ok(None) => {
                tracing::info!("geen snapshot: projecties worden vanaf nul opgebouwd");
                Self::new(beleid)
            }
            Err(error) => {
                tracing::warn!(%error, "snapshot niet gebruikt: projecties worden vanaf nul opgebouwd");
                Self::new(beleid)
            }
        }
    }

    /// Projections of everything `store` holds now, read in batches up to its head: for a one-off
    /// command that needs the figures without following the store afterwards.
    pub async fn tot_nu(
        store: &dyn EventStore,
        beleid: DuurzaamBeleid,
    ) -> Result<Arc<Self>, ProjectionError> {
        let mut model = ReadModel::new(beleid);
        let filter = StreamFilter::prefix(TrajectId::STREAM_PREFIX);
        let mut na = None;
        loop {
            let batch = store.read_all(na, &filter, BATCH).await?;
            let Some(laatste) = batch.last() else { break };
            na = Some(laatste.position);
            model.apply_batch(&batch)?;
            if batch.len() < BATCH {
                break;
            }
        }
        model.refresh();
        Ok(Self::from_model(model))
    }

    /// Saves the model to `pad` (see [`snapshot`]). Holds the read lock while encoding, so the
    /// runner waits meanwhile; readers do not. Blocking: call it from a blocking thread.
    pub fn bewaar(&self, pad: &Path) -> Result<Option<Position>, snapshot::SnapshotError> {
        snapshot::bewaar(&self.lees(), pad)
    }

    /// Saves a snapshot to `pad` every `elke` when the model has moved since the last one, until
    /// the task is dropped. A failed save is logged and retried at the next tick.
    pub async fn bewaar_periodiek(self: Arc<Self>, pad: PathBuf, elke: Duration) {
        let mut bewaard = None;
        let mut tick = tokio::time::interval(elke);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await; // the first tick is immediate
        loop {
            tick.tick().await;
            if self.positie() == bewaard {
                continue;
            }
            let (projecties, pad) = (Arc::clone(&self), pad.clone());
            match tokio::task::spawn_blocking(move || projecties.bewaar(&pad)).await {
                Ok(Ok(positie)) => bewaard = positie,
                Ok(Err(error)) => tracing::warn!(%error, "snapshot niet bewaard"),
                Err(error) => tracing::warn!(%error, "snapshot niet bewaard"),
            }
        }
    }

    /// Reads the model. Every fact in it is refreshed up to its checkpoint.
    pub fn lees(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.model.read().expect("read model lock")
    }

    /// Notified whenever the model has moved on.
    pub fn posities(&self) -> watch::Receiver<Option<Position>> {
        self.positie.subscribe()
    }

    /// The position the model has reached: its last trajectory event.
    pub fn positie(&self) -> Option<Position> {
        *self.positie.borrow()
    }

    /// The store position the model is up to date with: every trajectory event at or before it
    /// is applied. Beyond [`positie`](Self::positie) when the store's newest events belong to
    /// other streams, such as the access log. What readiness compares with the store's head.
    pub fn bijgewerkt_tot(&self) -> Option<Position> {
        self.positie().max(*self.bijgewerkt.borrow())
    }

    /// Follows the store from the model's checkpoint until the subscription ends or an event
    /// cannot be applied.
    pub async fn volg(self: Arc<Self>, store: Arc<dyn EventStore>) -> Result<(), ProjectionError> {
        let from = self.lees().checkpoint();
        let mut events = store.subscribe_all(from, StreamFilter::prefix(TrajectId::STREAM_PREFIX));
        let (_, nooit) = watch::channel(None);
        let mut gescand = events.scanned().unwrap_or(nooit);
        loop {
            // Either events, or word that the subscription looked further without finding any:
            // everything it handed out before is applied by then, as batches are applied before
            // the next wait.
            let eerste = tokio::select! {
                biased;
                event = events.next() => event,
                Ok(()) = gescand.changed() => {
                    let tot = *gescand.borrow_and_update();
                    self.bijgewerkt.send_replace(tot);
                    continue;
                }
            };
            let mut batch = vec![eerste.ok_or(ProjectionError::Beeindigd)??];
            // Take what is ready without waiting, then apply and refresh once.
            while batch.len() < BATCH {
                match events.next().now_or_never() {
                    Some(Some(event)) => batch.push(event?),
                    _ => break, // nothing ready, or the subscription ended
                }
            }
            let reached = {
                let mut model = self.model.write().expect("read model lock");
                model.apply_batch(&batch)?;
                model.refresh();
                model.checkpoint()
            };
            self.positie.send_replace(reached);
        }
    }

    /// Waits until the model is up to date with `positie` ([`bijgewerkt_tot`](Self::bijgewerkt_tot)),
    /// at most `binnen`: also when `positie` is an event of another stream (a client's
    /// registration, a team, the access log), which the model passes over without applying.
    pub async fn wacht_tot(
        &self,
        positie: Position,
        binnen: Duration,
    ) -> Result<(), ProjectionError> {
        let mut eigen = self.positie.subscribe();
        let mut gescand = self.bijgewerkt.subscribe();
        let bereikt = |p: Option<Position>| p.is_some_and(|p| p >= positie);
        let wachten = async {
            loop {
                if bereikt(self.bijgewerkt_tot()) {
                    return Ok(());
                }
                tokio::select! {
                    r = eigen.changed() => r.map_err(|_| ProjectionError::Beeindigd)?,
                    r = gescand.changed() => r.map_err(|_| ProjectionError::Beeindigd)?,
                }
            }
        };
        match tokio::time::timeout(binnen, wachten).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(ProjectionError::Timeout {
                wacht_op: positie,
                binnen,
                staat_op: self.positie(),
            }),
        }
    }
}

//! The runner: feeds the read model from the store's catch-up subscription, and lets a caller
//! wait until the model has reached a position (read-your-writes).

use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Duration;

use futures::FutureExt;
use tokio::sync::watch;
use traject_domain::DuurzaamBeleid;
use traject_domain::value::TrajectId;
use traject_store::{EventStore, Position, StreamFilter};

use crate::error::ProjectionError;
use crate::model::ReadModel;

/// Events applied under one write lock before facts are refreshed and readers see them.
const BATCH: usize = 10_000;

/// The read model behind a lock, and the position it has reached.
pub struct Projecties {
    model: RwLock<ReadModel>,
    positie: watch::Sender<Option<Position>>,
}

impl Projecties {
    /// Projections from zero, measuring duurzaam under `beleid`.
    pub fn new(beleid: DuurzaamBeleid) -> Arc<Self> {
        Self::from_model(ReadModel::new(beleid))
    }

    /// Projections that resume from a model restored at its checkpoint.
    pub fn from_model(model: ReadModel) -> Arc<Self> {
        let (positie, _) = watch::channel(model.checkpoint());
        Arc::new(Self {
            model: RwLock::new(model),
            positie,
        })
    }

    /// Reads the model. Every fact in it is refreshed up to its checkpoint.
    pub fn lees(&self) -> RwLockReadGuard<'_, ReadModel> {
        self.model.read().expect("read model lock")
    }

    /// The position the model has reached.
    pub fn positie(&self) -> Option<Position> {
        *self.positie.borrow()
    }

    /// Follows the store from the model's checkpoint until the subscription ends or an event
    /// cannot be applied.
    pub async fn volg(self: Arc<Self>, store: Arc<dyn EventStore>) -> Result<(), ProjectionError> {
        let from = self.lees().checkpoint();
        let mut events = store.subscribe_all(from, StreamFilter::prefix(TrajectId::STREAM_PREFIX));
        loop {
            let first = events.next().await.ok_or(ProjectionError::Beeindigd)??;
            let reached = {
                let mut model = self.model.write().expect("read model lock");
                model.apply(&first)?;
                // Take what is ready without waiting, then refresh once.
                for _ in 1..BATCH {
                    match events.next().now_or_never() {
                        Some(Some(event)) => model.apply(&event?)?,
                        _ => break, // nothing ready, or the subscription ended
                    }
                }
                model.refresh();
                model.checkpoint()
            };
            self.positie.send_replace(reached);
        }
    }

    /// Waits until the model has reached `positie`, at most `binnen`.
    pub async fn wacht_tot(
        &self,
        positie: Position,
        binnen: Duration,
    ) -> Result<(), ProjectionError> {
        let mut rx = self.positie.subscribe();
        let reached =
            tokio::time::timeout(binnen, rx.wait_for(|p| p.is_some_and(|p| p >= positie))).await;
        match reached {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(_)) => Err(ProjectionError::Beeindigd),
            Err(_) => Err(ProjectionError::Timeout {
                wacht_op: positie,
                binnen,
                staat_op: self.positie(),
            }),
        }
    }
}

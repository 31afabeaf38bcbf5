//! The runner: feeds the read model from the store's catch-up subscription, and lets a caller
//! wait until the model has reached a position (read-your-writes). It resumes from a snapshot
//! and saves one periodically, so a restart replays only the events written since.
//!
//! It never stops silently ([`Projecties::follow_retrying`]): a failed read of the store is tried
//! again with a growing pause, from the model's checkpoint, while [`Toestand::Herstelt`] tells
//! readiness and queries that the model may be behind; an event that does not fit stops the
//! projections for good ([`Toestand::Gestopt`]), with a log line that names its position.

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

/// Whether the projections follow the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Toestand {
    /// Following it.
    Volgt,
    /// A read of the store failed; the runner tries again. The model is whole up to its
    /// checkpoint but may miss what was written since.
    Herstelt {
        /// The last failure.
        fout: String,
        /// How many attempts failed in a row.
        pogingen: u32,
    },
    /// An event does not fit its trajectory: stopped until the store or the software is fixed
    /// and the server restarted.
    Gestopt(String),
}

/// The first pause after a failed read, doubled up to [`HOOGSTENS`].
const EERSTE_PAUZE: Duration = Duration::from_millis(100);
const HOOGSTENS: Duration = Duration::from_secs(5);

/// The read model behind a lock, and the position it has reached.
pub struct Projecties {
    toestand: watch::Sender<Toestand>,
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
        let (toestand, _) = watch::channel(Toestand::Volgt);
        Arc::new(Self {
            toestand,
            model: RwLock::new(model),
            positie,
            bijgewerkt,
        })
    }

    /// Projections resumed from the snapshot at `pad` when it is usable for `store`, else from
    /// zero (the reason is logged). Returns them with a note of where they start.
    pub async fn restore(pad: &Path, store: &dyn EventStore, beleid: DuurzaamBeleid) -> Arc<Self> {
        match snapshot::load(pad, store, beleid.clone()).await {
            Ok(Some(model)) => {
                tracing::info!(
                    checkpoint = model.checkpoint().map(|p| p.0),
                    trajecten = model.len(),
                    "projections resumed from snapshot"
                );
                Self::from_model(model)
            }
            Ok(None) => {
                tracing::info!("no snapshot: projections built from zero");
                Self::new(beleid)
            }
            Err(error) => {
                tracing::warn!(%error, "snapshot not used: projections built from zero");
                Self::new(beleid)
            }
        }
    }

    /// Projections of everything `store` holds now, read in batches up to its head: for a one-off
    /// command that needs the figures without following the store afterwards.
    pub async fn build(
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

    /// Saves the model to `pad` (see [`snapshot`]). The read lock is held only while the
    /// model is taken ([`snapshot::take`]: its lists shared, not copied, in milliseconds);
    /// encoding and writing happen without it, so neither the runner nor any reader waits for
    /// them. Blocking: call it from a blocking thread.
    pub fn save(&self, pad: &Path) -> Result<Option<Position>, snapshot::SnapshotError> {
        let opname = snapshot::take(&self.read());
        opname.map(|o| o.save(pad)).transpose()
    }

    /// Saves a snapshot to `pad` every `elke` when the model has moved since the last one, until
    /// the task is dropped. A failed save is logged and retried at the next tick.
    pub async fn save_every(self: Arc<Self>, pad: PathBuf, elke: Duration) {
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
            match tokio::task::spawn_blocking(move || projecties.save(&pad)).await {
                Ok(Ok(positie)) => bewaard = positie,
                Ok(Err(error)) => tracing::warn!(%error, "snapshot not saved"),
                Err(error) => tracing::warn!(%error, "snapshot not saved"),
            }
        }
    }

    /// Reads the model. Every fact in it is refreshed up to its checkpoint.
    pub fn read(&self) -> RwLockReadGuard<'_, ReadModel> {
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

    /// Whether the projections follow the store.
    pub fn toestand(&self) -> Toestand {
        self.toestand.borrow().clone()
    }

    /// Notified whenever [`Self::toestand`] changes.
    pub fn toestanden(&self) -> watch::Receiver<Toestand> {
        self.toestand.subscribe()
    }

    /// Follows the store for as long as the task runs: [`Self::follow`], again from the model's
    /// checkpoint after a failed read or an ended subscription (pausing 0.1 s, doubling up to
    /// 5 s, while the failures go on), and stopped for good by an event that does not fit.
    pub async fn follow_retrying(self: Arc<Self>, store: Arc<dyn EventStore>) {
        let mut pauze = EERSTE_PAUZE;
        let mut pogingen = 0u32;
        loop {
            let fout = match Arc::clone(&self).follow(Arc::clone(&store)).await {
                Ok(()) => ProjectionError::Beeindigd,
                Err(e) => e,
            };
            if let ProjectionError::Gebeurtenis { .. } = fout {
                tracing::error!(error = %fout, "projections stopped: an event does not fit; queries that need them answer UNAVAILABLE");
                self.toestand
                    .send_replace(Toestand::Gestopt(fout.to_string()));
                return;
            }
            // Progress since the last failure starts the pauses over.
            if self.toestand() == Toestand::Volgt {
                pauze = EERSTE_PAUZE;
                pogingen = 0;
            }
            pogingen += 1;
            tracing::warn!(error = %fout, attempts = pogingen, pause_ms = pauze.as_millis() as u64, "projections: reading from the store failed; again from the checkpoint");
            self.toestand.send_replace(Toestand::Herstelt {
                fout: fout.to_string(),
                pogingen,
            });
            tokio::time::sleep(pauze).await;
            pauze = (pauze * 2).min(HOOGSTENS);
        }
    }

    /// Marks the runner as following again, once a read succeeded.
    fn volgt(&self) {
        self.toestand.send_if_modified(|t| {
            let anders = *t != Toestand::Volgt;
            if anders {
                *t = Toestand::Volgt;
            }
            anders
        });
    }

    /// Follows the store from the model's checkpoint until the subscription ends or an event
    /// cannot be applied.
    pub async fn follow(
        self: Arc<Self>,
        store: Arc<dyn EventStore>,
    ) -> Result<(), ProjectionError> {
        let from = self.read().checkpoint();
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
                    // Following again before anyone waiting hears of the progress.
                    self.volgt();
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
            self.volgt();
            self.positie.send_replace(reached);
        }
    }

    /// Waits until the model is up to date with `positie` ([`bijgewerkt_tot`](Self::bijgewerkt_tot)),
    /// at most `binnen`: also when `positie` is an event of another stream (a client's
    /// registration, a team, the access log), which the model passes over without applying.
    pub async fn wait_for(
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

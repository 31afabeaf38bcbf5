//! The server's connections, bounded so that slow or idle clients cannot use it up: a
//! connection must send a request's headers within [`Grenzen::header_timeout`] (also the next
//! request on a kept-alive connection: an idle connection is closed after that long), at most
//! [`Grenzen::max`] connections are open at once (below the process's open-files limit; further
//! clients wait in the kernel's backlog), and a stop finishes the open requests (at most
//! [`AFRONDEN`]) before it returns. Each request carries its peer's address (`ConnectInfo`) for
//! the per-address rate limit.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How long a stop waits for open requests to finish.
pub const AFRONDEN: Duration = Duration::from_secs(10);

/// The limits of the server's connections.
#[derive(Debug, Clone, Copy)]
pub struct Grenzen {
    /// The most connections open at once.
    pub max: usize,
    /// How long a connection may take to send a request's headers, and stay idle between
    /// requests.
    pub header_timeout: Duration,
}

impl Grenzen {
    /// `gevraagd` connections at most, but never more than three quarters of the process's
    /// open-files limit (each connection is a file; the stores, logs and snapshots need some
    /// too). The soft limit is raised to the hard limit first, as servers do.
    pub fn for_this_process(gevraagd: usize, header_timeout: Duration) -> Self {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let mut limiet = getrlimit(Resource::Nofile);
        if limiet.current < limiet.maximum {
            let hoger = Rlimit {
                current: limiet.maximum,
                maximum: limiet.maximum,
            };
            if setrlimit(Resource::Nofile, hoger).is_ok() {
                limiet = hoger;
            }
        }
        let bestanden = limiet.current.map_or(usize::MAX, |n| n as usize);
        let max = gevraagd.min(bestanden / 4 * 3).max(1);
        if max < gevraagd {
            tracing::warn!(
                requested = gevraagd,
                max,
                files = bestanden,
                "fewer connections than requested: the open-files limit is lower"
            );
        }
        Self {
            max,
            header_timeout,
        }
    }
}

/// Serves `router` on `listener` within `grenzen` until `stop` resolves; then accepts nothing
/// more and waits for the open requests (at most [`AFRONDEN`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    grenzen: Grenzen,
    stop: impl Future<Output = ()>,
) {
    let plaatsen = Arc::new(Semaphore::new(grenzen.max));
    // Told to every connection at the stop: finish the request in hand, take no next one.
    let (stoppen_tx, stoppen_rx) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(grenzen.header_timeout)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let plaats = tokio::select! {
            plaats = Arc::clone(&plaatsen).acquire_owned() => match plaats {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, adres) = tokio::select! {
            aangenomen = listener.accept() => match aangenomen {
                Ok(a) => a,
                Err(fout) => {
                    // Out of files or a connection reset before it was taken: wait a moment
                    // rather than spin.
                    tracing::warn!(error = %fout, "connection not accepted");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone().map_request(
            move |mut verzoek: axum::http::Request<hyper::body::Incoming>| {
                verzoek.extensions_mut().insert(ConnectInfo(adres));
                verzoek
            },
        ));
        let verbinding = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut stoppen = stoppen_rx.clone();
        tokio::spawn(async move {
            let mut verbinding = std::pin::pin!(verbinding);
            tokio::select! {
                _ = verbinding.as_mut() => {}
                _ = async { stoppen.wait_for(|s| *s).await.map(|_| ()) } => {
                    verbinding.as_mut().graceful_shutdown();
                    let _ = verbinding.await;
                }
            }
            drop(plaats);
        });
    }
    drop(listener);
    stoppen_tx.send_replace(true);
    // Every connection gives its place back when it is done: all places back, all done.
    let alles = u32::try_from(grenzen.max).unwrap_or(u32::MAX);
    if tokio::time::timeout(AFRONDEN, plaatsen.acquire_many(alles))
        .await
        .is_err()
    {
        tracing::warn!("not all requests finished within 10 s of stopping");
    }
}

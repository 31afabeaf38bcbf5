//! Rate limits: a token bucket per peer address (before anything else is done with a request)
//! and one per user (once the token is verified), each a number of requests per second with a
//! burst of twice that. Beyond it a request is answered 429 with the code RATE_LIMITED (apart
//! from TOO_MANY_REQUESTS, the access log's quota of client records) and `Retry-After`; nothing
//! runs. 0 turns a limit off. The buckets of addresses and users not seen for a while are
//! forgotten every minute, so the memory stays bounded by recent callers.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// The limits of one server.
pub struct Limieten {
    adres: Option<DefaultKeyedRateLimiter<IpAddr>>,
    gebruiker: Option<DefaultKeyedRateLimiter<String>>,
    klok: DefaultClock,
}

fn per_seconde(n: u32) -> Option<Quota> {
    let n = NonZeroU32::new(n)?;
    let burst = NonZeroU32::new(n.get().saturating_mul(2)).unwrap_or(n);
    Some(Quota::per_second(n).allow_burst(burst))
}

impl Limieten {
    /// `per_adres` requests per second per peer address, `per_gebruiker` per user; 0 is no
    /// limit.
    pub fn new(per_adres: u32, per_gebruiker: u32) -> Arc<Self> {
        let limieten = Arc::new(Self {
            adres: per_seconde(per_adres).map(RateLimiter::keyed),
            gebruiker: per_seconde(per_gebruiker).map(RateLimiter::keyed),
            klok: DefaultClock::default(),
        });
        let zwak = Arc::downgrade(&limieten);
        tokio::spawn(async move {
            let mut elke = tokio::time::interval(Duration::from_secs(60));
            loop {
                elke.tick().await;
                let Some(l) = zwak.upgrade() else { return };
                if let Some(a) = &l.adres {
                    a.retain_recent();
                }
                if let Some(g) = &l.gebruiker {
                    g.retain_recent();
                }
            }
        });
        limieten
    }

    /// Whether `adres` may send another request now; else how long to wait.
    pub fn adres(&self, adres: IpAddr) -> Result<(), Duration> {
        match &self.adres {
            Some(l) => l
                .check_key(&adres)
                .map_err(|n| n.wait_time_from(self.klok.now())),
            None => Ok(()),
        }
    }

    /// Whether the user `id` may send another request now; else how long to wait.
    pub fn gebruiker(&self, id: &str) -> Result<(), Duration> {
        match &self.gebruiker {
            Some(l) => l
                .check_key(&id.to_owned())
                .map_err(|n| n.wait_time_from(self.klok.now())),
            None => Ok(()),
        }
    }
}

/// 429 with the code, the reason and `Retry-After` in whole seconds.
pub fn te_veel(wacht: Duration, wie: &str) -> Response {
    let seconden = wacht.as_secs() + u64::from(wacht.subsec_nanos() > 0);
    let body = serde_json::json!({
        "errors": [{
            "message": format!("te veel verzoeken {wie}; probeer het over {seconden} s opnieuw"),
            "extensions": { "code": "RATE_LIMITED" }
        }]
    });
    let mut antwoord = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&seconden.max(1).to_string()) {
        antwoord.headers_mut().insert(header::RETRY_AFTER, v);
    }
    antwoord
}

/// The middleware for the per-address limit.
pub async fn per_adres(
    State(limieten): State<Arc<Limieten>>,
    request: Request,
    next: Next,
) -> Response {
    let adres = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(adres) = adres
        && let Err(wacht) = limieten.adres(adres)
    {
        return te_veel(wacht, "van dit adres");
    }
    next.run(request).await
}

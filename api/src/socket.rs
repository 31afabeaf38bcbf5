//! GraphQL subscriptions over a WebSocket (graphql-ws and the older subscriptions-transport-ws),
//! with the edges of HTTP: the token comes in the connection's init payload (browsers cannot
//! set headers on a WebSocket) and a refused token refuses the connection, as does no
//! `connection_init` within the header time (4408); the connection is closed (4401, "token
//! verlopen") when the token expires, so nothing is pushed on an expired
//! token; a message is at most [`crate::http::MAX_BODY`] as over HTTP; only subscriptions run
//! here (queries and mutations go over HTTP, `schema::Rand`), with errors cleaned as over HTTP.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::{SinkExt, StreamExt};

use crate::auth::{Verifier, nu};
use crate::schema::{TrajectSchema, Verzoek};

/// The close code for an expired token (graphql-ws's "Unauthorized").
pub const VERLOPEN: u16 = 4401;
/// The close code for a connection that did not initialise in time (graphql-ws's
/// "Connection initialisation timeout").
pub const GEEN_INIT: u16 = 4408;

/// The subprotocol a client asks for in `Sec-WebSocket-Protocol` that traject speaks, if any.
pub fn protocol(headers: &axum::http::HeaderMap) -> Option<WebSocketProtocols> {
    headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|p| p.trim().parse::<WebSocketProtocols>().ok())
        })
}

/// Serves one connection until the client closes it, its token expires or the server stops.
pub async fn serve(
    socket: WebSocket,
    schema: TrajectSchema,
    protocol: WebSocketProtocols,
    verifier: Arc<Verifier>,
    correlatie: uuid::Uuid,
    init_binnen: Duration,
) {
    let (mut uit, in_) = socket.split();
    let invoer = in_
        .take_while(|r| std::future::ready(r.is_ok()))
        .filter_map(|r| {
            std::future::ready(match r {
                Ok(m @ (Message::Text(_) | Message::Binary(_))) => Some(m.into_data()),
                _ => None,
            })
        });
    // When the token expires, known once the connection is initialised.
    let (tot_tx, mut tot_rx) = tokio::sync::watch::channel::<Option<u64>>(None);
    let verbinding = async_graphql::http::WebSocket::new(schema, invoer, protocol)
        .on_connection_init(move |payload| async move {
            let token = payload
                .get("Authorization")
                .or_else(|| payload.get("authorization"))
                .and_then(|v| v.as_str())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            let (gebruiker, tot) = verifier
                .verify_until(token)
                .await
                .map_err(|e| async_graphql::Error::new(e.to_string()))?;
            tot_tx.send_replace(Some(tot));
            let mut data = async_graphql::Data::default();
            data.insert(Verzoek {
                gebruiker: Ok(gebruiker),
                correlatie,
                minimum: None,
            });
            Ok(data)
        });
    futures::pin_mut!(verbinding);
    let begin = tokio::time::Instant::now();
    loop {
        // Closes the connection: no `connection_init` in time, or the token expired.
        let verloopt = async {
            let wacht = async {
                tot_rx
                    .wait_for(Option::is_some)
                    .await
                    .map(|t| t.unwrap_or(u64::MAX))
            };
            let tot = match tokio::time::timeout_at(begin + init_binnen, wacht).await {
                Err(_) => return (GEEN_INIT, "geen connection_init op tijd"),
                Ok(Ok(t)) => t,
                // Refused at init: the engine closes the connection itself.
                Ok(Err(_)) => return std::future::pending().await,
            };
            tokio::time::sleep(Duration::from_secs(tot.saturating_sub(nu()))).await;
            (VERLOPEN, "token verlopen")
        };
        tokio::select! {
            bericht = verbinding.next() => match bericht {
                Some(WsMessage::Text(tekst)) => {
                    if uit.send(Message::Text(tekst.into())).await.is_err() {
                        return;
                    }
                }
                Some(WsMessage::Close(code, reden)) => {
                    let _ = uit.send(sluit(code, reden)).await;
                    return;
                }
                None => {
                    let _ = uit.send(sluit(1000, String::new())).await;
                    return;
                }
            },
            (code, reden) = verloopt => {
                let _ = uit.send(sluit(code, reden.to_owned())).await;
                return;
            }
        }
    }
}

fn sluit(code: u16, reden: String) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reden.into(),
    }))
}

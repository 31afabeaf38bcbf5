//! The web client: the built files of `web-client/` served at `/` (any path that is not a file
//! gets `index.html`, so the client's own routes survive a reload), and what the client needs to
//! sign in: `GET /auth/config` (the mode, whether demo logins exist, the OpenID Connect provider)
//! and, only in development mode with `--demo`, `GET /auth/demo` with a token per demo user.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Args;
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::{Mode, ServeConfig};
use crate::demo::DemoLogin;

/// Where the client's files are, and the provider it signs in with.
#[derive(Debug, Clone, Args)]
pub struct WebConfig {
    /// The built web client (`npm run build` in `web-client/`), served at `/`. Without
    /// `index.html` there, `/` says how to build it.
    #[arg(long, env = "TRAJECT_WEB_CLIENT", default_value = "web-client/dist")]
    pub web_client: PathBuf,
    /// The OpenID Connect provider the web client signs in with (its issuer URL, which serves
    /// `/.well-known/openid-configuration`): authorization code flow with PKCE.
    #[arg(long, env = "TRAJECT_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The web client's client id at that provider.
    #[arg(long, env = "TRAJECT_OIDC_CLIENT_ID", default_value = "traject-web")]
    pub oidc_client_id: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            web_client: PathBuf::from("web-client/dist"),
            oidc_issuer: None,
            oidc_client_id: "traject-web".to_owned(),
        }
    }
}

/// What the sign-in screen is told.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthConfig {
    modus: &'static str,
    demo: bool,
    oidc: Option<Oidc>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Oidc {
    issuer: String,
    client_id: String,
}

/// Makes the demo logins, with tokens fresh from the moment of asking.
pub type DemoLogins = Arc<dyn Fn() -> Vec<DemoLogin> + Send + Sync>;

/// The routes of the web client. `demo` makes the demo logins; they are only ever given in
/// development mode.
pub fn routes(config: &ServeConfig, demo: Option<DemoLogins>) -> Router {
    let demo = demo.filter(|_| config.mode == Mode::Development);
    let auth = AuthConfig {
        modus: match config.mode {
            Mode::Development => "ontwikkeling",
            Mode::Production => "productie",
        },
        demo: demo.is_some(),
        oidc: config.web.oidc_issuer.as_ref().map(|issuer| Oidc {
            issuer: issuer.clone(),
            client_id: config.web.oidc_client_id.clone(),
        }),
    };
    let router = Router::new()
        .route("/auth/config", get(move || async move { Json(auth) }))
        .route(
            "/auth/demo",
            get(move || async move {
                match demo {
                    Some(logins) => Json(logins()).into_response(),
                    None => (
                        StatusCode::NOT_FOUND,
                        "demo-logins bestaan alleen in ontwikkelmodus met --demo",
                    )
                        .into_response(),
                }
            }),
        );
    let dir = &config.web.web_client;
    let index = dir.join("index.html");
    if index.is_file() {
        let bestanden = ServeDir::new(dir).fallback(ServeFile::new(&index));
        router
            .fallback_service(bestanden)
            .layer(CompressionLayer::new())
            .layer(axum::middleware::map_response(cache))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CSP),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ))
    } else {
        tracing::warn!(path = %dir.display(), "no web client found: build it with `npm run build` in web-client/");
        let uitleg = format!(
            "De webclient is niet gebouwd: {} ontbreekt. Bouw hem met `npm ci && npm run build` in web-client/ (scripts/serve-demo doet dat), of geef --web-client.",
            index.display()
        );
        router.fallback(move || async move { niet_gebouwd(uitleg) })
    }
}

/// Scripts and styles only from the server itself; the API over HTTP and WebSocket on the same
/// origin, and the provider for the token exchange.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Vite names every file under `assets/` after its contents, so those may be kept for good;
/// everything else (`index.html` above all) is checked each time, so a new build is picked up.
async fn cache(uri: Uri, mut response: Response) -> Response {
    let waarde = if uri.path().starts_with("/assets/") && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(waarde));
    response
}

fn niet_gebouwd(uitleg: String) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        uitleg,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    fn login() -> DemoLogin {
        DemoLogin {
            rol: "coach",
            gebruiker: "coach-1".to_owned(),
            naam: "Demo coach",
            token: "t".to_owned(),
        }
    }

    fn demo() -> Option<DemoLogins> {
        Some(Arc::new(|| vec![login()]))
    }

    fn config(mode: Mode, client: &std::path::Path) -> ServeConfig {
        let mut config = ServeConfig::new("traject-data");
        config.mode = mode;
        config.web.web_client = client.to_owned();
        config
    }

    async fn get(router: Router, pad: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let antwoord = router
            .oneshot(Request::get(pad).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = antwoord.status();
        let headers = antwoord.headers().clone();
        let body = to_bytes(antwoord.into_body(), 1 << 20).await.unwrap();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    fn gebouwd() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.html"),
            "<!doctype html><title>traject</title>",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/index-abc.js"), "console.log(1)").unwrap();
        dir
    }

    #[tokio::test]
    async fn the_demo_logins_exist_only_in_development_mode_with_demo() {
        let dir = gebouwd();
        let (status, _, body) = get(
            routes(&config(Mode::Development, dir.path()), demo()),
            "/auth/demo",
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let logins: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(logins[0]["rol"], "coach");
        assert_eq!(logins[0]["naam"], "Demo coach");

        for (mode, demo) in [(Mode::Production, demo()), (Mode::Development, None)] {
            let router = routes(&config(mode, dir.path()), demo);
            let (status, _, _) = get(router.clone(), "/auth/demo").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{mode:?}");
            let (_, _, body) = get(router, "/auth/config").await;
            let auth: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(auth["demo"], false);
        }
    }

    #[tokio::test]
    async fn the_sign_in_screen_learns_the_mode_and_the_provider() {
        let dir = gebouwd();
        let mut c = config(Mode::Production, dir.path());
        c.web.oidc_issuer = Some("https://login.voorbeeld.nl/realms/traject".to_owned());
        let (status, _, body) = get(routes(&c, None), "/auth/config").await;
        assert_eq!(status, StatusCode::OK);
        let auth: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            auth,
            serde_json::json!({
                "modus": "productie",
                "demo": false,
                "oidc": {
                    "issuer": "https://login.voorbeeld.nl/realms/traject",
                    "clientId": "traject-web"
                }
            })
        );
    }

    #[tokio::test]
    async fn the_client_is_served_with_its_routes_and_headers() {
        let dir = gebouwd();
        let router = routes(&config(Mode::Development, dir.path()), None);

        let (status, headers, body) = get(router.clone(), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<title>traject</title>"));
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(
            headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("script-src 'self'")
        );

        // A route of the client itself gets index.html, so that a reload keeps the screen.
        let (status, _, body) = get(router.clone(), "/traject/0193").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<title>traject</title>"));

        let (status, headers, body) = get(router, "/assets/index-abc.js").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "console.log(1)");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }

    #[tokio::test]
    async fn files_are_compressed_for_a_browser_that_accepts_it() {
        let dir = gebouwd();
        let groot = "const traject = 1;\n".repeat(500);
        std::fs::write(dir.path().join("assets/groot-abc.js"), &groot).unwrap();
        let router = routes(&config(Mode::Development, dir.path()), None);
        let antwoord = router
            .oneshot(
                Request::get("/assets/groot-abc.js")
                    .header(header::ACCEPT_ENCODING, "gzip")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(antwoord.status(), StatusCode::OK);
        assert_eq!(antwoord.headers()[header::CONTENT_ENCODING], "gzip");
        let body = to_bytes(antwoord.into_body(), 1 << 20).await.unwrap();
        assert!(body.len() < groot.len() / 10, "{} bytes", body.len());
    }

    #[tokio::test]
    async fn without_a_built_client_the_root_says_how_to_build_it() {
        let leeg = tempfile::tempdir().unwrap();
        let router = routes(&config(Mode::Development, leeg.path()), None);
        let (status, _, body) = get(router.clone(), "/").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("npm ci && npm run build"), "{body}");
        let (status, _, _) = get(router, "/auth/config").await;
        assert_eq!(status, StatusCode::OK, "signing in does not need the files");
    }
}

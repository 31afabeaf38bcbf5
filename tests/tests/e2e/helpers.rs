//! Spawns the real application on a fresh store and offers typed request helpers.

use std::sync::Arc;

use serde_json::{Value, json};
use traject_api::app::Application;
use traject_api::auth::{Claims, mint, nu};
use traject_api::config::{Geheim, Modus, ServeConfig};
use traject_store::{EventStore, SqliteStore};

pub const SECRET: &str = "e2e-geheim";

pub fn vandaag() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub struct Server {
    pub url: String,
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        store: dir.path().display().to_string(),
        modus: Modus::Ontwikkeling,
        jwt_secret: Some(Geheim(SECRET.to_owned())),
        jwt_public_key: None,
        jwks: None,
        jwt_issuer: None,
        jwt_audience: None,
        cors_origins: vec![],
        demo: false,
        demo_trajecten: 0,
        snapshot: None,
        snapshot_interval: 60,
        request_timeout: 10,
    };
    let app = Application::bouw(&config, Arc::clone(&store), vandaag)
        .await
        .unwrap();
    let url = format!("http://127.0.0.1:{}/graphql", app.poort());
    tokio::spawn(app.draai(std::future::pending()));
    Server {
        url,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// A token for `sub` with `rol`, in organisation `org` (and region AM13), valid for an hour
/// (or expired `verlopen` seconds ago).
pub fn token(sub: &str, rol: &str, org: Option<&str>) -> String {
    token_met(sub, rol, org, nu() + 3600, SECRET)
}

pub fn token_met(sub: &str, rol: &str, org: Option<&str>, exp: u64, secret: &str) -> String {
    mint(
        secret,
        &Claims {
            sub: sub.to_owned(),
            name: None,
            roles: vec![rol.to_owned()],
            realm_access: None,
            organisatie: org.map(str::to_owned),
            regio: Some("AM13".to_owned()),
            exp,
            iss: None,
            aud: None,
        },
    )
}

impl Server {
    /// Posts a GraphQL request; returns the response JSON.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

/// The `extensions.code` of the first error, if any.
pub fn code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}

pub const AANMELDEN: &str = r#"mutation($org: String!, $datum: NaiveDate!) {
  aanmelden(invoer: {datum: $datum, methode: Ips, regio: "AM13", organisatie: $org,
                     verwijzer: "Ggz", financier: "Gemeente"}) {
    revisie traject { id clientId revisie status { fase } }
  }
}"#;

pub const TRAJECT: &str = r#"query($id: ID!) {
  traject(id: $id) { id revisie coach status { fase duurzaamBereiktOp } tijdlijn { soort ingetrokken } }
}"#;

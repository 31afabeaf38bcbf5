//! Bearer tokens over HTTP against a server started in production mode with an issuer, an
//! audience and a key file (JWKS): what a careful OIDC resource server accepts and refuses, as
//! the caller sees it (401 with `WWW-Authenticate` and the code UNAUTHENTICATED), and a key the
//! provider adds to its key set accepted without a restart.

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use traject_api::auth::{Claims, nu};

use crate::auth::{claims, jwks_met, sleutel, teken};
use crate::binair::{Proces, klaar, vrije_poort};

const ISSUER: &str = "https://sso.example/realms/traject";
const AUDIENCE: &str = "traject";

/// A key file of 64 hex digits, readable by its owner only.
fn sleutelbestand(pad: &std::path::Path) {
    let hex: String = (0..32).map(|i| format!("{:02x}", i * 7 + 3)).collect();
    std::fs::write(pad, hex).unwrap();
    std::fs::set_permissions(pad, std::fs::Permissions::from_mode(0o600)).unwrap();
}

/// The claims a valid token of this server carries.
fn geldig() -> Claims {
    Claims {
        iss: Some(ISSUER.to_owned()),
        aud: Some(json!(AUDIENCE)),
        ..claims()
    }
}

/// The status, `WWW-Authenticate` and body of `{ me { id } }` with `token`.
async fn me(client: &reqwest::Client, basis: &str, token: &str) -> (u16, Option<String>, Value) {
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": "{ me { id } }"}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let www = r
        .headers()
        .get("www-authenticate")
        .map(|h| h.to_str().unwrap().to_owned());
    (status, www, r.json().await.unwrap())
}

/// Asserts that `token` is refused as an unauthenticated request.
async fn geweigerd(client: &reqwest::Client, basis: &str, token: &str, waarom: &str) {
    let (status, www, body) = me(client, basis, token).await;
    assert_eq!(status, 401, "{waarom}: {body}");
    assert!(
        www.as_deref().is_some_and(|w| w.starts_with("Bearer")),
        "{waarom}: {www:?}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{waarom}: {body}"
    );
    assert!(body["data"].is_null(), "{waarom}: {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_production_server_accepts_only_tokens_a_careful_resource_server_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let (kluis, log) = (
        dir.path().join("kluis.sleutel"),
        dir.path().join("log.sleutel"),
    );
    sleutelbestand(&kluis);
    sleutelbestand(&log);
    // The provider's key set holds only the EC key at first.
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, jwks_met(&["ec-1"])).unwrap();
    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let _server = Proces::van(
        Command::new(env!("CARGO_BIN_EXE_traject"))
            .args(["serve", "--mode", "production", "--store"])
            .arg(dir.path().join("data"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{poort}"))
            .arg("--jwks")
            .arg(&jwks)
            .args(["--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE])
            .arg("--kluis-key")
            .arg(&kluis)
            .arg("--toegangslog-key")
            .arg(&log)
            .env_remove("TRAJECT_STORE")
            .env_remove("TRAJECT_JWT_SECRET")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::Client::new();
    klaar(&client, &basis).await;

    // A valid token of the provider's EC key.
    let ec = teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &geldig());
    let (status, _, body) = me(&client, &basis, &ec).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["id"], geldig().sub, "{body}");

    // The provider adds an RSA key to its set: a token naming it is accepted without a
    // restart; the same kid signed by another key is not.
    std::fs::write(&jwks, jwks_met(&["ec-1", "rsa-1"])).unwrap();
    let rsa = teken(Algorithm::RS256, Some("rsa-1"), "rsa-prive.pem", &geldig());
    let (status, _, body) = me(&client, &basis, &rsa).await;
    assert_eq!(status, 200, "the new key: {body}");
    let vals = teken(
        Algorithm::RS256,
        Some("rsa-1"),
        "rsa-ander-prive.pem",
        &geldig(),
    );
    geweigerd(&client, &basis, &vals, "the new kid signed by another key").await;
    // A key the set does not hold stays refused (the set is read at most every 30 s).
    let onbekend = teken(Algorithm::RS256, Some("rsa-9"), "rsa-prive.pem", &geldig());
    geweigerd(&client, &basis, &onbekend, "an unknown kid").await;
    // A token naming the RSA kid but signed with the EC key (ES256) is refused: the key's
    // algorithm decides, not the token's header.
    let ec_als_rsa = teken(Algorithm::ES256, Some("rsa-1"), "ec-prive.pem", &geldig());
    geweigerd(&client, &basis, &ec_als_rsa, "ES256 under an RS256 key").await;

    // Not yet valid, beyond the leeway; just within it is accepted (clock skew).
    let later = Claims {
        nbf: Some(nu() + 300),
        ..geldig()
    };
    geweigerd(
        &client,
        &basis,
        &teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &later),
        "nbf",
    )
    .await;
    let bijna = Claims {
        nbf: Some(nu() + 10),
        ..geldig()
    };
    let (status, _, body) = me(
        &client,
        &basis,
        &teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &bijna),
    )
    .await;
    assert_eq!(status, 200, "nbf within the leeway: {body}");

    // Expired beyond the leeway.
    let verlopen = Claims {
        exp: nu() - 120,
        ..geldig()
    };
    geweigerd(
        &client,
        &basis,
        &teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &verlopen),
        "exp",
    )
    .await;

    // The issuer and the audience are required, and must be the configured ones.
    for (claims, waarom) in [
        (
            Claims {
                iss: None,
                ..geldig()
            },
            "no iss",
        ),
        (
            Claims {
                aud: None,
                ..geldig()
            },
            "no aud",
        ),
        (
            Claims {
                iss: Some("https://elders.example/realms/traject".to_owned()),
                ..geldig()
            },
            "another issuer",
        ),
        (
            Claims {
                aud: Some(json!("een-andere-dienst")),
                ..geldig()
            },
            "another audience",
        ),
    ] {
        geweigerd(
            &client,
            &basis,
            &teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &claims),
            waarom,
        )
        .await;
    }

    // The algorithm is pinned per key: HS256 "signed" with the public key as its secret, and a
    // token without a signature, are refused.
    let publiek = std::fs::read(sleutel("ec-publiek.pem")).unwrap();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("ec-1".to_owned());
    let verwisseld =
        jsonwebtoken::encode(&header, &geldig(), &EncodingKey::from_secret(&publiek)).unwrap();
    geweigerd(&client, &basis, &verwisseld, "HS256 with the public key").await;
    let deel = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let zonder = format!(
        "{}.{}.",
        deel(&json!({"alg": "none", "kid": "ec-1"})),
        deel(&serde_json::to_value(geldig()).unwrap())
    );
    geweigerd(&client, &basis, &zonder, "alg none").await;
}

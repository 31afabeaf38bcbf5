//! Bearer tokens as an OpenID Connect provider issues them: RS256 and ES256 against a PEM public
//! key or a JWKS document, issuer and audience checks, Keycloak's role claim, and what is refused.

use std::path::PathBuf;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use traject_api::auth::{AuthError, Claims, RealmAccess, Rol, Verifier, nu};
use traject_api::config::{Mode, Secret, ServeConfig};

pub(crate) fn sleutel(naam: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/sleutels")).join(naam)
}

pub fn config() -> ServeConfig {
    ServeConfig {
        mode: Mode::Production,
        ..ServeConfig::new("niet-gebruikt")
    }
}

pub(crate) fn claims() -> Claims {
    Claims {
        sub: "0d9c6c1e-coach".to_owned(),
        name: Some("Coach".to_owned()),
        roles: vec!["coach".to_owned()],
        realm_access: None,
        organisatie: Some("org-am13-1".to_owned()),
        regio: Some("AM13".to_owned()),
        exp: nu() + 600,
        iss: None,
        aud: None,
        nbf: None,
    }
}

pub(crate) fn teken(alg: Algorithm, kid: Option<&str>, prive: &str, claims: &Claims) -> String {
    let pem = std::fs::read(sleutel(prive)).unwrap();
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).unwrap(),
        _ => unreachable!("only RS256 and ES256 here"),
    };
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

fn met_pem(publiek: &str) -> Verifier {
    let mut c = config();
    c.jwt_public_key = Some(sleutel(publiek));
    Verifier::from_config(&c).unwrap()
}

fn met_jwks() -> Verifier {
    let mut c = config();
    c.jwks = Some(sleutel("jwks.json"));
    Verifier::from_config(&c).unwrap()
}

#[test]
fn rs256_and_es256_tokens_verify_against_a_pem_public_key() {
    let rsa = met_pem("rsa-publiek.pem");
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &claims());
    let g = rsa.verify(&token).unwrap();
    assert_eq!(g.id, "0d9c6c1e-coach");
    assert_eq!(g.rollen, vec![Rol::Coach]);
    assert_eq!(g.organisatie.unwrap().as_str(), "org-am13-1");

    let ec = met_pem("ec-publiek.pem");
    let token = teken(Algorithm::ES256, None, "ec-prive.pem", &claims());
    assert!(ec.verify(&token).is_ok());
    // A key of the other kind does not verify.
    assert!(rsa.verify(&token).is_err());
}

#[test]
fn a_jwks_document_verifies_each_key_by_its_kid() {
    let v = met_jwks();
    for (alg, kid, prive) in [
        (Algorithm::RS256, "rsa-1", "rsa-prive.pem"),
        (Algorithm::ES256, "ec-1", "ec-prive.pem"),
    ] {
        let token = teken(alg, Some(kid), prive, &claims());
        assert!(v.verify(&token).is_ok(), "{kid}");
    }
    // Without a kid the key is found by trying those of the algorithm.
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &claims());
    assert!(v.verify(&token).is_ok());
    // A kid the document does not hold.
    let token = teken(Algorithm::RS256, Some("rsa-2"), "rsa-prive.pem", &claims());
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("algoritme of sleutel onbekend"))
    );
}

#[test]
fn forged_expired_and_algorithm_swapped_tokens_are_refused() {
    let v = met_jwks();
    // Signed by a key the server does not know, under a known kid.
    let token = teken(
        Algorithm::RS256,
        Some("rsa-1"),
        "rsa-ander-prive.pem",
        &claims(),
    );
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("handtekening klopt niet"))
    );
    // Expired (beyond the 30 s leeway).
    let mut verlopen = claims();
    verlopen.exp = nu() - 120;
    let token = teken(Algorithm::RS256, Some("rsa-1"), "rsa-prive.pem", &verlopen);
    assert_eq!(v.verify(&token), Err(AuthError::Ongeldig("verlopen")));
    // HS256 signed with the public key as its secret: the classic algorithm confusion.
    let publiek = std::fs::read(sleutel("rsa-publiek.pem")).unwrap();
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(),
        &EncodingKey::from_secret(&publiek),
    )
    .unwrap();
    assert!(v.verify(&token).is_err());
    // alg none.
    let onondertekend = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&serde_json::to_string(&claims()).unwrap())
    );
    assert!(v.verify(&onondertekend).is_err());
}

fn b64(tekst: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tekst)
}

#[test]
fn issuer_and_audience_are_enforced_when_configured_and_keycloak_roles_are_read() {
    let mut c = config();
    c.jwks = Some(sleutel("jwks.json"));
    c.jwt_issuer = Some("https://sso.example/realms/traject".to_owned());
    c.jwt_audience = Some("traject".to_owned());
    let v = Verifier::from_config(&c).unwrap();
    let mut goed = claims();
    goed.iss = c.jwt_issuer.clone();
    // Keycloak sends the audience as a list and the roles under realm_access.
    goed.aud = Some(serde_json::json!(["account", "traject"]));
    goed.roles = vec![];
    goed.realm_access = Some(RealmAccess {
        roles: vec!["teamleider".to_owned(), "offline_access".to_owned()],
    });
    let token = teken(Algorithm::RS256, Some("rsa-1"), "rsa-prive.pem", &goed);
    assert_eq!(v.verify(&token).unwrap().rollen, vec![Rol::Teamleider]);

    let mut andere_uitgever = goed.clone();
    andere_uitgever.iss = Some("https://elders.example".to_owned());
    let token = teken(
        Algorithm::RS256,
        Some("rsa-1"),
        "rsa-prive.pem",
        &andere_uitgever,
    );
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("verkeerde uitgever (iss)"))
    );
    let mut andere_doelgroep = goed.clone();
    andere_doelgroep.aud = Some(serde_json::json!("iets-anders"));
    let token = teken(
        Algorithm::RS256,
        Some("rsa-1"),
        "rsa-prive.pem",
        &andere_doelgroep,
    );
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("verkeerde doelgroep (aud)"))
    );
}

#[test]
fn production_mode_refuses_a_shared_secret_and_needs_a_key() {
    let mut c = config();
    c.jwt_secret = Some(Secret("geheim".to_owned()));
    let fout = Verifier::from_config(&c).unwrap_err().to_string();
    assert!(fout.contains("--jwt-secret"), "{fout}");
    let fout = Verifier::from_config(&config()).unwrap_err().to_string();
    assert!(fout.contains("geen sleutel"), "{fout}");
    c.mode = Mode::Development;
    assert!(Verifier::from_config(&c).is_ok());
}

#[test]
fn a_verified_token_is_remembered_until_it_expires() {
    let v = met_pem("rsa-publiek.pem");
    let c = claims();
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &c);
    assert_eq!(v.remembered(), 0);
    let eerst = v.verify(&token).unwrap();
    assert_eq!(v.remembered(), 1);
    // Remembered: the same caller, up to and including the leeway past `exp`.
    assert_eq!(v.verify(&token).unwrap(), eerst);
    assert_eq!(
        v.verify_at(&token, c.exp + Verifier::SPELING).unwrap(),
        eerst
    );
    // One second later it is refused, and forgotten.
    assert_eq!(
        v.verify_at(&token, c.exp + Verifier::SPELING + 1),
        Err(AuthError::Ongeldig("verlopen"))
    );
    assert_eq!(v.remembered(), 0);
    // A clone shares what is remembered (the server clones its verifier into its state).
    let kloon = v.clone();
    kloon.verify(&token).unwrap();
    assert_eq!(v.remembered(), 1);
}

#[test]
fn a_refused_token_is_not_remembered_and_a_changed_token_is_checked_in_full() {
    let v = met_pem("rsa-publiek.pem");
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &claims());
    v.verify(&token).unwrap();
    // The remembered token with one character of its signature changed.
    let mut tekens: Vec<char> = token.chars().collect();
    let i = tekens.len() - 10;
    tekens[i] = if tekens[i] == 'A' { 'B' } else { 'A' };
    let vervalst: String = tekens.into_iter().collect();
    assert_eq!(
        v.verify(&vervalst),
        Err(AuthError::Ongeldig("handtekening klopt niet"))
    );
    // The same claims under another key's signature.
    let ander = teken(Algorithm::RS256, None, "rsa-ander-prive.pem", &claims());
    assert_eq!(
        v.verify(&ander),
        Err(AuthError::Ongeldig("handtekening klopt niet"))
    );
    // Refused again on the next request: a refusal is not remembered.
    assert!(v.verify(&vervalst).is_err());
    assert!(v.verify(&ander).is_err());
    assert_eq!(v.remembered(), 1);
}

#[test]
fn the_memory_of_verified_tokens_is_bounded() {
    let mut c = config();
    c.mode = Mode::Development;
    c.jwt_secret = Some(Secret("geheim".to_owned()));
    let v = Verifier::from_config(&c).unwrap();
    for i in 0..=Verifier::MAX_ONTHOUDEN {
        let mut claims = claims();
        claims.sub = format!("coach-{i}");
        let token = traject_api::auth::mint("geheim", &claims);
        assert_eq!(v.verify(&token).unwrap().id, claims.sub);
        assert!(v.remembered() <= Verifier::MAX_ONTHOUDEN);
    }
    // Emptied when full, then the last one remembered.
    assert_eq!(v.remembered(), 1);
}

#[test]
fn not_before_is_enforced_and_a_configured_issuer_or_audience_must_be_present() {
    let v = met_pem("rsa-publiek.pem");
    let mut later = claims();
    later.nbf = Some(nu() + 300);
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &later);
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("nog niet geldig (nbf)"))
    );
    // Within the leeway (clock skew) it is accepted.
    let mut bijna = claims();
    bijna.nbf = Some(nu() + 10);
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &bijna);
    assert!(v.verify(&token).is_ok());

    let mut c = config();
    c.jwt_public_key = Some(sleutel("rsa-publiek.pem"));
    c.jwt_issuer = Some("https://sso.example/realms/traject".to_owned());
    c.jwt_audience = Some("traject".to_owned());
    let v = Verifier::from_config(&c).unwrap();
    let mut zonder_iss = claims();
    zonder_iss.aud = Some(serde_json::json!("traject"));
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &zonder_iss);
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("verplichte claim iss ontbreekt"))
    );
    let mut zonder_aud = claims();
    zonder_aud.iss = c.jwt_issuer.clone();
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &zonder_aud);
    assert_eq!(
        v.verify(&token),
        Err(AuthError::Ongeldig("verplichte claim aud ontbreekt"))
    );
    let mut beide = zonder_aud.clone();
    beide.aud = Some(serde_json::json!("traject"));
    let token = teken(Algorithm::RS256, None, "rsa-prive.pem", &beide);
    assert!(v.verify(&token).is_ok());
}

/// The JWKS document with only the keys whose kid is in `kids`.
pub(crate) fn jwks_met(kids: &[&str]) -> String {
    let mut set: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sleutel("jwks.json")).unwrap()).unwrap();
    set["keys"]
        .as_array_mut()
        .unwrap()
        .retain(|k| kids.contains(&k["kid"].as_str().unwrap_or("")));
    set.to_string()
}

#[tokio::test]
async fn a_token_with_a_new_kid_makes_the_verifier_read_the_key_file_again() {
    let dir = tempfile::tempdir().unwrap();
    let pad = dir.path().join("jwks.json");
    std::fs::write(&pad, jwks_met(&["ec-1"])).unwrap();
    let mut c = config();
    c.jwks = Some(pad.clone());
    let v = Verifier::from_config(&c).unwrap();
    let token = teken(Algorithm::RS256, Some("rsa-1"), "rsa-prive.pem", &claims());
    assert_eq!(v.verify(&token), Err(Verifier::SLEUTEL_ONBEKEND));
    // The provider rotates: the new key is in the file now.
    std::fs::write(&pad, jwks_met(&["ec-1", "rsa-1"])).unwrap();
    assert!(v.verify_fresh(&token).await.is_ok());
    // A token signed with the right kid by another key stays refused.
    let vals = teken(
        Algorithm::RS256,
        Some("rsa-1"),
        "rsa-ander-prive.pem",
        &claims(),
    );
    assert!(v.verify_fresh(&vals).await.is_err());
}

#[tokio::test]
async fn the_key_set_is_fetched_from_its_url_and_again_at_most_every_interval() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let gevraagd = Arc::new(AtomicUsize::new(0));
    let inhoud = Arc::new(Mutex::new(jwks_met(&["ec-1"])));
    let app = axum::Router::new().route(
        "/certs",
        axum::routing::get({
            let (gevraagd, inhoud) = (Arc::clone(&gevraagd), Arc::clone(&inhoud));
            move || async move {
                gevraagd.fetch_add(1, Ordering::SeqCst);
                inhoud.lock().unwrap().clone()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let adres = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut c = config();
    c.jwks_url = Some(format!("http://{adres}/certs"));
    // Production mode takes only https.
    assert!(Verifier::from_config(&c).is_err());
    c.mode = Mode::Development;
    let v = Verifier::from_config(&c).unwrap();
    let ec = teken(Algorithm::ES256, Some("ec-1"), "ec-prive.pem", &claims());
    assert!(v.verify_fresh(&ec).await.is_ok());
    assert_eq!(gevraagd.load(Ordering::SeqCst), 1);
    // A rotation the server has not read yet is read within the interval only once: the
    // first unknown kid after the start read is refused until the next interval.
    *inhoud.lock().unwrap() = jwks_met(&["ec-1", "rsa-1"]);
    let rsa = teken(Algorithm::RS256, Some("rsa-1"), "rsa-prive.pem", &claims());
    assert_eq!(v.verify_fresh(&rsa).await, Err(Verifier::SLEUTEL_ONBEKEND));
    let mut verzonnen = claims();
    for i in 0..5 {
        verzonnen.sub = format!("x{i}");
        let token = teken(
            Algorithm::RS256,
            Some(&format!("kid-{i}")),
            "rsa-prive.pem",
            &verzonnen,
        );
        assert!(v.verify_fresh(&token).await.is_err());
    }
    assert_eq!(
        gevraagd.load(Ordering::SeqCst),
        1,
        "made-up kids made the verifier fetch the key set again within the interval"
    );
}

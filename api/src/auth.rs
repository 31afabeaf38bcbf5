//! Authentication: bearer JWTs as an OpenID Connect provider issues them, verified against a
//! configured public key or JWKS document (RS256, ES256), or in development mode a shared secret
//! (HS256). Expiry and not-before are always enforced (30 s leeway), an issuer and an audience
//! when configured (a token without the claim is refused), each key only with its own algorithm,
//! and a token that names its key (`kid`) only against that key. The provider's key set (a JWKS
//! file or URL) is read again when a token names a key it does not hold, at most every 30 s.
//!
//! A verified token is remembered by its SHA-256 until it expires: a client sends the same token
//! with every request, and checking a signature (HMAC, and far more RSA or ECDSA) costs more than
//! answering a small query. A remembered token is still refused once it has expired; a refusal is
//! never remembered, so a token that failed is checked in full each time.

use std::path::Path;
use std::sync::Arc;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use traject_domain::value::{OrganisatieId, Regio};

use crate::config::{Mode, ServeConfig};
use crate::geheugen::{self, Geheugen};

pub use traject_dienst::{Gebruiker, Rol};

/// The claims traject reads. Roles come from `roles` or, as Keycloak issues them, from
/// `realm_access.roles`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Keycloak's realm roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub realm_access: Option<RealmAccess>,
    /// The organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    /// The region (CBS code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regio: Option<String>,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
    /// Issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience: one string or a list, as providers send it (checked by the verifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// Not before (seconds since the epoch), if the provider sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
}

/// Keycloak's `realm_access` claim.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RealmAccess {
    /// The realm roles.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Why a token was refused. The message names the rule, never the token's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization: Bearer` header.
    #[error("geen token: stuur Authorization: Bearer <token>")]
    Ontbreekt,
    /// The token failed verification.
    #[error("token geweigerd: {0}")]
    Ongeldig(&'static str),
}

/// The verification keys and rules, and the tokens verified with them.
#[derive(Clone)]
pub struct Verifier {
    /// The keys given once: the development secret, a PEM public key.
    sleutels: Vec<Sleutel>,
    /// The provider's key set, fetched again when a token names a key it does not hold.
    jwks: Option<Arc<Jwks>>,
    issuer: Option<String>,
    audience: Option<String>,
    geverifieerd: Arc<Geheugen<Geverifieerd>>,
}

/// A verified token's caller and expiry.
#[derive(Clone)]
struct Geverifieerd {
    gebruiker: Gebruiker,
    exp: u64,
}

/// Where the provider's key set comes from.
#[derive(Debug, Clone)]
enum JwksBron {
    Bestand(std::path::PathBuf),
    Url(String),
}

/// A JWKS document's keys, as last read, and when it was last read.
struct Jwks {
    bron: JwksBron,
    sleutels: std::sync::RwLock<Arc<Vec<Sleutel>>>,
    gelezen: tokio::sync::Mutex<Option<std::time::Instant>>,
}

impl Jwks {
    /// The keys now held.
    fn nu(&self) -> Arc<Vec<Sleutel>> {
        Arc::clone(&self.sleutels.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads the key set again, unless it was read less than [`Verifier::VERVERS_NA`] ago
    /// (a stream of tokens with made-up key ids costs one read per interval, no more).
    async fn ververs(&self) {
        let mut gelezen = self.gelezen.lock().await;
        if gelezen.is_some_and(|t| t.elapsed() < Verifier::VERVERS_NA) {
            return;
        }
        *gelezen = Some(std::time::Instant::now());
        match lees_jwks(&self.bron).await {
            Ok(sleutels) => {
                tracing::info!(keys = sleutels.len(), source = ?self.bron, "JWKS read");
                *self.sleutels.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(sleutels);
            }
            Err(fout) => {
                tracing::warn!(error = %fout, source = ?self.bron, "JWKS not readable; the previous keys stay")
            }
        }
    }
}

/// The keys of the JWKS document at `bron`.
async fn lees_jwks(bron: &JwksBron) -> anyhow::Result<Vec<Sleutel>> {
    let (tekst, naam) = match bron {
        JwksBron::Bestand(pad) => (
            tokio::fs::read(pad)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?,
            pad.display().to_string(),
        ),
        JwksBron::Url(url) => {
            let antwoord = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()?
                .get(url)
                .send()
                .await
                .and_then(reqwest::Response::error_for_status)
                .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
            (antwoord.bytes().await?.to_vec(), url.clone())
        }
    };
    jwks(&tekst, &naam)
}

#[derive(Clone)]
struct Sleutel {
    kid: Option<String>,
    algoritme: Algorithm,
    sleutel: DecodingKey,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("sleutels", &self.sleutels.len())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

impl Verifier {
    /// The keys of `config`. A shared secret is refused in production mode, and at least one key
    /// is required.
    pub fn from_config(config: &ServeConfig) -> anyhow::Result<Self> {
        let mut sleutels = Vec::new();
        if let Some(secret) = &config.jwt_secret {
            anyhow::ensure!(
                config.mode == Mode::Development,
                "--jwt-secret (HS256) is alleen toegestaan in ontwikkelmodus"
            );
            sleutels.push(Sleutel {
                kid: None,
                algoritme: Algorithm::HS256,
                sleutel: DecodingKey::from_secret(secret.0.as_bytes()),
            });
        }
        if let Some(pad) = &config.jwt_public_key {
            sleutels.push(public_key(pad)?);
        }
        let bron = match (&config.jwks, &config.jwks_url) {
            (Some(_), Some(_)) => anyhow::bail!("--jwks of --jwks-url, niet allebei"),
            (Some(pad), None) => Some(JwksBron::Bestand(pad.clone())),
            (None, Some(url)) => {
                anyhow::ensure!(
                    url.starts_with("https://")
                        || (config.mode == Mode::Development && url.starts_with("http://")),
                    "--jwks-url: moet met https:// beginnen"
                );
                Some(JwksBron::Url(url.clone()))
            }
            (None, None) => None,
        };
        // A file is read now (a wrong path stops the start); a URL at the first token, and again
        // whenever a token names a key it does not hold.
        let begin = match &config.jwks {
            Some(pad) => jwks(
                &std::fs::read(pad).map_err(|e| anyhow::anyhow!("{}: {e}", pad.display()))?,
                &pad.display().to_string(),
            )?,
            None => Vec::new(),
        };
        anyhow::ensure!(
            !sleutels.is_empty() || bron.is_some(),
            "geen sleutel om tokens te controleren: geef --jwks-url, --jwks, --jwt-public-key of (ontwikkeling) --jwt-secret"
        );
        Ok(Self {
            sleutels,
            jwks: bron.map(|bron| {
                Arc::new(Jwks {
                    bron,
                    sleutels: std::sync::RwLock::new(Arc::new(begin)),
                    gelezen: tokio::sync::Mutex::new(None),
                })
            }),
            issuer: config.jwt_issuer.clone(),
            audience: config.jwt_audience.clone(),
            geverifieerd: Arc::default(),
        })
    }

    /// How many verified tokens are remembered at most; when full, the memory is emptied.
    pub const MAX_ONTHOUDEN: usize = geheugen::MAX;
    /// Seconds past `exp` (and before `nbf`) a token is still accepted (clock skew with the
    /// provider).
    pub const SPELING: u64 = 30;
    /// The shortest time between two reads of the key set.
    pub const VERVERS_NA: std::time::Duration = std::time::Duration::from_secs(30);
    /// The refusal of a token whose key (`kid`) is not among the keys held.
    pub const SLEUTEL_ONBEKEND: AuthError = AuthError::Ongeldig("algoritme of sleutel onbekend");
    /// The refusal of a token that names a key held, with another algorithm than that key's.
    pub const ALGORITME_PAST_NIET: AuthError =
        AuthError::Ongeldig("het algoritme past niet bij de sleutel");

    /// [`Self::verify`], and when the token names a key the key set does not hold (the
    /// provider rotated its keys), the key set read again (at most once per
    /// [`Self::VERVERS_NA`]) and the token checked once more.
    pub async fn verify_fresh(&self, token: &str) -> Result<Gebruiker, AuthError> {
        self.verify_until(token).await.map(|(g, _)| g)
    }

    /// [`Self::verify_fresh`] with the moment (seconds since the epoch, the leeway included)
    /// after which the token is no longer accepted: for a connection that lives on after its
    /// token was checked (the WebSocket).
    pub async fn verify_until(&self, token: &str) -> Result<(Gebruiker, u64), AuthError> {
        match self.verify_with_exp(token, nu()) {
            Err(fout) if fout == Self::SLEUTEL_ONBEKEND => match &self.jwks {
                Some(jwks) => {
                    jwks.ververs().await;
                    self.verify_with_exp(token, nu())
                }
                None => Err(fout),
            },
            uitkomst => uitkomst,
        }
        .map(|(g, exp)| (g, exp.saturating_add(Self::SPELING)))
    }

    /// Verifies a bearer token and returns the caller.
    pub fn verify(&self, token: &str) -> Result<Gebruiker, AuthError> {
        self.verify_at(token, nu())
    }

    /// [`Self::verify`] at `nu` (seconds since the epoch) for a token verified before; a token
    /// seen for the first time is checked in full against the clock.
    pub fn verify_at(&self, token: &str, nu: u64) -> Result<Gebruiker, AuthError> {
        self.verify_with_exp(token, nu).map(|(g, _)| g)
    }

    /// [`Self::verify_at`] with the token's `exp`.
    fn verify_with_exp(&self, token: &str, nu: u64) -> Result<(Gebruiker, u64), AuthError> {
        let sleutel: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(v) = self.geverifieerd.get(&sleutel) {
            if v.exp.saturating_add(Self::SPELING) < nu {
                self.geverifieerd.forget(&sleutel);
                return Err(AuthError::Ongeldig("verlopen"));
            }
            return Ok((v.gebruiker, v.exp));
        }
        let (gebruiker, exp) = self.controleer(token)?;
        self.geverifieerd.remember(
            sleutel,
            Geverifieerd {
                gebruiker: gebruiker.clone(),
                exp,
            },
        );
        Ok((gebruiker, exp))
    }

    /// How many verified tokens are remembered now.
    pub fn remembered(&self) -> usize {
        self.geverifieerd.len()
    }

    /// Checks the token's signature and claims in full; returns the caller and the expiry.
    fn controleer(&self, token: &str) -> Result<(Gebruiker, u64), AuthError> {
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| AuthError::Ongeldig("onleesbaar"))?;
        // Each key is used only with its own algorithm; a token that names its key is checked
        // against that key alone.
        let uit_jwks = self.jwks.as_ref().map(|j| j.nu()).unwrap_or_default();
        // A key that is held but with another algorithm is a forgery, not a rotation: refused
        // without reading the key set again.
        if let Some(kid) = &header.kid
            && let Some(sleutel) = self
                .sleutels
                .iter()
                .chain(uit_jwks.iter())
                .find(|s| s.kid.as_ref() == Some(kid))
            && sleutel.algoritme != header.alg
        {
            return Err(Self::ALGORITME_PAST_NIET);
        }
        let kandidaten = self.sleutels.iter().chain(uit_jwks.iter()).filter(|s| {
            s.algoritme == header.alg
                && match (&header.kid, &s.kid) {
                    (Some(gevraagd), Some(kid)) => gevraagd == kid,
                    _ => true,
                }
        });
        let mut fout = Self::SLEUTEL_ONBEKEND;
        let mut verplicht = vec!["exp", "sub"];
        if self.issuer.is_some() {
            verplicht.push("iss");
        }
        if self.audience.is_some() {
            verplicht.push("aud");
        }
        for sleutel in kandidaten {
            let mut validation = Validation::new(sleutel.algoritme);
            validation.set_required_spec_claims(&verplicht);
            validation.validate_nbf = true;
            validation.leeway = Self::SPELING;
            match &self.issuer {
                Some(iss) => validation.set_issuer(&[iss]),
                None => validation.iss = None,
            }
            match &self.audience {
                Some(aud) => validation.set_audience(&[aud]),
                None => validation.validate_aud = false,
            }
            match jsonwebtoken::decode::<Claims>(token, &sleutel.sleutel, &validation) {
                Ok(data) => {
                    let exp = data.claims.exp;
                    return gebruiker(data.claims).map(|g| (g, exp));
                }
                Err(e) => {
                    use jsonwebtoken::errors::ErrorKind;
                    fout = AuthError::Ongeldig(match e.kind() {
                        ErrorKind::ExpiredSignature => "verlopen",
                        ErrorKind::InvalidSignature => "handtekening klopt niet",
                        ErrorKind::InvalidIssuer => "verkeerde uitgever (iss)",
                        ErrorKind::InvalidAudience => "verkeerde doelgroep (aud)",
                        ErrorKind::ImmatureSignature => "nog niet geldig (nbf)",
                        ErrorKind::MissingRequiredClaim(claim) => match claim.as_str() {
                            "iss" => "verplichte claim iss ontbreekt",
                            "aud" => "verplichte claim aud ontbreekt",
                            "exp" => "verplichte claim exp ontbreekt",
                            "sub" => "verplichte claim sub ontbreekt",
                            _ => "verplichte claim ontbreekt",
                        },
                        _ => "ongeldig",
                    });
                }
            }
        }
        Err(fout)
    }
}

/// Whether `sub` can name a user in the access log and its quota: not empty, at most 256 bytes,
/// no white space around it, no control or invisible characters. Two tokens whose subjects
/// differ only in such characters would otherwise be one user to the rules that trim them and
/// two to the log.
fn geldige_sub(sub: &str) -> bool {
    !sub.is_empty()
        && sub.len() <= 256
        && sub.trim() == sub
        && !sub
            .chars()
            .any(|c| c.is_control() || traject_domain::value::onzichtbaar(c))
}

fn gebruiker(claims: Claims) -> Result<Gebruiker, AuthError> {
    if !geldige_sub(&claims.sub) {
        return Err(AuthError::Ongeldig(
            "claim sub moet een gebruikers-id zonder spaties eromheen, stuurtekens of onzichtbare tekens zijn",
        ));
    }
    let mut rollen: Vec<Rol> = claims
        .roles
        .iter()
        .chain(claims.realm_access.iter().flat_map(|r| r.roles.iter()))
        .filter_map(|r| Rol::parse(r))
        .collect();
    rollen.sort();
    rollen.dedup();
    let organisatie = claims
        .organisatie
        .map(|o| OrganisatieId::parse(&o))
        .transpose()
        .map_err(|_| AuthError::Ongeldig("claim organisatie is geen geldige organisatie"))?;
    let regio = claims
        .regio
        .map(|r| Regio::parse(&r))
        .transpose()
        .map_err(|_| AuthError::Ongeldig("claim regio is geen arbeidsmarktregio"))?;
    Ok(Gebruiker {
        naam: claims.name.unwrap_or_else(|| claims.sub.clone()),
        id: claims.sub,
        rollen,
        organisatie,
        regio,
    })
}

fn public_key(pad: &Path) -> anyhow::Result<Sleutel> {
    let pem = std::fs::read(pad)?;
    if let Ok(sleutel) = DecodingKey::from_rsa_pem(&pem) {
        return Ok(Sleutel {
            kid: None,
            algoritme: Algorithm::RS256,
            sleutel,
        });
    }
    let sleutel = DecodingKey::from_ec_pem(&pem)
        .map_err(|_| anyhow::anyhow!("{}: geen RSA- of EC-publieke sleutel", pad.display()))?;
    Ok(Sleutel {
        kid: None,
        algoritme: Algorithm::ES256,
        sleutel,
    })
}

/// The keys traject accepts in the JWKS document `tekst` (from `bron`).
fn jwks(tekst: &[u8], bron: &str) -> anyhow::Result<Vec<Sleutel>> {
    let set: JwkSet =
        serde_json::from_slice(tekst).map_err(|e| anyhow::anyhow!("{bron}: geen JWKS: {e}"))?;
    let mut sleutels = Vec::new();
    for jwk in &set.keys {
        let algoritme = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
                Algorithm::ES256
            }
            _ => continue, // keys traject does not accept (HS in a JWKS, other curves)
        };
        sleutels.push(Sleutel {
            kid: jwk.common.key_id.clone(),
            algoritme,
            sleutel: DecodingKey::from_jwk(jwk)?,
        });
    }
    anyhow::ensure!(!sleutels.is_empty(), "{bron}: geen RS256- of ES256-sleutel");
    Ok(sleutels)
}

/// Mints an HS256 development token with `claims` (its `exp` decides how long it is valid).
pub fn mint(secret: &str, claims: &Claims) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing never fails")
}

/// Seconds since the epoch, for `exp`.
pub fn nu() -> u64 {
    jsonwebtoken::get_current_timestamp()
}

//! `traject serve --demo`: the national demo data on an empty store, and logins to try it with.

use std::io::Write;

use traject_domain::value::Regio;
use traject_projections::demo::{DemoOpties, coaches, laad, organisaties};
use traject_store::EventStore;

use crate::auth::{Claims, mint, nu};

/// Loads the demo data into `store` if it holds no event yet, showing progress on stderr.
pub async fn laad_als_leeg(
    store: std::sync::Arc<dyn EventStore>,
    opties: &DemoOpties,
) -> anyhow::Result<()> {
    if store.head().await?.is_some() {
        eprintln!("de store bevat al gegevens: de demodata wordt niet opnieuw geladen");
        return Ok(());
    }
    let start = std::time::Instant::now();
    laad(store.as_ref(), opties, |v| {
        eprint!(
            "\rdemodata: {} van {} trajecten, {} gebeurtenissen",
            v.trajecten, v.van, v.events
        );
        let _ = std::io::stderr().flush();
    })
    .await?;
    eprintln!(" ({:.1} s)", start.elapsed().as_secs_f64());
    Ok(())
}

/// The region the demo logins belong to.
pub const DEMO_REGIO: Regio = Regio::Am13;

/// A login for each role: (role, user id, token), valid for 12 hours.
pub fn logins(opties: &DemoOpties, secret: &str) -> Vec<(&'static str, String, String)> {
    let organisatie = organisaties(DEMO_REGIO)[0].clone();
    let coach = coaches(&organisatie, opties)[0].clone();
    let claims = |sub: &str, rol: &str, naam: &str, org: bool| Claims {
        sub: sub.to_owned(),
        name: Some(naam.to_owned()),
        roles: vec![rol.to_owned()],
        realm_access: None,
        organisatie: org.then(|| organisatie.as_str().to_owned()),
        regio: Some(DEMO_REGIO.code().to_owned()),
        exp: nu() + 12 * 3600,
        iss: None,
        aud: None,
    };
    [
        ("coach", coach.as_str().to_owned(), "Demo coach", true),
        (
            "teamleider",
            format!("{}-teamleider", organisatie.as_str()),
            "Demo teamleider",
            true,
        ),
        ("regio", "regio-analist".to_owned(), "Demo regio", false),
        (
            "landelijk",
            "landelijk-programma".to_owned(),
            "Demo landelijk",
            false,
        ),
        ("beheerder", "beheerder".to_owned(), "Demo beheerder", false),
    ]
    .into_iter()
    .map(|(rol, sub, naam, org)| {
        let token = mint(secret, &claims(&sub, rol, naam, org));
        (rol, sub, token)
    })
    .collect()
}

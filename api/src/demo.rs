//! `traject serve --demo`: the national demo data on an empty store, generated people in the
//! vault, and logins to try it with.

use std::io::Write;

use traject_demo::{DemoOpties, coaches, generate, load, organisaties};
use traject_domain::EventData;
use traject_domain::value::{
    Bsn, CoachId, Email, Geboortedatum, Naam, Persoonsgegevens, Regio, Telefoon, Verzegeling,
};
use traject_store::EventStore;

use crate::auth::{Claims, mint, nu};
use crate::kluis::Kluisdienst;

/// Loads the demo data into `store` if it holds no event yet, showing progress on stderr. Every
/// employer's name and job title is sealed with its client's key from `kluis`, as the command
/// path seals them, so fill the vault first ([`fill_kluis_if_empty`]).
pub async fn load_if_empty(
    store: std::sync::Arc<dyn EventStore>,
    kluis: std::sync::Arc<Kluisdienst>,
    opties: &DemoOpties,
) -> anyhow::Result<()> {
    if store.head().await?.is_some() {
        eprintln!("de store bevat al gegevens: de demodata wordt niet opnieuw geladen");
        return Ok(());
    }
    let start = std::time::Instant::now();
    // A client without a key (a vault filled before, by other means) gets its text sealed with
    // a key no one keeps: unreadable, never in clear. Counted and said below.
    let zonder_sleutel = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let geteld = std::sync::Arc::clone(&zonder_sleutel);
    let verzegelaar: traject_demo::Sealer =
        std::sync::Arc::new(move |client, event, veld, tekst| {
            let client = client.as_uuid();
            let sleutel = kluis.sleutel_in_geheugen(client).unwrap_or_else(|| {
                geteld.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                std::sync::Arc::new(crate::kluis::key::ClientKey::random())
            });
            Verzegeling::new(sleutel.seal_text(client, event.as_uuid(), veld, tekst))
        });
    load(store.as_ref(), opties, Some(verzegelaar), |v| {
        eprint!(
            "\rdemodata: {} van {} trajecten, {} gebeurtenissen",
            v.trajecten, v.van, v.events
        );
        let _ = std::io::stderr().flush();
    })
    .await?;
    eprintln!(" ({:.1} s)", start.elapsed().as_secs_f64());
    let zonder = zonder_sleutel.load(std::sync::atomic::Ordering::Relaxed);
    if zonder > 0 {
        tracing::warn!(
            fields = zonder,
            "demo data: werkgever and functie of clients without a kluis key sealed unreadably"
        );
    }
    Ok(())
}

/// Releases quarters of the demo data that may be released and have no release yet, as the
/// landelijk role would, once the read models show all of the data, the newest quarter first and at
/// most `hoogstens` releases: so that the demo's regio users see figures. Then the quality report
/// of each calendar year whose cohorts' eight quarters are released, and the counts behind each
/// closed year's business case. Each release runs its audit (seconds on the national data): the
/// server releases the newest quarter before it serves and the rest in the background. Returns how
/// many releases it made.
pub async fn vrijgeven_if_empty(
    vrijgaven: &crate::cijfers::Vrijgaven,
    projecties: &traject_projections::Projecties,
    store: &dyn EventStore,
    opties: &DemoOpties,
    hoogstens: usize,
) -> anyhow::Result<usize> {
    use traject_projections::cijfers::Kwartaal;
    if let Some(head) = store.head().await? {
        projecties
            .wait_for(head, std::time::Duration::from_secs(600))
            .await
            .map_err(anyhow::Error::msg)?;
    }
    let begin = opties.vandaag - chrono::Months::new(12 * opties.jaren);
    let mut kwartalen = Vec::new();
    let mut kwartaal = Kwartaal::van(begin);
    while kwartaal.laatste_dag() + chrono::Days::new(u64::from(vrijgaven.wachttijd_dagen) + 1)
        <= opties.vandaag
    {
        kwartalen.push(kwartaal);
        kwartaal = kwartaal.volgende();
    }
    let mut aantal = 0;
    for kwartaal in kwartalen.iter().rev() {
        if aantal == hoogstens {
            break;
        }
        if vrijgaven.van(*kwartaal).await?.is_empty() {
            vrijgaven
                .vrijgeef(*kwartaal, opties.vandaag, "demo")
                .await?;
            aantal += 1;
        }
    }
    // The quality reports of every calendar year whose quarters are all released, newest
    // first.
    let rapporten: Vec<Kwartaal> = kwartalen
        .iter()
        .rev()
        .filter(|k| k.nummer == 4)
        .copied()
        .collect();
    for tot in rapporten {
        if aantal >= hoogstens {
            break;
        }
        let periode = traject_projections::kwaliteit::Rapportperiode { tot };
        let mut alle = true;
        for k in periode.cohorten() {
            alle &= !vrijgaven.van(k).await?.is_empty();
        }
        // One report refused does not stop the others (the log says why).
        if alle && vrijgaven.kwaliteit(tot).await?.is_none() {
            match vrijgaven
                .vrijgeef_kwaliteit(tot, opties.vandaag, "demo")
                .await
            {
                Ok(_) => aantal += 1,
                Err(e) => {
                    tracing::warn!(until = %tot, error = %e, "demo data: kwaliteitsrapport not released")
                }
            }
        }
    }
    // The counts behind the business case of every closed year, newest first.
    for jaar in kwartalen
        .iter()
        .rev()
        .filter(|k| k.nummer == 4)
        .map(|k| k.jaar)
    {
        if aantal >= hoogstens {
            break;
        }
        if vrijgaven.businesscase(jaar).await?.is_none() {
            vrijgaven
                .vrijgeef_businesscase(jaar, opties.vandaag, "demo")
                .await?;
            aantal += 1;
        }
    }
    Ok(aantal)
}

/// The region the demo logins belong to.
pub const DEMO_REGIO: Regio = Regio::Am13;

/// A demo user and their token.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoLogin {
    /// The role (`coach`, `teamleider`, `regio`, `landelijk`, `beheerder`).
    pub rol: &'static str,
    /// The user id.
    pub gebruiker: String,
    /// The display name.
    pub naam: &'static str,
    /// A development token (HS256), valid for 12 hours from when the logins were made.
    pub token: String,
}

/// The demo coach: of the demo organisation's coaches, the one whose open caseload on
/// `vandaag` is nearest to 20 (an IPS caseload), so that signing in as the demo coach shows a
/// caseload like a real one; the first coach while the read models hold none.
pub fn demo_coach(
    opties: &DemoOpties,
    model: &traject_projections::ReadModel,
    vandaag: chrono::NaiveDate,
) -> CoachId {
    let organisatie = organisaties(DEMO_REGIO)[0].clone();
    let kandidaten = coaches(&organisatie, opties);
    let open = |coach: &CoachId| {
        model
            .van_coach(coach)
            .filter(|e| e.kenmerken.as_ref().is_some_and(|k| k.open_op(vandaag)))
            .count()
    };
    kandidaten
        .iter()
        .min_by_key(|c| open(c).abs_diff(20))
        .unwrap_or(&kandidaten[0])
        .clone()
}

/// A login for each role, valid for 12 hours; `coach` is the demo coach ([`demo_coach`]).
pub fn logins(secret: &str, coach: &CoachId) -> Vec<DemoLogin> {
    let organisatie = organisaties(DEMO_REGIO)[0].clone();
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
        nbf: None,
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
        DemoLogin {
            rol,
            gebruiker: sub,
            naam,
            token,
        }
    })
    .collect()
}

/// Gives every demo client generated personal data, if the vault holds none yet: names from
/// common Dutch first names and surnames, a date of birth, a phone number, an e-mail address at
/// `voorbeeld.nl`, and for one in three a BSN that passes the elfproef. Made from each client's
/// pseudonymous id, so the same data set gets the same people.
pub async fn fill_kluis_if_empty(kluis: &Kluisdienst, opties: &DemoOpties) -> anyhow::Result<()> {
    if !kluis.is_empty().await? {
        return Ok(());
    }
    let start = std::time::Instant::now();
    let opties = opties.clone();
    let personen = tokio::task::spawn_blocking(move || {
        generate(&opties)
            .filter_map(|t| match t.events.first().map(|e| &e.data) {
                Some(EventData::TrajectAangemeld(a)) => Some(a.client_id),
                _ => None,
            })
            .map(|client| (client.as_uuid(), persoon(client.as_uuid(), opties.vandaag)))
            .collect::<Vec<_>>()
    })
    .await?;
    let aantal = personen.len();
    for deel in personen.chunks(10_000) {
        kluis.fill(deel.to_vec()).await?;
    }
    eprintln!(
        "demodata: persoonsgegevens van {aantal} clients in de kluis ({:.1} s)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

const VOORNAMEN: &[&str] = &[
    "Anna", "Bram", "Chantal", "Daan", "Esra", "Fleur", "Gijs", "Hanneke", "Ilse", "Jeroen",
    "Kevin", "Lotte", "Mohamed", "Naima", "Oscar", "Priya", "Quinten", "Rosa", "Sem", "Tess",
    "Umut", "Vera", "Wouter", "Xander", "Yara", "Zeynep", "Ahmed", "Bas", "Carmen", "Dewi", "Emre",
    "Femke", "Hamza", "Inge", "Jasper", "Karin", "Lucas", "Marieke", "Noah", "Sanne",
];
const ACHTERNAMEN: &[&str] = &[
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Yılmaz",
    "El Amrani",
    "Kaya",
    "Bouzid",
    "Nguyen",
    "Öztürk",
    "Pinas",
    "Tjon",
    "Wijnaldum",
    "Koster",
    "Prins",
    "Kok",
    "Huisman",
    "Post",
    "Kuipers",
];

fn persoon(client: uuid::Uuid, vandaag: chrono::NaiveDate) -> Persoonsgegevens {
    let mut rng = fastrand::Rng::with_seed(u64::from_le_bytes(
        client.as_bytes()[..8].try_into().expect("8 bytes"),
    ));
    let voornaam = VOORNAMEN[rng.usize(..VOORNAMEN.len())];
    let achternaam = ACHTERNAMEN[rng.usize(..ACHTERNAMEN.len())];
    let geboren = vandaag - chrono::Days::new(rng.u64(18 * 365..64 * 365));
    let telefoon = format!("06-{:08}", rng.u32(..100_000_000));
    let email = format!(
        "{}.{}{}@voorbeeld.nl",
        voornaam.to_lowercase(),
        achternaam.to_lowercase().replace(' ', ""),
        rng.u32(..1000)
    );
    Persoonsgegevens {
        naam: Naam::parse(&format!("{voornaam} {achternaam}")).expect("a valid name"),
        geboortedatum: Geboortedatum::new(geboren, vandaag).expect("a valid date of birth"),
        telefoon: Some(Telefoon::parse(&telefoon).expect("a valid phone number")),
        email: Email::parse(&email).ok(),
        bsn: (rng.u8(..3) == 0).then(|| bsn(&mut rng)),
    }
}

/// A random BSN that passes the elfproef: eight digits, and the ninth that makes the sum a
/// multiple of 11 (drawn again when no digit does).
fn bsn(rng: &mut fastrand::Rng) -> Bsn {
    loop {
        let cijfers: Vec<u32> = (0..8).map(|_| rng.u32(..10)).collect();
        let som: u32 = cijfers.iter().zip((2..=9).rev()).map(|(c, w)| c * w).sum();
        let laatste = som % 11;
        if laatste < 10 && som > 0 {
            let tekst: String = cijfers
                .iter()
                .chain(std::iter::once(&laatste))
                .map(|c| char::from_digit(*c, 10).expect("a digit"))
                .collect();
            if let Ok(bsn) = Bsn::parse(&tekst) {
                return bsn;
            }
        }
    }
}

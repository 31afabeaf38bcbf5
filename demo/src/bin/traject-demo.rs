//! Loads the national demo data into an embedded store, showing progress.
//!
//! Usage: `traject-demo <store-file> [trajectories] [seed]`. The `traject` binary will offer the
//! same through `traject serve --demo`.

use std::io::Write;
use std::time::Instant;

use traject_demo::{DemoOpties, load};
use traject_store::SqliteStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: traject-demo <store-file> [trajectories] [seed]");
        std::process::exit(2);
    };
    // The demo's data ends on today's date in the Netherlands, as the server's "today".
    let today = traject_domain::vandaag_in_nederland(chrono::Utc::now());
    let mut opties = DemoOpties::landelijk(today);
    if let Some(n) = args.get(2) {
        opties.trajecten = n.parse()?;
    }
    if let Some(seed) = args.get(3) {
        opties.seed = seed.parse()?;
    }
    let store = SqliteStore::open(file).await?;
    let start = Instant::now();
    load(&store, &opties, None, |v| {
        eprint!(
            "\rdemo data: {} of {} trajectories, {} events",
            v.trajecten, v.van, v.events
        );
        let _ = std::io::stderr().flush();
    })
    .await?;
    eprintln!("\ndone in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

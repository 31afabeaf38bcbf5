//! The demo data looks like a real programme on its last day: coaches carry 15 to 25 open
//! trajectories, an open trajectory had something recorded recently and is not years old, most
//! have a next action planned (some due), and the domain refused no generated command.

use std::collections::HashMap;

use chrono::NaiveDate;
use traject_demo::{DemoOpties, generate};
use traject_domain::{DuurzaamBeleid, Fase, Traject, status};

struct Telling {
    open: usize,
    per_coach: HashMap<String, usize>,
    stil_max: i64,
    stil_boven_90: usize,
    oudste_open_dagen: i64,
    met_actie: usize,
    actie_te_doen: usize,
    geweigerd: usize,
    afgesloten: usize,
}

fn tel(opties: &DemoOpties) -> Telling {
    let mut t = Telling {
        open: 0,
        per_coach: HashMap::new(),
        stil_max: 0,
        stil_boven_90: 0,
        oudste_open_dagen: 0,
        met_actie: 0,
        actie_te_doen: 0,
        geweigerd: 0,
        afgesloten: 0,
    };
    let vandaag = opties.vandaag;
    let beleid = DuurzaamBeleid::v2();
    for d in generate(opties) {
        t.geweigerd += d.geweigerd;
        let traject = Traject::from_events(d.events.iter()).expect("valid events");
        let s = status(&traject, vandaag, &beleid).expect("referred");
        if s.fase == Fase::Afgesloten {
            t.afgesloten += 1;
            continue;
        }
        t.open += 1;
        let toestand = traject.toestand().expect("referred");
        if let Some(coach) = &toestand.coach {
            *t.per_coach.entry(coach.as_str().to_owned()).or_default() += 1;
        }
        let stil = (vandaag - toestand.laatste_datum.date()).num_days();
        t.stil_max = t.stil_max.max(stil);
        t.stil_boven_90 += usize::from(stil > 90);
        t.oudste_open_dagen = t
            .oudste_open_dagen
            .max((vandaag - toestand.aanmelding.date()).num_days());
        if let Some(v) = s.volgende_actie {
            use chrono::Datelike;
            assert!(
                v.actie.op.date().weekday().number_from_monday() <= 5,
                "a next action on a weekend day: {}",
                v.actie.op
            );
            t.met_actie += 1;
            t.actie_te_doen += usize::from(v.actie.op.date() <= vandaag);
        }
    }
    t
}

fn opties(trajecten: usize) -> DemoOpties {
    DemoOpties {
        seed: 2017,
        trajecten,
        jaren: 10,
        vandaag: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
    }
}

#[test]
fn the_demo_data_looks_like_a_real_programme_on_its_last_day() {
    // The national size, as `traject serve --demo` makes it.
    let n = 100_000;
    let t = tel(&opties(n));
    let coaches = t.per_coach.len();
    let gemiddeld = t.open as f64 / coaches as f64;
    eprintln!(
        "{n}: open {} closed {} coaches {coaches} mean {gemiddeld:.1} max-silent {} silent>90 {} oldest-open {} with-action {} due {}",
        t.open,
        t.afgesloten,
        t.stil_max,
        t.stil_boven_90,
        t.oudste_open_dagen,
        t.met_actie,
        t.actie_te_doen
    );
    let mut lasten: Vec<usize> = t.per_coach.values().copied().collect();
    lasten.sort_unstable();
    let (p10, p50, p90) = (
        lasten[lasten.len() / 10],
        lasten[lasten.len() / 2],
        lasten[lasten.len() * 9 / 10],
    );
    eprintln!("{n}: open trajectories per coach p10 {p10} median {p50} p90 {p90}");
    assert!(
        (15..=25).contains(&p50),
        "{n}: the median coach carries {p50}"
    );
    assert!(p10 >= 10 && p90 <= 32, "{n}: caseloads spread {p10}..{p90}");
    // The demo's sign-in takes the coach of its organisation (the first of AM13) whose caseload
    // is nearest to 20: there is one of a real size.
    let eigen = traject_demo::coaches(
        &traject_demo::organisaties(traject_domain::value::Regio::Am13)[0],
        &opties(n),
    )
    .iter()
    .map(|c| t.per_coach.get(c.as_str()).copied().unwrap_or(0))
    .min_by_key(|open| open.abs_diff(20))
    .unwrap_or(0);
    eprintln!("{n}: the demo coach carries {eigen}");
    assert!((15..=25).contains(&eigen), "the demo coach carries {eigen}");
    assert_eq!(t.geweigerd, 0, "the domain refused generated commands");
    assert!(
        (15.0..=25.0).contains(&gemiddeld),
        "{n}: a coach carries {gemiddeld:.1} open trajectories on average"
    );
    assert!(
        t.stil_max <= 120,
        "{n}: an open trajectory silent for {} days",
        t.stil_max
    );
    assert!(
        t.oudste_open_dagen <= 4 * 366,
        "{n}: an open trajectory referred {} days ago",
        t.oudste_open_dagen
    );
    assert!(
        t.met_actie * 10 >= t.open * 7,
        "{n}: most open trajectories have a next action"
    );
    assert!(
        t.actie_te_doen > 0 && t.actie_te_doen < t.met_actie,
        "{n}: some actions are due, not all"
    );
}

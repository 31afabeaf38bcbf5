//! The changes of an existing trajectory (`Opdracht`, one per mutation, with its own arguments),
//! what each carries (`Wijziging`), and the mutation document they are sent in.

use serde_json::Value;

/// What every change to an existing trajectory carries.
#[derive(Debug, Clone)]
pub struct Wijziging {
    pub traject_id: String,
    pub revisie: u64,
    /// The day it happened; a retraction needs none (it is dated the day it is recorded).
    pub datum: Option<String>,
    pub event_id: Option<String>,
}

impl Wijziging {
    /// A change of `traject_id`, decided on `revisie`, on `datum`.
    pub fn op(traject_id: &str, revisie: u64, datum: &str) -> Self {
        Wijziging {
            traject_id: traject_id.to_owned(),
            revisie,
            datum: Some(datum.to_owned()),
            event_id: None,
        }
    }

    /// A change of `traject_id`, decided on `revisie`, without a date (a retraction).
    pub fn zonder_datum(traject_id: &str, revisie: u64) -> Self {
        Wijziging {
            datum: None,
            ..Self::op(traject_id, revisie, "")
        }
    }

    /// The same, with an event id of the caller's (so that it can be retried).
    pub fn met_event_id(mut self, event_id: &str) -> Self {
        self.event_id = Some(event_id.to_owned());
        self
    }
}

/// The mutations of an existing trajectory, each with its own arguments. GraphQL enum values
/// are given by their names (`"WW"`, `"Verhuisd"`, ...).
#[derive(Debug, Clone)]
pub enum Opdracht {
    IntakeAfronden {
        uitkering: &'static str,
        in_ggz_behandeling: bool,
        /// The coach a teamleider names; a coach records themselves.
        coach: Option<String>,
    },
    CoachToewijzen {
        coach: String,
    },
    Werkgeverscontact {
        werkgever: String,
        persoonlijk: bool,
    },
    PlaatsingStarten(PlaatsingInvoer),
    PlaatsingBeeindigen {
        plaatsing_id: String,
        reden: &'static str,
    },
    UrenWijzigen {
        plaatsing_id: String,
        uren_per_week: f64,
    },
    WaakvlamInzetten,
    Opschalen {
        reden: &'static str,
    },
    Afsluiten {
        reden: &'static str,
        bevestig_duurzaam: bool,
    },
    Heropenen {
        reden: &'static str,
    },
    ActiePlannen {
        actie: &'static str,
        op: String,
    },
    Intrekken {
        gebeurtenis_id: String,
        reden: &'static str,
    },
}

/// The fields of a new placement.
#[derive(Debug, Clone)]
pub struct PlaatsingInvoer {
    pub werkgever: String,
    pub functie: String,
    pub uren_per_week: f64,
    pub contract: &'static str,
    pub einddatum: Option<String>,
    pub betaald: bool,
    pub regulier: bool,
}

impl PlaatsingInvoer {
    /// A permanent, paid, regular job.
    pub fn vast(werkgever: &str, functie: &str, uren_per_week: f64) -> Self {
        PlaatsingInvoer {
            werkgever: werkgever.to_owned(),
            functie: functie.to_owned(),
            uren_per_week,
            contract: "Vast",
            einddatum: None,
            betaald: true,
            regulier: true,
        }
    }
}

impl Opdracht {
    /// An intake recorded by the coach themselves.
    pub fn intake(uitkering: &'static str, in_ggz_behandeling: bool) -> Self {
        Opdracht::IntakeAfronden {
            uitkering,
            in_ggz_behandeling,
            coach: None,
        }
    }

    /// A contact with `werkgever`.
    pub fn werkgeverscontact(werkgever: &str, persoonlijk: bool) -> Self {
        Opdracht::Werkgeverscontact {
            werkgever: werkgever.to_owned(),
            persoonlijk,
        }
    }

    /// The mutation's name.
    pub fn veld(&self) -> &'static str {
        match self {
            Opdracht::IntakeAfronden { .. } => "intakeAfronden",
            Opdracht::CoachToewijzen { .. } => "coachToewijzen",
            Opdracht::Werkgeverscontact { .. } => "werkgeverscontact",
            Opdracht::PlaatsingStarten(_) => "plaatsingStarten",
            Opdracht::PlaatsingBeeindigen { .. } => "plaatsingBeeindigen",
            Opdracht::UrenWijzigen { .. } => "urenWijzigen",
            Opdracht::WaakvlamInzetten => "waakvlamInzetten",
            Opdracht::Opschalen { .. } => "opschalen",
            Opdracht::Afsluiten { .. } => "afsluiten",
            Opdracht::Heropenen { .. } => "heropenen",
            Opdracht::ActiePlannen { .. } => "actiePlannen",
            Opdracht::Intrekken { .. } => "intrekken",
        }
    }

    /// The further arguments as GraphQL literals, each after a comma (as [`mutatie`] takes them).
    pub fn argumenten(&self) -> String {
        let s = |tekst: &str| Value::from(tekst).to_string();
        match self {
            Opdracht::IntakeAfronden {
                uitkering,
                in_ggz_behandeling,
                coach,
            } => {
                let coach = coach
                    .as_deref()
                    .map(|c| format!(", coach: {}", s(c)))
                    .unwrap_or_default();
                format!("{coach}, uitkering: {uitkering}, inGgzBehandeling: {in_ggz_behandeling}")
            }
            Opdracht::CoachToewijzen { coach } => format!(", coach: {}", s(coach)),
            Opdracht::Werkgeverscontact {
                werkgever,
                persoonlijk,
            } => format!(", werkgever: {}, persoonlijk: {persoonlijk}", s(werkgever)),
            Opdracht::PlaatsingStarten(p) => {
                let einddatum = p
                    .einddatum
                    .as_deref()
                    .map(|d| format!(", einddatum: {}", s(d)))
                    .unwrap_or_default();
                format!(
                    ", plaatsing: {{werkgever: {}, functie: {}, urenPerWeek: {}, contract: {}{einddatum}, betaald: {}, regulier: {}}}",
                    s(&p.werkgever),
                    s(&p.functie),
                    p.uren_per_week,
                    p.contract,
                    p.betaald,
                    p.regulier
                )
            }
            Opdracht::PlaatsingBeeindigen {
                plaatsing_id,
                reden,
            } => format!(", plaatsingId: {}, reden: {reden}", s(plaatsing_id)),
            Opdracht::UrenWijzigen {
                plaatsing_id,
                uren_per_week,
            } => format!(
                ", plaatsingId: {}, urenPerWeek: {uren_per_week}",
                s(plaatsing_id)
            ),
            Opdracht::WaakvlamInzetten => String::new(),
            Opdracht::Opschalen { reden } | Opdracht::Heropenen { reden } => {
                format!(", reden: {reden}")
            }
            Opdracht::Afsluiten {
                reden,
                bevestig_duurzaam,
            } => {
                let bevestig = if *bevestig_duurzaam {
                    ", bevestigDuurzaam: true"
                } else {
                    ""
                };
                format!(", reden: {reden}{bevestig}")
            }
            Opdracht::ActiePlannen { actie, op } => format!(", actie: {actie}, op: {}", s(op)),
            Opdracht::Intrekken {
                gebeurtenis_id,
                reden,
            } => format!(", gebeurtenisId: {}, reden: {reden}", s(gebeurtenis_id)),
        }
    }
}

/// A mutation on an existing trajectory: `veld` with the `Wijziging` from the variables `$id`,
/// `$rev`, `$datum` and optionally `$eventId`, the further arguments `extra` (starting with a
/// comma), selecting `revisie` and `selectie`. A retraction (`intrekken`) has no date: `extra`
/// then holds the further fields of its `intrekking` (`gebeurtenisId`, `reden`).
pub fn mutatie(veld: &str, extra: &str, selectie: &str) -> String {
    if veld == "intrekken" {
        return format!(
            r#"mutation($id: ID!, $rev: Int!, $eventId: ID) {{
                intrekken(intrekking: {{trajectId: $id, revisie: $rev, eventId: $eventId{extra}}}) {{
                    revisie {selectie}
                }}
            }}"#
        );
    }
    format!(
        r#"mutation($id: ID!, $rev: Int!, $datum: NaiveDate!, $eventId: ID) {{
            {veld}(wijziging: {{trajectId: $id, revisie: $rev, datum: $datum, eventId: $eventId}}{extra}) {{
                revisie {selectie}
            }}
        }}"#
    )
}

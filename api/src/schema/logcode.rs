//! The access-log event code of every root field that touches person-level data.
//!
//! [`LOGCODES`] is the one table of which field writes which code (the codes themselves are the
//! application layer's). A test walks the schema's types and fails if a field that reaches
//! person-level data (a type with a `clientId` or `clients` field, a `clientId` argument, or any
//! mutation) is missing here; the end-to-end test runs each field, allowed and refused, and checks
//! that it writes exactly one entry with its code.

pub use traject_dienst::logcode::*;

/// `Type.field` of each root field that touches person-level data, and the code it logs.
pub const LOGCODES: &[(&str, &str)] = &[
    ("Query.caseload", CASELOAD_ZOEKEN),
    ("Query.traject", TRAJECT_LEZEN),
    ("Query.toegangslog", TOEGANGSLOG_LEZEN),
    ("Query.inzageOverzicht", TOEGANGSLOG_OVERZICHT),
    ("Mutation.toegangslogControleren", TOEGANGSLOG_CONTROLEREN),
    ("Mutation.toegangslogCheckpoint", TOEGANGSLOG_CHECKPOINT),
    ("Subscription.caseloadGewijzigd", CASELOAD_VOLGEN),
    ("Mutation.aanmelden", TRAJECT_AANMELDEN),
    ("Mutation.intakeAfronden", INTAKE_AFRONDEN),
    ("Mutation.coachToewijzen", COACH_TOEWIJZEN),
    ("Mutation.werkgeverscontact", WERKGEVERSCONTACT),
    ("Mutation.plaatsingStarten", PLAATSING_STARTEN),
    ("Mutation.plaatsingBeeindigen", PLAATSING_BEEINDIGEN),
    ("Mutation.urenWijzigen", UREN_WIJZIGEN),
    ("Mutation.actiePlannen", ACTIE_PLANNEN),
    ("Mutation.waakvlamInzetten", WAAKVLAM_INZETTEN),
    ("Mutation.opschalen", OPSCHALEN),
    ("Mutation.afsluiten", AFSLUITEN),
    ("Mutation.heropenen", HEROPENEN),
    ("Mutation.intrekken", INTREKKEN),
    ("Query.persoon", PERSOON_LEZEN),
    ("Mutation.persoonsgegevensVastleggen", PERSOON_VASTLEGGEN),
    ("Mutation.clientWissen", CLIENT_WISSEN),
    ("Mutation.coachToevoegen", COACH_TOEVOEGEN),
    ("Mutation.coachVerwijderen", COACH_VERWIJDEREN),
];

/// Mutations that touch no person-level data and so write no access-log entry: the release of
/// anonymised figures (stored in a stream of its own, with who made it).
pub const ZONDER_PERSOONSGEGEVENS: &[&str] = &[
    "Mutation.cijfersVrijgeven",
    "Mutation.kwaliteitsrapportVrijgeven",
    "Mutation.businesscaseVrijgeven",
];

/// Fields that show no client's data and are logged all the same: the signals name staff users
/// and what they accessed.
pub const OOK_GELOGD: &[(&str, &str)] = &[("Query.signalen", TOEGANGSLOG_SIGNALEN)];

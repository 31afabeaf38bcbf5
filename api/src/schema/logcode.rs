//! The access-log event code of every root field that touches person-level data.
//!
//! [`LOGCODES`] is the one table of which field writes which code. A test walks the schema's
//! types and fails if a field that reaches person-level data (a type with a `clientId` or
//! `clients` field, a `clientId` argument, or any mutation) is missing here; the end-to-end test
//! runs each field, allowed and refused, and checks that it writes exactly one entry with its code.

/// Searching or listing a caseload.
pub const CASELOAD_ZOEKEN: &str = "caseload.zoeken";
/// Following a caseload live.
pub const CASELOAD_VOLGEN: &str = "caseload.volgen";
/// Reading one trajectory.
pub const TRAJECT_LEZEN: &str = "traject.lezen";
/// Reading the access log.
pub const TOEGANGSLOG_LEZEN: &str = "toegangslog.lezen";
/// Reading who accessed one client's file.
pub const TOEGANGSLOG_OVERZICHT: &str = "toegangslog.overzicht";
/// Referring a trajectory.
pub const TRAJECT_AANMELDEN: &str = "traject.aanmelden";
/// Recording an intake.
pub const INTAKE_AFRONDEN: &str = "intake.afronden";
/// Assigning a coach.
pub const COACH_TOEWIJZEN: &str = "coach.toewijzen";
/// Recording an employer contact.
pub const WERKGEVERSCONTACT: &str = "werkgeverscontact.vastleggen";
/// Starting a placement.
pub const PLAATSING_STARTEN: &str = "plaatsing.starten";
/// Ending a placement.
pub const PLAATSING_BEEINDIGEN: &str = "plaatsing.beeindigen";
/// Lowering support to waakvlam.
pub const WAAKVLAM_INZETTEN: &str = "waakvlam.inzetten";
/// Scaling support up.
pub const OPSCHALEN: &str = "opschaling.vastleggen";
/// Closing a trajectory.
pub const AFSLUITEN: &str = "traject.afsluiten";
/// Reopening a trajectory.
pub const HEROPENEN: &str = "traject.heropenen";
/// Retracting an event.
pub const INTREKKEN: &str = "gebeurtenis.intrekken";
/// Reading a client's personal data.
pub const PERSOON_LEZEN: &str = "persoon.lezen";
/// Recording or changing a client's personal data.
pub const PERSOON_VASTLEGGEN: &str = "persoon.vastleggen";
/// Erasing a client's personal data.
pub const CLIENT_WISSEN: &str = "client.wissen";

/// `Type.field` of each root field that touches person-level data, and the code it logs.
pub const LOGCODES: &[(&str, &str)] = &[
    ("Query.caseload", CASELOAD_ZOEKEN),
    ("Query.traject", TRAJECT_LEZEN),
    ("Query.toegangslog", TOEGANGSLOG_LEZEN),
    ("Query.inzageOverzicht", TOEGANGSLOG_OVERZICHT),
    ("Subscription.caseloadGewijzigd", CASELOAD_VOLGEN),
    ("Mutation.aanmelden", TRAJECT_AANMELDEN),
    ("Mutation.intakeAfronden", INTAKE_AFRONDEN),
    ("Mutation.coachToewijzen", COACH_TOEWIJZEN),
    ("Mutation.werkgeverscontact", WERKGEVERSCONTACT),
    ("Mutation.plaatsingStarten", PLAATSING_STARTEN),
    ("Mutation.plaatsingBeeindigen", PLAATSING_BEEINDIGEN),
    ("Mutation.waakvlamInzetten", WAAKVLAM_INZETTEN),
    ("Mutation.opschalen", OPSCHALEN),
    ("Mutation.afsluiten", AFSLUITEN),
    ("Mutation.heropenen", HEROPENEN),
    ("Mutation.intrekken", INTREKKEN),
    ("Query.persoon", PERSOON_LEZEN),
    ("Mutation.persoonsgegevensVastleggen", PERSOON_VASTLEGGEN),
    ("Mutation.clientWissen", CLIENT_WISSEN),
];

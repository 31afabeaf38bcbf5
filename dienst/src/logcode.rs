//! The access-log event code of every kind of access to person-level data (NEN 7513's event
//! code). The API's table of which GraphQL field writes which code is `api`'s `schema::logcode`.

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
/// Reading the signals of unusual access.
pub const TOEGANGSLOG_SIGNALEN: &str = "toegangslog.signalen";
/// Checking the access log's chain.
pub const TOEGANGSLOG_CONTROLEREN: &str = "toegangslog.controleren";
/// Storing and exporting a checkpoint of the access log's head.
pub const TOEGANGSLOG_CHECKPOINT: &str = "toegangslog.checkpoint";
/// Referring a trajectory.
pub const TRAJECT_AANMELDEN: &str = "traject.aanmelden";
/// Trajectories imported from a file (a teamleider).
pub const TRAJECT_IMPORTEREN: &str = "traject.importeren";
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
/// Changing the hours of a running placement.
pub const UREN_WIJZIGEN: &str = "plaatsing.uren_wijzigen";
/// Lowering support to waakvlam.
pub const WAAKVLAM_INZETTEN: &str = "waakvlam.inzetten";
/// Scaling support up.
pub const OPSCHALEN: &str = "opschaling.vastleggen";
/// Closing a trajectory.
pub const AFSLUITEN: &str = "traject.afsluiten";
/// Reopening a trajectory.
pub const HEROPENEN: &str = "traject.heropenen";
/// Planning a trajectory's next action.
pub const ACTIE_PLANNEN: &str = "actie.plannen";
/// Retracting an event.
pub const INTREKKEN: &str = "gebeurtenis.intrekken";
/// Reading a client's personal data.
pub const PERSOON_LEZEN: &str = "persoon.lezen";
/// Recording or changing a client's personal data.
pub const PERSOON_VASTLEGGEN: &str = "persoon.vastleggen";
/// Erasing a client's personal data.
pub const CLIENT_WISSEN: &str = "client.wissen";

/// A coach joining an organisation's team.
pub const COACH_TOEVOEGEN: &str = "team.toevoegen";
/// A coach leaving an organisation's team.
pub const COACH_VERWIJDEREN: &str = "team.verwijderen";

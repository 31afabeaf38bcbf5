//! Why a command was refused or an event does not fit a trajectory's history.
//!
//! Each rule of the event catalogue has its own variant; [`DomainError::veld`] names the field a
//! form should mark and [`DomainError::regel`] gives a stable code for the rule. Messages never
//! contain personal data: they name fields, dates and ids, never names or free text.

use chrono::NaiveDate;

use crate::value::{Datum, EventId, PlaatsingId, ValueError};

/// A refusal by the trajectory's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The command was decided on another revision than the stream has now.
    #[error("conflict: besloten op revisie {expected:?}, het traject staat op revisie {actual:?}")]
    Conflict {
        /// The revision the command was decided on (`None`: no stream).
        expected: Option<u64>,
        /// The stream's current revision (`None`: no stream).
        actual: Option<u64>,
    },
    /// A value broke its own rule.
    #[error(transparent)]
    OngeldigeWaarde(#[from] ValueError),
    /// The domain date lies after today.
    #[error("de datum ({datum}) ligt na vandaag ({vandaag})")]
    DatumInDeToekomst {
        /// The event's date.
        datum: Datum,
        /// Today, as given to the domain.
        vandaag: NaiveDate,
    },
    /// The domain date lies before the date from which events are accepted: the aanmelding, or
    /// the latest heropening.
    #[error("de datum ({datum}) ligt voor de aanmelding of de laatste heropening ({ondergrens})")]
    DatumVoorBegin {
        /// The event's date.
        datum: Datum,
        /// The earliest date allowed.
        ondergrens: Datum,
    },
    /// The event id is already used in this stream.
    #[error("dit eventId ({0}) is in dit traject al gebruikt voor een andere gebeurtenis")]
    EventIdAlGebruikt(EventId),
    /// The first event of a trajectory must be its aanmelding.
    #[error("het traject is nog niet aangemeld: de eerste gebeurtenis moet de aanmelding zijn")]
    NietAangemeld,
    /// A trajectory is referred once.
    #[error("het traject is al aangemeld")]
    AlAangemeld,
    /// Only TrajectHeropend (or retracting the closing itself) is allowed on a closed trajectory.
    #[error("het traject is afgesloten: alleen heropenen is toegestaan")]
    TrajectAfgesloten,
    /// Heropenen needs a closed trajectory.
    #[error("het traject is niet afgesloten")]
    TrajectNietAfgesloten,
    /// The intake is completed once.
    #[error("de intake is al afgerond")]
    IntakeAlAfgerond,
    /// This event needs a completed intake.
    #[error("de intake is nog niet afgerond")]
    IntakeNietAfgerond,
    /// This event cannot lie before the intake.
    #[error("de datum ({datum}) ligt voor de intake ({intake})")]
    DatumVoorIntake {
        /// The event's date.
        datum: Datum,
        /// The intake's date.
        intake: Datum,
    },
    /// The coach assigned is already the trajectory's coach.
    #[error("deze coach is al de coach van het traject")]
    CoachAlToegewezen,
    /// A placement id is used once per trajectory.
    #[error("plaatsing {0} bestaat al in dit traject")]
    PlaatsingBestaatAl(PlaatsingId),
    /// The placement is not part of this trajectory.
    #[error("plaatsing {0} bestaat niet in dit traject")]
    PlaatsingOnbekend(PlaatsingId),
    /// The placement has already ended.
    #[error("plaatsing {0} is al beëindigd")]
    PlaatsingLooptNiet(PlaatsingId),
    /// A placement cannot end before it started.
    #[error("het einde ({datum}) ligt voor de start van de plaatsing ({start})")]
    EindeVoorStart {
        /// The end date given.
        datum: Datum,
        /// The placement's start.
        start: Datum,
    },
    /// A fixed-term contract cannot end before it starts.
    #[error(
        "de einddatum van het contract ({einddatum}) ligt voor de start van de plaatsing ({start})"
    )]
    ContractEindeVoorStart {
        /// The contract's end date.
        einddatum: Datum,
        /// The placement's start.
        start: Datum,
    },
    /// A change of hours lies outside the days the placement runs.
    #[error("de urenwijziging ({datum}) valt buiten de plaatsing (van {start}{})", einde.map(|e| format!(" tot en met {e}")).unwrap_or_default())]
    UrenwijzigingBuitenPlaatsing {
        /// The change's date.
        datum: Datum,
        /// The placement's first day.
        start: Datum,
        /// Its last day of work, if known.
        einde: Option<NaiveDate>,
    },
    /// Changes of hours are recorded in date order.
    #[error(
        "de urenwijziging ({datum}) ligt voor de vorige urenwijziging van deze plaatsing ({vorige})"
    )]
    UrenwijzigingVoorVorige {
        /// The change's date.
        datum: Datum,
        /// The date of the placement's latest change.
        vorige: Datum,
    },
    /// A change of hours changes them.
    #[error("de plaatsing heeft op die datum al deze uren per week")]
    UrenOngewijzigd,
    /// A placement cannot end before a change of its hours.
    #[error(
        "het einde ({datum}) ligt voor de laatste urenwijziging van de plaatsing ({wijziging})"
    )]
    EindeVoorUrenwijziging {
        /// The end date given.
        datum: Datum,
        /// The date of the latest change of hours.
        wijziging: Datum,
    },
    /// Closing as DuurzaamAanHetWerk while duurzaam was not reached by the closing date: the
    /// figures would contradict themselves. Asked to confirm, or to choose another reason.
    #[error(
        "duurzaam is op {datum} niet bereikt; kies een andere reden of bevestig dat de client duurzaam aan het werk is"
    )]
    DuurzaamNietBereikt {
        /// The closing date.
        datum: Datum,
    },
    /// Waakvlam is only set from intensive support.
    #[error("de ondersteuning staat al op waakvlam")]
    AlWaakvlam,
    /// Waakvlam needs a placement that is running on its date.
    #[error("waakvlam kan alleen als er op die datum een plaatsing loopt")]
    GeenLopendePlaatsing,
    /// Opschalen needs support at waakvlam.
    #[error("opschalen kan alleen vanuit waakvlam")]
    NietInWaakvlam,
    /// Opschalen cannot lie before the waakvlam it ends.
    #[error("de datum ({datum}) ligt voor het inzetten van de waakvlam ({waakvlam})")]
    DatumVoorWaakvlam {
        /// The event's date.
        datum: Datum,
        /// The waakvlam's date.
        waakvlam: Datum,
    },
    /// A waakvlam period starts on or after the day the previous one ended (opschaling):
    /// periods do not overlap in domain time.
    #[error("de waakvlam ({datum}) valt in een eerdere waakvlamperiode, die op {einde} eindigde")]
    WaakvlamOverlapt {
        /// The new waakvlam's date.
        datum: Datum,
        /// The day the previous waakvlam period ended.
        einde: Datum,
    },
    /// A trajectory cannot close before the last thing that happened in it.
    #[error("de afsluiting ({datum}) ligt voor de laatste gebeurtenis ({laatste})")]
    AfsluitingVoorLaatsteGebeurtenis {
        /// The closing date given.
        datum: Datum,
        /// The latest domain date in the trajectory.
        laatste: Datum,
    },
    /// Heropenen cannot lie before the closing.
    #[error("de heropening ({datum}) ligt voor de afsluiting ({afsluiting})")]
    HeropeningVoorAfsluiting {
        /// The reopening date given.
        datum: Datum,
        /// The closing date.
        afsluiting: Datum,
    },
    /// Retraction names an event that is not in this stream.
    #[error("gebeurtenis {0} bestaat niet in dit traject")]
    GebeurtenisOnbekend(EventId),
    /// Retraction names an event already retracted.
    #[error("gebeurtenis {0} is al ingetrokken")]
    AlIngetrokken(EventId),
    /// A retraction is not retracted; the event is recorded again instead.
    #[error("een intrekking kan niet worden ingetrokken; leg de gebeurtenis opnieuw vast")]
    IntrekkingVanIntrekking(EventId),
    /// An erasure of personal data is final: its marker cannot be retracted.
    #[error("het wissen van persoonsgegevens kan niet worden ingetrokken")]
    WissingNietIntrekbaar(EventId),
    /// The aanmelding starts the trajectory and cannot be retracted (the trajectory would be
    /// left without a start); a trajectory that does not go on is closed.
    #[error(
        "de aanmelding kan niet worden ingetrokken; sluit het traject af als het niet doorgaat"
    )]
    AanmeldingNietIntrekbaar(EventId),
    /// A next action is planned for the day it is planned or later.
    #[error("de actie is gepland voor {op}, voor de dag waarop ze gepland wordt ({datum})")]
    ActieVoorPlanning {
        /// The day the action is planned for.
        op: Datum,
        /// The day it was planned.
        datum: Datum,
    },
    /// A next action lies at most a year ahead: further than that is not a next action.
    #[error("de actie is gepland voor {op}, meer dan een jaar na {datum}")]
    ActieTeVerVooruit {
        /// The day the action is planned for.
        op: Datum,
        /// The day it was planned.
        datum: Datum,
    },
    /// A trajectory's client is erased once.
    #[error("de persoonsgegevens van deze client zijn al gewist")]
    AlGewist,
    /// Without the retracted event the rest of the stream would break a rule.
    #[error("zonder gebeurtenis {event_id} klopt de rest van het traject niet meer: {reden}")]
    IntrekkingMaaktGeschiedenisOngeldig {
        /// The event that was to be retracted.
        event_id: EventId,
        /// The rule that a remaining event would break.
        reden: Box<DomainError>,
    },
    /// A client belongs to the organisation that first referred them; another organisation
    /// cannot refer them under the same id.
    #[error("deze client hoort bij een andere organisatie")]
    ClientVanAndereOrganisatie,
    /// An erased client is not referred again under the same id.
    #[error(
        "de persoonsgegevens van deze client zijn gewist; meld de persoon aan als nieuwe client"
    )]
    ClientGewist,
    /// Only a current coach of the organisation's team can be named as a trajectory's coach.
    #[error("deze coach hoort niet (meer) bij het team van de organisatie")]
    CoachNietInTeam,
    /// A coach joins a team once.
    #[error("deze coach hoort al bij het team")]
    CoachAlInTeam,
}

impl DomainError {
    /// The field of the command a form should mark, if the refusal is about one field.
    pub fn veld(&self) -> Option<&str> {
        use DomainError::*;
        match self {
            OngeldigeWaarde(e) => Some(&e.veld),
            DatumInDeToekomst { .. }
            | DatumVoorBegin { .. }
            | DatumVoorIntake { .. }
            | EindeVoorStart { .. }
            | UrenwijzigingBuitenPlaatsing { .. }
            | UrenwijzigingVoorVorige { .. }
            | EindeVoorUrenwijziging { .. }
            | DatumVoorWaakvlam { .. }
            | WaakvlamOverlapt { .. }
            | AfsluitingVoorLaatsteGebeurtenis { .. }
            | HeropeningVoorAfsluiting { .. } => Some("datum"),
            EventIdAlGebruikt(_) => Some("id"),
            GebeurtenisOnbekend(_)
            | AlIngetrokken(_)
            | IntrekkingVanIntrekking(_)
            | WissingNietIntrekbaar(_)
            | AanmeldingNietIntrekbaar(_)
            | IntrekkingMaaktGeschiedenisOngeldig { .. } => Some("event_id"),
            CoachAlToegewezen | CoachNietInTeam | CoachAlInTeam => Some("coach"),
            ClientVanAndereOrganisatie | ClientGewist => Some("client_id"),
            PlaatsingBestaatAl(_) | PlaatsingOnbekend(_) | PlaatsingLooptNiet(_) => {
                Some("plaatsing_id")
            }
            ContractEindeVoorStart { .. } => Some("contract.einddatum"),
            UrenOngewijzigd => Some("uren_per_week"),
            ActieVoorPlanning { .. } | ActieTeVerVooruit { .. } => Some("op"),
            DuurzaamNietBereikt { .. } => Some("reden"),
            Conflict { .. }
            | NietAangemeld
            | AlAangemeld
            | TrajectAfgesloten
            | TrajectNietAfgesloten
            | IntakeAlAfgerond
            | IntakeNietAfgerond
            | AlWaakvlam
            | GeenLopendePlaatsing
            | NietInWaakvlam
            | AlGewist => None,
        }
    }

    /// A stable code for the broken rule, for clients that translate or test refusals.
    pub fn regel(&self) -> &'static str {
        use DomainError::*;
        match self {
            Conflict { .. } => "conflict",
            OngeldigeWaarde(_) => "ongeldige_waarde",
            DatumInDeToekomst { .. } => "datum_in_de_toekomst",
            DatumVoorBegin { .. } => "datum_voor_begin",
            EventIdAlGebruikt(_) => "event_id_al_gebruikt",
            NietAangemeld => "niet_aangemeld",
            AlAangemeld => "al_aangemeld",
            TrajectAfgesloten => "traject_afgesloten",
            TrajectNietAfgesloten => "traject_niet_afgesloten",
            IntakeAlAfgerond => "intake_al_afgerond",
            IntakeNietAfgerond => "intake_niet_afgerond",
            DatumVoorIntake { .. } => "datum_voor_intake",
            CoachAlToegewezen => "coach_al_toegewezen",
            PlaatsingBestaatAl(_) => "plaatsing_bestaat_al",
            PlaatsingOnbekend(_) => "plaatsing_onbekend",
            PlaatsingLooptNiet(_) => "plaatsing_loopt_niet",
            EindeVoorStart { .. } => "einde_voor_start",
            UrenwijzigingBuitenPlaatsing { .. } => "urenwijziging_buiten_plaatsing",
            UrenwijzigingVoorVorige { .. } => "urenwijziging_voor_vorige",
            UrenOngewijzigd => "uren_ongewijzigd",
            ActieVoorPlanning { .. } => "actie_voor_planning",
            ActieTeVerVooruit { .. } => "actie_te_ver_vooruit",
            EindeVoorUrenwijziging { .. } => "einde_voor_urenwijziging",
            DuurzaamNietBereikt { .. } => "duurzaam_niet_bereikt",
            ContractEindeVoorStart { .. } => "contract_einde_voor_start",
            AlWaakvlam => "al_waakvlam",
            WaakvlamOverlapt { .. } => "waakvlam_overlapt",
            GeenLopendePlaatsing => "geen_lopende_plaatsing",
            NietInWaakvlam => "niet_in_waakvlam",
            DatumVoorWaakvlam { .. } => "datum_voor_waakvlam",
            AfsluitingVoorLaatsteGebeurtenis { .. } => "afsluiting_voor_laatste_gebeurtenis",
            HeropeningVoorAfsluiting { .. } => "heropening_voor_afsluiting",
            GebeurtenisOnbekend(_) => "gebeurtenis_onbekend",
            AlIngetrokken(_) => "al_ingetrokken",
            IntrekkingVanIntrekking(_) => "intrekking_van_intrekking",
            WissingNietIntrekbaar(_) => "wissing_niet_intrekbaar",
            AanmeldingNietIntrekbaar(_) => "aanmelding_niet_intrekbaar",
            AlGewist => "al_gewist",
            IntrekkingMaaktGeschiedenisOngeldig { .. } => "intrekking_maakt_geschiedenis_ongeldig",
            ClientVanAndereOrganisatie => "client_van_andere_organisatie",
            ClientGewist => "client_gewist",
            CoachNietInTeam => "coach_niet_in_team",
            CoachAlInTeam => "coach_al_in_team",
        }
    }
}

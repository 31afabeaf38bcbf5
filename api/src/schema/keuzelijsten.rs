//! The domain's closed lists as GraphQL enums, with the glossary's values (`IPS`, `GGZ`, `UWV`,
//! `DuurzaamAanHetWerk`): what the event catalogue stores is what the API speaks. Each is the
//! remote of the domain's own enum, so a value added to the domain and not here does not
//! compile; a schema test holds each enum's values to the domain's names.

use async_graphql::Enum;

macro_rules! keuzelijst {
    ($(#[$doc:meta])* $naam:ident => $remote:literal { $($variant:ident = $tekst:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
        #[graphql(remote = $remote)]
        // the values are the glossary's, documented on the domain's enum
        pub enum $naam {
            $(
                #[graphql(name = $tekst)]
                $variant,
            )+
        }
    };
}

keuzelijst!(
    /// The method a trajectory follows.
    Methode => "traject_domain::value::Methode" {
        Ips = "IPS",
        Jobcoaching = "Jobcoaching",
        WerkAlsBesteZorg = "WerkAlsBesteZorg",
    }
);
keuzelijst!(
    /// Who referred the client.
    Verwijzer => "traject_domain::value::Verwijzer" {
        Ggz = "GGZ",
        Gemeente = "Gemeente",
        Uwv = "UWV",
        Zorgverzekeraar = "Zorgverzekeraar",
        Client = "Client",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Who pays for the trajectory.
    Financier => "traject_domain::value::Financier" {
        Gemeente = "Gemeente",
        Uwv = "UWV",
        Zorgverzekeraar = "Zorgverzekeraar",
        Ggz = "GGZ",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// The client's benefit at intake.
    Uitkering => "traject_domain::value::Uitkering" {
        Participatiewet = "Participatiewet",
        Wia = "WIA",
        Wajong = "Wajong",
        Ww = "WW",
        Zw = "ZW",
        Geen = "Geen",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why a placement ended.
    BeeindigingsReden => "traject_domain::value::BeeindigingsReden" {
        ContractAfgelopen = "ContractAfgelopen",
        OntslagWerkgever = "OntslagWerkgever",
        OntslagWerknemer = "OntslagWerknemer",
        Ziekte = "Ziekte",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why support was scaled up again from waakvlam.
    OpschalingsReden => "traject_domain::value::OpschalingsReden" {
        Werkproblemen = "Werkproblemen",
        PsychischeKlachten = "PsychischeKlachten",
        Baanverlies = "Baanverlies",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why a trajectory was closed.
    AfsluitingsReden => "traject_domain::value::AfsluitingsReden" {
        DuurzaamAanHetWerk = "DuurzaamAanHetWerk",
        Uitval = "Uitval",
        Verhuisd = "Verhuisd",
        GeenWerkwens = "GeenWerkwens",
        Overleden = "Overleden",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why a closed trajectory was reopened.
    HeropeningsReden => "traject_domain::value::HeropeningsReden" {
        NieuweHulpvraag = "NieuweHulpvraag",
        TeVroegAfgesloten = "TeVroegAfgesloten",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why a client's personal data was erased.
    WisReden => "traject_domain::value::WisReden" {
        VerzoekClient = "VerzoekClient",
        BewaartermijnVerstreken = "BewaartermijnVerstreken",
        Onrechtmatig = "Onrechtmatig",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// The kind of a trajectory's next action.
    ActieSoort => "traject_domain::value::ActieSoort" {
        Gesprek = "Gesprek",
        Werkgeverscontact = "Werkgeverscontact",
        Werkplekbezoek = "Werkplekbezoek",
        AfstemmingBehandelaar = "AfstemmingBehandelaar",
        AfstemmingFinancier = "AfstemmingFinancier",
        Evaluatie = "Evaluatie",
        Anders = "Anders",
    }
);
keuzelijst!(
    /// Why an event was retracted.
    IntrekkingsReden => "traject_domain::value::IntrekkingsReden" {
        Invoerfout = "Invoerfout",
        VerkeerdeDatum = "VerkeerdeDatum",
        VerkeerdTraject = "VerkeerdTraject",
        Anders = "Anders",
    }
);

/// The form of an employment contract (a `Tijdelijk` contract also names its last day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(rename_items = "PascalCase")]
// the values are the glossary's, documented on the domain's `Contract`
pub enum Contract {
    Vast,
    Tijdelijk,
    Uitzend,
    Oproep,
    Zelfstandig,
}

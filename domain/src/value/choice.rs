//! The closed enumerations of the event catalogue.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ValueError;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident, $veld:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum $name {
            $(
                #[doc = $text]
                $variant,
            )+
        }

        impl $name {
            /// The field name in the event catalogue.
            pub const VELD: &'static str = $veld;
            /// Every value, in catalogue order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's name as stored and as shown in the API.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Parses the value's name (any case).
            pub fn parse(text: &str) -> Result<Self, ValueError> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(text))
                    .ok_or_else(|| ValueError::new(
                        Self::VELD,
                        concat!("moet een van ", $($text, " ",)+ "zijn"),
                    ))
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(text: String) -> Result<Self, ValueError> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(text: &str) -> Result<Self, ValueError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice!(
    /// The method a trajectory follows.
    Methode, "methode" {
        Ips = "IPS",
        Jobcoaching = "Jobcoaching",
        WerkAlsBesteZorg = "WerkAlsBesteZorg",
    }
);
choice!(
    /// Who referred the client.
    Verwijzer, "verwijzer" {
        Ggz = "GGZ",
        Gemeente = "Gemeente",
        Uwv = "UWV",
        Zorgverzekeraar = "Zorgverzekeraar",
        Client = "Client",
        Anders = "Anders",
    }
);
choice!(
    /// Who pays for the trajectory.
    Financier, "financier" {
        Gemeente = "Gemeente",
        Uwv = "UWV",
        Zorgverzekeraar = "Zorgverzekeraar",
        Ggz = "GGZ",
        Anders = "Anders",
    }
);
choice!(
    /// The client's benefit at intake.
    Uitkering, "uitkering" {
        Participatiewet = "Participatiewet",
        Wia = "WIA",
        Wajong = "Wajong",
        Ww = "WW",
        Zw = "ZW",
        Geen = "Geen",
        Anders = "Anders",
    }
);
choice!(
    /// Why a placement ended.
    BeeindigingsReden, "reden" {
        ContractAfgelopen = "ContractAfgelopen",
        OntslagWerkgever = "OntslagWerkgever",
        OntslagWerknemer = "OntslagWerknemer",
        Ziekte = "Ziekte",
        Anders = "Anders",
    }
);
choice!(
    /// Why support was scaled up again from waakvlam.
    OpschalingsReden, "reden" {
        Werkproblemen = "Werkproblemen",
        PsychischeKlachten = "PsychischeKlachten",
        Baanverlies = "Baanverlies",
        Anders = "Anders",
    }
);
choice!(
    /// Why a trajectory was closed.
    AfsluitingsReden, "reden" {
        DuurzaamAanHetWerk = "DuurzaamAanHetWerk",
        Uitval = "Uitval",
        Verhuisd = "Verhuisd",
        GeenWerkwens = "GeenWerkwens",
        Overleden = "Overleden",
        Anders = "Anders",
    }
);
choice!(
    /// Why a closed trajectory was reopened. A closed list rather than free text, so that nothing
    /// about a client's health can end up in an event.
    HeropeningsReden, "reden" {
        NieuweHulpvraag = "NieuweHulpvraag",
        TeVroegAfgesloten = "TeVroegAfgesloten",
        Anders = "Anders",
    }
);
choice!(
    /// Why a client's personal data was erased. A closed list: the reason is stored in the
    /// erasure marker of each trajectory, where free text could name the person again.
    WisReden, "reden" {
        VerzoekClient = "VerzoekClient",
        BewaartermijnVerstreken = "BewaartermijnVerstreken",
        Onrechtmatig = "Onrechtmatig",
        Anders = "Anders",
    }
);
choice!(
    /// The kind of a trajectory's next action, as a coach plans it. A closed list: what is planned
    /// is a kind of contact, never free text about the client or their health.
    ActieSoort, "actie" {
        Gesprek = "Gesprek",
        Werkgeverscontact = "Werkgeverscontact",
        Werkplekbezoek = "Werkplekbezoek",
        AfstemmingBehandelaar = "AfstemmingBehandelaar",
        AfstemmingFinancier = "AfstemmingFinancier",
        Evaluatie = "Evaluatie",
        Anders = "Anders",
    }
);
choice!(
    /// Why an event was retracted. A closed list for the same reason as [`HeropeningsReden`].
    IntrekkingsReden, "reden" {
        Invoerfout = "Invoerfout",
        VerkeerdeDatum = "VerkeerdeDatum",
        VerkeerdTraject = "VerkeerdTraject",
        Anders = "Anders",
    }
);

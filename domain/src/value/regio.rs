//! The 35 Dutch labour-market regions (arbeidsmarktregio's), by their CBS code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ValueError;

macro_rules! regios {
    ($($variant:ident = $code:literal, $naam:literal;)+) => {
        /// An arbeidsmarktregio: exactly the 35 CBS codes with their names as used from 2024.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub enum Regio {
            $(
                #[doc = $naam]
                $variant,
            )+
        }

        impl Regio {
            /// Every region, in the order of their codes.
            pub const ALL: [Regio; 35] = [$(Regio::$variant),+];

            /// The CBS code, for example `AM03`.
            pub fn code(&self) -> &'static str {
                match self { $(Regio::$variant => $code,)+ }
            }

            /// The region's name, for example `Drenthe`.
            pub fn naam(&self) -> &'static str {
                match self { $(Regio::$variant => $naam,)+ }
            }
        }
    };
}

regios! {
    Am01 = "AM01", "Groningen";
    Am02 = "AM02", "Friesland";
    Am03 = "AM03", "Drenthe";
    Am05 = "AM05", "Twente";
    Am06 = "AM06", "Veluwe Stedendriehoek";
    Am07 = "AM07", "Midden-Gelderland";
    Am08 = "AM08", "Rijk van Nijmegen";
    Am09 = "AM09", "Achterhoek";
    Am10 = "AM10", "Rivierenland";
    Am11 = "AM11", "Flevoland";
    Am12 = "AM12", "Gooi en Vechtstreek";
    Am13 = "AM13", "Midden-Utrecht";
    Am14 = "AM14", "Amersfoort";
    Am15 = "AM15", "Noord-Holland Noord";
    Am17 = "AM17", "Zaanstreek/Waterland";
    Am18 = "AM18", "Groot Amsterdam";
    Am19 = "AM19", "Holland Rijnland";
    Am20 = "AM20", "Midden-Holland";
    Am21 = "AM21", "Haaglanden";
    Am22 = "AM22", "Rijnmond";
    Am23 = "AM23", "Drechtsteden";
    Am24 = "AM24", "Zeeland";
    Am25 = "AM25", "West-Brabant";
    Am26 = "AM26", "Midden-Brabant";
    Am27 = "AM27", "Noordoost-Brabant";
    Am28 = "AM28", "Zuidoost-Brabant";
    Am29 = "AM29", "Noord-Limburg";
    Am30 = "AM30", "Zuid-Limburg";
    Am32 = "AM32", "Helmond-De Peel";
    Am33 = "AM33", "Midden-Limburg";
    Am34 = "AM34", "Zuid-Holland Centraal";
    Am35 = "AM35", "Gorinchem";
    Am36 = "AM36", "Regio Zwolle";
    Am37 = "AM37", "Zuid-Kennemerland en IJmond";
    Am38 = "AM38", "FoodValley";
}

impl Regio {
    /// The field name in the event catalogue.
    pub const VELD: &'static str = "regio";

    /// Parses a CBS code (`AM03`, any case) or a region's name (`Drenthe`, any case).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(text) || r.naam().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                ValueError::new(
                    Self::VELD,
                    "moet een van de 35 arbeidsmarktregio's zijn (code AMxx of naam)",
                )
            })
    }
}

impl TryFrom<String> for Regio {
    type Error = ValueError;
    fn try_from(text: String) -> Result<Self, ValueError> {
        Self::parse(&text)
    }
}

impl From<Regio> for String {
    fn from(regio: Regio) -> String {
        regio.code().to_owned()
    }
}

impl FromStr for Regio {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        Self::parse(text)
    }
}

impl fmt::Display for Regio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

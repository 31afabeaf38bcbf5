//! Value objects: newtypes that can only be made through a parsing constructor, so that an
//! invalid value cannot exist anywhere in traject.
//!
//! Every constructor fails with a [`ValueError`] that names the field and the broken rule. The
//! error never repeats the rejected input: input may be personal data, and errors end up in logs.

mod afgeschermd;
mod choice;
mod datum;
mod ids;
mod persoon;
mod regio;
mod text;
mod uren;

use std::borrow::Cow;

pub use afgeschermd::{Afgeschermd, Verzegeling};
pub use choice::{
    ActieSoort, AfsluitingsReden, BeeindigingsReden, Financier, HeropeningsReden, IntrekkingsReden,
    Methode, OpschalingsReden, Uitkering, Verwijzer, WisReden,
};
pub use datum::Datum;
pub use ids::{ClientId, EventId, PlaatsingId, TrajectId};
pub use persoon::{Bsn, Email, Geboortedatum, Naam, Persoonsgegevens, Telefoon, elfproef};
pub use regio::Regio;
pub use text::{CoachId, Functie, OrganisatieId, Werkgever, genegeerd, onzichtbaar, uit_naam};
pub use uren::UrenPerWeek;

/// A value that broke one of its rules: which field, and which rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{veld}: {regel}")]
pub struct ValueError {
    /// The field, as named in the event catalogue (for example `uren_per_week`).
    pub veld: Cow<'static, str>,
    /// The rule that the value broke, in words a coach understands.
    pub regel: Cow<'static, str>,
}

impl ValueError {
    /// An error for `veld` that broke `regel`.
    pub fn new(veld: impl Into<Cow<'static, str>>, regel: impl Into<Cow<'static, str>>) -> Self {
        Self {
            veld: veld.into(),
            regel: regel.into(),
        }
    }

    /// The same error reported for another field, for a value used under another name (for
    /// example a [`Datum`] that is a contract's `einddatum`).
    #[must_use]
    pub fn in_veld(mut self, veld: impl Into<Cow<'static, str>>) -> Self {
        self.veld = veld.into();
        self
    }
}

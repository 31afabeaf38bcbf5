//! Caseloads (with their rows, or only their count) and the IPS indicators.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{ErrorAnswer, Gebruiker, VolgendeActie};

/// Which caseload, on which day, searched how.
#[derive(Debug, Clone, Default)]
pub struct CaseloadVraag<'a> {
    /// The organisation's (teamleider) instead of the caller's own.
    pub organisatie: bool,
    pub peildatum: Option<&'a str>,
    pub zoek: Option<&'a str>,
}

impl<'a> CaseloadVraag<'a> {
    /// The caller's own caseload, today.
    pub fn eigen() -> Self {
        Self::default()
    }

    /// The caller's organisation's caseload, today.
    pub fn organisatie() -> Self {
        CaseloadVraag {
            organisatie: true,
            ..Self::default()
        }
    }

    /// The same, of the clients whose names match `zoek`.
    pub fn zoek(mut self, zoek: &'a str) -> Self {
        self.zoek = Some(zoek);
        self
    }

    /// The same, on `peildatum`.
    pub fn op(mut self, peildatum: &'a str) -> Self {
        self.peildatum = Some(peildatum);
        self
    }

    fn variabelen(&self) -> Value {
        json!({"organisatie": self.organisatie, "peildatum": self.peildatum, "zoek": self.zoek})
    }
}

/// A page of a caseload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Caseload {
    pub totaal: u64,
    pub items: Vec<CaseloadItem>,
}

/// One row of a caseload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseloadItem {
    pub traject_id: String,
    pub client_id: String,
    pub naam: Option<String>,
    pub coach: Option<String>,
    pub fase: String,
    pub volgende_actie: Option<VolgendeActie>,
    pub werkgeverscontact_uiterlijk: Option<String>,
    pub aandacht: Vec<Aandachtspunt>,
}

/// A reason for attention on a caseload row.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Aandachtspunt {
    pub soort: String,
    pub op: Option<String>,
    pub actie: Option<String>,
}

/// IPS indicators.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ips {
    pub actieve_caseload: u64,
    pub plaatsingen: u64,
}

impl Gebruiker<'_> {
    /// A caseload with its rows (each row's client counts as read).
    pub async fn caseload(&self, vraag: CaseloadVraag<'_>) -> Result<Caseload, ErrorAnswer> {
        let query = "query($organisatie: Boolean!, $peildatum: NaiveDate, $zoek: String) {
          caseload(organisatie: $organisatie, peildatum: $peildatum, zoek: $zoek) {
            totaal items { trajectId clientId naam coach fase volgendeActie { actie op gepland }
                           werkgeverscontactUiterlijk aandacht { soort op actie } }
          }
        }";
        self.vraag("caseload", query, vraag.variabelen()).await
    }

    /// How many trajectories a caseload holds, without its rows (a count names no client).
    pub async fn caseload_totaal(&self, vraag: CaseloadVraag<'_>) -> Result<u64, ErrorAnswer> {
        #[derive(Deserialize)]
        struct Totaal {
            totaal: u64,
        }
        let query = "query($organisatie: Boolean!, $peildatum: NaiveDate, $zoek: String) {
          caseload(organisatie: $organisatie, peildatum: $peildatum, zoek: $zoek) { totaal }
        }";
        let t: Totaal = self.vraag("caseload", query, vraag.variabelen()).await?;
        Ok(t.totaal)
    }

    /// The IPS indicators of the caller's caseload, or of their organisation.
    pub async fn ips_indicatoren(&self, organisatie: bool) -> Result<Ips, ErrorAnswer> {
        let query = "query($o: Boolean!) { ipsIndicatoren(organisatie: $o) { actieveCaseload plaatsingen } }";
        self.vraag("ipsIndicatoren", query, json!({"o": organisatie}))
            .await
    }
}

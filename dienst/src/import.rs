//! Import of trajectories kept elsewhere (a spreadsheet, another registration), one trajectory
//! at a time, through the same rules as a coach recording by hand.
//!
//! Each row of a trajectory becomes a command that the domain decides on the state the rows
//! before it made ([`traject_domain::decide`]); the first refusal names its row, field and rule,
//! and nothing of that trajectory is written. A trajectory that passes is written in one
//! transaction with its client's registration and its access-log entry: atomic per trajectory.
//!
//! Event ids come from the caller (the file's content and the row), so importing the same rows
//! again changes nothing: a trajectory whose events are all stored is reported unchanged; one
//! whose stored events are the start of the imported ones (rows added to the file since) gets
//! the rest; any other difference is refused (`traject_anders_vastgelegd`).
//!
//! The client's personal data goes into the vault, never into an event or a report; an entry
//! the vault already holds is left as it is (it may have been corrected by hand since).

use chrono::NaiveDate;
use traject_domain::event::{PlaatsingBeeindigd, TrajectAangemeld, UrenGewijzigd};
use traject_domain::value::{
    BeeindigingsReden, ClientId, Datum, EventId, Financier, Methode, OrganisatieId,
    Persoonsgegevens, PlaatsingId, Regio, TrajectId, UrenPerWeek, Verwijzer,
};
use traject_domain::{Command, CommandKind, DomainError, Traject, apply, decide};
use traject_store::{ExpectedRevision, Position, StreamAppend};

use crate::laden;
use crate::toegang;
use crate::toegangslog::{Actie, Resultaat};
use crate::traject::{Opdracht, nieuwe_events, plaatsing_id_van, registratie};
use crate::{Dienst, DienstError, Inzage, Verzoeker, logcode};

/// One trajectory to import: who it belongs to and its rows, in the order to record them.
#[derive(Debug, Clone)]
pub struct ImportTraject {
    /// The organisation that keeps it.
    pub organisatie: OrganisatieId,
    /// The labour-market region of the organisation's client.
    pub regio: Regio,
    /// The client (derived by the caller, the same for every trajectory of one client).
    pub client_id: ClientId,
    /// The id of the aanmelding's event; the others are derived from it and their row.
    pub eerste_id: EventId,
    /// The aanmelding.
    pub aanmelding: ImportAanmelding,
    /// The rows after the aanmelding, in the order to record them.
    pub rijen: Vec<ImportRij>,
    /// The client's personal data, if the file holds it, with its row.
    pub persoon: Option<(usize, Persoonsgegevens)>,
}

/// The aanmelding of an imported trajectory.
#[derive(Debug, Clone)]
pub struct ImportAanmelding {
    /// Its row in the file, as the spreadsheet numbers it (the header is row 1).
    pub rij: usize,
    pub datum: NaiveDate,
    pub methode: Methode,
    pub verwijzer: Verwijzer,
    pub financier: Financier,
}

/// One row after the aanmelding.
#[derive(Debug, Clone)]
pub struct ImportRij {
    /// Its row in the file, for the report.
    pub rij: usize,
    /// The day it happened.
    pub datum: NaiveDate,
    /// What distinguishes it within the trajectory (`intake`, `plaatsing2-einde`); its event
    /// id is derived from it, so it must be the same for the same row in any file.
    pub sleutel: String,
    /// What it records.
    pub opdracht: ImportOpdracht,
}

/// What an imported row records. A placement's end and a change of hours concern the placement
/// running on that day (a file names no placement ids).
#[derive(Debug, Clone)]
pub enum ImportOpdracht {
    /// Any command a coach or teamleider gives.
    Opdracht(Opdracht),
    /// The end of the placement started by the row with key `start`, or without it of the
    /// placement running (the last started that has not ended).
    PlaatsingBeeindigen {
        start: Option<String>,
        reden: BeeindigingsReden,
    },
    /// New hours of a placement, found as for its end.
    UrenWijzigen {
        start: Option<String>,
        uren: UrenPerWeek,
    },
}

/// What importing one trajectory did, or would do in a dry run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportUitkomst {
    /// Written: this many events, up to `positie`.
    Vastgelegd { events: usize, positie: Position },
    /// Its stored events were the start of these rows: the rest was written.
    Aangevuld { events: usize, positie: Position },
    /// Every row was imported before; nothing written.
    Ongewijzigd,
    /// A dry run: this many events would be written.
    Proef { events: usize },
}

/// Why a trajectory was not imported: the row, the field and the rule. Nothing of it was
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFout {
    /// The row in the file.
    pub rij: usize,
    /// The key of the row's event that was refused ([`ImportRij::sleutel`]); `None` for the
    /// aanmelding or the trajectory as a whole.
    pub sleutel: Option<String>,
    /// The refusal (its field as the domain names it, its rule and a message in Dutch).
    pub fout: DienstError,
}

impl ImportTraject {
    /// The trajectory's id, as an aanmelding with the first event id would make it.
    pub fn traject_id(&self) -> TrajectId {
        TrajectId::van_aanmelding(self.eerste_id)
    }

    /// The event id of the row with key `sleutel`.
    pub fn event_id(&self, sleutel: &str) -> EventId {
        self.eerste_id.afgeleid(&format!("import {sleutel}"))
    }

    /// The placement a row ends or changes: the one its key names, or the one running.
    fn plaatsing(
        &self,
        traject: &Traject,
        start: Option<&str>,
        r: &ImportRij,
    ) -> Result<PlaatsingId, ImportFout> {
        match start {
            Some(s) => plaatsing_id_van(self.event_id(s)).map_err(|e| ImportFout {
                rij: r.rij,
                sleutel: Some(r.sleutel.clone()),
                fout: e.into(),
            }),
            None => lopende_plaatsing(traject, r),
        }
    }
}

impl Dienst {
    /// Imports one trajectory (teamleider of its organisation), or with `proef` decides it
    /// without writing anything. Does not wait for the read models; the caller waits once for
    /// the last position.
    pub async fn importeer(
        &self,
        wie: &Verzoeker<'_>,
        t: &ImportTraject,
        proef: bool,
    ) -> Result<ImportUitkomst, ImportFout> {
        let code = logcode::TRAJECT_IMPORTEREN;
        let eerste = t.aanmelding.rij;
        let fout = |rij: usize| {
            move |fout: DienstError| ImportFout {
                rij,
                sleutel: None,
                fout,
            }
        };
        let rijfout = |r: &ImportRij| {
            let sleutel = r.sleutel.clone();
            let rij = r.rij;
            move |fout: DienstError| ImportFout {
                rij,
                sleutel: Some(sleutel.clone()),
                fout,
            }
        };
        let traject_id = t.traject_id();
        let toegestaan = match toegang::importeren(wie.gebruiker, &t.organisatie) {
            Ok(toegestaan) => toegestaan,
            Err(w) => {
                let fout_ = self
                    .weiger(wie, code, Actie::C, w.regel, vec![], Some(traject_id))
                    .await;
                return Err(fout(eerste)(fout_));
            }
        };
        let vandaag = (self.vandaag)();
        let team = laden::team(self.store.as_ref(), &t.organisatie)
            .await
            .map_err(fout(eerste))?;

        // Every row decided on the state the rows before it made.
        let mut traject = Traject::default();
        let mut events = Vec::with_capacity(t.rijen.len() + 1);
        let aanmelding = Command {
            event_id: t.eerste_id,
            revisie: None,
            datum: Datum::new(t.aanmelding.datum).map_err(|e| fout(eerste)(e.into()))?,
            kind: CommandKind::Aanmelden(TrajectAangemeld {
                client_id: t.client_id,
                methode: t.aanmelding.methode,
                regio: t.regio,
                organisatie: t.organisatie.clone(),
                verwijzer: t.aanmelding.verwijzer,
                financier: t.aanmelding.financier,
            }),
        };
        let mut coach_genoemd = false;
        let besluit = |traject: &mut Traject,
                       events: &mut Vec<traject_domain::Event>,
                       command: Command,
                       fout: &dyn Fn(DienstError) -> ImportFout|
         -> Result<(), ImportFout> {
            let besloten = decide(traject, command, vandaag).map_err(|e| fout(e.into()))?;
            for event in besloten {
                apply(traject, event.clone()).map_err(|e| fout(e.into()))?;
                events.push(event);
            }
            Ok(())
        };
        besluit(&mut traject, &mut events, aanmelding, &fout(eerste))?;
        for r in &t.rijen {
            let rfout = rijfout(r);
            let event_id = t.event_id(&r.sleutel);
            let datum = Datum::new(r.datum).map_err(|e| rfout(e.into()))?;
            let opdracht = match &r.opdracht {
                ImportOpdracht::Opdracht(o) => o.clone(),
                ImportOpdracht::PlaatsingBeeindigen { start, reden } => {
                    Opdracht::PlaatsingBeeindigen(PlaatsingBeeindigd {
                        plaatsing_id: t.plaatsing(&traject, start.as_deref(), r)?,
                        reden: *reden,
                    })
                }
                ImportOpdracht::UrenWijzigen { start, uren } => {
                    Opdracht::UrenWijzigen(UrenGewijzigd {
                        plaatsing_id: t.plaatsing(&traject, start.as_deref(), r)?,
                        uren_per_week: *uren,
                    })
                }
            };
            if let Some(coach) = opdracht.coach() {
                if !team.heeft(coach) {
                    return Err(rfout(DomainError::CoachNietInTeam.into()));
                }
                coach_genoemd = true;
            }
            let kind = opdracht.command_kind(event_id).map_err(&rfout)?;
            let command = Command {
                event_id,
                revisie: traject.revisie(),
                datum,
                kind,
            };
            besluit(&mut traject, &mut events, command, &rfout)?;
        }

        // What the store holds already.
        let geladen = laden::traject(self.store.as_ref(), traject_id)
            .await
            .map_err(fout(eerste))?;
        // The stored events must be the start of the imported ones: the same ids, and the same
        // kind of event on the same day. The aanmelding must be of the import's organisation and
        // client: its id can be computed from the file's contents by anyone who knows them, and
        // a trajectory that another organisation registered under it is no trajectory of this
        // import's.
        let opgeslagen = geladen.traject.events();
        let nieuw_vanaf = opgeslagen.len();
        let gelijk = opgeslagen
            .iter()
            .zip(&events)
            .position(|(a, b)| !hetzelfde(a, b));
        if let Some(i) = gelijk.or((nieuw_vanaf > events.len()).then_some(events.len())) {
            let rij = rij_van(t, i);
            return Err(fout(rij)(DienstError::regel(
                "traject",
                "traject_anders_vastgelegd",
                "dit traject is eerder anders vastgelegd dan dit bestand zegt; het is niet gewijzigd",
            )));
        }
        if nieuw_vanaf == events.len() {
            // Its personal data still, if an earlier import stopped between the two writes.
            if !proef && let Some((rij, gegevens)) = &t.persoon {
                self.persoon_importeren(wie, t.client_id, gegevens)
                    .await
                    .map_err(fout(*rij))?;
            }
            return Ok(ImportUitkomst::Ongewijzigd);
        }
        let mut nieuw = events.split_off(nieuw_vanaf);
        if proef {
            return Ok(ImportUitkomst::Proef {
                events: nieuw.len(),
            });
        }
        let client = laden::client(self.store.as_ref(), &t.client_id)
            .await
            .map_err(fout(eerste))?;
        if nieuw_vanaf == 0 && client.is_gewist() {
            return Err(fout(eerste)(DomainError::ClientGewist.into()));
        }
        let inzage = |resultaat| Inzage {
            code,
            actie: Actie::C,
            resultaat,
            rol: Some(toegestaan.rol),
            regel: toegestaan.regel,
            clients: vec![t.client_id],
            traject: Some(traject_id),
        };
        if let Err(e) = self.seal(t.client_id, &mut nieuw).await {
            let e = self.geweigerd(wie, inzage(Resultaat::Geweigerd), e).await;
            return Err(fout(eerste)(e));
        }
        let aantal = nieuw.len();
        // The events name the import as their actor, on behalf of the user; the access log
        // names the user, with the import's code.
        let mut events = nieuwe_events(&nieuw, wie);
        for e in &mut events {
            e.metadata.actor = Some(format!("import:{}", wie.gebruiker.id));
        }
        let mut delen = vec![StreamAppend {
            stream: laden::traject_stream(traject_id).map_err(fout(eerste))?,
            expected: ExpectedRevision::from_revision(geladen.traject.revisie()),
            events,
        }];
        if nieuw_vanaf == 0 {
            delen.push(
                registratie(
                    t.client_id,
                    &client,
                    &t.organisatie,
                    traject_id,
                    t.eerste_id,
                    wie,
                )
                .map_err(fout(eerste))?,
            );
        }
        if coach_genoemd {
            // Written only if the team is still as read: a coach removed meanwhile is not
            // recorded after all.
            delen.push(StreamAppend {
                stream: laden::team_stream(&t.organisatie).map_err(fout(eerste))?,
                expected: ExpectedRevision::from_revision(team.revisie()),
                events: Vec::new(),
            });
        }
        let geschreven = self
            .write(wie, inzage(Resultaat::Gelukt), delen, traject_id)
            .await
            .map_err(fout(eerste))?;
        if let Some((rij, gegevens)) = &t.persoon {
            self.persoon_importeren(wie, t.client_id, gegevens)
                .await
                .map_err(fout(*rij))?;
        }
        let positie = geschreven.position;
        Ok(if nieuw_vanaf == 0 {
            ImportUitkomst::Vastgelegd {
                events: aantal,
                positie,
            }
        } else {
            ImportUitkomst::Aangevuld {
                events: aantal,
                positie,
            }
        })
    }

    /// Puts imported personal data into the vault when it holds none for the client yet.
    async fn persoon_importeren(
        &self,
        wie: &Verzoeker<'_>,
        client: ClientId,
        gegevens: &Persoonsgegevens,
    ) -> Result<(), DienstError> {
        let bestaand = self
            .kluis
            .read(client.as_uuid())
            .await
            .map_err(DienstError::intern)?;
        if bestaand.gegevens.is_some() || bestaand.gewist {
            return Ok(());
        }
        let toegestaan = toegang::Toegestaan {
            regel: "teamleider-eigen-organisatie",
            rol: crate::Rol::Teamleider,
        };
        let uitkomst = self
            .kluis
            .leg_vast(client.as_uuid(), bestaand.versie, gegevens)
            .await
            .map(|_| ())
            .map_err(DienstError::intern);
        let resultaat = if uitkomst.is_ok() {
            Resultaat::Gelukt
        } else {
            Resultaat::Fout
        };
        self.log(
            wie,
            Inzage {
                code: logcode::PERSOON_VASTLEGGEN,
                actie: Actie::C,
                resultaat,
                rol: Some(toegestaan.rol),
                regel: toegestaan.regel,
                clients: vec![client],
                traject: None,
            },
        )
        .await?;
        uitkomst
    }
}

/// The placement running now (the last started and not ended), for a row that ends it or
/// changes its hours.
fn lopende_plaatsing(traject: &Traject, r: &ImportRij) -> Result<PlaatsingId, ImportFout> {
    traject
        .toestand()
        .and_then(|t| t.plaatsingen.iter().rev().find(|p| p.einde.is_none()))
        .map(|p| p.gestart.plaatsing_id)
        .ok_or_else(|| ImportFout {
            rij: r.rij,
            sleutel: Some(r.sleutel.clone()),
            fout: DienstError::regel(
                "plaatsing",
                "geen_lopende_plaatsing",
                "er loopt op deze datum geen plaatsing om te beëindigen of te wijzigen",
            ),
        })
}

/// The row of the `i`-th event of `t` (0: the aanmelding).
fn rij_van(t: &ImportTraject, i: usize) -> usize {
    match i {
        0 => t.aanmelding.rij,
        i => t.rijen.get(i - 1).map_or(t.aanmelding.rij, |r| r.rij),
    }
}

/// Whether the stored event `opgeslagen` is the imported event `import`: the same id, the same
/// kind of event on the same day, and for an aanmelding the same organisation and client (whose
/// trajectory it is). The aanmelding's other fields may differ: a file without a column `regio`
/// takes the region of whoever imports it, and a corrected cell of an earlier import changes
/// nothing stored. Other events' free text is sealed in the store, so their content is not
/// compared; their ids are made from the aanmelding's and their row.
fn hetzelfde(opgeslagen: &traject_domain::Event, import: &traject_domain::Event) -> bool {
    use traject_domain::event::EventData;
    opgeslagen.id == import.id
        && opgeslagen.datum == import.datum
        && std::mem::discriminant(&opgeslagen.data) == std::mem::discriminant(&import.data)
        && match (&opgeslagen.data, &import.data) {
            (EventData::TrajectAangemeld(a), EventData::TrajectAangemeld(b)) => {
                a.organisatie == b.organisatie && a.client_id == b.client_id
            }
            _ => true,
        }
}

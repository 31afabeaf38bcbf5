//! The trajectory aggregate: its state, and the two pure functions [`decide`] and [`apply`].
//!
//! The state keeps every event in stream order. What the trajectory *means* is the fold of the
//! events that still count: a [`GebeurtenisIngetrokken`](crate::event::GebeurtenisIngetrokken)
//! takes its target out, and the meaning is folded again from the remaining events.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::command::Command;
use crate::error::DomainError;
use crate::event::{
    ActieGepland, Contract, Event, EventData, IntakeAfgerond, PlaatsingGestart, TrajectAangemeld,
};
use crate::rules;
use crate::value::{AfsluitingsReden, BeeindigingsReden, CoachId, Datum, EventId, UrenPerWeek};

/// A trajectory as its events made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traject {
    revisie: Option<u64>,
    events: Arc<Vec<Event>>,
    ingetrokken: BTreeSet<EventId>,
    toestand: Option<Toestand>,
}

/// The meaning of the events that count, once the trajectory has been referred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toestand {
    /// The aanmelding's date.
    pub aanmelding: Datum,
    /// The aanmelding itself.
    pub aangemeld: TrajectAangemeld,
    /// The intake's date and content, once completed.
    pub intake: Option<(Datum, IntakeAfgerond)>,
    /// The coach now responsible.
    pub coach: Option<CoachId>,
    /// Every placement, in the order they were recorded.
    pub plaatsingen: Vec<Plaatsing>,
    /// The intensity of support.
    pub ondersteuning: Ondersteuning,
    /// Set while the trajectory is closed.
    pub afgesloten: Option<Afsluiting>,
    /// The first date a new event may have: the aanmelding, or the latest heropening.
    pub ondergrens: Datum,
    /// The latest domain date among the events that count (the erasure marker aside).
    pub laatste_datum: Datum,
    /// The day the client's personal data was erased, if it was.
    pub gewist: Option<Datum>,
    /// The date the last waakvlam period ended (opschaling), if one did: a new waakvlam period
    /// starts after it, periods do not overlap.
    pub laatste_opschaling: Option<Datum>,
    /// The next action: the latest planned while the trajectory is open; a closing clears it.
    pub volgende_actie: Option<VolgendeActie>,
}

/// The next action of an open trajectory, as the coach planned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct VolgendeActie {
    /// The day it was planned.
    pub gepland: Datum,
    /// What and when.
    pub actie: ActieGepland,
}

/// One placement and, once it ended, its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plaatsing {
    /// The first day of work.
    pub start: Datum,
    /// The placement as recorded.
    pub gestart: PlaatsingGestart,
    /// The last day of work and why it ended, once recorded.
    pub einde: Option<(Datum, BeeindigingsReden)>,
    /// The changes of its hours (`UrenGewijzigd`), in domain-date order: from each date on,
    /// those hours.
    pub urenwijzigingen: Vec<(Datum, UrenPerWeek)>,
}

/// How intensive the support is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ondersteuning {
    /// Regular, intensive support.
    Intensief,
    /// Low-intensity support after a successful placement.
    Waakvlam {
        /// The day the waakvlam was set.
        sinds: Datum,
    },
}

/// The closing of a closed trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Afsluiting {
    /// The closing's date: the last day of measurement.
    pub datum: Datum,
    /// Why it was closed.
    pub reden: AfsluitingsReden,
    /// The closing event, the one event that may be retracted while closed.
    pub event_id: EventId,
}

/// Decides a command against the trajectory's state: the events to record, or the rule it breaks.
///
/// `today` is the caller's calendar day; the domain never reads a clock.
pub fn decide(
    traject: &Traject,
    command: Command,
    today: NaiveDate,
) -> Result<Vec<Event>, DomainError> {
    if command.revisie != traject.revisie {
        return Err(DomainError::Conflict {
            expected: command.revisie,
            actual: traject.revisie,
        });
    }
    if command.datum.date() > today {
        return Err(DomainError::DatumInDeToekomst {
            datum: command.datum,
            vandaag: today,
        });
    }
    let event = Event {
        id: command.event_id,
        datum: command.datum,
        data: command.kind.into_event_data(),
    };
    // Without its aanmelding a trajectory has no start. A rule of deciding only, not of the
    // replay: an earlier version stored such a retraction, and those streams must stay readable.
    if let EventData::GebeurtenisIngetrokken(i) = &event.data
        && traject
            .events()
            .iter()
            .any(|e| e.id == i.event_id && matches!(e.data, EventData::TrajectAangemeld(_)))
    {
        return Err(DomainError::AanmeldingNietIntrekbaar(i.event_id));
    }
    // Waakvlam periods do not overlap: a new one starts on or after the day the last one ended.
    // Deciding only, as above: streams an earlier version wrote with such a waakvlam replay.
    if let EventData::WaakvlamIngezet(_) = &event.data
        && let Some(einde) = traject.toestand().and_then(|t| t.laatste_opschaling)
        && event.datum < einde
    {
        return Err(DomainError::WaakvlamOverlapt {
            datum: event.datum,
            einde,
        });
    }
    rules::check(traject, &event)?;
    Ok(vec![event])
}

/// Applies a recorded event. Refuses an event that does not fit the history (a stream that
/// breaks the rules is reported, not silently folded).
pub fn apply(traject: &mut Traject, event: Event) -> Result<(), DomainError> {
    rules::check(traject, &event)?;
    traject.record(event);
    Ok(())
}

impl Traject {
    /// The state of a trajectory made of `events`, checked one by one.
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<Self, DomainError> {
        let mut traject = Traject::default();
        for event in events {
            apply(&mut traject, event.clone())?;
        }
        Ok(traject)
    }

    /// The revision of the last applied event (stream revisions count from 0); `None` before any.
    pub fn revisie(&self) -> Option<u64> {
        self.revisie
    }

    /// The meaning of the events that count; `None` before the aanmelding.
    pub fn toestand(&self) -> Option<&Toestand> {
        self.toestand.as_ref()
    }

    /// Every applied event, retracted ones and retractions included, in stream order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events, shared rather than copied: a snapshot being written holds them, and the
    /// trajectory's next event then copies its own list only (copy on write).
    pub fn events_gedeeld(&self) -> Arc<Vec<Event>> {
        Arc::clone(&self.events)
    }

    /// Whether the event with this id has been retracted.
    pub fn is_ingetrokken(&self, id: EventId) -> bool {
        self.ingetrokken.contains(&id)
    }

    /// The events that count, in stream order: neither retracted nor retractions themselves.
    pub fn geldende_events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| {
            !self.ingetrokken.contains(&e.id)
                && !matches!(e.data, EventData::GebeurtenisIngetrokken(_))
        })
    }

    fn record(&mut self, event: Event) {
        self.revisie = Some(self.revisie.map_or(0, |r| r + 1));
        if let EventData::GebeurtenisIngetrokken(intrekking) = &event.data {
            self.ingetrokken.insert(intrekking.event_id);
            Arc::make_mut(&mut self.events).push(event);
            let mut toestand = None;
            for e in self.geldende_events() {
                fold(&mut toestand, e);
            }
            self.toestand = toestand;
        } else {
            fold(&mut self.toestand, &event);
            Arc::make_mut(&mut self.events).push(event);
        }
    }
}

impl Toestand {
    /// Whether the trajectory is open.
    pub fn is_open(&self) -> bool {
        self.afgesloten.is_none()
    }

    /// The placement with this id.
    pub fn plaatsing(&self, id: crate::value::PlaatsingId) -> Option<&Plaatsing> {
        self.plaatsingen
            .iter()
            .find(|p| p.gestart.plaatsing_id == id)
    }
}

impl Plaatsing {
    /// The last day of work as far as known: the recorded end, or else the end of a fixed-term
    /// contract, whichever comes first. `None` while open-ended.
    pub fn laatste_werkdag(&self) -> Option<NaiveDate> {
        let einde = self.einde.map(|(d, _)| d.date());
        let contract = match self.gestart.contract {
            Contract::Tijdelijk { einddatum } => Some(einddatum.date()),
            _ => None,
        };
        match (einde, contract) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the client works in this placement on `dag`.
    pub fn loopt_op(&self, dag: NaiveDate) -> bool {
        self.start.date() <= dag && self.laatste_werkdag().is_none_or(|einde| dag <= einde)
    }

    /// The contractual hours per week on `dag`: those at the start, or of the latest change on
    /// or before it.
    pub fn uren_op(&self, dag: NaiveDate) -> UrenPerWeek {
        self.urenwijzigingen
            .iter()
            .rev()
            .find(|(d, _)| d.date() <= dag)
            .map_or(self.gestart.uren_per_week, |&(_, uren)| uren)
    }

    /// The date of the latest change of hours, if there was one.
    pub fn laatste_urenwijziging(&self) -> Option<Datum> {
        self.urenwijzigingen.last().map(|&(d, _)| d)
    }

    /// The days it runs up to and including `tot`, in periods of equal hours: `(first day,
    /// last day, hours)`, in date order; empty if it starts after `tot`.
    pub fn urenperiodes(&self, tot: NaiveDate) -> Vec<(NaiveDate, NaiveDate, UrenPerWeek)> {
        let einde = self.laatste_werkdag().map_or(tot, |d| d.min(tot));
        let mut periodes = Vec::new();
        let mut van = self.start.date();
        let mut uren = self.gestart.uren_per_week;
        for &(datum, nieuw) in &self.urenwijzigingen {
            let dag = datum.date();
            if dag > einde {
                break;
            }
            if dag > van {
                periodes.push((van, dag.pred_opt().expect("bounded date"), uren));
                van = dag;
            }
            uren = nieuw;
        }
        if van <= einde {
            periodes.push((van, einde, uren));
        }
        periodes
    }
}

/// Folds one checked event into the meaning of a trajectory.
pub(crate) fn fold(toestand: &mut Option<Toestand>, event: &Event) {
    let datum = event.datum;
    let Some(t) = toestand else {
        if let EventData::TrajectAangemeld(aangemeld) = &event.data {
            *toestand = Some(Toestand {
                aanmelding: datum,
                aangemeld: aangemeld.clone(),
                intake: None,
                coach: None,
                plaatsingen: Vec::new(),
                ondersteuning: Ondersteuning::Intensief,
                afgesloten: None,
                ondergrens: datum,
                laatste_datum: datum,
                gewist: None,
                laatste_opschaling: None,
                volgende_actie: None,
            });
        }
        return;
    };
    if let EventData::PersoonsgegevensGewist(_) = &event.data {
        t.gewist = Some(datum);
        return;
    }
    t.laatste_datum = t.laatste_datum.max(datum);
    match &event.data {
        EventData::TrajectAangemeld(_) | EventData::WerkgeverContactGelegd(_) => {}
        EventData::GebeurtenisIngetrokken(_) => {}
        EventData::IntakeAfgerond(intake) => {
            t.coach = Some(intake.coach.clone());
            t.intake = Some((datum, intake.clone()));
        }
        EventData::CoachToegewezen(c) => t.coach = Some(c.coach.clone()),
        EventData::PlaatsingGestart(p) => t.plaatsingen.push(Plaatsing {
            start: datum,
            gestart: p.clone(),
            einde: None,
            urenwijzigingen: Vec::new(),
        }),
        EventData::UrenGewijzigd(u) => {
            if let Some(p) = t
                .plaatsingen
                .iter_mut()
                .find(|p| p.gestart.plaatsing_id == u.plaatsing_id)
            {
                // Rules keep changes in date order; a replay of an older stream sorts anyway.
                let plek = p.urenwijzigingen.partition_point(|&(d, _)| d <= datum);
                p.urenwijzigingen.insert(plek, (datum, u.uren_per_week));
            }
        }
        EventData::PlaatsingBeeindigd(b) => {
            if let Some(p) = t
                .plaatsingen
                .iter_mut()
                .find(|p| p.gestart.plaatsing_id == b.plaatsing_id)
            {
                p.einde = Some((datum, b.reden));
            }
        }
        EventData::WaakvlamIngezet(_) => t.ondersteuning = Ondersteuning::Waakvlam { sinds: datum },
        EventData::Opgeschaald(_) => {
            t.ondersteuning = Ondersteuning::Intensief;
            t.laatste_opschaling = Some(t.laatste_opschaling.map_or(datum, |d| d.max(datum)));
        }
        EventData::ActieGepland(a) => {
            t.volgende_actie = Some(VolgendeActie {
                gepland: datum,
                actie: *a,
            })
        }
        EventData::TrajectAfgesloten(a) => {
            t.volgende_actie = None;
            t.afgesloten = Some(Afsluiting {
                datum,
                reden: a.reden,
                event_id: event.id,
            })
        }
        EventData::TrajectHeropend(_) => {
            t.afgesloten = None;
            t.ondergrens = datum;
        }
        EventData::PersoonsgegevensGewist(_) => {}
    }
}

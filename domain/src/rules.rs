//! The rules of the event catalogue ("allowed when" and the general rules), checked for one
//! event against the history before it. [`decide`](crate::decide) and [`apply`](crate::apply)
//! both go through [`check`], so a replay validates exactly what deciding validated.

use crate::error::DomainError;
use crate::event::{Contract, Event, EventData};
use crate::traject::{Ondersteuning, Toestand, Traject};

/// Whether `event` may follow the events already in `traject`.
pub(crate) fn check(traject: &Traject, event: &Event) -> Result<(), DomainError> {
    if traject.events().iter().any(|e| e.id == event.id) {
        return Err(DomainError::EventIdAlGebruikt(event.id));
    }
    let Some(t) = traject.toestand() else {
        return match event.data {
            EventData::TrajectAangemeld(_) => Ok(()),
            _ => Err(DomainError::NietAangemeld),
        };
    };
    check_open_or_reopening(t, event)?;
    if event.datum < t.ondergrens {
        return Err(DomainError::DatumVoorBegin {
            datum: event.datum,
            ondergrens: t.ondergrens,
        });
    }
    check_event(traject, t, event)
}

fn check_open_or_reopening(t: &Toestand, event: &Event) -> Result<(), DomainError> {
    match (&event.data, t.afgesloten) {
        (EventData::TrajectAangemeld(_), _) => Err(DomainError::AlAangemeld),
        (EventData::TrajectHeropend(_), None) => Err(DomainError::TrajectNietAfgesloten),
        (EventData::TrajectHeropend(_), Some(afsluiting)) if event.datum < afsluiting.datum => {
            Err(DomainError::HeropeningVoorAfsluiting {
                datum: event.datum,
                afsluiting: afsluiting.datum,
            })
        }
        (EventData::TrajectHeropend(_), Some(_)) => Ok(()),
        (EventData::PersoonsgegevensGewist(_), _) => Ok(()),
        // A closing made by mistake is corrected the way every mistake is: by retracting it.
        (EventData::GebeurtenisIngetrokken(i), Some(afsluiting))
            if i.event_id == afsluiting.event_id =>
        {
            Ok(())
        }
        (_, Some(_)) => Err(DomainError::TrajectAfgesloten),
        (_, None) => Ok(()),
    }
}

fn check_event(traject: &Traject, t: &Toestand, event: &Event) -> Result<(), DomainError> {
    let datum = event.datum;
    let na_intake = || match &t.intake {
        None => Err(DomainError::IntakeNietAfgerond),
        Some((intake, _)) if datum < *intake => Err(DomainError::DatumVoorIntake {
            datum,
            intake: *intake,
        }),
        Some(_) => Ok(()),
    };
    match &event.data {
        EventData::TrajectAangemeld(_) | EventData::TrajectHeropend(_) => Ok(()),
        EventData::IntakeAfgerond(_) if t.intake.is_some() => Err(DomainError::IntakeAlAfgerond),
        EventData::IntakeAfgerond(_) => Ok(()),
        EventData::CoachToegewezen(c) if t.coach.as_ref() == Some(&c.coach) => {
            Err(DomainError::CoachAlToegewezen)
        }
        EventData::CoachToegewezen(_) => Ok(()),
        EventData::WerkgeverContactGelegd(_) => na_intake(),
        EventData::PlaatsingGestart(p) => {
            na_intake()?;
            if t.plaatsing(p.plaatsing_id).is_some() {
                return Err(DomainError::PlaatsingBestaatAl(p.plaatsing_id));
            }
            match p.contract {
                Contract::Tijdelijk { einddatum } if einddatum < datum => {
                    Err(DomainError::ContractEindeVoorStart {
                        einddatum,
                        start: datum,
                    })
                }
                _ => Ok(()),
            }
        }
        EventData::PlaatsingBeeindigd(b) => {
            let plaatsing = t
                .plaatsing(b.plaatsing_id)
                .ok_or(DomainError::PlaatsingOnbekend(b.plaatsing_id))?;
            if plaatsing.einde.is_some() {
                Err(DomainError::PlaatsingLooptNiet(b.plaatsing_id))
            } else if datum < plaatsing.start {
                Err(DomainError::EindeVoorStart {
                    datum,
                    start: plaatsing.start,
                })
            } else if let Some(wijziging) = plaatsing.laatste_urenwijziging()
                && datum < wijziging
            {
                Err(DomainError::EindeVoorUrenwijziging { datum, wijziging })
            } else {
                Ok(())
            }
        }
        EventData::UrenGewijzigd(u) => {
            let plaatsing = t
                .plaatsing(u.plaatsing_id)
                .ok_or(DomainError::PlaatsingOnbekend(u.plaatsing_id))?;
            let einde = plaatsing.laatste_werkdag();
            if datum < plaatsing.start || einde.is_some_and(|e| datum.date() > e) {
                return Err(DomainError::UrenwijzigingBuitenPlaatsing {
                    datum,
                    start: plaatsing.start,
                    einde,
                });
            }
            if let Some(vorige) = plaatsing.laatste_urenwijziging()
                && datum < vorige
            {
                return Err(DomainError::UrenwijzigingVoorVorige { datum, vorige });
            }
            if plaatsing.uren_op(datum.date()) == u.uren_per_week {
                return Err(DomainError::UrenOngewijzigd);
            }
            Ok(())
        }
        EventData::WaakvlamIngezet(_) => match t.ondersteuning {
            Ondersteuning::Waakvlam { .. } => Err(DomainError::AlWaakvlam),
            Ondersteuning::Intensief if !t.plaatsingen.iter().any(|p| p.loopt_op(datum.date())) => {
                Err(DomainError::GeenLopendePlaatsing)
            }
            Ondersteuning::Intensief => Ok(()),
        },
        EventData::Opgeschaald(_) => match t.ondersteuning {
            Ondersteuning::Intensief => Err(DomainError::NietInWaakvlam),
            Ondersteuning::Waakvlam { sinds } if datum < sinds => {
                Err(DomainError::DatumVoorWaakvlam {
                    datum,
                    waakvlam: sinds,
                })
            }
            Ondersteuning::Waakvlam { .. } => Ok(()),
        },
        EventData::ActieGepland(a) if a.op < datum => {
            Err(DomainError::ActieVoorPlanning { op: a.op, datum })
        }
        EventData::ActieGepland(a) if (a.op.date() - datum.date()).num_days() > 366 => {
            Err(DomainError::ActieTeVerVooruit { op: a.op, datum })
        }
        EventData::ActieGepland(_) => Ok(()),
        EventData::TrajectAfgesloten(_) if datum < t.laatste_datum => {
            Err(DomainError::AfsluitingVoorLaatsteGebeurtenis {
                datum,
                laatste: t.laatste_datum,
            })
        }
        EventData::TrajectAfgesloten(_) => Ok(()),
        EventData::GebeurtenisIngetrokken(i) => check_intrekking(traject, i.event_id),
        EventData::PersoonsgegevensGewist(_) if t.gewist.is_some() => Err(DomainError::AlGewist),
        EventData::PersoonsgegevensGewist(_) => Ok(()),
    }
}

/// A retraction is allowed when its target exists, still counts, is no retraction itself, and
/// the events that remain without it still obey every rule, replayed from the start.
fn check_intrekking(traject: &Traject, target: crate::value::EventId) -> Result<(), DomainError> {
    let doel = traject
        .events()
        .iter()
        .find(|e| e.id == target)
        .ok_or(DomainError::GebeurtenisOnbekend(target))?;
    match doel.data {
        EventData::GebeurtenisIngetrokken(_) => {
            return Err(DomainError::IntrekkingVanIntrekking(target));
        }
        EventData::PersoonsgegevensGewist(_) => {
            return Err(DomainError::WissingNietIntrekbaar(target));
        }
        _ => {}
    }
    if traject.is_ingetrokken(target) {
        return Err(DomainError::AlIngetrokken(target));
    }
    Traject::from_events(traject.geldende_events().filter(|e| e.id != target))
        .map(drop)
        .map_err(|reden| DomainError::IntrekkingMaaktGeschiedenisOngeldig {
            event_id: target,
            reden: Box::new(reden),
        })
}

// Weekagenda: the coach's next actions per day of a week, Monday to Sunday (this week unless
// `?week=` names another), with the overdue ones right above today. Each links to its
// trajectory.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { week as maakWeek, weekUit, type AgendaItem } from '../agenda';
import { dagNaam, plusDagen } from '../datums';
import { useEigenCaseload } from '../eigenCaseload';
import { LaadFout } from '../herstel';
import { Alinea, Knop, Kop, useTitel } from '../ui';
import { vandaag as vandaagDatum } from '../validatie';

export function Agenda() {
  useTitel('Weekagenda');
  const vandaag = vandaagDatum();
  const [zoek, setZoek] = useSearchParams();
  const maandag = weekUit(zoek.get('week'), vandaag);
  const { items, error, bezig, herlaad } = useEigenCaseload();
  const week = useMemo(() => maakWeek(items ?? [], maandag, vandaag), [items, maandag, vandaag]);
  // Another week replaces the address (so the page keeps its focus; the browser's back leaves the agenda).
  const naar = (m: string) => setZoek(m === weekUit(null, vandaag) ? {} : { week: m }, { replace: true });
  const terug = `/agenda${zoek.get('week') ? `?week=${maandag}` : ''}`;

  const lijst = (acties: AgendaItem[], metDag: boolean) => (
    <ul className="traject-agenda-lijst">
      {acties.map((i) => (
        <li key={i.trajectId} data-traject={i.trajectId}>
          <Link className="utrecht-link" to={`/traject/${i.trajectId}`} state={{ terug }}>
            {i.naam}
          </Link>
          : {i.actie}
          {metDag ? `, gepland voor ${dagNaam(i.op, vandaag)}` : ''}
          {i.teLaat ? ` (${i.teLaat})` : ''}
        </li>
      ))}
    </ul>
  );

  return (
    <>
      <Kop niveau={1}>Weekagenda</Kop>
      <Alinea>De volgende actie van elk van uw lopende trajecten, op de dag waarvoor ze gepland is.</Alinea>
      <p className="utrecht-paragraph traject-week-titel" aria-live="polite">
        <strong>{week.titel}</strong>
        {week.huidig ? ' (deze week)' : ''}
      </p>
      <nav className="traject-knoppen" aria-label="Weken">
        <Knop onClick={() => naar(plusDagen(maandag, -7))}>Vorige week</Knop>
        <Knop onClick={() => naar(weekUit(null, vandaag))}>Deze week</Knop>
        <Knop onClick={() => naar(plusDagen(maandag, 7))}>Volgende week</Knop>
      </nav>
      {error && <LaadFout wat="Uw trajecten konden niet worden geladen." error={error} opnieuw={herlaad} />}
      {!items && bezig && <Alinea>Agenda laden…</Alinea>}
      {items && (
        <div data-testid="agenda">
          {week.voorbij.length > 0 && (
            <Alinea>
              {week.voorbij.length === 1 ? 'De eerdere dag' : 'De eerdere dagen'} van deze week {week.voorbij.length === 1 ? 'is' : 'zijn'}{' '}
              voorbij: wat toen gepland stond en nog open is, staat bij Te laat.
            </Alinea>
          )}
          {week.huidig && (
            <section aria-labelledby="agenda-te-laat" className="traject-blok">
              <Kop niveau={2} id="agenda-te-laat">
                Te laat ({week.teLaat.length})
              </Kop>
              {week.teLaat.length > 0 ? lijst(week.teLaat, true) : <Alinea>Geen acties die te laat zijn.</Alinea>}
            </section>
          )}
          {week.dagen.map((d) => (
            <section key={d.datum} aria-labelledby={`dag-${d.datum}`} className="traject-blok">
              <Kop niveau={2} id={`dag-${d.datum}`}>
                {d.titel}
              </Kop>
              {d.items.length > 0 ? lijst(d.items, false) : <Alinea>Geen acties gepland.</Alinea>}
            </section>
          ))}
        </div>
      )}
    </>
  );
}

// Vandaag: the coach's start page. First what needs action now, most urgent first ("Nu doen"),
// then the other trajectories by the day of their next action; from each row the trajectory,
// and planning its next action in place. After planning, the confirmation takes the focus and
// the list is fetched again.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { datumLang, hoofdletter, wanneer } from '../datums';
import { useEigenCaseload, type EigenItem } from '../eigenCaseload';
import { FORMULIEREN, type Context, type Formulier } from '../gebeurtenissen';
import { graphql } from '../gql';
import { LaadFout } from '../herstel';
import { actieTekst, deelIn, type Rij } from '../vandaag';
import { Alinea, Knop, Kop, Melding, useTitel } from '../ui';
import { vandaag as vandaagDatum } from '../validatie';
import { GebeurtenisFormulier } from './Traject';

const TrajectRevisie = graphql(`
  query TrajectRevisie($id: ID!) {
    traject(id: $id) {
      id
      revisie
    }
  }
`);

const PLANNEN: Formulier = FORMULIEREN.find((f) => f.naam === 'actiePlannen')!;
const GEEN_KEUZES: Context = { plaatsingen: [], gebeurtenissen: [], isCoach: true };

/** `1 traject`, `3 trajecten`. */
function trajecten(n: number): string {
  return n === 1 ? '1 traject' : `${n} trajecten`;
}

type Focus = { doel: 'bericht' } | { doel: 'knop'; trajectId: string };

export function Vandaag() {
  useTitel('Vandaag');
  const vandaag = vandaagDatum();
  const { items, error, bezig, herlaad } = useEigenCaseload();
  const dag = useMemo(() => (items ? deelIn(items, vandaag) : undefined), [items, vandaag]);
  const [open, setOpen] = useState<string>();
  const [bericht, setBericht] = useState<string>();
  const berichtRef = useRef<HTMLDivElement>(null);
  const [focus, setFocus] = useState<Focus>();
  useEffect(() => {
    if (!focus) return;
    if (focus.doel === 'bericht') berichtRef.current?.focus();
    else document.querySelector<HTMLElement>(`[data-plannen="${focus.trajectId}"]`)?.focus();
    setFocus(undefined);
  }, [focus]);

  const rijen = (lijst: Rij<EigenItem>[]) => (
    <ul className="traject-dag-lijst">
      {lijst.map((rij) => (
        <TrajectRij
          key={rij.item.trajectId}
          rij={rij}
          open={open === rij.item.trajectId}
          wissel={() => {
            setBericht(undefined);
            setOpen((o) => (o === rij.item.trajectId ? undefined : rij.item.trajectId));
          }}
          klaar={(waarden) => {
            setOpen(undefined);
            if (!waarden) {
              setFocus({ doel: 'knop', trajectId: rij.item.trajectId });
              return;
            }
            setBericht(`Volgende actie voor ${rij.naam} gepland: ${actieTekst(waarden.actie)}, ${wanneer(waarden.op, vandaag)}.`);
            setFocus({ doel: 'bericht' });
            herlaad();
          }}
        />
      ))}
    </ul>
  );

  return (
    <>
      <Kop niveau={1}>Vandaag</Kop>
      <Alinea>
        {hoofdletter(datumLang(vandaag))}.{' '}
        <Link className="utrecht-link" to="/agenda">
          Naar de weekagenda
        </Link>
      </Alinea>
      <div aria-live="polite" ref={berichtRef} tabIndex={-1} className="traject-bericht">
        {bericht && <Melding soort="ok">{bericht}</Melding>}
      </div>
      {error && <LaadFout wat="Uw trajecten konden niet worden geladen." error={error} opnieuw={herlaad} />}
      {!dag && bezig && <Alinea>Vandaag laden…</Alinea>}
      {dag && (
        <>
          <Alinea>
            <span data-testid="vandaag-samenvatting">
              {dag.nuDoen.length + dag.overige.length === 0
                ? 'U heeft geen lopende trajecten.'
                : `${trajecten(dag.nuDoen.length)} om nu te doen, ${trajecten(dag.overige.length)} verder.`}
            </span>
            {bezig ? ' (bijwerken…)' : ''}
          </Alinea>
          <section aria-labelledby="nu-doen-kop" className="traject-blok">
            <Kop niveau={2} id="nu-doen-kop">
              Nu doen ({dag.nuDoen.length})
            </Kop>
            {dag.nuDoen.length > 0 ? (
              rijen(dag.nuDoen)
            ) : (
              <Alinea>Niets dat nu moet: geen actie die vandaag of eerder gepland staat, en geen signaal.</Alinea>
            )}
          </section>
          <section aria-labelledby="overige-kop" className="traject-blok">
            <Kop niveau={2} id="overige-kop">
              Overige trajecten ({dag.overige.length})
            </Kop>
            {dag.overige.length > 0 ? rijen(dag.overige) : <Alinea>Geen andere lopende trajecten.</Alinea>}
          </section>
        </>
      )}
    </>
  );
}

function TrajectRij({
  rij,
  open,
  wissel,
  klaar,
}: {
  rij: Rij<EigenItem>;
  open: boolean;
  wissel: () => void;
  /** After recording (with what was sent), or on cancelling (without). */
  klaar: (waarden?: Record<string, string>) => void;
}) {
  const id = rij.item.trajectId;
  return (
    <li className="traject-dag-rij" data-traject={id}>
      <p className="utrecht-paragraph traject-dag-kop">
        <Link className="utrecht-link traject-dag-naam" to={`/traject/${id}`} state={{ terug: '/vandaag' }}>
          {rij.naam}
        </Link>{' '}
        <span className="traject-dag-fase">Fase: {rij.fase}</span>
      </p>
      {rij.redenen.length > 0 && (
        <ul className="traject-aandacht">
          {rij.redenen.map((r) => (
            <li key={r.tekst} className={r.nu ? 'traject-dag-nu' : undefined}>
              {r.tekst}
            </li>
          ))}
        </ul>
      )}
      {/* A due action is among the reasons already. */}
      {!rij.actieTeDoen && (
        <p className="utrecht-paragraph">
          {rij.geenActie ? <strong>Geen volgende actie gepland</strong> : `Volgende actie: ${rij.volgendeActie}`}
        </p>
      )}
      <Knop
        data-plannen={id}
        aria-label={`Volgende actie plannen voor ${rij.naam}`}
        aria-expanded={open}
        aria-controls={open ? `plannen-${id}` : undefined}
        onClick={wissel}
      >
        Volgende actie plannen
      </Knop>
      {open && (
        <div id={`plannen-${id}`}>
          <PlanFormulier trajectId={id} klaar={klaar} />
        </div>
      )}
    </li>
  );
}

/** The form to plan the next action, on the trajectory's revision as it is now. */
function PlanFormulier({ trajectId, klaar }: { trajectId: string; klaar: (waarden?: Record<string, string>) => void }) {
  const [{ data, error }, herlaad] = useQuery({ query: TrajectRevisie, variables: { id: trajectId }, requestPolicy: 'network-only' });
  const opnieuw = () => herlaad({ requestPolicy: 'network-only' });
  if (error && !data) return <LaadFout wat="Het traject kon niet worden geladen." error={error} opnieuw={opnieuw} />;
  if (!data) return <Alinea>Laden…</Alinea>;
  return (
    <GebeurtenisFormulier
      formulier={PLANNEN}
      context={GEEN_KEUZES}
      traject={data.traject}
      begin={{}}
      herlaad={opnieuw}
      klaar={(vastgelegd, _uitkomst, waarden) => klaar(vastgelegd ? waarden : undefined)}
    />
  );
}

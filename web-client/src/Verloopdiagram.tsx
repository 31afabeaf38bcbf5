// A line chart of the business case's cumulative net (returns minus costs of all parties) month
// by month over the horizon, a line per scenario. Each line has a pattern of its own (laag
// dashed, midden solid, hoog dotted) and its name at its end, so that colour is never the only
// cue; the zero line is drawn, and where a scenario breaks even a ring marks the month, the
// middle scenario's with a line and its month written. The same numbers are in a table next to
// it; the chart is an image with a text alternative that says so.
import { asVerdeling, euroKort, maandTekst, scenarioTekst, type Scenario } from './businesscaseweergave';

export interface Verloop {
  scenario: Scenario;
  /** Per month (the first: January of the year), the cumulative net. */
  waarden: readonly number[];
  /** The first month whose cumulative returns reach the costs, if any. */
  breakEven?: number | null;
}

const BREEDTE = 440;
const LINKS = 72;
const RECHTS = 52;
const BOVEN = 22;
const HOOGTE = 190;
const ONDER = 26;
const VERGROTING = 1.25;

export const SCENARIO_STIJL: Record<Scenario, { kleur: string; streep?: string }> = {
  laag: { kleur: '#a14a00', streep: '7 4' },
  midden: { kleur: '#1a5d8f' },
  hoog: { kleur: '#3d3d3d', streep: '1.5 3.5' },
};

export function Verloopdiagram({ titel, jaar, reeksen }: { titel: string; jaar: number; reeksen: readonly Verloop[] }) {
  const maanden = Math.max(1, ...reeksen.map((r) => r.waarden.length));
  const alle = reeksen.flatMap((r) => r.waarden);
  const ticks = asVerdeling(Math.min(0, ...alle), Math.max(0, ...alle));
  const [min, max] = [ticks[0], ticks[ticks.length - 1]];
  const breed = BREEDTE - LINKS - RECHTS;
  const x = (m: number) => LINKS + (m / maanden) * breed;
  const y = (w: number) => BOVEN + ((max - w) / (max - min || 1)) * HOOGTE;
  const jaren = Math.ceil(maanden / 12);
  // The names at the lines' ends, at least 12 apart.
  const einden = reeksen
    .map((r) => ({ scenario: r.scenario, y: y(r.waarden[r.waarden.length - 1] ?? 0) }))
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < einden.length; i++) einden[i].y = Math.max(einden[i].y, einden[i - 1].y + 12);
  const midden = reeksen.find((r) => r.scenario === 'midden');
  const middenBreakEven = midden?.breakEven ?? undefined;
  return (
    <figure className="traject-diagram traject-verloop" style={{ marginInline: 0, maxInlineSize: `min(100%, ${BREEDTE * VERGROTING}px)` }}>
      <svg
        role="img"
        aria-label={`${titel}; dezelfde getallen staan in de tabel`}
        viewBox={`0 0 ${BREEDTE} ${BOVEN + HOOGTE + ONDER}`}
        style={{ inlineSize: '100%', maxInlineSize: `${BREEDTE * VERGROTING}px`, blockSize: 'auto', display: 'block' }}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={LINKS} x2={LINKS + breed} y1={y(t)} y2={y(t)} stroke={t === 0 ? '#1a1a1a' : '#d0d0d0'} strokeWidth={t === 0 ? 1.5 : 1} />
            <text x={LINKS - 4} y={y(t) + 4} textAnchor="end" className="traject-as-tekst">
              {euroKort(t)}
            </text>
          </g>
        ))}
        {Array.from({ length: jaren }, (_, j) => (
          <g key={j}>
            <line x1={x(j * 12)} x2={x(j * 12)} y1={BOVEN} y2={BOVEN + HOOGTE} stroke="#d0d0d0" />
            <text x={(x(j * 12) + x(Math.min(maanden, (j + 1) * 12))) / 2} y={BOVEN + HOOGTE + 16} textAnchor="middle" className="traject-as-tekst">
              {jaar + j}
            </text>
          </g>
        ))}
        {middenBreakEven !== undefined && (
          <g>
            <line
              x1={x(middenBreakEven)}
              x2={x(middenBreakEven)}
              y1={BOVEN - 4}
              y2={BOVEN + HOOGTE}
              stroke={SCENARIO_STIJL.midden.kleur}
              strokeWidth={1}
              strokeDasharray="3 3"
            />
            <text
              x={x(middenBreakEven) + (middenBreakEven / maanden > 0.6 ? -4 : 4)}
              y={BOVEN - 8}
              textAnchor={middenBreakEven / maanden > 0.6 ? 'end' : 'start'}
              className="traject-staaf-tekst"
            >
              break-even midden: {maandTekst(jaar, middenBreakEven)}
            </text>
          </g>
        )}
        {reeksen.map((r) => {
          const stijl = SCENARIO_STIJL[r.scenario];
          const d = [`M${x(0)},${y(0)}`, ...r.waarden.map((w, i) => `L${x(i + 1).toFixed(1)},${y(w).toFixed(1)}`)].join(' ');
          const eind = einden.find((e) => e.scenario === r.scenario)!;
          return (
            <g key={r.scenario}>
              <path d={d} fill="none" stroke={stijl.kleur} strokeWidth={2.5} strokeDasharray={stijl.streep} strokeLinecap="round" />
              {r.breakEven !== null && r.breakEven !== undefined && r.waarden[r.breakEven - 1] !== undefined && (
                <circle cx={x(r.breakEven)} cy={y(r.waarden[r.breakEven - 1])} r={4.5} fill="#fff" stroke={stijl.kleur} strokeWidth={2} />
              )}
              <text x={LINKS + breed + 4} y={eind.y + 4} className="traject-staaf-tekst">
                {scenarioTekst(r.scenario).toLowerCase()}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="utrecht-paragraph">
        {titel}.{' '}
        {reeksen.map((r) => (
          <span key={r.scenario} className="traject-legenda">
            <svg width="28" height="12" aria-hidden="true" focusable="false">
              <line x1="1" x2="27" y1="6" y2="6" stroke={SCENARIO_STIJL[r.scenario].kleur} strokeWidth="2.5" strokeDasharray={SCENARIO_STIJL[r.scenario].streep} strokeLinecap="round" />
            </svg>{' '}
            {scenarioTekst(r.scenario)}
            {r.scenario === 'laag' ? ' (hoogste kosten, laagste baten)' : r.scenario === 'hoog' ? ' (laagste kosten, hoogste baten)' : ''}.{' '}
          </span>
        ))}
        Boven de nullijn zijn de baten groter dan de kosten; een rondje markeert de maand waarin een scenario quitte speelt (break-even).
      </figcaption>
    </figure>
  );
}

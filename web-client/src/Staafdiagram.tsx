// A bar chart of a measure per quarter, drawn in SVG that shrinks with the screen. A hidden value
// is drawn as an outlined bar that says `verborgen` (the server's one marker), never as a zero
// and never why. The same numbers are always in a table next to it; the chart is an image with
// a text alternative that says so.
import { kwartaalKort, waardeTekst, VERBORGEN, type CelWaarde } from './cijferweergave';

export interface Staaf extends Partial<CelWaarde> {
  /** The period, `2025Q3`. */
  label: string;
}

const BREEDTE = 40;
const HOOGTE = 160;
const BOVEN = 18;
const ONDER = 36;

export function Staafdiagram({ titel, reeks, norm }: { titel: string; reeks: readonly Staaf[]; norm?: { waarde: number; tekst: string } }) {
  const max = Math.max(1, norm?.waarde ?? 0, ...reeks.map((r) => (r.verborgen ? 0 : (r.waarde ?? 0))));
  const breedte = Math.max(1, reeks.length) * BREEDTE + 20;
  const hoogte = BOVEN + HOOGTE + ONDER;
  const y = (w: number) => BOVEN + HOOGTE - (w / max) * HOOGTE;
  return (
    <figure className="traject-diagram" style={{ marginInline: 0, maxInlineSize: `min(100%, ${Math.max(breedte, 288)}px)` }}>
      <svg
        role="img"
        aria-label={`${titel}; dezelfde getallen staan in de tabel`}
        viewBox={`0 0 ${breedte} ${hoogte}`}
        style={{ inlineSize: '100%', maxInlineSize: `${breedte}px`, blockSize: 'auto', display: 'block' }}
      >
        {reeks.map((r, i) => {
          const x = 10 + i * BREEDTE;
          const [regel1, regel2] = kwartaalKort(r.label).split(' ');
          const as = (
            <text x={x + BREEDTE / 2} y={BOVEN + HOOGTE + 14} textAnchor="middle" className="traject-as-tekst">
              <tspan x={x + BREEDTE / 2}>{regel1}</tspan>
              {regel2 && (
                <tspan x={x + BREEDTE / 2} dy={13}>
                  {regel2}
                </tspan>
              )}
            </text>
          );
          if (r.verborgen) {
            const mx = x + BREEDTE / 2;
            const my = BOVEN + HOOGTE / 2;
            return (
              <g key={r.label}>
                <rect x={x + 5} y={BOVEN} width={BREEDTE - 10} height={HOOGTE} className="traject-staaf-verborgen" />
                <text x={mx} y={my} textAnchor="middle" dominantBaseline="middle" transform={`rotate(-90 ${mx} ${my})`} className="traject-staaf-tekst">
                  {VERBORGEN}
                </text>
                {as}
              </g>
            );
          }
          const w = r.waarde ?? 0;
          return (
            <g key={r.label}>
              <rect x={x + 5} y={y(w)} width={BREEDTE - 10} height={BOVEN + HOOGTE - y(w)} className="traject-staaf" />
              {r.waarde !== null && r.waarde !== undefined && (
                <text x={x + BREEDTE / 2} y={y(w) - 4} textAnchor="middle" className="traject-staaf-tekst">
                  {waardeTekst({ waarde: r.waarde, verborgen: false })}
                </text>
              )}
              {as}
            </g>
          );
        })}
        {norm && (
          <g>
            <line x1={6} x2={breedte - 6} y1={y(norm.waarde)} y2={y(norm.waarde)} stroke="#a90000" strokeWidth={2} strokeDasharray="6 4" />
            <text x={breedte - 6} y={y(norm.waarde) - 4} textAnchor="end" className="traject-staaf-tekst">
              {norm.tekst}
            </text>
          </g>
        )}
      </svg>
      <figcaption className="utrecht-paragraph">
        {titel}. Een gestippelde staaf met het woord {VERBORGEN}: verborgen, geen nul.
        {norm ? ` De rode stippellijn: ${norm.tekst}.` : ''}
      </figcaption>
    </figure>
  );
}

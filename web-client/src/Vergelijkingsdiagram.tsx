// A chart of figures side by side, the companion of Staafdiagram for the quality report: per
// figure a short bar for each of its values (the subject's own, the national one, the median of
// the regions) with its name written beside it, so that colour is never the only cue, and the
// norm as a red dotted line. A share runs from 0 to 100%; any other figure has a scale of its
// own. A hidden value is an outlined box that says `verborgen` (the server's one marker), never
// a zero and never why; "nog niet bekend" and "geen" are written as such. The same numbers are
// always in a table next to it; the chart is an image with a text alternative that says so.
import { VERBORGEN } from './cijferweergave';
import { weergave, type KwaliteitWaarde } from './kwaliteitweergave';

/** Which value a bar shows: it decides the bar's colour. */
export type Reeks = 'eigen' | 'landelijk' | 'regios';

export interface Vergelijking {
  /** The figure, `Methode IPS`, or an intake quarter. */
  label: string;
  /** `aantal`, `aandeel` or `mediaan`: a share runs from 0 to 100%. */
  soort: string;
  balken: { reeks: Reeks; naam: string; waarde: KwaliteitWaarde | undefined }[];
  norm?: { waarde: number; tekst: string };
}

const BREEDTE = 440;
const NAAM = 96;
const EIND = 352;
const KOP = 18;
const RIJ = 16;
const TUSSEN = 10;
/** How much larger than its view box the chart may be drawn, so that its text reads as body text. */
const VERGROTING = 1.25;

export const REEKS_KLEUR: Record<Reeks, string> = { eigen: '#1a5d8f', landelijk: '#595959', regios: '#a14a00' };

export function Vergelijkingsdiagram({
  titel,
  items,
  legenda,
  uitleg,
}: {
  titel: string;
  items: readonly Vergelijking[];
  /** The bars' names in words, for the caption. */
  legenda: { reeks: Reeks; tekst: string }[];
  uitleg?: string;
}) {
  const rijen = (it: Vergelijking) => it.balken.length + (it.norm ? 1 : 0);
  const hoogte = items.reduce((h, it) => h + KOP + rijen(it) * RIJ + TUSSEN, 4);
  let y0 = 4;
  const metNorm = items.some((it) => it.norm);
  return (
    <figure className="traject-diagram traject-vergelijking" style={{ marginInline: 0, maxInlineSize: `min(100%, ${BREEDTE * VERGROTING}px)` }}>
      <svg
        role="img"
        aria-label={`${titel}; dezelfde getallen staan in de tabel`}
        viewBox={`0 0 ${BREEDTE} ${hoogte}`}
        style={{ inlineSize: '100%', maxInlineSize: `${BREEDTE * VERGROTING}px`, blockSize: 'auto', display: 'block' }}
      >
        {items.map((it) => {
          const getoond = it.balken
            .map((b) => weergave(it.soort, b.waarde))
            .map((w, i) => (w.getal ? (it.balken[i].waarde?.waarde ?? 0) : 0));
          const max = it.soort === 'aandeel' ? 1 : Math.max(Number.MIN_VALUE, it.norm?.waarde ?? 0, ...getoond);
          const x = (w: number) => NAAM + (Math.max(0, w) / max) * (EIND - NAAM);
          const top = y0;
          y0 += KOP + rijen(it) * RIJ + TUSSEN;
          return (
            <g key={it.label}>
              <text x={0} y={top + 12} className="traject-vergelijking-label">
                {it.label}
              </text>
              {it.balken.map((b, i) => {
                const y = top + KOP + i * RIJ;
                const w = weergave(it.soort, b.waarde);
                const naam = (
                  <text x={0} y={y + 11} className="traject-as-tekst">
                    {b.naam}
                  </text>
                );
                if (w.getal) {
                  const eind = x(b.waarde?.waarde ?? 0);
                  return (
                    <g key={b.reeks}>
                      {naam}
                      <rect x={NAAM} y={y + 2} width={Math.max(1, eind - NAAM)} height={RIJ - 5} fill={REEKS_KLEUR[b.reeks]} />
                      <text x={eind + 4} y={y + 11} className="traject-staaf-tekst">
                        {w.tekst}
                      </text>
                    </g>
                  );
                }
                if (w.tekst === VERBORGEN) {
                  return (
                    <g key={b.reeks}>
                      {naam}
                      <rect x={NAAM} y={y + 1} width={64} height={RIJ - 3} className="traject-staaf-verborgen" />
                      <text x={NAAM + 32} y={y + 11} textAnchor="middle" className="traject-staaf-tekst">
                        {VERBORGEN}
                      </text>
                    </g>
                  );
                }
                return (
                  <g key={b.reeks}>
                    {naam}
                    <text x={NAAM} y={y + 11} className="traject-staaf-tekst traject-vergelijking-leeg">
                      {w.tekst}
                    </text>
                  </g>
                );
              })}
              {it.norm && (
                <g>
                  <text x={0} y={top + KOP + it.balken.length * RIJ + 11} className="traject-as-tekst">
                    Norm
                  </text>
                  <line
                    x1={x(it.norm.waarde)}
                    x2={x(it.norm.waarde)}
                    y1={top + KOP}
                    y2={top + KOP + rijen(it) * RIJ - 2}
                    stroke="#a90000"
                    strokeWidth={2}
                    strokeDasharray="4 3"
                  />
                  <text
                    x={x(it.norm.waarde) + (it.norm.waarde / max > 0.6 ? -4 : 4)}
                    y={top + KOP + it.balken.length * RIJ + 11}
                    textAnchor={it.norm.waarde / max > 0.6 ? 'end' : 'start'}
                    className="traject-staaf-tekst"
                  >
                    {it.norm.tekst}
                  </text>
                </g>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="utrecht-paragraph">
        {titel}.{' '}
        {legenda.map((l) => (
          <span key={l.reeks} className="traject-legenda">
            <svg width="12" height="12" aria-hidden="true" focusable="false">
              <rect width="12" height="12" fill={REEKS_KLEUR[l.reeks]} />
            </svg>{' '}
            {l.tekst}{' '}
          </span>
        ))}
        {uitleg ? `${uitleg} ` : ''}Een gestippeld vak met het woord {VERBORGEN}: verborgen, geen nul.
        {metNorm ? ' De rode stippellijn: de norm.' : ''}
      </figcaption>
    </figure>
  );
}

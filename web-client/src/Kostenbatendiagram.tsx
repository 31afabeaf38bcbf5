// A chart of the business case's costs beside its returns, per party, in the style of
// Vergelijkingsdiagram: per party a bar for its costs and one for its returns on one scale for
// all parties, each with its name ("Kosten", "Baten") and its amount written beside it, so that
// colour is never the only cue. The same numbers are always in a table next to it; the chart is
// an image with a text alternative that says so.
import { euroTekst } from './businesscaseweergave';

export interface KostenBaten {
  /** The party in words. */
  label: string;
  kosten: number;
  baten: number;
}

const BREEDTE = 440;
const NAAM = 56;
const EIND = 350;
const KOP = 18;
const RIJ = 16;
const TUSSEN = 8;
/** How much larger than its view box the chart may be drawn, so that its text reads as body text. */
const VERGROTING = 1.25;

export const KOSTEN_KLEUR = '#a14a00';
export const BATEN_KLEUR = '#1a5d8f';

export function Kostenbatendiagram({ titel, items, uitleg }: { titel: string; items: readonly KostenBaten[]; uitleg?: string }) {
  const max = Math.max(Number.MIN_VALUE, ...items.flatMap((it) => [it.kosten, it.baten]));
  const x = (w: number) => NAAM + (Math.max(0, w) / max) * (EIND - NAAM);
  const per = KOP + 2 * RIJ + TUSSEN;
  const hoogte = items.length * per + 4;
  return (
    <figure className="traject-diagram traject-vergelijking" style={{ marginInline: 0, maxInlineSize: `min(100%, ${BREEDTE * VERGROTING}px)` }}>
      <svg
        role="img"
        aria-label={`${titel}; dezelfde getallen staan in de tabel`}
        viewBox={`0 0 ${BREEDTE} ${hoogte}`}
        style={{ inlineSize: '100%', maxInlineSize: `${BREEDTE * VERGROTING}px`, blockSize: 'auto', display: 'block' }}
      >
        {items.map((it, i) => {
          const top = 4 + i * per;
          return (
            <g key={it.label}>
              <text x={0} y={top + 12} className="traject-vergelijking-label">
                {it.label}
              </text>
              {(
                [
                  ['Kosten', it.kosten, KOSTEN_KLEUR],
                  ['Baten', it.baten, BATEN_KLEUR],
                ] as const
              ).map(([naam, waarde, kleur], j) => {
                const y = top + KOP + j * RIJ;
                const eind = x(waarde);
                return (
                  <g key={naam}>
                    <text x={0} y={y + 11} className="traject-as-tekst">
                      {naam}
                    </text>
                    <rect x={NAAM} y={y + 2} width={Math.max(1, eind - NAAM)} height={RIJ - 5} fill={kleur} />
                    <text x={eind + 4} y={y + 11} className="traject-staaf-tekst">
                      {euroTekst(waarde)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="utrecht-paragraph">
        {titel}.{' '}
        <span className="traject-legenda">
          <svg width="12" height="12" aria-hidden="true" focusable="false">
            <rect width="12" height="12" fill={KOSTEN_KLEUR} />
          </svg>{' '}
          Kosten: wat de partij betaalt.{' '}
        </span>
        <span className="traject-legenda">
          <svg width="12" height="12" aria-hidden="true" focusable="false">
            <rect width="12" height="12" fill={BATEN_KLEUR} />
          </svg>{' '}
          Baten: wat de partij terugkrijgt.{' '}
        </span>
        {uitleg ?? ''}
      </figcaption>
    </figure>
  );
}

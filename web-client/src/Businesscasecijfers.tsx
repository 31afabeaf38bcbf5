// The figures of the Businesscase screen for one horizon: per party the costs, returns, net and
// break-even month in the low, middle and high scenario (a row group per party); the costs beside
// the returns per party in the middle scenario, as a table and a chart; the cumulative net of all
// parties month by month as a chart, with a table of its values at the end of each quarter or
// year; and all parties together over every horizon. The same for the released case and a
// what-if: the screen says which it is.
import { useMemo } from 'react';
import {
  SCENARIOS,
  breakEvenTekst,
  cumulatiefPunten,
  euroTekst,
  horizonTekst,
  horizonten,
  maandTekst,
  partijTabel,
  partijTekst,
  scenarioTekst,
  uitkomstVan,
  type Uitkomst,
} from './businesscaseweergave';
import { Kostenbatendiagram } from './Kostenbatendiagram';
import { Alinea, Kop, Tabel } from './ui';
import { Verloopdiagram } from './Verloopdiagram';

/** What the figures need of a case (`Businesscase`). */
export interface CasusCijfers {
  onderwerp: string;
  vrijgave: { jaar: number };
  uitkomsten: readonly Uitkomst[];
}

const num = 'utrecht-table__cell utrecht-table__cell--numeric-data';

/** Per party (and all together) the balance in each scenario: a row group per party. */
export function PartijSectie({ casus, horizon }: { casus: CasusCijfers; horizon: number }) {
  const rijen = useMemo(() => partijTabel(casus.uitkomsten, horizon), [casus, horizon]);
  const jaar = casus.vrijgave.jaar;
  const bijschrift = `Kosten, baten, netto en break-even per partij en scenario, over ${horizonTekst(horizon)}: ${casus.onderwerp}`;
  return (
    <section aria-labelledby="partijen-kop" className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id="partijen-kop">
        Kosten en baten per partij, over {horizonTekst(horizon)}
      </Kop>
      <Alinea>
        Per partij wat zij betaalt (kosten), wat zij terugkrijgt (baten), het verschil (netto) en de maand waarin haar baten
        sinds januari {jaar} haar kosten inhalen (break-even), in drie scenario&apos;s: laag rekent met de hoogste kosten en
        de laagste baten van elke bandbreedte, hoog andersom.
      </Alinea>
      <div className="utrecht-table-container utrecht-table-container--overflow-inline" tabIndex={0} role="region" aria-label={bijschrift}>
        <table className="utrecht-table utrecht-table--html-table traject-cohorttabel traject-partijtabel">
          <caption className="utrecht-table__caption">{bijschrift}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">
                Partij
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Scenario
              </th>
              {['Kosten', 'Baten', 'Netto'].map((k) => (
                <th key={k} scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">
                  {k}
                </th>
              ))}
              <th scope="col" className="utrecht-table__header-cell">
                Break-even
              </th>
            </tr>
          </thead>
          {rijen.map((r) => (
            <tbody key={r.partij} className={`utrecht-table__body ${r.partij === 'totaal' ? 'traject-totaal' : ''}`} data-partij={r.partij}>
              {SCENARIOS.map((s, i) => {
                const b = r.perScenario[s];
                return (
                  <tr key={s} className="utrecht-table__row" data-scenario={s}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={SCENARIOS.length} className="utrecht-table__header-cell">
                        {partijTekst(r.partij)}
                      </th>
                    )}
                    <th scope="row" className="utrecht-table__header-cell traject-reeks-kop">
                      {scenarioTekst(s)}
                    </th>
                    <td className={num}>{b ? euroTekst(b.kosten) : '–'}</td>
                    <td className={num}>{b ? euroTekst(b.baten) : '–'}</td>
                    <td className={num}>{b ? euroTekst(b.netto) : '–'}</td>
                    <td className="utrecht-table__cell traject-norm">{b ? breakEvenTekst(jaar, b.breakEvenMaand) : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}

/** Costs beside returns per party in the middle scenario: a table and a chart with the same numbers. */
export function KostenBatenSectie({ casus, horizon }: { casus: CasusCijfers; horizon: number }) {
  const midden = uitkomstVan(casus.uitkomsten, 'midden', horizon);
  if (!midden) return null;
  const titel = `Kosten en baten per partij, scenario midden, over ${horizonTekst(horizon)}: ${casus.onderwerp}`;
  return (
    <section aria-labelledby="kostenbaten-kop" className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id="kostenbaten-kop">
        Kosten naast baten per partij (scenario midden)
      </Kop>
      <div className="traject-naast">
        <Tabel bijschrift={titel} koppen={['Partij', 'Kosten', 'Baten', 'Netto']} numeriek={[1, 2, 3]}>
          {[...midden.partijen, midden.totaal].map((p) => (
            <tr key={p.partij} className={`utrecht-table__row ${p.partij === 'totaal' ? 'traject-totaal' : ''}`}>
              <th scope="row" className="utrecht-table__header-cell">
                {partijTekst(p.partij)}
              </th>
              <td className={num}>{euroTekst(p.kosten)}</td>
              <td className={num}>{euroTekst(p.baten)}</td>
              <td className={num}>{euroTekst(p.netto)}</td>
            </tr>
          ))}
        </Tabel>
        <Kostenbatendiagram
          titel={titel}
          items={midden.partijen.map((p) => ({ label: partijTekst(p.partij), kosten: p.kosten, baten: p.baten }))}
          uitleg="Alle partijen op één schaal; het totaal staat alleen in de tabel."
        />
      </div>
    </section>
  );
}

/** The cumulative net of all parties month by month, per scenario: a chart and a table of quarters or years. */
export function VerloopSectie({ casus, horizon }: { casus: CasusCijfers; horizon: number }) {
  const jaar = casus.vrijgave.jaar;
  const punten = useMemo(() => cumulatiefPunten(casus.uitkomsten, horizon), [casus, horizon]);
  const reeksen = SCENARIOS.flatMap((s) => {
    const u = uitkomstVan(casus.uitkomsten, s, horizon);
    return u ? [{ scenario: s, waarden: u.cumulatiefNetto, breakEven: u.totaal.breakEvenMaand }] : [];
  });
  const titel = `Cumulatief netto resultaat van alle partijen per maand, over ${horizonTekst(horizon)}: ${casus.onderwerp}`;
  const perKwartaal = horizon <= 2;
  return (
    <section aria-labelledby="verloop-kop" className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id="verloop-kop">
        Cumulatief netto resultaat
      </Kop>
      <Alinea>
        De baten min de kosten van alle partijen samen, opgeteld vanaf januari {jaar}. Break-even van alle partijen samen:{' '}
        {reeksen.map((r, i) => (
          <span key={r.scenario}>
            {i > 0 ? (i === reeksen.length - 1 ? ' en ' : ', ') : ''}
            {scenarioTekst(r.scenario).toLowerCase()} {breakEvenTekst(jaar, r.breakEven)}
          </span>
        ))}
        .
      </Alinea>
      <div className="traject-naast">
        <Verloopdiagram titel={titel} jaar={jaar} reeksen={reeksen} />
        <Tabel
          bijschrift={`Cumulatief netto resultaat aan het eind van elk ${perKwartaal ? 'kwartaal' : 'jaar'}, per scenario, over ${horizonTekst(horizon)}`}
          koppen={['Eind van', ...SCENARIOS.map(scenarioTekst)]}
          numeriek={[1, 2, 3]}
        >
          {punten.map((p) => (
            <tr key={p.maand} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">
                {maandTekst(jaar, p.maand)}
              </th>
              {SCENARIOS.map((s) => (
                <td key={s} className={num}>
                  {p.waarden[s] === undefined ? '–' : euroTekst(p.waarden[s])}
                </td>
              ))}
            </tr>
          ))}
        </Tabel>
      </div>
    </section>
  );
}

/** All parties together over every horizon: the net per scenario and the middle's break-even. */
export function HorizonSectie({ casus }: { casus: CasusCijfers }) {
  const jaar = casus.vrijgave.jaar;
  return (
    <section aria-labelledby="horizonten-kop" className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id="horizonten-kop">
        Alle partijen samen, per horizon
      </Kop>
      <Tabel
        bijschrift={`Netto resultaat van alle partijen samen per horizon en scenario: ${casus.onderwerp}`}
        koppen={['Horizon', ...SCENARIOS.map((s) => `Netto ${scenarioTekst(s).toLowerCase()}`), 'Break-even midden']}
        numeriek={[1, 2, 3]}
      >
        {horizonten(casus.uitkomsten).map((h) => (
          <tr key={h} className="utrecht-table__row">
            <th scope="row" className="utrecht-table__header-cell">
              {horizonTekst(h)}
            </th>
            {SCENARIOS.map((s) => {
              const u = uitkomstVan(casus.uitkomsten, s, h);
              return (
                <td key={s} className={num}>
                  {u ? euroTekst(u.totaal.netto) : '–'}
                </td>
              );
            })}
            <td className="utrecht-table__cell traject-norm">{breakEvenTekst(jaar, uitkomstVan(casus.uitkomsten, 'midden', h)?.totaal.breakEvenMaand)}</td>
          </tr>
        ))}
      </Tabel>
    </section>
  );
}

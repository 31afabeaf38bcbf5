// Cijfers (regio and landelijk): the released figures per quarter and method, as a table and a
// chart with the same numbers beside it; hidden values shown as hidden (never as zero, never
// why); progress towards the yearly target; downloads as CSV, XLSX and JSON. The landelijk role
// may add the provisional figures of quarters not released yet, and releases a quarter.
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { download } from '../api';
import { foutTekst } from '../fouten';
import { graphql } from '../gql';
import type { RegioCijfersQuery } from '../gql/graphql';
import { heeftRol, useSessie } from '../sessie';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, datumTekst, woorden } from '../ui';

const RegioCijfers = graphql(`
  query RegioCijfers($van: String!, $tot: String!, $regio: String, $voorlopig: Boolean) {
    regioCijfers(van: $van, tot: $tot, regio: $regio, voorlopig: $voorlopig) {
      bereik
      van
      tot
      vrijgaven {
        kwartaal
        nummer
        peildatum
        storePositie
        beleidsversie
      }
      nietVrijgegeven
      voorlopig
      drempel
      afronden
      regels
      cellen {
        regio
        regionaam
        periode
        methode
        maten {
          maat
          waarde
          verborgen
        }
        mediaanDagenTotWerkgeverscontact
      }
      voortgang {
        regio
        jaar
        kwartalen
        gestart
        verborgen
        doel
        aandeel
      }
    }
  }
`);

const Vrijgeven = graphql(`
  mutation CijfersVrijgeven($kwartaal: String!) {
    cijfersVrijgeven(kwartaal: $kwartaal) {
      kwartaal
      nummer
    }
  }
`);

type Cel = RegioCijfersQuery['regioCijfers']['cellen'][number];

const MATEN: { waarde: string; tekst: string }[] = [
  { waarde: 'gestart', tekst: 'Gestart (intake afgerond)' },
  { waarde: 'aangemeld', tekst: 'Aangemeld' },
  { waarde: 'eerste_plaatsing', tekst: 'Eerste plaatsing' },
  { waarde: 'duurzaam_bereikt', tekst: 'Duurzaam bereikt' },
  { waarde: 'lopend', tekst: 'Lopend aan het eind van de periode' },
  { waarde: 'met_betaald_werk', tekst: 'Met betaald werk aan het eind van de periode' },
  { waarde: 'in_waakvlam', tekst: 'In waakvlam aan het eind van de periode' },
  { waarde: 'opgeschaald', tekst: 'Opgeschaald' },
  { waarde: 'afgesloten', tekst: 'Afgesloten' },
];

/** Quarters from 2016Q1 up to this one, newest first. */
export function kwartalen(nu = new Date()): string[] {
  const uit: string[] = [];
  for (let j = nu.getFullYear(); j >= 2016; j--) {
    for (let k = 4; k >= 1; k--) {
      if (j === nu.getFullYear() && k > Math.floor(nu.getMonth() / 3) + 1) continue;
      uit.push(`${j}Q${k}`);
    }
  }
  return uit;
}

/** A value as shown: the number, or `verborgen` (never why); never a zero in its place. */
export function Waarde({ waarde, verborgen }: { waarde?: number | null; verborgen?: boolean | null }) {
  if (verborgen) {
    return (
      <span className="traject-verborgen-waarde" title="niet gepubliceerd">
        verborgen
      </span>
    );
  }
  if (waarde === null || waarde === undefined) return <>–</>;
  return <>{waarde.toLocaleString('nl-NL')}</>;
}

function maatVan(cel: Cel | undefined, maat: string) {
  return cel?.maten.find((m) => m.maat === maat);
}

export function Staafdiagram({
  titel,
  reeks,
}: {
  titel: string;
  reeks: { label: string; waarde?: number | null; verborgen?: boolean | null }[];
}) {
  const max = Math.max(1, ...reeks.map((r) => r.waarde ?? 0));
  const breedte = 36;
  const hoogte = 160;
  return (
    <figure className="traject-diagram">
      <svg
        role="img"
        aria-label={`${titel}; dezelfde getallen staan in de tabel ernaast`}
        width={reeks.length * breedte + 20}
        height={hoogte + 40}
        viewBox={`0 0 ${reeks.length * breedte + 20} ${hoogte + 40}`}
      >
        {reeks.map((r, i) => {
          const x = 10 + i * breedte;
          if (r.verborgen) {
            return (
              <g key={r.label}>
                <rect x={x + 4} y={10} width={breedte - 8} height={hoogte} className="traject-staaf-verborgen" />
                <text x={x + breedte / 2} y={hoogte / 2 + 10} textAnchor="middle" className="traject-staaf-tekst">
                  ?
                </text>
                <text x={x + breedte / 2} y={hoogte + 28} textAnchor="middle" className="traject-as-tekst">
                  {r.label.slice(2)}
                </text>
              </g>
            );
          }
          const h = ((r.waarde ?? 0) / max) * hoogte;
          return (
            <g key={r.label}>
              <rect x={x + 4} y={10 + hoogte - h} width={breedte - 8} height={h} className="traject-staaf" />
              <text x={x + breedte / 2} y={hoogte + 28} textAnchor="middle" className="traject-as-tekst">
                {r.label.slice(2)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="utrecht-paragraph">{titel}. Een vraagteken: verborgen, geen nul.</figcaption>
    </figure>
  );
}

export function Cijfers() {
  const { ik, token } = useSessie();
  const landelijk = heeftRol(ik, 'LANDELIJK');
  const lijst = useMemo(() => kwartalen(), []);
  const [van, setVan] = useState(lijst[Math.min(7, lijst.length - 1)]);
  const [tot, setTot] = useState(lijst[0]);
  const [maat, setMaat] = useState('gestart');
  const [regioKeuze, setRegioKeuze] = useState('');
  const [downloadFout, setDownloadFout] = useState<string>();
  const [voorlopig, setVoorlopig] = useState(false);
  const [vrijgeefKwartaal, setVrijgeefKwartaal] = useState('');
  const [vrijgave, vrijgeven] = useMutation(Vrijgeven);
  const [{ data, error, fetching }, opnieuw] = useQuery({
    query: RegioCijfers,
    variables: { van, tot, regio: null, voorlopig: landelijk && voorlopig },
    pause: van > tot,
  });
  const cijfers = data?.regioCijfers;
  const regios = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of cijfers?.cellen ?? []) m.set(c.regio, c.regionaam);
    return [...m.entries()].map(([waarde, naam]) => ({ waarde, tekst: `${naam} (${waarde})` }));
  }, [cijfers]);
  const regio = regioKeuze || (landelijk ? 'NL' : (ik.regio ?? regios[0]?.waarde ?? ''));
  const cellen = (cijfers?.cellen ?? []).filter((c) => c.regio === regio);
  const perioden = [...new Set(cellen.map((c) => c.periode))].filter((p) => p.includes('Q'));
  const methoden = [...new Set(cellen.map((c) => c.methode))];
  const cel = (periode: string, methode: string) => cellen.find((c) => c.periode === periode && c.methode === methode);
  const maatTekst = MATEN.find((m) => m.waarde === maat)?.tekst ?? woorden(maat);
  const voortgang = (cijfers?.voortgang ?? []).filter((v) => v.regio === regio);

  async function haal(formaat: 'csv' | 'xlsx' | 'json') {
    setDownloadFout(undefined);
    const params = new URLSearchParams({ van, tot, formaat });
    if (landelijk && voorlopig) params.set('voorlopig', 'ja');
    if (!landelijk && ik.regio) params.set('regio', ik.regio);
    if (landelijk && regio !== 'NL') params.set('regio', regio);
    const naam = `traject-cijfers-${landelijk && regio === 'NL' ? 'landelijk' : regio}-${van}-${tot}.${formaat}`;
    try {
      await download(token, `/export/cijfers?${params}`, naam);
    } catch (e) {
      setDownloadFout((e as Error).message);
    }
  }

  return (
    <>
      <Kop niveau={1}>Cijfers</Kop>
      <Alinea>
        Geanonimiseerde cijfers per kwartaal en methode, zoals ze zijn vrijgegeven. Kleine aantallen en getallen waaruit
        ze te herleiden zijn, zijn verborgen.
      </Alinea>
      <form className="traject-filters" aria-label="Cijfers kiezen" onSubmit={(e) => e.preventDefault()}>
        <KeuzeVeld label="Van kwartaal" naam="van" waarde={van} onWaarde={setVan} opties={[...lijst].reverse()} />
        <KeuzeVeld label="Tot en met kwartaal" naam="tot" waarde={tot} onWaarde={setTot} opties={lijst} />
        {regios.length > 1 && (
          <KeuzeVeld label="Regio" naam="regio" waarde={regio} onWaarde={setRegioKeuze} opties={regios} />
        )}
        <KeuzeVeld label="Maat" naam="maat" waarde={maat} onWaarde={setMaat} opties={MATEN} />
        {landelijk && (
          <div className="utrecht-form-field utrecht-form-field--checkbox">
            <label className="utrecht-form-label utrecht-form-label--checkbox">
              <input
                type="checkbox"
                className="utrecht-checkbox utrecht-checkbox--html-input"
                checked={voorlopig}
                onChange={(e) => setVoorlopig(e.target.checked)}
              />{' '}
              Ook voorlopige cijfers van niet vrijgegeven kwartalen (niet voor verspreiding)
            </label>
          </div>
        )}
      </form>
      {landelijk && (
        <form
          className="traject-filters"
          aria-label="Kwartaal vrijgeven"
          onSubmit={(e) => {
            e.preventDefault();
            if (vrijgeefKwartaal)
              void vrijgeven({ kwartaal: vrijgeefKwartaal }).then(() => opnieuw({ requestPolicy: 'network-only' }));
          }}
        >
          <KeuzeVeld
            label="Kwartaal vrijgeven"
            naam="vrijgeven"
            waarde={vrijgeefKwartaal}
            onWaarde={setVrijgeefKwartaal}
            opties={[{ waarde: '', tekst: 'Kies een kwartaal' }, ...lijst.map((k) => ({ waarde: k, tekst: k }))]}
          />
          <Knop type="submit">Vrijgeven</Knop>
        </form>
      )}
      {vrijgave.error && (
        <Melding soort="fout">
          Vrijgeven lukte niet. {foutTekst(vrijgave.error)}
        </Melding>
      )}
      {vrijgave.data && (
        <Melding soort="info">
          {vrijgave.data.cijfersVrijgeven.kwartaal} is vrijgegeven (vrijgave {vrijgave.data.cijfersVrijgeven.nummer}).
        </Melding>
      )}
      {van > tot && <Melding soort="fout">Het eerste kwartaal ligt na het laatste.</Melding>}
      {error && <Melding soort="fout">De cijfers konden niet worden geladen. {foutTekst(error)}</Melding>}
      {fetching && !cijfers && <Alinea>Cijfers berekenen…</Alinea>}
      {cijfers && (
        <>
          <section aria-labelledby="tabel-kop" className="traject-blok">
            <Kop niveau={2} id="tabel-kop">
              {maatTekst}: {regios.find((r) => r.waarde === regio)?.tekst ?? regio}
            </Kop>
            <div className="traject-naast">
              <Staafdiagram
                titel={`${maatTekst} per kwartaal, alle methoden samen`}
                reeks={perioden.map((p) => {
                  const m = maatVan(cel(p, 'totaal'), maat);
                  return { label: p, waarde: m?.waarde, verborgen: m?.verborgen };
                })}
              />
              <Tabel bijschrift={`${maatTekst} per kwartaal en methode`} koppen={['Kwartaal', ...methoden.map(woorden)]} numeriek={methoden.map((_, i) => i + 1)}>
                {[...new Set(cellen.map((c) => c.periode))].map((p) => (
                  <tr key={p} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">
                      {p}
                    </th>
                    {methoden.map((m) => {
                      const w = maatVan(cel(p, m), maat);
                      return (
                        <td key={m} className="utrecht-table__cell utrecht-table__cell--numeric-data">
                          <Waarde waarde={w?.waarde} verborgen={w?.verborgen} />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </Tabel>
            </div>
          </section>
          <section aria-labelledby="doel-kop" className="traject-blok">
            <Kop niveau={2} id="doel-kop">
              Voortgang naar het jaardoel (gestarte trajecten)
            </Kop>
            <Tabel bijschrift="Gestarte trajecten per jaar tegen het doel" koppen={['Jaar', 'Gestart', 'Doel', 'Voortgang']}>
              {voortgang.map((v) => (
                <tr key={v.jaar} className="utrecht-table__row">
                  <th scope="row" className="utrecht-table__header-cell">
                    {v.jaar}
                  </th>
                  <td className="utrecht-table__cell">
                    <Waarde waarde={v.gestart} verborgen={v.verborgen} />
                  </td>
                  <td className="utrecht-table__cell">{v.doel}</td>
                  <td className="utrecht-table__cell">
                    {v.aandeel === null || v.aandeel === undefined ? (
                      <Waarde verborgen={v.verborgen} />
                    ) : (
                      <>
                        <progress max={1} value={Math.min(1, v.aandeel)} aria-label={`Voortgang ${v.jaar}`} />{' '}
                        {Math.round(v.aandeel * 100)}%
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </Tabel>
          </section>
          <section aria-labelledby="download-kop" className="traject-blok">
            <Kop niveau={2} id="download-kop">
              Downloaden
            </Kop>
            <div className="utrecht-button-group">
              <Knop onClick={() => void haal('csv')}>CSV</Knop>
              <Knop onClick={() => void haal('xlsx')}>Excel (XLSX)</Knop>
              <Knop onClick={() => void haal('json')}>JSON</Knop>
            </div>
            {downloadFout && <Melding soort="fout">Downloaden lukte niet: {downloadFout}</Melding>}
            {cijfers.voorlopig && (
              <Melding soort="waarschuwing">
                Voorlopig: de kwartalen {cijfers.nietVrijgegeven.join(', ')} zijn niet vrijgegeven; niet voor verspreiding.
              </Melding>
            )}
            {!cijfers.voorlopig && cijfers.nietVrijgegeven.length > 0 && (
              <Alinea>Nog niet vrijgegeven: {cijfers.nietVrijgegeven.join(', ')}.</Alinea>
            )}
            <Alinea>
              {cijfers.vrijgaven.length === 0
                ? 'Geen vrijgegeven kwartalen in deze periode'
                : cijfers.vrijgaven
                    .map(
                      (v) =>
                        `${v.kwartaal}: vrijgave ${v.nummer} van ${datumTekst(v.peildatum)} (beleid ${v.beleidsversie}, storepositie ${v.storePositie})`,
                    )
                    .join('; ')}
              . Drempel T = {cijfers.drempel}
              {cijfers.afronden ? ', afgerond op veelvouden van 5' : ''}.
            </Alinea>
            <Alinea className="traject-regels">{cijfers.regels}</Alinea>
          </section>
        </>
      )}
    </>
  );
}

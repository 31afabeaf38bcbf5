// Cijfers (regio and landelijk): the released figures per quarter and method, as a table and a
// chart with the same numbers beside it; for landelijk the regions of a chosen quarter and
// measure side by side; the median days from intake to the first employer contact against the
// IPS norm and the closings per reason; hidden values shown as `verborgen` (never as zero, never
// why); progress towards the yearly target; downloads as CSV, XLSX and JSON. The landelijk role
// may add the provisional figures of quarters not released yet, and releases a quarter.
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { download } from '../api';
import { foutTekst } from '../fouten';
import { graphql } from '../gql';
import type { RegioCijfersQuery } from '../gql/graphql';
import { heeftRol, useSessie } from '../sessie';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, datumTekst } from '../ui';
import {
  AFSLUITREDEN_KOP,
  beleidTekst,
  AFSLUITUITKOMSTEN,
  IPS_NORM_DAGEN,
  MATEN,
  MEDIAAN,
  VERBORGEN,
  kwartaalTekst,
  maatTekst as maatWoorden,
  methodeTekst,
  methoden as methodenVan,
  perioden as periodenVan,
  regiosNaastElkaar,
  standaardKwartaal,
  waardeTekst,
  waardeVan,
  type CelWaarde,
} from '../cijferweergave';
import { Staafdiagram } from '../Staafdiagram';

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
        {VERBORGEN}
      </span>
    );
  }
  return <>{waardeTekst({ waarde: waarde ?? null, verborgen: false })}</>;
}

/** A table cell with a value, numbers aligned. */
function WaardeCel({ w }: { w: CelWaarde | undefined }) {
  return (
    <td className="utrecht-table__cell utrecht-table__cell--numeric-data">
      <Waarde waarde={w?.waarde} verborgen={w?.verborgen} />
    </td>
  );
}

const kwartaalOpties = (lijst: readonly string[]) => lijst.map((k) => ({ waarde: k, tekst: kwartaalTekst(k) }));

export function Cijfers() {
  const { ik, token } = useSessie();
  const landelijk = heeftRol(ik, 'LANDELIJK');
  const lijst = useMemo(() => kwartalen(), []);
  const [van, setVan] = useState(lijst[Math.min(7, lijst.length - 1)]);
  const [tot, setTot] = useState(lijst[0]);
  const [maat, setMaat] = useState('gestart');
  const [regioKeuze, setRegioKeuze] = useState('');
  const [vergelijkKwartaal, setVergelijkKwartaal] = useState('');
  const [vergelijkMaat, setVergelijkMaat] = useState('gestart');
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
  const alleCellen: readonly Cel[] = useMemo(() => cijfers?.cellen ?? [], [cijfers]);
  const regios = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of alleCellen) m.set(c.regio, c.regionaam);
    return [...m.entries()].map(([waarde, naam]) => ({ waarde, tekst: waarde === 'NL' ? naam : `${naam} (${waarde})` }));
  }, [alleCellen]);
  const regio = regioKeuze || (landelijk ? 'NL' : (ik.regio ?? regios[0]?.waarde ?? ''));
  const regioNaam = regios.find((r) => r.waarde === regio)?.tekst ?? regio;
  const cellen = alleCellen.filter((c) => c.regio === regio);
  const perioden = periodenVan(cellen);
  const kwartaalPerioden = perioden.filter((p) => p.includes('Q'));
  const methoden = methodenVan(cellen);
  const cel = (periode: string, methode: string) => cellen.find((c) => c.periode === periode && c.methode === methode);
  const maatTekst = maatWoorden(maat);
  const voortgang = (cijfers?.voortgang ?? []).filter((v) => v.regio === regio);
  const alleKwartalen = periodenVan(alleCellen).filter((p) => p.includes('Q'));
  const vergelijkPeriode =
    (alleKwartalen.includes(vergelijkKwartaal) ? vergelijkKwartaal : undefined) ??
    standaardKwartaal(
      alleKwartalen,
      (cijfers?.vrijgaven ?? []).map((v) => v.kwartaal),
    ) ??
    '';
  const naastElkaar = landelijk && vergelijkPeriode ? regiosNaastElkaar(alleCellen, vergelijkPeriode, vergelijkMaat) : [];
  const vergelijkMethoden = methodenVan(alleCellen.filter((c) => c.periode === vergelijkPeriode));

  async function haal(formaat: 'csv-nl' | 'csv' | 'xlsx' | 'json') {
    setDownloadFout(undefined);
    const params = new URLSearchParams({ van, tot, formaat });
    if (landelijk && voorlopig) params.set('voorlopig', 'ja');
    if (!landelijk && ik.regio) params.set('regio', ik.regio);
    if (landelijk && regio !== 'NL') params.set('regio', regio);
    const extensie = formaat === 'csv-nl' ? 'csv' : formaat;
    const naam = `traject-cijfers-${landelijk && regio === 'NL' ? 'landelijk' : regio}-${van}-${tot}.${extensie}`;
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
        ze te herleiden zijn, zijn verborgen: daar staat {VERBORGEN}, nooit een nul.
      </Alinea>
      <form className="traject-filters" aria-label="Cijfers kiezen" onSubmit={(e) => e.preventDefault()}>
        <KeuzeVeld label="Van kwartaal" naam="van" waarde={van} onWaarde={setVan} opties={kwartaalOpties([...lijst].reverse())} />
        <KeuzeVeld label="Tot en met kwartaal" naam="tot" waarde={tot} onWaarde={setTot} opties={kwartaalOpties(lijst)} />
        {regios.length > 1 && (
          <KeuzeVeld label="Regio" naam="regio" waarde={regio} onWaarde={setRegioKeuze} opties={regios} />
        )}
        <KeuzeVeld label="Maat" naam="maat" waarde={maat} onWaarde={setMaat} opties={MATEN} />
        {landelijk && (
          <div className="utrecht-form-field utrecht-form-field--checkbox" style={{ flexBasis: '100%' }}>
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
            opties={[{ waarde: '', tekst: 'Kies een kwartaal' }, ...kwartaalOpties(lijst)]}
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
          {kwartaalTekst(vrijgave.data.cijfersVrijgeven.kwartaal)} is vrijgegeven (vrijgave {vrijgave.data.cijfersVrijgeven.nummer}).
        </Melding>
      )}
      {van > tot && <Melding soort="fout">Het eerste kwartaal ligt na het laatste.</Melding>}
      {error && <Melding soort="fout">De cijfers konden niet worden geladen. {foutTekst(error)}</Melding>}
      {fetching && !cijfers && <Alinea>Cijfers berekenen…</Alinea>}
      {cijfers && (
        <>
          <section aria-labelledby="tabel-kop" className="traject-blok">
            <Kop niveau={2} id="tabel-kop">
              {maatTekst}: {regioNaam}
            </Kop>
            <div className="traject-naast">
              <Staafdiagram
                titel={`${maatTekst} per kwartaal, ${regioNaam}, alle methoden samen`}
                reeks={kwartaalPerioden.map((p) => ({ label: p, ...waardeVan(cel(p, 'totaal'), maat) }))}
                norm={maat === MEDIAAN ? { waarde: IPS_NORM_DAGEN, tekst: `IPS-norm: ten hoogste ${IPS_NORM_DAGEN} dagen` } : undefined}
              />
              <Tabel
                bijschrift={`${maatTekst} per kwartaal en methode, ${regioNaam}`}
                koppen={['Kwartaal', ...methoden.map(methodeTekst)]}
                numeriek={methoden.map((_, i) => i + 1)}
              >
                {perioden.map((p) => (
                  <tr key={p} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">
                      {kwartaalTekst(p)}
                    </th>
                    {methoden.map((m) => (
                      <WaardeCel key={m} w={waardeVan(cel(p, m), maat)} />
                    ))}
                  </tr>
                ))}
              </Tabel>
            </div>
          </section>
          {landelijk && (
            <section aria-labelledby="regios-kop" className="traject-blok">
              <Kop niveau={2} id="regios-kop">
                Regio&apos;s naast elkaar
              </Kop>
              <form className="traject-filters" aria-label="Regio's vergelijken" onSubmit={(e) => e.preventDefault()}>
                <KeuzeVeld
                  label="Kwartaal"
                  naam="vergelijkKwartaal"
                  waarde={vergelijkPeriode}
                  onWaarde={setVergelijkKwartaal}
                  opties={kwartaalOpties(alleKwartalen)}
                />
                <KeuzeVeld label="Maat" naam="vergelijkMaat" waarde={vergelijkMaat} onWaarde={setVergelijkMaat} opties={MATEN} />
              </form>
              {naastElkaar.length === 0 ? (
                <Alinea>Geen cijfers in deze periode.</Alinea>
              ) : (
                <Tabel
                  bijschrift={`${maatWoorden(vergelijkMaat)} per regio, ${kwartaalTekst(vergelijkPeriode)}`}
                  koppen={['Regio', ...vergelijkMethoden.map(methodeTekst)]}
                  numeriek={vergelijkMethoden.map((_, i) => i + 1)}
                >
                  {naastElkaar.map((r) => (
                    <tr key={r.regio} className="utrecht-table__row" style={r.landelijk ? { fontWeight: 'bold' } : undefined}>
                      <th scope="row" className="utrecht-table__header-cell">
                        {r.landelijk ? r.regionaam : `${r.regionaam} (${r.regio})`}
                      </th>
                      {vergelijkMethoden.map((m) => (
                        <WaardeCel key={m} w={r.waarden[m]} />
                      ))}
                    </tr>
                  ))}
                </Tabel>
              )}
            </section>
          )}
          <section aria-labelledby="mediaan-kop" className="traject-blok">
            <Kop niveau={2} id="mediaan-kop">
              Dagen van intake tot eerste werkgeverscontact: {regioNaam}
            </Kop>
            <Alinea>
              De mediaan van het aantal dagen tussen de intake en het eerste contact met een werkgever. IPS vraagt ten hoogste{' '}
              {IPS_NORM_DAGEN} dagen. De mediaan staat er alleen bij genoeg trajecten; anders staat er {VERBORGEN}.
            </Alinea>
            <div className="traject-naast">
              <Staafdiagram
                titel={`Mediaan dagen tot eerste werkgeverscontact per kwartaal, ${regioNaam}, alle methoden samen`}
                reeks={kwartaalPerioden.map((p) => ({ label: p, ...waardeVan(cel(p, 'totaal'), MEDIAAN) }))}
                norm={{ waarde: IPS_NORM_DAGEN, tekst: `IPS-norm: ten hoogste ${IPS_NORM_DAGEN} dagen` }}
              />
              <Tabel
                bijschrift={`Mediaan dagen van intake tot eerste werkgeverscontact per kwartaal en methode, ${regioNaam}`}
                koppen={['Kwartaal', ...methoden.map(methodeTekst)]}
                numeriek={methoden.map((_, i) => i + 1)}
              >
                {perioden.map((p) => (
                  <tr key={p} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">
                      {kwartaalTekst(p)}
                    </th>
                    {methoden.map((m) => (
                      <WaardeCel key={m} w={waardeVan(cel(p, m), MEDIAAN)} />
                    ))}
                  </tr>
                ))}
              </Tabel>
            </div>
          </section>
          <section aria-labelledby="afsluitreden-kop" className="traject-blok">
            <Kop niveau={2} id="afsluitreden-kop">
              Afgesloten trajecten naar reden: {regioNaam}
            </Kop>
            <Alinea>
              Alle methoden samen. Redenen die in een regio zelden voorkomen, zijn samengenomen onder &lsquo;andere reden&rsquo;.
            </Alinea>
            <Tabel
              bijschrift={`Afgesloten trajecten per kwartaal en reden, ${regioNaam}`}
              koppen={['Kwartaal', 'Afgesloten', ...AFSLUITUITKOMSTEN.map((u) => AFSLUITREDEN_KOP[u])]}
              numeriek={[1, 2, 3, 4]}
            >
              {perioden.map((p) => (
                <tr key={p} className="utrecht-table__row">
                  <th scope="row" className="utrecht-table__header-cell">
                    {kwartaalTekst(p)}
                  </th>
                  {['afgesloten', ...AFSLUITUITKOMSTEN].map((m) => (
                    <WaardeCel key={m} w={waardeVan(cel(p, 'totaal'), m)} />
                  ))}
                </tr>
              ))}
            </Tabel>
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
                  <td className="utrecht-table__cell">
                    <Waarde waarde={v.doel} />
                  </td>
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
              <Knop onClick={() => void haal('csv-nl')}>CSV voor Excel</Knop>
              <Knop onClick={() => void haal('csv')}>CSV met komma's</Knop>
              <Knop onClick={() => void haal('xlsx')}>Excel (XLSX)</Knop>
              <Knop onClick={() => void haal('json')}>JSON</Knop>
            </div>
            {downloadFout && <Melding soort="fout">Downloaden lukte niet: {downloadFout}</Melding>}
            {cijfers.voorlopig && (
              <Melding soort="waarschuwing">
                Voorlopig: {cijfers.nietVrijgegeven.map(kwartaalTekst).join(', ')}{' '}
                {cijfers.nietVrijgegeven.length === 1 ? 'is' : 'zijn'} niet vrijgegeven; niet voor verspreiding.
              </Melding>
            )}
            {!cijfers.voorlopig && cijfers.nietVrijgegeven.length > 0 && (
              <Alinea>Nog niet vrijgegeven: {cijfers.nietVrijgegeven.map(kwartaalTekst).join(', ')}.</Alinea>
            )}
            <Alinea>{vrijgavenTekst(cijfers)}</Alinea>
            <Alinea className="traject-regels">{cijfers.regels}</Alinea>
          </section>
        </>
      )}
    </>
  );
}

/** Which releases the figures come from, and the threshold, in words. */
export function vrijgavenTekst(c: {
  vrijgaven: readonly { kwartaal: string; nummer: number; peildatum: string; beleidsversie: string }[];
  drempel: number;
  afronden: boolean;
}): string {
  const vrijgaven =
    c.vrijgaven.length === 0
      ? 'Geen vrijgegeven kwartalen in deze periode'
      : c.vrijgaven
          .map(
            (v) =>
              `${kwartaalTekst(v.kwartaal)}: ${v.nummer === 1 ? 'vrijgegeven' : `correctie ${v.nummer - 1}`} op ${datumTekst(v.peildatum)} (${beleidTekst(v.beleidsversie)})`,
          )
          .join('; ');
  return `${vrijgaven}. Aantallen van 1 tot ${c.drempel} zijn verborgen${c.afronden ? '; aantallen zijn afgerond op veelvouden van 5' : ''}.`;
}

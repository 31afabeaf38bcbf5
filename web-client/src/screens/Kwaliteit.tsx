// Kwaliteitsrapport (teamleider, regio and landelijk): the released quality report over a calendar
// year, for a teamleider's own organisation, a regio user's region, or for landelijk the nation or
// a chosen region (a teamleider with either role too chooses their organisation's). A header with
// the subject, period, release, peildatum, policy version, threshold and rules (and, for a
// teamleider, that the organisation's own values are unprotected and internal); per group a table
// with the own value beside the national one, the median of the regions and the norm, and a chart
// with the same numbers; the cohorts as one table of intake quarters and horizons. Downloads as CSV
// and XLSX from /export/kwaliteit, and a print view for a steering group (styles.css, `@media
// print`). Landelijk releases a report.
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { download } from '../api';
import { VERBORGEN, beleidTekst, kwartaalTekst } from '../cijferweergave';
import { foutTekst } from '../fouten';
import { graphql } from '../gql';
import {
  cohortTabel,
  exportNaam,
  mediaanRegiosTekst,
  normTekst,
  periodeTekst,
  rapportTekst,
  rapportjaren,
  secties,
  vrijgaveNummerTekst,
  weergave,
  type KwaliteitRij,
  type Weergave,
} from '../kwaliteitweergave';
import { heeftRol, useSessie } from '../sessie';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, datumTekst } from '../ui';
import { vandaag } from '../validatie';
import { Vergelijkingsdiagram, type Reeks, type Vergelijking } from '../Vergelijkingsdiagram';
const Rapporten = graphql(`
  query Kwaliteitsrapporten {
    kwaliteitsrapporten
  }
`);

const Rapport = graphql(`
  query Kwaliteitsrapport($kwartaal: String!, $regio: String, $eigenOrganisatie: Boolean) {
    kwaliteitsrapport(kwartaal: $kwartaal, regio: $regio, eigenOrganisatie: $eigenOrganisatie) {
      onderwerp
      van
      tot
      eigenOrganisatie
      regels
      vrijgave {
        kwartaal
        nummer
        peildatum
        beleidsversie
        drempel
        afronden
      }
      rijen {
        groep
        code
        omschrijving
        soort
        norm
        eigen {
          status
          waarde
          teller
          noemer
        }
        landelijk {
          status
          waarde
          teller
          noemer
        }
        mediaanRegios
        regiosMetWaarde
      }
    }
  }
`);

// The regions landelijk may choose from: those of the released figures of the report's last quarter.
const Regios = graphql(`
  query KwaliteitRegios($kwartaal: String!) {
    regioCijfers(van: $kwartaal, tot: $kwartaal) {
      cellen {
        regio
        regionaam
      }
    }
  }
`);

const Vrijgeven = graphql(`
  mutation KwaliteitsrapportVrijgeven($kwartaal: String!) {
    kwaliteitsrapportVrijgeven(kwartaal: $kwartaal) {
      kwartaal
      nummer
    }
  }
`);

/** Whose values the report's first column holds: its head in a table and its bar's name in a chart. */
interface Onderwerp {
  kop: string;
  kort: string;
  landelijk: boolean;
}

/** A table cell with a value: the number (a share with "teller van noemer" below it), or what stands in its place. */
function WaardeCel({ w }: { w: Weergave }) {
  return (
    <td className="utrecht-table__cell utrecht-table__cell--numeric-data">
      {w.status === 'verborgen' ? (
        <span className="traject-verborgen-waarde" title="niet gepubliceerd">
          {VERBORGEN}
        </span>
      ) : w.getal ? (
        <>
          {w.tekst}
          {w.toelichting && (
            <>
              {' '}
              <span className="traject-teller">{w.toelichting}</span>
            </>
          )}
        </>
      ) : w.tekst === '–' ? (
        <>
          <span aria-hidden="true">–</span>
          {w.toelichting && <span className="traject-verborgen">{w.toelichting}</span>}
        </>
      ) : (
        <span className="traject-leeg-waarde">{w.tekst}</span>
      )}
    </td>
  );
}

/** The bars of one figure: its own value, the national one (not for a count, nor when the subject is the nation) and the median of the regions. */
function balken(rij: KwaliteitRij, onderwerp: Onderwerp): Vergelijking['balken'] {
  const uit: Vergelijking['balken'] = [{ reeks: 'eigen', naam: onderwerp.kort, waarde: rij.eigen }];
  if (!onderwerp.landelijk && rij.soort !== 'aantal') uit.push({ reeks: 'landelijk', naam: 'Nederland', waarde: rij.landelijk });
  uit.push({
    reeks: 'regios',
    naam: "Mediaan regio's",
    // No region with a shown value: a dash, as in the table.
    waarde:
      rij.mediaanRegios === null || rij.mediaanRegios === undefined || rij.regiosMetWaarde === 0
        ? undefined
        : { status: 'getoond', waarde: rij.mediaanRegios },
  });
  return uit;
}

function legenda(onderwerp: Onderwerp, metLandelijk: boolean): { reeks: Reeks; tekst: string }[] {
  return [
    { reeks: 'eigen', tekst: `${onderwerp.kort}: ${onderwerp.kop}.` },
    ...(metLandelijk ? [{ reeks: 'landelijk' as const, tekst: 'Nederland.' }] : []),
    { reeks: 'regios', tekst: "Mediaan regio's: de middelste van de regio's met een getoonde waarde." },
  ];
}

function GroepSectie({ groep, rijen, onderwerp, id }: { groep: string; rijen: KwaliteitRij[]; onderwerp: Onderwerp; id: string }) {
  const metNorm = rijen.some((r) => r.norm !== null && r.norm !== undefined);
  const metAantal = !onderwerp.landelijk && rijen.some((r) => r.soort === 'aantal');
  const koppen = ['Cijfer', onderwerp.kop, ...(onderwerp.landelijk ? [] : ['Nederland']), "Mediaan regio's", ...(metNorm ? ['Norm'] : [])];
  return (
    <section aria-labelledby={id} className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id={id}>
        {groep}
      </Kop>
      <div className="traject-naast">
        <Tabel
          bijschrift={onderwerp.landelijk ? `${groep}: Nederland naast de regio's` : `${groep}: ${onderwerp.kop} naast Nederland en de regio's`}
          koppen={koppen}
          numeriek={koppen.map((_, i) => i).slice(1)}
        >
          {rijen.map((r) => (
            <tr key={r.code} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">
                {r.omschrijving}
              </th>
              <WaardeCel w={weergave(r.soort, r.eigen)} />
              {!onderwerp.landelijk && <WaardeCel w={weergave(r.soort, r.landelijk)} />}
              <WaardeCel w={mediaanRegiosTekst(r)} />
              {metNorm && <td className="utrecht-table__cell utrecht-table__cell--numeric-data traject-norm">{normTekst(r) ?? ''}</td>}
            </tr>
          ))}
        </Tabel>
        <Vergelijkingsdiagram
          titel={`${groep}: ${onderwerp.kop} naast ${onderwerp.landelijk ? '' : 'Nederland en '}de mediaan van de regio's`}
          items={rijen.map((r) => {
            const norm = normTekst(r);
            return {
              label: r.omschrijving,
              soort: r.soort,
              balken: balken(r, onderwerp),
              norm: norm && r.norm !== null && r.norm !== undefined ? { waarde: r.norm, tekst: norm } : undefined,
            };
          })}
          legenda={legenda(onderwerp, !onderwerp.landelijk && rijen.some((r) => r.soort !== 'aantal'))}
          uitleg={
            (metAantal ? 'Bij een aantal staat het landelijke aantal alleen in de tabel. ' : '') +
            'Een aandeel loopt van 0 tot 100%; elk ander cijfer heeft een schaal van zichzelf.'
          }
        />
      </div>
    </section>
  );
}

function CohortSectie({ rijen, onderwerp }: { rijen: KwaliteitRij[]; onderwerp: Onderwerp }) {
  const tabel = useMemo(() => cohortTabel(rijen), [rijen]);
  const aandelen = tabel.kolommen.filter((k) => k.soort === 'aandeel');
  const [keuze, setKeuze] = useState('');
  const gekozen = aandelen.find((k) => k.sleutel === keuze) ?? aandelen[0];
  const metRegios = rijen.some((r) => r.regiosMetWaarde > 0 && r.mediaanRegios !== null && r.mediaanRegios !== undefined);
  const reeksen: { sleutel: Reeks; naam: string }[] = [
    { sleutel: 'eigen', naam: onderwerp.kort },
    ...(onderwerp.landelijk ? [] : [{ sleutel: 'landelijk' as const, naam: 'Nederland' }]),
    ...(metRegios ? [{ sleutel: 'regios' as const, naam: "Mediaan regio's" }] : []),
  ];
  const waardeVan = (rij: KwaliteitRij | undefined, reeks: Reeks): Weergave =>
    !rij ? weergave('aantal', undefined) : reeks === 'regios' ? mediaanRegiosTekst(rij) : weergave(rij.soort, reeks === 'eigen' ? rij.eigen : rij.landelijk);
  const bijschrift = `Cohorten naar kwartaal van intake: ${onderwerp.kop}${onderwerp.landelijk ? '' : ' naast Nederland'}${metRegios ? " en de mediaan van de regio's" : ''}`;
  return (
    <section aria-labelledby="cohorten-kop" className="traject-blok traject-rapport-groep">
      <Kop niveau={2} id="cohorten-kop">
        Cohorten: aan het werk en duurzaam na de intake
      </Kop>
      <Alinea>
        Per kwartaal van intake: hoeveel van de trajecten binnen 6, 12 en 18 maanden na de intake aan het werk waren, en
        hoeveel duurzaam. Zolang de termijn niet voor alle intakes van een kwartaal verstreken is, staat er &lsquo;nog niet
        bekend&rsquo;.
      </Alinea>
      <div className="utrecht-table-container utrecht-table-container--overflow-inline" tabIndex={0} role="region" aria-label={bijschrift}>
        <table className="utrecht-table utrecht-table--html-table traject-cohorttabel">
          <caption className="utrecht-table__caption">{bijschrift}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">
                Kwartaal van intake
              </th>
              <th scope="col" className="utrecht-table__header-cell">
                Waarde van
              </th>
              {tabel.kolommen.map((k) => (
                <th key={k.sleutel} scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">
                  {k.kop}
                </th>
              ))}
            </tr>
          </thead>
          {tabel.rijen.map((c) => (
            <tbody key={c.kwartaal} className="utrecht-table__body">
              {reeksen.map((s, i) => (
                <tr key={s.sleutel} className="utrecht-table__row">
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={reeksen.length} className="utrecht-table__header-cell">
                      {kwartaalTekst(c.kwartaal)}
                    </th>
                  )}
                  <th scope="row" className="utrecht-table__header-cell traject-reeks-kop">
                    {s.naam}
                  </th>
                  {tabel.kolommen.map((k) => (
                    <WaardeCel key={k.sleutel} w={waardeVan(c.cellen[k.sleutel], s.sleutel)} />
                  ))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      {gekozen && (
        <>
          <form className="traject-filters" aria-label="Grafiek van de cohorten" onSubmit={(e) => e.preventDefault()}>
            <KeuzeVeld
              label="In de grafiek"
              naam="cohortmaat"
              waarde={gekozen.sleutel}
              onWaarde={setKeuze}
              opties={aandelen.map((k) => ({ waarde: k.sleutel, tekst: k.kop }))}
            />
          </form>
          <Vergelijkingsdiagram
            titel={`${gekozen.kop}, per kwartaal van intake: ${onderwerp.kop}${onderwerp.landelijk ? '' : ' naast Nederland'}${metRegios ? " en de mediaan van de regio's" : ''}`}
            items={tabel.rijen.map((c) => {
              const rij = c.cellen[gekozen.sleutel];
              return {
                label: `Intake ${kwartaalTekst(c.kwartaal)}`,
                soort: 'aandeel',
                balken: rij ? balken(rij, onderwerp).filter((b) => metRegios || b.reeks !== 'regios') : [],
              };
            })}
            legenda={legenda(onderwerp, !onderwerp.landelijk).filter((l) => metRegios || l.reeks !== 'regios')}
          />
        </>
      )}
    </section>
  );
}

export function Kwaliteit() {
  const { ik, token } = useSessie();
  // A teamleider who is also a regio or landelijk user chooses between their organisation's
  // report and the region's or the nation's.
  const kiestOrganisatie = heeftRol(ik, 'TEAMLEIDER') && heeftRol(ik, 'REGIO', 'LANDELIJK');
  const [eigenKeuze, setEigenKeuze] = useState('');
  const eigen = kiestOrganisatie && eigenKeuze === 'eigen';
  const landelijkeRol = heeftRol(ik, 'LANDELIJK');
  const landelijk = landelijkeRol && !eigen;
  const [{ data: lijstData, error: lijstFout }, lijstOpnieuw] = useQuery({ query: Rapporten });
  const lijst = useMemo(() => lijstData?.kwaliteitsrapporten ?? [], [lijstData]);
  const [keuze, setKeuze] = useState('');
  const kwartaal = lijst.includes(keuze) ? keuze : (lijst[0] ?? '');
  const [regio, setRegio] = useState('');
  const [{ data: regioData }] = useQuery({ query: Regios, variables: { kwartaal }, pause: !landelijk || !kwartaal });
  const regios = useMemo(() => {
    const m = new Map<string, string>();
    for (const c of regioData?.regioCijfers.cellen ?? []) if (c.regio !== 'NL') m.set(c.regio, c.regionaam);
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([waarde, naam]) => ({ waarde, tekst: `${naam} (${waarde})` }));
  }, [regioData]);
  const [{ data, error, fetching }, opnieuw] = useQuery({
    query: Rapport,
    variables: { kwartaal, regio: landelijk && regio ? regio : null, eigenOrganisatie: eigen },
    pause: !kwartaal,
  });
  const [downloadFout, setDownloadFout] = useState<string>();
  const [vrijgeefKwartaal, setVrijgeefKwartaal] = useState('');
  const [vrijgave, vrijgeven] = useMutation(Vrijgeven);
  const vrijTeGeven = useMemo(() => rapportjaren(), []);

  const rapport = data?.kwaliteitsrapport;
  const nationaal = landelijk && !regio;
  const onderwerp: Onderwerp = nationaal
    ? { kop: 'Nederland', kort: 'Nederland', landelijk: true }
    : rapport?.eigenOrganisatie
      ? { kop: 'Eigen organisatie', kort: 'Organisatie', landelijk: false }
      : { kop: rapport?.onderwerp ?? 'Regio', kort: 'Regio', landelijk: false };
  const delen = useMemo(() => secties(rapport?.rijen ?? []), [rapport]);

  async function haal(formaat: 'csv-nl' | 'csv' | 'xlsx') {
    if (!rapport) return;
    setDownloadFout(undefined);
    const params = new URLSearchParams({ kwartaal, formaat });
    if (landelijk && regio) params.set('regio', regio);
    if (eigen) params.set('organisatie', 'eigen');
    const wie = nationaal ? 'NL' : rapport.eigenOrganisatie ? 'organisatie' : landelijk ? regio : (ik.regio ?? 'regio');
    try {
      await download(token, `/export/kwaliteit?${params}`, exportNaam(wie, rapport.vrijgave.kwartaal, rapport.vrijgave.nummer, formaat));
    } catch (e) {
      setDownloadFout((e as Error).message);
    }
  }

  return (
    <>
      <Kop niveau={1}>Kwaliteitsrapport</Kop>
      <Alinea className="traject-niet-afdrukken">
        Het kwaliteitsrapport over een kalenderjaar, zoals het is vrijgegeven: de eigen waarden naast die van Nederland, de
        mediaan van de regio&apos;s en de norm. Kleine aantallen en getallen waaruit ze te herleiden zijn, zijn verborgen:
        daar staat {VERBORGEN}, nooit een nul.
      </Alinea>
      <form className="traject-filters" aria-label="Rapport kiezen" onSubmit={(e) => e.preventDefault()}>
        {lijst.length > 0 && (
          <KeuzeVeld
            label="Rapport"
            naam="rapport"
            waarde={kwartaal}
            onWaarde={setKeuze}
            opties={lijst.map((k) => ({ waarde: k, tekst: rapportTekst(k) }))}
          />
        )}
        {kiestOrganisatie && lijst.length > 0 && (
          <KeuzeVeld
            label="Rapport van"
            naam="van"
            waarde={eigenKeuze}
            onWaarde={setEigenKeuze}
            opties={[
              { waarde: '', tekst: landelijkeRol ? "Nederland en de regio's" : 'Eigen regio' },
              { waarde: 'eigen', tekst: 'Eigen organisatie' },
            ]}
          />
        )}
        {landelijk && lijst.length > 0 && (
          <KeuzeVeld label="Regio" naam="regio" waarde={regio} onWaarde={setRegio} opties={[{ waarde: '', tekst: 'Nederland' }, ...regios]} />
        )}
      </form>
      {lijstFout && <Melding soort="fout">De kwaliteitsrapporten konden niet worden geladen. {foutTekst(lijstFout)}</Melding>}
      {lijstData && lijst.length === 0 && <Alinea>Er is nog geen kwaliteitsrapport vrijgegeven.</Alinea>}
      {error && <Melding soort="fout">Het rapport kon niet worden geladen. {foutTekst(error)}</Melding>}
      {fetching && !rapport && kwartaal && <Alinea>Rapport laden…</Alinea>}
      {rapport && (
        <article className="traject-rapport" aria-labelledby="rapport-kop">
          <header className="traject-rapport-kop">
            <Kop niveau={2} id="rapport-kop">
              Kwaliteitsrapport {rapportTekst(rapport.vrijgave.kwartaal)}: {nationaal ? 'Nederland' : rapport.onderwerp}
            </Kop>
            <p className="utrecht-paragraph traject-alleen-afdrukken">Afgedrukt op {datumTekst(vandaag())} uit traject.</p>
            {rapport.eigenOrganisatie && (
              <Melding soort="waarschuwing">
                <strong>Alleen voor intern gebruik.</strong> De waarden van uw eigen organisatie zijn niet beschermd: kleine
                aantallen zijn niet verborgen. Ze zijn voor de organisatie zelf en niet voor verspreiding daarbuiten. De
                waarden van Nederland en de mediaan van de regio&apos;s komen uit de vrijgave.
              </Melding>
            )}
            <dl className="traject-gegevens">
              <dt>Onderwerp</dt>
              <dd>{rapport.onderwerp}</dd>
              <dt>Periode</dt>
              <dd>{periodeTekst(rapport.van, rapport.tot)}</dd>
              <dt>Vrijgave</dt>
              <dd>{vrijgaveNummerTekst(rapport.vrijgave.nummer)}</dd>
              <dt>Peildatum</dt>
              <dd>{datumTekst(rapport.vrijgave.peildatum)}</dd>
              <dt>Beleid</dt>
              <dd>{beleidTekst(rapport.vrijgave.beleidsversie)}</dd>
              <dt>Drempel</dt>
              <dd>
                T = {rapport.vrijgave.drempel}: aantallen van 1 tot {rapport.vrijgave.drempel} zijn verborgen
                {rapport.vrijgave.afronden ? '; aantallen zijn afgerond op veelvouden van 5' : ''}.
              </dd>
            </dl>
            <Kop niveau={3} id="regels-kop">
              Regels
            </Kop>
            <Alinea className="traject-regels">{rapport.regels}</Alinea>
          </header>
          {delen.map((d, i) =>
            d.soort === 'cohorten' ? (
              <CohortSectie key="cohorten" rijen={d.rijen} onderwerp={onderwerp} />
            ) : (
              <GroepSectie key={d.groep.groep} groep={d.groep.groep} rijen={d.groep.rijen} onderwerp={onderwerp} id={`groep-${i}`} />
            ),
          )}
          <section aria-labelledby="download-kop" className="traject-blok traject-niet-afdrukken">
            <Kop niveau={2} id="download-kop">
              Downloaden en afdrukken
            </Kop>
            <div className="utrecht-button-group">
              <Knop onClick={() => void haal('csv-nl')}>CSV voor Excel</Knop>
              <Knop onClick={() => void haal('csv')}>CSV met komma&apos;s</Knop>
              <Knop onClick={() => void haal('xlsx')}>Excel (XLSX)</Knop>
              <Knop onClick={() => window.print()}>Afdrukken / PDF</Knop>
            </div>
            <Alinea>
              Afdrukken geeft het rapport op A4 met de vrijgave en de regels, zonder menu en knoppen; kies in het
              afdrukvenster &lsquo;Opslaan als PDF&rsquo; voor een PDF.
            </Alinea>
            {downloadFout && <Melding soort="fout">Downloaden lukte niet: {downloadFout}</Melding>}
          </section>
        </article>
      )}
      {landelijkeRol && (
        <section aria-labelledby="vrijgeven-kop" className="traject-blok traject-niet-afdrukken">
          <Kop niveau={2} id="vrijgeven-kop">
            Rapport vrijgeven
          </Kop>
          <Alinea>
            Een rapport over een kalenderjaar wordt vrijgegeven voor alle regio&apos;s en Nederland, als de cijfers van
            zijn vier kwartalen zijn vrijgegeven. Is het al vrijgegeven, dan wordt het een correctie. Alleen kalenderjaren:
            rapporten over vier kwartalen die elkaar overlappen, zouden van elkaar af te trekken zijn.
          </Alinea>
          <form
            className="traject-filters"
            aria-label="Rapport vrijgeven"
            onSubmit={(e) => {
              e.preventDefault();
              if (!vrijgeefKwartaal) return;
              void vrijgeven({ kwartaal: vrijgeefKwartaal }).then((r) => {
                if (!r.data) return;
                setKeuze(r.data.kwaliteitsrapportVrijgeven.kwartaal);
                lijstOpnieuw({ requestPolicy: 'network-only' });
                opnieuw({ requestPolicy: 'network-only' });
              });
            }}
          >
            <KeuzeVeld
              label="Rapport om vrij te geven"
              naam="vrijgeven"
              waarde={vrijgeefKwartaal}
              onWaarde={setVrijgeefKwartaal}
              opties={[{ waarde: '', tekst: 'Kies een jaar' }, ...vrijTeGeven.map((k) => ({ waarde: k, tekst: rapportTekst(k) }))]}
            />
            <Knop type="submit">Vrijgeven</Knop>
          </form>
          {vrijgave.error && <Melding soort="fout">Vrijgeven lukte niet. {foutTekst(vrijgave.error)}</Melding>}
          {vrijgave.data && (
            <Melding soort="info">
              {`Het kwaliteitsrapport ${rapportTekst(vrijgave.data.kwaliteitsrapportVrijgeven.kwartaal)} is vrijgegeven: ${vrijgaveNummerTekst(vrijgave.data.kwaliteitsrapportVrijgeven.nummer)}.`}
            </Melding>
          )}
        </section>
      )}
    </>
  );
}

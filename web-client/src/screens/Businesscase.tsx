// Businesscase (regio and landelijk): the societal business case of a released year, for a regio
// user's own region (the server decides which) or for landelijk the nation or a chosen region.
// A header with the subject, the release of the counts (number, peildatum, policy version,
// threshold), the assumptions' version and the source of the care-cost effect, the rules and the
// date, and what in the counts is estimated; per party the costs, returns, net and break-even
// month in the low, middle and high scenario; a chart of costs beside returns per party and one
// of the cumulative net over the horizon, each with its table. A what-if recomputes the case
// with other numbers of trajectories or assumptions as the user types (it writes nothing, and
// the screen says that the figures are a what-if and what changed). Downloads as CSV and XLSX of
// the released case from /export/businesscase, and a print view for the regional steering group
// (styles.css, `@media print`).
import { useEffect, useMemo, useState } from 'react';
import { useQuery, type CombinedError } from 'urql';
import { download } from '../api';
import { HorizonSectie, KostenBatenSectie, PartijSectie, VerloopSectie } from '../Businesscasecijfers';
import { REGIOS, exportNaam, horizonTekst, horizonten, methodeNaam, zorgkostenBron } from '../businesscaseweergave';
import { beleidTekst } from '../cijferweergave';
import { foutTekst } from '../fouten';
import { graphql } from '../gql';
import type { BusinesscaseQuery } from '../gql/graphql';
import { vrijgaveNummerTekst } from '../kwaliteitweergave';
import { heeftRol, useSessie } from '../sessie';
import { useUitgesteld } from '../toegangslogweergave';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, datumTekst } from '../ui';
import { vandaag } from '../validatie';
import { WatAlsFormulier } from '../WatAlsFormulier';
import { basisVan, foutSleutel, formulierVan, leesAannames, watAlsVan, type WatAls } from '../watalsinvoer';

const Vrijgaven = graphql(`
  query BusinesscaseVrijgaven {
    businesscaseVrijgaven {
      jaar
      nummer
    }
  }
`);

const Casus = graphql(`
  query Businesscase($jaar: Int!, $regio: String, $watAls: WatAlsInvoer) {
    businesscase(jaar: $jaar, regio: $regio, watAls: $watAls) {
      onderwerp
      regio
      landelijkeTellingen
      schattingen
      vrijgave {
        jaar
        nummer
        peildatum
        storePositie
        beleidsversie
        drempel
      }
      aannamesVersie
      aannames
      watAls
      trajecten {
        methode
        geteld
        berekend
      }
      uitkomsten {
        scenario
        horizonJaren
        partijen {
          partij
          kosten
          baten
          netto
          breakEvenMaand
        }
        totaal {
          partij
          kosten
          baten
          netto
          breakEvenMaand
        }
        cumulatiefNetto
      }
      regels
    }
  }
`);

type Casus = BusinesscaseQuery['businesscase'];

/** The server's refusal of a what-if: per form group where it names one, and as a whole. */
function serverFout(error: CombinedError | undefined): { perGroep: Record<string, string>; tekst?: string } {
  if (!error) return { perGroep: {} };
  const perGroep: Record<string, string> = {};
  const invoer = error.graphQLErrors.filter((e) => e.extensions?.code === 'BAD_USER_INPUT');
  if (invoer.length === 0) return { perGroep, tekst: foutTekst(error) };
  for (const e of invoer) {
    const sleutel = foutSleutel(typeof e.extensions?.veld === 'string' ? e.extensions.veld : undefined);
    if (sleutel) perGroep[sleutel] = e.message;
  }
  // The server's message as it is: it names the field as the assumptions' file does, and the rule.
  return { perGroep, tekst: invoer.map((e) => e.message).join('; ') };
}

/** The header, the what-if and the figures of one released case (a year, a region). */
function CasusWeergave({ basis, horizon, regio }: { basis: Casus; horizon: number; regio: string | null }) {
  const { token } = useSessie();
  const aannames = useMemo(() => leesAannames(basis.aannames), [basis.aannames]);
  // By value: a refetch of the same case gives new objects, and must not look like a change.
  const geteld = JSON.stringify(basis.trajecten);
  const beginpunt = useMemo(() => (aannames ? basisVan(aannames, JSON.parse(geteld) as Casus['trajecten']) : undefined), [aannames, geteld]);
  const leeg = useMemo(() => (beginpunt ? formulierVan(beginpunt) : undefined), [beginpunt]);
  const [formulier, setFormulier] = useState(leeg);
  const [open, setOpen] = useState(false);
  const invoer = useMemo(() => (beginpunt && formulier ? watAlsVan(beginpunt, formulier) : undefined), [beginpunt, formulier]);
  const verzonden = useUitgesteld(invoer, 400);
  const watAls: WatAls | undefined = verzonden?.watAls;
  const sleutel = JSON.stringify(watAls ?? null);
  const [{ data, error, fetching, operation }] = useQuery({
    query: Casus,
    variables: { jaar: basis.vrijgave.jaar, regio, watAls },
    pause: !watAls,
  });
  const [laatste, setLaatste] = useState<{ sleutel: string; casus: Casus; wijzigingen: string[] }>();
  const antwoordSleutel = JSON.stringify(operation?.variables?.watAls ?? null);
  useEffect(() => {
    if (watAls && data && !error && antwoordSleutel === sleutel) {
      setLaatste({ sleutel, casus: data.businesscase, wijzigingen: verzonden?.wijzigingen ?? [] });
    }
  }, [data, error, antwoordSleutel, sleutel, watAls, verzonden]);
  const [downloadFout, setDownloadFout] = useState<string>();

  const fout = watAls ? serverFout(error) : { perGroep: {} };
  const eigenFouten = invoer?.fouten ?? {};
  const metEigenFouten = Object.keys(eigenFouten).length > 0;
  const bezig = !!watAls && !error && (fetching || laatste?.sleutel !== sleutel);
  const typt = invoer !== verzonden;
  // A what-if's figures only while its input is valid and the server computed it; the released case otherwise.
  const toonWatAls = !!watAls && !error && !metEigenFouten && laatste !== undefined;
  const casus = toonWatAls ? laatste.casus : basis;
  const gewijzigd = !!leeg && JSON.stringify(formulier) !== JSON.stringify(leeg);
  const jaar = casus.vrijgave.jaar;
  const bron = zorgkostenBron(casus.aannames);

  async function haal(formaat: 'csv' | 'xlsx') {
    setDownloadFout(undefined);
    const params = new URLSearchParams({ jaar: String(basis.vrijgave.jaar), formaat });
    if (regio) params.set('regio', regio);
    try {
      await download(token, `/export/businesscase?${params}`, exportNaam(basis.regio, basis.vrijgave.jaar, basis.vrijgave.nummer, formaat));
    } catch (e) {
      setDownloadFout((e as Error).message);
    }
  }

  let status: string;
  if (metEigenFouten) status = 'Niet alle velden kloppen: hieronder staan de vastgestelde cijfers.';
  else if (watAls && error) status = 'De wat-als kan niet worden berekend: hieronder staan de vastgestelde cijfers.';
  else if (typt || bezig) status = 'Bezig met berekenen…';
  else if (toonWatAls) status = 'Berekend: de cijfers hieronder zijn een wat-als.';
  else status = 'Geen wijzigingen: de cijfers hieronder zijn de vastgestelde.';

  return (
    <article className="traject-rapport" aria-labelledby="businesscase-kop">
      <header className="traject-rapport-kop">
        <Kop niveau={2} id="businesscase-kop">
          {`Businesscase ${jaar}: ${casus.onderwerp}${toonWatAls ? ' (wat als)' : ''}`}
        </Kop>
        {toonWatAls && (
          <Melding soort="waarschuwing">
            <strong>Wat als: dit is niet de vastgestelde businesscase.</strong> De cijfers zijn berekend met andere waarden
            dan de getelde aantallen en de aannames van de regio:
            <ul className="traject-wijzigingen">
              {laatste.wijzigingen.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
            Er is niets opgeslagen. De downloads bevatten de vastgestelde businesscase.
          </Melding>
        )}
        {casus.landelijkeTellingen && (
          <Melding soort="waarschuwing">
            <strong>Landelijke tellingen.</strong> De tellingen van deze regio zijn te klein om te tonen. Deze businesscase
            rekent daarom met de tellingen van heel Nederland en met de aannames van de regio.
          </Melding>
        )}
        <dl className="traject-gegevens">
          <dt>Onderwerp</dt>
          <dd>{casus.onderwerp}</dd>
          <dt>Jaar</dt>
          <dd>{jaar}</dd>
          <dt>Vrijgave</dt>
          <dd>
            {vrijgaveNummerTekst(casus.vrijgave.nummer)} van de tellingen van {jaar}
          </dd>
          <dt>Peildatum</dt>
          <dd>{datumTekst(casus.vrijgave.peildatum)}</dd>
          <dt>Beleid</dt>
          <dd>{beleidTekst(casus.vrijgave.beleidsversie)}</dd>
          <dt>Drempel</dt>
          <dd>T = {casus.vrijgave.drempel}</dd>
          <dt>Trajecten</dt>
          <dd>
            {casus.trajecten
              .map((t) => `${methodeNaam(t.methode)} ${t.berekend.toLocaleString('nl-NL')}${t.berekend !== t.geteld ? ` (geteld ${t.geteld.toLocaleString('nl-NL')})` : ''}`)
              .join(', ')}
          </dd>
          <dt>Aannames</dt>
          <dd>versie {casus.aannamesVersie}</dd>
          <dt>Bron zorgkosten</dt>
          <dd>{bron ?? '–'}</dd>
          <dt>Datum</dt>
          <dd>{datumTekst(vandaag())}</dd>
        </dl>
        {casus.schattingen.length > 0 && (
          <>
            <Kop niveau={3} id="schattingen-kop">
              Schattingen
            </Kop>
            <ul className="traject-schattingen" aria-labelledby="schattingen-kop">
              {casus.schattingen.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </>
        )}
        <Kop niveau={3} id="regels-kop">
          Regels
        </Kop>
        <Alinea className="traject-regels">{casus.regels}</Alinea>
      </header>

      {beginpunt && formulier && leeg && (
        <section aria-labelledby="watals-kop" className="traject-blok traject-niet-afdrukken traject-watals-blok">
          <Kop niveau={2} id="watals-kop">
            Wat als
          </Kop>
          <Alinea>
            Reken met een ander aantal trajecten of andere aannames: de cijfers hieronder rekenen meteen mee. Een wat-als slaat
            niets op en verandert de vastgestelde businesscase niet; de downloads bevatten altijd de vastgestelde cijfers.
          </Alinea>
          <Knop aria-expanded={open} aria-controls="watals-velden" onClick={() => setOpen(!open)}>
            {open ? 'Wat-als verbergen' : 'Wat-als invullen'}
          </Knop>
          <div id="watals-velden" hidden={!open}>
            {metEigenFouten && (
              <Melding soort="fout">Niet alle velden kloppen. Tot ze kloppen staan hieronder de vastgestelde cijfers.</Melding>
            )}
            {fout.tekst && (
              <Melding soort="fout">
                De wat-als kan niet worden berekend: {fout.tekst}
                {/[.!?]$/.test(fout.tekst) ? '' : '.'} Hieronder staan de vastgestelde cijfers.
              </Melding>
            )}
            <WatAlsFormulier
              basis={beginpunt}
              formulier={formulier}
              onFormulier={setFormulier}
              fouten={eigenFouten}
              serverFouten={fout.perGroep}
              onTerug={() => setFormulier(leeg)}
              gewijzigd={gewijzigd}
            />
          </div>
          <p className="utrecht-paragraph traject-watals-status" role="status">
            {status}
          </p>
        </section>
      )}

      <div aria-busy={bezig || typt || undefined} data-watals={toonWatAls ? 'ja' : 'nee'} className="traject-casus">
        <PartijSectie casus={casus} horizon={horizon} />
        <KostenBatenSectie casus={casus} horizon={horizon} />
        <VerloopSectie casus={casus} horizon={horizon} />
        <HorizonSectie casus={casus} />
      </div>

      <section aria-labelledby="download-kop" className="traject-blok traject-niet-afdrukken">
        <Kop niveau={2} id="download-kop">
          Downloaden en afdrukken
        </Kop>
        <div className="utrecht-button-group">
          <Knop onClick={() => void haal('csv')}>CSV</Knop>
          <Knop onClick={() => void haal('xlsx')}>Excel (XLSX)</Knop>
          <Knop onClick={() => window.print()}>Afdrukken / PDF</Knop>
        </div>
        <Alinea>
          De CSV en het Excel-bestand bevatten de vastgestelde businesscase met alle scenario&apos;s en horizonten, de aannames,
          de vrijgave en de regels; nooit een wat-als. Afdrukken geeft de pagina zoals hij nu is op A4, zonder menu, knoppen
          en invulvelden; kies in het afdrukvenster &lsquo;Opslaan als PDF&rsquo; voor een PDF.
        </Alinea>
        {downloadFout && <Melding soort="fout">Downloaden lukte niet: {downloadFout}</Melding>}
      </section>
    </article>
  );
}

export function Businesscase() {
  const { ik } = useSessie();
  const landelijk = heeftRol(ik, 'LANDELIJK');
  const [{ data: lijstData, error: lijstFout }] = useQuery({ query: Vrijgaven });
  const jaren = useMemo(() => (lijstData?.businesscaseVrijgaven ?? []).map((v) => v.jaar), [lijstData]);
  const [jaarKeuze, setJaarKeuze] = useState('');
  const jaar = jaren.find((j) => String(j) === jaarKeuze) ?? jaren[0];
  const [regio, setRegio] = useState('');
  const gevraagd = landelijk && regio ? regio : null;
  const [{ data, error, fetching }] = useQuery({
    query: Casus,
    variables: { jaar: jaar ?? 0, regio: gevraagd, watAls: null },
    pause: jaar === undefined,
  });
  const basis = data?.businesscase;
  const mogelijk = useMemo(() => horizonten(basis?.uitkomsten ?? []), [basis]);
  const [horizonKeuze, setHorizonKeuze] = useState('');
  // The longest horizon unless the user chose another: it shows the whole course of the case.
  const horizon = mogelijk.find((h) => String(h) === horizonKeuze) ?? mogelijk[mogelijk.length - 1];

  return (
    <>
      <Kop niveau={1}>Businesscase</Kop>
      <Alinea className="traject-niet-afdrukken">
        De maatschappelijke businesscase van de trajecten naar werk: wat de trajecten elke partij kosten en wat ze elke partij
        opleveren, uit de vrijgegeven tellingen van een jaar en de aannames van de regio. Er zit geen bedrag van een persoon
        in: elk bedrag is een aantal of duur maal een aanname.
      </Alinea>
      <form className="traject-filters" aria-label="Businesscase kiezen" onSubmit={(e) => e.preventDefault()}>
        {jaren.length > 0 && (
          <KeuzeVeld label="Jaar" naam="jaar" waarde={String(jaar)} onWaarde={setJaarKeuze} opties={jaren.map((j) => ({ waarde: String(j), tekst: String(j) }))} />
        )}
        {landelijk && jaren.length > 0 && (
          <KeuzeVeld
            label="Regio"
            naam="regio"
            waarde={regio}
            onWaarde={setRegio}
            opties={[{ waarde: '', tekst: 'Nederland' }, ...REGIOS.map((r) => ({ waarde: r.code, tekst: `${r.naam} (${r.code})` }))]}
          />
        )}
        {mogelijk.length > 0 && (
          <KeuzeVeld
            label="Horizon"
            naam="horizon"
            waarde={String(horizon)}
            onWaarde={setHorizonKeuze}
            opties={mogelijk.map((h) => ({ waarde: String(h), tekst: horizonTekst(h) }))}
          />
        )}
      </form>
      {lijstFout && <Melding soort="fout">De vrijgegeven jaren konden niet worden geladen. {foutTekst(lijstFout)}</Melding>}
      {lijstData && jaren.length === 0 && (
        <Melding soort="info">
          Er is nog geen businesscase vrijgegeven. De businesscase staat hier zodra het landelijke programma de tellingen van een
          afgesloten jaar heeft vrijgegeven.
        </Melding>
      )}
      {error && <Melding soort="fout">De businesscase kon niet worden geladen. {foutTekst(error)}</Melding>}
      {fetching && !basis && jaar !== undefined && <Alinea>Businesscase laden…</Alinea>}
      {basis && horizon !== undefined && (
        <CasusWeergave
          key={`${basis.vrijgave.jaar}-${basis.regio}-${basis.vrijgave.nummer}-${basis.aannamesVersie}`}
          basis={basis}
          horizon={horizon}
          regio={gevraagd}
        />
      )}
    </>
  );
}

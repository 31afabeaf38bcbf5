// Mijn caseload: a coach's trajectories (or, for a teamleider, the organisation's) with filters,
// sorting, search by name, attention signals, and live updates when anyone changes one of them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useClient, useQuery, useSubscription } from 'urql';
import { bewaarBestand } from '../api';
import { exportKoppen, exportRijen, haalAlles, naarCsv, naarXlsx } from '../export';
import { foutTekst } from '../fouten';
import { LaadFout } from '../herstel';
import { graphql } from '../gql';
import { Fase, type ActieSoort, type CaseloadSortering, type Methode } from '../gql/graphql';
import { ACTIESOORT, FASE, KEUZELIJSTEN, METHODE } from '../keuzelijsten';
import { coachTekst, heeftRol, useSessie } from '../sessie';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, TekstVeld, VinkVeld, datumTekst, useTitel, woorden } from '../ui';

export const CaseloadQuery = graphql(`
  query Caseload(
    $organisatie: Boolean!
    $fasen: [Fase!]!
    $methode: Methode
    $alleenAandacht: Boolean!
    $sortering: CaseloadSortering!
    $na: String
    $zoek: String
  ) {
    caseload(
      organisatie: $organisatie
      fasen: $fasen
      methode: $methode
      alleenAandacht: $alleenAandacht
      sortering: $sortering
      na: $na
      aantal: 50
      zoek: $zoek
    ) {
      totaal
      volgende
      items {
        trajectId
        clientId
        naam
        coach
        methode
        fase
        aanmelding
        laatsteGebeurtenis
        dagenWerk
        duurzaamBereiktOp
        aandacht {
          soort
          dagen
          sinds
          op
          actie
        }
        cursor
      }
    }
  }
`);

export const CaseloadGewijzigd = graphql(`
  subscription CaseloadGewijzigd($organisatie: Boolean!) {
    caseloadGewijzigd(organisatie: $organisatie) {
      totaal
    }
  }
`);

export const FASEN: Fase[] = Object.values(Fase);

/** An attention signal in words (with whole dates: the export keeps them). */
export function aandachtTekst(a: {
  soort: string;
  dagen?: number | null;
  sinds?: string | null;
  op?: string | null;
  actie?: ActieSoort | null;
}): string {
  switch (a.soort) {
    case 'GEEN_GEBEURTENIS':
      return `Al ${a.dagen ?? '?'} dagen niets vastgelegd`;
    case 'GEEN_WERKGEVERSCONTACT':
      return `Nog geen werkgeverscontact, ${a.dagen ?? '?'} dagen na de intake`;
    case 'PLAATSING_NOG_NIET_DUURZAAM':
      return `Aan het werk sinds ${datumTekst(a.sinds)}, nog niet duurzaam`;
    case 'WAAKVLAM_ZONDER_CONTACT':
      return `Waakvlam, al ${a.dagen ?? '?'} dagen geen contact`;
    case 'ACTIE_TE_DOEN':
      return `Volgende actie te doen: ${a.actie ? ACTIESOORT[a.actie] : 'actie'}, gepland voor ${datumTekst(a.op)}`;
    case 'CONTRACT_EINDIGT':
      return `Tijdelijk contract eindigt op ${datumTekst(a.op)}`;
    default:
      return woorden(a.soort);
  }
}

function useVertraagd<T>(waarde: T, ms: number): T {
  const [v, setV] = useState(waarde);
  useEffect(() => {
    const t = setTimeout(() => setV(waarde), ms);
    return () => clearTimeout(t);
  }, [waarde, ms]);
  return v;
}

export function Caseload({ team = false }: { team?: boolean }) {
  const { ik } = useSessie();
  const alleenTeam = team || (heeftRol(ik, 'TEAMLEIDER') && !heeftRol(ik, 'COACH'));
  const [organisatie, setOrganisatie] = useState(alleenTeam);
  const [fasen, setFasen] = useState<Fase[]>(FASEN.filter((f) => f !== Fase.Afgesloten));
  const [methode, setMethode] = useState('');
  const [alleenAandacht, setAlleenAandacht] = useState(false);
  const [sortering, setSortering] = useState<CaseloadSortering>('AANMELDING');
  const [zoek, setZoek] = useState('');
  const zoekterm = useVertraagd(zoek.trim(), 250);
  const variabelen = useMemo(
    () => ({
      organisatie,
      fasen,
      methode: (methode || null) as Methode | null,
      alleenAandacht,
      sortering,
      zoek: zoekterm || null,
    }),
    [organisatie, fasen, methode, alleenAandacht, sortering, zoekterm],
  );
  // The pages walked belong to the filters they were walked with: a cursor continues only the
  // query that made it (the server refuses another's), so other filters start at the first page
  // in the same render, never with the old cursor.
  const [gebladerd, setGebladerd] = useState({ variabelen, cursors: [null] as (string | null)[] });
  const cursors = gebladerd.variabelen === variabelen ? gebladerd.cursors : [null];
  const setCursors = (verder: (c: (string | null)[]) => (string | null)[]) =>
    setGebladerd({ variabelen, cursors: verder(cursors) });
  const na = cursors[cursors.length - 1];
  const [{ data, error, fetching }, opnieuw] = useQuery({
    query: CaseloadQuery,
    variables: { ...variabelen, na },
  });

  // Live: every change to the caseload arrives over the subscription; the page on screen is
  // then fetched again with the filters as they are.
  const [bijgewerkt, setBijgewerkt] = useState<string>();
  const eerste = useRef(true);
  const [{ data: live }] = useSubscription({ query: CaseloadGewijzigd, variables: { organisatie } });
  useEffect(() => {
    if (!live) return;
    if (eerste.current) {
      eerste.current = false;
      return;
    }
    opnieuw({ requestPolicy: 'network-only' });
    setBijgewerkt(new Date().toLocaleTimeString('nl-NL'));
  }, [live, opnieuw]);

  const caseload = data?.caseload;

  // Export: every page of the caseload with the filters as they are, in the screen's columns.
  const client = useClient();
  const [exportBezig, setExportBezig] = useState<'csv' | 'xlsx'>();
  const [exportFout, setExportFout] = useState<string>();
  async function exporteer(soort: 'csv' | 'xlsx') {
    setExportBezig(soort);
    setExportFout(undefined);
    try {
      const items = await haalAlles(client, variabelen);
      const koppen = exportKoppen(organisatie);
      const rijen = exportRijen(items, organisatie, ik, aandachtTekst);
      const naam = `${organisatie ? 'caseload-organisatie' : 'mijn-caseload'}-${new Date().toISOString().slice(0, 10)}`;
      const blob =
        soort === 'csv' ? new Blob([naarCsv(koppen, rijen)], { type: 'text/csv;charset=utf-8' }) : await naarXlsx(koppen, rijen);
      bewaarBestand(blob, `${naam}.${soort}`);
    } catch (e) {
      const fout = e as { graphQLErrors?: unknown; networkError?: unknown; message?: string };
      setExportFout(
        fout.graphQLErrors !== undefined ? foutTekst(e as Parameters<typeof foutTekst>[0]) : 'Het bestand kon niet worden gemaakt.',
      );
    } finally {
      setExportBezig(undefined);
    }
  }
  // On the Team page the caseload is a part: the page names itself.
  useTitel(team ? undefined : organisatie ? 'Caseload van de organisatie' : 'Mijn caseload');
  return (
    <>
      {team ? (
        <Kop niveau={2}>Trajecten van de organisatie</Kop>
      ) : (
        <Kop niveau={1}>{organisatie ? 'Caseload van de organisatie' : 'Mijn caseload'}</Kop>
      )}
      <form className="traject-filters" role="search" aria-label="Caseload filteren" onSubmit={(e) => e.preventDefault()}>
        <TekstVeld label="Zoek op naam" type="search" waarde={zoek} onWaarde={setZoek} naam="zoek" />
        <KeuzeVeld
          label="Methode"
          waarde={methode}
          onWaarde={setMethode}
          opties={KEUZELIJSTEN.Methode}
          leeg="Alle methoden"
          naam="methode"
        />
        <KeuzeVeld
          label="Sortering"
          waarde={sortering}
          onWaarde={(v) => setSortering(v as CaseloadSortering)}
          opties={KEUZELIJSTEN.CaseloadSortering}
          naam="sortering"
        />
        <fieldset className="utrecht-form-fieldset traject-fasen">
          <legend className="utrecht-form-fieldset__legend">Fasen</legend>
          {FASEN.map((f) => (
            <VinkVeld
              key={f}
              label={FASE[f]}
              aan={fasen.includes(f)}
              onAan={(aan) => setFasen((oud) => (aan ? [...oud, f] : oud.filter((x) => x !== f)))}
            />
          ))}
        </fieldset>
        <VinkVeld label="Alleen met aandachtspunten" aan={alleenAandacht} onAan={setAlleenAandacht} />
        {!team && heeftRol(ik, 'TEAMLEIDER') && heeftRol(ik, 'COACH') && (
          <VinkVeld label="Hele organisatie" aan={organisatie} onAan={setOrganisatie} />
        )}
      </form>
      <div aria-live="polite" className="traject-live">
        {bijgewerkt && <Alinea>Bijgewerkt om {bijgewerkt} na een wijziging.</Alinea>}
      </div>
      {error && (
        <LaadFout wat="De caseload kon niet worden geladen." error={error} opnieuw={() => opnieuw({ requestPolicy: 'network-only' })} />
      )}
      {caseload && (
        <>
          <Alinea>
            {caseload.totaal === 1 ? '1 traject' : `${caseload.totaal} trajecten`}
            {fetching ? ' (bijwerken…)' : ''}
          </Alinea>
          <Tabel
            bijschrift={organisatie ? 'Trajecten van de organisatie' : 'Trajecten in mijn caseload'}
            koppen={[
              'Cliënt',
              ...(organisatie ? ['Coach'] : []),
              'Fase',
              'Methode',
              'Aanmelding',
              'Laatste gebeurtenis',
              'Dagen werk',
              'Duurzaam',
              'Aandacht',
            ]}
          >
            {caseload.items.map((t) => (
              <tr key={t.trajectId} className="utrecht-table__row" data-traject={t.trajectId}>
                <td className="utrecht-table__cell">
                  <Link className="utrecht-link" to={`/traject/${t.trajectId}`}>
                    {t.naam ?? `Cliënt ${t.clientId.slice(0, 8)}`}
                  </Link>
                </td>
                {organisatie && (
                  <td className="utrecht-table__cell">
                    {coachTekst(t.coach, ik)}
                    {team && (
                      <>
                        {' '}
                        <Link className="utrecht-link" to={`/traject/${t.trajectId}?actie=coachToewijzen`}>
                          wijzigen<span className="traject-verborgen"> (coach van {t.naam ?? 'deze cliënt'})</span>
                        </Link>
                      </>
                    )}
                  </td>
                )}
                <td className="utrecht-table__cell">{FASE[t.fase]}</td>
                <td className="utrecht-table__cell">{METHODE[t.methode]}</td>
                <td className="utrecht-table__cell">{datumTekst(t.aanmelding)}</td>
                <td className="utrecht-table__cell">{datumTekst(t.laatsteGebeurtenis)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric-data">{t.dagenWerk}</td>
                <td className="utrecht-table__cell">{t.duurzaamBereiktOp ? datumTekst(t.duurzaamBereiktOp) : '–'}</td>
                <td className="utrecht-table__cell">
                  {t.aandacht.length === 0 ? (
                    '–'
                  ) : (
                    <ul className="traject-aandacht">
                      {t.aandacht.map((a) => (
                        <li key={a.soort}>{aandachtTekst(a)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </Tabel>
          {!team && (
            <div className="traject-knoppen traject-niet-afdrukken" role="group" aria-label="Caseload exporteren">
              <Knop disabled={!!exportBezig} aria-busy={exportBezig === 'csv'} onClick={() => void exporteer('csv')}>
                {exportBezig === 'csv' ? 'Bezig…' : 'Exporteren als CSV'}
              </Knop>
              <Knop disabled={!!exportBezig} aria-busy={exportBezig === 'xlsx'} onClick={() => void exporteer('xlsx')}>
                {exportBezig === 'xlsx' ? 'Bezig…' : 'Exporteren als Excel'}
              </Knop>
            </div>
          )}
          {exportFout && <Melding soort="fout">Exporteren lukte niet. {exportFout}</Melding>}
          <nav className="traject-paginering" aria-label="Pagina’s">
            <Knop disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Vorige pagina
            </Knop>
            <span>Pagina {cursors.length}</span>
            <Knop disabled={!caseload.volgende} onClick={() => setCursors((c) => [...c, caseload.volgende ?? null])}>
              Volgende pagina
            </Knop>
          </nav>
        </>
      )}
      {!caseload && fetching && <Alinea>Caseload laden…</Alinea>}
    </>
  );
}

// One trajectory: its status with progress towards duurzaam, the client's personal data, its
// running placements, the timeline, and a form for every event. A conflict keeps what was typed
// and offers a reload.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { useClient, useQuery } from 'urql';
import {
  FORMULIEREN,
  MIN_UREN,
  NIET_INTREKBAAR,
  TrajectVelden,
  beginwaarden,
  gegevensTekst,
  opDatum,
  regels,
  tijdstipTekst,
  soortTekst,
  urenHint,
  urenUitleg,
  type Context,
  type Formulier as Gebeurtenisformulier,
  type Uitkomst,
  type VeldDef,
} from '../gebeurtenissen';
import { bewaarConcept, conceptSleutel, leesConcept, useConcept, wisConcept } from '../concept';
import { foutTekst, leesFout, type Formfout } from '../fouten';
import { LaadFout } from '../herstel';
import { graphql } from '../gql';
import type { TrajectVeldenFragment } from '../gql/graphql';
import { dagNaam, wanneer } from '../datums';
import { ACTIESOORT, FASE, METHODE } from '../keuzelijsten';
import { coachTekst, heeftRol, useSessie } from '../sessie';
import {
  Alinea,
  Formulier,
  KeuzeVeld,
  Knop,
  Kop,
  Melding,
  Tabel,
  TekstVeld,
  VinkVeld,
  datumTekst,
  focusOpFout,
  useTitel,
} from '../ui';
import { controleer, vandaag } from '../validatie';
import { Persoonsgegevens } from './Persoonsgegevens';
import { TeamQuery } from './Team';

const TrajectQuery = graphql(`
  query Traject($id: ID!, $peildatum: NaiveDate) {
    traject(id: $id, peildatum: $peildatum) {
      ...TrajectVelden
    }
  }
`);

// The fragment is referenced so that codegen includes it in this document's types.
void TrajectVelden;

/** Days from `van` to `tot`. */
function dagenTussen(van: string, tot: string): number {
  return Math.round((Date.parse(`${tot}T00:00:00Z`) - Date.parse(`${van}T00:00:00Z`)) / 86_400_000);
}

export function Voortgang({ status }: { status: NonNullable<TrajectVeldenFragment['status']> }) {
  if (status.duurzaamBereiktOp) {
    return <Melding soort="ok">Duurzaam bereikt op {datumTekst(status.duurzaamBereiktOp)}.</Melding>;
  }
  const nodig =
    status.werkSinds && status.duurzaamVanaf ? dagenTussen(status.werkSinds, status.duurzaamVanaf) : 182;
  const dagen = Math.min(status.dagenWerk, nodig);
  return (
    <div className="traject-voortgang">
      <label htmlFor="voortgang-duurzaam" className="utrecht-form-label">
        Op weg naar duurzaam: {status.dagenWerk} van {nodig} dagen ononderbroken kwalificerend werk
      </label>
      <progress id="voortgang-duurzaam" max={nodig} value={dagen}>
        {Math.round((dagen / nodig) * 100)}%
      </progress>
      <Alinea>
        {status.werkSinds
          ? `Aan het werk sinds ${datumTekst(status.werkSinds)}; duurzaam vanaf ${datumTekst(status.duurzaamVanaf)} als het werk doorloopt.`
          : status.beleid === 'duurzaam-v1'
            ? `Nu geen kwalificerend werk (een betaalde, reguliere plaatsing van minstens ${MIN_UREN} uur per week).`
            : `Nu geen kwalificerend werk (betaald en regulier, samen minstens ${MIN_UREN} uur per week).`}
      </Alinea>
    </div>
  );
}

/** Where the link at the top leads back to: the page the trajectory was opened from. */
function terugNaar(state: unknown): { pad: string; tekst: string } {
  const terug = (state as { terug?: unknown } | null)?.terug;
  if (typeof terug === 'string' && terug.startsWith('/vandaag')) return { pad: terug, tekst: 'Vandaag' };
  if (typeof terug === 'string' && terug.startsWith('/agenda')) return { pad: terug, tekst: 'Weekagenda' };
  return { pad: '/caseload', tekst: 'Caseload' };
}

type VolgendeActie = NonNullable<NonNullable<TrajectVeldenFragment['status']>['volgendeActie']>;

/** The next action in words: `Werkplekbezoek, di 8 december (morgen)`. */
export function volgendeActieTekst(v: VolgendeActie, vandaag: string): string {
  const dag = dagNaam(v.op, vandaag);
  const relatief = wanneer(v.op, vandaag);
  return `${ACTIESOORT[v.actie]}, ${dag}${relatief === dag ? '' : ` (${relatief})`}`;
}

type Plaatsing = TrajectVeldenFragment['lopendePlaatsingen'][number];

/** Hours per week in Dutch notation: `7,5`. */
function urenTekst(uren: number): string {
  return uren.toLocaleString('nl-NL');
}

/** The employer of a placement as its start in the timeline names it (`null` once the client is erased). */
function werkgeverVan(traject: TrajectVeldenFragment, plaatsing: Plaatsing): string | null {
  const start = traject.tijdlijn.find((t) => t.soort === 'PlaatsingGestart' && t.gegevens.plaatsing_id === plaatsing.id);
  const werkgever = start?.gegevens.werkgever;
  return typeof werkgever === 'string' ? werkgever : null;
}

/** A running placement in words, to tell it from the others: `Bakkerij, sinds 4 dec 2026, 8 uur per week`. */
function plaatsingTekst(traject: TrajectVeldenFragment, plaatsing: Plaatsing): string {
  return [
    werkgeverVan(traject, plaatsing) ?? 'Plaatsing',
    `sinds ${datumTekst(plaatsing.start)}`,
    `${urenTekst(plaatsing.urenPerWeek)} uur per week`,
  ].join(', ');
}

/** A form opened with some of its fields filled in (from a button in the timeline or at a placement). */
interface Voorinvulling {
  formulier: string;
  begin: Record<string, string>;
}

export function Traject() {
  const { id = '' } = useParams();
  const { ik } = useSessie();
  // The status on another day than today (`?peildatum=2025-03-01`, so that it can be linked and printed).
  const [zoek, setZoek] = useSearchParams();
  const peildatum = /^\d{4}-\d{2}-\d{2}$/.test(zoek.get('peildatum') ?? '') ? zoek.get('peildatum') : null;
  const [{ data, error, fetching }, herlaad] = useQuery({ query: TrajectQuery, variables: { id, peildatum } });
  const traject = data?.traject;
  const teamleider = heeftRol(ik, 'TEAMLEIDER');
  // A teamleider names a coach of the team (at the intake, or as another coach): the forms offer the team.
  const [{ data: teamData, error: teamError }] = useQuery({ query: TeamQuery, pause: !teamleider });
  const locatie = useLocation();
  // The form that is open, kept with the drafts: after signing in again it opens once more.
  const openSleutel = conceptSleutel('open', id);
  const [keuze, setKeuze] = useState(() => zoek.get('actie') ?? leesConcept<Voorinvulling>(openSleutel)?.formulier ?? '');
  const [voor, setVoor] = useState<Voorinvulling | undefined>(() => {
    const open = leesConcept<Voorinvulling>(openSleutel);
    return open && Object.keys(open.begin).length > 0 ? open : undefined;
  });
  useEffect(() => {
    if (voor) bewaarConcept(openSleutel, voor);
    else if (keuze) bewaarConcept(openSleutel, { formulier: keuze, begin: {} });
    else wisConcept(openSleutel);
  }, [openSleutel, keuze, voor]);
  const [bericht, setBericht] = useState<string | undefined>((locatie.state as { melding?: string } | null)?.melding);
  // The placement the last "Plaatsing gestart" started, as its answer names it.
  const [nieuwePlaatsing, setNieuwePlaatsing] = useState<string>();
  // After recording, the focus goes to the confirmation (counted, so each recording moves it).
  const berichtRef = useRef<HTMLDivElement>(null);
  const [vastgelegdNr, setVastgelegdNr] = useState(0);
  useEffect(() => {
    if (vastgelegdNr > 0) berichtRef.current?.focus();
  }, [vastgelegdNr]);
  // "Volgende actie plannen" at the status opens the form and puts the focus on its first field.
  const [plannenNr, setPlannenNr] = useState(0);
  useEffect(() => {
    if (plannenNr > 0)
      document.getElementById('actiePlannen-kop')?.closest('form')?.querySelector<HTMLElement>('select, input')?.focus();
  }, [plannenNr]);
  const terug = terugNaar(locatie.state);
  // The client's name as the personal data show it, for the page's title.
  const [naam, setNaam] = useState<string | null>();
  const naamBekend = useCallback((n: string | null) => setNaam(n), []);
  useTitel(
    traject
      ? `Traject ${naam ?? `cliënt ${traject.clientId.slice(0, 8)}`}`
      : error
        ? 'Traject niet geladen'
        : 'Traject laden',
  );

  if (error && !traject) {
    return <LaadFout wat="Het traject kon niet worden geladen." error={error} opnieuw={() => herlaad({ requestPolicy: 'network-only' })} />;
  }
  if (!traject) return <Alinea>{fetching ? 'Traject laden…' : 'Geen traject.'}</Alinea>;
  const fase = traject.status?.fase ?? 'Aangemeld';
  const mogelijk = FORMULIEREN.filter((f) => f.fasen.includes(fase) && (!f.alleenTeamleider || teamleider));
  const beleid = traject.status?.beleid;
  const context: Context = {
    isCoach: heeftRol(ik, 'COACH'),
    beleid,
    plaatsingen: traject.lopendePlaatsingen.map((p) => ({ waarde: p.id, tekst: plaatsingTekst(traject, p) })),
    gebeurtenissen: traject.tijdlijn
      .filter((t) => !t.ingetrokken && !NIET_INTREKBAAR.has(t.soort))
      .map((t) => ({ waarde: t.eventId, tekst: `${datumTekst(t.datum)}: ${soortTekst(t.soort)}` })),
    team: teamleider ? teamData?.team : [],
    teamFout: teamleider && !teamData && teamError ? foutTekst(teamError) : undefined,
  };
  const gekozen = voor ? FORMULIEREN.find((f) => f.naam === voor.formulier) : mogelijk.find((f) => f.naam === keuze);
  const open = fase !== 'Afgesloten';
  const urenWijzigbaar = !peildatum && mogelijk.some((f) => f.naam === 'urenWijzigen');
  const weinigUren = traject.lopendePlaatsingen.some((p) => urenHint(p.urenPerWeek, beleid) !== undefined);

  return (
    <>
      <Link className="utrecht-link traject-niet-afdrukken" to={terug.pad}>
        ← {terug.tekst}
      </Link>
      <Kop niveau={1}>Traject</Kop>
      <div className="traject-peildatum traject-niet-afdrukken">
        <TekstVeld
          label="Status op datum"
          type="date"
          naam="peildatum"
          waarde={peildatum ?? ''}
          uitleg="Leeg: vandaag. Toont de fase, de voortgang en de plaatsingen zoals ze op die dag waren."
          onWaarde={(v) =>
            setZoek(
              (oud) => {
                const nieuw = new URLSearchParams(oud);
                if (/^\d{4}-\d{2}-\d{2}$/.test(v)) nieuw.set('peildatum', v);
                else nieuw.delete('peildatum');
                return nieuw;
              },
              { replace: true },
            )
          }
        />
        <Knop soort="secundair" onClick={() => window.print()}>
          Afdrukken
        </Knop>
      </div>
      {peildatum && (
        <Melding soort="info">
          <p className="utrecht-paragraph">
            U ziet de status op {datumTekst(peildatum)}. Vastleggen kan alleen bij de status van vandaag.
          </p>
          <Knop
            soort="subtiel"
            onClick={() =>
              setZoek(
                (oud) => {
                  const nieuw = new URLSearchParams(oud);
                  nieuw.delete('peildatum');
                  return nieuw;
                },
                { replace: true },
              )
            }
          >
            Terug naar vandaag
          </Knop>
        </Melding>
      )}
      <p className="utrecht-paragraph traject-alleen-afdrukken">
        Afgedrukt op {datumTekst(vandaag())}; status op {datumTekst(peildatum ?? traject.status?.peildatum ?? vandaag())}.
      </p>
      <Persoonsgegevens clientId={traject.clientId} naamBekend={naamBekend} />
      {/* The revision a change is decided on is for the forms (and the tests), never shown. */}
      <section aria-labelledby="status-kop" className="traject-blok" data-testid="status" data-revisie={traject.revisie ?? ''}>
        <Kop niveau={2} id="status-kop">
          Status
        </Kop>
        <dl className="utrecht-data-list traject-gegevens">
          <dt>Fase</dt>
          <dd data-testid="fase">
            {FASE[fase]}
            {traject.status?.waakvlam && fase !== 'Waakvlam' ? ' (waakvlam)' : ''}
          </dd>
          <dt>Methode</dt>
          <dd>{METHODE[traject.methode]}</dd>
          <dt>Coach</dt>
          <dd>{coachTekst(traject.coach, ik)}</dd>
          <dt>Regio en organisatie</dt>
          <dd>
            {traject.regio}, {traject.organisatie}
          </dd>
          <dt>Aanmelding</dt>
          <dd>{datumTekst(traject.sleuteldata.aanmelding)}</dd>
          <dt>Intake</dt>
          <dd>{datumTekst(traject.sleuteldata.intake)}</dd>
          <dt>Eerste werkgeverscontact</dt>
          <dd>{datumTekst(traject.sleuteldata.eersteWerkgeverscontact)}</dd>
          {open && (
            <>
              <dt>Volgende actie</dt>
              <dd data-testid="volgende-actie">
                {traject.status?.volgendeActie
                  ? volgendeActieTekst(traject.status.volgendeActie, peildatum ?? vandaag())
                  : 'Geen volgende actie gepland'}
              </dd>
            </>
          )}
          <dt>Cliënt-id</dt>
          <dd data-testid="client-id" className="traject-ids">
            {traject.clientId}
          </dd>
        </dl>
        {open && !peildatum && mogelijk.some((f) => f.naam === 'actiePlannen') && (
          <div className="traject-knoppen traject-niet-afdrukken">
            <Knop
              onClick={() => {
                setBericht(undefined);
                setVoor(undefined);
                setKeuze('actiePlannen');
                setPlannenNr((n) => n + 1);
              }}
            >
              Volgende actie plannen
            </Knop>
          </div>
        )}
        {traject.status && <Voortgang status={traject.status} />}
      </section>

      {traject.lopendePlaatsingen.length > 0 && (
        <section aria-labelledby="plaatsingen-kop" className="traject-blok">
          <Kop niveau={2} id="plaatsingen-kop">
            Lopende plaatsingen
          </Kop>
          <Tabel bijschrift="Plaatsingen die nu lopen" koppen={['Werkgever', 'Sinds', 'Uren per week', 'Betaald en regulier', '']} numeriek={[2]}>
            {traject.lopendePlaatsingen.map((p) => (
              <tr key={p.id} className="utrecht-table__row" data-plaatsing={p.id}>
                <td className="utrecht-table__cell">
                  {werkgeverVan(traject, p) ?? '–'}
                  {p.id === nieuwePlaatsing ? ' (zojuist vastgelegd)' : ''}
                </td>
                <td className="utrecht-table__cell">{datumTekst(p.start)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric-data">
                  {urenTekst(p.urenPerWeek)}
                  {p.urenPerWeek < MIN_UREN ? ` (minder dan ${MIN_UREN})` : ''}
                </td>
                <td className="utrecht-table__cell">{p.regulierBetaald ? 'ja' : 'nee'}</td>
                <td className="utrecht-table__cell">
                  {urenWijzigbaar && (
                    <Knop
                      soort="subtiel"
                      aria-label={`Uren wijzigen: ${plaatsingTekst(traject, p)}`}
                      onClick={() => {
                        setBericht(undefined);
                        setVoor({ formulier: 'urenWijzigen', begin: { plaatsingId: p.id } });
                      }}
                    >
                      Uren wijzigen
                    </Knop>
                  )}
                </td>
              </tr>
            ))}
          </Tabel>
          {weinigUren && (
            <Alinea>
              {urenUitleg(beleid)}
              {traject.status?.inKwalificerendWerk ? ' Op dit moment telt het werk samen wel als kwalificerend werk.' : ''}
            </Alinea>
          )}
        </section>
      )}

      {!peildatum && (
      <section aria-labelledby="vastleggen-kop" className="traject-blok traject-niet-afdrukken">
        <Kop niveau={2} id="vastleggen-kop">
          Vastleggen
        </Kop>
        <div aria-live="polite" ref={berichtRef} tabIndex={-1} className="traject-bericht">
          {bericht && <Melding soort="ok">{bericht}</Melding>}
        </div>
        {!voor && (
          <KeuzeVeld
            label="Wat is er gebeurd?"
            waarde={keuze}
            onWaarde={(k) => {
              setKeuze(k);
              setBericht(undefined);
            }}
            leeg="Kies een gebeurtenis"
            opties={mogelijk.map((f) => ({ waarde: f.naam, tekst: f.titel }))}
            naam="gebeurtenis"
          />
        )}
        {gekozen && (
          <GebeurtenisFormulier
            key={gekozen.naam + JSON.stringify(voor?.begin ?? {})}
            formulier={gekozen}
            context={context}
            traject={traject}
            begin={voor?.begin ?? {}}
            herlaad={() => herlaad({ requestPolicy: 'network-only' })}
            klaar={(vastgelegd, uitkomst) => {
              setKeuze('');
              setVoor(undefined);
              setBericht(vastgelegd);
              if (vastgelegd) setVastgelegdNr((n) => n + 1);
              if (uitkomst?.plaatsingId) setNieuwePlaatsing(uitkomst.plaatsingId);
            }}
          />
        )}
      </section>
      )}

      <section aria-labelledby="tijdlijn-kop" className="traject-blok">
        <Kop niveau={2} id="tijdlijn-kop">
          Tijdlijn
        </Kop>
        <Tabel
          bijschrift="Alle gebeurtenissen, oudste eerst op de dag dat ze gebeurden"
          koppen={['Datum', 'Gebeurtenis', 'Gegevens', ...(peildatum ? [] : [''])]}
        >
          {opDatum(traject.tijdlijn).map((t) => (
            <tr key={t.eventId} className={`utrecht-table__row ${t.ingetrokken ? 'traject-ingetrokken' : ''}`} data-event={t.eventId}>
              <td className="utrecht-table__cell" title={`Vastgelegd op ${tijdstipTekst(t.opgenomenOp)}`}>
                {datumTekst(t.datum ?? t.opgenomenOp.slice(0, 10))}
                <span className="traject-vastgelegd">
                  <span className="traject-verborgen">, </span>vastgelegd op {tijdstipTekst(t.opgenomenOp)}
                </span>
              </td>
              <td className="utrecht-table__cell">
                {soortTekst(t.soort)}
                {t.ingetrokken ? ' (ingetrokken)' : ''}
              </td>
              <td className="utrecht-table__cell">{gegevensTekst(t.gegevens, t.soort, (c) => coachTekst(c, ik))}</td>
              {!peildatum && (
              <td className="utrecht-table__cell traject-niet-afdrukken">
                {context.gebeurtenissen.some((g) => g.waarde === t.eventId) && open && (
                  <Knop
                    soort="subtiel"
                    onClick={() => {
                      setBericht(undefined);
                      setVoor({ formulier: 'intrekken', begin: { gebeurtenisId: t.eventId } });
                    }}
                    aria-label={`${soortTekst(t.soort)} van ${datumTekst(t.datum)} intrekken`}
                  >
                    Intrekken
                  </Knop>
                )}
              </td>
              )}
            </tr>
          ))}
        </Tabel>
      </section>
    </>
  );
}

export function GebeurtenisFormulier({
  formulier,
  context,
  traject,
  begin,
  herlaad,
  klaar,
}: {
  formulier: Gebeurtenisformulier;
  context: Context;
  /** The trajectory and the revision the user saw (the change is decided on it). */
  traject: Pick<TrajectVeldenFragment, 'id' | 'revisie'>;
  begin: Record<string, string>;
  herlaad: () => void;
  /** Called after recording (with the message and what was sent) or on cancelling (without). */
  klaar: (vastgelegd?: string, uitkomst?: Uitkomst, waarden?: Record<string, string>) => void;
}) {
  const client = useClient();
  const velden = useMemo(() => formulier.velden(context), [formulier, context]);
  // What is typed stays as a draft (per form and trajectory) until it is recorded or cancelled.
  const [waarden, setWaarden, wisDraft] = useConcept(conceptSleutel(formulier.naam, traject.id), () => beginwaarden(velden), begin);
  const [fout, setFout] = useState<Formfout>();
  const [bezig, setBezig] = useState(false);
  // After a refusal the focus goes to the first field in error, else to the form's message.
  const formRef = useRef<HTMLFormElement>(null);
  const [foutNr, setFoutNr] = useState(0);
  useEffect(() => {
    if (foutNr > 0) focusOpFout(formRef.current);
  }, [foutNr]);
  // Set once the server refused what the form's confirmation may overrule.
  const [teBevestigen, setTeBevestigen] = useState(false);
  const zichtbaar = velden.filter((v) => !v.zichtbaar || v.zichtbaar(waarden));
  const bevestiging = formulier.bevestiging;
  const bevestigen = bevestiging && teBevestigen && bevestiging.geldt(waarden) ? bevestiging : undefined;

  async function verstuur() {
    const velfouten = controleer(waarden, regels(velden, waarden));
    if (Object.keys(velfouten).length > 0) {
      setFout({ velden: velfouten, algemeen: 'Niet alle velden kloppen; zie de meldingen bij de velden.' });
      setFoutNr((n) => n + 1);
      return;
    }
    if (traject.revisie === null || traject.revisie === undefined) return;
    setBezig(true);
    const uitkomst = await formulier.verstuur(client, { trajectId: traject.id, revisie: traject.revisie }, waarden);
    setBezig(false);
    const f = leesFout(uitkomst.error, [...velden.map((v) => v.naam), ...(bevestiging ? [bevestiging.naam] : [])]);
    if (f) {
      if (bevestiging && f.regel === bevestiging.regel) setTeBevestigen(true);
      setFout(f);
      setFoutNr((n) => n + 1);
      return;
    }
    setFout(undefined);
    wisDraft();
    const wat = formulier.vastgelegd ?? formulier.titel.toLowerCase();
    klaar(
      formulier.bericht
        ? formulier.bericht(waarden)
        : formulier.zonderDatum
          ? `Vastgelegd: ${wat}.`
          : `Vastgelegd: ${wat} op ${datumTekst(waarden.datum)}.`,
      uitkomst,
      waarden,
    );
  }

  return (
    <Formulier ref={formRef} aria-labelledby={`${formulier.naam}-kop`} verstuur={verstuur}>
      <Kop niveau={3} id={`${formulier.naam}-kop`}>
        {formulier.titel}
      </Kop>
      {fout?.conflict && (
        <Melding soort="waarschuwing">
          <p className="utrecht-paragraph">
            Iemand anders heeft dit traject intussen gewijzigd. Er is niets vastgelegd. Herlaad het traject, bekijk de wijziging en verstuur opnieuw: wat u invulde blijft staan.
          </p>
          <Knop
            soort="primair"
            onClick={() => {
              herlaad();
              setFout(undefined);
            }}
          >
            Traject herladen
          </Knop>
        </Melding>
      )}
      {formulier.uitleg && <Alinea>{formulier.uitleg}</Alinea>}
      {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
      {zichtbaar.map((v) => (
        <Invoer
          key={v.naam}
          veld={v}
          waarde={waarden[v.naam] ?? ''}
          fout={fout?.velden[v.naam]}
          opmerking={v.opmerking?.(waarden)}
          onWaarde={(w) => setWaarden((oud) => ({ ...oud, [v.naam]: w }))}
        />
      ))}
      {bevestigen && (
        <VinkVeld
          label={bevestigen.label}
          aan={waarden[bevestigen.naam] === 'true'}
          onAan={(a) => setWaarden((oud) => ({ ...oud, [bevestigen.naam]: String(a) }))}
          naam={bevestigen.naam}
        />
      )}
      <div className="utrecht-button-group">
        <Knop type="submit" soort="primair" disabled={bezig} aria-busy={bezig}>
          {bezig ? 'Bezig…' : 'Vastleggen'}
        </Knop>
        <Knop
          soort="subtiel"
          onClick={() => {
            wisDraft();
            klaar();
          }}
        >
          Annuleren
        </Knop>
      </div>
    </Formulier>
  );
}

function Invoer({
  veld,
  waarde,
  fout,
  opmerking,
  onWaarde,
}: {
  veld: VeldDef;
  waarde: string;
  fout?: string;
  opmerking?: string;
  onWaarde: (w: string) => void;
}) {
  const uitleg = [veld.uitleg, opmerking].filter(Boolean).join(' ') || undefined;
  switch (veld.soort) {
    case 'vink':
      return <VinkVeld label={veld.label} aan={waarde === 'true'} onAan={(a) => onWaarde(String(a))} naam={veld.naam} />;
    case 'keuze':
      if ((veld.opties ?? []).length === 0 && veld.geenOpties !== undefined) {
        // Nothing to choose from: say why in words rather than show an empty list.
        return (
          <div className={`utrecht-form-field ${fout ? 'utrecht-form-field--invalid' : ''}`}>
            <Alinea className="utrecht-form-label">{veld.label}</Alinea>
            {fout && <div className="utrecht-form-field-error-message">{fout}</div>}
            <Alinea>{veld.geenOpties}</Alinea>
          </div>
        );
      }
      return (
        <KeuzeVeld
          label={veld.label}
          waarde={waarde}
          onWaarde={onWaarde}
          opties={veld.opties ?? []}
          fout={fout}
          uitleg={uitleg}
          naam={veld.naam}
          leeg={veld.kies}
        />
      );
    default:
      return (
        <TekstVeld
          label={veld.label}
          waarde={waarde}
          onWaarde={onWaarde}
          fout={fout}
          uitleg={uitleg}
          naam={veld.naam}
          type={veld.soort === 'datum' ? 'date' : 'text'}
        />
      );
  }
}

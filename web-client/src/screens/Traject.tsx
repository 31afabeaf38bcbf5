// One trajectory: its status with progress towards duurzaam, the client's personal data, the
// timeline, and a form for every event. A conflict keeps what was typed and offers a reload.
import { useMemo, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router-dom';
import { useClient, useQuery } from 'urql';
import {
  FORMULIEREN,
  TrajectVelden,
  beginwaarden,
  gegevensTekst,
  regels,
  soortTekst,
  type Context,
  type Formulier as Gebeurtenisformulier,
  type VeldDef,
} from '../gebeurtenissen';
import { leesFout, type Formfout } from '../fouten';
import { graphql } from '../gql';
import type { TrajectVeldenFragment } from '../gql/graphql';
import { heeftRol, useSessie } from '../sessie';
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
  woorden,
} from '../ui';
import { controleer } from '../validatie';
import { Persoonsgegevens } from './Persoonsgegevens';
import { TeamQuery } from './Team';

const TrajectQuery = graphql(`
  query Traject($id: ID!) {
    traject(id: $id) {
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
  const dagen = Math.min(status.dagenOnonderbrokenWerk, nodig);
  return (
    <div className="traject-voortgang">
      <label htmlFor="voortgang-duurzaam" className="utrecht-form-label">
        Op weg naar duurzaam: {status.dagenOnonderbrokenWerk} van {nodig} dagen ononderbroken kwalificerend werk
      </label>
      <progress id="voortgang-duurzaam" max={nodig} value={dagen}>
        {Math.round((dagen / nodig) * 100)}%
      </progress>
      <Alinea>
        {status.werkSinds
          ? `Aan het werk sinds ${datumTekst(status.werkSinds)}; duurzaam vanaf ${datumTekst(status.duurzaamVanaf)} als het werk doorloopt.`
          : 'Nu geen kwalificerend werk (betaald, regulier en minstens 12 uur per week).'}
      </Alinea>
    </div>
  );
}

export function Traject() {
  const { id = '' } = useParams();
  const { ik } = useSessie();
  const [{ data, error, fetching }, herlaad] = useQuery({ query: TrajectQuery, variables: { id } });
  const traject = data?.traject;
  const teamleider = heeftRol(ik, 'TEAMLEIDER');
  // A teamleider names a coach of the team (at the intake, or as another coach): the forms offer the team.
  const [{ data: teamData, error: teamError }] = useQuery({ query: TeamQuery, pause: !teamleider });
  const [zoek] = useSearchParams();
  const locatie = useLocation();
  const [keuze, setKeuze] = useState(zoek.get('actie') ?? '');
  const [intrekken, setIntrekken] = useState<string>();
  const [bericht, setBericht] = useState<string | undefined>((locatie.state as { melding?: string } | null)?.melding);

  if (error) return <Melding soort="fout">Het traject kon niet worden geladen: {error.message}</Melding>;
  if (!traject) return <Alinea>{fetching ? 'Traject laden…' : 'Geen traject.'}</Alinea>;
  const fase = traject.status?.fase ?? 'Aangemeld';
  const mogelijk = FORMULIEREN.filter((f) => f.fasen.includes(fase) && (!f.alleenTeamleider || teamleider));
  const context: Context = {
    isCoach: heeftRol(ik, 'COACH'),
    plaatsingen: traject.lopendePlaatsingen.map((p) => ({ waarde: p.id, tekst: `gestart ${datumTekst(p.start)}` })),
    gebeurtenissen: traject.tijdlijn
      .filter((t) => !t.ingetrokken && t.soort !== 'GebeurtenisIngetrokken' && t.soort !== 'TrajectAangemeld')
      .map((t) => ({ waarde: t.eventId, tekst: `${datumTekst(t.datum)}: ${soortTekst(t.soort)}` })),
    team: teamleider ? teamData?.team : [],
    teamFout: teamleider && !teamData ? teamError?.message : undefined,
  };
  const gekozen = intrekken ? FORMULIEREN.find((f) => f.naam === 'intrekken') : mogelijk.find((f) => f.naam === keuze);

  return (
    <>
      <Link className="utrecht-link" to="/">
        ← Caseload
      </Link>
      <Kop niveau={1}>Traject</Kop>
      <Persoonsgegevens clientId={traject.clientId} />
      <section aria-labelledby="status-kop" className="traject-blok">
        <Kop niveau={2} id="status-kop">
          Status
        </Kop>
        <dl className="utrecht-data-list traject-gegevens">
          <dt>Fase</dt>
          <dd data-testid="fase">
            {fase}
            {traject.status?.waakvlam && fase !== 'Waakvlam' ? ' (waakvlam)' : ''}
          </dd>
          <dt>Methode</dt>
          <dd>{woorden(traject.methode)}</dd>
          <dt>Coach</dt>
          <dd>{traject.coach ?? '–'}</dd>
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
          <dt>Cliënt-id</dt>
          <dd data-testid="client-id" className="traject-ids">
            {traject.clientId}
          </dd>
          <dt>Revisie</dt>
          <dd data-testid="revisie">{traject.revisie ?? '–'}</dd>
        </dl>
        {traject.status && <Voortgang status={traject.status} />}
      </section>

      <section aria-labelledby="vastleggen-kop" className="traject-blok">
        <Kop niveau={2} id="vastleggen-kop">
          Vastleggen
        </Kop>
        <div aria-live="polite">{bericht && <Melding soort="ok">{bericht}</Melding>}</div>
        {!intrekken && (
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
            key={gekozen.naam + (intrekken ?? '')}
            formulier={gekozen}
            context={context}
            traject={traject}
            begin={intrekken ? { eventId: intrekken } : {}}
            herlaad={() => herlaad({ requestPolicy: 'network-only' })}
            klaar={(vastgelegd) => {
              setKeuze('');
              setIntrekken(undefined);
              setBericht(vastgelegd);
            }}
          />
        )}
      </section>

      <section aria-labelledby="tijdlijn-kop" className="traject-blok">
        <Kop niveau={2} id="tijdlijn-kop">
          Tijdlijn
        </Kop>
        <Tabel bijschrift="Alle gebeurtenissen, oudste eerst" koppen={['Datum', 'Gebeurtenis', 'Gegevens', 'Vastgelegd', '']}>
          {traject.tijdlijn.map((t) => (
            <tr key={t.eventId} className={`utrecht-table__row ${t.ingetrokken ? 'traject-ingetrokken' : ''}`}>
              <td className="utrecht-table__cell">{datumTekst(t.datum)}</td>
              <td className="utrecht-table__cell">
                {soortTekst(t.soort)}
                {t.ingetrokken ? ' (ingetrokken)' : ''}
              </td>
              <td className="utrecht-table__cell">{gegevensTekst(t.gegevens)}</td>
              <td className="utrecht-table__cell">{new Date(t.opgenomenOp).toLocaleString('nl-NL')}</td>
              <td className="utrecht-table__cell">
                {context.gebeurtenissen.some((g) => g.waarde === t.eventId) && fase !== 'Afgesloten' && (
                  <Knop soort="subtiel" onClick={() => setIntrekken(t.eventId)} aria-label={`${soortTekst(t.soort)} van ${datumTekst(t.datum)} intrekken`}>
                    Intrekken
                  </Knop>
                )}
              </td>
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
  traject: TrajectVeldenFragment;
  begin: Record<string, string>;
  herlaad: () => void;
  klaar: (vastgelegd?: string) => void;
}) {
  const client = useClient();
  const velden = useMemo(() => formulier.velden(context), [formulier, context]);
  const [waarden, setWaarden] = useState<Record<string, string>>(() => ({ ...beginwaarden(velden), ...begin }));
  const [fout, setFout] = useState<Formfout>();
  const [bezig, setBezig] = useState(false);
  const zichtbaar = velden.filter((v) => !v.zichtbaar || v.zichtbaar(waarden));

  async function verstuur() {
    const velfouten = controleer(waarden, regels(velden, waarden));
    if (Object.keys(velfouten).length > 0) {
      setFout({ velden: velfouten, algemeen: 'Niet alle velden kloppen; zie de meldingen bij de velden.' });
      return;
    }
    if (traject.revisie === null || traject.revisie === undefined) return;
    setBezig(true);
    const uitkomst = await formulier.verstuur(
      client,
      { trajectId: traject.id, revisie: traject.revisie, datum: waarden.datum.trim() },
      waarden,
    );
    setBezig(false);
    const f = leesFout(uitkomst.error, velden.map((v) => v.naam));
    if (f) {
      setFout(f);
      return;
    }
    setFout(undefined);
    klaar(`Vastgelegd: ${formulier.titel.toLowerCase()} op ${datumTekst(waarden.datum)}.`);
  }

  return (
    <Formulier aria-labelledby={`${formulier.naam}-kop`} verstuur={verstuur}>
      <Kop niveau={3} id={`${formulier.naam}-kop`}>
        {formulier.titel}
      </Kop>
      {fout?.conflict && (
        <Melding soort="waarschuwing">
          <p className="utrecht-paragraph">
            Iemand anders heeft dit traject intussen gewijzigd
            {fout.conflict.huidigeRevisie !== null ? ` (nu revisie ${fout.conflict.huidigeRevisie})` : ''}. Er is niets
            vastgelegd. Herlaad het traject, bekijk de wijziging en verstuur opnieuw: wat u invulde blijft staan.
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
      {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
      {zichtbaar.map((v) => (
        <Invoer
          key={v.naam}
          veld={v}
          waarde={waarden[v.naam] ?? ''}
          fout={fout?.velden[v.naam]}
          onWaarde={(w) => setWaarden((oud) => ({ ...oud, [v.naam]: w }))}
        />
      ))}
      <div className="utrecht-button-group">
        <Knop type="submit" soort="primair" disabled={bezig} aria-busy={bezig}>
          {bezig ? 'Bezig…' : 'Vastleggen'}
        </Knop>
        <Knop soort="subtiel" onClick={() => klaar()}>
          Annuleren
        </Knop>
      </div>
    </Formulier>
  );
}

function Invoer({ veld, waarde, fout, onWaarde }: { veld: VeldDef; waarde: string; fout?: string; onWaarde: (w: string) => void }) {
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
          uitleg={veld.uitleg}
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
          uitleg={veld.uitleg}
          naam={veld.naam}
          type={veld.soort === 'datum' ? 'date' : 'text'}
        />
      );
  }
}

// Team (teamleider): the organisation's IPS indicators against the IPS norms, the coaches of the
// team with their open caseload (added and removed here), and the organisation's trajectories,
// each with a link to assign another coach.
import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { leesFout, type Formfout } from '../fouten';
import { LaadFout } from '../herstel';
import { graphql } from '../gql';
import { Alinea, Formulier, Knop, Kop, Melding, Tabel, TekstVeld, useTitel } from '../ui';
import * as r from '../validatie';
import { Caseload } from './Caseload';

const IpsQuery = graphql(`
  query Ips {
    ipsIndicatoren(organisatie: true) {
      actieveCaseload
      mediaanDagenTotWerkgeverscontact
      plaatsingen
      regulierBetaald
      aandeelRegulierBetaald
    }
  }
`);

/** The coaches of the caller's organisation's team, each with their open caseload (also the coach lists of the event forms). */
export const TeamQuery = graphql(`
  query Team {
    team {
      coach
      openTrajecten
    }
  }
`);

const CoachToevoegen = graphql(`
  mutation CoachToevoegen($coach: String!) {
    coachToevoegen(coach: $coach) {
      coach
      openTrajecten
    }
  }
`);

const CoachVerwijderen = graphql(`
  mutation CoachVerwijderen($coach: String!) {
    coachVerwijderen(coach: $coach) {
      coach
      openTrajecten
    }
  }
`);

export function Team() {
  const [{ data, error }, herlaadIps] = useQuery({ query: IpsQuery });
  const ips = data?.ipsIndicatoren;
  useTitel('Team');
  return (
    <>
      <Kop niveau={1}>Team</Kop>
      <section aria-labelledby="ips-kop" className="traject-blok">
        <Kop niveau={2} id="ips-kop">
          IPS-indicatoren van de organisatie
        </Kop>
        {error && (
          <LaadFout
            wat="De IPS-indicatoren konden niet worden geladen."
            error={error}
            opnieuw={() => herlaadIps({ requestPolicy: 'network-only' })}
          />
        )}
        {ips && (
          <dl className="utrecht-data-list traject-gegevens">
            <dt>Lopende trajecten</dt>
            <dd>{ips.actieveCaseload}</dd>
            <dt>Mediaan dagen tot eerste werkgeverscontact</dt>
            <dd>
              {ips.mediaanDagenTotWerkgeverscontact === null || ips.mediaanDagenTotWerkgeverscontact === undefined
                ? '–'
                : ips.mediaanDagenTotWerkgeverscontact.toLocaleString('nl-NL')}{' '}
              (IPS-norm: hoogstens 30)
            </dd>
            <dt>Plaatsingen</dt>
            <dd>{ips.plaatsingen}</dd>
            <dt>Waarvan regulier betaald</dt>
            <dd>
              {ips.regulierBetaald}
              {ips.aandeelRegulierBetaald !== null && ips.aandeelRegulierBetaald !== undefined
                ? ` (${Math.round(ips.aandeelRegulierBetaald * 100)}%)`
                : ''}
            </dd>
          </dl>
        )}
      </section>
      <CoachesVanHetTeam />
      <Caseload team />
    </>
  );
}

/**
 * The team's coaches with their open trajectories; a coach is added by their user id and removed
 * after a confirmation. Only a coach of the team can be given a trajectory.
 */
export function CoachesVanHetTeam() {
  const [{ data, error, fetching }, herlaad] = useQuery({ query: TeamQuery });
  const [, toevoegen] = useMutation(CoachToevoegen);
  const [, verwijderen] = useMutation(CoachVerwijderen);
  const [nieuw, setNieuw] = useState('');
  const [fout, setFout] = useState<Formfout>();
  const [bezig, setBezig] = useState(false);
  const [teVerwijderen, setTeVerwijderen] = useState<string>();
  const [verwijderFout, setVerwijderFout] = useState<string>();
  const [bericht, setBericht] = useState<string>();
  const statusRef = useRef<HTMLDivElement>(null);
  const bevestigRef = useRef<HTMLDivElement>(null);
  const verwijderknoppen = useRef(new Map<string, HTMLButtonElement>());
  // The team as the last change answered it, until the query has fetched it again.
  const [antwoord, setAntwoord] = useState<readonly { coach: string; openTrajecten: number }[]>();
  const team = antwoord ?? data?.team;

  // After an addition or removal the focus goes to the message that says what happened.
  useEffect(() => {
    if (bericht) statusRef.current?.focus();
  }, [bericht]);
  useEffect(() => {
    if (teVerwijderen) bevestigRef.current?.focus();
  }, [teVerwijderen]);
  useEffect(() => setAntwoord(undefined), [data]);

  async function voegToe() {
    const velfouten = r.controleer({ coach: nieuw }, { coach: r.identificatie });
    if (Object.keys(velfouten).length > 0) {
      setFout({ velden: velfouten });
      return;
    }
    const coach = nieuw.trim();
    setBezig(true);
    setBericht(undefined);
    const uitkomst = await toevoegen({ coach });
    setBezig(false);
    const f = leesFout(uitkomst.error, ['coach']);
    if (f) {
      setFout(f);
      return;
    }
    setFout(undefined);
    setNieuw('');
    if (uitkomst.data) setAntwoord(uitkomst.data.coachToevoegen);
    herlaad({ requestPolicy: 'network-only' });
    setBericht(`${coach} is aan het team toegevoegd.`);
  }

  async function verwijder(coach: string) {
    setBezig(true);
    setBericht(undefined);
    const uitkomst = await verwijderen({ coach });
    setBezig(false);
    const f = leesFout(uitkomst.error, ['coach']);
    if (f) {
      setVerwijderFout(`${coach} kon niet uit het team worden verwijderd: ${f.velden.coach ?? f.algemeen ?? 'onbekende fout'}`);
      return;
    }
    setVerwijderFout(undefined);
    setTeVerwijderen(undefined);
    if (uitkomst.data) setAntwoord(uitkomst.data.coachVerwijderen);
    herlaad({ requestPolicy: 'network-only' });
    setBericht(
      `${coach} is uit het team verwijderd. Hun lopende trajecten houden deze coach tot u een andere coach toewijst; ` +
        'voeg de coach opnieuw toe als dit een vergissing was.',
    );
  }

  return (
    <section aria-labelledby="team-kop" className="traject-blok">
      <Kop niveau={2} id="team-kop">
        Coaches van het team
      </Kop>
      <Alinea>Alleen coaches van het team kunnen een traject krijgen, bij de intake en met ‘Andere coach’.</Alinea>
      <div ref={statusRef} tabIndex={-1} aria-live="polite">
        {bericht && <Melding soort="ok">{bericht}</Melding>}
      </div>
      {error && (
        <LaadFout wat="Het team kon niet worden geladen." error={error} opnieuw={() => herlaad({ requestPolicy: 'network-only' })} />
      )}
      {!team && !error && <Alinea>{fetching ? 'Team laden…' : 'Geen team.'}</Alinea>}
      {team && team.length === 0 && (
        <Alinea>Er staan nog geen coaches in het team. Voeg hieronder een coach toe met het gebruikers-id.</Alinea>
      )}
      {team && team.length > 0 && (
        <Tabel bijschrift="Coaches van het team met hun lopende trajecten" koppen={['Coach', 'Lopende trajecten', 'Actie']} numeriek={[1]}>
          {team.map((t) => (
            <tr key={t.coach} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__cell">
                {t.coach}
              </th>
              <td className="utrecht-table__cell utrecht-table__cell--numeric-column">
                {t.openTrajecten.toLocaleString('nl-NL')}
              </td>
              <td className="utrecht-table__cell">
                <Knop
                  soort="subtiel"
                  ref={(knop) => {
                    if (knop) verwijderknoppen.current.set(t.coach, knop);
                    else verwijderknoppen.current.delete(t.coach);
                  }}
                  aria-label={`${t.coach} uit het team verwijderen`}
                  onClick={() => {
                    setBericht(undefined);
                    setVerwijderFout(undefined);
                    setTeVerwijderen(t.coach);
                  }}
                >
                  Verwijderen
                </Knop>
              </td>
            </tr>
          ))}
        </Tabel>
      )}
      {teVerwijderen && (
        <div
          ref={bevestigRef}
          tabIndex={-1}
          role="group"
          aria-labelledby="team-bevestig-vraag"
          className="utrecht-alert utrecht-alert--warning"
        >
          <div className="utrecht-alert__content">
            <div className="utrecht-alert__message">
              <p id="team-bevestig-vraag" className="utrecht-paragraph">
                {teVerwijderen} uit het team verwijderen?
              </p>
              <Alinea>
                Deze coach kan daarna geen trajecten meer krijgen. Lopende trajecten houden deze coach tot u een andere coach
                toewijst.
              </Alinea>
              {verwijderFout && <Melding soort="fout">{verwijderFout}</Melding>}
              <div className="utrecht-button-group">
                <Knop soort="gevaar" disabled={bezig} aria-busy={bezig} onClick={() => void verwijder(teVerwijderen)}>
                  Ja, verwijderen
                </Knop>
                <Knop
                  soort="subtiel"
                  onClick={() => {
                    const coach = teVerwijderen;
                    setTeVerwijderen(undefined);
                    setVerwijderFout(undefined);
                    verwijderknoppen.current.get(coach)?.focus();
                  }}
                >
                  Annuleren
                </Knop>
              </div>
            </div>
          </div>
        </div>
      )}
      <Formulier aria-labelledby="coach-toevoegen-kop" verstuur={voegToe}>
        <Kop niveau={3} id="coach-toevoegen-kop">
          Coach toevoegen
        </Kop>
        {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
        <TekstVeld
          label="Gebruikers-id van de coach"
          naam="coach"
          waarde={nieuw}
          onWaarde={setNieuw}
          fout={fout?.velden.coach}
          uitleg="Het id waarmee de coach inlogt, bijvoorbeeld org-am13-1-coach-3."
        />
        <div className="utrecht-button-group">
          <Knop type="submit" soort="primair" disabled={bezig} aria-busy={bezig}>
            {bezig ? 'Bezig…' : 'Toevoegen'}
          </Knop>
        </div>
      </Formulier>
    </section>
  );
}

// A client's personal data from the vault: shown on the trajectory, changed with the version
// the user saw (a stale version is a conflict). Every read is logged by the server.
import { useEffect, useRef, useState } from 'react';
import { bewaarConcept, conceptSleutel, leesConcept, wisConcept } from '../concept';
import { LaadFout } from '../herstel';
import { useMutation, useQuery } from 'urql';
import { leesFout, type Formfout } from '../fouten';
import { graphql } from '../gql';
import { Alinea, Formulier, Knop, Kop, Melding, TekstVeld, datumTekst, focusOpFout } from '../ui';
import * as r from '../validatie';

// What the screen shows of a client's record, read and returned after a change alike.
graphql(`
  fragment Persoonsrecord on Persoon {
    clientId
    versie
    gewist
    gegevens {
      naam
      geboortedatum
      telefoon
      email
      bsn
    }
  }
`);

const PersoonQuery = graphql(`
  query Persoon($clientId: ID!) {
    persoon(clientId: $clientId) {
      ...Persoonsrecord
    }
  }
`);

export const PersoonVastleggen = graphql(`
  mutation PersoonVastleggen($clientId: ID!, $versie: Int, $gegevens: PersoonsgegevensInvoer!) {
    persoonsgegevensVastleggen(clientId: $clientId, versie: $versie, gegevens: $gegevens) {
      ...Persoonsrecord
    }
  }
`);

export const PERSOON_REGELS: Record<string, r.Regel> = {
  naam: r.naam,
  geboortedatum: (v) => r.geboortedatum(v),
  telefoon: r.telefoon,
  email: r.email,
  bsn: r.bsn,
};

/** The fields of personal data, optional ones sent as `null` when empty. */
export function persoonInvoer(w: Record<string, string>) {
  const leeg = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : null);
  return {
    naam: w.naam.trim(),
    geboortedatum: w.geboortedatum.trim(),
    telefoon: leeg(w.telefoon),
    email: leeg(w.email),
    bsn: leeg(w.bsn),
  };
}

export function PersoonVelden({
  waarden,
  setWaarden,
  fouten,
}: {
  waarden: Record<string, string>;
  setWaarden: (f: (oud: Record<string, string>) => Record<string, string>) => void;
  fouten: Record<string, string>;
}) {
  const zet = (veld: string) => (v: string) => setWaarden((oud) => ({ ...oud, [veld]: v }));
  return (
    <>
      <TekstVeld label="Naam" naam="naam" waarde={waarden.naam ?? ''} onWaarde={zet('naam')} fout={fouten.naam} />
      <TekstVeld
        label="Geboortedatum"
        naam="geboortedatum"
        type="date"
        waarde={waarden.geboortedatum ?? ''}
        onWaarde={zet('geboortedatum')}
        fout={fouten.geboortedatum}
      />
      <TekstVeld label="Telefoon (niet verplicht)" naam="telefoon" type="tel" waarde={waarden.telefoon ?? ''} onWaarde={zet('telefoon')} fout={fouten.telefoon} />
      <TekstVeld label="E-mail (niet verplicht)" naam="email" type="email" waarde={waarden.email ?? ''} onWaarde={zet('email')} fout={fouten.email} />
      <TekstVeld
        label="BSN (alleen met een wettelijke grondslag)"
        naam="bsn"
        waarde={waarden.bsn ?? ''}
        onWaarde={zet('bsn')}
        fout={fouten.bsn}
      />
    </>
  );
}

export function Persoonsgegevens({ clientId, naamBekend }: { clientId: string; naamBekend?: (naam: string | null) => void }) {
  const [{ data, error }, herlaad] = useQuery({ query: PersoonQuery, variables: { clientId } });
  const [, vastleggen] = useMutation(PersoonVastleggen);
  // A draft (typed before the session ended, or left by a referral) opens the form with it.
  const sleutel = conceptSleutel('persoonsgegevens', clientId);
  const [bewerken, setBewerken] = useState(() => leesConcept(sleutel) !== undefined);
  const [waarden, setWaardenZelf] = useState<Record<string, string>>(() => leesConcept(sleutel) ?? {});
  const [fout, setFout] = useState<Formfout>();
  const persoon = data?.persoon;
  const formRef = useRef<HTMLFormElement>(null);
  const [foutNr, setFoutNr] = useState(0);
  useEffect(() => {
    if (foutNr > 0) focusOpFout(formRef.current);
  }, [foutNr]);
  const naam = persoon?.gegevens?.naam ?? null;
  const gewijzigd = useRef(false);
  useEffect(() => {
    if (persoon) naamBekend?.(naam);
  }, [persoon, naam, naamBekend]);
  useEffect(() => {
    if (bewerken && gewijzigd.current) bewaarConcept(sleutel, waarden);
  }, [bewerken, sleutel, waarden]);
  const setWaarden = (f: (oud: Record<string, string>) => Record<string, string>) => {
    gewijzigd.current = true;
    setWaardenZelf(f);
  };
  const stopBewerken = () => {
    gewijzigd.current = false;
    wisConcept(sleutel);
    setBewerken(false);
  };

  if (error && !persoon) {
    return (
      <LaadFout
        wat="De persoonsgegevens zijn niet beschikbaar."
        error={error}
        opnieuw={() => herlaad({ requestPolicy: 'network-only' })}
      />
    );
  }
  if (!persoon) return null;
  const g = persoon.gegevens;

  async function opslaan() {
    const velfouten = r.controleer(waarden, PERSOON_REGELS);
    if (Object.keys(velfouten).length > 0) {
      setFout({ velden: velfouten });
      setFoutNr((n) => n + 1);
      return;
    }
    const uitkomst = await vastleggen({ clientId, versie: persoon?.versie ?? null, gegevens: persoonInvoer(waarden) });
    const f = leesFout(uitkomst.error, Object.keys(PERSOON_REGELS));
    if (f) {
      setFout(f);
      setFoutNr((n) => n + 1);
      return;
    }
    setFout(undefined);
    stopBewerken();
  }

  return (
    <section aria-labelledby="persoon-kop" className="traject-blok">
      <Kop niveau={2} id="persoon-kop">
        {g ? g.naam : persoon.gewist ? 'Gegevens gewist' : 'Cliënt zonder persoonsgegevens'}
      </Kop>
      {persoon.gewist && <Alinea>De persoonsgegevens van deze cliënt zijn gewist; de geschiedenis blijft anoniem.</Alinea>}
      {g && !bewerken && (
        <dl className="utrecht-data-list traject-gegevens">
          <dt>Geboortedatum</dt>
          <dd>{datumTekst(g.geboortedatum)}</dd>
          <dt>Telefoon</dt>
          <dd>{g.telefoon ?? '–'}</dd>
          <dt>E-mail</dt>
          <dd>{g.email ?? '–'}</dd>
        </dl>
      )}
      {!persoon.gewist && !bewerken && (
        <Knop
          onClick={() => {
            setWaardenZelf({
              naam: g?.naam ?? '',
              geboortedatum: g?.geboortedatum ?? '',
              telefoon: g?.telefoon ?? '',
              email: g?.email ?? '',
              bsn: g?.bsn ?? '',
            });
            setBewerken(true);
          }}
        >
          {g ? 'Persoonsgegevens wijzigen' : 'Persoonsgegevens vastleggen'}
        </Knop>
      )}
      {bewerken && (
        <Formulier ref={formRef} aria-label="Persoonsgegevens" verstuur={opslaan}>
          {fout?.conflict && (
            <Melding soort="waarschuwing">
              <p className="utrecht-paragraph">
                Iemand anders heeft deze gegevens intussen gewijzigd. Er is niets opgeslagen. Herlaad om de nieuwe versie te
                zien; wat u invulde blijft staan.
              </p>
              <Knop
                soort="primair"
                onClick={() => {
                  herlaad({ requestPolicy: 'network-only' });
                  setFout(undefined);
                }}
              >
                Herladen
              </Knop>
            </Melding>
          )}
          {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
          <PersoonVelden waarden={waarden} setWaarden={setWaarden} fouten={fout?.velden ?? {}} />
          <div className="utrecht-button-group">
            <Knop type="submit" soort="primair">
              Opslaan
            </Knop>
            <Knop soort="subtiel" onClick={stopBewerken}>
              Annuleren
            </Knop>
          </div>
        </Formulier>
      )}
    </section>
  );
}

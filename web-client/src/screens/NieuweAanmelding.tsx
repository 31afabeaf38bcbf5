// Nieuwe aanmelding: refers a new trajectory and records the client's name and date of birth
// in the vault, so that the coach finds them by name.
import { useEffect, useRef, useState } from 'react';
import { bewaarConcept, conceptSleutel, useConcept } from '../concept';
import { useNavigate } from 'react-router-dom';
import { useClient } from 'urql';
import { leesFout, type Formfout } from '../fouten';
import { graphql } from '../gql';
import { Financier, Methode, Verwijzer } from '../gql/graphql';
import { KEUZELIJSTEN, waarden as keuzewaarden } from '../keuzelijsten';
import { useSessie } from '../sessie';
import { Formulier, KeuzeVeld, Knop, Kop, Melding, TekstVeld, focusOpFout, useTitel } from '../ui';
import * as r from '../validatie';
import { PERSOON_REGELS, PersoonVastleggen, PersoonVelden, persoonInvoer } from './Persoonsgegevens';

const Aanmelden = graphql(`
  mutation Aanmelden($invoer: AanmeldenInvoer!) {
    aanmelden(invoer: $invoer) {
      revisie
      traject {
        id
        clientId
      }
    }
  }
`);

const AANMELD_REGELS: Record<string, r.Regel> = {
  datum: (v) => r.gebeurtenisdatum(v),
  methode: r.keuze(keuzewaarden('Methode')),
  regio: (v) => (/^\s*AM\d\d\s*$/i.test(v) ? undefined : 'moet een CBS-code als AM13 zijn'),
  organisatie: r.identificatie,
  verwijzer: r.keuze(keuzewaarden('Verwijzer')),
  financier: r.keuze(keuzewaarden('Financier')),
};

/** The personal data fields of the referral form, as the personal data form's draft. */
function persoonInvoerAlsTekst(w: Record<string, string>): Record<string, string> {
  const { naam = '', geboortedatum = '', telefoon = '', email = '', bsn = '' } = w;
  return { naam, geboortedatum, telefoon, email, bsn };
}

export function NieuweAanmelding() {
  const { ik } = useSessie();
  const client = useClient();
  const navigeer = useNavigate();
  // What is typed stays as a draft until the referral is made.
  const [waarden, setWaarden, wisDraft] = useConcept(conceptSleutel('nieuweAanmelding'), () => ({
    datum: r.vandaag(),
    methode: Methode.Ips,
    regio: ik.regio ?? '',
    organisatie: ik.organisatie ?? '',
    verwijzer: Verwijzer.Ggz,
    financier: Financier.Gemeente,
    naam: '',
    geboortedatum: '',
    telefoon: '',
    email: '',
    bsn: '',
  }));
  const [fout, setFout] = useState<Formfout>();
  const [bezig, setBezig] = useState(false);
  useTitel('Nieuwe aanmelding');
  // After a refusal the focus goes to the first field in error, else to the form's message.
  const formRef = useRef<HTMLFormElement>(null);
  const [foutNr, setFoutNr] = useState(0);
  useEffect(() => {
    if (foutNr > 0) focusOpFout(formRef.current);
  }, [foutNr]);
  const zet = (veld: string) => (v: string) => setWaarden((oud) => ({ ...oud, [veld]: v }));

  async function verstuur() {
    const velfouten = r.controleer(waarden, { ...AANMELD_REGELS, ...PERSOON_REGELS });
    if (Object.keys(velfouten).length > 0) {
      setFout({ velden: velfouten, algemeen: 'Niet alle velden kloppen; zie de meldingen bij de velden.' });
      setFoutNr((n) => n + 1);
      return;
    }
    setBezig(true);
    try {
      const aanmelding = await client
        .mutation(Aanmelden, {
          invoer: {
            datum: waarden.datum.trim(),
            methode: waarden.methode as Methode,
            regio: waarden.regio.trim(),
            organisatie: waarden.organisatie.trim(),
            verwijzer: waarden.verwijzer as Verwijzer,
            financier: waarden.financier as Financier,
          },
        })
        .toPromise();
      const f = leesFout(aanmelding.error, Object.keys(AANMELD_REGELS));
      if (f || !aanmelding.data) {
        setFout(f ?? { velden: {}, algemeen: 'Aanmelden lukte niet.' });
        setFoutNr((n) => n + 1);
        return;
      }
      const { id, clientId } = aanmelding.data.aanmelden.traject;
      // The trajectory exists: a second send would refer the client twice.
      wisDraft();
      const persoon = await client
        .mutation(PersoonVastleggen, { clientId, versie: null, gegevens: persoonInvoer(waarden) })
        .toPromise();
      if (persoon.error) {
        // The trajectory exists; the personal data can be recorded again on its page, where
        // the form opens with what was typed here.
        bewaarConcept(conceptSleutel('persoonsgegevens', clientId), persoonInvoerAlsTekst(waarden));
        navigeer(`/traject/${id}`, { state: { melding: 'Aangemeld, maar de persoonsgegevens zijn niet opgeslagen.' } });
        return;
      }
      navigeer(`/traject/${id}`);
    } finally {
      setBezig(false);
    }
  }

  const v = fout?.velden ?? {};
  return (
    <>
      <Kop niveau={1}>Nieuwe aanmelding</Kop>
      <Formulier ref={formRef} aria-label="Nieuwe aanmelding" verstuur={verstuur}>
        {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
        <fieldset className="utrecht-form-fieldset">
          <legend className="utrecht-form-fieldset__legend">Cliënt</legend>
          <PersoonVelden waarden={waarden} setWaarden={setWaarden} fouten={v} />
        </fieldset>
        <fieldset className="utrecht-form-fieldset">
          <legend className="utrecht-form-fieldset__legend">Aanmelding</legend>
          <TekstVeld label="Datum van aanmelding" type="date" naam="datum" waarde={waarden.datum} onWaarde={zet('datum')} fout={v.datum} />
          <KeuzeVeld label="Methode" naam="methode" waarde={waarden.methode} onWaarde={zet('methode')} opties={KEUZELIJSTEN.Methode} fout={v.methode} />
          <KeuzeVeld label="Verwijzer" naam="verwijzer" waarde={waarden.verwijzer} onWaarde={zet('verwijzer')} opties={KEUZELIJSTEN.Verwijzer} fout={v.verwijzer} />
          <KeuzeVeld label="Financier" naam="financier" waarde={waarden.financier} onWaarde={zet('financier')} opties={KEUZELIJSTEN.Financier} fout={v.financier} />
          <TekstVeld label="Arbeidsmarktregio" naam="regio" waarde={waarden.regio} onWaarde={zet('regio')} fout={v.regio} uitleg="CBS-code, bijvoorbeeld AM13." />
          <TekstVeld label="Organisatie" naam="organisatie" waarde={waarden.organisatie} onWaarde={zet('organisatie')} fout={v.organisatie} alleenLezen={!!ik.organisatie} />
        </fieldset>
        <Knop type="submit" soort="primair" disabled={bezig} aria-busy={bezig}>
          {bezig ? 'Bezig…' : 'Aanmelden'}
        </Knop>
      </Formulier>
    </>
  );
}

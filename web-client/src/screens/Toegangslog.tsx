// Toegangslog (beheerder): the access log, newest first, whether its hash chain is intact, who
// accessed one client's file, and the erasure of a client's personal data with confirmation.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { leesFout } from '../fouten';
import { graphql } from '../gql';
import type { WisRedenInvoer } from '../gql/graphql';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, TekstVeld, VinkVeld } from '../ui';

const LogQuery = graphql(`
  query Toegangslog($clientId: ID, $aantal: Int!) {
    toegangslog(clientId: $clientId, aantal: $aantal) {
      gebeurteniscode
      actie
      tijd
      resultaat
      gebruiker
      rol
      clients
      traject
      regel
      correlatie
      hash
    }
  }
`);

const IntactQuery = graphql(`
  query ToegangslogIntact {
    toegangslogIntact
  }
`);

const InzageQuery = graphql(`
  query Inzage($clientId: ID!) {
    inzageOverzicht(clientId: $clientId) {
      gebruiker
      rol
      gelukt
      geweigerd
      eerste
      laatste
      codes
    }
  }
`);

const Wissen = graphql(`
  mutation ClientWissen($clientId: ID!, $reden: WisRedenInvoer!) {
    clientWissen(clientId: $clientId, reden: $reden) {
      clientId
      gegevensVernietigd
      trajectenGemarkeerd
      eerderGewist
    }
  }
`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WISREDENEN: { waarde: WisRedenInvoer; tekst: string }[] = [
  { waarde: 'VERZOEK_CLIENT', tekst: 'Verzoek van de cliënt (AVG art. 17)' },
  { waarde: 'BEWAARTERMIJN_VERSTREKEN', tekst: 'Bewaartermijn verstreken' },
  { waarde: 'ONRECHTMATIG', tekst: 'Onrechtmatig verwerkt' },
  { waarde: 'ANDERS', tekst: 'Andere reden' },
];

const tijd = (t: string) => new Date(t).toLocaleString('nl-NL');

export function Toegangslog() {
  const [filter, setFilter] = useState('');
  const clientId = UUID.test(filter.trim()) ? filter.trim() : null;
  const [{ data, error }] = useQuery({ query: LogQuery, variables: { clientId, aantal: 100 } });
  const [{ data: intact, error: kapot }] = useQuery({ query: IntactQuery });
  const [{ data: inzage }] = useQuery({ query: InzageQuery, variables: { clientId: clientId ?? '' }, pause: !clientId });

  return (
    <>
      <Kop niveau={1}>Toegangslog</Kop>
      {intact && <Melding soort="ok">De hashketen is intact: {intact.toegangslogIntact} regels.</Melding>}
      {kapot && <Melding soort="fout">De hashketen is niet intact: {kapot.message}</Melding>}
      <form className="traject-filters" role="search" aria-label="Toegangslog filteren" onSubmit={(e) => e.preventDefault()}>
        <TekstVeld
          label="Cliënt-id"
          naam="clientId"
          waarde={filter}
          onWaarde={setFilter}
          fout={filter.trim() && !clientId ? 'moet een cliënt-id (UUID) zijn' : undefined}
          uitleg="Het pseudonieme id uit het traject; leeg: alle regels."
        />
      </form>
      {clientId && inzage && (
        <section aria-labelledby="inzage-kop" className="traject-blok">
          <Kop niveau={2} id="inzage-kop">
            Wie heeft dit dossier ingezien
          </Kop>
          <Tabel bijschrift="Inzage per gebruiker en rol" koppen={['Gebruiker', 'Rol', 'Gelukt', 'Geweigerd', 'Eerste', 'Laatste', 'Soorten']}>
            {inzage.inzageOverzicht.map((i) => (
              <tr key={i.gebruiker + i.rol} className="utrecht-table__row">
                <td className="utrecht-table__cell">{i.gebruiker}</td>
                <td className="utrecht-table__cell">{i.rol}</td>
                <td className="utrecht-table__cell">{i.gelukt}</td>
                <td className="utrecht-table__cell">{i.geweigerd}</td>
                <td className="utrecht-table__cell">{tijd(i.eerste)}</td>
                <td className="utrecht-table__cell">{tijd(i.laatste)}</td>
                <td className="utrecht-table__cell">{i.codes.join(', ')}</td>
              </tr>
            ))}
          </Tabel>
          <ClientWissen clientId={clientId} />
        </section>
      )}
      {error && <Melding soort="fout">{error.message}</Melding>}
      {data && (
        <Tabel
          bijschrift={clientId ? 'Toegang tot deze cliënt, nieuwste eerst' : 'De laatste 100 regels, nieuwste eerst'}
          koppen={['Tijd', 'Gebruiker', 'Rol', 'Actie', 'Code', 'Resultaat', 'Regel', 'Cliënten']}
        >
          {data.toegangslog.map((r) => (
            <tr key={r.hash} className="utrecht-table__row">
              <td className="utrecht-table__cell">{tijd(r.tijd)}</td>
              <td className="utrecht-table__cell">{r.gebruiker}</td>
              <td className="utrecht-table__cell">{r.rol}</td>
              <td className="utrecht-table__cell">{r.actie}</td>
              <td className="utrecht-table__cell">{r.gebeurteniscode}</td>
              <td className="utrecht-table__cell">{r.resultaat}</td>
              <td className="utrecht-table__cell">{r.regel}</td>
              <td className="utrecht-table__cell traject-ids">{r.clients.map((c) => c.slice(0, 8)).join(', ')}</td>
            </tr>
          ))}
        </Tabel>
      )}
    </>
  );
}

function ClientWissen({ clientId }: { clientId: string }) {
  const [reden, setReden] = useState<WisRedenInvoer>('VERZOEK_CLIENT');
  const [zeker, setZeker] = useState(false);
  const [{ data, error, fetching }, wis] = useMutation(Wissen);
  const fout = leesFout(error, []);
  return (
    <form
      className="traject-formulier traject-gevaar"
      aria-labelledby="wissen-kop"
      onSubmit={(e) => {
        e.preventDefault();
        if (zeker) void wis({ clientId, reden });
      }}
    >
      <Kop niveau={3} id="wissen-kop">
        Persoonsgegevens van deze cliënt wissen
      </Kop>
      <Alinea>
        Dit vernietigt de sleutel en de gegevens van de cliënt voorgoed. De geschiedenis van de trajecten blijft, anoniem.
        Dit kan niet ongedaan worden gemaakt.
      </Alinea>
      <KeuzeVeld label="Reden" naam="reden" waarde={reden} onWaarde={(v) => setReden(v as WisRedenInvoer)} opties={WISREDENEN} />
      <VinkVeld label="Ik weet zeker dat de gegevens van deze cliënt gewist moeten worden" aan={zeker} onAan={setZeker} />
      <Knop type="submit" soort="gevaar" disabled={!zeker || fetching}>
        Definitief wissen
      </Knop>
      {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
      {data && (
        <Melding soort="ok">
          Gewist.{' '}
          {data.clientWissen.gegevensVernietigd
            ? 'De persoonsgegevens zijn vernietigd'
            : data.clientWissen.eerderGewist
              ? 'Deze client was al gewist'
              : 'Er waren geen persoonsgegevens'}
          ; {data.clientWissen.trajectenGemarkeerd} traject(en) gemarkeerd.
        </Melding>
      )}
    </form>
  );
}

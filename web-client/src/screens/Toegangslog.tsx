// Toegangslog (beheerder): the access log a page at a time, newest first, filtered by client,
// user, role, action, result and period; who accessed one client's file; signals of unusual
// access; the check of the log's chain and the export of a checkpoint; and the erasure of a
// client's personal data with confirmation.
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { leesFout } from '../fouten';
import { graphql } from '../gql';
import { WisReden, type Actie, type Resultaat } from '../gql/graphql';
import { KEUZELIJSTEN, ROLLEN } from '../keuzelijsten';
import { Alinea, KeuzeVeld, Knop, Kop, Melding, Tabel, TekstVeld, VinkVeld } from '../ui';

const LogQuery = graphql(`
  query Toegangslog($filter: Toegangslogfilter!, $voor: String, $aantal: Int!) {
    toegangslog(filter: $filter, voor: $voor, aantal: $aantal) {
      regels {
        nr
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
      }
      volgende
    }
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

const SignalenQuery = graphql(`
  query Signalen {
    signalen {
      gebruiker
      rol
      personen
      buitenEigenCaseload
      geweigerd
      quotum
      redenen
    }
  }
`);

const Controleren = graphql(`
  mutation ToegangslogControleren($volledig: Boolean!, $checkpoints: [String!]!) {
    toegangslogControleren(volledig: $volledig, checkpoints: $checkpoints) {
      intact
      klaar
      overzichtHersteld
      van
      tot
      nieuwGecontroleerd
      breuk {
        nr
        tijd
        reden
      }
    }
  }
`);

const Checkpoint = graphql(`
  mutation ToegangslogCheckpoint {
    toegangslogCheckpoint
  }
`);

const Wissen = graphql(`
  mutation ClientWissen($clientId: ID!, $reden: WisReden!) {
    clientWissen(clientId: $clientId, reden: $reden) {
      clientId
      gegevensVernietigd
      trajectenGemarkeerd
      eerderGewist
    }
  }
`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REDENEN: Record<string, string> = {
  personen: 'veel verschillende cliënten',
  buiten_eigen_caseload: 'veel cliënten buiten de eigen caseload',
  geweigerd: 'vaak geweigerd',
  quotum: 'boven het inzagequotum',
};
const PAGINA = 100;

const tijd = (t: string) => new Date(t).toLocaleString('nl-NL');
/** The start of a Dutch date (the browser's zone) as an instant, for the period filter. */
const begin = (datum: string) => (datum ? new Date(`${datum}T00:00:00`).toISOString() : null);

export function Toegangslog() {
  const [client, setClient] = useState('');
  const [gebruiker, setGebruiker] = useState('');
  const [rol, setRol] = useState('');
  const [actie, setActie] = useState('');
  const [resultaat, setResultaat] = useState('');
  const [van, setVan] = useState('');
  const [tot, setTot] = useState('');
  // The cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const clientId = UUID.test(client.trim()) ? client.trim() : null;
  const filter = {
    clientId,
    gebruiker: gebruiker.trim() || null,
    rol: rol || null,
    actie: (actie || null) as Actie | null,
    resultaat: (resultaat || null) as Resultaat | null,
    van: begin(van),
    tot: begin(tot),
  };
  const voor = cursors[cursors.length - 1];
  const [{ data, error, fetching }] = useQuery({ query: LogQuery, variables: { filter, voor, aantal: PAGINA } });
  const [{ data: inzage }] = useQuery({ query: InzageQuery, variables: { clientId: clientId ?? '' }, pause: !clientId });
  const opnieuw = <T,>(zet: (v: T) => void) => (v: T) => {
    zet(v);
    setCursors([null]);
  };
  const kiesClient = (id: string) => {
    setClient(id);
    setCursors([null]);
  };

  return (
    <>
      <Kop niveau={1}>Toegangslog</Kop>
      <Keten />
      <form className="traject-filters" role="search" aria-label="Toegangslog filteren" onSubmit={(e) => e.preventDefault()}>
        <TekstVeld
          label="Cliënt-id"
          naam="clientId"
          waarde={client}
          onWaarde={opnieuw(setClient)}
          fout={client.trim() && !clientId ? 'Vul het volledige cliënt-id in (36 tekens, zoals in het traject).' : undefined}
          uitleg="Het pseudonieme id uit het traject; leeg: alle cliënten."
        />
        <TekstVeld label="Gebruiker" naam="gebruiker" waarde={gebruiker} onWaarde={opnieuw(setGebruiker)} />
        <KeuzeVeld label="Rol" naam="rol" waarde={rol} onWaarde={opnieuw(setRol)} opties={ROLLEN} leeg="Alle rollen" />
        <KeuzeVeld label="Actie" naam="actie" waarde={actie} onWaarde={opnieuw(setActie)} opties={KEUZELIJSTEN.Actie} leeg="Alle acties" />
        <KeuzeVeld
          label="Resultaat"
          naam="resultaat"
          waarde={resultaat}
          onWaarde={opnieuw(setResultaat)}
          opties={KEUZELIJSTEN.Resultaat}
          leeg="Alle resultaten"
        />
        <TekstVeld label="Vanaf" naam="van" type="date" waarde={van} onWaarde={opnieuw(setVan)} />
        <TekstVeld
          label="Tot"
          naam="tot"
          type="date"
          waarde={tot}
          onWaarde={opnieuw(setTot)}
          fout={van && tot && tot <= van ? 'De einddatum moet na de begindatum liggen.' : undefined}
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
      {error && <Melding soort="fout">{leesFout(error, [])?.algemeen ?? 'De toegangslog kon niet worden gelezen.'}</Melding>}
      {data && (
        <>
          <Tabel
            bijschrift={`Regels${cursors.length > 1 ? ` (pagina ${cursors.length})` : ''}, nieuwste eerst`}
            koppen={['Nr', 'Tijd', 'Gebruiker', 'Rol', 'Actie', 'Code', 'Resultaat', 'Regel', 'Cliënten']}
          >
            {data.toegangslog.regels.map((r) => (
              <tr key={r.nr} className="utrecht-table__row">
                <td className="utrecht-table__cell">{r.nr}</td>
                <td className="utrecht-table__cell">{tijd(r.tijd)}</td>
                <td className="utrecht-table__cell">{r.gebruiker}</td>
                <td className="utrecht-table__cell">{r.rol}</td>
                <td className="utrecht-table__cell">{r.actie}</td>
                <td className="utrecht-table__cell">{r.gebeurteniscode}</td>
                <td className="utrecht-table__cell">{r.resultaat}</td>
                <td className="utrecht-table__cell">{r.regel}</td>
                <td className="utrecht-table__cell traject-ids">
                  {r.clients.length > 3 ? (
                    <details>
                      <summary>{r.clients.length} cliënten</summary>
                      <Clients ids={r.clients} kies={kiesClient} />
                    </details>
                  ) : (
                    <Clients ids={r.clients} kies={kiesClient} />
                  )}
                </td>
              </tr>
            ))}
          </Tabel>
          {data.toegangslog.regels.length === 0 && <Alinea>Geen regels met deze filters.</Alinea>}
          <div className="traject-knoppen">
            <Knop type="button" disabled={cursors.length === 1 || fetching} onClick={() => setCursors(cursors.slice(0, -1))}>
              Nieuwere regels
            </Knop>
            <Knop
              type="button"
              disabled={!data.toegangslog.volgende || fetching}
              onClick={() => data.toegangslog.volgende && setCursors([...cursors, data.toegangslog.volgende])}
            >
              Oudere regels
            </Knop>
          </div>
        </>
      )}
      <Signalen />
    </>
  );
}

/** Full client ids, each selectable as text and with a button to filter on it. */
function Clients({ ids, kies }: { ids: readonly string[]; kies: (id: string) => void }) {
  return (
    <ul className="traject-idlijst">
      {ids.map((c) => (
        <li key={c}>
          <code>{c}</code>{' '}
          <button type="button" className="traject-link-knop" onClick={() => kies(c)} aria-label={`Alleen cliënt ${c}`}>
            filter
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The chain's check and the export of a checkpoint. */
function Keten() {
  const [checkpoints, setCheckpoints] = useState('');
  const [volledig, setVolledig] = useState(false);
  const [{ data, error, fetching }, controleer] = useMutation(Controleren);
  const [{ data: cp, error: cpFout, fetching: cpBezig }, exporteer] = useMutation(Checkpoint);
  const fout = leesFout(error, ['checkpoints']);
  const c = data?.toegangslogControleren;
  const [ingestuurd, setIngestuurd] = useState<string[]>([]);
  // A long check goes on in the server: ask again for its outcome every second.
  useEffect(() => {
    if (!c || c.klaar || fetching) return;
    const t = window.setTimeout(() => void controleer({ volledig: false, checkpoints: ingestuurd }), 1000);
    return () => window.clearTimeout(t);
  }, [c, fetching, controleer, ingestuurd]);
  return (
    <section aria-labelledby="keten-kop" className="traject-blok">
      <Kop niveau={2} id="keten-kop">
        Keten van de log
      </Kop>
      <form
        className="traject-formulier"
        aria-labelledby="keten-kop"
        onSubmit={(e) => {
          e.preventDefault();
          const lijst = checkpoints
            .split('\n')
            .map((r) => r.trim())
            .filter(Boolean);
          setIngestuurd(lijst);
          void controleer({ volledig, checkpoints: lijst });
        }}
      >
        <TekstVeld
          label="Eerder geëxporteerde checkpoints (één per regel, optioneel)"
          naam="checkpoints"
          waarde={checkpoints}
          onWaarde={setCheckpoints}
          fout={fout?.velden.checkpoints}
          uitleg="Een checkpoint dat u buiten het systeem bewaarde, toont of de nieuwste regels later zijn weggehaald."
        />
        <VinkVeld label="Vanaf de eerste regel controleren (anders vanaf de vorige controle)" aan={volledig} onAan={setVolledig} />
        <div className="traject-knoppen">
          <Knop type="submit" disabled={fetching}>
            Keten controleren
          </Knop>
          <Knop type="button" disabled={cpBezig} onClick={() => void exporteer({})}>
            Checkpoint exporteren
          </Knop>
        </div>
      </form>
      {fout?.algemeen && <Melding soort="fout">{fout.algemeen}</Melding>}
      {c && !c.klaar && <Melding soort="info">Bezig met controleren: tot en met regel {c.tot}…</Melding>}
      {c?.klaar && c.intact && (
        <Melding soort="ok">
          De keten is intact tot en met regel {c.tot} ({c.nieuwGecontroleerd} nieuw gecontroleerd).
          {c.overzichtHersteld && ' Het overzicht per cliënt week af van de regels en is opnieuw opgebouwd.'}
        </Melding>
      )}
      {c && !c.intact && c.breuk && (
        <Melding soort="fout">
          De keten is gebroken bij regel {c.breuk.nr}
          {c.breuk.tijd ? ` (${tijd(c.breuk.tijd)})` : ''}: {c.breuk.reden}. Intact tot en met regel {c.tot}.
        </Melding>
      )}
      {cpFout && <Melding soort="fout">{leesFout(cpFout, [])?.algemeen}</Melding>}
      {cp?.toegangslogCheckpoint && (
        <Melding soort="ok">
          Bewaar dit checkpoint buiten het systeem: <code className="traject-ids">{cp.toegangslogCheckpoint}</code>
        </Melding>
      )}
    </section>
  );
}

/** Users whose access stands out over the last seven days. */
function Signalen() {
  const [{ data, error }] = useQuery({ query: SignalenQuery });
  return (
    <section aria-labelledby="signalen-kop" className="traject-blok">
      <Kop niveau={2} id="signalen-kop">
        Opvallende toegang (laatste 7 dagen)
      </Kop>
      {error && <Melding soort="fout">{leesFout(error, [])?.algemeen}</Melding>}
      {data && data.signalen.length === 0 && <Alinea>Geen opvallende toegang.</Alinea>}
      {data && data.signalen.length > 0 && (
        <Tabel
          bijschrift="Gebruikers met opvallende toegang"
          koppen={['Gebruiker', 'Rol', 'Cliënten', 'Buiten eigen caseload', 'Geweigerd', 'Quotum', 'Waarom']}
          numeriek={[2, 3, 4, 5]}
        >
          {data.signalen.map((s) => (
            <tr key={s.gebruiker + s.rol} className="utrecht-table__row">
              <td className="utrecht-table__cell">{s.gebruiker}</td>
              <td className="utrecht-table__cell">{s.rol}</td>
              <td className="utrecht-table__cell">{s.personen}</td>
              <td className="utrecht-table__cell">{s.buitenEigenCaseload}</td>
              <td className="utrecht-table__cell">{s.geweigerd}</td>
              <td className="utrecht-table__cell">{s.quotum}</td>
              <td className="utrecht-table__cell">{s.redenen.map((r) => REDENEN[r] ?? r).join(', ')}</td>
            </tr>
          ))}
        </Tabel>
      )}
    </section>
  );
}

function ClientWissen({ clientId }: { clientId: string }) {
  const [reden, setReden] = useState<WisReden>(WisReden.VerzoekClient);
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
      <KeuzeVeld label="Reden" naam="reden" waarde={reden} onWaarde={(v) => setReden(v as WisReden)} opties={KEUZELIJSTEN.WisReden} />
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

// Toegangslog (beheerder): the access log a page at a time, newest first (paged with the
// server's cursor), filtered by client, user, role, action, result and calendar days (both
// included); each entry in words, with the full user and client ids and a "filter op deze" that
// fills the filter; asked for again on demand and after an erasure. Also who accessed one
// client's file; signals of unusual access; the check of the log's chain and the export of a
// checkpoint; and the erasure of a client's personal data with confirmation.
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { leesFout } from '../fouten';
import { graphql } from '../gql';
import { WisReden, type Actie, type Resultaat } from '../gql/graphql';
import { ACTIE, KEUZELIJSTEN, RESULTAAT } from '../keuzelijsten';
import { ROL_OPTIES, codeTekst, periodeFilter, regelTekst, rolTekst, useUitgesteld } from '../toegangslogweergave';
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
  // A typed user id is asked for once typing pauses: every read of the log is itself logged.
  const gebruikerFilter = useUitgesteld(gebruiker.trim());
  const periode = periodeFilter(van, tot);
  const filter = {
    clientId,
    gebruiker: gebruikerFilter || null,
    rol: rol || null,
    actie: (actie || null) as Actie | null,
    resultaat: (resultaat || null) as Resultaat | null,
    van: periode.van,
    tot: periode.tot,
  };
  const voor = cursors[cursors.length - 1];
  const variabelen = { filter, voor, aantal: PAGINA };
  const [{ data, error, fetching, operation }, herlaad] = useQuery({
    query: LogQuery,
    variables: variabelen,
    // The log grows all the time: a page shown again is asked for again.
    requestPolicy: 'cache-and-network',
  });
  const [{ data: inzage }, herlaadInzage] = useQuery({ query: InzageQuery, variables: { clientId: clientId ?? '' }, pause: !clientId });
  const opnieuw = <T,>(zet: (v: T) => void) => (v: T) => {
    zet(v);
    setCursors([null]);
  };
  const kiesClient = (id: string) => {
    setClient(id);
    setCursors([null]);
  };
  const kiesGebruiker = (id: string) => {
    setGebruiker(id);
    setCursors([null]);
  };
  /** The newest entries again, fresh from the server. */
  const vernieuw = () => {
    if (cursors.length === 1) herlaad({ requestPolicy: 'network-only' });
    else setCursors([null]);
    if (clientId) herlaadInzage({ requestPolicy: 'network-only' });
  };
  // While another page or filter loads, the rows shown are of the one before: not shown as this one.
  const actueel = !fetching || JSON.stringify(operation?.variables) === JSON.stringify(variabelen);
  const regels = data?.toegangslog.regels ?? [];
  const pagina = cursors.length;
  const filterTekst = [
    gebruikerFilter && `van ${gebruikerFilter}`,
    clientId && `over cliënt ${clientId}`,
  ]
    .filter(Boolean)
    .join(' ');

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
        <TekstVeld
          label="Gebruiker"
          naam="gebruiker"
          waarde={gebruiker}
          onWaarde={opnieuw(setGebruiker)}
          uitleg="Het volledige gebruikers-id, zoals in de kolom Gebruiker; leeg: alle gebruikers."
        />
        <KeuzeVeld label="Rol" naam="rol" waarde={rol} onWaarde={opnieuw(setRol)} opties={ROL_OPTIES} leeg="Alle rollen" />
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
        <TekstVeld label="Tot en met" naam="tot" type="date" waarde={tot} onWaarde={opnieuw(setTot)} fout={periode.fout} />
      </form>
      <div className="traject-knoppen">
        <Knop type="button" onClick={() => !fetching && vernieuw()}>
          Vernieuwen
        </Knop>
      </div>
      {clientId && inzage && (
        <section aria-labelledby="inzage-kop" className="traject-blok">
          <Kop niveau={2} id="inzage-kop">
            Wie heeft dit dossier ingezien
          </Kop>
          <Tabel bijschrift="Inzage per gebruiker en rol" koppen={['Gebruiker', 'Rol', 'Gelukt', 'Geweigerd', 'Eerste', 'Laatste', 'Soorten']}>
            {inzage.inzageOverzicht.map((i) => (
              <tr key={i.gebruiker + i.rol} className="utrecht-table__row">
                <td className="utrecht-table__cell">{i.gebruiker}</td>
                <td className="utrecht-table__cell">{rolTekst(i.rol)}</td>
                <td className="utrecht-table__cell">{i.gelukt}</td>
                <td className="utrecht-table__cell">{i.geweigerd}</td>
                <td className="utrecht-table__cell">{tijd(i.eerste)}</td>
                <td className="utrecht-table__cell">{tijd(i.laatste)}</td>
                <td className="utrecht-table__cell">{i.codes.map(codeTekst).join(', ')}</td>
              </tr>
            ))}
          </Tabel>
          <ClientWissen clientId={clientId} naWissen={vernieuw} />
        </section>
      )}
      {error && <Melding soort="fout">{leesFout(error, [])?.algemeen ?? 'De toegangslog kon niet worden gelezen.'}</Melding>}
      {data && (
        <>
          {!actueel && (
            <Alinea>
              <span role="status">Regels laden…</span>
            </Alinea>
          )}
          {actueel && (
            <Tabel
              bijschrift={`Regels${filterTekst ? ` ${filterTekst}` : ''}, nieuwste eerst${pagina > 1 ? ` (pagina ${pagina})` : ''}`}
              koppen={['Nr', 'Tijd', 'Gebruiker', 'Rol', 'Actie', 'Wat', 'Resultaat', 'Regel', 'Cliënten']}
            >
              {regels.map((r) => (
                <tr key={r.nr} className="utrecht-table__row">
                  <td className="utrecht-table__cell">{r.nr}</td>
                  <td className="utrecht-table__cell">{tijd(r.tijd)}</td>
                  <td className="utrecht-table__cell">
                    <span className="traject-ids">{r.gebruiker}</span>
                    {r.gebruiker !== gebruikerFilter && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="traject-link-knop"
                          onClick={() => kiesGebruiker(r.gebruiker)}
                          aria-label={`filter op deze gebruiker: ${r.gebruiker}`}
                        >
                          filter op deze
                        </button>
                      </>
                    )}
                  </td>
                  <td className="utrecht-table__cell">{rolTekst(r.rol)}</td>
                  <td className="utrecht-table__cell">{ACTIE[r.actie]}</td>
                  <td className="utrecht-table__cell">{codeTekst(r.gebeurteniscode)}</td>
                  <td className="utrecht-table__cell">{RESULTAAT[r.resultaat]}</td>
                  <td className="utrecht-table__cell">{regelTekst(r.regel)}</td>
                  <td className="utrecht-table__cell traject-ids">
                    {r.clients.length > 3 ? (
                      <details>
                        <summary>{r.clients.length} cliënten</summary>
                        <Clients ids={r.clients} kies={kiesClient} gekozen={clientId} />
                      </details>
                    ) : (
                      <Clients ids={r.clients} kies={kiesClient} gekozen={clientId} />
                    )}
                  </td>
                </tr>
              ))}
            </Tabel>
          )}
          {actueel && regels.length === 0 && <Alinea>Geen regels met deze filters.</Alinea>}
          {actueel && regels.length > 0 && (
            <Alinea>
              Pagina {pagina}: regel {regels[0].nr} tot en met {regels[regels.length - 1].nr}
              {data.toegangslog.volgende ? '; er zijn oudere regels.' : '; er zijn geen oudere regels.'}
            </Alinea>
          )}
          <nav className="traject-knoppen" aria-label="Pagina's van de toegangslog">
            {/* Not disabled while a page loads, so the focus stays on the button pressed. */}
            <Knop type="button" disabled={pagina === 1} onClick={() => !fetching && setCursors([null])}>
              Nieuwste regels
            </Knop>
            <Knop type="button" disabled={pagina === 1} onClick={() => !fetching && setCursors(cursors.slice(0, -1))}>
              Nieuwere regels
            </Knop>
            <Knop
              type="button"
              disabled={!data.toegangslog.volgende}
              onClick={() => {
                const volgende = data.toegangslog.volgende;
                if (!fetching && volgende && !cursors.includes(volgende)) setCursors([...cursors, volgende]);
              }}
            >
              Oudere regels
            </Knop>
          </nav>
        </>
      )}
      <Signalen />
    </>
  );
}

/** Full client ids, each selectable as text and with a button to filter on it. */
function Clients({ ids, kies, gekozen }: { ids: readonly string[]; kies: (id: string) => void; gekozen: string | null }) {
  return (
    <ul className="traject-idlijst">
      {ids.map((c) => (
        <li key={c}>
          <code>{c}</code>
          {c !== gekozen && (
            <>
              {' '}
              <button type="button" className="traject-link-knop" onClick={() => kies(c)} aria-label={`filter op deze cliënt: ${c}`}>
                filter op deze
              </button>
            </>
          )}
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
              <td className="utrecht-table__cell">{rolTekst(s.rol)}</td>
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

function ClientWissen({ clientId, naWissen }: { clientId: string; naWissen: () => void }) {
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
        // The erasure is logged: the log (and who accessed the file) is asked for again after it.
        if (zeker)
          void wis({ clientId, reden }).then((uitkomst) => {
            if (uitkomst.data) naWissen();
          });
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
              ? 'Deze cliënt was al gewist'
              : 'Er waren geen persoonsgegevens'}
          ; {data.clientWissen.trajectenGemarkeerd} traject(en) gemarkeerd.
        </Melding>
      )}
    </form>
  );
}

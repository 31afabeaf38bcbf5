// Importeren (teamleider): bring an existing caseload in from a spreadsheet. The teamleider
// chooses the file, sees per row what would be recorded or why not (a proef: nothing written),
// and only then records it. The templates explain every column.
import { useState } from 'react';
import { bewaarBestand } from '../api';
import { importeer, samenvatting, verslagRegels, type ImportVerslag } from '../importeren';
import { useSessie } from '../sessie';
import { Alinea, Knop, Kop, Melding, Tabel, useTitel } from '../ui';

async function sjabloon(indeling: 'traject' | 'gebeurtenis') {
  const antwoord = await fetch(`/import/sjabloon?indeling=${indeling}`);
  if (!antwoord.ok) throw new Error(`sjabloon ophalen mislukt (${antwoord.status})`);
  bewaarBestand(await antwoord.blob(), `traject-import-per-${indeling}.xlsx`);
}

export function Importeren() {
  const { token } = useSessie();
  const [bestand, setBestand] = useState<File | null>(null);
  const [verslag, setVerslag] = useState<ImportVerslag | null>(null);
  const [bezig, setBezig] = useState(false);
  const [fout, setFout] = useState<string | undefined>();
  useTitel('Importeren');

  async function stuur(proef: boolean) {
    if (!bestand) return;
    setBezig(true);
    setFout(undefined);
    try {
      setVerslag(await importeer(token, bestand, proef));
    } catch (e) {
      setVerslag(null);
      setFout((e as Error).message);
    } finally {
      setBezig(false);
    }
  }

  const regels = verslag ? verslagRegels(verslag) : [];
  const teSchrijven = verslag?.proef ? verslag.tellingen.vastgelegd + verslag.tellingen.aangevuld : 0;
  return (
    <>
      <Kop niveau={1}>Importeren</Kop>
      <Alinea>
        Breng trajecten uit een spreadsheet (XLSX of CSV) in: één rij per traject, of één rij per gebeurtenis. Elke rij
        wordt gecontroleerd zoals bij invoer door een coach; een traject wordt helemaal of niet vastgelegd. Eerst ziet u
        per rij wat er zou gebeuren; er wordt pas iets vastgelegd als u dat bevestigt. Dezelfde rijen nog eens importeren
        verandert niets. Persoonsgegevens gaan naar de kluis.
      </Alinea>
      <p className="utrecht-paragraph">
        <Knop onClick={() => sjabloon('traject').catch((e: Error) => setFout(e.message))}>Sjabloon: rij per traject</Knop>{' '}
        <Knop onClick={() => sjabloon('gebeurtenis').catch((e: Error) => setFout(e.message))}>
          Sjabloon: rij per gebeurtenis
        </Knop>
      </p>
      <form
        className="traject-blok"
        aria-label="Bestand importeren"
        onSubmit={(e) => {
          e.preventDefault();
          void stuur(true);
        }}
      >
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="importbestand">
            Bestand (XLSX of CSV)
          </label>
          <input
            id="importbestand"
            className="utrecht-textbox"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setBestand(e.target.files?.[0] ?? null);
              setVerslag(null);
              setFout(undefined);
            }}
          />
        </div>
        <Knop type="submit" soort="primair" disabled={!bestand || bezig}>
          Controleren (proef)
        </Knop>
      </form>
      {bezig && <Melding soort="info">Bezig met het bestand…</Melding>}
      {fout && <Melding soort="fout">{fout}</Melding>}
      {verslag && (
        <section aria-labelledby="verslag-kop" className="traject-blok">
          <Kop niveau={2} id="verslag-kop">
            {verslag.proef ? 'Proef: er is nog niets vastgelegd' : 'Geïmporteerd'}
          </Kop>
          <Alinea>
            {verslag.vorm}; {verslag.indeling === 'traject' ? 'één rij per traject' : 'één rij per gebeurtenis'};{' '}
            {verslag.rijen} rijen.
          </Alinea>
          <Melding soort={verslag.tellingen.geweigerd > 0 || verslag.afgebroken ? 'waarschuwing' : 'ok'}>
            {samenvatting(verslag)}
          </Melding>
          {verslag.onbekendeKolommen.length > 0 && (
            <Melding soort="waarschuwing">Niet gebruikt (onbekende kolommen): {verslag.onbekendeKolommen.join(', ')}</Melding>
          )}
          {verslag.afgebroken && (
            <Melding soort="fout">
              Afgebroken bij {verslag.afgebroken}. De trajecten erna zijn niet ingelezen; opnieuw importeren gaat verder.
            </Melding>
          )}
          <Tabel bijschrift="Per rij" koppen={['Rij', 'Uitkomst', 'Waar', 'Toelichting']} numeriek={[0]}>
            {regels.map((r, i) => (
              <tr key={`${r.rij}-${i}`} className="utrecht-table__row">
                <td className="utrecht-table__cell utrecht-table__cell--numeric-data">{r.rij}</td>
                <td className="utrecht-table__cell">{r.wat}</td>
                <td className="utrecht-table__cell">{r.waar}</td>
                <td className="utrecht-table__cell">{r.waarom}</td>
              </tr>
            ))}
          </Tabel>
          {verslag.proef && teSchrijven > 0 && (
            <p className="utrecht-paragraph">
              <Knop soort="primair" disabled={bezig} onClick={() => void stuur(false)}>
                {teSchrijven === 1 ? '1 traject vastleggen' : `${teSchrijven} trajecten vastleggen`}
              </Knop>
            </p>
          )}
        </section>
      )}
    </>
  );
}

// The export of a caseload as the screen shows it (the same columns, every page of the current
// filters): CSV for Dutch Excel (`;` between fields, decimal commas, dates as 7-3-2025, a UTF-8
// byte order mark so that "Cliënt" reads right) and XLSX (write-excel-file, real dates and
// numbers).
import writeXlsxFile from 'write-excel-file/browser';
import type { Client } from 'urql';
import { graphql } from './gql';
import type { CaseloadExportQuery, CaseloadExportQueryVariables } from './gql/graphql';
import { FASE, METHODE } from './keuzelijsten';
import { coachTekst, type Ik } from './sessie';

export const CaseloadExport = graphql(`
  query CaseloadExport(
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
      }
    }
  }
`);

export type ExportItem = CaseloadExportQuery['caseload']['items'][number];
type Waarde = string | number | Date | null;

/** A date of the schema (`2025-03-07`) as a Date at midnight UTC (how a spreadsheet keeps a day). */
function dag(datum: string | null | undefined): Date | null {
  return datum ? new Date(`${datum}T00:00:00Z`) : null;
}

/** The columns of the screen, in its order: with the coach when the organisation's caseload is shown. */
export function exportKoppen(organisatie: boolean): string[] {
  return [
    'Cliënt',
    ...(organisatie ? ['Coach'] : []),
    'Fase',
    'Methode',
    'Aanmelding',
    'Laatste gebeurtenis',
    'Dagen werk',
    'Duurzaam',
    'Aandacht',
  ];
}

/** The rows of the export: the values as the screen shows them, dates and numbers as such. */
export function exportRijen(
  items: readonly ExportItem[],
  organisatie: boolean,
  ik: Pick<Ik, 'id' | 'naam'>,
  aandachtTekst: (a: ExportItem['aandacht'][number]) => string,
): Waarde[][] {
  return items.map((t) => [
    t.naam ?? `Cliënt ${t.clientId.slice(0, 8)}`,
    ...(organisatie ? [coachTekst(t.coach, ik)] : []),
    FASE[t.fase],
    METHODE[t.methode],
    dag(t.aanmelding),
    dag(t.laatsteGebeurtenis),
    t.dagenWerk,
    dag(t.duurzaamBereiktOp),
    t.aandacht.map(aandachtTekst).join('; ') || null,
  ]);
}

/** One CSV field for Dutch Excel: decimal commas, dates as 7-3-2025, quoted where needed, no formulas. */
export function csvVeld(waarde: Waarde): string {
  if (waarde === null) return '';
  if (typeof waarde === 'number') return waarde.toLocaleString('nl-NL', { useGrouping: false, maximumFractionDigits: 10 });
  if (waarde instanceof Date) return `${waarde.getUTCDate()}-${waarde.getUTCMonth() + 1}-${waarde.getUTCFullYear()}`;
  // A text that a spreadsheet would take for a formula is kept as text (CSV injection).
  const tekst = /^[=+\-@\t\r]/.test(waarde) ? `'${waarde}` : waarde;
  return /[;"\r\n]|^\s|\s$/.test(tekst) ? `"${tekst.replace(/"/g, '""')}"` : tekst;
}

/** The CSV file: a UTF-8 byte order mark, `;` between fields, CRLF between lines. */
export function naarCsv(koppen: readonly string[], rijen: readonly Waarde[][]): string {
  return '\uFEFF' + [koppen, ...rijen].map((rij) => rij.map(csvVeld).join(';')).join('\r\n') + '\r\n';
}

/** The XLSX file: a header row in bold, dates as dates (d-m-jjjj), numbers as numbers. */
export async function naarXlsx(koppen: readonly string[], rijen: readonly Waarde[][]): Promise<Blob> {
  const data = [
    koppen.map((k) => ({ value: k, fontWeight: 'bold' as const })),
    ...rijen.map((rij) =>
      rij.map((w) =>
        w === null
          ? null
          : w instanceof Date
            ? { value: w, type: Date, format: 'd-m-yyyy' }
            : typeof w === 'number'
              ? { value: w, type: Number }
              : { value: w, type: String },
      ),
    ),
  ];
  return writeXlsxFile(data, { sheet: 'Caseload', stickyRowsCount: 1 }).toBlob();
}

/** Every trajectory of the caseload with these filters, page after page. */
export async function haalAlles(
  client: Client,
  variabelen: Omit<CaseloadExportQueryVariables, 'na'>,
): Promise<ExportItem[]> {
  const alles: ExportItem[] = [];
  let na: string | null = null;
  for (let pagina = 0; pagina < 400; pagina++) {
    const { data, error } = await client
      .query(CaseloadExport, { ...variabelen, na }, { requestPolicy: 'network-only' })
      .toPromise();
    if (error) throw error;
    if (!data) break;
    alles.push(...data.caseload.items);
    na = data.caseload.volgende ?? null;
    if (!na) break;
  }
  return alles;
}

// The caseload export: CSV as Dutch Excel reads it, XLSX with real dates and numbers, both in
// the screen's columns.
import { describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { csvVeld, exportKoppen, exportRijen, naarCsv, naarXlsx, type ExportItem } from '../src/export';
import { Fase, Methode } from '../src/gql/graphql';

const ik = { id: 'org-am13-1-coach-1', naam: 'Demo coach' };
const items = [
  {
    trajectId: 't-1',
    clientId: '0c1d2e3f-aaaa-bbbb-cccc-000000000001',
    naam: 'Zoë "Zus" de Vries',
    coach: 'org-am13-1-coach-1',
    methode: Methode.Ips,
    fase: Fase.Geplaatst,
    aanmelding: '2025-03-07',
    laatsteGebeurtenis: '2025-11-20',
    dagenWerk: 42,
    duurzaamBereiktOp: null,
    aandacht: [{ soort: 'PLAATSING_NOG_NIET_DUURZAAM', dagen: null, sinds: '2025-10-09' }],
  },
  {
    trajectId: 't-2',
    clientId: '9f8e7d6c-aaaa-bbbb-cccc-000000000002',
    naam: null,
    coach: 'org-am13-1-coach-2',
    methode: Methode.WerkAlsBesteZorg,
    fase: Fase.Zoekend,
    aanmelding: '2024-12-31',
    laatsteGebeurtenis: null,
    dagenWerk: 0,
    duurzaamBereiktOp: null,
    aandacht: [],
  },
] as unknown as ExportItem[];
const aandacht = (a: { soort: string }) => (a.soort === 'PLAATSING_NOG_NIET_DUURZAAM' ? 'Nog niet duurzaam' : a.soort);

describe('the caseload export', () => {
  it('has the columns of the screen, the coach only for the organisation', () => {
    expect(exportKoppen(false)).toEqual(['Cliënt', 'Fase', 'Methode', 'Aanmelding', 'Laatste gebeurtenis', 'Dagen werk', 'Duurzaam', 'Aandacht']);
    expect(exportKoppen(true)[1]).toBe('Coach');
    const rijen = exportRijen(items, true, ik, aandacht);
    expect(rijen[0].slice(0, 4)).toEqual(['Zoë "Zus" de Vries', 'Demo coach (u zelf)', 'Geplaatst', 'IPS']);
    expect(rijen[1][0]).toBe('Cliënt 9f8e7d6c');
    expect(rijen[1][1]).toBe('org-am13-1-coach-2');
  });

  it('writes CSV for Dutch Excel: BOM, semicolons, decimal commas, d-m-jjjj dates, quotes where needed', () => {
    const csv = naarCsv(exportKoppen(false), exportRijen(items, false, ik, aandacht));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const regels = csv.slice(1).split('\r\n');
    expect(regels[0]).toBe('Cliënt;Fase;Methode;Aanmelding;Laatste gebeurtenis;Dagen werk;Duurzaam;Aandacht');
    expect(regels[1]).toBe('"Zoë ""Zus"" de Vries";Geplaatst;IPS;7-3-2025;20-11-2025;42;;Nog niet duurzaam');
    expect(regels[2]).toBe('Cliënt 9f8e7d6c;Zoekend;Werk als beste zorg;31-12-2024;;0;;');
    expect(regels[3]).toBe('');
    expect(csvVeld(7.5)).toBe('7,5');
    expect(csvVeld(1234.25)).toBe('1234,25');
    expect(csvVeld('a;b')).toBe('"a;b"');
    expect(csvVeld('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvVeld(-3)).toBe('-3');
  });

  it('writes XLSX with the header, real numbers and dates', async () => {
    const blob = await naarXlsx(exportKoppen(false), exportRijen(items, false, ik, aandacht));
    const buffer = await new Promise<ArrayBuffer>((klaar) => {
      const lezer = new FileReader();
      lezer.onload = () => klaar(lezer.result as ArrayBuffer);
      lezer.readAsArrayBuffer(blob);
    });
    const bestanden = unzipSync(new Uint8Array(buffer));
    const blad = strFromU8(bestanden['xl/worksheets/sheet1.xml']);
    const teksten = strFromU8(bestanden['xl/sharedStrings.xml'] ?? new Uint8Array());
    const alles = blad + teksten;
    expect(alles).toContain('Cliënt');
    expect(alles).toContain('Zoë "Zus" de Vries');
    expect(blad).toMatch(/<v>42<\/v>/);
    // 7 March 2025 as an Excel serial day.
    expect(blad).toMatch(/<v>45723<\/v>/);
  });
});

// The coach exports their own caseload from the caseload screen: CSV for Dutch Excel and XLSX,
// in the screen's columns.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { dag } from './api-hulp';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

async function exporteer(page: Page, knop: string) {
  const wacht = page.waitForEvent('download', { timeout: 20_000 });
  await page.getByRole('button', { name: knop }).click();
  const bestand = await wacht.catch(async (e) => {
    throw new Error(`${e}\n${await page.locator('#inhoud').innerText()}`);
  });
  return { naam: bestand.suggestedFilename(), inhoud: readFileSync((await bestand.path())!) };
}

test('de coach exporteert de eigen caseload als CSV en als Excel', async ({ page }) => {
  const naam = uniekeNaam('Kees');
  await inloggen(page, 'coach');
  await nieuweAanmelding(page, naam);
  await legVast(page, 'Intake afgerond');
  await page.getByRole('link', { name: 'Mijn caseload' }).click();
  const tabel = page.getByRole('table', { name: 'Trajecten in mijn caseload' });
  await expect(tabel.getByRole('row').nth(1)).toBeVisible();
  const koppen = await tabel.getByRole('columnheader').allInnerTexts();
  const totaal = Number((await page.getByText(/^(1 traject|\d+ trajecten)$/).innerText()).split(' ')[0]);

  const csv = await exporteer(page, 'Exporteren als CSV');
  expect(csv.naam).toMatch(/^mijn-caseload-\d{4}-\d{2}-\d{2}\.csv$/);
  // A UTF-8 byte order mark, then `;`-separated lines.
  expect([...csv.inhoud.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const regels = csv.inhoud.toString('utf8').slice(1).trimEnd().split('\r\n');
  expect(regels[0].split(';')).toEqual(koppen.map((k) => k.trim()));
  // Every page of the caseload, not only the one on screen.
  expect(regels.length - 1).toBe(totaal);
  const rij = regels.find((r) => r.startsWith(`${naam};`));
  expect(rij).toBeDefined();
  // Today in the browser's zone (Amsterdam), not the test runner's: they differ around midnight.
  const [jaar, maand, dagVanMaand] = dag().split('-').map(Number);
  expect(rij!.split(';')).toEqual([naam, 'Zoekend', 'IPS', `${dagVanMaand}-${maand}-${jaar}`, expect.any(String), '0', '', expect.any(String)]);

  const xlsx = await exporteer(page, 'Exporteren als Excel');
  expect(xlsx.naam).toMatch(/^mijn-caseload-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bestanden = unzipSync(new Uint8Array(xlsx.inhoud));
  const teksten = strFromU8(bestanden['xl/sharedStrings.xml']);
  for (const kop of koppen) expect(teksten).toContain(kop.trim());
  expect(teksten).toContain(naam);
  const blad = strFromU8(bestanden['xl/worksheets/sheet1.xml']);
  expect(blad.match(/<row /g)).toHaveLength(totaal + 1);
});

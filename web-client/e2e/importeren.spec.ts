// The teamleider brings a caseload in from a spreadsheet: a proef shows per row what would be
// recorded and why a row is refused, writes nothing; confirming records the trajectories, which
// the caseload then shows; the same file again changes nothing.
import { expect, test } from '@playwright/test';
import { gebruiker } from './api-hulp';
import { geenToegankelijkheidsfouten, inloggen, uniekeNaam } from './hulp';

test('de teamleider importeert een caseload: eerst een proef, dan vastleggen, dan nog eens', async ({ page, request }) => {
  const coach = await gebruiker(request, 'coach');
  const naam = uniekeNaam('Iris');
  const nummer = `e2e-${Date.now().toString(36)}`;
  // Windows-1252 as Dutch Excel saves a CSV: "Müller" with ü as one byte.
  const tekst =
    'Clientnummer;Aanmelddatum;Methode;Verwijzer;Financier;Intakedatum;Coach;Uitkering;GGZ-behandeling;Naam;Geboortedatum\r\n' +
    `${nummer};05-01-2026;IPS;GGZ;Gemeente;12-01-2026;${coach};WIA;ja;${naam};01-02-1985\r\n` +
    `${nummer}-b;31-02-2026;IPS;GGZ;Gemeente;;;;;;\r\n` +
    `${nummer}-c;06-01-2026;IPS;GGZ;Gemeente;07-01-2026;niet-in-team;WW;nee;Bakkerij M\u00fcller;01-02-1985\r\n`;
  const bytes = Buffer.from(tekst, 'latin1');

  await inloggen(page, 'teamleider');
  await page.getByRole('link', { name: 'Importeren' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importeren' })).toBeVisible();
  await page.getByLabel('Bestand (XLSX of CSV)').setInputFiles({ name: 'caseload.csv', mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: 'Controleren (proef)' }).click();

  await expect(page.getByRole('heading', { name: 'Proef: er is nog niets vastgelegd' })).toBeVisible();
  const tabel = page.getByRole('table', { name: 'Per rij' });
  await expect(tabel.getByRole('row').filter({ hasText: /^2/ })).toContainText('wordt vastgelegd');
  await expect(tabel.getByRole('row').filter({ hasText: /^3/ })).toContainText('kolom Aanmelddatum');
  await expect(tabel.getByRole('row').filter({ hasText: /^4/ })).toContainText('kolom coach');
  await expect(page.getByText('1 trajecten worden vastgelegd (2 gebeurtenissen), 0 aangevuld, 0 ongewijzigd, 2 geweigerd.')).toBeVisible();
  // The report repeats no cell of the file.
  await expect(page.getByText(naam)).toHaveCount(0);
  await geenToegankelijkheidsfouten(page);

  // Nothing written yet: the organisation's caseload does not know the name.
  await page.getByRole('link', { name: 'Mijn caseload' }).click();
  await page.getByLabel('Zoek op naam').fill(naam);
  await expect(page.getByText('0 trajecten')).toBeVisible();

  await page.getByRole('link', { name: 'Importeren' }).click();
  await page.getByLabel('Bestand (XLSX of CSV)').setInputFiles({ name: 'caseload.csv', mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: 'Controleren (proef)' }).click();
  await page.getByRole('button', { name: '1 traject vastleggen' }).click();
  await expect(page.getByRole('heading', { name: 'Geïmporteerd' })).toBeVisible();
  await expect(page.getByText('1 trajecten vastgelegd (2 gebeurtenissen)', { exact: false })).toBeVisible();

  await page.getByRole('link', { name: 'Mijn caseload' }).click();
  await page.getByLabel('Zoek op naam').fill(naam);
  const rij = page.getByRole('row').filter({ hasText: naam });
  await expect(rij).toContainText(coach);

  // The same file again: nothing changes.
  await page.getByRole('link', { name: 'Importeren' }).click();
  await page.getByLabel('Bestand (XLSX of CSV)').setInputFiles({ name: 'caseload.csv', mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: 'Controleren (proef)' }).click();
  await expect(page.getByText('0 trajecten worden vastgelegd (0 gebeurtenissen), 0 aangevuld, 1 ongewijzigd, 2 geweigerd.')).toBeVisible();
  await expect(page.getByRole('button', { name: /vastleggen/ })).toHaveCount(0);
});

test('een coach ziet Importeren niet en de server weigert het', async ({ page, request }) => {
  await inloggen(page, 'coach');
  await expect(page.getByRole('link', { name: 'Importeren' })).toHaveCount(0);
  const demo = (await (await request.get('/auth/demo')).json()) as { rol: string; token: string }[];
  const coach = demo.find((d) => d.rol === 'coach')!.token;
  const antwoord = await request.post('/import?proef=ja', {
    headers: { authorization: `Bearer ${coach}` },
    data: Buffer.from('clientnummer;aanmelddatum\r\n1;01-01-2026\r\n'),
  });
  expect(antwoord.status()).toBe(403);
});

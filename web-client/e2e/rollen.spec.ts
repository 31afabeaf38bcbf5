// A regio user sees figures and nothing about persons; the screens follow the role.
import { expect, test } from '@playwright/test';
import { inloggen } from './hulp';

test('een regiogebruiker ziet alleen cijfers', async ({ page }) => {
  const personen: string[] = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('/graphql') && r.request().method() === 'POST') {
      const tekst = await r.text();
      if (/"(clientId|trajectId|geboortedatum|bsn|telefoon|email)"/.test(tekst)) personen.push(tekst.slice(0, 200));
    }
  });
  await inloggen(page, 'regio');
  await expect(page.getByRole('heading', { level: 1, name: /Cijfers/ })).toBeVisible();
  const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
  await expect(menu.getByRole('link')).toHaveText(['Cijfers', 'Kwaliteitsrapport', 'Businesscase']);

  const tabel = page.getByRole('table').first();
  await expect(tabel).toBeVisible();
  await expect(page.getByText(/Voortgang naar het jaardoel|jaardoel/i).first()).toBeVisible();

  for (const pad of ['/caseload', '/nieuw', '/team', '/toegangslog']) {
    await page.goto(pad);
    await expect(page.getByRole('heading', { level: 1, name: 'Geen toegang' })).toBeVisible();
  }
  expect(personen).toEqual([]);
});

test('verborgen cellen zeggen alleen dat ze verborgen zijn, nooit nul en nooit waarom', async ({ page }) => {
  await inloggen(page, 'regio');
  const verborgen = page.locator('.traject-verborgen-waarde');
  await expect(verborgen.first()).toBeVisible();
  for (const cel of await verborgen.all()) await expect(cel).toHaveText(/^verborgen$/);
});

// The beheerder pages through the access log past its first 100 entries, filters it by user (from
// a row and by typing) and by calendar days, and asks for it again; every entry is in words.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { gebruiker, leesTrajecten } from './api-hulp';
import { geenCodesOpHetScherm, inloggen } from './hulp';


const nummers = async (tabel: Locator) =>
  (await tabel.locator('tbody tr').evaluateAll((rijen) => rijen.map((r) => Number(r.querySelector('td')?.textContent))));

/** The Gebruiker column's user ids. */
const gebruikers = async (tabel: Locator) =>
  tabel.locator('tbody tr').evaluateAll((rijen) => rijen.map((r) => r.querySelectorAll('td')[2].querySelector('.traject-ids')?.textContent));

async function vandaag(page: Page) {
  return page.evaluate(() => new Date().toLocaleDateString('sv-SE'));
}

test('de beheerder bladert voorbij de eerste 100 regels en filtert op gebruiker en periode', async ({ page, request }) => {
  await leesTrajecten(request, 110);
  const COACH = await gebruiker(request, 'coach');
  await inloggen(page, 'beheerder');
  await expect(page.getByRole('heading', { level: 1, name: 'Toegangslog' })).toBeVisible();

  // Page 1: the newest 100.
  const tabel = page.getByRole('table', { name: /^Regels/ });
  await expect(tabel).toHaveAccessibleName('Regels, nieuwste eerst');
  await expect(tabel.locator('tbody tr')).toHaveCount(100);
  await expect(page.getByText(/^Pagina 1: regel \d+ tot en met \d+; er zijn oudere regels\.$/)).toBeVisible();
  const eerste = await nummers(tabel);
  // In words: the coach's reads of a trajectory.
  const rij = tabel.locator('tbody tr').filter({ hasText: COACH }).first();
  await expect(rij).toContainText('Traject bekeken');
  await expect(rij).toContainText('Lezen (R)');
  await expect(rij).toContainText('Gelukt');
  await expect(rij).toContainText('Coach van de cliënt');
  await geenCodesOpHetScherm(page, ['GELUKT', 'traject.lezen', 'coach-eigen-client']);

  // Page 2: the next, older entries.
  await page.getByRole('button', { name: 'Oudere regels' }).click();
  await expect(tabel).toHaveAccessibleName('Regels, nieuwste eerst (pagina 2)');
  await expect(page.getByText(/^Pagina 2: regel/)).toBeVisible();
  const tweede = await nummers(tabel);
  expect(tweede.length).toBeGreaterThan(0);
  expect(Math.max(...tweede)).toBeLessThan(Math.min(...eerste));
  await page.getByRole('button', { name: 'Nieuwere regels' }).click();
  await expect(tabel).toHaveAccessibleName('Regels, nieuwste eerst');
  await expect.poll(() => nummers(tabel).then((n) => n[0])).toBeGreaterThanOrEqual(eerste[0]);

  // Filter on the coach from a row: every entry is theirs.
  await tabel.getByRole('button', { name: `filter op deze gebruiker: ${COACH}` }).first().click();
  await expect(page.getByLabel('Gebruiker', { exact: true })).toHaveValue(COACH);
  await expect(tabel).toHaveAccessibleName(`Regels van ${COACH}, nieuwste eerst`);
  await expect.poll(() => gebruikers(tabel).then((g) => [...new Set(g)])).toEqual([COACH]);
  // 110 reads of the coach: more than a page of them.
  await expect(page.getByRole('button', { name: 'Oudere regels' })).toBeEnabled();

  // Typed: the beheerder's own reads of the log.
  await page.getByLabel('Gebruiker', { exact: true }).fill('beheerder');
  await expect(tabel).toHaveAccessibleName('Regels van beheerder, nieuwste eerst');
  await expect.poll(() => gebruikers(tabel).then((g) => [...new Set(g)])).toEqual(['beheerder']);
  await expect(tabel.locator('tbody tr').first()).toContainText('Toegangslog bekeken');

  // By calendar days, the last one included: today has entries, from tomorrow on none.
  await page.getByLabel('Gebruiker', { exact: true }).fill(COACH);
  const dag = await vandaag(page);
  await page.getByLabel('Vanaf', { exact: true }).fill(dag);
  await page.getByLabel('Tot en met', { exact: true }).fill(dag);
  await expect.poll(() => gebruikers(tabel).then((g) => [...new Set(g)])).toEqual([COACH]);
  await expect(tabel.locator('tbody tr')).toHaveCount(100);
  const morgen = await page.evaluate(() => new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE'));
  await page.getByLabel('Tot en met', { exact: true }).fill('');
  await page.getByLabel('Vanaf', { exact: true }).fill(morgen);
  await expect(page.getByText('Geen regels met deze filters.')).toBeVisible();
  await page.getByLabel('Vanaf', { exact: true }).fill('');

  // Asked for again on demand: a new read of the coach is on top.
  await expect(tabel.locator('tbody tr')).toHaveCount(100);
  const boven = (await nummers(tabel))[0];
  await leesTrajecten(request, 1);
  await page.getByRole('button', { name: 'Vernieuwen' }).click();
  await expect.poll(() => nummers(tabel).then((n) => n[0])).toBeGreaterThan(boven);
});

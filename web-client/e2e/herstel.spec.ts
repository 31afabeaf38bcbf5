// The server away and back: the screen says so in plain Dutch (never the browser's or urql's
// English), offers to try again, and loads by itself once the server answers again.
import { expect, test, type Page } from '@playwright/test';
import { inloggen } from './hulp';

async function serverWeg(page: Page) {
  await page.route('**/graphql', (route) => route.abort('connectionrefused'));
  await page.route('**/ready', (route) => route.abort('connectionrefused'));
}

async function serverTerug(page: Page) {
  await page.unroute('**/graphql');
  await page.unroute('**/ready');
}

test('de caseload laadt vanzelf opnieuw als de server terug is', async ({ page }) => {
  await inloggen(page, 'coach', '/caseload');
  await expect(page.getByRole('table', { name: 'Trajecten in mijn caseload' })).toBeVisible();

  await serverWeg(page);
  // New filters: a query the cache cannot answer.
  await page.getByLabel('Methode').selectOption({ label: 'Jobcoaching' });
  const melding = page.getByRole('alert').filter({ hasText: 'De caseload kon niet worden geladen.' });
  await expect(melding).toContainText('De server is even niet bereikbaar');
  await expect(melding.getByRole('button', { name: 'Opnieuw proberen' })).toBeVisible();
  const tekst = await page.locator('body').innerText();
  expect(tekst).not.toMatch(/\[Network\]|Failed to fetch|fetch|network/i);

  // Still away: trying again by hand keeps saying so.
  await melding.getByRole('button', { name: 'Opnieuw proberen' }).click();
  await expect(melding).toBeVisible();

  await serverTerug(page);
  await expect(melding).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText(/^(1 traject|\d+ trajecten)$/)).toBeVisible();
});

test('een traject laadt na "Opnieuw proberen" als de server weer antwoordt', async ({ page }) => {
  await inloggen(page, 'coach', '/caseload');
  const link = page.getByRole('table', { name: 'Trajecten in mijn caseload' }).getByRole('link').first();
  await expect(link).toBeVisible();
  await serverWeg(page);
  await link.click();
  const melding = page.getByRole('alert').filter({ hasText: 'Het traject kon niet worden geladen.' });
  await expect(melding).toContainText('De server is even niet bereikbaar');
  await page.unroute('**/graphql');
  // /ready still refused: only the button brings it back.
  await melding.getByRole('button', { name: 'Opnieuw proberen' }).click();
  await expect(page.getByTestId('fase')).toBeVisible();
  await page.unroute('**/ready');
});

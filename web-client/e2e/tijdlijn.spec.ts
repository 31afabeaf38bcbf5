// The trajectory page: the timeline in the order of the days things happened (the recording
// time as the date's tooltip), the status on an earlier day, and a print view.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, uniekeNaam } from './hulp';

/** The day `dagen` days before today, as `2026-03-07`. */
function dagenGeleden(dagen: number): string {
  const d = new Date();
  d.setDate(d.getDate() - dagen);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('tijdlijn op datum, status op een eerdere dag, en afdrukken', async ({ page }) => {
  const naam = uniekeNaam('Vera');
  await inloggen(page, 'coach', '/nieuw');
  await page.getByLabel('Naam', { exact: true }).fill(naam);
  await page.getByLabel('Geboortedatum').fill('1985-06-01');
  await page.getByLabel('Datum van aanmelding').fill(dagenGeleden(40));
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByTestId('fase')).toHaveText('Aangemeld');
  await legVast(page, 'Intake afgerond', { 'Datum van de intake': dagenGeleden(20) });
  // Recorded later, but happened earlier: the timeline puts it first.
  await legVast(page, 'Werkgeverscontact', { Datum: dagenGeleden(5), Werkgever: 'Later Gebeurd BV' });
  await legVast(page, 'Werkgeverscontact', { Datum: dagenGeleden(10), Werkgever: 'Eerder Gebeurd BV' });

  const tijdlijn = page.getByRole('table', { name: /Alle gebeurtenissen/ });
  const rijen = tijdlijn.getByRole('row');
  await expect(rijen).toHaveCount(1 + 4);
  await expect(rijen.nth(1)).toContainText('Aangemeld');
  await expect(rijen.nth(2)).toContainText('Intake afgerond');
  await expect(rijen.nth(3)).toContainText('Eerder Gebeurd BV');
  await expect(rijen.nth(4)).toContainText('Later Gebeurd BV');
  await expect(rijen.nth(3).getByRole('cell').first()).toHaveAttribute('title', /^Vastgelegd op \d+ \w+ \d{4} om \d\d:\d\d$/);

  // The status on a day before the intake: still Aangemeld, and nothing to record.
  await page.getByLabel('Status op datum').fill(dagenGeleden(30));
  await expect(page.getByTestId('fase')).toHaveText('Aangemeld');
  await expect(page).toHaveURL(new RegExp(`peildatum=${dagenGeleden(30)}`));
  await expect(page.getByRole('heading', { name: 'Vastleggen' })).toHaveCount(0);
  await expect(page.getByText(/U ziet de status op/)).toBeVisible();
  await page.getByRole('button', { name: 'Terug naar vandaag' }).click();
  await expect(page.getByTestId('fase')).toHaveText('Zoekend');
  await expect(page.getByRole('heading', { name: 'Vastleggen' })).toBeVisible();

  // The print view: the trajectory without menu, forms or buttons; the recording times printed.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Vastleggen' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Afdrukken' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: naam })).toBeVisible();
  await expect(tijdlijn).toBeVisible();
  await expect(rijen.nth(3).getByText(/vastgelegd op/)).toBeVisible();
  await expect(page.getByText(/^Afgedrukt op /)).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(rijen.nth(3).getByText(/vastgelegd op/)).not.toBeInViewport();
});

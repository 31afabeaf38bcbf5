// With the keyboard alone: recording an event, the focus lands where the user needs it (the
// first field in error after a refusal, the confirmation after recording, the h1 after a
// navigation), and every screen names itself in the document's title.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('een gebeurtenis vastleggen met alleen het toetsenbord: de focus landt goed', async ({ page }) => {
  const naam = uniekeNaam('Sem');
  await inloggen(page, 'coach');
  await expect(page).toHaveTitle('Vandaag – traject');
  await nieuweAanmelding(page, naam);
  await expect(page).toHaveTitle(`Traject ${naam} – traject`);
  // The page was reached through a form that leads on: the focus is on its h1.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await legVast(page, 'Intake afgerond');

  const keuze = page.getByRole('combobox', { name: 'Wat is er gebeurd?' });
  await keuze.focus();
  await page.keyboard.press('ArrowDown');
  const formulier = page.getByRole('form', { name: 'Werkgeverscontact' });
  await expect(formulier).toBeVisible();
  const vastleggen = formulier.getByRole('button', { name: 'Vastleggen' });
  for (let i = 0; i < 10 && !(await vastleggen.evaluate((e) => e === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(vastleggen).toBeFocused();
  await page.keyboard.press('Enter');
  // Refused before sending: the focus is on the first field in error.
  const werkgever = formulier.getByLabel('Werkgever');
  await expect(werkgever).toBeFocused();
  await expect(werkgever).toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.type('Kringloop De Cirkel');
  await page.keyboard.press('Enter');
  // Recorded: the focus is on the confirmation.
  await expect(page.locator(':focus')).toContainText('Vastgelegd: werkgeverscontact');
  await expect(page.getByRole('table', { name: /Alle gebeurtenissen/ })).toContainText('Kringloop De Cirkel');

  // A navigation puts the focus on the new page's h1, and the title follows.
  await page.getByRole('link', { name: 'Mijn caseload' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Mijn caseload' })).toBeFocused();
  await expect(page).toHaveTitle('Mijn caseload – traject');

  await page.getByRole('link', { name: 'Nieuwe aanmelding' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Nieuwe aanmelding' })).toBeFocused();
  await expect(page).toHaveTitle('Nieuwe aanmelding – traject');
  await page.getByRole('button', { name: 'Aanmelden' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Naam', { exact: true })).toBeFocused();
});

test('een weigering van de server zet de focus op het veld dat hij noemt', async ({ page }) => {
  await inloggen(page, 'coach');
  await nieuweAanmelding(page, uniekeNaam('Roos'));
  await legVast(page, 'Intake afgerond');
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Plaatsing gestart' });
  const formulier = page.getByRole('form', { name: 'Plaatsing gestart' });
  await formulier.getByLabel('Werkgever', { exact: true }).fill('Bakkerij');
  await formulier.getByLabel('Functie', { exact: true }).fill('Bakker');
  await formulier.getByLabel('Uren per week', { exact: true }).fill('20');
  // A first working day before the intake: the server refuses it at the date.
  await formulier.getByLabel('Eerste werkdag').fill('2000-01-03');
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(formulier.getByRole('alert').or(formulier.locator('[aria-invalid="true"]')).first()).toBeFocused();
});

test('de teamleider: titels van het team', async ({ page }) => {
  await inloggen(page, 'teamleider');
  await page.getByRole('link', { name: 'Team' }).click();
  await expect(page).toHaveTitle('Team – traject');
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeFocused();
});

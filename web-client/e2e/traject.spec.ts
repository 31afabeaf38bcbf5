// A coach records a whole trajectory through the forms and sees it in the caseload at once.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('een coach legt een heel traject vast via de formulieren', async ({ page }) => {
  const naam = uniekeNaam('Eva');
  await inloggen(page, 'coach');
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
  await nieuweAanmelding(page, naam);
  await expect(page.getByRole('heading', { level: 2, name: naam })).toBeVisible();
  // The referral's choices as the glossary spells them, shown with their labels.
  const tijdlijn = page.getByRole('table', { name: 'Alle gebeurtenissen, oudste eerst' });
  await expect(tijdlijn).toContainText('methode: IPS');
  await expect(tijdlijn).toContainText('verwijzer: GGZ');

  // The client's record is changed from the trajectory page and shown as saved.
  await page.getByRole('button', { name: 'Persoonsgegevens wijzigen' }).click();
  const persoon = page.getByRole('form', { name: 'Persoonsgegevens' });
  await persoon.getByLabel('Telefoon (niet verplicht)').fill('06 12345678');
  await persoon.getByRole('button', { name: 'Opslaan' }).click();
  await expect(persoon).toBeHidden();
  await expect(page.getByRole('region', { name: naam })).toContainText('06 12345678');

  await legVast(page, 'Intake afgerond', { Uitkering: 'Participatiewet' });
  await expect(page.getByTestId('fase')).toHaveText('Zoekend');

  // A rule the browser checks before sending: the message sits at the field.
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Plaatsing gestart' });
  const plaatsing = page.getByRole('form', { name: 'Plaatsing gestart' });
  await plaatsing.getByLabel('Uren per week').fill('61');
  await plaatsing.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(plaatsing.getByLabel('Uren per week')).toHaveAccessibleDescription(/mag niet meer dan 60 zijn/);
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', '1');
  await plaatsing.getByRole('button', { name: 'Annuleren' }).click();

  await legVast(page, 'Werkgeverscontact', { Werkgever: 'Bakkerij De Korenschoof' });
  await legVast(page, 'Plaatsing gestart', {
    Werkgever: 'Bakkerij De Korenschoof',
    Functie: 'Medewerker bakkerij',
    'Uren per week': '24',
    Contract: 'Vast',
  });
  await expect(page.getByTestId('fase')).toHaveText('Geplaatst');
  await expect(page.getByRole('progressbar', { name: /Op weg naar duurzaam: 1 van 1[78]\d dagen/ })).toBeVisible();

  await legVast(page, 'Naar waakvlam');
  await expect(page.getByTestId('fase')).toHaveText('Waakvlam');
  await legVast(page, 'Opgeschaald', { Reden: 'Werkproblemen' });
  await legVast(page, 'Plaatsing beëindigd', { Reden: 'Contract afgelopen' });
  await legVast(page, 'Afgesloten', { Reden: 'Geen werkwens' });
  await expect(page.getByTestId('fase')).toHaveText('Afgesloten');

  await expect(tijdlijn.getByRole('row')).toHaveCount(1 + 8);
  await expect(tijdlijn.getByRole('row').filter({ hasText: 'reden: Geen werkwens' })).toContainText('Afgesloten');
  for (const soort of ['Aangemeld', 'Intake afgerond', 'Werkgeverscontact', 'Plaatsing gestart', 'Plaatsing beëindigd', 'Afgesloten']) {
    await expect(tijdlijn).toContainText(soort);
  }

  // The caseload shows it at once, closed trajectories included when asked for.
  await page.getByRole('link', { name: 'Mijn caseload' }).click();
  await page.getByLabel('Zoek op naam').fill(naam);
  await page.getByLabel('Afgesloten').check();
  const rij = page.getByRole('row').filter({ hasText: naam });
  await expect(rij).toHaveCount(1);
  await expect(rij).toContainText('Afgesloten');
});

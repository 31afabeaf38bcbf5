// Every screen passes an axe-core scan against WCAG 2.1 A and AA, and the main flow works with
// the keyboard alone.
import { expect, test } from '@playwright/test';
import { dag, maakTraject, planActie, token } from './api-hulp';
import { geenToegankelijkheidsfouten, geenZijwaartsScrollen, inloggen, legVast, nieuweAanmelding, tabNaar, uniekeNaam } from './hulp';

test('het aanmeldscherm', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Demo coach' })).toBeVisible();
  await geenToegankelijkheidsfouten(page);
});

test('de schermen van de coach', async ({ page }) => {
  await inloggen(page, 'coach', '/caseload');
  await expect(page.getByRole('table', { name: 'Trajecten in mijn caseload' }).getByRole('row').nth(1)).toBeVisible();
  await geenToegankelijkheidsfouten(page);

  await nieuweAanmelding(page, uniekeNaam('Lotte'));
  await legVast(page, 'Intake afgerond');
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Plaatsing gestart' });
  await page.getByLabel('Contract').selectOption({ label: 'Tijdelijk' });
  // With the form's own error messages on screen.
  await page.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByText('moet 1 tot 120 tekens lang zijn').first()).toBeVisible();
  await geenToegankelijkheidsfouten(page);

  await page.getByRole('link', { name: 'Nieuwe aanmelding' }).click();
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByText('Niet alle velden kloppen')).toBeVisible();
  await geenToegankelijkheidsfouten(page);
});

for (const breedte of [1280, 320]) {
  test(`Vandaag en de weekagenda op ${breedte} px`, async ({ page, request }) => {
    // Something under "Nu doen" and something ahead in the agenda.
    const coach = await token(request, 'coach');
    const naam = uniekeNaam('Jet');
    await planActie(request, coach, await maakTraject(request, coach, { naam }), 'AfstemmingBehandelaar', dag());
    await planActie(request, coach, await maakTraject(request, coach, { naam: uniekeNaam('Kai') }), 'Evaluatie', dag(2));
    await page.setViewportSize({ width: breedte, height: 800 });
    await inloggen(page, 'coach');
    const rij = page.locator('li[data-traject]').filter({ hasText: naam });
    await expect(rij).toContainText('Afstemming met behandelaar, gepland voor vandaag');
    await geenToegankelijkheidsfouten(page);
    await geenZijwaartsScrollen(page, 'Vandaag');
    // With the form to plan the next action open in the row.
    await rij.getByRole('button', { name: `Volgende actie plannen voor ${naam}` }).click();
    await expect(rij.getByRole('form', { name: 'Volgende actie plannen' })).toBeVisible();
    await geenToegankelijkheidsfouten(page);
    await geenZijwaartsScrollen(page, 'Vandaag met het formulier');

    await page.getByRole('link', { name: 'Weekagenda' }).first().click();
    await expect(page.getByRole('region', { name: /^Vandaag, / }).getByRole('listitem').filter({ hasText: naam })).toBeVisible();
    await geenToegankelijkheidsfouten(page);
    await geenZijwaartsScrollen(page, 'Weekagenda');
    await page.getByRole('button', { name: 'Volgende week' }).click();
    await expect(page.getByRole('heading', { level: 2 })).toHaveCount(7);
    await geenToegankelijkheidsfouten(page);
    await geenZijwaartsScrollen(page, 'Weekagenda, volgende week');
  });
}

test('de schermen van de teamleider', async ({ page }) => {
  await inloggen(page, 'teamleider');
  await expect(page.getByRole('table').first()).toBeVisible();
  await geenToegankelijkheidsfouten(page);
  await page.getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible();
  await geenToegankelijkheidsfouten(page);
  // With an error at the field, and the question before a coach is removed (then cancelled).
  await page.getByRole('form', { name: 'Coach toevoegen' }).getByRole('button', { name: 'Toevoegen' }).click();
  await expect(page.getByText('moet 1 tot 64 tekens lang zijn')).toBeVisible();
  await page.getByRole('button', { name: /uit het team verwijderen$/ }).first().click();
  await expect(page.getByRole('button', { name: 'Ja, verwijderen' })).toBeVisible();
  await geenToegankelijkheidsfouten(page);
  await page.getByRole('group', { name: /uit het team verwijderen\?$/ }).getByRole('button', { name: 'Annuleren' }).click();
  await expect(page.getByRole('button', { name: 'Ja, verwijderen' })).toHaveCount(0);
});

for (const rol of ['regio', 'landelijk'] as const) {
  test(`de cijfers voor ${rol}`, async ({ page }) => {
    await inloggen(page, rol);
    await expect(page.getByRole('table').first()).toBeVisible();
    await geenToegankelijkheidsfouten(page);
  });
}

test('het toegangslog', async ({ page }) => {
  await inloggen(page, 'beheerder');
  await expect(page.getByRole('table').first()).toBeVisible();
  await geenToegankelijkheidsfouten(page);
});

test('de hoofdroute met alleen het toetsenbord', async ({ page }) => {
  const naam = uniekeNaam('Daan');
  await page.goto('/');
  await tabNaar(page, page.getByRole('button', { name: 'Demo coach', exact: true }));
  await page.keyboard.press('Enter');
  // A coach starts on Vandaag.
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();

  // The skip link comes first and leads to the content.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeFocused();

  await tabNaar(page, page.getByRole('link', { name: 'Nieuwe aanmelding', exact: true }));
  await page.keyboard.press('Enter');
  await tabNaar(page, page.getByLabel('Naam', { exact: true }));
  await page.keyboard.type(naam);
  await tabNaar(page, page.getByLabel('Geboortedatum', { exact: true }));
  await page.keyboard.type('12041990');
  await tabNaar(page, page.getByRole('button', { name: 'Aanmelden', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('fase')).toHaveText('Aangemeld');

  await tabNaar(page, page.getByRole('combobox', { name: 'Wat is er gebeurd?', exact: true }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('form', { name: 'Intake afgerond' })).toBeVisible();
  await tabNaar(page, page.getByRole('button', { name: 'Vastleggen', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('fase')).toHaveText('Zoekend');

  await tabNaar(page, page.getByRole('link', { name: 'Mijn caseload', exact: true }));
  await page.keyboard.press('Enter');
  await tabNaar(page, page.getByLabel('Zoek op naam', { exact: true }));
  await page.keyboard.type(naam);
  await tabNaar(page, page.getByRole('link', { name: naam, exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Traject' })).toBeVisible();
  await expect(page.getByTestId('fase')).toHaveText('Zoekend');
});

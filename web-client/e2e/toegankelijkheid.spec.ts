// Every screen passes an axe-core scan against WCAG 2.1 A and AA, and the main flow works with
// the keyboard alone.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { geenToegankelijkheidsfouten, inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('het aanmeldscherm', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Demo coach' })).toBeVisible();
  await geenToegankelijkheidsfouten(page);
});

test('de schermen van de coach', async ({ page }) => {
  await inloggen(page, 'coach');
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

/** Presses Tab until `doel` has the focus; fails after `max` presses. */
async function tabNaar(page: Page, doel: Locator, max = 80) {
  await expect(doel).toBeVisible();
  for (let i = 0; i < max; i++) {
    if (await doel.evaluate((e) => e === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${doel} cannot be reached with Tab`);
}

test('de hoofdroute met alleen het toetsenbord', async ({ page }) => {
  const naam = uniekeNaam('Daan');
  await page.goto('/');
  await tabNaar(page, page.getByRole('button', { name: 'Demo coach', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Mijn caseload' })).toBeVisible();

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

// The look: the NL Design System's document styles on the whole page (no browser serif), no
// sideways scrolling of the page at 320 and 390 px (WCAG 1.4.10; a wide table scrolls within its
// own container), an axe-core scan at 320 px, and no technical words for the coach.
import { expect, test } from '@playwright/test';
import { geenToegankelijkheidsfouten, geenZijwaartsScrollen, inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('de documentstijl van het NL Design System geldt voor de hele pagina', async ({ page }) => {
  await inloggen(page, 'coach');
  const lettertype = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(lettertype).toMatch(/Noto Sans|Arial/);
  expect(lettertype).not.toMatch(/^(serif|"?Times)/i);
  const knop = await page.getByRole('button', { name: 'Uitloggen' }).evaluate((e) => getComputedStyle(e).fontFamily);
  expect(knop).toMatch(/Noto Sans|Arial/);
});

for (const breedte of [320, 390]) {
  test(`geen zijwaarts scrollen op ${breedte} px, met axe-core`, async ({ page }) => {
    await page.setViewportSize({ width: breedte, height: 800 });
    await inloggen(page, 'coach', '/caseload');
    await expect(page.getByRole('table', { name: 'Trajecten in mijn caseload' })).toBeVisible();
    await geenZijwaartsScrollen(page, 'Mijn caseload');
    if (breedte === 320) await geenToegankelijkheidsfouten(page);

    await nieuweAanmelding(page, uniekeNaam('Femke'));
    await legVast(page, 'Intake afgerond');
    await legVast(page, 'Plaatsing gestart', { Werkgever: 'Bakkerij De Korenschoof', Functie: 'Bakker', 'Uren per week': '8' });
    await geenZijwaartsScrollen(page, 'Traject');
    if (breedte === 320) await geenToegankelijkheidsfouten(page);

    await page.getByRole('link', { name: 'Nieuwe aanmelding' }).click();
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect(page.getByText('Niet alle velden kloppen')).toBeVisible();
    await geenZijwaartsScrollen(page, 'Nieuwe aanmelding');
    if (breedte === 320) await geenToegankelijkheidsfouten(page);

    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('button', { name: 'Demo teamleider' }).click();
    await page.getByRole('link', { name: 'Team' }).click();
    await expect(page.getByRole('table', { name: 'Coaches van het team met hun lopende trajecten' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Trajecten van de organisatie' })).toBeVisible();
    await geenZijwaartsScrollen(page, 'Team');
    if (breedte === 320) await geenToegankelijkheidsfouten(page);
    await page.getByRole('link', { name: 'Mijn caseload' }).click();
    await expect(page.getByRole('table').first()).toBeVisible();
    await geenZijwaartsScrollen(page, 'Caseload van de organisatie');
  });
}

test('geen technische woorden voor de coach', async ({ page }) => {
  await inloggen(page, 'coach');
  await nieuweAanmelding(page, uniekeNaam('Bram'));
  await legVast(page, 'Intake afgerond');
  const tekst = await page.locator('#inhoud').innerText();
  expect(tekst).not.toMatch(/revisie|storepositie/i);
  expect(tekst).not.toMatch(/org-am\d+-\d+-coach-\d+/);
  await expect(page.getByRole('definition').filter({ hasText: '(u zelf)' })).toBeVisible();
});

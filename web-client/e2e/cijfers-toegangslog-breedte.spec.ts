// The figures and the access log pass an axe-core scan against WCAG 2.1 A and AA on a desktop
// and at 320 CSS pixels wide (WCAG 1.4.10, reflow), where the page does not scroll sideways: a
// wide table scrolls within its own region.
import { expect, test, type Page } from '@playwright/test';
import { leesTrajecten } from './api-hulp';
import { geenToegankelijkheidsfouten, inloggen, type DemoRol } from './hulp';

async function geenHorizontaleScroll(page: Page) {
  const { breed, venster } = await page.evaluate(() => ({
    breed: document.documentElement.scrollWidth,
    venster: document.documentElement.clientWidth,
  }));
  expect(breed, `de pagina is ${breed}px breed bij een venster van ${venster}px`).toBeLessThanOrEqual(venster);
}

const SCHERMEN: { rol: DemoRol; kop: string; klaar: (page: Page) => Promise<void> }[] = [
  {
    rol: 'landelijk',
    kop: 'Cijfers',
    klaar: (page) => expect(page.getByRole('table', { name: /per regio,/ })).toBeVisible(),
  },
  {
    rol: 'regio',
    kop: 'Cijfers',
    klaar: (page) => expect(page.getByRole('table', { name: /^Afgesloten trajecten per kwartaal en reden/ })).toBeVisible(),
  },
  {
    rol: 'beheerder',
    kop: 'Toegangslog',
    klaar: (page) => expect(page.getByRole('table', { name: /^Regels/ }).locator('tbody tr').first()).toBeVisible(),
  },
];

for (const { rol, kop, klaar } of SCHERMEN) {
  for (const breedte of [1280, 320]) {
    test(`${kop} voor ${rol} op ${breedte} px breed`, async ({ page, request }) => {
      // An entry in the log, whichever tests ran before.
      if (rol === 'beheerder') await leesTrajecten(request, 1);
      await page.setViewportSize({ width: breedte, height: 800 });
      await inloggen(page, rol);
      await expect(page.getByRole('heading', { level: 1, name: kop })).toBeVisible();
      await klaar(page);
      await geenToegankelijkheidsfouten(page);
      await geenHorizontaleScroll(page);
    });
  }
}

test('het toegangslog met een cliënt gekozen, op 320 px breed', async ({ page, request }) => {
  await leesTrajecten(request, 1);
  await page.setViewportSize({ width: 320, height: 800 });
  await inloggen(page, 'beheerder');
  const tabel = page.getByRole('table', { name: /^Regels/ });
  await expect(tabel.locator('tbody tr').first()).toBeVisible();
  await tabel.getByRole('button', { name: /^filter op deze cliënt: / }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'Wie heeft dit dossier ingezien' })).toBeVisible();
  await geenToegankelijkheidsfouten(page);
  await geenHorizontaleScroll(page);
});

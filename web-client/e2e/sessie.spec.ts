// Nothing typed is lost when the session ends in the middle of a form: the server answers
// UNAUTHENTICATED, the sign-in screen says why, and after signing in again the user is on the
// same page with the same form and values, and records them after all.
import { expect, test, type Page } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

/** Lets the server's next `mutation` named `naam` answer as for an expired token. */
async function laatSessieVerlopenBij(page: Page, naam: string) {
  await page.route('**/graphql', async (route) => {
    if (route.request().postData()?.includes(`mutation ${naam}`)) {
      await route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'token verlopen', extensions: { code: 'UNAUTHENTICATED' } }] }),
      });
    } else {
      await route.continue();
    }
  });
}

test('een verlopen sessie midden in een formulier: na opnieuw inloggen staat alles er nog', async ({ page }) => {
  await inloggen(page, 'coach');
  const url = await nieuweAanmelding(page, uniekeNaam('Iris'));
  await legVast(page, 'Intake afgerond');

  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Werkgeverscontact' });
  const formulier = page.getByRole('form', { name: 'Werkgeverscontact' });
  await formulier.getByLabel('Werkgever').fill('Zorgboerderij De Hoeve');
  await formulier.getByLabel('Persoonlijk contact (niet alleen mail of telefoon)').uncheck();

  await laatSessieVerlopenBij(page, 'Werkgeverscontact');
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen bij traject' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Uw sessie is verlopen');
  expect(page.url()).toBe(url);
  await page.unroute('**/graphql');

  await page.getByRole('button', { name: 'Demo coach' }).click();
  await expect(formulier).toBeVisible();
  expect(page.url()).toBe(url);
  await expect(formulier.getByLabel('Werkgever')).toHaveValue('Zorgboerderij De Hoeve');
  await expect(formulier.getByLabel('Persoonlijk contact (niet alleen mail of telefoon)')).not.toBeChecked();
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vastgelegd: werkgeverscontact' })).toBeVisible();
  await expect(page.getByRole('table', { name: /Alle gebeurtenissen/ })).toContainText('Zorgboerderij De Hoeve');

  // Recorded, the draft is gone: the page opens without a form.
  await page.reload();
  await expect(page.getByLabel('Wat is er gebeurd?')).toHaveValue('');
  await expect(formulier).toHaveCount(0);
});

test('een verlopen sessie bij een nieuwe aanmelding: de ingevulde velden blijven', async ({ page }) => {
  const naam = uniekeNaam('Jesse');
  await inloggen(page, 'coach', '/nieuw');
  await page.getByLabel('Naam', { exact: true }).fill(naam);
  await page.getByLabel('Geboortedatum').fill('1988-02-29');
  await page.getByLabel('Telefoon (niet verplicht)').fill('06 11112222');

  await laatSessieVerlopenBij(page, 'Aanmelden');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen bij traject' })).toBeVisible();
  await page.unroute('**/graphql');
  await page.getByRole('button', { name: 'Demo coach' }).click();

  await expect(page).toHaveURL(/\/nieuw$/);
  await expect(page.getByLabel('Naam', { exact: true })).toHaveValue(naam);
  await expect(page.getByLabel('Geboortedatum')).toHaveValue('1988-02-29');
  await expect(page.getByLabel('Telefoon (niet verplicht)')).toHaveValue('06 11112222');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByRole('heading', { level: 2, name: naam })).toBeVisible();
});

test('uitloggen wist wat er nog klaarstond', async ({ page }) => {
  await inloggen(page, 'coach', '/nieuw');
  await page.getByLabel('Naam', { exact: true }).fill('Niet Bewaren');
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('button', { name: 'Demo coach' }).click();
  await expect(page.getByLabel('Naam', { exact: true })).toHaveValue('');
});

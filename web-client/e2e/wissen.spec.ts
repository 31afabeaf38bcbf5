// The beheerder finds who accessed a client's file and erases the client, after confirming.
import { expect, test } from '@playwright/test';
import { inloggen, nieuweAanmelding, uniekeNaam } from './hulp';

test('de beheerder wist een cliënt', async ({ browser }) => {
  const naam = uniekeNaam('Sanne');
  const coach = await (await browser.newContext()).newPage();
  await inloggen(coach, 'coach');
  await nieuweAanmelding(coach, naam);
  const clientId = (await coach.getByTestId('client-id').textContent())!.trim();
  expect(clientId).toMatch(/^[0-9a-f-]{36}$/);

  const beheerder = await (await browser.newContext()).newPage();
  await inloggen(beheerder, 'beheerder');
  await expect(beheerder.getByRole('heading', { level: 1, name: 'Toegangslog' })).toBeVisible();
  await beheerder.getByRole('button', { name: 'Keten controleren' }).click();
  await expect(beheerder.getByText(/De keten is intact tot en met regel \d+/)).toBeVisible();
  await beheerder.getByLabel('Cliënt-id').fill(clientId);
  // Every entry names the client in full, and filters on it.
  const regels = beheerder.getByRole('table', { name: /Regels/ });
  await expect(regels.locator('code:visible').filter({ hasText: clientId }).first()).toBeVisible();
  const inzage = beheerder.getByRole('table', { name: 'Inzage per gebruiker en rol' });
  await expect(inzage.getByRole('row').filter({ hasText: 'coach' }).first()).toBeVisible();

  const knop = beheerder.getByRole('button', { name: 'Definitief wissen' });
  await expect(knop).toBeDisabled();
  // The reasons are the schema's WisReden, each with its label.
  const reden = beheerder.getByRole('combobox', { name: 'Reden' });
  await expect(reden.locator('option')).toHaveText([
    'Verzoek van de cliënt (AVG art. 17)',
    'Bewaartermijn verstreken',
    'Onrechtmatig verwerkt',
    'Andere reden',
  ]);
  await reden.selectOption({ label: 'Verzoek van de cliënt (AVG art. 17)' });
  await beheerder.getByLabel('Ik weet zeker dat de gegevens van deze cliënt gewist moeten worden').check();
  await knop.click();
  await expect(beheerder.getByRole('status').filter({ hasText: 'Gewist.' })).toContainText(
    'De persoonsgegevens zijn vernietigd; 1 traject(en) gemarkeerd.',
  );
  // The log is asked for again after the erasure: the erasure's own entry is there, in words.
  await expect(regels.getByRole('row').filter({ hasText: 'Persoonsgegevens gewist' }).first()).toContainText('Beheerder wist op verzoek');

  // The coach's page no longer knows the name; the trajectory's history stays.
  await coach.reload();
  await expect(coach.getByRole('heading', { level: 1, name: 'Traject' })).toBeVisible();
  await expect(coach.getByText(naam)).toHaveCount(0);
  const tijdlijn = coach.getByRole('table', { name: /Alle gebeurtenissen/ });
  await expect(tijdlijn).toContainText('Aangemeld');
  await expect(tijdlijn.getByRole('row').filter({ hasText: 'Persoonsgegevens gewist' })).toContainText(
    'reden: Verzoek van de cliënt (AVG art. 17)',
  );
});

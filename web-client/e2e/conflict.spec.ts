// Two people record on the same trajectory from the same revision: the second gets a conflict,
// keeps what was typed, reloads and records after all.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('een conflict wordt gemeld en niets getypts gaat verloren', async ({ browser }) => {
  const eerste = await (await browser.newContext()).newPage();
  const tweede = await (await browser.newContext()).newPage();
  await inloggen(eerste, 'coach');
  const url = await nieuweAanmelding(eerste, uniekeNaam('Fleur'));
  await legVast(eerste, 'Intake afgerond');

  await inloggen(tweede, 'coach', new URL(url).pathname);
  await expect(tweede.getByTestId('status')).toHaveAttribute('data-revisie', '1');

  // The second starts typing on revision 1 ...
  await tweede.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Werkgeverscontact' });
  const formulier = tweede.getByRole('form', { name: 'Werkgeverscontact' });
  await formulier.getByLabel('Werkgever').fill('Zorgboerderij De Hoeve');

  // ... while the first records something.
  await legVast(eerste, 'Werkgeverscontact', { Werkgever: 'Fietsenmaker Jansen' });

  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  const melding = formulier.getByRole('alert');
  await expect(melding).toContainText('Iemand anders heeft dit traject intussen gewijzigd. Er is niets vastgelegd');
  await expect(melding).toContainText('Er is niets vastgelegd');
  await expect(tweede.getByTestId('status')).toHaveAttribute('data-revisie', '1');

  await melding.getByRole('button', { name: 'Traject herladen' }).click();
  await expect(tweede.getByTestId('status')).toHaveAttribute('data-revisie', '2');
  await expect(tweede.getByRole('table', { name: /Alle gebeurtenissen/ })).toContainText('Fietsenmaker Jansen');
  await expect(formulier.getByLabel('Werkgever')).toHaveValue('Zorgboerderij De Hoeve');
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(tweede.getByTestId('status')).toHaveAttribute('data-revisie', '3');
  await expect(tweede.getByRole('table', { name: /Alle gebeurtenissen/ })).toContainText('Zorgboerderij De Hoeve');
});

// Contract v2 on screen: two placements of 8 hours at once, a change of hours, a retraction
// without a date, and closing as DuurzaamAanHetWerk before duurzaam, first refused with the
// server's message and then confirmed. No rule code ever shows.
import { expect, test } from '@playwright/test';
import { geenCodesOpHetScherm, geenToegankelijkheidsfouten, inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

const CODES = ['duurzaam_niet_bereikt', 'uren_ongewijzigd', 'ongeldige_waarde', 'BAD_USER_INPUT'];

test('twee plaatsingen van 8 uur, uren wijzigen, intrekken zonder datum en afsluiten als duurzaam aan het werk', async ({ page }) => {
  const naam = uniekeNaam('Milan');
  await inloggen(page, 'coach');
  await nieuweAanmelding(page, naam);
  await legVast(page, 'Intake afgerond', { Uitkering: 'WIA' });
  await expect(page.getByTestId('fase')).toHaveText('Zoekend');
  const tijdlijn = page.getByRole('table', { name: 'Alle gebeurtenissen, oudste eerst' });
  await expect(tijdlijn).toContainText('uitkering: WIA');

  // The first placement of 8 hours: the form says before sending what that means for duurzaam.
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Plaatsing gestart' });
  const eerste = page.getByRole('form', { name: 'Plaatsing gestart' });
  await eerste.getByLabel('Werkgever', { exact: true }).fill('Bakkerij De Korenschoof');
  await eerste.getByLabel('Functie', { exact: true }).fill('Medewerker bakkerij');
  await eerste.getByLabel('Uren per week', { exact: true }).fill('8');
  await expect(eerste.getByLabel('Uren per week', { exact: true })).toHaveAccessibleDescription(
    /Minder dan 12 uur per week telt op zichzelf niet mee voor duurzaam\. Met ander betaald, regulier werk in dezelfde tijd worden de uren opgeteld/,
  );
  await eerste.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vastgelegd: plaatsing gestart' })).toBeVisible();
  await expect(page.getByTestId('fase')).toHaveText('Geplaatst');

  const plaatsingen = page.getByRole('table', { name: 'Plaatsingen die nu lopen' });
  const bakkerij = plaatsingen.getByRole('row').filter({ hasText: 'Bakkerij De Korenschoof' });
  // The answer's plaatsingId marks the placement just started.
  await expect(bakkerij).toContainText('Bakkerij De Korenschoof (zojuist vastgelegd)');
  await expect(bakkerij).toContainText('8 (minder dan 12)');
  const sectie = page.getByRole('region', { name: 'Lopende plaatsingen' });
  await expect(sectie).toContainText('Minder dan 12 uur per week telt op zichzelf niet mee voor duurzaam.');

  // A second placement of 8 hours at the same time: together they are qualifying work.
  await legVast(page, 'Plaatsing gestart', {
    Werkgever: 'Fietsenmaker Jansen',
    Functie: 'Fietsenmaker',
    'Uren per week': '8',
    Contract: 'Tijdelijk',
    'Einddatum van het contract': '2099-12-31',
  });
  const fietsenmaker = plaatsingen.getByRole('row').filter({ hasText: 'Fietsenmaker Jansen' });
  await expect(fietsenmaker).toContainText('Fietsenmaker Jansen (zojuist vastgelegd)');
  await expect(bakkerij).not.toContainText('zojuist vastgelegd');
  await expect(plaatsingen.getByRole('row')).toHaveCount(1 + 2);
  await expect(sectie).toContainText('Op dit moment telt het werk samen wel als kwalificerend werk.');
  await expect(page.getByText(/^Aan het werk sinds /)).toBeVisible();
  await geenToegankelijkheidsfouten(page);

  // Uren wijzigen from the placement's row: unchanged hours are refused at the field, in the
  // server's words.
  const revisie = Number(await page.getByTestId('status').getAttribute('data-revisie'));
  await bakkerij.getByRole('button', { name: /^Uren wijzigen: Bakkerij De Korenschoof, sinds / }).click();
  const uren = page.getByRole('form', { name: 'Uren gewijzigd' });
  await expect(uren.getByRole('combobox', { name: 'Plaatsing' })).toHaveValue(/.+/);
  await expect(uren.getByRole('combobox', { name: 'Plaatsing' }).locator('option:checked')).toHaveText(
    /^Bakkerij De Korenschoof, sinds .+, 8 uur per week$/,
  );
  await uren.getByLabel('Nieuwe uren per week').fill('8');
  await uren.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(uren.getByLabel('Nieuwe uren per week')).toHaveAccessibleDescription(/de plaatsing heeft op die datum al deze uren per week/);
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie));
  await geenCodesOpHetScherm(page, CODES);

  await uren.getByLabel('Nieuwe uren per week').fill('10');
  await expect(uren.getByLabel('Nieuwe uren per week')).toHaveAccessibleDescription(/telt op zichzelf niet mee voor duurzaam/);
  await uren.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vastgelegd: uren gewijzigd op' })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie + 1));
  await expect(bakkerij).toContainText('10 (minder dan 12)');
  const wijziging = tijdlijn.getByRole('row').filter({ hasText: 'Uren gewijzigd' });
  await expect(wijziging).toContainText('nieuwe uren per week: 10');

  // The change is retracted: the form has no date, the server dates it today.
  await wijziging.getByRole('button', { name: /^Uren gewijzigd van .+ intrekken$/ }).click();
  const intrekken = page.getByRole('form', { name: 'Gebeurtenis intrekken (een vergissing herstellen)' });
  await expect(intrekken.getByRole('combobox', { name: 'Gebeurtenis' }).locator('option:checked')).toHaveText(/: Uren gewijzigd$/);
  await expect(intrekken.locator('input[type="date"]')).toHaveCount(0);
  await expect(intrekken.getByLabel(/datum/i)).toHaveCount(0);
  await expect(intrekken).toContainText('De intrekking krijgt de datum van vandaag');
  await intrekken.getByLabel('Reden').selectOption({ label: 'Invoerfout' });
  await intrekken.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vastgelegd: gebeurtenis ingetrokken, met de datum van vandaag.' })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie + 2));
  await expect(wijziging).toContainText('Uren gewijzigd (ingetrokken)');
  await expect(tijdlijn.getByRole('row').filter({ hasText: 'Gebeurtenis ingetrokken' })).toContainText('reden: Invoerfout');
  await expect(bakkerij).toContainText('8 (minder dan 12)');

  // Closing as duurzaam aan het werk before duurzaam is refused with the server's message, at
  // the reason; a checkbox confirms it, and what was filled in stays.
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Afgesloten' });
  const afsluiten = page.getByRole('form', { name: 'Afgesloten' });
  const bevestig = afsluiten.getByRole('checkbox', { name: /Ik bevestig dat de cliënt duurzaam aan het werk is/ });
  await expect(bevestig).toHaveCount(0);
  const dag = await afsluiten.getByLabel('Laatste dag van de meting').inputValue();
  await afsluiten.getByLabel('Reden').selectOption({ label: 'Duurzaam aan het werk' });
  await afsluiten.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(afsluiten.getByLabel('Reden')).toHaveAccessibleDescription(
    `duurzaam is op ${dag} niet bereikt; kies een andere reden of bevestig dat de client duurzaam aan het werk is`,
  );
  await expect(bevestig).toBeVisible();
  await expect(bevestig).not.toBeChecked();
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie + 2));
  await expect(page.getByTestId('fase')).toHaveText('Geplaatst');
  await expect(afsluiten.getByLabel('Reden')).toHaveValue('DuurzaamAanHetWerk');
  await expect(afsluiten.getByLabel('Laatste dag van de meting')).toHaveValue(dag);
  await geenCodesOpHetScherm(page, CODES);
  await geenToegankelijkheidsfouten(page);

  await bevestig.check();
  await afsluiten.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Vastgelegd: afgesloten op' })).toBeVisible();
  await expect(page.getByTestId('fase')).toHaveText('Afgesloten');
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie + 3));
  await expect(tijdlijn.getByRole('row').filter({ hasText: 'reden: Duurzaam aan het werk' })).toContainText('Afgesloten');
  await geenCodesOpHetScherm(page, CODES);
});

// A caseload on screen updates by itself when the trajectory changes elsewhere.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('de caseload werkt zichzelf bij na een wijziging elders', async ({ browser }) => {
  const naam = uniekeNaam('Noah');
  const hier = await (await browser.newContext()).newPage();
  const elders = await (await browser.newContext()).newPage();

  await inloggen(elders, 'coach');
  await nieuweAanmelding(elders, naam);
  await legVast(elders, 'Intake afgerond');

  await inloggen(hier, 'coach', '/caseload');
  await hier.getByLabel('Zoek op naam').fill(naam);
  const rij = hier.getByRole('row').filter({ hasText: naam });
  await expect(rij).toContainText('Zoekend');

  // Elsewhere, the same trajectory gets a placement (one event); here nobody touches the page.
  await legVast(elders, 'Plaatsing gestart', {
    Werkgever: 'Gemeentewerf',
    Functie: 'Groenvoorziening',
    'Uren per week': '20',
  });
  await expect(rij).toContainText('Geplaatst');
  await expect(hier.getByText(/Bijgewerkt om .* na een wijziging/)).toBeVisible();
});

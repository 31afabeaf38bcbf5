// Read your own writes behind a load balancer: after a write, every request carries the store
// position the write answered (`Traject-Positie`), so whichever instance answers waits for it.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('na een wijziging stuurt elk verzoek de positie mee die de wijziging gaf', async ({ page }) => {
  await inloggen(page, 'coach');
  await nieuweAanmelding(page, uniekeNaam('Pim'));
  const antwoorden: string[] = [];
  page.on('response', (r) => {
    const p = r.headers()['traject-positie'];
    if (r.url().endsWith('/graphql') && p) antwoorden.push(p);
  });
  await legVast(page, 'Intake afgerond', { Uitkering: 'WW' });
  expect(antwoorden.length).toBeGreaterThan(0);
  const geschreven = antwoorden[antwoorden.length - 1];
  // The next request (here: the caseload after navigating) sends it back.
  const verzoek = page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST');
  await page.getByRole('link', { name: 'Mijn caseload' }).click();
  const gestuurd = (await verzoek).headers()['traject-positie'];
  expect(gestuurd).toBeDefined();
  expect(BigInt(gestuurd!)).toBeGreaterThanOrEqual(BigInt(geschreven));
});

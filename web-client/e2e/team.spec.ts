// The teamleider sees the organisation's IPS indicators and gives a trajectory another coach.
import { expect, test } from '@playwright/test';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('de teamleider wijst een andere coach toe', async ({ browser }) => {
  const naam = uniekeNaam('Umut');
  const coach = await (await browser.newContext()).newPage();
  await inloggen(coach, 'coach');
  await nieuweAanmelding(coach, naam);
  await legVast(coach, 'Intake afgerond');

  const teamleider = await (await browser.newContext()).newPage();
  await inloggen(teamleider, 'teamleider');
  await teamleider.getByRole('link', { name: 'Team' }).click();
  await expect(teamleider.getByRole('heading', { name: 'IPS-indicatoren van de organisatie' })).toBeVisible();
  await expect(teamleider.getByText('Mediaan dagen tot eerste werkgeverscontact')).toBeVisible();
  await teamleider.getByLabel('Zoek op naam').fill(naam);
  const rij = teamleider.getByRole('row').filter({ hasText: naam });
  await expect(rij).toContainText('org-am13-1-coach-1');
  await rij.getByRole('link', { name: /wijzigen/ }).click();
  const formulier = teamleider.getByRole('form', { name: 'Andere coach' });
  await formulier.getByLabel('Coach (gebruikers-id)').fill('org-am13-1-coach-2');
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(teamleider.getByRole('status').filter({ hasText: 'Vastgelegd: andere coach' })).toBeVisible();

  // The first coach no longer has it.
  await coach.getByRole('link', { name: 'Mijn caseload' }).click();
  await coach.getByLabel('Zoek op naam').fill(naam);
  await expect(coach.getByText('0 trajecten')).toBeVisible();
});

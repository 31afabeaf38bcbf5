// The teamleider sees the organisation's IPS indicators and the team, gives a trajectory another
// coach of the team, and adds a coach to the team and removes them again.
import { expect, test } from '@playwright/test';
import { gebruiker } from './api-hulp';
import { inloggen, legVast, nieuweAanmelding, uniekeNaam } from './hulp';

test('de teamleider wijst een andere coach toe', async ({ browser, request }) => {
  // The demo coach, and another coach of the same team.
  const eigen = await gebruiker(request, 'coach');
  const ander = eigen === 'org-am13-1-coach-1' ? 'org-am13-1-coach-2' : 'org-am13-1-coach-1';
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

  // The team, each coach with their open caseload.
  const team = teamleider.getByRole('table', { name: 'Coaches van het team met hun lopende trajecten' });
  const tweede = team.getByRole('row').filter({ hasText: ander });
  await expect(tweede).toBeVisible();
  const voor = Number(await tweede.getByRole('cell').first().textContent());
  await expect(team.getByRole('row').filter({ hasText: eigen })).toBeVisible();

  await teamleider.getByLabel('Zoek op naam').fill(naam);
  const rij = teamleider.getByRole('row').filter({ hasText: naam });
  await expect(rij).toContainText(eigen);
  await rij.getByRole('link', { name: /wijzigen/ }).click();
  const formulier = teamleider.getByRole('form', { name: 'Andere coach' });
  const keuze = formulier.getByRole('combobox', { name: 'Coach' });
  await expect(keuze.getByRole('option', { name: new RegExp(`^${ander} \\(\\d+ lopende? trajecte?n?\\)$`) })).toBeAttached();
  await keuze.selectOption(ander);
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(teamleider.getByRole('status').filter({ hasText: 'Vastgelegd: andere coach' })).toBeVisible();
  await expect(teamleider.getByRole('definition').filter({ hasText: ander })).toBeVisible();

  // The first coach no longer has it; the second's caseload has grown by one.
  await coach.getByRole('link', { name: 'Mijn caseload' }).click();
  await coach.getByLabel('Zoek op naam').fill(naam);
  await expect(coach.getByText('0 trajecten')).toBeVisible();
  await teamleider.getByRole('link', { name: 'Team' }).click();
  await expect(tweede.getByRole('cell').first()).toHaveText(String(voor + 1));
});

test('de teamleider voegt een coach toe aan het team en verwijdert die weer', async ({ page }) => {
  const nieuw = `org-am13-1-coach-e2e-${Date.now().toString(36)}`;
  await inloggen(page, 'teamleider');
  await page.getByRole('link', { name: 'Team' }).click();
  const team = page.getByRole('table', { name: 'Coaches van het team met hun lopende trajecten' });
  await expect(team.getByRole('row').nth(1)).toBeVisible();

  const toevoegen = page.getByRole('form', { name: 'Coach toevoegen' });
  await toevoegen.getByLabel('Gebruikers-id van de coach').fill(nieuw);
  await toevoegen.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${nieuw} is aan het team toegevoegd.` })).toBeVisible();
  // The focus is on the message, so a screen reader reads what happened.
  await expect(page.locator(':focus')).toContainText(`${nieuw} is aan het team toegevoegd.`);
  const rij = team.getByRole('row').filter({ hasText: nieuw });
  await expect(rij.getByRole('cell').first()).toHaveText('0');

  // A second time is refused, at the field, in the server's words and without the rule's code.
  await toevoegen.getByLabel('Gebruikers-id van de coach').fill(nieuw);
  await toevoegen.getByRole('button', { name: 'Toevoegen' }).click();
  await expect(toevoegen.getByLabel('Gebruikers-id van de coach')).toHaveAccessibleDescription(/deze coach hoort al bij het team$/);
  await expect(page.locator('body')).not.toContainText('coach_al_in_team');

  await rij.getByRole('button', { name: `${nieuw} uit het team verwijderen` }).click();
  const vraag = page.getByRole('group', { name: `${nieuw} uit het team verwijderen?` });
  await expect(vraag).toBeFocused();
  await vraag.getByRole('button', { name: 'Ja, verwijderen' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${nieuw} is uit het team verwijderd.` })).toBeVisible();
  await expect(rij).toHaveCount(0);
  await expect(team.getByRole('row').filter({ hasText: 'org-am13-1-coach-1' })).toBeVisible();
});

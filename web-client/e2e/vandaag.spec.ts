// The coach's day with the keyboard alone: Vandaag is the start page, a trajectory opened from
// it gets its next action planned and shows it, back on Vandaag and in the week agenda it is
// there; what is due comes first under "Nu doen", most urgent first, and planning from a row
// puts the focus on the confirmation and refreshes the list. The trajectories are made through
// the API, each test its own.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dag, maakTraject, planActie, token, wijzig } from './api-hulp';
import { inloggen, tabNaar, uniekeNaam } from './hulp';
import { dagNaam, maandagVan } from '../src/datums';

/** Vandaag as the coach sees it: its two lists and a trajectory's row in them. */
function vandaagPagina(page: Page) {
  const nuDoen = page.getByRole('region', { name: /^Nu doen \(\d+\)$/ });
  const overige = page.getByRole('region', { name: /^Overige trajecten \(\d+\)$/ });
  return {
    nuDoen,
    overige,
    rij: (naam: string) => page.locator('li[data-traject]').filter({ has: page.getByRole('link', { name: naam, exact: true }) }),
    /** The names in "Nu doen", in their order. */
    namenNuDoen: () => nuDoen.locator('li[data-traject] .traject-dag-naam').allInnerTexts(),
  };
}

/**
 * Types `datum` into the focused date field with the keyboard, day first as in a Dutch browser;
 * where the browser orders the field month first, the month and day again in that order.
 */
async function typDatum(page: Page, veld: Locator, datum: string) {
  const [j, m, d] = datum.split('-');
  await expect(veld).toBeFocused();
  await page.keyboard.type(`${d}${m}${j}`);
  if ((await veld.inputValue()) !== datum) {
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type(`${m}${d}${j}`);
  }
  await expect(veld).toHaveValue(datum);
}

/** Opens the week that holds `datum` in the agenda with the keyboard (this week or a later one). */
async function naarWeekVan(page: Page, datum: string) {
  const weken = Math.round((Date.parse(maandagVan(datum)) - Date.parse(maandagVan(dag()))) / (7 * 86_400_000));
  for (let i = 0; i < weken; i++) {
    await tabNaar(page, page.getByRole('button', { name: 'Volgende week' }), 200);
    await page.keyboard.press('Enter');
  }
}

test('met alleen het toetsenbord: vanaf Vandaag een volgende actie plannen, en terugzien op Vandaag en in de agenda', async ({
  page,
  request,
}) => {
  const naam = uniekeNaam('Vera');
  await maakTraject(request, await token(request, 'coach'), { naam });
  const morgen = dag(1);

  await page.goto('/');
  await tabNaar(page, page.getByRole('button', { name: 'Demo coach', exact: true }));
  await page.keyboard.press('Enter');
  // A coach starts on Vandaag.
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeVisible();
  await expect(page).toHaveTitle('Vandaag – traject');
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link').first()).toHaveText('Vandaag');
  const vandaag = vandaagPagina(page);
  await expect(vandaag.overige.getByRole('link', { name: naam, exact: true })).toBeVisible();
  await expect(vandaag.rij(naam)).toContainText('Geen volgende actie gepland');

  // To the trajectory, and its next action planned from the status.
  await tabNaar(page, vandaag.overige.getByRole('link', { name: naam, exact: true }), 400);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Traject' })).toBeFocused();
  await expect(page.getByTestId('volgende-actie')).toHaveText('Geen volgende actie gepland');
  await tabNaar(page, page.getByRole('button', { name: 'Volgende actie plannen', exact: true }));
  await page.keyboard.press('Enter');
  const formulier = page.getByRole('form', { name: 'Volgende actie plannen' });
  await expect(formulier.getByRole('combobox', { name: 'Actie' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(formulier.getByRole('combobox', { name: 'Actie' })).toHaveValue('Werkplekbezoek');
  await page.keyboard.press('Tab');
  await typDatum(page, formulier.getByLabel('Datum van de actie'), morgen);
  await expect(formulier.getByLabel('Gepland op')).toHaveValue(dag());
  await tabNaar(page, formulier.getByRole('button', { name: 'Vastleggen' }));
  await page.keyboard.press('Enter');
  await expect(page.locator(':focus')).toContainText('Vastgelegd: volgende actie Werkplekbezoek op');
  await expect(page.getByTestId('volgende-actie')).toHaveText(`Werkplekbezoek, ${dagNaam(morgen, dag())} (morgen)`);
  const tijdlijn = page.getByRole('table', { name: /Alle gebeurtenissen/ });
  await expect(tijdlijn.getByRole('row').filter({ hasText: 'Volgende actie gepland' })).toContainText('actie: Werkplekbezoek');

  // Back to Vandaag: there it is, planned for tomorrow.
  await tabNaar(page, page.getByRole('link', { name: '← Vandaag' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Vandaag' })).toBeFocused();
  await expect(vandaag.overige.locator('li[data-traject]').filter({ hasText: naam })).toContainText(
    'Volgende actie: Werkplekbezoek, morgen',
  );

  // And in the week agenda, on tomorrow.
  await tabNaar(page, page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Weekagenda' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Weekagenda' })).toBeFocused();
  await expect(page).toHaveTitle('Weekagenda – traject');
  await naarWeekVan(page, morgen);
  const morgenDag = page.getByRole('region', { name: /^Morgen, / });
  await expect(morgenDag.getByRole('listitem').filter({ hasText: naam })).toContainText('Werkplekbezoek');
  await tabNaar(page, morgenDag.getByRole('link', { name: naam, exact: true }), 400);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Traject' })).toBeFocused();
  await expect(page.getByRole('link', { name: '← Weekagenda' })).toBeVisible();
});

test('wat vandaag moet staat onder Nu doen, het dringendste eerst; plannen vanaf Vandaag met het toetsenbord', async ({
  page,
  request,
}) => {
  const coach = await token(request, 'coach');
  const [wim, xander, yara, zoe] = ['Wim', 'Xander', 'Yara', 'Zoë'].map(uniekeNaam);
  // An action planned for today: due today.
  await planActie(request, coach, await maakTraject(request, coach, { naam: wim }), 'Gesprek', dag());
  // Taken in 26 days ago without an employer contact: the first is due in 4 days.
  await maakTraject(request, coach, { naam: xander, intakeDagenGeleden: 26 });
  // A fixed-term contract that ends in 10 days.
  let y = await maakTraject(request, coach, { naam: yara, intakeDagenGeleden: 10 });
  y = await wijzig(request, coach, y, dag(-9), 'werkgeverscontact', 'werkgever: "Bakkerij", persoonlijk: true');
  await wijzig(request, coach, y, dag(-8), 'plaatsingStarten', 'plaatsing: $p', {
    p: { werkgever: 'Bakkerij', functie: 'Bakker', urenPerWeek: 20, contract: 'Tijdelijk', einddatum: dag(10), betaald: true, regulier: true },
  }, ', $p: PlaatsingInvoer!');
  // Taken in 35 days ago without an employer contact: 5 days late.
  await maakTraject(request, coach, { naam: zoe, intakeDagenGeleden: 35 });

  await inloggen(page, 'coach');
  const vandaag = vandaagPagina(page);
  await expect(vandaag.nuDoen.getByRole('link', { name: wim, exact: true })).toBeVisible();
  await expect(vandaag.rij(wim)).toContainText('Gesprek met cliënt, gepland voor vandaag');
  await expect(vandaag.rij(xander)).toContainText(`Eerste werkgeverscontact uiterlijk ${dagNaam(dag(4), dag())}, nog 4 dagen`);
  await expect(vandaag.rij(yara)).toContainText(`Tijdelijk contract eindigt ${dagNaam(dag(10), dag())}, nog 10 dagen`);
  await expect(vandaag.rij(zoe)).toContainText('Eerste werkgeverscontact 5 dagen te laat');
  for (const naam of [wim, xander, yara, zoe]) await expect(vandaag.nuDoen.getByRole('link', { name: naam, exact: true })).toBeVisible();
  // Most urgent first: 5 days late, then due today, then due in 4 days, then ending in 10.
  const namen = await vandaag.namenNuDoen();
  const volgorde = [zoe, wim, xander, yara].map((n) => namen.indexOf(n));
  expect(volgorde).toEqual([...volgorde].sort((a, b) => a - b));

  // Planned from the row, with the keyboard: the confirmation takes the focus, the list follows.
  const over3 = dag(3);
  await tabNaar(page, page.getByRole('button', { name: `Volgende actie plannen voor ${wim}` }), 400);
  await page.keyboard.press('Enter');
  const formulier = vandaag.rij(wim).getByRole('form', { name: 'Volgende actie plannen' });
  await expect(formulier).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(formulier.getByRole('combobox', { name: 'Actie' })).toBeFocused();
  await page.keyboard.press('Tab');
  await typDatum(page, formulier.getByLabel('Datum van de actie'), over3);
  await tabNaar(page, formulier.getByRole('button', { name: 'Vastleggen' }));
  await page.keyboard.press('Enter');
  await expect(page.locator(':focus')).toHaveText(`Volgende actie voor ${wim} gepland: Gesprek met cliënt, ${dagNaam(over3, dag())}.`);
  await expect(vandaag.nuDoen.getByRole('link', { name: wim, exact: true })).toHaveCount(0);
  await expect(vandaag.overige.locator('li[data-traject]').filter({ hasText: wim })).toContainText(
    `Volgende actie: Gesprek met cliënt, ${dagNaam(over3, dag())}`,
  );

  // In the agenda on its day.
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Weekagenda' }).click();
  await naarWeekVan(page, over3);
  const dagVan = page.getByRole('region', { name: new RegExp(`${dagNaam(over3, dag(), true).split(' ').slice(1).join(' ')}$`) });
  await expect(dagVan.getByRole('listitem').filter({ hasText: wim })).toContainText('Gesprek met cliënt');
});

test('een actie die te laat is, staat in de agenda boven vandaag', async ({ page, request }) => {
  const coach = await token(request, 'coach');
  const naam = uniekeNaam('Ilse');
  // Planned two days ago for yesterday, and not done.
  const t = await maakTraject(request, coach, { naam, intakeDagenGeleden: 5 });
  await wijzig(request, coach, t, dag(-2), 'actiePlannen', `actie: Evaluatie, op: "${dag(-1)}"`);

  await inloggen(page, 'coach', '/agenda');
  await expect(page.getByRole('heading', { level: 1, name: 'Weekagenda' })).toBeVisible();
  const teLaat = page.getByRole('region', { name: /^Te laat \(\d+\)$/ });
  await expect(teLaat.getByRole('listitem').filter({ hasText: naam })).toContainText('Evaluatie');
  await expect(teLaat.getByRole('listitem').filter({ hasText: naam })).toContainText('(1 dag te laat)');
  // The overdue come right before today.
  const koppen = await page.getByRole('heading', { level: 2 }).allInnerTexts();
  expect(koppen.indexOf(koppen.find((k) => k.startsWith('Vandaag, '))!)).toBe(koppen.findIndex((k) => k.startsWith('Te laat')) + 1);

  await page.getByRole('link', { name: 'Vandaag', exact: true }).click();
  await expect(vandaagPagina(page).rij(naam)).toContainText('Evaluatie, 1 dag te laat');
});

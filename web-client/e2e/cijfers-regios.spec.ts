// The figures of landelijk: the regions of one quarter side by side, readable with the keyboard;
// the median days from intake to the first employer contact and the closings per reason on
// screen, each chart with its table; hidden values only as `verborgen`; no code on screen.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { geenCodesOpHetScherm, inloggen } from './hulp';

/** A shown value: a number in Dutch notation, the hidden marker, or a dash for none. */
const WAARDE = /^(\d{1,3}(\.\d{3})*(,\d)?|verborgen|–)$/;

async function elkeWaarde(tabel: Locator) {
  const cellen = await tabel.getByRole('cell').allTextContents();
  expect(cellen.length).toBeGreaterThan(0);
  for (const c of cellen) expect(c.trim()).toMatch(WAARDE);
}

async function geenCodes(page: Page) {
  await geenCodesOpHetScherm(page);
  const tekst = await page.locator('body').innerText();
  expect(tekst).not.toMatch(/\b\d{4}Q[1-4]\b|storepositie|duurzaam-v\d|WerkAlsBesteZorg/i);
  // A hidden bar says `verborgen` too, never a question mark.
  for (const svg of await page.locator('main svg').allTextContents()) expect(svg).not.toContain('?');
}

test('landelijk ziet de regio’s naast elkaar en de twee nieuwe maten', async ({ page }) => {
  await inloggen(page, 'landelijk');
  await expect(page.getByRole('heading', { level: 1, name: 'Cijfers' })).toBeVisible();

  // The regions side by side: a row per region and the national row last.
  await expect(page.getByRole('heading', { level: 2, name: "Regio's naast elkaar" })).toBeVisible();
  const vergelijk = page.getByRole('form', { name: "Regio's vergelijken" });
  const kwartaal = vergelijk.getByRole('combobox', { name: 'Kwartaal' });
  const gekozen = (await kwartaal.locator('option:checked').textContent())!;
  expect(gekozen).toMatch(/^[1-4]e kwartaal \d{4}$/);
  const regios = page.getByRole('table', { name: `Gestart (intake afgerond) per regio, ${gekozen}` });
  await expect(regios).toBeVisible();
  await expect(regios.getByRole('columnheader')).toHaveText(['Regio', 'IPS', 'Jobcoaching', 'Werk als beste zorg', 'Alle methoden']);
  const rijkoppen = regios.getByRole('rowheader');
  expect(await rijkoppen.count()).toBeGreaterThan(30);
  await expect(rijkoppen.last()).toHaveText('Nederland');
  await expect(regios.getByRole('rowheader', { name: 'Midden-Utrecht (AM13)' })).toBeVisible();
  await elkeWaarde(regios);

  // Another measure and quarter, with the keyboard alone: the median among the measures.
  const maat = vergelijk.getByRole('combobox', { name: 'Maat' });
  await maat.focus();
  await page.keyboard.press('End');
  await expect(maat.locator('option:checked')).toHaveText('Dagen van intake tot eerste werkgeverscontact (mediaan)');
  const mediaanRegios = page.getByRole('table', {
    name: `Dagen van intake tot eerste werkgeverscontact (mediaan) per regio, ${gekozen}`,
  });
  await expect(mediaanRegios).toBeVisible();
  await elkeWaarde(mediaanRegios);
  await kwartaal.focus();
  await page.keyboard.press('Home');
  const eerste = (await kwartaal.locator('option:checked').textContent())!;
  await expect(page.getByRole('table', { name: `Dagen van intake tot eerste werkgeverscontact (mediaan) per regio, ${eerste}` })).toBeVisible();
  // The table scrolls in a region of its own that the keyboard reaches.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('region', { name: /per regio/ })).toBeFocused();

  // The median days to the first employer contact, for the nation: chart and table.
  await expect(page.getByRole('heading', { level: 2, name: 'Dagen van intake tot eerste werkgeverscontact: Nederland' })).toBeVisible();
  await expect(page.getByText('IPS vraagt ten hoogste 30 dagen.', { exact: false })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Mediaan dagen tot eerste werkgeverscontact per kwartaal, Nederland/ })).toBeVisible();
  const mediaan = page.getByRole('table', { name: 'Mediaan dagen van intake tot eerste werkgeverscontact per kwartaal en methode, Nederland' });
  await expect(mediaan.getByRole('columnheader')).toHaveText(['Kwartaal', 'IPS', 'Jobcoaching', 'Werk als beste zorg', 'Alle methoden']);
  await elkeWaarde(mediaan);

  // The closings per reason.
  const redenen = page.getByRole('table', { name: 'Afgesloten trajecten per kwartaal en reden, Nederland' });
  await expect(redenen.getByRole('columnheader')).toHaveText([
    'Kwartaal',
    'Afgesloten',
    'Duurzaam aan het werk',
    'Uitval',
    'Andere reden (verhuisd, geen werkwens, overleden, anders)',
  ]);
  await elkeWaarde(redenen);

  // Hidden values say only that they are hidden, in tables and in charts alike.
  for (const cel of await page.locator('.traject-verborgen-waarde').all()) await expect(cel).toHaveText(/^verborgen$/);
  await geenCodes(page);
});

test('een regio ziet de nieuwe maten van de eigen regio, zonder vergelijking', async ({ page }) => {
  await inloggen(page, 'regio');
  await expect(page.getByRole('table', { name: /^Mediaan dagen van intake tot eerste werkgeverscontact per kwartaal en methode, / })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Afgesloten trajecten per kwartaal en reden, / })).toBeVisible();
  await expect(page.getByRole('form', { name: "Regio's vergelijken" })).toHaveCount(0);
  await geenCodes(page);
});

// The quality report: a regio user reads their region's released report (header with release,
// policy version, threshold and rules; per group a table and a chart; the cohorts as one table;
// hidden values only as `verborgen`) with the keyboard and without an axe violation; the CSV
// download holds the numbers the screen shows; a teamleider is told that the organisation's own
// values are unprotected; landelijk chooses a region and is told why a release is refused; a
// coach neither sees the screen nor gets the data; printed, it is the report without the menu,
// with its header, and Chromium makes a PDF of it.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { graphql, token } from './api-hulp';
import { geenCodesOpHetScherm, geenToegankelijkheidsfouten, geenZijwaartsScrollen, inloggen, tabNaar } from './hulp';
import { leesCsv } from './bestanden';

// The demo releases the reports in the background after the server starts.
test.beforeAll(async ({ playwright }, testInfo) => {
  testInfo.setTimeout(180_000);
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  const regio = await token(request, 'regio');
  await expect
    .poll(async () => ((await graphql(request, regio, '{ kwaliteitsrapporten }')).kwaliteitsrapporten as string[]).length, {
      message: 'the demo released a quality report (else the server logs "demo data: vrijgeven failed")',
      timeout: 170_000,
      intervals: [2_000],
    })
    .toBeGreaterThan(0);
  await request.dispose();
});

async function openRapport(page: Page, rol: 'regio' | 'teamleider' | 'landelijk') {
  await inloggen(page, rol);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Kwaliteitsrapport' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kwaliteitsrapport' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport / })).toBeVisible();
}

/** A value as the screen shows it, read back: a number, a share with its numerator and denominator, or a word. */
interface Gelezen {
  status: string;
  waarde?: number;
  teller?: number;
  noemer?: number;
}

function leesScherm(tekst: string): Gelezen {
  const t = tekst.trim();
  if (t === 'verborgen') return { status: 'verborgen' };
  if (t === 'nog niet bekend') return { status: 'nog_niet_bekend' };
  if (t === 'geen') return { status: 'geen' };
  const getal = (s: string) => Number(s.replace(/\./g, '').replace(',', '.'));
  const aandeel = /^(\d+)% (\d[\d.]*) van (\d[\d.]*)$/.exec(t);
  if (aandeel) return { status: 'getoond', waarde: Number(aandeel[1]), teller: getal(aandeel[2]), noemer: getal(aandeel[3]) };
  if (/^\d[\d.]*(,\d)?$/.test(t)) return { status: 'getoond', waarde: getal(t) };
  throw new Error(`onbekende waarde op het scherm: ${t}`);
}

function uitCsv(rij: Record<string, string>, wie: 'eigen' | 'landelijk'): Gelezen {
  const status = rij[`${wie}_status`];
  if (status !== 'getoond') return { status };
  const waarde = Number(rij[`${wie}_waarde`]);
  if (rij.soort === 'aandeel') {
    // The percentage from the numerator and denominator (the file's share has four decimals).
    const teller = Number(rij[`${wie}_teller`]);
    const noemer = Number(rij[`${wie}_noemer`]);
    return { status, waarde: Math.round((teller / noemer) * 100), teller, noemer };
  }
  return { status, waarde: rij.soort === 'mediaan' ? Math.round(waarde * 10) / 10 : waarde };
}

async function download(page: Page, knop: string) {
  const wacht = page.waitForEvent('download', { timeout: 20_000 });
  await page.getByRole('button', { name: knop }).click();
  const bestand = await wacht;
  return { naam: bestand.suggestedFilename(), inhoud: readFileSync((await bestand.path())!) };
}

const celTekst = async (rij: Locator) => (await rij.getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

test('regio ziet het rapport van de eigen regio: kop, tabellen, grafieken en verborgen cellen', async ({ page }) => {
  await openRapport(page, 'regio');
  const kop = page.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport / });
  await expect(kop).toHaveText(/: AM\d\d /);
  // The header: the period, the release, the peildatum, the policy version, the threshold and the rules.
  const gegevens = page.locator('.traject-rapport-kop dl');
  for (const term of ['Onderwerp', 'Periode', 'Vrijgave', 'Peildatum', 'Beleid', 'Drempel']) {
    await expect(gegevens.getByText(term, { exact: true })).toBeVisible();
  }
  await expect(gegevens).toContainText(/vrijgave \d+/);
  await expect(gegevens).toContainText('duurzaambeleid versie');
  await expect(gegevens).toContainText(/T = \d+: aantallen van 1 tot \d+ zijn verborgen/);
  await expect(page.getByRole('heading', { level: 3, name: 'Regels' })).toBeVisible();
  await expect(page.getByText(/^De regionale en landelijke waarden komen uit een vrijgave/)).toBeVisible();
  await expect(page.getByText('Alleen voor intern gebruik.')).toHaveCount(0);

  // A table per group, its chart beside it with a text alternative.
  for (const groep of ['Instroom', 'Werkgeverscontact', 'Caseload', 'Plaatsingen', 'Afsluitingen']) {
    await expect(page.getByRole('heading', { level: 2, name: groep, exact: true })).toBeVisible();
    const tabel = page.getByRole('table', { name: new RegExp(`^${groep}: AM\\d\\d .* naast Nederland en de regio's$`) });
    const koppen = await tabel.getByRole('columnheader').allInnerTexts();
    expect(koppen.slice(0, 4)).toEqual(['Cijfer', expect.stringMatching(/^AM\d\d /), 'Nederland', "Mediaan regio's"]);
    expect(koppen.slice(4)).toEqual(koppen.length > 4 ? ['Norm'] : []);
    await expect(page.getByRole('img', { name: new RegExp(`^${groep}: .*; dezelfde getallen staan in de tabel$`) })).toBeVisible();
  }
  // Every value cell is a number, a share with its numerator and denominator, or a word; never a code.
  const instroom = page.getByRole('table', { name: /^Instroom:/ });
  for (const rij of await instroom.locator('tbody tr').all()) {
    const [eigen, landelijk] = await celTekst(rij);
    leesScherm(eigen);
    leesScherm(landelijk);
  }
  // Hidden values: only the marker, never a zero, never why.
  const verborgen = page.locator('.traject-verborgen-waarde');
  expect(await verborgen.count()).toBeGreaterThan(0);
  for (const cel of await verborgen.all()) await expect(cel).toHaveText(/^verborgen$/);
  // The cohorts as one table: a row group per intake quarter, a column per horizon.
  const cohorten = page.getByRole('table', { name: /^Cohorten naar kwartaal van intake/ });
  await expect(cohorten.getByRole('columnheader')).toHaveText([
    'Kwartaal van intake',
    'Waarde van',
    'Intakes',
    'Aan het werk binnen 6 maanden',
    'Aan het werk binnen 12 maanden',
    'Aan het werk binnen 18 maanden',
    'Duurzaam binnen 6 maanden',
    'Duurzaam binnen 12 maanden',
    'Duurzaam binnen 18 maanden',
  ]);
  await expect(cohorten.locator('tbody')).toHaveCount(8);
  await expect(cohorten.getByRole('rowheader', { name: /^[1-4]e kwartaal \d{4}$/ })).toHaveCount(8);
  await expect(cohorten.getByText('nog niet bekend').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /^Aan het werk binnen 6 maanden, per kwartaal van intake/ })).toBeVisible();
  // Another horizon in the chart, with the keyboard.
  const grafiek = page.getByRole('combobox', { name: 'In de grafiek' });
  await grafiek.focus();
  await page.keyboard.press('End');
  await expect(page.getByRole('img', { name: /^Duurzaam binnen 18 maanden, per kwartaal van intake/ })).toBeVisible();

  await geenCodesOpHetScherm(page);
  await geenToegankelijkheidsfouten(page);
  // The tables scroll in regions of their own that the keyboard reaches.
  await page.getByRole('combobox', { name: 'Rapport', exact: true }).focus();
  await tabNaar(page, page.getByRole('region', { name: /^Instroom:/ }));
});

test('de CSV bevat de getallen die het scherm toont', async ({ page }) => {
  await openRapport(page, 'regio');
  const csv = await download(page, "CSV met komma's");
  expect(csv.naam).toMatch(/^kwaliteitsrapport-AM\d\d-\d{4}Q[1-4]-vrijgave\d+\.csv$/);
  const tekst = csv.inhoud.toString('utf8');
  // The header of the file names the subject and the rules the screen names.
  const onderwerp = (await page.locator('.traject-rapport-kop dd').first().innerText()).trim();
  expect(tekst).toContain(`# onderwerp: ${onderwerp}`);
  expect(tekst).toMatch(/^# regels: De regionale en landelijke waarden/m);
  const { rijen } = leesCsv(tekst);
  expect(Object.keys(rijen[0]).slice(0, 13)).toEqual([
    'groep',
    'code',
    'omschrijving',
    'soort',
    'norm',
    'eigen_status',
    'eigen_waarde',
    'eigen_teller',
    'eigen_noemer',
    'landelijk_status',
    'landelijk_waarde',
    'landelijk_teller',
    'landelijk_noemer',
  ]);

  // Every row of a few groups: the region's value, the national one and the median of the regions.
  let getoond = 0;
  for (const groep of ['Instroom', 'Caseload', 'Plaatsingen', 'Afsluitingen']) {
    const tabel = page.getByRole('table', { name: new RegExp(`^${groep}:`) });
    const schermRijen = await tabel.locator('tbody tr').all();
    expect(schermRijen.length).toBe(rijen.filter((r) => r.groep === groep).length);
    for (const rij of schermRijen) {
      const omschrijving = (await rij.getByRole('rowheader').innerText()).trim();
      const bestand = rijen.find((r) => r.groep === groep && r.omschrijving === omschrijving);
      expect(bestand, `${groep}: ${omschrijving} staat in de CSV`).toBeDefined();
      const [eigen, landelijk, regios] = await celTekst(rij);
      expect(leesScherm(eigen), `${omschrijving}, eigen`).toEqual(uitCsv(bestand!, 'eigen'));
      expect(leesScherm(landelijk), `${omschrijving}, Nederland`).toEqual(uitCsv(bestand!, 'landelijk'));
      if (bestand!.mediaan_regios === '') expect(regios).toMatch(/^–/);
      else {
        const m = Number(bestand!.mediaan_regios);
        const waarde = bestand!.soort === 'aandeel' ? `${Math.round(m * 100)}%` : m.toLocaleString('nl-NL', { maximumFractionDigits: 1 });
        expect(regios).toBe(`${waarde} over ${bestand!.regios_met_waarde} regio${bestand!.regios_met_waarde === '1' ? '' : "'s"}`);
      }
      for (const wie of ['eigen', 'landelijk'] as const) if (uitCsv(bestand!, wie).status === 'getoond') getoond++;
    }
  }
  // Not only hidden values were compared.
  expect(getoond).toBeGreaterThan(2);

  // The other formats: CSV for Dutch Excel and XLSX.
  const nl = await download(page, 'CSV voor Excel');
  expect(nl.naam).toMatch(/\.csv$/);
  expect([...nl.inhoud.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(nl.inhoud.toString('utf8')).toContain('groep;code;omschrijving;soort;norm;eigen_status');
  const xlsx = await download(page, 'Excel (XLSX)');
  expect(xlsx.naam).toMatch(/^kwaliteitsrapport-AM\d\d-\d{4}Q[1-4]-vrijgave\d+\.xlsx$/);
  expect(xlsx.inhoud.subarray(0, 2).toString('latin1')).toBe('PK');
});

test('een teamleider leest dat de eigen waarden onbeschermd en alleen voor intern gebruik zijn', async ({ page }) => {
  await openRapport(page, 'teamleider');
  const melding = page.getByRole('alert');
  await expect(melding).toContainText('Alleen voor intern gebruik.');
  await expect(melding).toContainText('niet beschermd');
  await expect(page.getByRole('table', { name: "Instroom: Eigen organisatie naast Nederland en de regio's" })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Regio' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Rapport vrijgeven' })).toHaveCount(0);
  await geenToegankelijkheidsfouten(page);
});

test('landelijk kiest een regio en leest waarom een vrijgave geweigerd wordt', async ({ page }) => {
  await openRapport(page, 'landelijk');
  await expect(page.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport .*: Nederland$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: "Instroom: Nederland naast de regio's" })).toBeVisible();
  await page.getByRole('combobox', { name: 'Regio', exact: true }).selectOption({ label: 'Midden-Utrecht (AM13)' });
  await expect(page.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport .*: AM13 Midden-Utrecht$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: "Instroom: AM13 Midden-Utrecht naast Nederland en de regio's" })).toBeVisible();

  // The current quarter has not closed: its figures, and so the report, cannot be released.
  const formulier = page.getByRole('form', { name: 'Rapport vrijgeven' });
  await formulier.getByLabel('Rapport om vrij te geven').selectOption({ index: 1 });
  await formulier.getByRole('button', { name: 'Vrijgeven' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Vrijgeven lukte niet.' })).toContainText('Eerst moeten deze kwartalen worden vrijgegeven');
  await geenCodesOpHetScherm(page, ['kwartalen_niet_vrijgegeven']);
  await geenToegankelijkheidsfouten(page);
});

test('op 320 px breed scrolt de pagina niet zijwaarts; een tabel scrolt in zijn eigen gebied', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await openRapport(page, 'landelijk');
  await expect(page.getByRole('table', { name: /^Cohorten naar kwartaal van intake/ })).toBeVisible();
  await geenZijwaartsScrollen(page, 'Kwaliteitsrapport');
  await geenToegankelijkheidsfouten(page);
});

test('een coach ziet het rapport niet en krijgt geen gegevens', async ({ page, request }) => {
  await inloggen(page, 'coach');
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Kwaliteitsrapport' })).toHaveCount(0);
  await page.goto('/kwaliteit');
  await expect(page.getByRole('heading', { level: 1, name: 'Geen toegang' })).toBeVisible();

  const coach = await token(request, 'coach');
  for (const query of ['{ kwaliteitsrapporten }', '{ kwaliteitsrapport(kwartaal: "2025") { onderwerp } }']) {
    const antwoord = await request.post('/graphql', {
      headers: { authorization: `Bearer ${coach}`, 'content-type': 'application/json' },
      data: { query },
    });
    const body = (await antwoord.json()) as { data: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    expect(body.data).toBeNull();
  }
  const bestand = await request.get('/export/kwaliteit?kwartaal=2025&formaat=csv', { headers: { authorization: `Bearer ${coach}` } });
  expect(bestand.status()).toBe(403);
});

test('afgedrukt: het rapport zonder menu en knoppen, met de kop, de vrijgave en de regels; een PDF', async ({ page }) => {
  await openRapport(page, 'regio');
  await expect(page.getByRole('button', { name: 'Afdrukken / PDF' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Afdrukken / PDF' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'CSV voor Excel' })).toBeHidden();
  await expect(page.getByRole('form', { name: 'Rapport kiezen' })).toBeHidden();
  await expect(page.getByRole('form', { name: 'Grafiek van de cohorten' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport .*: AM\d\d / })).toBeVisible();
  await expect(page.getByText(/^Afgedrukt op \d{1,2} \w{3} \d{4} uit traject\.$/)).toBeVisible();
  const gegevens = page.locator('.traject-rapport-kop dl');
  await expect(gegevens).toBeVisible();
  await expect(gegevens).toContainText(/Vrijgave\s*vrijgave \d+/);
  await expect(gegevens).toContainText(/Peildatum\s*\d{1,2} \w{3} \d{4}/);
  await expect(gegevens).toContainText('duurzaambeleid versie');
  await expect(page.getByRole('heading', { level: 3, name: 'Regels' })).toBeVisible();
  await expect(page.getByText(/^De regionale en landelijke waarden komen uit een vrijgave/)).toBeVisible();
  await expect(page.getByRole('table', { name: /^Cohorten naar kwartaal van intake/ })).toBeVisible();

  // Chromium prints it to a PDF on A4: several pages, nothing saved.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  const paginas = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(paginas.length).toBeGreaterThan(1);
  // A4 portrait: 595 by 842 points.
  const [, breed, hoog] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/.exec(pdf.toString('latin1')) ?? [];
  expect(Math.abs(Number(breed) - 595)).toBeLessThan(3);
  expect(Math.abs(Number(hoog) - 842)).toBeLessThan(3);
});

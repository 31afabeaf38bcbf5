// The societal business case: a regio user reads their region's case (header with the release,
// policy version, threshold, assumptions' version and care-cost source, rules and date; per party
// and scenario a table in euros; the charts with their tables) with the keyboard and without an
// axe violation; a what-if recomputes as the user types, is marked as a what-if with what
// changed, and writes nothing (no answer carries a store position, and the released case stays
// as it was); bad input is refused by the form itself or by the server,
// which names the field and the rule; the CSV holds the numbers the screen shows; landelijk
// chooses a region and the nation; a coach neither sees the screen nor gets the data; printed,
// it is the case without menu, buttons and fields, and Chromium makes a PDF of it with its
// header; at 320 px the page does not scroll sideways. The demo data of these tests is too small
// for any case to be shown, so the tests add trajectories to a year before the demo's data and
// release it themselves. That the store position stays where it was is checked over HTTP on a
// quiet server (tests/tests/e2e/businesscase.rs); here the demo writes its releases meanwhile.
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { graphql, token, wijzig, type ApiTraject } from './api-hulp';
import { leesCsv, pdfOverzicht } from './bestanden';
import { geenCodesOpHetScherm, geenToegankelijkheidsfouten, geenZijwaartsScrollen, inloggen, tabNaar } from './hulp';

/**
 * The year of the case: eleven years back, before the demo's ten years of data, so the demo
 * never releases it and these tests release it themselves, whenever they run.
 */
const jaar = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric' }).format(new Date())) - 11;

/** The released years, newest first. */
async function vrijgegevenJaren(request: APIRequestContext): Promise<number[]> {
  const data = (await graphql(request, await token(request, 'regio'), '{ businesscaseVrijgaven { jaar } }')) as { businesscaseVrijgaven: { jaar: number }[] };
  return data.businesscaseVrijgaven.map((v) => v.jaar);
}

const METHODEN = ['IPS', 'Jobcoaching', 'WerkAlsBesteZorg'];

/**
 * Trajectories of the demo coach in `jaar`: per method ten, taken in early that year with a
 * paid job from March on and closed the next January (before the demo's data, so the other
 * tests do not see them), so that every method has at least the threshold of trajectories,
 * clients with work and clients in work at the year's end. The small demo data of
 * these tests has too few for any case to be shown, even the nation's.
 */
async function maakTrajectenIn(request: APIRequestContext, jaar: number) {
  const coach = await token(request, 'coach');
  const ik = ((await graphql(request, coach, '{ me { organisatie regio } }')) as { me: { organisatie: string; regio: string } }).me;
  for (const methode of METHODEN) {
    for (let i = 10; i < 20; i++) {
      const aangemeld = (
        (await graphql(request, coach, 'mutation($invoer: AanmeldenInvoer!) { aanmelden(invoer: $invoer) { revisie traject { id } } }', {
          invoer: { datum: `${jaar}-02-${i}`, methode, regio: ik.regio, organisatie: ik.organisatie, verwijzer: 'GGZ', financier: 'Gemeente' },
        })) as { aanmelden: { revisie: number; traject: { id: string } } }
      ).aanmelden;
      let traject: ApiTraject = { id: aangemeld.traject.id, revisie: aangemeld.revisie };
      traject = await wijzig(request, coach, traject, `${jaar}-02-${i}`, 'intakeAfronden', 'uitkering: Participatiewet, inGgzBehandeling: true');
      traject = await wijzig(request, coach, traject, `${jaar}-03-${i}`, 'plaatsingStarten', 'plaatsing: $plaatsing', {
        plaatsing: { werkgever: 'Bakkerij De Korenschoof', functie: 'Bakker', urenPerWeek: 20, contract: 'Vast', betaald: true, regulier: true },
      }, ', $plaatsing: PlaatsingInvoer!');
      await wijzig(request, coach, traject, `${jaar + 1}-01-15`, 'afsluiten', 'reden: Anders');
    }
  }
}

/** Releases `jaar` as landelijk: the rule that refused it, if any. */
async function vrijgeven(request: APIRequestContext, jaar: number): Promise<string | undefined> {
  const antwoord = await request.post('/graphql', {
    headers: { authorization: `Bearer ${await token(request, 'landelijk')}`, 'content-type': 'application/json' },
    data: { query: 'mutation($jaar: Int!) { businesscaseVrijgeven(jaar: $jaar) { nummer } }', variables: { jaar } },
  });
  const body = (await antwoord.json()) as { errors?: { message: string; extensions?: { regel?: string } }[] };
  return body.errors ? (body.errors[0].extensions?.regel ?? body.errors[0].message) : undefined;
}

// A year's counts are released once, and the demo data of these tests is too small for any
// case to be shown: the year before the demo's data gets this test's trajectories and is
// released here, once per server.
test.beforeAll(async ({ playwright }, testInfo) => {
  testInfo.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  if (!(await vrijgegevenJaren(request)).includes(jaar)) {
    await maakTrajectenIn(request, jaar);
    expect(await vrijgeven(request, jaar), `the release of ${jaar}`).toBeUndefined();
  }
  await request.dispose();
});

/** The Businesscase screen as a page object: its parts by role and name. */
class Scherm {
  constructor(readonly page: Page) {}
  kop = () => this.page.getByRole('heading', { level: 2, name: /^Businesscase \d{4}: / });
  gegevens = () => this.page.locator('.traject-rapport-kop dl');
  partijTabel = () => this.page.getByRole('table', { name: /^Kosten, baten, netto en break-even per partij en scenario/ });
  /** The cells (kosten, baten, netto, break-even) of a party's row in a scenario. */
  async rij(partij: string, scenario: string): Promise<string[]> {
    const rij = this.partijTabel().locator(`tbody[data-partij="${partij}"] tr[data-scenario="${scenario}"]`);
    return (await rij.getByRole('cell').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }
  watAls = () => this.page.getByRole('form', { name: 'Wat als' });
  groep = (naam: string) => this.watAls().getByRole('group', { name: naam, exact: true });
  async openWatAls() {
    await this.page.getByRole('button', { name: 'Wat-als invullen' }).click();
    await expect(this.watAls()).toBeVisible();
  }
  async download(knop: string) {
    const wacht = this.page.waitForEvent('download', { timeout: 20_000 });
    await this.page.getByRole('button', { name: knop }).click();
    const bestand = await wacht;
    return { naam: bestand.suggestedFilename(), inhoud: readFileSync((await bestand.path())!) };
  }
}

async function openBusinesscase(page: Page, rol: 'regio' | 'landelijk') {
  await inloggen(page, rol);
  await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Businesscase' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Businesscase' })).toBeVisible();
  const scherm = new Scherm(page);
  // The newest released year first (the demo's, which its small data cannot show); then this one.
  await page.getByRole('combobox', { name: 'Jaar', exact: true }).selectOption(String(jaar));
  await expect(scherm.kop()).toHaveText(new RegExp(`^Businesscase ${jaar}: `));
  return scherm;
}

/** An amount as the screen writes it (`€ -12.345`), as a number. */
function euro(tekst: string): number {
  const m = /^€\s?(-?[\d.]+)$/.exec(tekst.replace(/\u00a0/g, ' ').trim());
  if (!m) throw new Error(`geen bedrag: ${tekst}`);
  return Number(m[1].replace(/\./g, ''));
}

/** A break-even as the screen writes it (`feb 2026 (maand 14)`), as the month's number or ''. */
function maand(tekst: string): string {
  if (tekst === 'niet binnen de horizon') return '';
  const m = /^\w{3} \d{4} \(maand (\d+)\)$/.exec(tekst);
  if (!m) throw new Error(`geen break-even: ${tekst}`);
  return m[1];
}

const CASUS = `query($jaar: Int!, $regio: String) { businesscase(jaar: $jaar, regio: $regio) {
  onderwerp regio landelijkeTellingen schattingen aannamesVersie
  vrijgave { jaar nummer storePositie }
  uitkomsten { scenario horizonJaren totaal { kosten baten netto breakEvenMaand } }
} }`;

interface ApiCasus {
  onderwerp: string;
  regio: string;
  landelijkeTellingen: boolean;
  schattingen: string[];
  aannamesVersie: string;
  vrijgave: { jaar: number; nummer: number; storePositie: number };
  uitkomsten: { scenario: string; horizonJaren: number; totaal: { kosten: number; baten: number; netto: number; breakEvenMaand: number | null } }[];
}

async function vrijgegevenCasus(request: APIRequestContext, rol: string, regio: string | null = null): Promise<ApiCasus> {
  return ((await graphql(request, await token(request, rol), CASUS, { jaar, regio })) as { businesscase: ApiCasus }).businesscase;
}

const PARTIJEN = ['gemeente', 'UWV', 'zorgverzekeraar', 'GGZ-aanbieder', 'werkgever', 'Rijk', 'overig', 'totaal'];
const SCENARIOS = ['laag', 'midden', 'hoog'];

test('regio ziet de businesscase van de eigen regio: kop, tabellen en grafieken', async ({ page, request }) => {
  const api = await vrijgegevenCasus(request, 'regio');
  const scherm = await openBusinesscase(page, 'regio');
  await expect(scherm.kop()).toHaveText(`Businesscase ${jaar}: ${api.onderwerp}`);
  expect(api.regio).toMatch(/^AM\d\d$/);
  // The header: release, peildatum, policy, threshold, the trajectories, the assumptions' version and source, the date.
  const gegevens = scherm.gegevens();
  for (const term of ['Onderwerp', 'Jaar', 'Vrijgave', 'Peildatum', 'Beleid', 'Drempel', 'Trajecten', 'Aannames', 'Bron zorgkosten', 'Datum']) {
    await expect(gegevens.getByText(term, { exact: true })).toBeVisible();
  }
  await expect(gegevens).toContainText(new RegExp(`vrijgave ${api.vrijgave.nummer} .*van de tellingen van ${jaar}`));
  await expect(gegevens).toContainText('duurzaambeleid versie');
  await expect(gegevens).toContainText(/T = \d+/);
  await expect(gegevens).toContainText(`versie ${api.aannamesVersie}`);
  await expect(gegevens).toContainText('Erasmus Universiteit Rotterdam');
  await expect(page.getByRole('heading', { level: 3, name: 'Regels' })).toBeVisible();
  await expect(page.getByText(/^Alle bedragen zijn aantallen en duren uit een vrijgave/)).toBeVisible();
  // The nation's counts standing in, and the estimates, as the server says.
  const landelijk = page.getByRole('alert').filter({ hasText: 'Landelijke tellingen.' });
  if (api.landelijkeTellingen) await expect(landelijk).toContainText('De tellingen van deze regio zijn te klein om te tonen.');
  else await expect(landelijk).toHaveCount(0);
  for (const s of api.schattingen) await expect(page.getByRole('list', { name: 'Schattingen' }).getByText(s)).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'Schattingen' })).toHaveCount(api.schattingen.length > 0 ? 1 : 0);

  // Per party and scenario, in euros; all parties together as the API has them.
  const tabel = scherm.partijTabel();
  await expect(tabel.getByRole('columnheader')).toHaveText(['Partij', 'Scenario', 'Kosten', 'Baten', 'Netto', 'Break-even']);
  await expect(tabel.locator('tbody')).toHaveCount(8);
  const horizon = Number(await page.getByRole('combobox', { name: 'Horizon', exact: true }).inputValue());
  expect(horizon).toBe(Math.max(...api.uitkomsten.map((u) => u.horizonJaren)));
  for (const s of SCENARIOS) {
    const [kosten, baten, netto, breakEven] = await scherm.rij('totaal', s);
    const totaal = api.uitkomsten.find((u) => u.scenario === s && u.horizonJaren === horizon)!.totaal;
    expect(euro(kosten)).toBe(Math.round(totaal.kosten));
    expect(euro(baten)).toBe(Math.round(totaal.baten));
    expect(euro(netto)).toBe(Math.round(totaal.netto));
    expect(maand(breakEven)).toBe(totaal.breakEvenMaand === null ? '' : String(totaal.breakEvenMaand));
  }
  expect(euro((await scherm.rij('totaal', 'midden'))[0])).toBeGreaterThan(0);

  // The charts, each with a text alternative and a table beside it.
  await expect(page.getByRole('img', { name: /^Kosten en baten per partij, scenario midden, over \d+ jaar: .*; dezelfde getallen staan in de tabel$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Kosten en baten per partij, scenario midden/ }).locator('tbody tr')).toHaveCount(8);
  await expect(page.getByRole('img', { name: /^Cumulatief netto resultaat van alle partijen per maand, over \d+ jaar: .*; dezelfde getallen staan in de tabel$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /^Cumulatief netto resultaat aan het eind van elk (kwartaal|jaar)/ }).locator('tbody tr')).toHaveCount(
    horizon <= 2 ? horizon * 4 : horizon,
  );
  await expect(page.getByRole('table', { name: /^Netto resultaat van alle partijen samen per horizon en scenario/ })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Regio' })).toHaveCount(0);

  await geenCodesOpHetScherm(page);
  await geenToegankelijkheidsfouten(page);
  // With the keyboard: another horizon, and the table's own scroll region.
  const keuze = page.getByRole('combobox', { name: 'Horizon' });
  await keuze.focus();
  await page.keyboard.press('Home');
  await expect(page.getByRole('heading', { level: 2, name: /^Kosten en baten per partij, over 1 jaar$/ })).toBeVisible();
  await tabNaar(page, page.getByRole('region', { name: /^Kosten, baten, netto en break-even per partij en scenario, over 1 jaar/ }));
});

test('een wat-als rekent meteen, zegt dat het een wat-als is en wat er anders is', async ({ page, request }) => {
  const voor = await vrijgegevenCasus(request, 'regio');
  const scherm = await openBusinesscase(page, 'regio');
  const vastgesteld = await scherm.rij('totaal', 'midden');
  await expect(page.getByRole('status').filter({ hasText: 'Geen wijzigingen' })).toBeVisible();
  // Every answer the screen gets from now on: none may carry the position of a write.
  const posities: string[] = [];
  page.on('response', (r) => {
    const p = r.headers()['traject-positie'];
    if (r.url().endsWith('/graphql') && p) posities.push(p);
  });

  await scherm.openWatAls();
  const trajecten = scherm.groep('Aantal trajecten per methode');
  // A method with trajectories counted: its number doubled.
  let methode = '';
  let geteld = 0;
  for (const m of ['IPS', 'Jobcoaching', 'Werk als beste zorg']) {
    geteld = Number(await trajecten.getByLabel(m, { exact: true }).inputValue());
    if (geteld > 0) {
      methode = m;
      break;
    }
  }
  expect(geteld).toBeGreaterThan(0);
  await trajecten.getByLabel(methode, { exact: true }).fill(String(geteld * 2));
  // And one assumption: the retention of work.
  await scherm.groep('Behoud van werk per jaar').getByLabel('Hoog (%)').fill('95');

  await expect(scherm.kop()).toHaveText(/ \(wat als\)$/);
  const melding = page.getByRole('alert').filter({ hasText: 'Wat als: dit is niet de vastgestelde businesscase.' });
  await expect(melding).toContainText(`${methode}: ${(geteld * 2).toLocaleString('nl-NL')} trajecten (geteld: ${geteld.toLocaleString('nl-NL')})`);
  await expect(melding).toContainText('Behoud van werk per jaar: 50% / 70% / 95% (was 50% / 70% / 85%)');
  await expect(melding).toContainText('Er is niets opgeslagen.');
  await expect(scherm.gegevens()).toContainText(`versie ${voor.aannamesVersie} + wat-als`);
  await expect(page.getByRole('status').filter({ hasText: 'Berekend: de cijfers hieronder zijn een wat-als.' })).toBeVisible();
  const watAls = await scherm.rij('totaal', 'midden');
  expect(euro(watAls[0])).toBeGreaterThan(euro(vastgesteld[0]));
  await geenToegankelijkheidsfouten(page);

  // Nothing was written: no answer carried the store position of a write, and the released case
  // is the same (the store position itself: the last test).
  expect(posities).toEqual([]);
  expect(await vrijgegevenCasus(request, 'regio')).toEqual(voor);

  // Back to the counted numbers: the released case again.
  await page.getByRole('button', { name: 'Terug naar de getelde aantallen' }).click();
  await expect(trajecten.getByLabel(methode, { exact: true })).toHaveValue(String(geteld));
  await expect(scherm.kop()).not.toHaveText(/wat als/);
  expect(await scherm.rij('totaal', 'midden')).toEqual(vastgesteld);
  await expect(page.getByRole('alert').filter({ hasText: 'Wat als:' })).toHaveCount(0);
});

test('een verkeerde wat-als: de fout staat bij het veld, van het formulier of van de server', async ({ page }) => {
  const scherm = await openBusinesscase(page, 'regio');
  const vastgesteld = await scherm.rij('totaal', 'midden');
  await scherm.openWatAls();
  const behoud = scherm.groep('Behoud van werk per jaar');

  // Not a number: the form says so at the field and sends nothing.
  await behoud.getByLabel('Laag (%)').fill('veel');
  await expect(behoud.getByLabel('Laag (%)')).toHaveAttribute('aria-invalid', 'true');
  await expect(behoud.getByText('moet een getal zijn, bijvoorbeeld 450 of 0,5')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Niet alle velden kloppen.' })).toBeVisible();
  await geenToegankelijkheidsfouten(page);
  await behoud.getByLabel('Laag (%)').fill('-5');
  await expect(behoud.getByText('mag niet negatief zijn')).toBeVisible();

  // Numbers out of order (laag above midden): the server refuses, naming the field and the rule.
  await behoud.getByLabel('Laag (%)').fill('90');
  const fout = 'behoud_per_jaar: laag, midden en hoog moeten oplopen';
  await expect(page.getByRole('alert').filter({ hasText: `De wat-als kan niet worden berekend: ${fout}` })).toBeVisible();
  await expect(behoud.getByText(fout, { exact: true })).toBeVisible();
  await expect(behoud.getByLabel('Laag (%)')).toHaveAttribute('aria-invalid', 'true');
  // Meanwhile the released figures.
  await expect(scherm.kop()).not.toHaveText(/wat als/);
  expect(await scherm.rij('totaal', 'midden')).toEqual(vastgesteld);
  await geenToegankelijkheidsfouten(page);

  // A share above 100%: the server's rule for that field.
  await page.getByRole('button', { name: 'Terug naar de getelde aantallen' }).click();
  const zorg = scherm.groep('Vermeden zorgkosten door werk');
  await zorg.getByLabel('Hoog (%)').fill('150');
  await expect(zorg.getByText('zorgkosten_effect_werk: mag niet meer dan 1 zijn', { exact: true })).toBeVisible();
});

test('de CSV bevat de getallen die het scherm toont, ook tijdens een wat-als de vastgestelde', async ({ page }) => {
  const scherm = await openBusinesscase(page, 'regio');
  const csv = await scherm.download('CSV');
  expect(csv.naam).toMatch(new RegExp(`^businesscase-AM\\d\\d-${jaar}-vrijgave\\d+\\.csv$`));
  const { kop, rijen } = leesCsv(csv.inhoud.toString('utf8'));
  const onderwerp = (await scherm.gegevens().locator('dd').first().innerText()).trim();
  expect(kop.onderwerp).toBe(onderwerp);
  expect(kop.jaar).toBe(String(jaar));
  expect(kop.wat_als).toBe('nee');
  await expect(scherm.gegevens()).toContainText(`versie ${kop.aannames_versie}`);
  await expect(scherm.gegevens()).toContainText(kop.zorgkosten_bron);
  expect(Object.keys(rijen[0])).toEqual(['scenario', 'horizon_jaren', 'partij', 'kosten_euro', 'baten_euro', 'netto_euro', 'break_even_maand']);

  // Every party in every scenario of the horizon on screen.
  const horizon = await page.getByRole('combobox', { name: 'Horizon', exact: true }).inputValue();
  let vergeleken = 0;
  for (const partij of PARTIJEN) {
    for (const s of SCENARIOS) {
      const bestand = rijen.find((r) => r.scenario === s && r.horizon_jaren === horizon && r.partij === partij);
      expect(bestand, `${partij}, ${s} staat in de CSV`).toBeDefined();
      const [kosten, baten, netto, breakEven] = await scherm.rij(partij, s);
      expect([euro(kosten), euro(baten), euro(netto), maand(breakEven)], `${partij}, ${s}`).toEqual([
        Number(bestand!.kosten_euro),
        Number(bestand!.baten_euro),
        Number(bestand!.netto_euro),
        bestand!.break_even_maand,
      ]);
      vergeleken++;
    }
  }
  expect(vergeleken).toBe(24);

  // During a what-if the files are still the released case.
  await scherm.openWatAls();
  await scherm.groep('Vermeden zorgkosten door werk').getByLabel('Midden (%)').fill('40');
  await expect(scherm.kop()).toHaveText(/ \(wat als\)$/);
  const tijdens = leesCsv((await scherm.download('CSV')).inhoud.toString('utf8'));
  expect(tijdens.kop.wat_als).toBe('nee');
  expect(tijdens.rijen).toEqual(rijen);
  const xlsx = await scherm.download('Excel (XLSX)');
  expect(xlsx.naam).toMatch(new RegExp(`^businesscase-AM\\d\\d-${jaar}-vrijgave\\d+\\.xlsx$`));
  expect(xlsx.inhoud.subarray(0, 2).toString('latin1')).toBe('PK');
});

test('landelijk kiest een regio en Nederland', async ({ page, request }) => {
  const scherm = await openBusinesscase(page, 'landelijk');
  await expect(scherm.kop()).toHaveText(`Businesscase ${jaar}: Nederland`);
  const regio = page.getByRole('combobox', { name: 'Regio', exact: true });
  await expect(regio.getByRole('option')).toHaveCount(36);
  await regio.selectOption({ label: 'Drechtsteden (AM23)' });
  await expect(scherm.kop()).toHaveText(new RegExp(`^Businesscase ${jaar}: AM23 Drechtsteden`));
  const am23 = await vrijgegevenCasus(request, 'landelijk', 'AM23');
  await expect(scherm.kop()).toHaveText(`Businesscase ${jaar}: ${am23.onderwerp}`);
  const xlsx = await scherm.download('Excel (XLSX)');
  expect(xlsx.naam).toBe(`businesscase-AM23-${jaar}-vrijgave${am23.vrijgave.nummer}.xlsx`);
  await geenToegankelijkheidsfouten(page);

  await regio.selectOption({ label: 'Nederland' });
  await expect(scherm.kop()).toHaveText(`Businesscase ${jaar}: Nederland`);
  const nl = await vrijgegevenCasus(request, 'landelijk');
  const [kosten] = await scherm.rij('totaal', 'midden');
  const horizon = Number(await page.getByRole('combobox', { name: 'Horizon', exact: true }).inputValue());
  expect(euro(kosten)).toBe(Math.round(nl.uitkomsten.find((u) => u.scenario === 'midden' && u.horizonJaren === horizon)!.totaal.kosten));
  const csv = await scherm.download('CSV');
  expect(csv.naam).toBe(`businesscase-NL-${jaar}-vrijgave${nl.vrijgave.nummer}.csv`);
});

test('een coach ziet de businesscase niet en krijgt geen gegevens', async ({ page, request }) => {
  await inloggen(page, 'coach');
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Businesscase' })).toHaveCount(0);
  await page.goto('/businesscase');
  await expect(page.getByRole('heading', { level: 1, name: 'Geen toegang' })).toBeVisible();

  const coach = await token(request, 'coach');
  for (const query of ['{ businesscaseVrijgaven { jaar } }', `{ businesscase(jaar: ${jaar}) { onderwerp } }`]) {
    const antwoord = await request.post('/graphql', {
      headers: { authorization: `Bearer ${coach}`, 'content-type': 'application/json' },
      data: { query },
    });
    const body = (await antwoord.json()) as { data: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    expect(body.data).toBeNull();
  }
  const bestand = await request.get(`/export/businesscase?jaar=${jaar}&formaat=csv`, { headers: { authorization: `Bearer ${coach}` } });
  expect(bestand.status()).toBe(403);
});

test('afgedrukt: de businesscase zonder menu, knoppen en velden, met de kop; een PDF', async ({ page }) => {
  const scherm = await openBusinesscase(page, 'regio');
  await scherm.openWatAls();
  await expect(page.getByRole('button', { name: 'Afdrukken / PDF' })).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Hoofdmenu' })).toBeHidden();
  for (const knop of ['Afdrukken / PDF', 'CSV', 'Excel (XLSX)', 'Wat-als verbergen', 'Terug naar de getelde aantallen']) {
    await expect(page.getByRole('button', { name: knop, exact: true })).toBeHidden();
  }
  await expect(page.getByRole('form', { name: 'Businesscase kiezen' })).toBeHidden();
  await expect(page.getByRole('form', { name: 'Wat als' })).toBeHidden();
  for (const veld of await page.locator('input, select, textarea').all()) await expect(veld).toBeHidden();
  // The header: the release, the policy, the assumptions' version and source, the rules and the date.
  await expect(scherm.kop()).toBeVisible();
  const gegevens = scherm.gegevens();
  await expect(gegevens).toContainText(/Vrijgave\s*vrijgave \d+/);
  await expect(gegevens).toContainText(/Peildatum\s*\d{1,2} \w{3} \d{4}/);
  await expect(gegevens).toContainText('duurzaambeleid versie');
  await expect(gegevens).toContainText(/Aannames\s*versie \S+/);
  await expect(gegevens).toContainText(/Bron zorgkosten\s*\S+/);
  await expect(gegevens).toContainText(/Datum\s*\d{1,2} \w{3} \d{4}/);
  await expect(page.getByRole('heading', { level: 3, name: 'Regels' })).toBeVisible();
  await expect(scherm.partijTabel()).toBeVisible();
  await expect(page.getByRole('img', { name: /^Cumulatief netto resultaat/ })).toBeVisible();

  // Chromium prints it to a PDF on A4, its outline the page's headings: the header first.
  const pdf = await page.pdf({ preferCSSPageSize: true, outline: true, tagged: true });
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const [, breed, hoog] = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/.exec(pdf.toString('latin1')) ?? [];
  expect(Math.abs(Number(breed) - 595)).toBeLessThan(3);
  expect(Math.abs(Number(hoog) - 842)).toBeLessThan(3);
  // A heading that wraps on paper may lose the space at its line break: compared without spaces.
  const zonderSpaties = (t: string) => t.replace(/\s+/g, '');
  const overzicht = pdfOverzicht(pdf).map(zonderSpaties);
  expect(overzicht).toContain(zonderSpaties(await scherm.kop().innerText()));
  expect(overzicht).toContain('Regels');
  expect(overzicht).toContain(zonderSpaties(await page.getByRole('heading', { level: 2, name: /^Kosten en baten per partij, over \d+ jaar$/ }).innerText()));
  expect(overzicht).not.toContain(zonderSpaties('Wat als'));
});

test('op 320 px breed scrolt de pagina niet zijwaarts, ook met de wat-als open', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const scherm = await openBusinesscase(page, 'landelijk');
  await expect(scherm.partijTabel()).toBeVisible();
  await scherm.openWatAls();
  await geenZijwaartsScrollen(page, 'Businesscase');
  await geenToegankelijkheidsfouten(page);
});

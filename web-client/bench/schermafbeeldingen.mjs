// The screenshots of the README (docs/screenshots/), taken in Debian's Chromium from a running
// demo server (`scripts/serve-demo`) at TRAJECT_URL (default http://127.0.0.1:8080):
// `npm run schermafbeeldingen`. SCHERMAFBEELDINGEN=kwaliteit,kwaliteit-print renews only those.
// The business case needs a released year whose counts can be shown (the national demo data).
import { chromium } from '@playwright/test';

const url = process.env.TRAJECT_URL ?? 'http://127.0.0.1:8080';
const map = new URL('../../docs/screenshots/', import.meta.url);
const browser = await chromium.launch({
  executablePath: process.env.TRAJECT_CHROMIUM ?? '/usr/bin/chromium',
  // Dates in form fields as a Dutch browser shows them.
  args: ['--lang=nl-NL'],
});

async function als(rol) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
  const page = await context.newPage();
  await page.goto(url + '/');
  await page.getByRole('button', { name: `Demo ${rol}` }).click();
  await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
  return page;
}

const alleen = process.env.SCHERMAFBEELDINGEN?.split(',');

async function foto(page, naam, clip) {
  if (alleen && !alleen.includes(naam)) return;
  await page.screenshot({ path: new URL(`${naam}.png`, map).pathname, fullPage: !!clip, clip });
  console.log(`docs/screenshots/${naam}.png`);
}

const aanmelden = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
await aanmelden.goto(url + '/');
await aanmelden.getByRole('button', { name: 'Demo coach' }).waitFor();
await foto(aanmelden, 'aanmelden');

const coach = await als('coach');
// A coach starts on Vandaag.
await coach.getByTestId('vandaag-samenvatting').waitFor();
await foto(coach, 'vandaag');
await coach.getByRole('link', { name: 'Weekagenda', exact: true }).click();
await coach.getByRole('heading', { level: 1 }).waitFor();
await coach.waitForLoadState('networkidle');
await foto(coach, 'agenda');
await coach.getByRole('link', { name: 'Mijn caseload' }).click();
await coach.locator('table tbody tr').first().waitFor();
await foto(coach, 'caseload');
// A trajectory with qualifying work, for the progress towards duurzaam.
await coach.getByLabel('Geplaatst').check();
const rijen = coach.locator('table tbody tr');
let gekozen = rijen.first();
for (const rij of await rijen.all()) {
  if (Number(await rij.locator('td').nth(5).textContent()) > 0) {
    gekozen = rij;
    break;
  }
}
await gekozen.getByRole('link').first().click();
await coach.getByTestId('fase').waitFor();
await coach.getByLabel('Wat is er gebeurd?').selectOption({ label: 'Werkgeverscontact' });
await foto(coach, 'traject');

const regio = await als('regio');
await regio.locator('table').first().waitFor();
await regio.waitForTimeout(300);
await foto(regio, 'cijfers');

// The quality report of the region: its header with the release and rules, the first group's
// table and chart; then as printed for a steering group, an A4 page wide.
await regio.getByRole('link', { name: 'Kwaliteitsrapport' }).click();
await regio.getByRole('heading', { level: 2, name: /^Kwaliteitsrapport / }).waitFor();
await regio.waitForTimeout(300);
await foto(regio, 'kwaliteit', { x: 0, y: 0, width: 1280, height: 1400 });
await regio.setViewportSize({ width: 794, height: 1123 });
await regio.emulateMedia({ media: 'print' });
await regio.waitForTimeout(300);
await foto(regio, 'kwaliteit-print', { x: 0, y: 0, width: 794, height: 1123 });

// The business case of the region: its header with the release, the assumptions and their
// source, the rules, and the table per party; then a what-if with twice the trajectories of the
// first method counted, marked as a what-if with what changed, and its form.
await regio.emulateMedia({ media: 'screen' });
await regio.setViewportSize({ width: 1280, height: 900 });
await regio.getByRole('link', { name: 'Businesscase' }).click();
await regio.getByRole('heading', { level: 2, name: /^Businesscase / }).waitFor();
await regio.waitForTimeout(300);
await foto(regio, 'businesscase', { x: 0, y: 0, width: 1280, height: 1600 });
await regio.getByRole('button', { name: 'Wat-als invullen' }).click();
const trajecten = regio.getByRole('group', { name: 'Aantal trajecten per methode' });
for (const methode of ['IPS', 'Jobcoaching', 'Werk als beste zorg']) {
  const veld = trajecten.getByLabel(methode, { exact: true });
  const geteld = Number(await veld.inputValue());
  if (geteld > 0) {
    await veld.fill(String(2 * geteld));
    break;
  }
}
await regio.getByRole('heading', { level: 2, name: / \(wat als\)$/ }).waitFor();
await regio.waitForTimeout(300);
await foto(regio, 'businesscase-watals', { x: 0, y: 0, width: 1280, height: 2000 });

const beheerder = await als('beheerder');
await beheerder.locator('table').first().waitFor();
await foto(beheerder, 'toegangslog');

await browser.close();

// What the end-to-end tests share: signing in as a demo user, recording a new client, moving
// with Tab, a check that the page does not scroll sideways, and an axe-core scan against WCAG
// 2.1 A and AA.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

export type DemoRol = 'coach' | 'teamleider' | 'regio' | 'landelijk' | 'beheerder';

/** Signs in on the sign-in screen by picking the demo user of `rol`. */
export async function inloggen(page: Page, rol: DemoRol, pad = '/') {
  await page.goto(pad);
  await page.getByRole('button', { name: `Demo ${rol}` }).click();
  await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
}

let teller = 0;

/** A name no other test uses, so a search finds exactly this client. */
export function uniekeNaam(voornaam: string): string {
  teller += 1;
  return `${voornaam} Test${Date.now().toString(36)}${teller}`;
}

/** Records a new client through the form, and waits for the trajectory page. Returns its URL. */
export async function nieuweAanmelding(page: Page, naam: string): Promise<string> {
  await page.getByRole('link', { name: 'Nieuwe aanmelding' }).click();
  await page.getByLabel('Naam', { exact: true }).fill(naam);
  await page.getByLabel('Geboortedatum').fill('1990-04-12');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Traject' })).toBeVisible();
  await expect(page.getByTestId('fase')).toHaveText('Aangemeld');
  return page.url();
}

/** Picks an event in "Wat is er gebeurd?", fills the fields given, and records it. */
export async function legVast(page: Page, gebeurtenis: string, velden: Record<string, string | boolean> = {}) {
  const revisie = Number(await page.getByTestId('status').getAttribute('data-revisie'));
  await page.getByLabel('Wat is er gebeurd?').selectOption({ label: gebeurtenis });
  const formulier = page.getByRole('form', { name: gebeurtenis });
  for (const [label, waarde] of Object.entries(velden)) {
    const veld = formulier.getByLabel(label, { exact: true });
    if (typeof waarde === 'boolean') await veld.setChecked(waarde);
    else if ((await veld.evaluate((e) => e.tagName)) === 'SELECT') await veld.selectOption({ label: waarde });
    else await veld.fill(waarde);
  }
  await formulier.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Vastgelegd: ${gebeurtenis.toLowerCase()}` })).toBeVisible();
  await expect(page.getByTestId('status')).toHaveAttribute('data-revisie', String(revisie + 1));
}

/** Presses Tab until `doel` has the focus; fails after `max` presses. */
export async function tabNaar(page: Page, doel: Locator, max = 80) {
  await expect(doel).toBeVisible();
  for (let i = 0; i < max; i++) {
    if (await doel.evaluate((e) => e === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${doel} cannot be reached with Tab`);
}

/** The page does not scroll sideways (WCAG 1.4.10); a wide table may scroll within its own container. */
export async function geenZijwaartsScrollen(page: Page, scherm: string) {
  const maat = await page.evaluate(() => ({
    breed: document.documentElement.scrollWidth,
    venster: document.documentElement.clientWidth,
    te: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((e) => !e.closest('.utrecht-table-container'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}`),
  }));
  expect(maat.breed, `${scherm} scrolls sideways: ${maat.te.join(', ')}`).toBeLessThanOrEqual(maat.venster);
}

/** No WCAG 2.1 A or AA violation on the page as it is now. */
export async function geenToegankelijkheidsfouten(page: Page) {
  const uitkomst = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const fouten = uitkomst.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(fouten, fouten.join('\n')).toEqual([]);
}

/**
 * No code of a rule (`duurzaam_niet_bereikt`) or kind of error (`BAD_USER_INPUT`) anywhere on
 * screen: what the user reads is the server's message.
 */
export async function geenCodesOpHetScherm(page: Page, codes: readonly string[] = []) {
  const tekst = await page.locator('body').innerText();
  expect(tekst).not.toMatch(/\b[a-z]+(?:_[a-z0-9]+)+\b/);
  expect(tekst).not.toMatch(
    /\b(?:BAD_USER_INPUT|CONFLICT|FORBIDDEN|NOT_FOUND|UNAVAILABLE|TOO_MANY_REQUESTS|RATE_LIMITED|UNAUTHENTICATED|INTERNAL)\b/,
  );
  for (const code of codes) expect(tekst).not.toContain(code);
}

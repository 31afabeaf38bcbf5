// How long until the coach's Vandaag page is on screen, measured side by side with the caseload
// page as the peer, in Debian's Chromium against a running server with the demo data
// (`scripts/serve-demo`): `npm run bench:vandaag` with the server at TRAJECT_URL (default
// http://127.0.0.1:8080).
//
// Two measures, each in interleaved rounds (Vandaag, caseload, Vandaag, caseload, …), so that
// the noise of a shared machine falls on both alike:
// - navigatie: signed in already (the token in sessionStorage, as after signing in), a page
//   that has the files in its cache opens the address again;
// - aanmelden: on the sign-in screen at the address (files loaded), from the click on
//   "Demo coach".
// Each until the page is fully rendered: Vandaag when its summary is there (every page of the
// caseload loaded, both lists on screen), the caseload when its count and first row are there.
// Prints per measure the min, median and max of each page and of the ratio Vandaag / caseload
// per round, the worst latency, and the failures (a page not rendered within TIMEOUT_MS counts
// as one, its round left out of the ratio) with the message the page showed. Mind the server's
// inzage quota (2,000 client records per user per minute by default): Vandaag shows the whole
// caseload, so with a large one many rounds in a minute are refused (`--inzage-quota 0`
// measures without it).
import { chromium } from '@playwright/test';

const url = process.env.TRAJECT_URL ?? 'http://127.0.0.1:8080';
const rondes = Number(process.env.RONDES ?? 15);
const timeout = Number(process.env.TIMEOUT_MS ?? 30_000);
const executablePath = process.env.TRAJECT_CHROMIUM ?? '/usr/bin/chromium';

const logins = await (await fetch(`${url}/auth/demo`)).json();
const { token } = logins.find((l) => l.rol === 'coach');
const browser = await chromium.launch({ executablePath });

/** The two pages: where they live and when they are fully rendered. */
const PAGINAS = {
  vandaag: {
    pad: '/vandaag',
    klaar: (page) => page.getByTestId('vandaag-samenvatting').waitFor({ timeout }),
  },
  caseload: {
    pad: '/caseload',
    klaar: async (page) => {
      await page.getByText(/^\d+ trajecten?$/).first().waitFor({ timeout });
      await page.locator('table tbody tr').first().waitFor({ timeout });
    },
  },
};

/** One context per page kind that stays signed in and keeps its cache. */
async function ingelogd() {
  const context = await browser.newContext();
  await context.addInitScript((t) => sessionStorage.setItem('traject.token', t), token);
  return context.newPage();
}

/** Why pages failed, with how often: the message on screen, if any. */
const redenen = new Map();

/** Milliseconds from `start()` until the page is rendered, or null when it was not within the timeout. */
async function meet(page, naam, start) {
  const t0 = performance.now();
  try {
    await start();
    // Rendered, or an error on screen (which fails at once rather than at the timeout).
    const klaar = PAGINAS[naam].klaar(page).then(() => 'klaar');
    const fout = page.getByRole('alert').first().waitFor({ timeout }).then(() => 'fout');
    klaar.catch(() => {});
    fout.catch(() => {});
    if ((await Promise.race([klaar, fout])) !== 'klaar') throw new Error('an error on screen');
    return performance.now() - t0;
  } catch {
    const melding = await page
      .getByRole('alert')
      .first()
      .textContent({ timeout: 1_000 })
      .catch(() => 'not rendered in time, no message');
    const reden = `${naam}: ${melding}`;
    redenen.set(reden, (redenen.get(reden) ?? 0) + 1);
    return null;
  }
}

const METINGEN = {
  async navigatie() {
    const paginas = { vandaag: await ingelogd(), caseload: await ingelogd() };
    // Once each first, so that both have the files in their cache.
    for (const [naam, page] of Object.entries(paginas)) {
      await page.goto(url + PAGINAS[naam].pad);
      await PAGINAS[naam].klaar(page);
    }
    return async (naam) => {
      const page = paginas[naam];
      await page.goto('about:blank');
      return meet(page, naam, () => page.goto(url + PAGINAS[naam].pad));
    };
  },
  async aanmelden() {
    return async (naam) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url + PAGINAS[naam].pad);
      const knop = page.getByRole('button', { name: 'Demo coach' });
      await knop.waitFor();
      const ms = await meet(page, naam, () => knop.click());
      await context.close();
      return ms;
    };
  },
};

function reeks(ms) {
  const s = ms.filter((m) => m !== null).sort((a, b) => a - b);
  if (s.length === 0) return { min: NaN, mediaan: NaN, max: NaN };
  return { min: s[0], mediaan: s[Math.floor(s.length / 2)], max: s.at(-1) };
}

const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');

// The size of what is measured: the coach's open caseload.
const totaal = await (
  await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ caseload(aantal: 1) { totaal } }' }),
  })
).json();
console.log(
  `Vandaag vs caseload (peer) for the demo coach (${totaal.data?.caseload?.totaal ?? '?'} open trajectories), ` +
    `${rondes} interleaved rounds per measure, timeout ${timeout} ms, at ${url}`,
);

for (const [meting, maak] of Object.entries(METINGEN)) {
  const een = await maak();
  const tijden = { vandaag: [], caseload: [] };
  const verhoudingen = [];
  for (let i = 0; i < rondes; i++) {
    // A, B in one round; the order alternates per round so that neither always goes first.
    const volgorde = i % 2 === 0 ? ['vandaag', 'caseload'] : ['caseload', 'vandaag'];
    const ronde = {};
    for (const naam of volgorde) ronde[naam] = await een(naam);
    tijden.vandaag.push(ronde.vandaag);
    tijden.caseload.push(ronde.caseload);
    if (ronde.vandaag !== null && ronde.caseload !== null) verhoudingen.push(ronde.vandaag / ronde.caseload);
  }
  console.log(`\n${meting}:`);
  for (const naam of ['vandaag', 'caseload']) {
    const r = reeks(tijden[naam]);
    const fouten = tijden[naam].filter((m) => m === null).length;
    console.log(
      `  ${naam.padEnd(8)} min ${f(r.min)} ms, median ${f(r.mediaan)} ms, max ${f(r.max)} ms; failures ${fouten}` +
        ` (${tijden[naam].map((m) => (m === null ? 'x' : m.toFixed(0))).join(' ')})`,
    );
  }
  const v = reeks(verhoudingen);
  console.log(`  ratio vandaag/caseload: min ${f(v.min, 2)}, median ${f(v.mediaan, 2)}, max ${f(v.max, 2)} (${verhoudingen.length} rounds)`);
  const alle = [...tijden.vandaag, ...tijden.caseload].filter((m) => m !== null);
  console.log(`  worst latency ${f(Math.max(...alle))} ms`);
}
for (const [reden, aantal] of redenen) console.log(`failed ${aantal}x: ${reden}`);
await browser.close();

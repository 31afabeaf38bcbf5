// How long until a caseload is on screen, measured in Debian's Chromium against a running server
// (`scripts/serve-demo`, the national demo data): `npm run bench` with the server at TRAJECT_URL
// (default http://127.0.0.1:8080).
//
// For the demo coach (their own caseload) and the demo teamleider (the organisation's), signed
// in already (the token in sessionStorage, as after signing in):
// - cold: a new browser profile with an empty cache opens /caseload;
// - warm: the same profile reloads it, with the files from the browser's cache.
// Each from the start of the navigation until the first row of the table is visible, as
// Playwright sees it (its polling adds at most a few ms). Prints every run, the median and the
// worst, and the bytes of the response bodies of the first visit as sent (compressed).
import { chromium } from '@playwright/test';

const url = process.env.TRAJECT_URL ?? 'http://127.0.0.1:8080';
const runs = Number(process.env.RUNS ?? 15);
const executablePath = process.env.TRAJECT_CHROMIUM ?? '/usr/bin/chromium';

const logins = await (await fetch(`${url}/auth/demo`)).json();
const browser = await chromium.launch({ executablePath });

function samenvatting(naam, ms) {
  const s = [...ms].sort((a, b) => a - b);
  const mediaan = s[Math.floor(s.length / 2)];
  console.log(`  ${naam}: median ${mediaan.toFixed(0)} ms, worst ${s.at(-1).toFixed(0)} ms (${s.map((m) => m.toFixed(0)).join(' ')})`);
}

for (const rol of ['coach', 'teamleider']) {
  const { token } = logins.find((l) => l.rol === rol);
  const koud = [];
  const warm = [];
  let bytes = 0;
  let totaal = '';
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    await context.addInitScript((t) => sessionStorage.setItem('traject.token', t), token);
    const page = await context.newPage();
    let geladen = 0;
    page.on('requestfinished', async (r) => {
      geladen += (await r.sizes()).responseBodySize;
    });
    const rij = page.locator('table tbody tr').first();
    let start = performance.now();
    await page.goto(`${url}/caseload`);
    await rij.waitFor();
    koud.push(performance.now() - start);
    if (i === 0) {
      await page.waitForLoadState('networkidle');
      bytes = geladen;
      totaal = (await page.getByText(/^\d+ trajecten?$/).first().textContent()) ?? '';
    }
    start = performance.now();
    await page.reload();
    await rij.waitFor();
    warm.push(performance.now() - start);
    await context.close();
  }
  console.log(`${rol} (${totaal}, first page of 50), ${runs} runs; the first visit transferred ${(bytes / 1024).toFixed(0)} kB`);
  samenvatting('cold (empty cache)', koud);
  samenvatting('warm (files from the cache)', warm);
}
await browser.close();

// The GraphQL-over-HTTP audit of graphql-http against the started server: every MUST passes.
// The SHOULDs and MAYs are printed, not required (some are decisions of the server's own, such
// as refusing batches).
import { expect, test } from '@playwright/test';
import { serverAudits } from 'graphql-http';

test('GraphQL over HTTP: elke MUST van de audit slaagt', async ({ baseURL }) => {
  const audits = serverAudits({ url: `${baseURL}/graphql`, fetchFn: fetch });
  const uitkomsten = [];
  for (const audit of audits) uitkomsten.push(await audit.fn());
  const mislukt = uitkomsten
    .filter((u) => u.status !== 'ok')
    .map((u) => `${u.name}: ${'reason' in u ? u.reason : ''}`);
  console.log(`graphql-http: ${uitkomsten.length - mislukt.length} van ${uitkomsten.length} in orde`);
  for (const regel of mislukt) console.log(`  ${regel}`);
  expect(mislukt.filter((m) => m.startsWith('MUST'))).toEqual([]);
  expect(uitkomsten.length).toBeGreaterThan(20);
});

// The Toegangslog screen: entries in words (no enum value or code on screen), ids in full with a
// "filter op deze" per row that fills the filter, a period of calendar days both included,
// paging with the server's cursor, and the log asked for again on demand and after an erasure.
import { describe, expect, it, vi } from 'vitest';

// A page of 100 entries is a big table for jsdom: room for a busy machine.
vi.setConfig({ testTimeout: 30_000 });
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider, type Client } from 'urql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { fromValue, never } from 'wonka';
import { Toegangslog } from '../src/screens/Toegangslog';

const CLIENT = '7ab41aec-37d1-4653-9b77-cebe4cc7c925';

const regel = (nr: number, gebruiker = 'org-am13-1-coach-1') => ({
  __typename: 'Toegangsregel',
  nr,
  gebeurteniscode: nr % 2 ? 'traject.lezen' : 'plaatsing.uren_wijzigen',
  actie: 'R',
  tijd: '2026-12-04T07:59:50.993044+00:00',
  resultaat: nr % 3 ? 'GELUKT' : 'GEWEIGERD',
  gebruiker,
  rol: 'coach',
  clients: [CLIENT],
  traject: '01a23e59-7000-7b23-bb15-8bef9a7751c0',
  regel: 'coach-eigen-client',
  correlatie: 'c',
});

type Variabelen = { filter: Record<string, unknown>; voor: string | null; aantal: number };

/** `traag`: the cursor whose page never comes. */
function toon(traag?: string) {
  const naam = (q: DocumentNode) => (q.definitions[0] as OperationDefinitionNode).name?.value;
  const logVragen: { variabelen: Variabelen; beleid?: string }[] = [];
  const executeQuery = vi.fn((request: { query: DocumentNode; variables: Variabelen }, opties?: { requestPolicy?: string }) => {
    const soort = naam(request.query);
    if (soort === 'Toegangslog') {
      logVragen.push({ variabelen: request.variables, beleid: opties?.requestPolicy });
      const { voor, filter } = request.variables;
      if (traag && voor === traag) return never;
      const gebruiker = (filter.gebruiker as string | null) ?? undefined;
      const begin = voor ? Number(voor) : 250;
      const regels = Array.from({ length: Math.min(100, begin) }, (_, i) => regel(begin - i, gebruiker));
      const volgende = begin > 100 ? String(begin - 100) : null;
      return fromValue({ data: { toegangslog: { __typename: 'Toegangslogpagina', regels, volgende } }, stale: false, hasNext: false });
    }
    if (soort === 'Inzage') {
      return fromValue({
        data: {
          inzageOverzicht: [
            {
              __typename: 'Inzager',
              gebruiker: 'org-am13-1-coach-1',
              rol: 'coach',
              gelukt: 3,
              geweigerd: 0,
              eerste: '2026-12-04T07:59:50Z',
              laatste: '2026-12-04T08:59:50Z',
              codes: ['traject.lezen', 'persoon.lezen'],
            },
          ],
        },
        stale: false,
        hasNext: false,
      });
    }
    return fromValue({ data: { signalen: [] }, stale: false, hasNext: false });
  });
  const executeMutation = vi.fn(() =>
    fromValue({
      data: {
        clientWissen: { __typename: 'ClientGewist', clientId: CLIENT, gegevensVernietigd: true, trajectenGemarkeerd: 1, eerderGewist: false },
      },
      stale: false,
      hasNext: false,
    }),
  );
  const client = { suspense: false, executeQuery, executeMutation } as unknown as Client;
  render(
    <Provider value={client}>
      <Toegangslog />
    </Provider>,
  );
  return { logVragen, laatste: () => logVragen[logVragen.length - 1] };
}

const tabel = () => screen.getByRole('table', { name: /^Regels/ });

describe('Toegangslog', () => {
  it('shows each entry in words: no enum value, event code or rule code', async () => {
    toon();
    await waitFor(() => expect(tabel().querySelectorAll('tbody tr')).toHaveLength(100));
    const tekst = tabel().textContent ?? '';
    expect(tekst).not.toMatch(/GELUKT|GEWEIGERD|traject\.lezen|uren_wijzigen|coach-eigen-client/);
    const eerste = tabel().querySelector('tbody tr')!;
    expect([...eerste.querySelectorAll('td')].map((c) => c.textContent)).toEqual([
      '250',
      new Date('2026-12-04T07:59:50.993044+00:00').toLocaleString('nl-NL'),
      'org-am13-1-coach-1 filter op deze',
      'Coach',
      'Lezen (R)',
      'Uren van een plaatsing gewijzigd',
      'Gelukt',
      'Coach van de cliënt',
      `${CLIENT} filter op deze`,
    ]);
    expect(screen.getByRole('combobox', { name: 'Rol' }).textContent).toBe('Alle rollenCoachTeamleiderRegioLandelijkBeheerder');
  });

  it('fills the user filter from a row, and asks for that user only', async () => {
    const { laatste } = toon();
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getAllByLabelText('filter op deze gebruiker: org-am13-1-coach-1')[0]);
    expect(screen.getByLabelText('Gebruiker')).toHaveValue('org-am13-1-coach-1');
    await waitFor(() => expect(laatste().variabelen.filter.gebruiker).toBe('org-am13-1-coach-1'));
    expect(laatste().variabelen.voor).toBeNull();
    expect(tabel()).toHaveAccessibleName('Regels van org-am13-1-coach-1, nieuwste eerst');
  });

  it('asks for a typed user once typing pauses, not once per key', async () => {
    const { logVragen } = toon();
    const gebruiker = userEvent.setup();
    const voor = logVragen.length;
    await gebruiker.type(screen.getByLabelText('Gebruiker'), 'beheerder');
    await waitFor(() => expect(logVragen.at(-1)!.variabelen.filter.gebruiker).toBe('beheerder'));
    expect(logVragen.length - voor).toBe(1);
  });

  it('fills the client filter from a row with the full id', async () => {
    const { laatste } = toon();
    await userEvent.setup().click(screen.getAllByLabelText(`filter op deze cliënt: ${CLIENT}`)[0]);
    expect(screen.getByLabelText('Cliënt-id')).toHaveValue(CLIENT);
    expect(laatste().variabelen.filter.clientId).toBe(CLIENT);
    expect(await screen.findByRole('table', { name: 'Inzage per gebruiker en rol' })).toHaveTextContent('Traject bekeken, Persoonsgegevens bekeken');
  });

  it('filters on calendar days, the last one included', async () => {
    const { laatste } = toon();
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Vanaf'), '2026-12-01');
    await gebruiker.type(screen.getByLabelText('Tot en met'), '2026-12-04');
    expect(laatste().variabelen.filter.van).toBe(new Date('2026-12-01T00:00:00').toISOString());
    expect(laatste().variabelen.filter.tot).toBe(new Date('2026-12-05T00:00:00').toISOString());
    await gebruiker.clear(screen.getByLabelText('Tot en met'));
    await gebruiker.type(screen.getByLabelText('Tot en met'), '2026-11-30');
    expect(screen.getByLabelText('Tot en met')).toHaveAccessibleDescription('De einddatum ligt voor de begindatum.');
    expect(laatste().variabelen.filter.tot).toBeNull();
  });

  it('pages past the first 100 entries with the cursor, and back', async () => {
    const { laatste } = toon();
    const gebruiker = userEvent.setup();
    await waitFor(() => expect(screen.getByText(/Pagina 1: regel 250 tot en met 151; er zijn oudere regels/)).toBeInTheDocument());
    await gebruiker.click(screen.getByRole('button', { name: 'Oudere regels' }));
    expect(laatste().variabelen.voor).toBe('150');
    expect(await screen.findByText(/Pagina 2: regel 150 tot en met 51/)).toBeInTheDocument();
    expect(tabel()).toHaveAccessibleName('Regels, nieuwste eerst (pagina 2)');
    await gebruiker.click(screen.getByRole('button', { name: 'Oudere regels' }));
    expect(await screen.findByText(/Pagina 3: regel 50 tot en met 1; er zijn geen oudere regels/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Oudere regels' })).toBeDisabled();
    await gebruiker.click(screen.getByRole('button', { name: 'Nieuwere regels' }));
    expect(laatste().variabelen.voor).toBe('150');
    await gebruiker.click(screen.getByRole('button', { name: 'Nieuwste regels' }));
    expect(laatste().variabelen.voor).toBeNull();
  });

  it('does not show the rows of one page as those of the next while it loads', async () => {
    toon('150');
    const gebruiker = userEvent.setup();
    await waitFor(() => expect(screen.getByText(/Pagina 1: regel 250 tot en met 151/)).toBeInTheDocument());
    await gebruiker.click(screen.getByRole('button', { name: 'Oudere regels' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Regels laden…');
    expect(screen.queryByRole('table', { name: /^Regels/ })).toBeNull();
    expect(screen.queryByText(/Pagina 2/)).toBeNull();
    // The focus stays on the button pressed.
    expect(screen.getByRole('button', { name: 'Oudere regels' })).toHaveFocus();
  });

  it('asks for the log again on demand', async () => {
    const { logVragen } = toon();
    const voor = logVragen.length;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vernieuwen' }));
    expect(logVragen.length).toBe(voor + 1);
    expect(logVragen.at(-1)!.beleid).toBe('network-only');
  });

  it('asks for the log again after an erasure, which the log then shows', async () => {
    const { logVragen } = toon();
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Cliënt-id'), CLIENT);
    await gebruiker.click(screen.getByLabelText('Ik weet zeker dat de gegevens van deze cliënt gewist moeten worden'));
    const voor = logVragen.length;
    await gebruiker.click(screen.getByRole('button', { name: 'Definitief wissen' }));
    expect(await screen.findByText(/De persoonsgegevens zijn vernietigd; 1 traject\(en\) gemarkeerd\./)).toBeInTheDocument();
    await waitFor(() => expect(logVragen.length).toBe(voor + 1));
    expect(logVragen.at(-1)!.beleid).toBe('network-only');
  });
});

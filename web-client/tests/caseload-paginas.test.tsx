// The caseload screen's pages: "Volgende pagina" asks with the page's cursor, and other filters
// ask for the first page at once, never with a cursor walked with the filters before (the server
// refuses a cursor of another query, and the coach would see that refusal flash by).
import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { Client, CombinedError, Provider, makeResult, type Exchange, type Operation } from 'urql';
import type { OperationDefinitionNode } from 'graphql';
import { filter, fromValue, mergeMap, never, pipe } from 'wonka';
import type { Ik } from '../src/sessie';

const sessie = vi.hoisted(() => ({ ik: { id: 'coach-a', naam: 'Coach A', rollen: ['COACH'], organisatie: 'org-a' } as Ik }));
vi.mock('../src/sessie', () => ({
  useSessie: () => ({ ik: sessie.ik, token: 't', uitloggen: () => {} }),
  heeftRol: (ik: Ik, ...rollen: string[]) => ik.rollen.some((r) => rollen.includes(r)),
}));
// Imported after the mock.
const { Caseload } = await import('../src/screens/Caseload');

function naam(op: Operation): string | undefined {
  return (op.query.definitions[0] as OperationDefinitionNode).name?.value;
}

function rij(id: string) {
  return {
    trajectId: id,
    clientId: `c-${id}`,
    naam: null,
    coach: 'coach-a',
    methode: 'IPS',
    fase: 'Zoekend',
    aanmelding: '2026-01-05',
    laatsteGebeurtenis: '2026-02-01',
    dagenWerk: null,
    duurzaamBereiktOp: null,
    aandacht: [],
    cursor: `k-${id}`,
  };
}

/**
 * A server as the real one pages: two pages a query, a cursor that names its query's method,
 * refused (as `onbekende_cursor`) by a query with another.
 */
function toon() {
  const vragen: Record<string, unknown>[] = [];
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op) => {
        if (op.kind === 'subscription') return never;
        if (naam(op) !== 'Caseload') return fromValue(makeResult(op, { data: undefined }));
        const v = op.variables as Record<string, unknown>;
        vragen.push(v);
        const query = `m=${v.methode ?? 'alle'}`;
        if (v.na === null || v.na === undefined)
          return fromValue(makeResult(op, { data: { caseload: { totaal: 2, volgende: `${query}|1`, items: [rij(`${query}-1`)] } } }));
        if (v.na === `${query}|1`)
          return fromValue(makeResult(op, { data: { caseload: { totaal: 2, volgende: null, items: [rij(`${query}-2`)] } } }));
        const fout = new CombinedError({
          graphQLErrors: [
            {
              message: 'deze cursor hoort niet bij deze zoekvraag; begin bij de eerste pagina',
              extensions: { code: 'BAD_USER_INPUT', veld: 'na', regel: 'onbekende_cursor' },
            },
          ],
        });
        return fromValue(makeResult(op, { data: null, errors: fout.graphQLErrors }));
      }),
    );
  const client = new Client({ url: '/graphql', exchanges: [exchange] });
  render(
    <Provider value={client}>
      <MemoryRouter>
        <Caseload />
      </MemoryRouter>
    </Provider>,
  );
  return vragen;
}

describe('Caseload pages', () => {
  it('goes to the next page with its cursor, and with other filters back to the first page without the old cursor', async () => {
    const vragen = toon();
    const gebruiker = userEvent.setup();
    expect(await screen.findByText('Pagina 1')).toBeInTheDocument();
    await gebruiker.click(screen.getByRole('button', { name: 'Volgende pagina' }));
    expect(await screen.findByText('Pagina 2')).toBeInTheDocument();
    expect(vragen.some((v) => v.na === 'm=alle|1' && v.methode === null)).toBe(true);

    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Methode' }), 'IPS');
    expect(await screen.findByText('Pagina 1')).toBeInTheDocument();
    await waitFor(() => expect(vragen.some((v) => v.methode === 'IPS' && v.na === null)).toBe(true));
    // Not once the new filter with the cursor of the old one, and no refusal on screen.
    expect(vragen.filter((v) => v.methode === 'IPS' && v.na !== null)).toEqual([]);
    expect(screen.queryByRole('alert')).toBeNull();
    // The new query's pages walk as before.
    await gebruiker.click(screen.getByRole('button', { name: 'Volgende pagina' }));
    expect(await screen.findByText('Pagina 2')).toBeInTheDocument();
    expect(vragen.some((v) => v.na === 'm=IPS|1' && v.methode === 'IPS')).toBe(true);
  });
});

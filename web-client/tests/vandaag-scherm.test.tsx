// The Vandaag page: every page of the caseload, what needs action now above the rest, and
// planning the next action from a row with the keyboard: the form opens below its button,
// after recording the confirmation takes the focus and the list is fetched again; cancelling
// puts the focus back on the button.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { Client, Provider, makeResult, type Exchange, type Operation } from 'urql';
import type { OperationDefinitionNode } from 'graphql';
import { filter, fromValue, mergeMap, never, pipe } from 'wonka';
import { plusDagen } from '../src/datums';
import { Vandaag } from '../src/screens/Vandaag';
import { vandaag } from '../src/validatie';

const VANDAAG = vandaag();

function naam(op: Operation): string | undefined {
  return (op.query.definitions[0] as OperationDefinitionNode).name?.value;
}

/** A client that answers each operation from `antwoord` (a subscription never says anything). */
function maakClient(antwoord: (op: Operation) => unknown) {
  const exchange: Exchange = () => (ops$) =>
    pipe(
      ops$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op) => (op.kind === 'subscription' ? never : fromValue(makeResult(op, { data: antwoord(op) as Record<string, unknown> })))),
    );
  return new Client({ url: '/graphql', exchanges: [exchange] });
}

function toon() {
  let gepland: { actie: string; op: string } | null = null;
  const vragen: Operation[] = [];
  const client = maakClient((op) => {
    vragen.push(op);
    switch (naam(op)) {
      case 'EigenCaseload':
        // Two pages: the page follows the cursor.
        if (op.variables!.na === null)
          return {
            caseload: {
              volgende: 'c1',
              items: [
                {
                  trajectId: 't-anna',
                  naam: 'Anna de Vries',
                  fase: 'Zoekend',
                  volgendeActie: gepland ?? { actie: 'Gesprek', op: VANDAAG },
                  contractEindigtOp: null,
                  werkgeverscontactUiterlijk: null,
                  aandacht: gepland ? [] : [{ soort: 'ACTIE_TE_DOEN', dagen: null, sinds: null, op: VANDAAG, actie: 'Gesprek' }],
                },
              ],
            },
          };
        return {
          caseload: {
            volgende: null,
            items: [
              {
                trajectId: 't-bram',
                naam: null,
                fase: 'Aangemeld',
                volgendeActie: null,
                contractEindigtOp: null,
                werkgeverscontactUiterlijk: null,
                aandacht: [],
              },
            ],
          },
        };
      case 'TrajectRevisie':
        return { traject: { id: op.variables!.id, revisie: 7 } };
      case 'ActiePlannen':
        gepland = { actie: op.variables!.actie, op: op.variables!.op };
        return { actiePlannen: { revisie: 8, traject: null } };
      default:
        return undefined;
    }
  });
  render(
    <Provider value={client}>
      <MemoryRouter>
        <Vandaag />
      </MemoryRouter>
    </Provider>,
  );
  return { vragen, caseloadVragen: () => vragen.filter((v) => naam(v) === 'EigenCaseload').length };
}

describe('Vandaag', () => {
  it('shows what needs action now above the rest, from every page of the caseload', async () => {
    toon();
    const nu = await screen.findByRole('region', { name: 'Nu doen (1)' });
    expect(document.title).toBe('Vandaag – traject');
    expect(within(nu).getByRole('link', { name: 'Anna de Vries' })).toHaveAttribute('href', '/traject/t-anna');
    expect(nu).toHaveTextContent('Gesprek met cliënt, gepland voor vandaag');
    const overige = screen.getByRole('region', { name: 'Overige trajecten (1)' });
    expect(within(overige).getByRole('link', { name: 'Cliënt zonder naam' })).toBeInTheDocument();
    expect(overige).toHaveTextContent('Fase: Aangemeld');
    expect(overige).toHaveTextContent('Geen volgende actie gepland');
    expect(screen.getByTestId('vandaag-samenvatting')).toHaveTextContent('1 traject om nu te doen, 1 traject verder.');
  });

  it('plans the next action from a row with the keyboard, then focuses the confirmation and fetches the list again', async () => {
    const { vragen, caseloadVragen } = toon();
    await screen.findByRole('region', { name: 'Nu doen (1)' });
    const knop = await screen.findByRole('button', { name: 'Volgende actie plannen voor Anna de Vries' });
    const gebruiker = userEvent.setup();
    knop.focus();
    await gebruiker.keyboard('{Enter}');
    expect(knop).toHaveAttribute('aria-expanded', 'true');
    const formulier = await screen.findByRole('form', { name: 'Volgende actie plannen' });
    // The form follows its button: Tab goes on into its first field.
    await gebruiker.tab();
    expect(within(formulier).getByRole('combobox', { name: 'Actie' })).toHaveFocus();
    await gebruiker.selectOptions(within(formulier).getByRole('combobox', { name: 'Actie' }), 'Werkplekbezoek');
    const over3 = plusDagen(VANDAAG, 3);
    fireEvent.change(within(formulier).getByLabelText('Datum van de actie'), { target: { value: over3 } });
    const voor = caseloadVragen();
    within(formulier).getByRole('button', { name: 'Vastleggen' }).focus();
    await gebruiker.keyboard('{Enter}');

    const mutatie = vragen.find((v) => naam(v) === 'ActiePlannen')!;
    expect(mutatie.variables).toEqual({ w: { trajectId: 't-anna', revisie: 7, datum: VANDAAG }, actie: 'Werkplekbezoek', op: over3 });
    const bevestiging = await screen.findByText(/^Volgende actie voor Anna de Vries gepland: Werkplekbezoek, /);
    expect(bevestiging.closest('[tabindex="-1"]')).toHaveFocus();
    expect(screen.queryByRole('form', { name: 'Volgende actie plannen' })).not.toBeInTheDocument();
    await waitFor(() => expect(caseloadVragen()).toBeGreaterThanOrEqual(voor + 2));
    expect(await screen.findByRole('region', { name: 'Nu doen (0)' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Overige trajecten (2)' })).toHaveTextContent(/Volgende actie: Werkplekbezoek, /);
  });

  it('puts the focus back on the button when planning is cancelled', async () => {
    toon();
    await screen.findByRole('region', { name: 'Nu doen (1)' });
    const knop = await screen.findByRole('button', { name: 'Volgende actie plannen voor Anna de Vries' });
    const gebruiker = userEvent.setup();
    await gebruiker.click(knop);
    const formulier = await screen.findByRole('form', { name: 'Volgende actie plannen' });
    await gebruiker.click(within(formulier).getByRole('button', { name: 'Annuleren' }));
    expect(screen.queryByRole('form', { name: 'Volgende actie plannen' })).not.toBeInTheDocument();
    expect(knop).toHaveAttribute('aria-expanded', 'false');
    expect(knop).toHaveFocus();
  });
});

// The Team page's coaches: the team with each coach's open caseload, a coach added by user id and
// removed after a confirmation, the server's refusals at the field, and the focus on what happened.
import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, Provider, type Client } from 'urql';
import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { fromValue } from 'wonka';
import { CoachesVanHetTeam } from '../src/screens/Team';

type Teamlid = { __typename: 'Teamlid'; coach: string; openTrajecten: number };
const lid = (coach: string, openTrajecten: number): Teamlid => ({ __typename: 'Teamlid', coach, openTrajecten });

/** A client over a team held in memory; `weiger` answers the next mutation with that error. */
function toon(begin: Teamlid[], weiger?: CombinedError) {
  let team = [...begin];
  let fout = weiger;
  const naam = (q: DocumentNode) => (q.definitions[0] as OperationDefinitionNode).name?.value;
  const executeQuery = vi.fn(() => fromValue({ data: { team: [...team] }, stale: false, hasNext: false }));
  const executeMutation = vi.fn((request: { query: DocumentNode; variables: { coach: string } }) => {
    const { coach } = request.variables;
    if (fout) {
      const error = fout;
      fout = undefined;
      return fromValue({ error, stale: false, hasNext: false });
    }
    if (naam(request.query) === 'CoachToevoegen') {
      team = [...team, lid(coach, 0)];
      return fromValue({ data: { coachToevoegen: [...team] }, stale: false, hasNext: false });
    }
    team = team.filter((t) => t.coach !== coach);
    return fromValue({ data: { coachVerwijderen: [...team] }, stale: false, hasNext: false });
  });
  const client = { suspense: false, executeQuery, executeMutation } as unknown as Client;
  render(
    <Provider value={client}>
      <CoachesVanHetTeam />
    </Provider>,
  );
  return { executeMutation };
}

const TEAM = [lid('org-am13-1-coach-1', 18), lid('org-am13-1-coach-2', 1)];

describe('CoachesVanHetTeam', () => {
  it('shows the team in a table with each coach and their open trajectories', () => {
    toon(TEAM);
    const tabel = screen.getByRole('table', { name: 'Coaches van het team met hun lopende trajecten' });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual(['Coach', 'Lopende trajecten', 'Actie']);
    const rij = within(tabel).getByRole('row', { name: /org-am13-1-coach-1/ });
    expect(within(rij).getByRole('cell', { name: '18' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'org-am13-1-coach-2 uit het team verwijderen' })).toBeInTheDocument();
  });

  it('adds a coach by user id, says so with the focus on the message, and shows them', async () => {
    const { executeMutation } = toon(TEAM);
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Gebruikers-id van de coach'), ' org-am13-1-coach-9 ');
    await gebruiker.click(screen.getByRole('button', { name: 'Toevoegen' }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation.mock.calls[0][0].variables).toEqual({ coach: 'org-am13-1-coach-9' });
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('org-am13-1-coach-9 is aan het team toegevoegd.');
    expect(document.activeElement).toContainElement(status);
    const rij = screen.getByRole('row', { name: /org-am13-1-coach-9/ });
    expect(within(rij).getByRole('cell', { name: '0' })).toBeInTheDocument();
    expect(screen.getByLabelText('Gebruikers-id van de coach')).toHaveValue('');
  });

  it('refuses an invalid id before sending, at the field', async () => {
    const { executeMutation } = toon(TEAM);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Toevoegen' }));
    expect(executeMutation).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Gebruikers-id van de coach')).toHaveAccessibleDescription(/moet 1 tot 64 tekens lang zijn/);
  });

  it("shows the server's refusal at the field, in its words and without the rule's code", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('deze coach hoort al bij het team', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'coach', regel: 'coach_al_in_team' },
        }),
      ],
    });
    toon(TEAM, error);
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Gebruikers-id van de coach'), 'org-am13-1-coach-1');
    await gebruiker.click(screen.getByRole('button', { name: 'Toevoegen' }));
    const veld = screen.getByLabelText('Gebruikers-id van de coach');
    expect(veld).toHaveAccessibleDescription(/deze coach hoort al bij het team$/);
    expect(document.body.textContent).not.toMatch(/coach_al_in_team/);
    expect(veld).toHaveAttribute('aria-invalid', 'true');
    expect(veld).toHaveValue('org-am13-1-coach-1');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('removes a coach only after a confirmation, then says so with the focus on the message', async () => {
    const { executeMutation } = toon(TEAM);
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'org-am13-1-coach-2 uit het team verwijderen' }));
    expect(executeMutation).not.toHaveBeenCalled();
    const vraag = screen.getByRole('group', { name: 'org-am13-1-coach-2 uit het team verwijderen?' });
    expect(vraag).toHaveFocus();

    // Cancelling changes nothing and returns the focus to the button.
    await gebruiker.click(within(vraag).getByRole('button', { name: 'Annuleren' }));
    expect(screen.queryByRole('group')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'org-am13-1-coach-2 uit het team verwijderen' })).toHaveFocus();

    await gebruiker.click(screen.getByRole('button', { name: 'org-am13-1-coach-2 uit het team verwijderen' }));
    await gebruiker.click(screen.getByRole('button', { name: 'Ja, verwijderen' }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation.mock.calls[0][0].variables).toEqual({ coach: 'org-am13-1-coach-2' });
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent(/org-am13-1-coach-2 is uit het team verwijderd/);
    expect(document.activeElement).toContainElement(status);
    expect(screen.queryByRole('row', { name: /org-am13-1-coach-2/ })).not.toBeInTheDocument();
    expect(screen.getByRole('row', { name: /org-am13-1-coach-1/ })).toBeInTheDocument();
  });

  it('says in words that the team is empty', async () => {
    toon([lid('org-am13-1-coach-1', 0)]);
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'org-am13-1-coach-1 uit het team verwijderen' }));
    await gebruiker.click(screen.getByRole('button', { name: 'Ja, verwijderen' }));
    expect(await screen.findByText(/Er staan nog geen coaches in het team/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

// Nothing typed is lost: a form keeps its draft per form and trajectory until it is recorded
// or cancelled, also when the server answers that the session has ended; the way back after
// signing in goes to a page of this application only; a failed read says so in Dutch, offers
// to try again and tries again by itself once the server is ready.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, Provider, type Client } from 'urql';
import { GraphQLError } from 'graphql';
import { GebeurtenisFormulier } from '../src/screens/Traject';
import { FORMULIEREN, type Context } from '../src/gebeurtenissen';
import type { TrajectVeldenFragment } from '../src/gql/graphql';
import { bewaarConcept, leesConcept, neemTerugpad, bewaarTerugpad, veiligPad, wisAlleConcepten } from '../src/concept';
import { LaadFout } from '../src/herstel';

const contact = FORMULIEREN.find((f) => f.naam === 'werkgeverscontact')!;
const context: Context = { plaatsingen: [], gebeurtenissen: [], isCoach: true };
const traject = { id: 't-7', revisie: 2 } as TrajectVeldenFragment;

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function toon(antwoord: { error?: CombinedError } = {}) {
  const mutation = vi.fn(() => ({ toPromise: async () => antwoord }));
  const klaar = vi.fn();
  const gemaakt = render(
    <Provider value={{ mutation } as unknown as Client}>
      <GebeurtenisFormulier formulier={contact} context={context} traject={traject} begin={{}} herlaad={vi.fn()} klaar={klaar} />
    </Provider>,
  );
  return { mutation, klaar, ...gemaakt };
}

describe('drafts', () => {
  it('keeps what was typed per form and trajectory, and brings it back', async () => {
    const { unmount } = toon();
    await userEvent.setup().type(screen.getByLabelText('Werkgever'), 'Bakkerij Bol');
    expect(leesConcept<Record<string, string>>('werkgeverscontact:t-7')?.werkgever).toBe('Bakkerij Bol');
    unmount();
    toon();
    expect(screen.getByLabelText('Werkgever')).toHaveValue('Bakkerij Bol');
  });

  it('keeps the draft when the session ended (UNAUTHENTICATED), and wipes it once recorded', async () => {
    const verlopen = new CombinedError({
      graphQLErrors: [new GraphQLError('token verlopen', { extensions: { code: 'UNAUTHENTICATED' } })],
    });
    const eerste = toon({ error: verlopen });
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Werkgever'), 'Fietsenmaker Jansen');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(eerste.klaar).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Werkgever')).toHaveValue('Fietsenmaker Jansen');
    expect(leesConcept<Record<string, string>>('werkgeverscontact:t-7')?.werkgever).toBe('Fietsenmaker Jansen');
    eerste.unmount();

    const tweede = toon();
    expect(screen.getByLabelText('Werkgever')).toHaveValue('Fietsenmaker Jansen');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(tweede.klaar).toHaveBeenCalled();
    expect(leesConcept('werkgeverscontact:t-7')).toBeUndefined();
  });

  it('wipes the draft on cancelling, and every draft on signing out', async () => {
    toon();
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText('Werkgever'), 'X');
    await gebruiker.click(screen.getByRole('button', { name: 'Annuleren' }));
    expect(leesConcept('werkgeverscontact:t-7')).toBeUndefined();

    bewaarConcept('nieuweAanmelding', { naam: 'A' });
    sessionStorage.setItem('traject.token', 't');
    wisAlleConcepten();
    expect(leesConcept('nieuweAanmelding')).toBeUndefined();
    expect(sessionStorage.getItem('traject.token')).toBe('t');
  });

  it('returns only to a page of this application', () => {
    expect(veiligPad('/traject/t-1?actie=x')).toBe('/traject/t-1?actie=x');
    for (const pad of ['//elders.nl/x', 'https://elders.nl', '/\\elders.nl', '/aanmelden/terug', '', null]) {
      expect(veiligPad(pad)).toBeUndefined();
    }
    bewaarTerugpad('//elders.nl');
    expect(neemTerugpad()).toBe('/');
    bewaarTerugpad('/nieuw');
    expect(neemTerugpad()).toBe('/nieuw');
  });
});

describe('LaadFout', () => {
  it('says in Dutch that the server cannot be reached, and fetches again once /ready answers', async () => {
    vi.useFakeTimers();
    let klaar = false;
    const fetch = vi.fn(async (url: string) => {
      expect(url).toBe('/ready');
      if (!klaar) throw new TypeError('Failed to fetch');
      return new Response('ok');
    });
    vi.stubGlobal('fetch', fetch);
    const opnieuw = vi.fn();
    render(<LaadFout wat="De caseload kon niet worden geladen." error={new CombinedError({ networkError: new TypeError('Failed to fetch') })} opnieuw={opnieuw} />);
    const melding = screen.getByRole('alert');
    expect(melding).toHaveTextContent('De caseload kon niet worden geladen. De server is even niet bereikbaar.');
    expect(melding.textContent).not.toMatch(/Network|Failed|fetch/);
    expect(screen.getByRole('button', { name: 'Opnieuw proberen' })).toBeVisible();

    await act(() => vi.advanceTimersByTimeAsync(7_000));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(opnieuw).not.toHaveBeenCalled();
    klaar = true;
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(opnieuw).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    expect(opnieuw).toHaveBeenCalledTimes(1);
  });

  it('does not wait for the server on a lasting error, but offers to try again', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const opnieuw = vi.fn();
    const error = new CombinedError({ graphQLErrors: [new GraphQLError('traject niet gevonden', { extensions: { code: 'NOT_FOUND' } })] });
    render(<LaadFout wat="Het traject kon niet worden geladen." error={error} opnieuw={opnieuw} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Het traject kon niet worden geladen. Traject niet gevonden.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Opnieuw proberen' }));
    expect(opnieuw).toHaveBeenCalledTimes(1);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('the timeline', () => {
  it('runs by the day things happened, then by recording; an event without a date by its recording day', async () => {
    const { opDatum } = await import('../src/gebeurtenissen');
    const regels = [
      { id: 'a', datum: '2026-03-01', opgenomenOp: '2026-03-01T09:00:00Z' },
      { id: 'b', datum: '2026-05-01', opgenomenOp: '2026-05-02T09:00:00Z' },
      { id: 'c', datum: '2026-04-01', opgenomenOp: '2026-05-03T09:00:00Z' },
      { id: 'd', datum: null, opgenomenOp: '2026-04-15T09:00:00Z' },
      { id: 'e', datum: '2026-04-01', opgenomenOp: '2026-05-01T09:00:00Z' },
    ];
    expect(opDatum(regels).map((r) => r.id)).toEqual(['a', 'e', 'c', 'd', 'b']);
    expect(regels.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

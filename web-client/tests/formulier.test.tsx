// An event form checks as the server does, shows the server's errors at the field, and on a
// conflict keeps what was typed.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, Provider, type Client } from 'urql';
import { GraphQLError } from 'graphql';
import { GebeurtenisFormulier } from '../src/screens/Traject';
import { FORMULIEREN, type Context } from '../src/gebeurtenissen';
import type { TrajectVeldenFragment } from '../src/gql/graphql';

const schema = readFileSync(resolve(process.cwd(), '../schema.graphql'), 'utf8');
const plaatsing = FORMULIEREN.find((f) => f.naam === 'plaatsingStarten')!;
const context: Context = { plaatsingen: [], gebeurtenissen: [], isCoach: true };
const traject = { id: 't-1', revisie: 4 } as TrajectVeldenFragment;

function toon(antwoord: { error?: CombinedError }) {
  const mutation = vi.fn(() => ({ toPromise: async () => antwoord }));
  const client = { mutation } as unknown as Client;
  const klaar = vi.fn();
  const herlaad = vi.fn();
  render(
    <Provider value={client}>
      <GebeurtenisFormulier formulier={plaatsing} context={context} traject={traject} begin={{}} herlaad={herlaad} klaar={klaar} />
    </Provider>,
  );
  return { mutation, klaar, herlaad };
}

async function vulIn() {
  const gebruiker = userEvent.setup();
  await gebruiker.type(screen.getByLabelText('Werkgever'), 'Bakkerij De Korenschoof');
  await gebruiker.type(screen.getByLabelText('Functie'), 'Medewerker bakkerij');
  await gebruiker.type(screen.getByLabelText(/Uren per week/), '24');
  return gebruiker;
}

describe('the catalogue', () => {
  it('has a form for every event mutation of the schema', () => {
    const mutaties = schema
      .split('type Mutation {')[1]
      .split('\n}')[0]
      .match(/^\t[a-zA-Z]+\(.*$/gm)!;
    // An event on a trajectory is recorded with the revision the user saw (`wijziging`); the
    // others (a referral, personal data, erasure, the team) have screens of their own.
    const verwacht = mutaties
      .filter((m) => m.includes('wijziging: Wijziging!'))
      .map((m) => m.trim().split('(')[0])
      .sort();
    expect(verwacht.length).toBeGreaterThan(5);
    expect(FORMULIEREN.map((f) => f.naam).sort()).toEqual(verwacht);
    expect(mutaties.map((m) => m.trim().split('(')[0])).toEqual(expect.arrayContaining(['coachToevoegen', 'coachVerwijderen']));
  });
});

describe('GebeurtenisFormulier', () => {
  it('refuses invalid input before sending, with the message at the field', async () => {
    const { mutation } = toon({});
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText(/Uren per week/), '61');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByLabelText(/Uren per week/)).toHaveAccessibleDescription(/mag niet meer dan 60 zijn/);
    expect(screen.getByLabelText('Werkgever')).toHaveAccessibleDescription('moet 1 tot 120 tekens lang zijn');
    expect(screen.getByLabelText('Werkgever')).toHaveAttribute('aria-invalid', 'true');
  });

  it('sends the revision the user saw, and reports what was recorded', async () => {
    const { mutation, klaar } = toon({});
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).toHaveBeenCalledTimes(1);
    const variabelen = (mutation.mock.calls[0] as unknown[])[1] as { w: { revisie: number }; p: { urenPerWeek: number } };
    expect(variabelen.w.revisie).toBe(4);
    expect(variabelen.p.urenPerWeek).toBe(24);
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: plaatsing gestart op /));
  });

  it("shows the server's error at the field it names", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('ongeldig', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'uren_per_week', regel: 'moet in hele minuten uit te drukken zijn' },
        }),
      ],
    });
    const { klaar } = toon({ error });
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByLabelText(/Uren per week/)).toHaveAccessibleDescription(/moet in hele minuten uit te drukken zijn/);
    expect(klaar).not.toHaveBeenCalled();
  });

  it('on a conflict offers to reload and keeps what was typed', async () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('conflict', { extensions: { code: 'CONFLICT', huidigeRevisie: 5 } })],
    });
    const { herlaad } = toon({ error });
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/Iemand anders heeft dit traject intussen gewijzigd \(nu revisie 5\)/);
    await gebruiker.click(screen.getByRole('button', { name: 'Traject herladen' }));
    expect(herlaad).toHaveBeenCalled();
    expect(screen.getByLabelText('Werkgever')).toHaveValue('Bakkerij De Korenschoof');
    expect(screen.getByLabelText(/Uren per week/)).toHaveValue('24');
  });
});

describe('the coach of a trajectory', () => {
  const team = [
    { coach: 'org-am13-1-coach-1', openTrajecten: 18 },
    { coach: 'org-am13-1-coach-2', openTrajecten: 1 },
  ];
  const andereCoach = FORMULIEREN.find((f) => f.naam === 'coachToewijzen')!;
  const intake = FORMULIEREN.find((f) => f.naam === 'intakeAfronden')!;

  function toonFormulier(formulier: typeof andereCoach, ctx: Context, antwoord: { error?: CombinedError } = {}) {
    const mutation = vi.fn(() => ({ toPromise: async () => antwoord }));
    const client = { mutation } as unknown as Client;
    const klaar = vi.fn();
    render(
      <Provider value={client}>
        <GebeurtenisFormulier formulier={formulier} context={ctx} traject={traject} begin={{}} herlaad={vi.fn()} klaar={klaar} />
      </Provider>,
    );
    return { mutation, klaar };
  }

  it("is chosen from the team's coaches, each with their open caseload", async () => {
    const { mutation, klaar } = toonFormulier(andereCoach, { ...context, isCoach: false, team });
    const keuze = screen.getByRole('combobox', { name: 'Coach' });
    expect(screen.queryByRole('textbox', { name: /Coach/ })).not.toBeInTheDocument();
    expect([...(keuze as HTMLSelectElement).options].map((o) => o.textContent)).toEqual([
      'Kies een coach',
      'org-am13-1-coach-1 (18 lopende trajecten)',
      'org-am13-1-coach-2 (1 lopend traject)',
    ]);
    expect(keuze).toHaveValue('');
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(keuze, 'org-am13-1-coach-2 (1 lopend traject)');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).toHaveBeenCalledTimes(1);
    expect((mutation.mock.calls[0] as unknown[])[1]).toMatchObject({ coach: 'org-am13-1-coach-2' });
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: andere coach op /));
  });

  it('must be chosen before anything is sent', async () => {
    const { mutation } = toonFormulier(andereCoach, { ...context, isCoach: false, team });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByRole('combobox', { name: 'Coach' })).toHaveAccessibleDescription('kies een coach uit het team');
  });

  it("shows the server's refusal of a coach who left the team at the field", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('coach: ongeldig', {
          extensions: {
            code: 'BAD_USER_INPUT',
            veld: 'coach',
            regel: 'coach: deze coach hoort niet (meer) bij het team van de organisatie (coach_niet_in_team)',
          },
        }),
      ],
    });
    const { klaar } = toonFormulier(andereCoach, { ...context, isCoach: false, team }, { error });
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Coach' }), 'org-am13-1-coach-1');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('combobox', { name: 'Coach' })).toHaveAccessibleDescription(/coach_niet_in_team/);
    expect(klaar).not.toHaveBeenCalled();
  });

  it('says so in words when the team has no coaches, and sends nothing', async () => {
    const { mutation } = toonFormulier(andereCoach, { ...context, isCoach: false, team: [] });
    expect(screen.queryByRole('combobox', { name: 'Coach' })).not.toBeInTheDocument();
    expect(
      screen.getByText('Er staan nog geen coaches in het team; voeg ze toe op de pagina Team.'),
    ).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByText('kies een coach uit het team')).toBeInTheDocument();
  });

  it('says the team is loading rather than that it is empty', () => {
    toonFormulier(andereCoach, { ...context, isCoach: false, team: undefined });
    expect(screen.getByText('De coaches van het team worden geladen…')).toBeInTheDocument();
  });

  it("is named at the teamleider's intake, and not at a coach's own", async () => {
    const { mutation } = toonFormulier(intake, { ...context, isCoach: false, team });
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Coach' }), 'org-am13-1-coach-1');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect((mutation.mock.calls[0] as unknown[])[1]).toMatchObject({ coach: 'org-am13-1-coach-1' });
    cleanup();

    const eigen = toonFormulier(intake, { ...context, isCoach: true, team: undefined });
    expect(screen.queryByRole('combobox', { name: 'Coach' })).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect((eigen.mutation.mock.calls[0] as unknown[])[1]).toMatchObject({ coach: null });
  });
});

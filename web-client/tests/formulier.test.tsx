// An event form checks as the server does, shows the server's errors at the field (its message,
// never the rule's code), and on a conflict keeps what was typed.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, Provider, type Client } from 'urql';
import { GraphQLError, buildSchema, getNamedType } from 'graphql';
import { GebeurtenisFormulier, volgendeActieTekst } from '../src/screens/Traject';
import { plusDagen } from '../src/datums';
import { vandaag } from '../src/validatie';
import { FORMULIEREN, type Context } from '../src/gebeurtenissen';
import type { TrajectVeldenFragment } from '../src/gql/graphql';

const schema = buildSchema(readFileSync(resolve(process.cwd(), '../schema.graphql'), 'utf8'));
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
    const mutaties = Object.values(schema.getMutationType()!.getFields());
    // An event on a trajectory is recorded with the revision the user saw (`wijziging`, or for a
    // retraction `intrekking`); the others (a referral, personal data, erasure, the team) have
    // screens of their own.
    const verwacht = mutaties
      .filter((m) => m.args.some((a) => ['Wijziging', 'IntrekkingInvoer'].includes(getNamedType(a.type).name)))
      .map((m) => m.name)
      .sort();
    expect(verwacht.length).toBeGreaterThan(5);
    expect(verwacht).toEqual(expect.arrayContaining(['intrekken', 'urenWijzigen']));
    expect(FORMULIEREN.map((f) => f.naam).sort()).toEqual(verwacht);
    expect(mutaties.map((m) => m.name)).toEqual(expect.arrayContaining(['coachToevoegen', 'coachVerwijderen']));
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
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: plaatsing gestart op /), expect.anything(), expect.anything());
  });

  it("shows the server's message at the field it names, and never the rule's code", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('uren per week moet in hele minuten uit te drukken zijn', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'plaatsing.urenPerWeek', regel: 'ongeldige_waarde' },
        }),
      ],
    });
    const { klaar } = toon({ error });
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByLabelText(/Uren per week/)).toHaveAccessibleDescription(/uren per week moet in hele minuten uit te drukken zijn/);
    expect(document.body.textContent).not.toMatch(/ongeldige_waarde|BAD_USER_INPUT|plaatsing\.urenPerWeek/);
    expect(klaar).not.toHaveBeenCalled();
  });

  it("puts a refusal about the trajectory as a whole above the form, in the server's words", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('waakvlam kan alleen als er op die datum een plaatsing loopt', {
          extensions: { code: 'BAD_USER_INPUT', regel: 'geen_lopende_plaatsing' },
        }),
      ],
    });
    const { klaar } = toon({ error });
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Waakvlam kan alleen als er op die datum een plaatsing loopt.');
    expect(document.body.textContent).not.toMatch(/geen_lopende_plaatsing/);
    expect(klaar).not.toHaveBeenCalled();
  });

  it('says that hours below 12 a week do not count on their own, and that concurrent jobs add up', async () => {
    toon({});
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText(/Uren per week/), '8');
    expect(screen.getByLabelText(/Uren per week/)).toHaveAccessibleDescription(
      /Minder dan 12 uur per week telt op zichzelf niet mee voor duurzaam\. Met ander betaald, regulier werk in dezelfde tijd worden de uren opgeteld/,
    );
    await gebruiker.clear(screen.getByLabelText(/Uren per week/));
    await gebruiker.type(screen.getByLabelText(/Uren per week/), '12');
    expect(screen.getByLabelText(/Uren per week/)).toHaveAccessibleDescription('Meer dan 0, hoogstens 60.');
  });

  it('hands the id of the new placement from the answer on', async () => {
    const mutation = vi.fn(() => ({ toPromise: async () => ({ data: { plaatsingStarten: { revisie: 5, plaatsingId: 'p-9' } } }) }));
    const klaar = vi.fn();
    render(
      <Provider value={{ mutation } as unknown as Client}>
        <GebeurtenisFormulier formulier={plaatsing} context={context} traject={traject} begin={{}} herlaad={vi.fn()} klaar={klaar} />
      </Provider>,
    );
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: plaatsing gestart op /), expect.objectContaining({ plaatsingId: 'p-9' }), expect.anything());
  });

  it('on a conflict offers to reload and keeps what was typed', async () => {
    const error = new CombinedError({
      graphQLErrors: [new GraphQLError('conflict', { extensions: { code: 'CONFLICT', huidigeRevisie: 5 } })],
    });
    const { herlaad } = toon({ error });
    const gebruiker = await vulIn();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('alert')).toHaveTextContent(/Iemand anders heeft dit traject intussen gewijzigd\. Er is niets vastgelegd/);
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
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: andere coach op /), expect.anything(), expect.anything());
  });

  it('must be chosen before anything is sent', async () => {
    const { mutation } = toonFormulier(andereCoach, { ...context, isCoach: false, team });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByRole('combobox', { name: 'Coach' })).toHaveAccessibleDescription('kies een coach uit het team');
  });

  it("shows the server's refusal of a coach who left the team at the field, without its rule code", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('deze coach hoort niet (meer) bij het team van de organisatie', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'coach', regel: 'coach_niet_in_team' },
        }),
      ],
    });
    const { klaar } = toonFormulier(andereCoach, { ...context, isCoach: false, team }, { error });
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Coach' }), 'org-am13-1-coach-1');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('combobox', { name: 'Coach' })).toHaveAccessibleDescription(
      'deze coach hoort niet (meer) bij het team van de organisatie',
    );
    expect(document.body.textContent).not.toMatch(/coach_niet_in_team/);
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

/** Renders `naam`'s form with a client whose mutations answer `antwoorden` in turn. */
function toonMetAntwoorden(naam: string, ctx: Context, antwoorden: { error?: CombinedError }[] = [{}], begin: Record<string, string> = {}) {
  const formulier = FORMULIEREN.find((f) => f.naam === naam)!;
  const rij = [...antwoorden];
  const mutation = vi.fn(() => ({ toPromise: async () => rij.shift() ?? {} }));
  const klaar = vi.fn();
  render(
    <Provider value={{ mutation } as unknown as Client}>
      <GebeurtenisFormulier formulier={formulier} context={ctx} traject={traject} begin={begin} herlaad={vi.fn()} klaar={klaar} />
    </Provider>,
  );
  const variabelen = (i: number) => (mutation.mock.calls[i] as unknown[])[1] as Record<string, unknown>;
  return { mutation, klaar, variabelen };
}

describe('the enum values sent', () => {
  it('are the schema spellings of the choices, whatever their labels', async () => {
    const { variabelen } = toonMetAntwoorden('intakeAfronden', context);
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Uitkering' }), 'WIA');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(variabelen(0)).toMatchObject({ uitkering: 'WIA', ggz: false });
    expect([...(screen.getByRole('combobox', { name: 'Uitkering' }) as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      'Participatiewet',
      'WIA',
      'Wajong',
      'WW',
      'ZW',
      'Geen',
      'Anders',
    ]);
  });
});

describe('Uren gewijzigd', () => {
  const ctx: Context = {
    ...context,
    plaatsingen: [
      { waarde: 'p-1', tekst: 'Bakkerij, sinds 1 dec 2026, 8 uur per week' },
      { waarde: 'p-2', tekst: 'Fietsenmaker, sinds 1 dec 2026, 8 uur per week' },
    ],
  };

  it('sends the placement, the date and the new hours', async () => {
    const { mutation, klaar, variabelen } = toonMetAntwoorden('urenWijzigen', ctx, [{}], { plaatsingId: 'p-2' });
    expect(screen.getByRole('combobox', { name: 'Plaatsing' })).toHaveValue('p-2');
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText(/Nieuwe uren per week/), '10,5');
    expect(screen.getByLabelText(/Nieuwe uren per week/)).toHaveAccessibleDescription(/telt op zichzelf niet mee voor duurzaam/);
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).toHaveBeenCalledTimes(1);
    expect(variabelen(0)).toMatchObject({ id: 'p-2', uren: 10.5, w: { trajectId: 't-1', revisie: 4 } });
    expect((variabelen(0).w as { datum: string }).datum).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(klaar).toHaveBeenCalledWith(expect.stringMatching(/^Vastgelegd: uren gewijzigd op /), expect.anything(), expect.anything());
  });

  it("shows the server's refusal of unchanged hours at the hours", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('de plaatsing heeft op die datum al deze uren per week', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'urenPerWeek', regel: 'uren_ongewijzigd' },
        }),
      ],
    });
    toonMetAntwoorden('urenWijzigen', ctx, [{ error }], { plaatsingId: 'p-1' });
    const gebruiker = userEvent.setup();
    await gebruiker.type(screen.getByLabelText(/Nieuwe uren per week/), '8');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByLabelText(/Nieuwe uren per week/)).toHaveAccessibleDescription(/de plaatsing heeft op die datum al deze uren per week/);
    expect(document.body.textContent).not.toMatch(/uren_ongewijzigd/);
  });
});

describe('Volgende actie plannen', () => {
  it('starts with today as the day it is planned and no day for the action, and sends the action and its day', async () => {
    const { mutation, variabelen, klaar } = toonMetAntwoorden('actiePlannen', context);
    expect(screen.getByLabelText('Datum van de actie')).toHaveValue('');
    expect(screen.getByLabelText('Gepland op')).toHaveValue(vandaag());
    expect([...(screen.getByRole('combobox', { name: 'Actie' }) as HTMLSelectElement).options].map((o) => o.text)).toEqual([
      'Gesprek met cliënt',
      'Werkgeverscontact',
      'Werkplekbezoek',
      'Afstemming met behandelaar',
      'Afstemming met financier',
      'Evaluatie',
      'Anders',
    ]);
    const gebruiker = userEvent.setup();
    // Without a day for the action nothing is sent; the message sits at the field.
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Datum van de actie')).toHaveAttribute('aria-invalid', 'true');
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Actie' }), 'Werkplekbezoek');
    fireEvent.change(screen.getByLabelText('Datum van de actie'), { target: { value: '2026-12-08' } });
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(variabelen(0)).toEqual({ w: { trajectId: 't-1', revisie: 4, datum: vandaag() }, actie: 'Werkplekbezoek', op: '2026-12-08' });
    expect(klaar).toHaveBeenCalledWith(
      'Vastgelegd: volgende actie Werkplekbezoek op 8 dec 2026.',
      expect.anything(),
      expect.objectContaining({ actie: 'Werkplekbezoek', op: '2026-12-08' }),
    );
  });

  it('refuses a day more than a year ahead before sending', async () => {
    const { mutation } = toonMetAntwoorden('actiePlannen', context);
    fireEvent.change(screen.getByLabelText('Datum van de actie'), { target: { value: plusDagen(vandaag(), 367) } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Datum van de actie')).toHaveAccessibleDescription(/mag hoogstens een jaar vooruit liggen/);
  });

  it("shows the server's refusal of a day before the planning at the action's day, without its code", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('de actie is gepland voor 2026-12-01, voor de dag waarop ze gepland wordt (2026-12-04)', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'op', regel: 'actie_voor_planning' },
        }),
      ],
    });
    toonMetAntwoorden('actiePlannen', context, [{ error }]);
    fireEvent.change(screen.getByLabelText('Datum van de actie'), { target: { value: '2026-12-01' } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByLabelText('Datum van de actie')).toHaveAccessibleDescription(/voor de dag waarop ze gepland wordt/);
    expect(document.body.textContent).not.toMatch(/actie_voor_planning/);
  });

  it('shows the next action on the trajectory page in words', () => {
    expect(volgendeActieTekst({ actie: 'Werkplekbezoek', op: '2026-12-05', gepland: '2026-12-01' }, '2026-12-04')).toBe(
      'Werkplekbezoek, za 5 december (morgen)',
    );
    expect(volgendeActieTekst({ actie: 'Gesprek', op: '2026-12-08', gepland: '2026-12-01' }, '2026-12-04')).toBe(
      'Gesprek met cliënt, di 8 december',
    );
    expect(volgendeActieTekst({ actie: 'Evaluatie', op: '2026-12-01', gepland: '2026-11-20' }, '2026-12-04')).toBe(
      'Evaluatie, di 1 december (3 dagen te laat)',
    );
  });
});

describe('Gebeurtenis intrekken', () => {
  it('has no date and sends the event, the reason and the revision, without a date', async () => {
    const ctx: Context = { ...context, gebeurtenissen: [{ waarde: 'e-3', tekst: '1 dec 2026: Werkgeverscontact' }] };
    const { variabelen, klaar } = toonMetAntwoorden('intrekken', ctx, [{}], { gebeurtenisId: 'e-3' });
    expect(screen.queryByLabelText(/datum/i)).not.toBeInTheDocument();
    expect(screen.getByText(/De intrekking krijgt de datum van vandaag/)).toBeInTheDocument();
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Reden' }), 'Verkeerde datum');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(variabelen(0)).toEqual({
      intrekking: { trajectId: 't-1', revisie: 4, gebeurtenisId: 'e-3', reden: 'VerkeerdeDatum' },
    });
    expect(klaar).toHaveBeenCalledWith('Vastgelegd: gebeurtenis ingetrokken, met de datum van vandaag.', expect.anything(), expect.anything());
  });

  it("shows the server's refusal at the event", async () => {
    const error = new CombinedError({
      graphQLErrors: [
        new GraphQLError('de aanmelding kan niet worden ingetrokken; sluit het traject af als het niet doorgaat', {
          extensions: { code: 'BAD_USER_INPUT', veld: 'intrekking.gebeurtenisId', regel: 'aanmelding_niet_intrekbaar' },
        }),
      ],
    });
    const ctx: Context = { ...context, gebeurtenissen: [{ waarde: 'e-1', tekst: '1 dec 2026: Aangemeld' }] };
    toonMetAntwoorden('intrekken', ctx, [{ error }], { gebeurtenisId: 'e-1' });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(screen.getByRole('combobox', { name: 'Gebeurtenis' })).toHaveAccessibleDescription(/de aanmelding kan niet worden ingetrokken/);
  });
});

describe('Afgesloten als duurzaam aan het werk', () => {
  const bericht =
    'duurzaam is op 2026-12-04 niet bereikt; kies een andere reden of bevestig dat de client duurzaam aan het werk is';
  const geweigerd = new CombinedError({
    graphQLErrors: [
      new GraphQLError(bericht, { extensions: { code: 'BAD_USER_INPUT', veld: 'reden', regel: 'duurzaam_niet_bereikt' } }),
    ],
  });
  const bevestig = /Ik bevestig dat de cliënt duurzaam aan het werk is/;

  it("shows the server's refusal, offers to confirm, and sends again with the confirmation, keeping what was filled in", async () => {
    const { mutation, klaar, variabelen } = toonMetAntwoorden('afsluiten', context, [{ error: geweigerd }, {}]);
    expect(screen.queryByRole('checkbox', { name: bevestig })).not.toBeInTheDocument();
    const gebruiker = userEvent.setup();
    await gebruiker.clear(screen.getByLabelText('Laatste dag van de meting'));
    await gebruiker.type(screen.getByLabelText('Laatste dag van de meting'), '2026-12-04');
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Reden' }), 'Duurzaam aan het werk');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(variabelen(0)).toMatchObject({ reden: 'DuurzaamAanHetWerk', bevestigDuurzaam: false });
    expect(klaar).not.toHaveBeenCalled();

    const reden = screen.getByRole('combobox', { name: 'Reden' });
    expect(reden).toHaveAccessibleDescription(bericht);
    expect(document.body.textContent).not.toMatch(/duurzaam_niet_bereikt|BAD_USER_INPUT/);
    const vink = screen.getByRole('checkbox', { name: bevestig });
    expect(vink).not.toBeChecked();
    expect(reden).toHaveValue('DuurzaamAanHetWerk');
    expect(screen.getByLabelText('Laatste dag van de meting')).toHaveValue('2026-12-04');

    await gebruiker.click(vink);
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(mutation).toHaveBeenCalledTimes(2);
    expect(variabelen(1)).toMatchObject({
      reden: 'DuurzaamAanHetWerk',
      bevestigDuurzaam: true,
      w: { trajectId: 't-1', revisie: 4, datum: '2026-12-04' },
    });
    expect(klaar).toHaveBeenCalledWith('Vastgelegd: afgesloten op 4 dec 2026.', expect.anything(), expect.anything());
  });

  it('sends no confirmation for another reason', async () => {
    const { variabelen } = toonMetAntwoorden('afsluiten', context, [{ error: geweigerd }, {}]);
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Reden' }), 'Duurzaam aan het werk');
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    await gebruiker.click(screen.getByRole('checkbox', { name: bevestig }));
    await gebruiker.selectOptions(screen.getByRole('combobox', { name: 'Reden' }), 'Verhuisd');
    expect(screen.queryByRole('checkbox', { name: bevestig })).not.toBeInTheDocument();
    await gebruiker.click(screen.getByRole('button', { name: 'Vastleggen' }));
    expect(variabelen(1)).toMatchObject({ reden: 'Verhuisd', bevestigDuurzaam: false });
  });
});

// The Businesscase screen: the released years with the newest chosen, or that none is released;
// the header with the release, policy version, threshold, assumptions' version, care-cost source,
// rules and date, the notice when the nation's counts stand in and the estimates as notes; per
// party and scenario a table in euros, the charts with their tables; the what-if sent once the
// typing stops, its figures marked as a what-if with what changed, the form's own errors and the
// server's at the group it names, and the way back; landelijk chooses a region or the nation.
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError, Provider, type Client } from 'urql';
import { concat, delay, fromValue, never, pipe } from 'wonka';
import type { Ik } from '../src/sessie';

const sessie = vi.hoisted(() => ({ ik: {} as Ik }));
vi.mock('../src/sessie', () => ({
  useSessie: () => ({ ik: sessie.ik, token: 't', uitloggen: () => {} }),
  heeftRol: (ik: Ik, ...rollen: string[]) => ik.rollen.some((r) => rollen.includes(r)),
}));
const { Businesscase } = await import('../src/screens/Businesscase');

const s = '\u00a0';
const bereik = (laag: number, midden: number, hoog: number) => ({ laag, midden, hoog });
const perFinancier = (b: ReturnType<typeof bereik>) => ({ Gemeente: b, UWV: b, Zorgverzekeraar: b, GGZ: b, Anders: b });
const aannames = (versie: string) =>
  JSON.stringify({
    versie,
    kosten_per_trajectmaand: {
      IPS: perFinancier(bereik(350, 450, 550)),
      Jobcoaching: perFinancier(bereik(250, 320, 400)),
      WerkAlsBesteZorg: perFinancier(bereik(300, 380, 460)),
    },
    zorgkosten_effect_werk: bereik(0.25, 0.5, 0.5),
    zorgkosten_bron: 'Erasmus Universiteit Rotterdam: zorgkosten halveren',
    behoud_per_jaar: bereik(0.5, 0.7, 0.85),
    horizonten: [1, 5],
  });

const PARTIJEN = ['gemeente', 'UWV', 'zorgverzekeraar', 'GGZ-aanbieder', 'werkgever', 'Rijk', 'overig'];

function balans(partij: string, kosten: number, baten: number, breakEvenMaand: number | null) {
  return { __typename: 'PartijBalans', partij, kosten, baten, netto: baten - kosten, breakEvenMaand };
}

/** A case whose amounts grow with `factor` (a what-if of more trajectories). */
function casus({ factor = 1, watAls = false, landelijkeTellingen = false, schattingen = [] as string[], onderwerp = 'AM13 Midden-Utrecht' } = {}) {
  const scenarios = { laag: 0.8, midden: 1, hoog: 1.2 };
  return {
    __typename: 'Businesscase',
    onderwerp,
    regio: 'AM13',
    landelijkeTellingen,
    schattingen,
    vrijgave: {
      __typename: 'BusinesscaseVrijgave',
      jaar: 2025,
      nummer: 1,
      peildatum: '2026-02-10',
      storePositie: 4711,
      beleidsversie: 'duurzaam-v2',
      drempel: 10,
    },
    aannamesVersie: watAls ? 'AM13-2026-1 + wat-als' : 'AM13-2026-1',
    aannames: aannames(watAls ? 'AM13-2026-1 + wat-als' : 'AM13-2026-1'),
    watAls,
    trajecten: [
      { __typename: 'MethodeTrajecten', methode: 'IPS', geteld: 60, berekend: 60 * factor },
      { __typename: 'MethodeTrajecten', methode: 'Jobcoaching', geteld: 40, berekend: 40 },
      { __typename: 'MethodeTrajecten', methode: 'WerkAlsBesteZorg', geteld: 0, berekend: 0 },
    ],
    uitkomsten: Object.entries(scenarios).flatMap(([scenario, b]) =>
      [1, 5].map((h) => {
        const partijen = PARTIJEN.map((p, i) => balans(p, i < 3 ? 10000 * (i + 1) * factor * h : 0, i < 3 ? 9000 * (i + 1) * b * factor * h : 0, h === 5 ? 20 + i : null));
        const kosten = partijen.reduce((t, p) => t + p.kosten, 0);
        const baten = partijen.reduce((t, p) => t + p.baten, 0);
        return {
          __typename: 'BusinesscaseUitkomst',
          scenario,
          horizonJaren: h,
          partijen,
          totaal: balans('totaal', kosten, baten, h === 5 ? 30 : null),
          cumulatiefNetto: Array.from({ length: h * 12 }, (_, m) => -kosten / 2 + ((m + 1) * (baten - kosten / 2)) / (h * 12)),
        };
      }),
    ),
    regels: 'Alle bedragen zijn aantallen en duren uit een vrijgave maal de aannames.',
  };
}

type Op = { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> };

function toon(
  rollen: Ik['rollen'],
  {
    jaren = [2025, 2024],
    basis = casus(),
    watAls = (_w: unknown) => ({ data: { businesscase: casus({ factor: 2, watAls: true }) } }) as { data?: unknown; error?: CombinedError },
  } = {},
) {
  sessie.ik = { id: 'x', naam: 'X', rollen, regio: rollen.includes('REGIO') ? 'AM13' : null };
  const executeQuery = vi.fn((op: Op) => {
    const naam = op.query.definitions[0].name?.value;
    if (naam === 'BusinesscaseVrijgaven') {
      return fromValue({
        operation: op,
        data: { businesscaseVrijgaven: jaren.map((jaar) => ({ __typename: 'BusinesscaseVrijgave', jaar, nummer: 1 })) },
        stale: false,
        hasNext: false,
      });
    }
    if (!op.variables.watAls) return fromValue({ operation: op, data: { businesscase: basis }, stale: false, hasNext: false });
    // A what-if's answer comes later, as over the network, and its source stays open as the
    // client's does (a source that ends clears the hook's error).
    return pipe(concat([fromValue({ operation: op, ...watAls(op.variables.watAls), stale: false, hasNext: false }), never]), delay(5));
  });
  const client = { suspense: false, executeQuery } as unknown as Client;
  render(
    <Provider value={client}>
      <Businesscase />
    </Provider>,
  );
  return { executeQuery };
}

const casusVariabelen = (executeQuery: ReturnType<typeof toon>['executeQuery']) =>
  executeQuery.mock.calls.map(([op]) => op).filter((op) => op.query.definitions[0].name?.value === 'Businesscase').map((op) => op.variables);

/** The report's header (a header within an article is no banner landmark). */
const rapportKop = () => document.querySelector<HTMLElement>('.traject-rapport-kop')!;
const partijTabel = () => screen.getByRole('table', { name: /^Kosten, baten, netto en break-even per partij en scenario/ });
/** The cells of a party's row in a scenario. */
function partijRij(partij: string, scenario: string): string[] {
  const groep = partijTabel().querySelector(`tbody[data-partij="${partij}"] tr[data-scenario="${scenario}"]`) as HTMLElement;
  return within(groep).getAllByRole('cell').map((c) => c.textContent ?? '');
}

describe('Businesscase voor een regio', () => {
  it('offers the released years with the newest chosen, and the horizons with the longest', () => {
    const { executeQuery } = toon(['REGIO']);
    expect(within(screen.getByLabelText('Jaar')).getAllByRole('option').map((o) => o.textContent)).toEqual(['2025', '2024']);
    expect(screen.getByLabelText('Jaar')).toHaveValue('2025');
    expect(within(screen.getByLabelText('Horizon')).getAllByRole('option').map((o) => o.textContent)).toEqual(['1 jaar', '5 jaar']);
    expect(screen.getByLabelText('Horizon')).toHaveValue('5');
    expect(screen.queryByLabelText('Regio')).toBeNull();
    expect(casusVariabelen(executeQuery)[0]).toEqual({ jaar: 2025, regio: null, watAls: null });
  });

  it('says so when no year is released', () => {
    toon(['REGIO'], { jaren: [] });
    expect(screen.getByRole('status')).toHaveTextContent('Er is nog geen businesscase vrijgegeven.');
    expect(screen.queryByLabelText('Jaar')).toBeNull();
  });

  it('states the subject, release, policy, threshold, assumptions and their source, the rules and the date', () => {
    toon(['REGIO']);
    expect(screen.getByRole('heading', { level: 2, name: 'Businesscase 2025: AM13 Midden-Utrecht' })).toBeInTheDocument();
    const kop = rapportKop();
    const tekst = kop.textContent ?? '';
    expect(tekst).toContain('vrijgave 1 (de eerste) van de tellingen van 2025');
    expect(tekst).toContain('10 feb 2026');
    expect(tekst).toContain('duurzaambeleid versie 2');
    expect(tekst).toContain('T = 10');
    expect(tekst).toContain('versie AM13-2026-1');
    expect(tekst).toContain('Erasmus Universiteit Rotterdam: zorgkosten halveren');
    expect(tekst).toContain('IPS 60, Jobcoaching 40, Werk als beste zorg 0');
    expect(tekst).toContain('Alle bedragen zijn aantallen en duren uit een vrijgave maal de aannames.');
    expect(within(kop).getByText('Datum')).toBeInTheDocument();
    expect(screen.queryByText(/Landelijke tellingen/)).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Schattingen' })).toBeNull();
  });

  it('says when the nation counts stand in, and lists what is estimated', () => {
    toon(['REGIO'], { basis: casus({ landelijkeTellingen: true, schattingen: ['IPS: de verdeling over financiers is de landelijke.'] }) });
    expect(screen.getByRole('alert')).toHaveTextContent('De tellingen van deze regio zijn te klein om te tonen.');
    expect(screen.getByRole('alert')).toHaveTextContent('tellingen van heel Nederland en met de aannames van de regio');
    expect(screen.getByRole('heading', { level: 3, name: 'Schattingen' })).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Schattingen' })).toHaveTextContent('IPS: de verdeling over financiers is de landelijke.');
  });

  it('shows per party and scenario the costs, returns, net and break-even in euros', () => {
    toon(['REGIO']);
    expect(within(partijTabel()).getAllByRole('columnheader').map((k) => k.textContent)).toEqual(['Partij', 'Scenario', 'Kosten', 'Baten', 'Netto', 'Break-even']);
    expect(within(partijTabel()).getAllByRole('rowheader', { name: /^(Gemeente|UWV|Zorgverzekeraar|GGZ-aanbieder|Werkgever|Rijk|Overig|Totaal)$/ })).toHaveLength(8);
    expect(partijRij('UWV', 'midden')).toEqual([`€${s}100.000`, `€${s}90.000`, `€${s}-10.000`, 'sep 2026 (maand 21)']);
    expect(partijRij('UWV', 'hoog')).toEqual([`€${s}100.000`, `€${s}108.000`, `€${s}8.000`, 'sep 2026 (maand 21)']);
    expect(partijRij('totaal', 'midden')).toEqual([`€${s}300.000`, `€${s}270.000`, `€${s}-30.000`, 'jun 2027 (maand 30)']);
    // The one-year horizon: no break-even within it.
    const gebruiker = userEvent.setup();
    return gebruiker.selectOptions(screen.getByLabelText('Horizon'), '1 jaar').then(() => {
      expect(partijRij('totaal', 'midden')).toEqual([`€${s}60.000`, `€${s}54.000`, `€${s}-6.000`, 'niet binnen de horizon']);
    });
  });

  it('draws costs beside returns and the cumulative net, each with a table', () => {
    toon(['REGIO']);
    expect(screen.getByRole('img', { name: /^Kosten en baten per partij, scenario midden, over 5 jaar: AM13 Midden-Utrecht; dezelfde getallen staan in de tabel$/ })).toBeInTheDocument();
    const kb = screen.getByRole('table', { name: /^Kosten en baten per partij, scenario midden/ });
    expect(within(kb).getAllByRole('row')).toHaveLength(1 + 8);
    expect(screen.getByRole('img', { name: /^Cumulatief netto resultaat van alle partijen per maand, over 5 jaar/ })).toBeInTheDocument();
    const verloop = screen.getByRole('table', { name: /^Cumulatief netto resultaat aan het eind van elk jaar/ });
    expect(within(verloop).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['dec 2025', 'dec 2026', 'dec 2027', 'dec 2028', 'dec 2029']);
    expect(document.body.textContent).toContain('midden jun 2027 (maand 30)');
    const horizonten = screen.getByRole('table', { name: /^Netto resultaat van alle partijen samen per horizon en scenario/ });
    expect(within(horizonten).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['1 jaar', '5 jaar']);
  });
});

describe('Wat als', () => {
  it('recomputes once the typing stops, and marks the figures as a what-if with what changed', async () => {
    const { executeQuery } = toon(['REGIO']);
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'Wat-als invullen' }));
    const groep = screen.getByRole('group', { name: 'Aantal trajecten per methode' });
    const ips = within(groep).getByLabelText('IPS');
    expect(ips).toHaveValue('60');
    await gebruiker.clear(ips);
    await gebruiker.type(ips, '120');
    await screen.findByRole('heading', { level: 2, name: 'Businesscase 2025: AM13 Midden-Utrecht (wat als)' }, { timeout: 3000 });
    // Sent once, with the last value only.
    const watAls = casusVariabelen(executeQuery).filter((v) => v.watAls);
    expect(watAls).toEqual([{ jaar: 2025, regio: null, watAls: { trajecten: [{ methode: 'IPS', aantal: 120 }] } }]);
    const melding = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Wat als'))!;
    expect(melding).toHaveTextContent('Wat als: dit is niet de vastgestelde businesscase.');
    expect(melding).toHaveTextContent('IPS: 120 trajecten (geteld: 60)');
    expect(melding).toHaveTextContent('Er is niets opgeslagen.');
    expect(partijRij('totaal', 'midden')[0]).toBe(`€${s}600.000`);
    expect(rapportKop()).toHaveTextContent('versie AM13-2026-1 + wat-als');
    expect(rapportKop()).toHaveTextContent('IPS 120 (geteld 60)');
    expect(screen.getByText('Berekend: de cijfers hieronder zijn een wat-als.')).toBeInTheDocument();

    await gebruiker.click(screen.getByRole('button', { name: 'Terug naar de getelde aantallen' }));
    expect(ips).toHaveValue('60');
    await screen.findByRole('heading', { level: 2, name: 'Businesscase 2025: AM13 Midden-Utrecht' }, { timeout: 3000 });
    expect(partijRij('totaal', 'midden')[0]).toBe(`€${s}300.000`);
  });

  it('sends the changed assumptions as JSON over the region’s', async () => {
    const { executeQuery } = toon(['REGIO']);
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'Wat-als invullen' }));
    const behoud = screen.getByRole('group', { name: 'Behoud van werk per jaar' });
    expect(within(behoud).getByLabelText('Hoog (%)')).toHaveValue('85');
    await gebruiker.clear(within(behoud).getByLabelText('Hoog (%)'));
    await gebruiker.type(within(behoud).getByLabelText('Hoog (%)'), '95');
    await waitFor(() => expect(casusVariabelen(executeQuery).some((v) => v.watAls)).toBe(true), { timeout: 3000 });
    const verzonden = casusVariabelen(executeQuery).find((v) => v.watAls)!.watAls as { aannames: string };
    expect(JSON.parse(verzonden.aannames)).toEqual({ behoud_per_jaar: bereik(0.5, 0.7, 0.95) });
  });

  it('shows its own error at the field and sends nothing', async () => {
    const { executeQuery } = toon(['REGIO']);
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'Wat-als invullen' }));
    const kosten = screen.getByRole('group', { name: 'Kosten per trajectmaand, IPS' });
    const midden = within(kosten).getByLabelText('Midden (€)');
    await gebruiker.clear(midden);
    await gebruiker.type(midden, '-5');
    expect(midden).toHaveAttribute('aria-invalid', 'true');
    expect(midden).toHaveAccessibleDescription('mag niet negatief zijn');
    expect(screen.getByText('Niet alle velden kloppen. Tot ze kloppen staan hieronder de vastgestelde cijfers.')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 600));
    expect(casusVariabelen(executeQuery).filter((v) => v.watAls)).toEqual([]);
  });

  it('shows the server’s refusal at the group it names, and the released figures', async () => {
    const fout = new CombinedError({
      graphQLErrors: [
        {
          message: 'behoud_per_jaar: laag, midden en hoog moeten oplopen',
          extensions: { code: 'BAD_USER_INPUT', veld: 'watAls.aannames.behoudPerJaar', regel: 'aanname_ongeldig' },
        },
      ],
    });
    toon(['REGIO'], { watAls: () => ({ error: fout }) });
    const gebruiker = userEvent.setup();
    await gebruiker.click(screen.getByRole('button', { name: 'Wat-als invullen' }));
    const behoud = screen.getByRole('group', { name: 'Behoud van werk per jaar' });
    await gebruiker.clear(within(behoud).getByLabelText('Laag (%)'));
    await gebruiker.type(within(behoud).getByLabelText('Laag (%)'), '90');
    await screen.findByText('De wat-als kan niet worden berekend: behoud_per_jaar: laag, midden en hoog moeten oplopen. Hieronder staan de vastgestelde cijfers.', undefined, {
      timeout: 3000,
    });
    expect(within(behoud).getByText('behoud_per_jaar: laag, midden en hoog moeten oplopen')).toBeInTheDocument();
    expect(within(behoud).getByLabelText('Laag (%)')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('heading', { level: 2, name: 'Businesscase 2025: AM13 Midden-Utrecht' })).toBeInTheDocument();
    expect(partijRij('totaal', 'midden')[0]).toBe(`€${s}300.000`);
  });
});

describe('Businesscase voor landelijk', () => {
  it('shows the nation by default and a chosen region of the 35', async () => {
    const { executeQuery } = toon(['LANDELIJK'], { basis: casus({ onderwerp: 'Nederland' }) });
    const regio = screen.getByLabelText('Regio');
    const opties = within(regio).getAllByRole('option').map((o) => o.textContent);
    expect(opties).toHaveLength(36);
    expect(opties.slice(0, 3)).toEqual(['Nederland', 'Groningen (AM01)', 'Friesland (AM02)']);
    expect(casusVariabelen(executeQuery)[0]).toEqual({ jaar: 2025, regio: null, watAls: null });
    await userEvent.setup().selectOptions(regio, 'Drechtsteden (AM23)');
    expect(casusVariabelen(executeQuery).at(-1)).toEqual({ jaar: 2025, regio: 'AM23', watAls: null });
  });
});

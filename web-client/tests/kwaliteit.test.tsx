// The Kwaliteitsrapport screen: the report's header with its release, policy version, threshold and
// rules; per group a table with the own value beside the national one and the median of the
// regions, a chart beside it; the cohorts as one table; hidden values only as `verborgen`; for a
// teamleider the notice that the own values are unprotected, and with a region too the choice of
// their organisation's report; for landelijk the choice of a region and the release of a year's
// report.
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 30_000 });
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import type { Ik } from '../src/sessie';

const sessie = vi.hoisted(() => ({ ik: {} as Ik }));
vi.mock('../src/sessie', () => ({
  useSessie: () => ({ ik: sessie.ik, token: 't', uitloggen: () => {} }),
  heeftRol: (ik: Ik, ...rollen: string[]) => ik.rollen.some((r) => rollen.includes(r)),
}));
const { Kwaliteit } = await import('../src/screens/Kwaliteit');

const waarde = (status: string, w: number | null = null, teller: number | null = null, noemer: number | null = null) => ({
  __typename: 'KwaliteitWaarde',
  status,
  waarde: w,
  teller,
  noemer,
});
const VERBORGEN = waarde('verborgen');

function rij(
  groep: string,
  code: string,
  omschrijving: string,
  soort: string,
  eigen: ReturnType<typeof waarde>,
  landelijk: ReturnType<typeof waarde>,
  { norm = null, mediaanRegios = null, regiosMetWaarde = 0 }: { norm?: number | null; mediaanRegios?: number | null; regiosMetWaarde?: number } = {},
) {
  return { __typename: 'KwaliteitRij', groep, code, omschrijving, soort, norm, eigen, landelijk, mediaanRegios, regiosMetWaarde };
}

function rapport(eigenOrganisatie = false, onderwerp = 'AM13 Midden-Utrecht') {
  return {
    __typename: 'Kwaliteitsrapport',
    onderwerp,
    van: '2025Q1',
    tot: '2025Q4',
    eigenOrganisatie,
    regels: 'Elk aantal van 1 tot 10 is verborgen.',
    vrijgave: {
      __typename: 'CijferVrijgave',
      kwartaal: '2025Q4',
      nummer: 2,
      peildatum: '2026-02-10',
      beleidsversie: 'duurzaam-v2',
      drempel: 10,
      afronden: false,
    },
    rijen: [
      rij('Instroom', 'gestart', 'Gestart (intake afgerond)', 'aantal', VERBORGEN, waarde('getoond', 544), { norm: 100 }),
      rij('Instroom', 'gestart_IPS', 'Methode IPS', 'aandeel', VERBORGEN, waarde('getoond', 0.5202, 283, 544)),
      rij('Cohort intake 2024Q1', 'cohort_2024Q1_grootte', 'Intakes in het kwartaal', 'aantal', waarde('getoond', 12), waarde('getoond', 153)),
      rij('Cohort intake 2024Q1', 'cohort_2024Q1_werk_6m', 'Aan het werk binnen 6 maanden na intake', 'aandeel', waarde('getoond', 0.25, 3, 12), waarde('getoond', 0.1634, 25, 153)),
      rij('Cohort intake 2024Q1', 'cohort_2024Q1_werk_12m', 'Aan het werk binnen 12 maanden na intake', 'aandeel', VERBORGEN, VERBORGEN),
      rij('Cohort intake 2025Q4', 'cohort_2025Q4_grootte', 'Intakes in het kwartaal', 'aantal', waarde('geen'), waarde('getoond', 114)),
      rij('Cohort intake 2025Q4', 'cohort_2025Q4_werk_6m', 'Aan het werk binnen 6 maanden na intake', 'aandeel', waarde('geen'), VERBORGEN),
      rij('Cohort intake 2025Q4', 'cohort_2025Q4_werk_12m', 'Aan het werk binnen 12 maanden na intake', 'aandeel', waarde('nog_niet_bekend'), waarde('nog_niet_bekend')),
      rij('Werkgeverscontact', 'mediaan_dagen_tot_contact', 'Mediaan dagen van intake tot eerste werkgeverscontact', 'mediaan', waarde('getoond', 25.5), waarde('getoond', 24), { norm: 30, mediaanRegios: 26, regiosMetWaarde: 12 }),
    ],
  };
}

interface Antwoorden {
  rapport: ReturnType<typeof rapport>;
}

function toon(rollen: Ik['rollen'], { rapport: r }: Antwoorden, regio: string | null = 'AM13') {
  sessie.ik = { id: 'x', naam: 'X', rollen, regio };
  const executeQuery = vi.fn((op: { query: { definitions: { name?: { value: string } }[] }; variables: Record<string, unknown> }) => {
    const naam = op.query.definitions[0].name?.value;
    const data =
      naam === 'Kwaliteitsrapporten'
        ? { kwaliteitsrapporten: ['2025Q4', '2024Q4'] }
        : naam === 'KwaliteitRegios'
          ? {
              regioCijfers: {
                __typename: 'RegioCijfers',
                cellen: [
                  { __typename: 'CijferCel', regio: 'AM13', regionaam: 'Midden-Utrecht' },
                  { __typename: 'CijferCel', regio: 'AM01', regionaam: 'Groningen' },
                  { __typename: 'CijferCel', regio: 'NL', regionaam: 'Nederland' },
                ],
              },
            }
          : { kwaliteitsrapport: r };
    return fromValue({ data, stale: false, hasNext: false });
  });
  const executeMutation = vi.fn(() =>
    fromValue({
      error: undefined,
      data: undefined,
    }),
  );
  const client = { suspense: false, executeQuery, executeMutation } as unknown as Client;
  render(
    <Provider value={client}>
      <Kwaliteit />
    </Provider>,
  );
  return { executeQuery, executeMutation };
}

const rijMet = (tabel: HTMLElement, naam: string) =>
  within(tabel)
    .getAllByRole('row')
    .find((r) => within(r).queryAllByRole('rowheader').some((h) => h.textContent === naam))!;
const cellenVan = (r: HTMLElement) => within(r).getAllByRole('cell').map((c) => c.textContent);
const rapportVariabelen = (executeQuery: ReturnType<typeof toon>['executeQuery']) =>
  executeQuery.mock.calls
    .map(([op]) => op)
    .filter((op) => op.query.definitions[0].name?.value === 'Kwaliteitsrapport')
    .map((op) => op.variables);

describe('Kwaliteitsrapport voor een regio', () => {
  it('offers the released reports, a calendar year by its year', () => {
    toon(['REGIO'], { rapport: rapport() });
    const keuze = screen.getByLabelText('Rapport');
    expect(within(keuze).getAllByRole('option').map((o) => o.textContent)).toEqual(['2025', '2024']);
    expect(screen.queryByLabelText('Rapport van')).toBeNull();
    expect(screen.queryByLabelText('Regio')).toBeNull();
    expect(screen.queryByRole('form', { name: 'Rapport vrijgeven' })).toBeNull();
  });

  it('states the subject, period, release, peildatum, policy version, threshold and rules', () => {
    toon(['REGIO'], { rapport: rapport() });
    expect(screen.getByRole('heading', { level: 2, name: 'Kwaliteitsrapport 2025: AM13 Midden-Utrecht' })).toBeInTheDocument();
    const tekst = document.body.textContent ?? '';
    expect(tekst).toContain('1e kwartaal 2025 tot en met 4e kwartaal 2025');
    expect(tekst).toContain('vrijgave 2 (correctie 1)');
    expect(tekst).toContain('10 feb 2026');
    expect(tekst).toContain('duurzaambeleid versie 2');
    expect(tekst).toContain('T = 10: aantallen van 1 tot 10 zijn verborgen.');
    expect(tekst).toContain('Elk aantal van 1 tot 10 is verborgen.');
    expect(screen.queryByText(/Alleen voor intern gebruik/)).toBeNull();
  });

  it('shows each figure beside the national value, the median of the regions and the norm; hidden as verborgen', () => {
    toon(['REGIO'], { rapport: rapport() });
    const tabel = screen.getByRole('table', { name: "Instroom: AM13 Midden-Utrecht naast Nederland en de regio's" });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual([
      'Cijfer',
      'AM13 Midden-Utrecht',
      'Nederland',
      "Mediaan regio's",
      'Norm',
    ]);
    expect(cellenVan(rijMet(tabel, 'Gestart (intake afgerond)'))).toEqual(['verborgen', '544', '–geen regio met een getoonde waarde', 'doel 100']);
    expect(cellenVan(rijMet(tabel, 'Methode IPS'))).toEqual(['verborgen', '52% 283 van 544', '–geen regio met een getoonde waarde', '']);
    const contact = screen.getByRole('table', { name: /^Werkgeverscontact:/ });
    expect(cellenVan(rijMet(contact, 'Mediaan dagen van intake tot eerste werkgeverscontact'))).toEqual([
      '25,5',
      '24',
      "26 over 12 regio's",
      'ten hoogste 30',
    ]);
    expect(screen.getByRole('img', { name: /^Instroom: AM13 Midden-Utrecht naast Nederland en de mediaan van de regio's; dezelfde getallen staan in de tabel$/ })).toBeInTheDocument();
    // Never a zero for a hidden value, never a code.
    const tekst = document.body.textContent ?? '';
    expect(tekst).not.toMatch(/gestart_|cohort_|nog_niet_bekend|\bgetoond\b/);
  });

  it('shows the cohorts as one table: a row group per intake quarter, a column per horizon', () => {
    toon(['REGIO'], { rapport: rapport() });
    const tabel = screen.getByRole('table', { name: /^Cohorten naar kwartaal van intake/ });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual([
      'Kwartaal van intake',
      'Waarde van',
      'Intakes',
      'Aan het werk binnen 6 maanden',
      'Aan het werk binnen 12 maanden',
    ]);
    const groepen = tabel.querySelectorAll('tbody');
    expect(groepen).toHaveLength(2);
    const [eigen, nl] = within(groepen[0] as HTMLElement).getAllByRole('row');
    expect(within(eigen).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['1e kwartaal 2024', 'Regio']);
    expect(cellenVan(eigen)).toEqual(['12', '25% 3 van 12', 'verborgen']);
    expect(cellenVan(nl)).toEqual(['153', '16% 25 van 153', 'verborgen']);
    const [laatste] = within(groepen[1] as HTMLElement).getAllByRole('row');
    expect(cellenVan(laatste)).toEqual(['geen', 'geen', 'nog niet bekend']);
    expect(screen.getByRole('img', { name: /^Aan het werk binnen 6 maanden, per kwartaal van intake/ })).toBeInTheDocument();
  });

  it('asks the report of its own region, without a region', () => {
    const { executeQuery } = toon(['REGIO'], { rapport: rapport() });
    expect(rapportVariabelen(executeQuery)[0]).toEqual({ kwartaal: '2025Q4', regio: null, eigenOrganisatie: false });
  });
});

describe('Kwaliteitsrapport voor een teamleider', () => {
  it('says the own values are unprotected and for internal use only', () => {
    toon(['TEAMLEIDER'], { rapport: rapport(true, 'organisatie org-am13-1') });
    const melding = screen.getByRole('alert');
    expect(melding).toHaveTextContent('Alleen voor intern gebruik.');
    expect(melding).toHaveTextContent('niet beschermd');
    expect(screen.getByRole('table', { name: "Instroom: Eigen organisatie naast Nederland en de regio's" })).toBeInTheDocument();
  });
});

describe('Kwaliteitsrapport voor een teamleider die ook regio is', () => {
  it("chooses between the region's report and the organisation's own", async () => {
    const { executeQuery } = toon(['TEAMLEIDER', 'REGIO'], { rapport: rapport() });
    expect(rapportVariabelen(executeQuery).at(-1)).toEqual({ kwartaal: '2025Q4', regio: null, eigenOrganisatie: false });
    const van = screen.getByLabelText('Rapport van');
    expect(within(van).getAllByRole('option').map((o) => o.textContent)).toEqual(['Eigen regio', 'Eigen organisatie']);
    await userEvent.setup().selectOptions(van, 'Eigen organisatie');
    expect(rapportVariabelen(executeQuery).at(-1)).toEqual({ kwartaal: '2025Q4', regio: null, eigenOrganisatie: true });
    expect(screen.queryByRole('form', { name: 'Rapport vrijgeven' })).toBeNull();
  });
});

describe('Kwaliteitsrapport voor landelijk', () => {
  it('shows the nation by default without a national column, and a chosen region', async () => {
    const { executeQuery } = toon(['LANDELIJK'], { rapport: rapport(false, 'Nederland') }, null);
    const regio = screen.getByLabelText('Regio');
    expect(within(regio).getAllByRole('option').map((o) => o.textContent)).toEqual(['Nederland', 'Groningen (AM01)', 'Midden-Utrecht (AM13)']);
    const tabel = screen.getByRole('table', { name: "Instroom: Nederland naast de regio's" });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual(['Cijfer', 'Nederland', "Mediaan regio's", 'Norm']);
    await userEvent.setup().selectOptions(regio, 'Groningen (AM01)');
    expect(rapportVariabelen(executeQuery).at(-1)).toEqual({ kwartaal: '2025Q4', regio: 'AM01', eigenOrganisatie: false });
  });

  it('releases a chosen report', async () => {
    const { executeMutation } = toon(['LANDELIJK'], { rapport: rapport(false, 'Nederland') }, null);
    const formulier = screen.getByRole('form', { name: 'Rapport vrijgeven' });
    const gebruiker = userEvent.setup();
    await gebruiker.selectOptions(within(formulier).getByLabelText('Rapport om vrij te geven'), '2025');
    await gebruiker.click(within(formulier).getByRole('button', { name: 'Vrijgeven' }));
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect((executeMutation.mock.calls[0] as unknown as [{ variables: unknown }])[0].variables).toEqual({ kwartaal: '2025' });
  });
});

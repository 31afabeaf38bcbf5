// The Cijfers screen: for landelijk the regions of a chosen quarter and measure side by side;
// for every reader the median days to the first employer contact and the closings per reason,
// each chart with its table; hidden values only as `verborgen`; no code on screen.
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Tables of every region and quarter are big for jsdom: room for a busy machine.
vi.setConfig({ testTimeout: 30_000 });
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import type { Ik } from '../src/sessie';
import { Staafdiagram } from '../src/Staafdiagram';

const sessie = vi.hoisted(() => ({ ik: {} as Ik }));
vi.mock('../src/sessie', () => ({
  useSessie: () => ({ ik: sessie.ik, token: 't', uitloggen: () => {} }),
  heeftRol: (ik: Ik, ...rollen: string[]) => ik.rollen.some((r) => rollen.includes(r)),
}));
// Imported after the mock.
const { Cijfers } = await import('../src/screens/Cijfers');

const MATEN = [
  'aangemeld',
  'gestart',
  'lopend',
  'eerste_plaatsing',
  'duurzaam_bereikt',
  'met_betaald_werk',
  'in_waakvlam',
  'opgeschaald',
  'afgesloten',
  'afgesloten_DuurzaamAanHetWerk',
  'afgesloten_Uitval',
  'afgesloten_Overig',
];
const NAMEN: Record<string, string> = { AM01: 'Groningen', AM13: 'Midden-Utrecht', NL: 'Nederland' };

/** A cell whose counts are `basis` plus the measure's index, hidden where `verborgen` names it. */
function cel(regio: string, periode: string, methode: string, basis: number, verborgen: string[] = [], mediaan: number | null = null) {
  return {
    __typename: 'CijferCel',
    regio,
    regionaam: NAMEN[regio],
    periode,
    methode,
    maten: MATEN.map((maat, i) => ({
      __typename: 'CijferWaarde',
      maat,
      waarde: verborgen.includes(maat) ? null : basis + i,
      verborgen: verborgen.includes(maat),
    })),
    mediaanDagenTotWerkgeverscontact: mediaan,
  };
}

function cellen() {
  const uit = [];
  for (const regio of ['AM01', 'AM13', 'NL']) {
    for (const periode of ['2025Q2', '2025Q3']) {
      for (const methode of ['IPS', 'Jobcoaching', 'WerkAlsBesteZorg', 'totaal']) {
        const basis = regio === 'NL' ? 100 : regio === 'AM13' ? 40 : 20;
        const verborgen = regio === 'AM01' ? ['gestart', 'afgesloten_Uitval'] : [];
        const mediaan = regio === 'AM01' ? null : periode === '2025Q3' ? 21.5 : 34;
        uit.push(cel(regio, periode, methode, basis + (periode === '2025Q3' ? 1000 : 0), verborgen, mediaan));
      }
    }
  }
  return uit;
}

const ANTWOORD = {
  regioCijfers: {
    __typename: 'RegioCijfers',
    bereik: 'landelijk',
    van: '2025Q1',
    tot: '2026Q4',
    vrijgaven: ['2025Q2', '2025Q3'].map((kwartaal) => ({
      __typename: 'CijferVrijgave',
      kwartaal,
      nummer: 1,
      peildatum: '2026-12-04',
      beleidsversie: 'duurzaam-v2',
    })),
    nietVrijgegeven: ['2025Q1', '2025Q4'],
    voorlopig: false,
    drempel: 10,
    afronden: false,
    regels: 'Elk aantal van 1 tot 10 is verborgen.',
    cellen: cellen(),
    voortgang: [],
  },
};

function toon(rollen: Ik['rollen'], regio: string | null = 'AM13') {
  sessie.ik = { id: 'x', naam: 'X', rollen, regio };
  const antwoord = rollen.includes('LANDELIJK')
    ? ANTWOORD
    : { regioCijfers: { ...ANTWOORD.regioCijfers, cellen: ANTWOORD.regioCijfers.cellen.filter((c) => c.regio === regio) } };
  const executeQuery = vi.fn(() => fromValue({ data: antwoord, stale: false, hasNext: false }));
  const client = { suspense: false, executeQuery, executeMutation: vi.fn() } as unknown as Client;
  render(
    <Provider value={client}>
      <Cijfers />
    </Provider>,
  );
}

const rijkoppen = (tabel: HTMLElement) => within(tabel).getAllByRole('rowheader').map((c) => c.textContent);
const rij = (tabel: HTMLElement, naam: string) =>
  within(tabel)
    .getAllByRole('row')
    .find((r) => within(r).queryByRole('rowheader')?.textContent === naam)!;
const cellenVan = (r: HTMLElement) => within(r).getAllByRole('cell').map((c) => c.textContent);

describe('Cijfers voor landelijk', () => {
  beforeEach(() => toon(['LANDELIJK'], null));

  it('shows the regions side by side for the latest released quarter: a row per region and the national row', () => {
    const tabel = screen.getByRole('table', { name: 'Gestart (intake afgerond) per regio, 3e kwartaal 2025' });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual([
      'Regio',
      'IPS',
      'Jobcoaching',
      'Werk als beste zorg',
      'Alle methoden',
    ]);
    expect(rijkoppen(tabel)).toEqual(['Groningen (AM01)', 'Midden-Utrecht (AM13)', 'Nederland']);
    // Hidden: only the marker; published: the number (gestart is the measure at index 1).
    expect(cellenVan(rij(tabel, 'Groningen (AM01)'))).toEqual(['verborgen', 'verborgen', 'verborgen', 'verborgen']);
    expect(cellenVan(rij(tabel, 'Nederland'))).toEqual(['1.101', '1.101', '1.101', '1.101']);
  });

  it('compares another quarter and measure when chosen, the median and a closing reason among them', async () => {
    const gebruiker = userEvent.setup();
    const vergelijk = screen.getByRole('form', { name: "Regio's vergelijken" });
    await gebruiker.selectOptions(within(vergelijk).getByLabelText('Kwartaal'), '2e kwartaal 2025');
    await gebruiker.selectOptions(within(vergelijk).getByLabelText('Maat'), 'Dagen van intake tot eerste werkgeverscontact (mediaan)');
    let tabel = screen.getByRole('table', {
      name: 'Dagen van intake tot eerste werkgeverscontact (mediaan) per regio, 2e kwartaal 2025',
    });
    expect(cellenVan(rij(tabel, 'Midden-Utrecht (AM13)'))).toEqual(['34', '34', '34', '34']);
    expect(cellenVan(rij(tabel, 'Groningen (AM01)'))).toEqual(['verborgen', 'verborgen', 'verborgen', 'verborgen']);
    await gebruiker.selectOptions(within(vergelijk).getByLabelText('Maat'), 'Afgesloten: uitval');
    tabel = screen.getByRole('table', { name: 'Afgesloten: uitval per regio, 2e kwartaal 2025' });
    expect(cellenVan(rij(tabel, 'Nederland'))).toEqual(['110', '110', '110', '110']);
  });

  it('shows the median days to the first employer contact against the IPS norm, chart and table', () => {
    const tabel = screen.getByRole('table', {
      name: 'Mediaan dagen van intake tot eerste werkgeverscontact per kwartaal en methode, Nederland',
    });
    expect(rijkoppen(tabel)).toEqual(['2e kwartaal 2025', '3e kwartaal 2025']);
    expect(cellenVan(rij(tabel, '3e kwartaal 2025'))).toEqual(['21,5', '21,5', '21,5', '21,5']);
    expect(screen.getByRole('img', { name: /^Mediaan dagen tot eerste werkgeverscontact per kwartaal, Nederland/ })).toBeInTheDocument();
    expect(screen.getAllByText(/IPS vraagt ten hoogste 30 dagen/).length).toBeGreaterThan(0);
  });

  it('shows the closings per reason in a table with its headers', () => {
    const tabel = screen.getByRole('table', { name: 'Afgesloten trajecten per kwartaal en reden, Nederland' });
    expect(within(tabel).getAllByRole('columnheader').map((k) => k.textContent)).toEqual([
      'Kwartaal',
      'Afgesloten',
      'Duurzaam aan het werk',
      'Uitval',
      'Andere reden (verhuisd, geen werkwens, overleden, anders)',
    ]);
    expect(cellenVan(rij(tabel, '2e kwartaal 2025'))).toEqual(['108', '109', '110', '111']);
  });

  it('shows the chosen region in the tables of one region, hidden values as verborgen', async () => {
    await userEvent.setup().selectOptions(screen.getByLabelText('Regio'), 'Groningen (AM01)');
    const tabel = screen.getByRole('table', { name: 'Afgesloten trajecten per kwartaal en reden, Groningen (AM01)' });
    expect(cellenVan(rij(tabel, '3e kwartaal 2025'))).toEqual(['1.028', '1.029', 'verborgen', '1.031']);
  });

  it('shows no code, no quarter code and no internal word', () => {
    const tekst = document.body.textContent ?? '';
    expect(tekst).not.toMatch(/afgesloten_|mediaan_|_|\d{4}Q\d|WerkAlsBesteZorg|storepositie|store|duurzaam-v2|totaal\b/i);
    expect(tekst).toContain('3e kwartaal 2025: vrijgegeven op 4 dec 2026 (duurzaambeleid versie 2)');
  });
});

describe('Cijfers voor een regio', () => {
  it('shows its own region without the comparison, with the new measures', () => {
    toon(['REGIO'], 'AM13');
    expect(screen.queryByRole('form', { name: "Regio's vergelijken" })).toBeNull();
    expect(screen.getByRole('table', { name: /^Mediaan dagen .* Midden-Utrecht \(AM13\)$/ })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: 'Afgesloten trajecten per kwartaal en reden, Midden-Utrecht (AM13)' })).toBeInTheDocument();
  });
});

describe('Staafdiagram', () => {
  it('draws a hidden value with the one marker, never a question mark or a zero', () => {
    const { container } = render(
      <Staafdiagram
        titel="Gestart per kwartaal"
        reeks={[
          { label: '2025Q2', waarde: 12, verborgen: false },
          { label: '2025Q3', waarde: null, verborgen: true },
        ]}
        norm={{ waarde: 30, tekst: 'IPS-norm: ten hoogste 30 dagen' }}
      />,
    );
    const svg = screen.getByRole('img', { name: 'Gestart per kwartaal; dezelfde getallen staan in de tabel' });
    expect(svg.textContent).toContain('verborgen');
    expect(svg.textContent).not.toContain('?');
    expect(svg.textContent).toContain('K3');
    expect(container.querySelector('figcaption')?.textContent).toContain('De rode stippellijn: IPS-norm: ten hoogste 30 dagen.');
  });
});

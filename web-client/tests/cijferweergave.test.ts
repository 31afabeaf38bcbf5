// The figures in words: every measure the server publishes has a name, a cell's value is a number
// or hidden (the server's one marker, never why), and the regions of one quarter side by side.
import { describe, expect, it } from 'vitest';
import {
  MATEN,
  MEDIAAN,
  VERBORGEN,
  beleidTekst,
  kwartaalKort,
  kwartaalTekst,
  maatTekst,
  methodeTekst,
  regiosNaastElkaar,
  standaardKwartaal,
  waardeTekst,
  waardeVan,
  type CelGegevens,
} from '../src/cijferweergave';

/** The measures the server names (vrijgave's `Maat::alle`), and the median of the exports. */
const SERVER_MATEN = [
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
  'mediaan_dagen_tot_werkgeverscontact',
];

const cel = (regio: string, periode: string, methode: string, gestart: number | null, mediaan: number | null = null): CelGegevens => ({
  regio,
  regionaam: { AM01: 'Groningen', AM13: 'Midden-Utrecht', NL: 'Nederland' }[regio] ?? regio,
  periode,
  methode,
  maten: [
    { maat: 'gestart', waarde: gestart, verborgen: gestart === null },
    { maat: 'afgesloten_Uitval', waarde: 0, verborgen: false },
  ],
  mediaanDagenTotWerkgeverscontact: mediaan,
});

describe('de maten', () => {
  it('names every measure the server publishes, in words, without its code', () => {
    expect(MATEN.map((m) => m.waarde)).toEqual(SERVER_MATEN);
    for (const m of SERVER_MATEN) {
      expect(maatTekst(m)).not.toMatch(/_|[a-z][A-Z]/);
    }
    expect(maatTekst('afgesloten_Uitval')).toBe('Afgesloten: uitval');
    expect(maatTekst('afgesloten_DuurzaamAanHetWerk')).toBe('Afgesloten: duurzaam aan het werk');
    expect(maatTekst(MEDIAAN)).toBe('Dagen van intake tot eerste werkgeverscontact (mediaan)');
    expect(maatTekst('iets_nieuws')).toBe('iets nieuws');
  });

  it('names the methods with their labels and the total as all methods', () => {
    expect(methodeTekst('WerkAlsBesteZorg')).toBe('Werk als beste zorg');
    expect(methodeTekst('IPS')).toBe('IPS');
    expect(methodeTekst('totaal')).toBe('Alle methoden');
  });

  it('writes quarters and the policy version in words', () => {
    expect(kwartaalTekst('2025Q3')).toBe('3e kwartaal 2025');
    expect(kwartaalTekst('2025')).toBe('2025');
    expect(kwartaalKort('2026Q1')).toBe('K1 2026');
    expect(beleidTekst('duurzaam-v2')).toBe('duurzaambeleid versie 2');
  });
});

describe('waardeVan en waardeTekst', () => {
  it('gives a count, or hidden without a number, never a zero in its place', () => {
    const c = cel('AM13', '2025Q3', 'totaal', null, 21.5);
    expect(waardeVan(c, 'gestart')).toEqual({ waarde: null, verborgen: true });
    expect(waardeTekst(waardeVan(c, 'gestart'))).toBe(VERBORGEN);
    expect(waardeVan(c, 'afgesloten_Uitval')).toEqual({ waarde: 0, verborgen: false });
    expect(waardeTekst(waardeVan(c, 'afgesloten_Uitval'))).toBe('0');
    expect(waardeVan(c, 'lopend')).toBeUndefined();
    expect(waardeVan(undefined, 'gestart')).toBeUndefined();
    expect(waardeTekst(undefined)).toBe('–');
  });

  it('gives the median from its own field, hidden when the server gives none', () => {
    expect(waardeVan(cel('NL', '2025Q3', 'totaal', 10, 21), MEDIAAN)).toEqual({ waarde: 21, verborgen: false });
    expect(waardeTekst(waardeVan(cel('NL', '2025Q3', 'totaal', 10, 21.5), MEDIAAN))).toBe('21,5');
    expect(waardeVan(cel('NL', '2025Q3', 'totaal', 10, null), MEDIAAN)).toEqual({ waarde: null, verborgen: true });
  });

  it('writes numbers in Dutch notation', () => {
    expect(waardeTekst({ waarde: 12345, verborgen: false })).toBe('12.345');
  });
});

describe('regiosNaastElkaar', () => {
  const cellen = [
    cel('AM01', '2025Q2', 'IPS', 99),
    cel('AM01', '2025Q3', 'IPS', 12),
    cel('AM01', '2025Q3', 'totaal', null),
    cel('AM13', '2025Q3', 'IPS', 0),
    cel('AM13', '2025Q3', 'totaal', 30),
    cel('NL', '2025Q3', 'IPS', 40),
    cel('NL', '2025Q3', 'totaal', 80, 24),
  ];

  it('gives a row per region and the national row last, with a value per method, of one quarter', () => {
    const rijen = regiosNaastElkaar([cellen[6], ...cellen.slice(0, 6)], '2025Q3', 'gestart');
    expect(rijen.map((r) => r.regio)).toEqual(['AM01', 'AM13', 'NL']);
    expect(rijen.map((r) => r.landelijk)).toEqual([false, false, true]);
    expect(rijen[0].waarden).toEqual({ IPS: { waarde: 12, verborgen: false }, totaal: { waarde: null, verborgen: true } });
    expect(rijen[1].waarden.IPS).toEqual({ waarde: 0, verborgen: false });
    expect(rijen[2].regionaam).toBe('Nederland');
  });

  it('compares the median too', () => {
    const rijen = regiosNaastElkaar(cellen, '2025Q3', MEDIAAN);
    expect(rijen[2].waarden.totaal).toEqual({ waarde: 24, verborgen: false });
    expect(rijen[0].waarden.totaal).toEqual({ waarde: null, verborgen: true });
  });

  it('gives nothing for a quarter without figures', () => {
    expect(regiosNaastElkaar(cellen, '2024Q1', 'gestart')).toEqual([]);
  });
});

describe('standaardKwartaal', () => {
  it('takes the latest released quarter, else the latest quarter, never a year', () => {
    expect(standaardKwartaal(['2025Q2', '2025Q3', '2025Q4', '2025'], ['2025Q2', '2025Q3'])).toBe('2025Q3');
    expect(standaardKwartaal(['2025Q4', '2026Q1', '2026'], [])).toBe('2026Q1');
    expect(standaardKwartaal([], [])).toBeUndefined();
  });
});

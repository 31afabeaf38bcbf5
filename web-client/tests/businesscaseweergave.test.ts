// The business case in words: euros in Dutch, rounded as the server's files round them; the
// parties, scenarios and months of the horizon in words; the outcomes of one horizon per party
// and scenario; the points of the cumulative net the table shows; the chart's axis; the file
// names and the regions landelijk chooses from.
import { describe, expect, it } from 'vitest';
import {
  REGIOS,
  asVerdeling,
  breakEvenTekst,
  cumulatiefPunten,
  euroKort,
  euroTekst,
  exportNaam,
  horizonten,
  maandTekst,
  partijTabel,
  partijTekst,
  puntMaanden,
  rondEuro,
  scenarioTekst,
  uitkomstVan,
  zorgkostenBron,
  type Uitkomst,
} from '../src/businesscaseweergave';

/** Non-breaking space, as Intl writes it between `€` and the amount. */
const s = '\u00a0';

function balans(partij: string, kosten: number, baten: number, breakEvenMaand: number | null = null) {
  return { partij, kosten, baten, netto: baten - kosten, breakEvenMaand };
}

function uitkomst(scenario: string, horizonJaren: number, factor: number): Uitkomst {
  const partijen = [balans('gemeente', 1000 * factor, 800 * factor), balans('UWV', 0, 1500 * factor, 7), balans('zorgverzekeraar', 500, 0)];
  return {
    scenario,
    horizonJaren,
    partijen,
    totaal: balans('totaal', 1500 * factor, 2300 * factor, 9),
    cumulatiefNetto: Array.from({ length: horizonJaren * 12 }, (_, i) => (i + 1) * 100 * factor - 900),
  };
}

const uitkomsten = ['laag', 'midden', 'hoog'].flatMap((s, i) => [uitkomst(s, 1, i + 1), uitkomst(s, 5, i + 1), uitkomst(s, 2, i + 1)]);

describe('euroTekst', () => {
  it('writes whole euros in Dutch notation', () => {
    expect(euroTekst(12345)).toBe(`€${s}12.345`);
    expect(euroTekst(1234567.4)).toBe(`€${s}1.234.567`);
    expect(euroTekst(0)).toBe(`€${s}0`);
    expect(euroTekst(-1200)).toBe(`€${s}-1.200`);
  });

  it('rounds as the files do: to the nearest, a tie to the even one, never -0', () => {
    expect(rondEuro(2.5)).toBe(2);
    expect(rondEuro(3.5)).toBe(4);
    expect(rondEuro(-2.5)).toBe(-2);
    expect(rondEuro(2.51)).toBe(3);
    expect(rondEuro(-0.2)).toBe(0);
    expect(Object.is(rondEuro(-0.2), -0)).toBe(false);
    expect(euroTekst(-0.4)).toBe(`€${s}0`);
  });

  it('writes an axis label short from a million on', () => {
    expect(euroKort(250000)).toBe(`€${s}250.000`);
    expect(euroKort(1500000)).toBe('€ 1,5 mln');
    expect(euroKort(-2000000)).toBe('€ -2 mln');
  });
});

describe('in words', () => {
  it('names the parties and scenarios', () => {
    expect(partijTekst('gemeente')).toBe('Gemeente');
    expect(partijTekst('UWV')).toBe('UWV');
    expect(partijTekst('GGZ-aanbieder')).toBe('GGZ-aanbieder');
    expect(partijTekst('totaal')).toBe('Totaal');
    expect(partijTekst('provincie')).toBe('Provincie');
    expect(scenarioTekst('laag')).toBe('Laag');
    expect(scenarioTekst('midden')).toBe('Midden');
    expect(scenarioTekst('anders')).toBe('anders');
  });

  it('writes a month of the horizon as a calendar month from January of the year', () => {
    expect(maandTekst(2025, 1)).toBe('jan 2025');
    expect(maandTekst(2025, 12)).toBe('dec 2025');
    expect(maandTekst(2025, 14)).toBe('feb 2026');
    expect(maandTekst(2025, 60)).toBe('dec 2029');
    expect(breakEvenTekst(2025, 14)).toBe('feb 2026 (maand 14)');
    expect(breakEvenTekst(2025, null)).toBe('niet binnen de horizon');
    expect(breakEvenTekst(2025, undefined)).toBe('niet binnen de horizon');
  });
});

describe('the outcomes of a horizon', () => {
  it('lists the horizons shortest first and finds a scenario over one', () => {
    expect(horizonten(uitkomsten)).toEqual([1, 2, 5]);
    expect(uitkomstVan(uitkomsten, 'hoog', 2)?.totaal.kosten).toBe(4500);
    expect(uitkomstVan(uitkomsten, 'hoog', 3)).toBeUndefined();
  });

  it('gives every party in the server order, then the total, each in the three scenarios', () => {
    const tabel = partijTabel(uitkomsten, 5);
    expect(tabel.map((r) => r.partij)).toEqual(['gemeente', 'UWV', 'zorgverzekeraar', 'totaal']);
    expect(tabel[0].perScenario.laag?.kosten).toBe(1000);
    expect(tabel[0].perScenario.midden?.kosten).toBe(2000);
    expect(tabel[0].perScenario.hoog?.kosten).toBe(3000);
    expect(tabel[1].perScenario.midden?.breakEvenMaand).toBe(7);
    expect(tabel[3].perScenario.hoog?.netto).toBe(2400);
  });

  it('leaves a scenario the server did not give empty', () => {
    const tabel = partijTabel(uitkomsten.filter((u) => u.scenario !== 'laag'), 1);
    expect(tabel[0].perScenario.laag).toBeUndefined();
    expect(tabel[0].perScenario.midden?.kosten).toBe(2000);
  });
});

describe('the cumulative net as a table', () => {
  it('takes each quarter up to two years, else each year', () => {
    expect(puntMaanden(1)).toEqual([3, 6, 9, 12]);
    expect(puntMaanden(2)).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
    expect(puntMaanden(5)).toEqual([12, 24, 36, 48, 60]);
  });

  it('reads the value at the end of each such month, per scenario', () => {
    const punten = cumulatiefPunten(uitkomsten, 5);
    expect(punten.map((p) => p.maand)).toEqual([12, 24, 36, 48, 60]);
    expect(punten[0].waarden).toEqual({ laag: 1200 - 900, midden: 2400 - 900, hoog: 3600 - 900 });
    expect(punten[4].waarden.midden).toBe(60 * 200 - 900);
  });
});

describe('asVerdeling', () => {
  it('has zero among its ticks and steps of 1, 2 or 5 times a power of ten', () => {
    expect(asVerdeling(-900, 11100)).toEqual([-5000, 0, 5000, 10000, 15000]);
    expect(asVerdeling(0, 80)).toEqual([0, 20, 40, 60, 80]);
    expect(asVerdeling(-350000, -10000)).toEqual([-400000, -300000, -200000, -100000, 0]);
    expect(asVerdeling(0, 0)).toEqual([0, 0.5]);
  });
});

describe('files and choices', () => {
  it('names a download as the server does', () => {
    expect(exportNaam('AM13', 2025, 2, 'csv')).toBe('businesscase-AM13-2025-vrijgave2.csv');
    expect(exportNaam('NL', 2025, 1, 'xlsx')).toBe('businesscase-NL-2025-vrijgave1.xlsx');
  });

  it('offers the 35 regions once each, in the order of their codes', () => {
    expect(REGIOS).toHaveLength(35);
    const codes = REGIOS.map((r) => r.code);
    expect(new Set(codes).size).toBe(35);
    expect([...codes].sort()).toEqual(codes);
    expect(REGIOS.find((r) => r.code === 'AM13')?.naam).toBe('Midden-Utrecht');
  });

  it('reads the care-cost source from the assumptions', () => {
    expect(zorgkostenBron('{"versie":"x","zorgkosten_bron":"Erasmus"}')).toBe('Erasmus');
    expect(zorgkostenBron('{"versie":"x"}')).toBeUndefined();
    expect(zorgkostenBron('geen json')).toBeUndefined();
  });
});

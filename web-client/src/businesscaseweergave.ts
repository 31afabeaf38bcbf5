// The societal business case as the Businesscase screen shows it: euros in Dutch (`€ 12.345`,
// rounded as the server's files round them), the parties and scenarios in words, a month of the
// horizon as a calendar month, the outcomes of one horizon per party and scenario, and the
// cumulative net at the end of each quarter or year (the table beside the chart). The what-if
// (`watAls`) form is in watalsinvoer.ts.
import { METHODE } from './keuzelijsten';
import type { Methode } from './gql/graphql';

/** The scenarios, as the server names them: laag (highest costs, lowest returns), midden, hoog. */
export const SCENARIOS = ['laag', 'midden', 'hoog'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const SCENARIO_TEKST: Record<Scenario, string> = { laag: 'Laag', midden: 'Midden', hoog: 'Hoog' };

/** The parties in words; the server names them `gemeente`, `UWV`, …, and all together `totaal`. */
const PARTIJ_TEKST: Record<string, string> = {
  gemeente: 'Gemeente',
  UWV: 'UWV',
  zorgverzekeraar: 'Zorgverzekeraar',
  'GGZ-aanbieder': 'GGZ-aanbieder',
  werkgever: 'Werkgever',
  Rijk: 'Rijk',
  overig: 'Overig',
  totaal: 'Totaal',
};

/** A party in words; one a newer server adds, with a capital. */
export function partijTekst(partij: string): string {
  return PARTIJ_TEKST[partij] ?? partij.charAt(0).toUpperCase() + partij.slice(1);
}

/** A scenario in words; an unknown one as it is. */
export function scenarioTekst(scenario: string): string {
  return SCENARIO_TEKST[scenario as Scenario] ?? scenario;
}

/** A method in words. */
export function methodeNaam(methode: Methode): string {
  return METHODE[methode] ?? methode;
}

/**
 * Whole euros as the server's files write them (Rust's `{:.0}`: to the nearest, a tie to the
 * even one), so that the screen and the CSV show the same number; never `-0`.
 */
export function rondEuro(x: number): number {
  if (!Number.isFinite(x)) return 0;
  const beneden = Math.floor(x);
  const rest = x - beneden;
  const r = rest > 0.5 ? beneden + 1 : rest < 0.5 ? beneden : beneden % 2 === 0 ? beneden : beneden + 1;
  return r === 0 ? 0 : r;
}

const EURO = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 0 });

/** An amount in whole euros, Dutch notation: `€ 12.345`, `€ -1.200`. */
export function euroTekst(x: number): string {
  return EURO.format(rondEuro(x));
}

/** An amount short, for a chart's axis: `€ 250.000`, `€ 1,5 mln`. */
export function euroKort(x: number): string {
  if (Math.abs(x) >= 1_000_000) {
    const mln = (x / 1_000_000).toLocaleString('nl-NL', { maximumFractionDigits: 1 });
    return `€ ${mln} mln`;
  }
  return euroTekst(x);
}

const MAANDEN = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/** Month `maand` of the horizon (1: January of `jaar`) as a calendar month: `feb 2026`. */
export function maandTekst(jaar: number, maand: number): string {
  const m = maand - 1;
  return `${MAANDEN[((m % 12) + 12) % 12]} ${jaar + Math.floor(m / 12)}`;
}

/** A break-even month in words: `feb 2026 (maand 14)`, or that there is none within the horizon. */
export function breakEvenTekst(jaar: number, maand: number | null | undefined): string {
  if (maand === null || maand === undefined) return 'niet binnen de horizon';
  return `${maandTekst(jaar, maand)} (maand ${maand})`;
}

/** A horizon in words: `1 jaar`, `5 jaar`. */
export function horizonTekst(jaren: number): string {
  return `${jaren} jaar`;
}

/** One party's balance, as the API gives it (`PartijBalans`). */
export interface Balans {
  partij: string;
  kosten: number;
  baten: number;
  netto: number;
  breakEvenMaand?: number | null;
}

/** The case in one scenario over one horizon, as the API gives it (`BusinesscaseUitkomst`). */
export interface Uitkomst {
  scenario: string;
  horizonJaren: number;
  partijen: readonly Balans[];
  totaal: Balans;
  cumulatiefNetto: readonly number[];
}

/** The horizons of the outcomes, shortest first. */
export function horizonten(uitkomsten: readonly Uitkomst[]): number[] {
  return [...new Set(uitkomsten.map((u) => u.horizonJaren))].sort((a, b) => a - b);
}

/** The outcome of a scenario over a horizon. */
export function uitkomstVan(uitkomsten: readonly Uitkomst[], scenario: Scenario, horizon: number): Uitkomst | undefined {
  return uitkomsten.find((u) => u.scenario === scenario && u.horizonJaren === horizon);
}

/** One row group of the party table: a party (or `totaal`) with its balance per scenario. */
export interface PartijRij {
  partij: string;
  perScenario: Record<Scenario, Balans | undefined>;
}

/**
 * The parties of one horizon in the server's order, then all together (`totaal`), each with its
 * balance in the low, middle and high scenario.
 */
export function partijTabel(uitkomsten: readonly Uitkomst[], horizon: number): PartijRij[] {
  const per = Object.fromEntries(SCENARIOS.map((s) => [s, uitkomstVan(uitkomsten, s, horizon)])) as Record<Scenario, Uitkomst | undefined>;
  const namen: string[] = [];
  for (const s of SCENARIOS) for (const p of per[s]?.partijen ?? []) if (!namen.includes(p.partij)) namen.push(p.partij);
  const rij = (partij: string, van: (u: Uitkomst) => Balans | undefined): PartijRij => ({
    partij,
    perScenario: Object.fromEntries(SCENARIOS.map((s) => [s, per[s] ? van(per[s]) : undefined])) as Record<Scenario, Balans | undefined>,
  });
  return [...namen.map((n) => rij(n, (u) => u.partijen.find((p) => p.partij === n))), rij('totaal', (u) => u.totaal)];
}

/** The months the table of the cumulative net shows: each quarter's end up to two years, else each year's. */
export function puntMaanden(horizon: number): number[] {
  const stap = horizon <= 2 ? 3 : 12;
  const uit: number[] = [];
  for (let m = stap; m <= horizon * 12; m += stap) uit.push(m);
  return uit;
}

/** One point of the cumulative net: a month and the value in each scenario. */
export interface Punt {
  maand: number;
  waarden: Record<Scenario, number | undefined>;
}

/** The cumulative net at the months of `puntMaanden`, per scenario (what the chart shows, as a table). */
export function cumulatiefPunten(uitkomsten: readonly Uitkomst[], horizon: number): Punt[] {
  return puntMaanden(horizon).map((maand) => ({
    maand,
    waarden: Object.fromEntries(SCENARIOS.map((s) => [s, uitkomstVan(uitkomsten, s, horizon)?.cumulatiefNetto[maand - 1]])) as Record<
      Scenario,
      number | undefined
    >,
  }));
}

/** A file name for a download of the case, as the server names it. */
export function exportNaam(regio: string, jaar: number, nummer: number, formaat: 'csv' | 'xlsx'): string {
  return `businesscase-${regio}-${jaar}-vrijgave${nummer}.${formaat}`;
}

/**
 * The 35 labour-market regions a landelijk user may choose, as the domain's closed list has them
 * (domain/src/value/regio.rs; the schema takes a region as text, so there is no enum to generate).
 */
export const REGIOS: readonly { code: string; naam: string }[] = [
  { code: 'AM01', naam: 'Groningen' },
  { code: 'AM02', naam: 'Friesland' },
  { code: 'AM03', naam: 'Drenthe' },
  { code: 'AM05', naam: 'Twente' },
  { code: 'AM06', naam: 'Veluwe Stedendriehoek' },
  { code: 'AM07', naam: 'Midden-Gelderland' },
  { code: 'AM08', naam: 'Rijk van Nijmegen' },
  { code: 'AM09', naam: 'Achterhoek' },
  { code: 'AM10', naam: 'Rivierenland' },
  { code: 'AM11', naam: 'Flevoland' },
  { code: 'AM12', naam: 'Gooi en Vechtstreek' },
  { code: 'AM13', naam: 'Midden-Utrecht' },
  { code: 'AM14', naam: 'Amersfoort' },
  { code: 'AM15', naam: 'Noord-Holland Noord' },
  { code: 'AM17', naam: 'Zaanstreek/Waterland' },
  { code: 'AM18', naam: 'Groot Amsterdam' },
  { code: 'AM19', naam: 'Holland Rijnland' },
  { code: 'AM20', naam: 'Midden-Holland' },
  { code: 'AM21', naam: 'Haaglanden' },
  { code: 'AM22', naam: 'Rijnmond' },
  { code: 'AM23', naam: 'Drechtsteden' },
  { code: 'AM24', naam: 'Zeeland' },
  { code: 'AM25', naam: 'West-Brabant' },
  { code: 'AM26', naam: 'Midden-Brabant' },
  { code: 'AM27', naam: 'Noordoost-Brabant' },
  { code: 'AM28', naam: 'Zuidoost-Brabant' },
  { code: 'AM29', naam: 'Noord-Limburg' },
  { code: 'AM30', naam: 'Zuid-Limburg' },
  { code: 'AM32', naam: 'Helmond-De Peel' },
  { code: 'AM33', naam: 'Midden-Limburg' },
  { code: 'AM34', naam: 'Zuid-Holland Centraal' },
  { code: 'AM35', naam: 'Gorinchem' },
  { code: 'AM36', naam: 'Regio Zwolle' },
  { code: 'AM37', naam: 'Zuid-Kennemerland en IJmond' },
  { code: 'AM38', naam: 'FoodValley' },
];

/** The care-cost source inside the assumptions' JSON (`zorgkosten_bron`), if it can be read. */
export function zorgkostenBron(aannames: string): string | undefined {
  try {
    const a = JSON.parse(aannames) as { zorgkosten_bron?: unknown };
    return typeof a.zorgkosten_bron === 'string' ? a.zorgkosten_bron : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ticks of a chart's axis over `min` to `max` (0 always among them): about four steps of 1,
 * 2 or 5 times a power of ten, from a multiple of the step at or below `min` to one at or above
 * `max`.
 */
export function asVerdeling(min: number, max: number): number[] {
  const laag = Math.min(0, min);
  const hoog = Math.max(0, max);
  const bereik = hoog - laag || 1;
  const ruw = bereik / 4;
  const macht = 10 ** Math.floor(Math.log10(ruw));
  const n = ruw / macht;
  const stap = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * macht;
  const uit: number[] = [];
  const begin = Math.floor(laag / stap);
  const eind = Math.max(begin + 1, Math.ceil(hoog / stap));
  for (let i = begin; i <= eind; i++) uit.push(i * stap === 0 ? 0 : i * stap);
  return uit;
}

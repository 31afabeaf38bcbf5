// The quality report as the Kwaliteitsrapport screen shows it: a report's period in words, a
// value in words by its kind (a count, a share as a percentage with "teller van noemer", a
// median; hidden as the one marker `verborgen`, never a zero and never why; "nog niet bekend"
// and "geen" as such), the rows per group in the server's order, and the cohorts as one table:
// a row per intake quarter, a column per horizon.
import { VERBORGEN, kwartaalTekst } from './cijferweergave';

/** One value of a row, as the API gives it (`KwaliteitWaarde`). */
export interface KwaliteitWaarde {
  status: string;
  waarde?: number | null;
  teller?: number | null;
  noemer?: number | null;
}

/** One figure of the report, as the API gives it (`KwaliteitRij`). */
export interface KwaliteitRij {
  groep: string;
  code: string;
  omschrijving: string;
  soort: string;
  norm?: number | null;
  eigen: KwaliteitWaarde;
  landelijk: KwaliteitWaarde;
  mediaanRegios?: number | null;
  regiosMetWaarde: number;
}

/** A value's status, as the server names it. */
export const GETOOND = 'getoond';
export const NOG_NIET_BEKEND = 'nog_niet_bekend';
export const GEEN = 'geen';

/** The prefix of a cohort's group: `Cohort intake 2024Q3`. */
const COHORT = /^Cohort intake (\d{4}Q[1-4])$/;

/**
 * A report in the list by its last quarter: a calendar year (`2025Q4`, or `2025`) as "2025".
 * Reports cover calendar years only; a stored report over other four quarters (from before
 * that rule) would read "4 kwartalen tot 2026Q3".
 */
export function rapportTekst(kwartaal: string): string {
  const jaar = /^(\d{4})(?:Q4)?$/.exec(kwartaal);
  if (jaar) return jaar[1];
  return `4 kwartalen tot ${kwartaal}`;
}

/** The years a report may be released for, newest first: every year from 2016 to this one. */
export function rapportjaren(nu = new Date()): string[] {
  const uit: string[] = [];
  for (let j = nu.getFullYear(); j >= 2016; j--) uit.push(String(j));
  return uit;
}

/** The period of a report in words: "1e kwartaal 2025 tot en met 4e kwartaal 2025". */
export function periodeTekst(van: string, tot: string): string {
  return `${kwartaalTekst(van)} tot en met ${kwartaalTekst(tot)}`;
}

/** A release's number in words: the first release, or which correction. */
export function vrijgaveNummerTekst(nummer: number): string {
  return nummer <= 1 ? `vrijgave ${nummer} (de eerste)` : `vrijgave ${nummer} (correctie ${nummer - 1})`;
}

/** A number of a kind, without status: a count, a share as a percentage, a median. */
export function getalTekst(soort: string, waarde: number): string {
  if (soort === 'aandeel') return waarde.toLocaleString('nl-NL', { style: 'percent', maximumFractionDigits: 0 });
  if (soort === 'aantal') return waarde.toLocaleString('nl-NL', { maximumFractionDigits: 0 });
  return waarde.toLocaleString('nl-NL', { maximumFractionDigits: 1 });
}

/** How a value is shown: its main text, for a share "teller van noemer" beside it, and whether it is a number. */
export interface Weergave {
  tekst: string;
  toelichting?: string;
  getal: boolean;
  status: string;
}

/** A value in words by its status and kind. */
export function weergave(soort: string, w: KwaliteitWaarde | undefined): Weergave {
  if (!w) return { tekst: '–', getal: false, status: GEEN };
  if (w.status === GETOOND && w.waarde !== null && w.waarde !== undefined) {
    const toelichting =
      soort === 'aandeel' && w.teller !== null && w.teller !== undefined && w.noemer !== null && w.noemer !== undefined
        ? `${getalTekst('aantal', w.teller)} van ${getalTekst('aantal', w.noemer)}`
        : undefined;
    return { tekst: getalTekst(soort, w.waarde), toelichting, getal: true, status: GETOOND };
  }
  if (w.status === 'verborgen') return { tekst: VERBORGEN, getal: false, status: w.status };
  if (w.status === NOG_NIET_BEKEND) return { tekst: 'nog niet bekend', getal: false, status: w.status };
  if (w.status === GEEN || w.status === GETOOND) return { tekst: 'geen', getal: false, status: GEEN };
  // A status a newer server may add: in words of its name, never as a number.
  return { tekst: w.status.replace(/_/g, ' '), getal: false, status: w.status };
}

/** A value in one line, as a screen reader or a chart's label reads it: "52% (283 van 544)". */
export function waardeZin(soort: string, w: KwaliteitWaarde | undefined): string {
  const { tekst, toelichting } = weergave(soort, w);
  return toelichting ? `${tekst} (${toelichting})` : tekst;
}

/** The median of the regions in words, with over how many regions it is taken. */
export function mediaanRegiosTekst(rij: Pick<KwaliteitRij, 'soort' | 'mediaanRegios' | 'regiosMetWaarde'>): Weergave {
  if (rij.regiosMetWaarde === 0) {
    return { tekst: '–', toelichting: 'geen regio met een getoonde waarde', getal: false, status: GEEN };
  }
  if (rij.mediaanRegios === null || rij.mediaanRegios === undefined) {
    // The server shows the median from three regions: over fewer it would be a region's value.
    const n = rij.regiosMetWaarde;
    return { tekst: '–', toelichting: `te weinig regio's met een getoonde waarde (${n})`, getal: false, status: GEEN };
  }
  const n = rij.regiosMetWaarde;
  return {
    tekst: getalTekst(rij.soort, rij.mediaanRegios),
    toelichting: `over ${n} ${n === 1 ? 'regio' : "regio's"}`,
    getal: true,
    status: GETOOND,
  };
}

/** The norm in words: a median or caseload at most, a count as a target, a share as a percentage. */
export function normTekst(rij: Pick<KwaliteitRij, 'soort' | 'norm'>): string | undefined {
  if (rij.norm === null || rij.norm === undefined) return undefined;
  const getal = getalTekst(rij.soort, rij.norm);
  if (rij.soort === 'mediaan') return `ten hoogste ${getal}`;
  if (rij.soort === 'aantal') return `doel ${getal}`;
  return `norm ${getal}`;
}

/** Whether a group is a cohort's. */
export function isCohort(groep: string): boolean {
  return COHORT.test(groep);
}

/** One group of the report: its rows, in the server's order. */
export interface Groep {
  groep: string;
  rijen: KwaliteitRij[];
}

/**
 * The report's sections in the server's order: each group with its rows, the cohorts together
 * as one section (`cohorten: true`) where the first of them stands.
 */
export function secties(rijen: readonly KwaliteitRij[]): ({ soort: 'groep'; groep: Groep } | { soort: 'cohorten'; rijen: KwaliteitRij[] })[] {
  const uit: ({ soort: 'groep'; groep: Groep } | { soort: 'cohorten'; rijen: KwaliteitRij[] })[] = [];
  const groepen = new Map<string, Groep>();
  let cohorten: KwaliteitRij[] | undefined;
  for (const rij of rijen) {
    if (isCohort(rij.groep)) {
      if (!cohorten) {
        cohorten = [];
        uit.push({ soort: 'cohorten', rijen: cohorten });
      }
      cohorten.push(rij);
      continue;
    }
    let g = groepen.get(rij.groep);
    if (!g) {
      g = { groep: rij.groep, rijen: [] };
      groepen.set(rij.groep, g);
      uit.push({ soort: 'groep', groep: g });
    }
    g.rijen.push(rij);
  }
  return uit;
}

/** A column of the cohort table: a horizon (`werk_6m`) or the cohort's size (`grootte`). */
export interface CohortKolom {
  sleutel: string;
  kop: string;
  soort: string;
}

/** One row of the cohort table: an intake quarter and its figure per column. */
export interface CohortRij {
  kwartaal: string;
  cellen: Record<string, KwaliteitRij | undefined>;
}

/** Column heads for the horizons the server names; another one keeps its description. */
const COHORT_KOPPEN: Record<string, string> = {
  grootte: 'Intakes',
  werk_6m: 'Aan het werk binnen 6 maanden',
  werk_12m: 'Aan het werk binnen 12 maanden',
  werk_18m: 'Aan het werk binnen 18 maanden',
  duurzaam_6m: 'Duurzaam binnen 6 maanden',
  duurzaam_12m: 'Duurzaam binnen 12 maanden',
  duurzaam_18m: 'Duurzaam binnen 18 maanden',
};

/**
 * The cohorts as one table: a row per intake quarter (in the server's order, oldest first), a
 * column per figure of a cohort in the order the server gives them (the size, then work and
 * duurzaam at 6, 12 and 18 months). A figure is known by its code, `cohort_2024Q3_werk_6m`.
 */
export function cohortTabel(rijen: readonly KwaliteitRij[]): { kolommen: CohortKolom[]; rijen: CohortRij[] } {
  const kolommen: CohortKolom[] = [];
  const perKwartaal = new Map<string, CohortRij>();
  for (const rij of rijen) {
    const groep = COHORT.exec(rij.groep);
    if (!groep) continue;
    const kwartaal = groep[1];
    const prefix = `cohort_${kwartaal}_`;
    const sleutel = rij.code.startsWith(prefix) ? rij.code.slice(prefix.length) : rij.code;
    if (!kolommen.some((k) => k.sleutel === sleutel)) {
      kolommen.push({ sleutel, kop: COHORT_KOPPEN[sleutel] ?? rij.omschrijving, soort: rij.soort });
    }
    let r = perKwartaal.get(kwartaal);
    if (!r) {
      r = { kwartaal, cellen: {} };
      perKwartaal.set(kwartaal, r);
    }
    r.cellen[sleutel] = rij;
  }
  return { kolommen, rijen: [...perKwartaal.values()] };
}

/** A file name for a download of the report, as the server names it. */
export function exportNaam(onderwerp: string, kwartaal: string, nummer: number, formaat: 'csv' | 'csv-nl' | 'xlsx'): string {
  const extensie = formaat === 'xlsx' ? 'xlsx' : 'csv';
  return `kwaliteitsrapport-${onderwerp}-${kwartaal}-vrijgave${nummer}.${extensie}`;
}

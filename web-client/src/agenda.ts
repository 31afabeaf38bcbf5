// The week agenda: the coach's next actions per day of a week, Monday to Sunday. Pure: the
// screen (screens/Agenda.tsx) gives it the caseload, the week and today's date.
//
// A next action stays the next one until another is planned, so one planned for a day gone by
// is still open: overdue. In the current week the overdue ones (of any earlier day) are listed
// together right above today, and the days of this week gone by are left out (all that was
// planned for them and is still open is among the overdue). A week in the past shows its days
// with what is still open of them; a week ahead its seven days.
import type { ActieSoort } from './gql/graphql';
import { dagEnMaand, dagNaam, dagenTussen, hoofdletter, isDag, maandagVan, plusDagen, wanneer, weeknummer } from './datums';
import { actieTekst, naamVan } from './vandaag';

export interface AgendaInvoer {
  trajectId: string;
  naam?: string | null;
  volgendeActie?: { actie: ActieSoort; op: string } | null;
}

export interface AgendaItem {
  trajectId: string;
  naam: string;
  actie: string;
  op: string;
  /** For an overdue action: `3 dagen te laat`. */
  teLaat?: string;
}

export interface AgendaDag {
  datum: string;
  /** `Woensdag 9 december`, with `vandaag` or `morgen` before it where it is. */
  titel: string;
  vandaag: boolean;
  items: AgendaItem[];
}

export interface Week {
  maandag: string;
  zondag: string;
  /** `Week 50: maandag 7 tot en met zondag 13 december 2026`. */
  titel: string;
  /** Whether it is the week of today. */
  huidig: boolean;
  /** In the current week: every overdue action, the longest overdue first (listed above today). */
  teLaat: AgendaItem[];
  /** In the current week: the days gone by that are left out. */
  voorbij: string[];
  dagen: AgendaDag[];
}

/** The Monday of the week a `?week=` parameter names (any day of it), or of today's week. */
export function weekUit(parameter: string | null, vandaag: string): string {
  return maandagVan(isDag(parameter) ? parameter : vandaag);
}

/** The week title: `Week 50: 7 tot en met 13 december 2026`. */
export function weekTitel(maandag: string): string {
  const zondag = plusDagen(maandag, 6);
  const [jaar1, jaar2] = [maandag.slice(0, 4), zondag.slice(0, 4)];
  const begin =
    jaar1 !== jaar2
      ? `${dagEnMaand(maandag)} ${jaar1}`
      : maandag.slice(5, 7) !== zondag.slice(5, 7)
        ? dagEnMaand(maandag)
        : String(Number(maandag.slice(8)));
  return `Week ${weeknummer(maandag)}: ${begin} tot en met ${dagEnMaand(zondag)} ${jaar2}`;
}

function alsItem(t: AgendaInvoer, vandaag: string): AgendaItem {
  const v = t.volgendeActie!;
  return {
    trajectId: t.trajectId,
    naam: naamVan(t),
    actie: actieTekst(v.actie),
    op: v.op,
    teLaat: v.op < vandaag ? wanneer(v.op, vandaag) : undefined,
  };
}

function opDag(a: AgendaItem, b: AgendaItem): number {
  return a.op.localeCompare(b.op) || a.naam.localeCompare(b.naam, 'nl') || a.trajectId.localeCompare(b.trajectId);
}

function dagTitel(datum: string, vandaag: string): string {
  const naam = hoofdletter(dagNaam(datum, vandaag, true));
  const over = dagenTussen(vandaag, datum);
  return over === 0 ? `Vandaag, ${naam.toLowerCase()}` : over === 1 ? `Morgen, ${naam.toLowerCase()}` : naam;
}

/** The week of `maandag` with the next actions of `items`. */
export function week(items: readonly AgendaInvoer[], maandag: string, vandaag: string): Week {
  const zondag = plusDagen(maandag, 6);
  const gepland = items.filter((t) => t.volgendeActie).map((t) => alsItem(t, vandaag)).sort(opDag);
  const huidig = maandag <= vandaag && vandaag <= zondag;
  const dagen: AgendaDag[] = [];
  const voorbij: string[] = [];
  for (let i = 0; i < 7; i++) {
    const datum = plusDagen(maandag, i);
    if (huidig && datum < vandaag) {
      voorbij.push(datum);
      continue;
    }
    dagen.push({ datum, titel: dagTitel(datum, vandaag), vandaag: datum === vandaag, items: gepland.filter((g) => g.op === datum) });
  }
  return {
    maandag,
    zondag,
    titel: weekTitel(maandag),
    huidig,
    teLaat: huidig ? gepland.filter((g) => g.op < vandaag) : [],
    voorbij,
    dagen,
  };
}

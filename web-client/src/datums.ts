// Calendar days as a coach plans by them: days between two dates, the Monday of a week, the
// week number, and a day in words relative to today ("vandaag", "morgen", "3 dagen te laat",
// "di 8 december"). Dates are the schema's `YYYY-MM-DD`; all arithmetic is on whole days in
// UTC, so that no time zone or change to summer time shifts a day.

const MAANDEN = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];
const WEEKDAGEN = ['zondag', 'maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag'];
const WEEKDAGEN_KORT = ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'];

function alsDag(datum: string): Date {
  const [j, m, d] = datum.split('-').map(Number);
  return new Date(Date.UTC(j, m - 1, d));
}

function alsTekst(dag: Date): string {
  return dag.toISOString().slice(0, 10);
}

/** Whether `tekst` is a day as the schema writes it (`2026-12-08`). */
export function isDag(tekst: string | null | undefined): tekst is string {
  if (!tekst || !/^\d{4}-\d{2}-\d{2}$/.test(tekst)) return false;
  return alsTekst(alsDag(tekst)) === tekst;
}

/** The day `n` days after `datum` (before it when `n` is negative). */
export function plusDagen(datum: string, n: number): string {
  const dag = alsDag(datum);
  dag.setUTCDate(dag.getUTCDate() + n);
  return alsTekst(dag);
}

/** Days from `van` to `tot`: positive when `tot` is later. */
export function dagenTussen(van: string, tot: string): number {
  return Math.round((alsDag(tot).getTime() - alsDag(van).getTime()) / 86_400_000);
}

/** The Monday of the week (Monday to Sunday) that holds `datum`. */
export function maandagVan(datum: string): string {
  const weekdag = (alsDag(datum).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return plusDagen(datum, -weekdag);
}

/** The ISO week number of `datum` (week 1 holds the year's first Thursday). */
export function weeknummer(datum: string): number {
  const donderdag = plusDagen(maandagVan(datum), 3);
  const jaar = donderdag.slice(0, 4);
  return Math.floor(dagenTussen(`${jaar}-01-01`, donderdag) / 7) + 1;
}

/**
 * A day in words with its weekday: `di 8 december`, or `dinsdag 8 december` with `lang`; with
 * the year when it is another than today's (`di 5 januari 2027`).
 */
export function dagNaam(datum: string, vandaag: string, lang = false): string {
  const dag = alsDag(datum);
  const weekdag = (lang ? WEEKDAGEN : WEEKDAGEN_KORT)[dag.getUTCDay()];
  const jaar = datum.slice(0, 4) === vandaag.slice(0, 4) ? '' : ` ${dag.getUTCFullYear()}`;
  return `${weekdag} ${dag.getUTCDate()} ${MAANDEN[dag.getUTCMonth()]}${jaar}`;
}

/** A day in full: `vrijdag 4 december 2026`. */
export function datumLang(datum: string): string {
  const dag = alsDag(datum);
  return `${WEEKDAGEN[dag.getUTCDay()]} ${dag.getUTCDate()} ${MAANDEN[dag.getUTCMonth()]} ${dag.getUTCFullYear()}`;
}

/** The day and month: `8 december`. */
export function dagEnMaand(datum: string): string {
  const dag = alsDag(datum);
  return `${dag.getUTCDate()} ${MAANDEN[dag.getUTCMonth()]}`;
}

/** `1 dag`, `3 dagen`. */
export function dagenTekst(n: number): string {
  return n === 1 ? '1 dag' : `${n} dagen`;
}

/**
 * When something is due, relative to today: `vandaag`, `morgen`, `3 dagen te laat` (a day
 * gone by), or the day itself (`di 8 december`).
 */
export function wanneer(datum: string, vandaag: string): string {
  const over = dagenTussen(vandaag, datum);
  if (over === 0) return 'vandaag';
  if (over === 1) return 'morgen';
  if (over < 0) return `${dagenTekst(-over)} te laat`;
  return dagNaam(datum, vandaag);
}

/** A day with a capital first, for a heading: `Dinsdag 8 december`. */
export function hoofdletter(tekst: string): string {
  return tekst.charAt(0).toUpperCase() + tekst.slice(1);
}

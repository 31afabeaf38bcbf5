// The domain's input rules, checked in the browser before anything is sent, with the server's
// wording. The server checks them again and stays the authority: its errors land at the same
// fields (fouten.ts). The closed lists themselves come from the schema (keuzelijsten.ts).

/** Today as `YYYY-MM-DD` in the user's time zone. */
export function vandaag(nu: Date = new Date()): string {
  const d = new Date(nu.getTime() - nu.getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 10);
}

function isDatum(tekst: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(tekst)) return false;
  const [j, m, d] = tekst.split('-').map(Number);
  const datum = new Date(Date.UTC(j, m - 1, d));
  return datum.getUTCFullYear() === j && datum.getUTCMonth() === m - 1 && datum.getUTCDate() === d;
}

/** A date of the domain (a contract's end may lie ahead): from 2000 up to and including 2100. */
export function datum(tekst: string): string | undefined {
  const t = tekst.trim();
  if (!isDatum(t)) return 'moet een datum zijn als JJJJ-MM-DD';
  if (t < '2000-01-01' || t > '2100-12-31') return 'moet tussen 2000-01-01 en 2100-12-31 liggen';
  return undefined;
}

/** A day of an event: a date of the domain, not in the future. */
export function gebeurtenisdatum(tekst: string, nu = vandaag()): string | undefined {
  const fout = datum(tekst);
  if (fout) return fout;
  if (tekst.trim() > nu) return 'mag niet in de toekomst liggen';
  return undefined;
}

/** The day of a next action: a date of the domain, at most 366 days after today. */
export function actiedatum(tekst: string, nu = vandaag()): string | undefined {
  const fout = datum(tekst);
  if (fout) return fout;
  const [j, m, d] = nu.split('-').map(Number);
  const uiterlijk = new Date(Date.UTC(j, m - 1, d + 366)).toISOString().slice(0, 10);
  if (tekst.trim() > uiterlijk) return 'mag hoogstens een jaar vooruit liggen';
  return undefined;
}

/** Coach and organisation ids. */
export function identificatie(tekst: string): string | undefined {
  const t = tekst.trim();
  if (t.length === 0 || [...t].length > 64) return 'moet 1 tot 64 tekens lang zijn';
  if (!/^[A-Za-z0-9._:-]+$/.test(t)) return 'mag alleen letters, cijfers en . _ - : bevatten';
  return undefined;
}

/** Employer names and job titles. */
export function label(tekst: string): string | undefined {
  const t = tekst.trim();
  if (t.length === 0 || [...t].length > 120) return 'moet 1 tot 120 tekens lang zijn';
  // Control characters, and invisible formatting ones (zero-width, direction overrides): the
  // same set as the domain's rule.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.test(t))
    return 'mag geen regeleinden, stuurtekens of onzichtbare tekens bevatten';
  return undefined;
}

/** Contractual hours per week. */
export function uren(tekst: string): string | undefined {
  const t = tekst.trim().replace(',', '.');
  const n = Number(t);
  if (t === '' || Number.isNaN(n)) return 'moet een getal zijn';
  if (n <= 0) return 'moet groter dan 0 zijn';
  if (n > 60) return 'mag niet meer dan 60 zijn';
  if (Math.abs(n * 60 - Math.round(n * 60)) > 1e-6) return 'moet in hele minuten uit te drukken zijn';
  return undefined;
}

/** One of a closed list (its values, from keuzelijsten.ts). */
export function keuze(lijst: readonly string[]) {
  return (tekst: string): string | undefined =>
    lijst.some((k) => k.toLowerCase() === tekst.trim().toLowerCase())
      ? undefined
      : `moet een van ${lijst.join(' ')} zijn`;
}

/** A full name. */
export function naam(tekst: string): string | undefined {
  const t = tekst.trim().split(/\s+/).join(' ');
  if (t.length === 0 || [...t].length > 200) return 'moet 1 tot 200 tekens lang zijn';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(t)) return 'mag geen stuurtekens bevatten';
  return undefined;
}

/** A date of birth: from 1900-01-01 up to today. */
export function geboortedatum(tekst: string, nu = vandaag()): string | undefined {
  if (!isDatum(tekst.trim())) return 'moet een datum JJJJ-MM-DD zijn';
  if (tekst.trim() < '1900-01-01' || tekst.trim() > nu) return 'moet tussen 1900-01-01 en vandaag liggen';
  return undefined;
}

/** An optional phone number. */
export function telefoon(tekst: string): string | undefined {
  const t = tekst.trim();
  if (t === '') return undefined;
  if (![...t].every((c, i) => /[0-9 ()-]/.test(c) || (c === '+' && i === 0)))
    return 'mag alleen cijfers, spaties, - ( ) en een + vooraan bevatten';
  const cijfers = [...t].filter((c) => /[0-9]/.test(c)).length;
  if (cijfers < 10 || cijfers > 15) return 'moet 10 tot 15 cijfers hebben';
  return undefined;
}

/** An optional e-mail address. */
export function email(tekst: string): string | undefined {
  const t = tekst.trim();
  if (t === '') return undefined;
  // eslint-disable-next-line no-control-regex
  if (t.length > 254 || /[\s\u0000-\u001f\u007f]/.test(t)) return 'moet een e-mailadres zonder spaties van hoogstens 254 tekens zijn';
  const at = t.indexOf('@');
  if (at < 0) return 'moet precies een @ bevatten';
  const [lokaal, rest] = [t.slice(0, at), t.slice(at + 1)];
  if (lokaal === '' || rest.includes('@')) return 'moet precies een @ met iets ervoor bevatten';
  const domein = rest.split('.');
  if (domein.length < 2 || domein.some((d) => d === '')) return 'moet na de @ een domein met een punt hebben';
  return undefined;
}

/** The elfproef of a BSN. */
export function elfproef(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  const c = [...bsn].map(Number);
  const som = c.slice(0, 8).reduce((s, d, i) => s + d * (9 - i), 0) - c[8];
  return som !== 0 && som % 11 === 0;
}

/** An optional BSN. */
export function bsn(tekst: string): string | undefined {
  const t = tekst.trim().replace(/[ .]/g, '');
  if (t === '') return undefined;
  if (!/^\d{8,9}$/.test(t)) return 'moet uit 9 cijfers bestaan';
  return elfproef(t.padStart(9, '0')) ? undefined : 'voldoet niet aan de elfproef';
}

export type Regel = (waarde: string) => string | undefined;

/** Checks every field that has a rule; the messages per field, empty when all is well. */
export function controleer(waarden: Record<string, string>, regels: Record<string, Regel>): Record<string, string> {
  const fouten: Record<string, string> = {};
  for (const [veld, regel] of Object.entries(regels)) {
    const fout = regel(waarden[veld] ?? '');
    if (fout) fouten[veld] = fout;
  }
  return fouten;
}

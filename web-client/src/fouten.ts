// Reads the server's errors (`extensions.code`, and for bad input `veld` and `regel`) into what a
// form shows: a message at the field it concerns, a conflict, or one message for the whole form.
import type { CombinedError } from 'urql';

export interface Formfout {
  /** Messages per form field. */
  velden: Record<string, string>;
  /** A message for the form as a whole. */
  algemeen?: string;
  /** Set when someone else changed the trajectory meanwhile: its revision now. */
  conflict?: { huidigeRevisie: number | null };
  /** The server's code. */
  code?: string;
}

/** Compares a server field name (`uren_per_week`, `plaatsing.urenPerWeek`, `contract.einddatum`) with a form field name. */
export function normaliseer(veld: string): string {
  const laatste = veld.split('.').pop() ?? veld;
  return laatste.replace(/[_-]/g, '').toLowerCase();
}

/** The error of a failed request, placed at the form's fields where the server names one of them. */
export function leesFout(error: CombinedError | undefined, velden: readonly string[]): Formfout | undefined {
  if (!error) return undefined;
  const uit: Formfout = { velden: {} };
  if (error.networkError && error.graphQLErrors.length === 0) {
    uit.algemeen = 'De server is niet bereikbaar. Probeer het zo opnieuw; wat u invulde blijft staan.';
    uit.code = 'NETWERK';
    return uit;
  }
  for (const fout of error.graphQLErrors) {
    const ext = (fout.extensions ?? {}) as Record<string, unknown>;
    const code = typeof ext.code === 'string' ? ext.code : 'INTERNAL';
    uit.code ??= code;
    if (code === 'CONFLICT') {
      const huidig = ext.huidigeRevisie;
      uit.conflict = { huidigeRevisie: typeof huidig === 'number' ? huidig : null };
      continue;
    }
    if (code === 'BAD_USER_INPUT' && typeof ext.veld === 'string') {
      const doel = velden.find((v) => normaliseer(v) === normaliseer(ext.veld as string));
      const regel = typeof ext.regel === 'string' ? ext.regel : fout.message;
      if (doel) {
        uit.velden[doel] = regel;
        continue;
      }
      uit.algemeen = `${ext.veld}: ${regel}`;
      continue;
    }
    uit.algemeen = beschrijf(code, fout.message);
  }
  return uit;
}

function beschrijf(code: string, bericht: string): string {
  switch (code) {
    case 'FORBIDDEN':
      return `Dat mag u niet: ${bericht}`;
    case 'NOT_FOUND':
      return `Niet gevonden: ${bericht}`;
    case 'TOO_MANY_REQUESTS':
      return 'U heeft in korte tijd erg veel dossiers geopend. Wacht een minuut en probeer het dan opnieuw.';
    case 'RATE_LIMITED':
      return 'Er komen nu te veel verzoeken binnen. Wacht even en probeer het dan opnieuw.';
    case 'UNAVAILABLE':
      return 'Dit kan nu even niet worden getoond. Probeer het zo opnieuw.';
    case 'UNAUTHENTICATED':
      return 'Uw sessie is verlopen. Log opnieuw in.';
    default:
      return bericht;
  }
}

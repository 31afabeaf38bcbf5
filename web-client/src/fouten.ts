// Reads the server's errors into what a form shows: a message at the field it concerns, a
// conflict, or one message for the whole form. `extensions.code` (the kind) and
// `extensions.regel` (the stable code of the rule) are for deciding what to do, never shown;
// what the user reads is the server's `message`, taken as a whole and never taken apart.
import type { CombinedError } from 'urql';

export interface Formfout {
  /** Messages per form field. */
  velden: Record<string, string>;
  /** A message for the form as a whole. */
  algemeen?: string;
  /** Set when someone else changed the trajectory meanwhile: its revision now. */
  conflict?: { huidigeRevisie: number | null };
  /** The kind of error (`extensions.code`), to decide on; never shown. */
  code?: string;
  /** The stable code of the rule that refused (`extensions.regel`), to decide on; never shown. */
  regel?: string;
}

/**
 * Compares the input the server names (`wijziging.datum`, `plaatsing.urenPerWeek`,
 * `intrekking.gebeurtenisId`) with a form field name by its last path segment.
 */
export function normaliseer(veld: string): string {
  const laatste = veld.split('.').pop() ?? veld;
  return laatste.replace(/[_-]/g, '').toLowerCase();
}

/** A message as a sentence: a capital first, a full stop at the end. */
export function zin(bericht: string): string {
  const t = bericht.trim();
  if (t === '') return t;
  const begin = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…]$/.test(begin) ? begin : `${begin}.`;
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
    if (typeof ext.regel === 'string') uit.regel ??= ext.regel;
    if (code === 'CONFLICT') {
      const huidig = ext.huidigeRevisie;
      uit.conflict = { huidigeRevisie: typeof huidig === 'number' ? huidig : null };
      continue;
    }
    if (code === 'BAD_USER_INPUT') {
      const veld = typeof ext.veld === 'string' ? ext.veld : undefined;
      const doel = veld === undefined ? undefined : velden.find((v) => normaliseer(v) === normaliseer(veld));
      if (doel) uit.velden[doel] = fout.message;
      else uit.algemeen = zin(fout.message);
      continue;
    }
    uit.algemeen = beschrijf(code, fout.message);
  }
  return uit;
}

/** The error of a failed read in words, for a screen that has no form fields. */
export function foutTekst(error: CombinedError): string {
  if (error.networkError && error.graphQLErrors.length === 0) {
    return 'De server is even niet bereikbaar. Controleer uw internetverbinding.';
  }
  return leesFout(error, [])?.algemeen ?? 'Er ging iets mis.';
}

/**
 * Whether the error may pass by itself: no answer at all (network), or the server says it
 * cannot answer now (UNAVAILABLE, HTTP 503). Such a screen retries once the server is ready.
 */
export function isTijdelijk(error: CombinedError | undefined): boolean {
  if (!error) return false;
  if (error.networkError && error.graphQLErrors.length === 0) return true;
  if (error.graphQLErrors.some((e) => e.extensions?.code === 'UNAVAILABLE')) return true;
  const status = (error.response as { status?: number } | undefined)?.status;
  return status === 502 || status === 503 || status === 504;
}

function beschrijf(code: string, bericht: string): string {
  switch (code) {
    case 'TOO_MANY_REQUESTS':
      return 'U heeft in korte tijd erg veel dossiers geopend. Wacht een minuut en probeer het dan opnieuw.';
    case 'RATE_LIMITED':
      return 'Er komen nu te veel verzoeken binnen. Wacht even en probeer het dan opnieuw.';
    case 'UNAUTHENTICATED':
      return 'Uw sessie is verlopen. Log opnieuw in.';
    case 'UNAVAILABLE':
      // The server's reasons name its internals (read models, the store); the user reads what it means.
      return /opgeslagen/.test(bericht)
        ? 'Uw wijziging is opgeslagen, maar is nog niet te zien. Laad het traject zo opnieuw; verstuur niet nog een keer.'
        : 'Traject is even niet beschikbaar. Probeer het zo opnieuw; wat u invulde blijft staan.';
    case 'INTERNAL': {
      const correlatie = /correlatie-id\s+(\S+)/.exec(bericht)?.[1];
      return (
        'Er ging iets mis op de server. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder' +
        (correlatie ? ` met de code ${correlatie}.` : '.')
      );
    }
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
      // The server's own messages of these kinds are written for the user, in Dutch.
      return zin(bericht);
    default:
      // Anything else (a query the server refuses as too complex, a kind this client does not
      // know) may carry a technical or English message: the user reads what it means.
      return 'Er ging iets mis. Probeer het opnieuw; blijft het misgaan, meld het dan bij uw beheerder.';
  }
}

// Drafts: what a user typed in a form, kept in sessionStorage per form (and trajectory or
// client) until it is recorded or cancelled. A session that expires mid-form therefore loses
// nothing: after signing in again the same page opens the same form with the same values.
// sessionStorage ends with the tab, like the token; signing out on purpose wipes every draft.
import { useCallback, useEffect, useRef, useState } from 'react';

const VOORVOEGSEL = 'traject.concept.';

/** The key of a form's draft: the form, and the trajectory or client it is about. */
export function conceptSleutel(formulier: string, over?: string): string {
  return over ? `${formulier}:${over}` : formulier;
}

export function leesConcept<T>(sleutel: string): T | undefined {
  try {
    const tekst = sessionStorage.getItem(VOORVOEGSEL + sleutel);
    return tekst === null ? undefined : (JSON.parse(tekst) as T);
  } catch {
    return undefined;
  }
}

export function bewaarConcept(sleutel: string, waarde: unknown): void {
  try {
    sessionStorage.setItem(VOORVOEGSEL + sleutel, JSON.stringify(waarde));
  } catch {
    // Storage full or refused: the form still works, only without a draft.
  }
}

export function wisConcept(sleutel: string): void {
  sessionStorage.removeItem(VOORVOEGSEL + sleutel);
}

/** Wipes every draft (on signing out on purpose: the next user of the tab sees nothing of them). */
export function wisAlleConcepten(): void {
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const sleutel = sessionStorage.key(i);
    if (sleutel?.startsWith(VOORVOEGSEL)) sessionStorage.removeItem(sleutel);
  }
}

/**
 * A form's values, started from its draft when there is one (else from `begin`, then
 * overlaid with `vast`: values the way the form was opened sets), and kept as the draft on
 * every change the user makes. `wis` ends the draft (after recording, or on cancelling).
 */
export function useConcept(
  sleutel: string,
  begin: () => Record<string, string>,
  vast: Record<string, string> = {},
): [Record<string, string>, (f: (oud: Record<string, string>) => Record<string, string>) => void, () => void] {
  const [waarden, setWaarden] = useState<Record<string, string>>(() => ({
    ...begin(),
    ...(leesConcept<Record<string, string>>(sleutel) ?? {}),
    ...vast,
  }));
  const gewijzigd = useRef(false);
  const gewist = useRef(false);
  useEffect(() => {
    if (gewijzigd.current && !gewist.current) bewaarConcept(sleutel, waarden);
  }, [sleutel, waarden]);
  const zet = useCallback((f: (oud: Record<string, string>) => Record<string, string>) => {
    gewijzigd.current = true;
    gewist.current = false;
    setWaarden(f);
  }, []);
  const wis = useCallback(() => {
    gewist.current = true;
    wisConcept(sleutel);
  }, [sleutel]);
  return [waarden, zet, wis];
}

const TERUG = 'traject.terug';

/** A path of this application only: `/traject/…`, never `//elders` or `https://…`. */
export function veiligPad(pad: string | null | undefined): string | undefined {
  if (!pad || !pad.startsWith('/') || pad.startsWith('//') || pad.startsWith('/\\')) return undefined;
  if (pad.startsWith('/aanmelden')) return undefined;
  return pad;
}

/** Remembers the page the user is on, to come back to after signing in at the provider. */
export function bewaarTerugpad(pad = window.location.pathname + window.location.search): void {
  const veilig = veiligPad(pad);
  if (veilig) sessionStorage.setItem(TERUG, veilig);
}

/** The page to come back to after signing in (read once), or `/`. */
export function neemTerugpad(): string {
  const pad = veiligPad(sessionStorage.getItem(TERUG));
  sessionStorage.removeItem(TERUG);
  return pad ?? '/';
}

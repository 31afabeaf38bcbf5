// Recovery after a failed read: the error in plain Dutch with a button to try again, and, when
// the server could not be reached or said it cannot answer now, a check of `/ready` every few
// seconds that fetches again by itself as soon as the server answers.
import { useEffect, useRef } from 'react';
import type { CombinedError } from 'urql';
import { foutTekst, isTijdelijk } from './fouten';
import { Knop, Melding } from './ui';

/** How often `/ready` is asked while a screen waits for the server. */
export const WACHT_MS = 3_000;

/** Whether the server answers `/ready` with 200. */
async function klaar(): Promise<boolean> {
  try {
    const antwoord = await fetch('/ready', { cache: 'no-store' });
    return antwoord.ok;
  } catch {
    return false;
  }
}

/**
 * While `error` may pass by itself, asks `/ready` every `ms` and calls `opnieuw` once the
 * server is ready; a new error (the retry failed too) starts waiting again.
 */
export function useWachtOpServer(error: CombinedError | undefined, opnieuw: () => void, ms = WACHT_MS) {
  const actief = isTijdelijk(error);
  const terug = useRef(opnieuw);
  useEffect(() => {
    terug.current = opnieuw;
  }, [opnieuw]);
  useEffect(() => {
    if (!actief) return;
    let gestopt = false;
    let timer: ReturnType<typeof setTimeout>;
    const vraag = async () => {
      if (gestopt) return;
      if (await klaar()) {
        if (!gestopt) terug.current();
        return;
      }
      if (!gestopt) timer = setTimeout(vraag, ms);
    };
    timer = setTimeout(vraag, ms);
    return () => {
      gestopt = true;
      clearTimeout(timer);
    };
  }, [actief, error, ms]);
}

/** A failed read: what failed (`wat`), why in words, "Opnieuw proberen", and a retry by itself when it may pass. */
export function LaadFout({ wat, error, opnieuw }: { wat: string; error: CombinedError; opnieuw: () => void }) {
  const tijdelijk = isTijdelijk(error);
  useWachtOpServer(error, opnieuw);
  return (
    <Melding soort="fout">
      <p className="utrecht-paragraph">
        {wat} {foutTekst(error)}
        {tijdelijk ? ' Zodra de server weer antwoordt, wordt het vanzelf opnieuw geladen.' : ''}
      </p>
      <Knop onClick={opnieuw}>Opnieuw proberen</Knop>
    </Melding>
  );
}
